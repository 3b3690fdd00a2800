"""Shared plumbing for the benchmarks: interpreter, environment, timing, documents, reports.

Every benchmark module exposes ``run(options) -> list[Result]`` and can be run alone
(``python benchmarks/bench_startup.py``); ``benchmarks/run_all.py`` runs them all in one go.
Servers are always local (``docfetch.testing`` on 127.0.0.1); nothing here touches the network.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
#: Real published documents, when the project's sibling ``shared/`` directory is there.
CORPUS = Path(os.environ.get("DOCFETCH_CORPUS", REPO.parent / "shared" / "corpus"))

#: Variables that would send a client through a proxy or make it trust other CAs.
_NETWORK_VARIABLES = frozenset(
    name for base in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY") for name in (base, base.lower())
) | frozenset(
    {"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR", "AWS_CA_BUNDLE", "NIX_SSL_CERT_FILE"}
)

Status = bool | None  # True: PASS, False: FAIL, None: informative or skipped
#: A check of a finished command: None when it did its job, else what is wrong.
Check = Callable[[subprocess.CompletedProcess[bytes]], str | None]


# -- the interpreter and the command under test ----------------------------------------------


def ensure_interpreter() -> None:
    """Re-run this script under the project's ``.venv`` when the current Python has no docfetch.

    ``python benchmarks/run_all.py`` from a shell where the venv is not active must still
    measure the installed console script and import ``docfetch.testing``.
    """
    if (Path(sys.executable).parent / "docfetch").exists():
        return
    venv_python = REPO / ".venv" / "bin" / "python"
    if venv_python.exists() and os.environ.get("DOCFETCH_BENCH_REEXEC") != "1":
        env = dict(os.environ, DOCFETCH_BENCH_REEXEC="1")
        os.execve(str(venv_python), [str(venv_python), *sys.argv], env)
    if str(REPO) not in sys.path:  # no venv: at least import docfetch from the checkout
        sys.path.insert(0, str(REPO))


def docfetch_script() -> Path:
    """The installed ``docfetch`` console script (next to the interpreter, else on PATH)."""
    beside = Path(sys.executable).parent / "docfetch"
    if beside.exists():
        return beside
    found = shutil.which("docfetch")
    if found:
        return Path(found)
    raise SystemExit("benchmarks: no installed docfetch console script (pip install -e . first)")


def script_python() -> str:
    """The interpreter the console script runs with (its shebang), for a fair ``python -c pass``."""
    first = docfetch_script().read_bytes().split(b"\n", 1)[0].decode()
    if first.startswith("#!"):
        words = shlex.split(first[2:])
        if words and Path(words[0]).exists() and not words[0].endswith("/env"):
            return words[0]
    return sys.executable


#: What the docfetch command imports: byte-compiled before any timing, as ``pip install`` does.
PACKAGES = ("docfetch", "docfetch_rfc_editor", "docfetch_mirror", "docfetch_iana")

_COMPILE = """
import compileall, importlib.util, os, sys
for name in sys.argv[1:]:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        continue
    if spec.submodule_search_locations:
        compileall.compile_dir(os.path.dirname(spec.origin), quiet=1)
    else:
        compileall.compile_file(spec.origin, quiet=1)
