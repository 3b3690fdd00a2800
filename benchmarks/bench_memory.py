"""Streaming memory: a 200 MiB document costs (almost) no more peak RSS than a 100 KB one.

A local plain-HTTP mirror serves both documents (generated on the fly); docfetch fetches each
with a fresh cache to a file (``-o``) and to a pipe this script drains, with
``--max-size 300M`` (the default cap is 64 MiB). The child's peak RSS is its ``ru_maxrss``,
taken by a small launcher (GNU time, else ``peers/maxrss.py``). Target: big minus small
< 30 MB in both modes.
"""

from __future__ import annotations

import hashlib
import statistics
import subprocess
import sys
from pathlib import Path

import _common as common
from _common import Options, Result

NAME = "memory"
TITLE = "docfetch streaming memory"
BIG = 200 * 1024 * 1024
SMALL = 100 * 1024
TARGET_MB = 30.0
GNU_TIME = Path("/usr/bin/time")


def _launcher(report: Path) -> list[str]:
    """The command prefix that runs a command and writes its peak RSS (KiB) to ``report``.

    The measured command must not be forked from this process: Linux carries the parent's
    memory high-water mark (the 200 MiB body held by the server) into the child's
    ``ru_maxrss``. GNU time is the smallest launcher; ``peers/maxrss.py`` stands in for it.
    """
    if GNU_TIME.exists():
        return [str(GNU_TIME), "-f", "%M", "-o", str(report)]
    return [common.script_python(), str(common.BENCH_DIR / "peers" / "maxrss.py"), str(report)]


def _peak_rss(argv: list[str], env: dict[str, str], *, to_pipe: bool, work: Path) -> tuple[float, str]:
    """Run ``argv``; return its peak RSS in MB (10^6 bytes) and the SHA-256 of what it printed."""
    digest = hashlib.sha256()
    report, stderr_path = work / "maxrss", work / "stderr"
    with open(stderr_path, "wb") as errors:
        proc = subprocess.Popen(
            [*_launcher(report), *argv],
            env=env,
            stdout=subprocess.PIPE if to_pipe else subprocess.DEVNULL,
            stderr=errors,
        )
        if to_pipe:
            assert proc.stdout is not None
            while chunk := proc.stdout.read(1024 * 1024):
                digest.update(chunk)
            proc.stdout.close()
        code = proc.wait(timeout=300)
    if code != 0:
        raise RuntimeError(f"{' '.join(argv)}: exit {code}: {stderr_path.read_text(errors='replace')[-500:]}")
    kib = int(report.read_text().split()[-1])
    return kib * 1024 / 1e6, digest.hexdigest()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def run(options: Options) -> list[Result]:
    """Measure both modes for both sizes; returns the report lines."""
    from docfetch.testing import FakeWeb

    common.like_real_servers()
    script = str(common.docfetch_script())
    runs = options.runs(3, 1)
    common.log(f"memory: generating a {BIG // 2**20} MiB document")
    docs = {"small": common.synthetic_rfc(1, SMALL), "big": common.big_document(BIG)}
    digests = {size: hashlib.sha256(body).hexdigest() for size, body in docs.items()}
    numbers = {"small": 1, "big": 2}
    peaks: dict[tuple[str, str], list[float]] = {}
    with common.scratch() as tmp, FakeWeb(https=False) as web:
        for size, body in docs.items():
            web.add_file("127.0.0.1", f"/rfcs/rfc{numbers[size]}.txt", body, etag=False)
        mirror = web.local_url("/rfcs/")
        for index in range(runs):
            for mode in ("file", "pipe"):
                for size in ("small", "big"):
                    common.log(f"memory: {size} document to a {mode}, run {index + 1} of {runs}")
                    work = tmp / f"{mode}-{size}-{index}"
                    env = common.clean_environment(work, DOCFETCH_MIRRORS=mirror)
                    argv = [script, "-q", "-s", "mirror", "--max-size", "300M", f"rfc:{numbers[size]}"]
                    out = work / "out.txt"
                    if mode == "file":
                        argv += ["-o", str(out)]
                    peak, printed = _peak_rss(argv, env, to_pipe=mode == "pipe", work=work)
                    got = _file_digest(out) if mode == "file" else printed
                    if got != digests[size]:
                        raise RuntimeError(f"{size} document to a {mode}: wrong bytes")
                    peaks.setdefault((mode, size), []).append(peak)
                    common.rmtree(work)
    results = []
    for mode, what in (("file", "200 MiB to a file (-o)"), ("pipe", "200 MiB to a pipe")):
        big = statistics.median(peaks[(mode, "big")])
        small = statistics.median(peaks[(mode, "small")])
        extra = big - small
        results.append(
            Result(
                benchmark="memory",
                case=what,
                docfetch=f"{big:.1f} MB peak",
                peer=f"100 KB: {small:.1f} MB peak",
                comparison=f"{extra:+.1f} MB",
                target=f"< +{TARGET_MB:g} MB",
                passed=extra < TARGET_MB,
                note=f"median peak RSS (ru_maxrss) of {runs} run(s), fresh cache each; "
                f"all {runs} big: {', '.join(f'{p:.1f}' for p in peaks[(mode, 'big')])} MB",
            )
        )
    return results


if __name__ == "__main__":
    common.ensure_interpreter()
    sys.exit(common.main_for(NAME, TITLE, run))
