"""Bulk: ``docfetch -j 8 -O DIR rfc:1-300`` from the default source against ``curl --parallel --parallel-max 8``.

300 synthetic RFCs (3 to 60 KB each, unique bodies) published by the kit's IETF world (the
RFC Editor forcing gzip, ``www.ietf.org/rfc/`` redirecting there with a 301), reached through
the kit's HTTPS proxy with its CA; the server sleeps 50 ms before every response. docfetch uses
its default source and default URLs (``https://www.ietf.org/rfc/rfcN.txt``), each run from a
copy of a cache where one earlier ``docfetch rfc:9999`` learned the redirect; curl gets the
URLs where the documents are (``https://www.rfc-editor.org/rfc/rfcN.txt``, ``--compressed``,
``-o DIR/rfcN.txt`` each), 8 transfers at a time, through the same proxy.
Runs alternate; both outputs are checked byte for byte and every request is counted.
Target: docfetch within 1.1x curl.

Context (no verdict): the very first run (an empty cache: the first 8 documents take the
redirect); the same 300 documents from a plain-HTTP mirror (``-s mirror``) against curl on the
mirror's URLs.
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
TARGET = 1.1


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


def _pair(
    web: object,
    tmp: Path,
    label: str,
    docfetch_argv: list[str],
    docfetch_env: dict[str, str],
    curl_urls: list[str],
    curl_env: dict[str, str],
    curl_options: list[str],
    expected: Counter[str],
    runs: int,
    state: Path | None = None,
) -> tuple[dict[str, list[float]], dict[str, Counter[int]], dict[str, list[common.Phases]]]:
    """Time docfetch and curl alternately; return their times, request counts and phases.

    ``state``: a cache directory each docfetch run starts from a copy of (else an empty one).
    """
    requests: dict[str, Counter[int]] = {"docfetch": Counter(), "curl": Counter()}
    phases: dict[str, list[common.Phases]] = {"docfetch": [], "curl": []}

    def docfetch(index: int) -> Command:
        work = tmp / f"{label}-docfetch-{index}"
        common.rmtree(work)
        env = dict(docfetch_env, **{k: v for k, v in common.clean_environment(work).items() if k.startswith("DOC")})
        env.update({k: v for k, v in docfetch_env.items() if k == "DOCFETCH_MIRRORS"})
        if state is not None:
            common.rmtree(Path(env["DOCFETCH_CACHE_DIR"]))
            shutil.copytree(state, env["DOCFETCH_CACHE_DIR"])
        out = work / "out"
        web.clear_log()  # type: ignore[attr-defined]
        return Command([*docfetch_argv, "-O", str(out), f"rfc:1-{COUNT}"], env, _check_dir(out, expected))

    def curl(index: int) -> Command:
        out = tmp / f"{label}-curl-{index}"
        common.rmtree(out)
        out.mkdir(parents=True)
        argv = ["curl", "--silent", "--show-error", "--fail", "--parallel", "--parallel-max", str(JOBS), *curl_options]
        for number, url in enumerate(curl_urls, 1):
            argv += ["-o", str(out / f"rfc{number}.txt"), url]
        web.clear_log()  # type: ignore[attr-defined]
        return Command(argv, curl_env, _check_dir(out, expected))

    def after(run: common.Run) -> None:
        log = web.requests  # type: ignore[attr-defined]
        requests[run.label][len(log)] += 1
        phases[run.label].append(common.Phases.of(run, [r.time for r in log]))

    times = common.interleaved({"docfetch": docfetch, "curl": curl}, runs, warmup=0, after=after)
    return times, requests, phases


def _result(case: str, target: float | None, runs: int, measured: tuple) -> Result:  # type: ignore[type-arg]
    times, requests, phases = measured
    mine, theirs = common.median_ms(times["docfetch"]), common.median_ms(times["curl"])
    ratio = mine / theirs
    ideal = COUNT / JOBS * LATENCY * 1000

    def counts(label: str) -> str:
        return "/".join(str(n) for n in sorted(requests[label]))

    return Result(
        benchmark="bulk",
        case=case,
        docfetch=f"{mine / 1000:.2f} s",
        peer=f"curl --parallel {theirs / 1000:.2f} s",
        comparison=f"{ratio:.2f}x",
        target=f"<= {target:g}x" if target is not None else "context",
        passed=ratio <= target if target is not None else None,
        note=(
            f"median of {runs} alternating run(s), each from its own cache; {LATENCY * 1000:.0f} ms per request "
            f"(floor {COUNT}/{JOBS} x {LATENCY * 1000:.0f} ms = {ideal / 1000:.2f} s); requests per run: "
            f"docfetch {counts('docfetch')}, curl {counts('curl')}; "
            f"docfetch: {common.median_phases(phases['docfetch'])}; curl: {common.median_phases(phases['curl'])}; "
            f"spread docfetch {common.spread_ms(times['docfetch'])}, curl {common.spread_ms(times['curl'])}"
        ),
    )


def run(options: Options) -> list[Result]:
    """Time both tools on the same 300 documents, from the default source then a mirror."""
    from docfetch.testing import FakeWeb, ForwardProxy, IetfWorld

    common.like_real_servers()
    case = f"{COUNT} RFCs, -j {JOBS}, default source (www.ietf.org, 301 to the RFC Editor), HTTPS proxy"
    target = f"<= {TARGET:g}x"
    if shutil.which("curl") is None:
        return [Result("bulk", case, "-", "-", "-", target, None, "skipped: curl is not installed")]
    if not _has_bulk_flags():
        return [Result("bulk", case, "-", "-", "-", target, None, "skipped: this docfetch has no -O/-j yet")]
    script = str(common.docfetch_script())
    runs = options.runs(3, 1)
    docs = _documents()
    expected = Counter(hashlib.sha256(body).hexdigest() for body in docs.values())
    results: list[Result] = []
    with common.scratch() as tmp, FakeWeb(https=True) as web, ForwardProxy(web) as proxy:
        world = IetfWorld(web)
        for number, body in docs.items():
            world.add_rfc(number, body)
        mirror = world.serve_mirror()
        base = common.clean_environment(tmp)
        kit = dict(base, HTTPS_PROXY=proxy.url, HTTP_PROXY=proxy.url, REQUESTS_CA_BUNDLE=web.ca_path)
        used = tmp / "state-used-before"  # what one earlier fetch leaves: the learned redirect
        world.add_rfc(9999, common.synthetic_rfc(9999, 5_000))
        common.run_once(Command([script, "-q", "rfc:9999"], dict(kit, DOCFETCH_CACHE_DIR=str(used))))
        web.latency = LATENCY
        curl_urls = [world.rfc_url(n) for n in docs]
        curl_options = ["--compressed", "--cacert", web.ca_path]
        argv = [script, "-q", "-j", str(JOBS)]
        common.log(f"bulk: {COUNT} documents, default source, used before, {runs} run(s) each")
        measured = _pair(web, tmp, "used", argv, kit, curl_urls, kit, curl_options, expected, runs, used)
        results.append(_result(case + ", docfetch used before (a learned redirect)", TARGET, runs, measured))
        common.log(f"bulk (context): {COUNT} documents, default source, the very first run, {runs} run(s) each")
        measured = _pair(web, tmp, "first", argv, kit, curl_urls, kit, curl_options, expected, runs)
        results.append(_result("context: the same, the very first run (empty cache)", None, runs, measured))
        common.log(f"bulk (context): {COUNT} documents from a plain-HTTP mirror, {runs} run(s) each")
        measured = _pair(
            web,
            tmp,
            "mirror",
            [script, "-q", "-s", "mirror", "-j", str(JOBS)],
            dict(base, DOCFETCH_MIRRORS=mirror),
            [f"{mirror}rfc{n}.txt" for n in docs],
            base,
            [],
            expected,
            runs,
        )
        results.append(_result(f"context: {COUNT} RFCs, -j {JOBS}, -s mirror over plain HTTP", None, runs, measured))
    return results


if __name__ == "__main__":
    common.ensure_interpreter()
    sys.exit(common.main_for(NAME, TITLE, run))