"""


def byte_compile_docfetch() -> None:
    """Write the .pyc files of docfetch and its plugins, where the command imports them from.

    ``pip install .`` byte-compiles what it installs, so a user's docfetch loads .pyc files. An
    editable install (``pip install -e``, the developer's setup) writes them on first import,
    except under ``PYTHONDONTWRITEBYTECODE=1`` (set on these machines): there, every run would
    compile docfetch's source again, about 20 ms that no installed copy pays.
    """
    subprocess.run([script_python(), "-c", _COMPILE, *PACKAGES], check=False, capture_output=True)


def clean_environment(tmp: Path, **extra: str) -> dict[str, str]:
    """The machine's environment minus proxies, CA bundles and ``DOCFETCH_*``; cache/config under ``tmp``."""
    env = {k: v for k, v in os.environ.items() if k not in _NETWORK_VARIABLES and not k.startswith("DOCFETCH_")}
    for sub in ("cache", "xdg-config", "xdg-cache"):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
    env.update(
        DOCFETCH_CACHE_DIR=str(tmp / "cache"),
        DOCFETCH_CONFIG=str(tmp / "no-such-config.toml"),
        XDG_CONFIG_HOME=str(tmp / "xdg-config"),
        XDG_CACHE_HOME=str(tmp / "xdg-cache"),
    )
    env.update(extra)
    return env


@contextmanager
def scratch(prefix: str = "docfetch-bench-") -> Iterator[Path]:
    """A temporary directory, removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        rmtree(path)


def rmtree(path: Path) -> None:
    """Remove a directory tree, quietly."""
    shutil.rmtree(path, ignore_errors=True)


def like_real_servers() -> None:
    """Make the kit's local servers send small writes at once (``TCP_NODELAY``), as real ones do.

    The kit's handlers write the headers and the body in two ``send`` calls with Nagle's
    algorithm on; on a reused (keep-alive) connection the body then waits for the client's
    delayed ACK, about 40 ms per request on Linux. nginx and the CDNs in front of the IETF
    sites set ``TCP_NODELAY``; without it a bulk benchmark measures that stall, not the client.
    """
    from docfetch.testing import _handler, proxy

    _handler.Handler.disable_nagle_algorithm = True
    proxy._ProxyHandler.disable_nagle_algorithm = True


# -- documents -------------------------------------------------------------------------------


def synthetic_rfc(number: int, size: int) -> bytes:
    """A plain-text document that looks like an RFC, exactly ``size`` bytes, unique to ``number``."""
    header = (
        f"Network Working Group{'':>40}Synthetic Benchmark\n"
        f"Request for Comments: {number}{'':>30}docfetch benchmarks\n\n"
        f"{'A Document Made Up For Benchmarking':^72}\n\n"
    ).encode()
    line_no = 0
    lines: list[bytes] = [header]
    total = len(header)
    while total < size:
        line_no += 1
        line = f"   {number:>5}.{line_no:<7} The quick brown fox jumps over the lazy dog, twice over.\n".encode()
        lines.append(line)
        total += len(line)
    return b"".join(lines)[:size]


def big_document(size: int) -> bytes:
    """A large text document built from a repeated 1 MiB block (quick to make, ``size`` bytes)."""
    block = synthetic_rfc(99999, 1024 * 1024)
    count, rest = divmod(size, len(block))
    return block * count + block[:rest]


def rfc791() -> tuple[bytes, str]:
    """RFC 791 as published (from the corpus) or a synthetic stand-in of the same size; and where from."""
    path = CORPUS / "rfc" / "txt" / "rfc791.txt"
    if path.is_file():
        return path.read_bytes(), f"corpus {path.name}"
    return synthetic_rfc(791, 97_779), "synthetic (no ../shared/corpus)"


def rfc791_metadata() -> tuple[bytes, str]:
    """RFC 791's per-RFC JSON (from the corpus) or a minimal legacy-shaped stand-in; and where from."""
    path = CORPUS / "rfc" / "json" / "rfc791.json"
    if path.is_file():
        return path.read_bytes(), f"corpus {path.name}"
    stand_in = {"doc_id": "RFC0791", "title": "Internet Protocol", "obsoleted_by": [], "updated_by": ["RFC1349"]}
    return json.dumps(stand_in).encode(), "synthetic (no ../shared/corpus)"


# -- timing ----------------------------------------------------------------------------------


def same_stdout(expected: bytes) -> Check:
    """A check that the command printed exactly ``expected``."""

    def check(result: subprocess.CompletedProcess[bytes]) -> str | None:
        return None if result.stdout == expected else f"wrong output ({len(result.stdout)} bytes)"

    return check


@dataclass
class Command:
    """One command to time: its argv, its environment and a check of what it did."""

    argv: list[str]
    env: dict[str, str]
    check: Check | None = None

    def display(self) -> str:
        return shlex.join(self.argv)


def run_once(command: Command, *, timeout: float = 120.0) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    """Run a command with stdout to a pipe (drained); return wall seconds and the result."""
    start = time.perf_counter()
    result = subprocess.run(command.argv, env=command.env, capture_output=True, timeout=timeout, check=False)
    elapsed = time.perf_counter() - start
    problem = f"exit {result.returncode}" if result.returncode != 0 else None
    if problem is None and command.check is not None:
        problem = command.check(result)
    if problem:
        stderr = result.stderr.decode(errors="replace").strip()[-500:]
        raise RuntimeError(f"{command.display()}: {problem}\n{stderr}")
    return elapsed, result


@dataclass
class Run:
    """One measured run, as ``interleaved`` hands it to its ``after`` callback."""

    label: str
    index: int
    epoch: float  # time.time() just before the process started
    elapsed: float  # wall seconds until it exited
    result: subprocess.CompletedProcess[bytes]


def interleaved(
    commands: Mapping[str, Callable[[int], Command]],
    runs: int,
    *,
    warmup: int = 1,
    after: Callable[[Run], None] | None = None,
) -> dict[str, list[float]]:
    """Time every command ``runs`` times, one run of each in turn (order rotating), after warm-up.

    ``commands`` maps a label to a factory called with the run index, so each run may get a
    fresh cache directory; ``after`` sees each measured run (e.g. to count requests).
    """
    labels = list(commands)
    for _ in range(warmup):
        for label in labels:
            run_once(commands[label](-1))
    times: dict[str, list[float]] = {label: [] for label in labels}
    for index in range(runs):
        shift = index % len(labels)
        for label in labels[shift:] + labels[:shift]:
            command = commands[label](index)
            epoch = time.time()
            elapsed, result = run_once(command)
            times[label].append(elapsed)
            if after is not None:
                after(Run(label, index, epoch, elapsed, result))
    return times


@dataclass
class Phases:
    """Where a client's wall time went, seen from the server's request log (seconds)."""

    before_first: float  # start-up: process start to the first request arriving
    requests: float  # first request to last request
    after_last: float  # last request to the process exit (last response, writing, exiting)
    count: int

    @classmethod
    def of(cls, run: Run, request_times: Sequence[float]) -> Phases:
        """Split ``run`` by the times its requests reached the server."""
        if not request_times:
            return cls(run.elapsed, 0.0, 0.0, 0)
        first, last = min(request_times), max(request_times)
        return cls(first - run.epoch, last - first, run.epoch + run.elapsed - last, len(request_times))


def median_phases(phases: Sequence[Phases]) -> str:
    """``start-up X ms, requests Y ms, after the last Z ms`` (medians), for the notes."""

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:.0f} ms"

    return (
        f"first request after {ms([p.before_first for p in phases])}, "
        f"requests over {ms([p.requests for p in phases])}, "
        f"exit {ms([p.after_last for p in phases])} after the last request"
    )


