"""Start-up: ``docfetch --version`` and a cached ``docfetch rfc:791 | ...`` against ``python -c pass``.

Both are answered by docfetch's fast paths (``docfetch/__main__.py``, ``docfetch/fastpath.py``)
without typer, pluggy or requests, so they should cost little more than the interpreter itself.
The cache is filled once from a local mirror server, which is then shut down: the measured runs
cannot touch the network. Timed with hyperfine when installed (in rounds, order rotated), else
with an interleaved subprocess loop; medians of about 30 runs each.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import _common as common
from _common import Command, Options, Result

NAME = "startup"
TITLE = "docfetch start-up"
VERSION_TARGET = 6.0
CACHED_TARGET = 3.0


def _fill_cache(env: dict[str, str], body: bytes) -> None:
    """Fetch rfc:791 once into the cache of ``env`` from a throw-away local mirror."""
    from docfetch.testing import FakeWeb

    common.like_real_servers()
    with FakeWeb(https=False) as web:
        web.add_file("127.0.0.1", "/rfcs/rfc791.txt", body)
        argv = [str(common.docfetch_script()), "-q", "-s", "mirror", "rfc:791"]
        fill_env = dict(env, DOCFETCH_MIRRORS=web.local_url("/rfcs/"))
        result = subprocess.run(argv, env=fill_env, capture_output=True, timeout=60, check=False)
        if result.returncode != 0 or result.stdout != body:
            raise RuntimeError(f"could not fill the cache: {result.stderr.decode(errors='replace')}")


def run(options: Options) -> list[Result]:
    """Measure and compare; returns the report lines."""
    body, origin = common.rfc791()
    script = str(common.docfetch_script())
    python = common.script_python()
    runs = options.runs(30, 9)
    with common.scratch() as tmp:
        env = common.clean_environment(Path(tmp))
        common.log(f"startup: filling the cache ({origin})")
        _fill_cache(env, body)
        commands = {
            "python -c pass": [python, "-c", "pass"],
            "docfetch --version": [script, "--version"],
            "docfetch rfc:791 (cached)": [script, "rfc:791"],
        }
        # One checked run of each: right output, right exit code, cache really used.
        from docfetch import __version__

        checks = {
            "python -c pass": None,
            "docfetch --version": common.same_stdout(f"docfetch {__version__}\n".encode()),
            "docfetch rfc:791 (cached)": common.same_stdout(body),
        }
        for label, argv in commands.items():
            common.run_once(Command(argv, env, checks[label]))
        if options.hyperfine and common.hyperfine_available():
            tool = "hyperfine"
            common.log(f"startup: hyperfine, {runs} runs of each, 3 rounds")
            times = common.hyperfine_interleaved(commands, env, runs)
        else:
            tool = "subprocess loop"
            common.log(f"startup: subprocess loop, {runs} runs of each, interleaved")
            times = common.interleaved({k: (lambda _i, a=v: Command(a, env)) for k, v in commands.items()}, runs)
    base = common.median_ms(times["python -c pass"])
    results = []
    for label, target, what in (
        ("docfetch --version", VERSION_TARGET, "--version"),
        ("docfetch rfc:791 (cached)", CACHED_TARGET, "rfc:791 cached, to a pipe"),
    ):
        value = common.median_ms(times[label])
        ratio = value / base
        results.append(
            Result(
                benchmark="start-up",
                case=what,
                docfetch=f"{value:.1f} ms",
                peer=f"python -c pass {base:.1f} ms",
                comparison=f"{ratio:.2f}x",
                target=f"<= {target:g}x",
                passed=ratio <= target,
                note=(
                    f"median of {len(times[label])} runs ({tool}); docfetch {common.spread_ms(times[label])}, "
                    f"python {common.spread_ms(times['python -c pass'])}"
                    + ("; document: " + origin if "cached" in label else "")
                ),
            )
        )
    return results


if __name__ == "__main__":
    common.ensure_interpreter()
    sys.exit(common.main_for(NAME, TITLE, run))
