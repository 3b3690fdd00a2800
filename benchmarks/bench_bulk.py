"""Bulk: ``docfetch -j 8 -O DIR rfc:1-300`` against ``curl --parallel --parallel-max 8``.

300 synthetic RFCs (3 to 60 KB each, unique bodies) on a local plain-HTTP mirror that sleeps
50 ms before every response. docfetch uses the mirror source
(``DOCFETCH_MIRRORS=http://127.0.0.1:PORT/rfcs/``) with a fresh cache; curl gets the same 300
URLs with ``-o DIR/rfcN.txt`` each, 8 transfers at a time. Runs alternate; both outputs are
checked byte for byte and every request is counted. Target: docfetch within 1.2x curl.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import _common as common
from _common import Command, Options, Result

NAME = "bulk"
TITLE = "docfetch bulk download"
COUNT = 300
JOBS = 8
LATENCY = 0.05
TARGET = 1.2


def _documents() -> dict[int, bytes]:
    """RFC 1 to 300, sizes spread like real RFC texts (3 to 60 KB), each body unique."""
    return {n: common.synthetic_rfc(n, 3_000 + (n * 7919) % 57_000) for n in range(1, COUNT + 1)}


def _has_bulk_flags() -> bool:
    """True when this docfetch has ``-O/--output-dir`` and ``-j/--jobs``."""
    result = subprocess.run(
        [str(common.docfetch_script()), "fetch", "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    return "--output-dir" in result.stdout and "--jobs" in result.stdout


def _check_dir(directory: Path, expected: Counter[str]) -> common.Check:
    """A check that ``directory`` holds exactly the expected bodies (by SHA-256), whatever their names."""

    def check(_result: subprocess.CompletedProcess[bytes]) -> str | None:
        found = Counter(hashlib.sha256(p.read_bytes()).hexdigest() for p in directory.iterdir() if p.is_file())
        if found != expected:
            wrong = sum((expected - found).values())
            return f"{directory}: {sum(found.values())} files, {wrong} documents missing or wrong"
        return None

    return check


def run(options: Options) -> list[Result]:
    """Time both tools on the same 300 documents; returns the report line."""
    from docfetch.testing import FakeWeb

    common.like_real_servers()
    case = f"{COUNT} RFCs, -j {JOBS}, mirror over plain HTTP"
    target = f"<= {TARGET:g}x"
    if shutil.which("curl") is None:
        return [Result("bulk", case, "-", "-", "-", target, None, "skipped: curl is not installed")]
    if not _has_bulk_flags():
        return [Result("bulk", case, "-", "-", "-", target, None, "skipped: this docfetch has no -O/-j yet")]
    script = str(common.docfetch_script())
    runs = options.runs(3, 1)
    docs = _documents()
    expected = Counter(hashlib.sha256(body).hexdigest() for body in docs.values())
    requests: dict[str, Counter[int]] = {"docfetch": Counter(), "curl": Counter()}
    phases: dict[str, list[common.Phases]] = {"docfetch": [], "curl": []}
    with common.scratch() as tmp, FakeWeb(https=False) as web:
        for number, body in docs.items():
            web.add_file("127.0.0.1", f"/rfcs/rfc{number}.txt", body)
        mirror = web.local_url("/rfcs/")
        base_env = common.clean_environment(tmp)

        def docfetch(index: int) -> Command:
            work = tmp / f"docfetch-{index}"
            common.rmtree(work)
            env = common.clean_environment(work, DOCFETCH_MIRRORS=mirror)
            out = work / "out"
            argv = [script, "-q", "-s", "mirror", "-j", str(JOBS), "-O", str(out), f"rfc:1-{COUNT}"]
            web.clear_log()
            return Command(argv, env, _check_dir(out, expected))

        def curl(index: int) -> Command:
            out = tmp / f"curl-{index}"
            common.rmtree(out)
            out.mkdir(parents=True)
            argv = ["curl", "--silent", "--show-error", "--fail", "--parallel", "--parallel-max", str(JOBS)]
            for number in docs:
                argv += ["-o", str(out / f"rfc{number}.txt"), f"{mirror}rfc{number}.txt"]
            web.clear_log()
            return Command(argv, base_env, _check_dir(out, expected))

        def after(run: common.Run) -> None:
            log = web.requests
            requests[run.label][len(log)] += 1
            phases[run.label].append(common.Phases.of(run, [r.time for r in log]))

        common.log(f"bulk: {COUNT} documents, {LATENCY * 1000:.0f} ms per request, {runs} run(s) of each")
        web.latency = LATENCY
        times = common.interleaved({"docfetch": docfetch, "curl": curl}, runs, warmup=0, after=after)
    mine, theirs = common.median_ms(times["docfetch"]), common.median_ms(times["curl"])
    ratio = mine / theirs
    ideal = COUNT / JOBS * LATENCY * 1000

    def counts(label: str) -> str:
        return "/".join(str(n) for n in sorted(requests[label]))

    return [
        Result(
            benchmark="bulk",
            case=case,
            docfetch=f"{mine / 1000:.2f} s",
            peer=f"curl --parallel {theirs / 1000:.2f} s",
            comparison=f"{ratio:.2f}x",
            target=target,
            passed=ratio <= TARGET,
            note=(
                f"median of {runs} alternating run(s), fresh cache each; {LATENCY * 1000:.0f} ms per request "
                f"(floor {COUNT}/{JOBS} x {LATENCY * 1000:.0f} ms = {ideal / 1000:.2f} s); requests per run: "
                f"docfetch {counts('docfetch')}, curl {counts('curl')}; "
                f"docfetch: {common.median_phases(phases['docfetch'])}; curl: {common.median_phases(phases['curl'])}; "
                f"spread docfetch {common.spread_ms(times['docfetch'])}, curl {common.spread_ms(times['curl'])}"
            ),
        )
    ]


if __name__ == "__main__":
    common.ensure_interpreter()
    sys.exit(common.main_for(NAME, TITLE, run))