def hyperfine_available() -> bool:
    """True when hyperfine is installed (``apt-get install hyperfine``)."""
    return shutil.which("hyperfine") is not None


def hyperfine_interleaved(
    commands: Mapping[str, list[str]], env: dict[str, str], runs: int, *, rounds: int = 3, warmup: int = 3
) -> dict[str, list[float]]:
    """Per-run wall times from hyperfine, in ``rounds`` blocks with the command order rotated.

    hyperfine runs each command's runs back to back; splitting them into rounds interleaves
    the commands coarsely, so a slow patch of the machine does not land on one command only.
    Output goes to a pipe (``--output=pipe``), as it would for ``docfetch rfc:791 | less``.
    """
    labels = list(commands)
    per_round = max(1, runs // rounds)
    times: dict[str, list[float]] = {label: [] for label in labels}
    with scratch("docfetch-hyperfine-") as tmp:
        for index in range(rounds):
            order = labels[index % len(labels) :] + labels[: index % len(labels)]
            export = tmp / f"round{index}.json"
            argv = ["hyperfine", "-N", "--style", "none", "--output", "pipe"]
            argv += ["--warmup", str(warmup), "--runs", str(per_round), "--export-json", str(export)]
            argv += [shlex.join(commands[label]) for label in order]
            subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
            for label, entry in zip(order, json.loads(export.read_text())["results"], strict=True):
                if any(code != 0 for code in entry.get("exit_codes", [])):
                    raise RuntimeError(f"{shlex.join(commands[label])}: failed under hyperfine")
                times[label].extend(entry["times"])
    return times


def median_ms(values: Sequence[float]) -> float:
    """The median of seconds, in milliseconds."""
    return statistics.median(values) * 1000


def spread_ms(values: Sequence[float]) -> str:
    """``min-max`` in milliseconds, for the notes."""
    return f"{min(values) * 1000:.0f}-{max(values) * 1000:.0f} ms"


# -- results and reports ---------------------------------------------------------------------


@dataclass
class Result:
    """One line of the report: docfetch's figure, the peer's, how they compare, and the verdict."""

    benchmark: str
    case: str
    docfetch: str
    peer: str
    comparison: str
    target: str
    passed: Status
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.passed is None:
            return "SKIP" if self.docfetch == "-" else "info"
        return "PASS" if self.passed else "FAIL"


@dataclass
class Options:
    """Command-line options shared by every benchmark."""

    strict: bool = False
    quick: bool = False
    hyperfine: bool = True

    def runs(self, normal: int, quick: int) -> int:
        """How many measured runs: ``normal``, or ``quick`` with ``--quick``."""
        return quick if self.quick else normal


COLUMNS = ("benchmark", "case", "docfetch", "peer", "comparison", "target", "verdict")


def markdown_table(results: Sequence[Result]) -> str:
    """The results as a Markdown table (notes as a list below it)."""
    header = "| " + " | ".join(COLUMNS) + " |"
    rule = "|" + "|".join(["---"] * 4 + ["---:", "---", "---"]) + "|"
    rows = ["| " + " | ".join(str(getattr(r, c)).replace("|", "\\|") for c in COLUMNS) + " |" for r in results]
    notes = [f"- **{r.benchmark} / {r.case}**: {r.note}" for r in results if r.note]
    return "\n".join([header, rule, *rows]) + ("\n\nNotes:\n\n" + "\n".join(notes) if notes else "") + "\n"


def text_table(results: Sequence[Result]) -> str:
    """The results as an aligned plain-text table for the terminal."""
    cells = [list(COLUMNS)] + [[str(getattr(r, c)) for c in COLUMNS] for r in results]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def environment_summary() -> str:
    """Where the figures were taken: machine, interpreter, tool versions."""
    from docfetch import __version__

    def version(argv: list[str]) -> str:
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False).stdout
        except OSError:
            return "not installed"
        return out.splitlines()[0] if out else "not installed"

    return "\n".join(
        [
            f"- date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}",
            f"- machine: {platform.platform()}, {os.cpu_count()} CPUs, load average at the end "
            + " ".join(f"{load:.1f}" for load in os.getloadavg()),
            f"- python: {platform.python_version()} ({script_python()})",
            f"- docfetch: {__version__} ({docfetch_script()})",
            f"- hyperfine: {version(['hyperfine', '--version']) if hyperfine_available() else 'not installed'}",
            f"- curl: {version(['curl', '--version'])}",
            f"- corpus: {CORPUS if CORPUS.is_dir() else 'absent (synthetic documents)'}",
        ]
    )


