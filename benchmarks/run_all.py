"""Run every benchmark in one go: ``python benchmarks/run_all.py [--strict] [--quick] [--only NAME]``.

Prints one table (docfetch and its peer side by side, the ratio, PASS/FAIL against each
target) and writes it to ``benchmarks/results/latest.md`` (``partial.md`` with ``--only``).
Exits non-zero only with ``--strict`` when a target is missed (a benchmark that crashes
always counts as missed).

Benchmarks are the ``bench_*.py`` files beside this one: the four core ones first, then any
other in name order. Each exposes ``run(options) -> list[Result]``; a file without ``run`` is
run as a script and reported by its exit code.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import time
import traceback

import _common as common
from _common import Options, Result

CORE = ("bench_startup", "bench_latency", "bench_memory", "bench_bulk")


def discover() -> list[str]:
    """Module names of every benchmark, core ones first."""
    others = sorted(p.stem for p in common.BENCH_DIR.glob("bench_*.py") if p.stem not in CORE)
    return [name for name in CORE if (common.BENCH_DIR / f"{name}.py").exists()] + others


def run_one(name: str, options: Options) -> list[Result]:
    """Run one benchmark; a crash becomes a FAIL line instead of ending the whole run."""
    started = time.perf_counter()
    try:
        module = importlib.import_module(name)
        if hasattr(module, "run"):
            results = list(module.run(options))
        else:
            argv = [sys.executable, str(common.BENCH_DIR / f"{name}.py")] + (["--quick"] if options.quick else [])
            code = subprocess.run(argv, check=False, timeout=600).returncode
            results = [Result(name, "script", "-", "-", f"exit {code}", "exit 0", code == 0, "run as a script")]
    except Exception as exc:  # report and go on with the next benchmark
        traceback.print_exc()
        results = [Result(name, "crashed", "-", "-", "-", "runs", False, f"{type(exc).__name__}: {exc}"[:300])]
    common.log(f"{name}: {time.perf_counter() - started:.1f} s")
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the table, write ``results/latest.md``."""
    parser = argparse.ArgumentParser(description="Run every docfetch benchmark and compare with its peers.")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--quick", action="store_true", help="fewer runs (a smoke test, noisier figures)")
    parser.add_argument("--no-hyperfine", action="store_true", help="time start-up with a subprocess loop")
    parser.add_argument("--only", action="append", metavar="NAME", help="only this benchmark (startup, bulk...)")
    args = parser.parse_args(argv)
    options = Options(strict=args.strict, quick=args.quick, hyperfine=not args.no_hyperfine)
    names = discover()
    if args.only:
        wanted = {n if n.startswith("bench_") else f"bench_{n}" for n in args.only}
        names = [n for n in names if n in wanted]
    common.byte_compile_docfetch()
    started = time.perf_counter()
    results: list[Result] = []
    for name in names:
        common.log(f"running {name}")
        results.extend(run_one(name, options))
    report = "latest" if not args.only else "partial"  # latest.md always holds a whole run
    return common.finish(results, options, report, "docfetch benchmarks", started)


if __name__ == "__main__":
    common.ensure_interpreter()
    sys.exit(main())