def write_report(name: str, results: Sequence[Result], elapsed: float, title: str) -> Path:
    """Write ``benchmarks/results/<name>.md`` and return its path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.md"
    body = [
        f"# {title}",
        "",
        "Generated by `python benchmarks/run_all.py`; every server is local (127.0.0.1).",
        "",
        markdown_table(results),
        "Environment:",
        "",
        environment_summary(),
        f"- wall time of this run: {elapsed:.0f} s",
        "",
    ]
    path.write_text("\n".join(body))
    return path


def parse_options(description: str, argv: Sequence[str] | None = None) -> Options:
    """The flags every benchmark takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--quick", action="store_true", help="fewer runs (a smoke test, noisier figures)")
    parser.add_argument("--no-hyperfine", action="store_true", help="time start-up with a subprocess loop")
    args = parser.parse_args(argv)
    return Options(strict=args.strict, quick=args.quick, hyperfine=not args.no_hyperfine)


def finish(results: Sequence[Result], options: Options, name: str, title: str, started: float) -> int:
    """Print the table, write the report, and return the exit code (non-zero only with --strict)."""
    print()
    print(text_table(results))
    for result in results:
        if result.note:
            print(f"  * {result.benchmark} / {result.case}: {result.note}")
    path = write_report(name, results, time.perf_counter() - started, title)
    print(f"\nreport: {path}")
    failed = [r for r in results if r.passed is False]
    if failed:
        print(f"{len(failed)} target(s) missed: " + ", ".join(f"{r.benchmark} / {r.case}" for r in failed))
    return 1 if failed and options.strict else 0


def main_for(name: str, title: str, run: Callable[[Options], list[Result]], argv: Sequence[str] | None = None) -> int:
    """Run one benchmark as a script."""
    options = parse_options(title, argv)
    byte_compile_docfetch()
    started = time.perf_counter()
    return finish(run(options), options, name, title, started)


def log(message: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)
