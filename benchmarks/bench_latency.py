"""Answers at the speed of the network (issue #11): first fetches, the note, ``info``, never-issued numbers.

Every server is the kit's (``docfetch.testing``: the IETF and RFC Editor sites laid out as the
real ones, ``www.ietf.org`` redirecting with a 301, gzip forced), reached through its HTTPS
forward proxy with its private CA, and 50 ms is added to every request (``FakeWeb.latency``),
as a far server costs a round trip. The peer is **curl**, given the same proxy and CA and
asked for the same thing in the same run; each docfetch run starts from its own cache
directory (a fresh copy of the state the case names), interleaved with the peer's runs.

Cases with a target:

- a document not yet cached, on a machine where docfetch has been used before (its cache holds
  what one earlier ``docfetch -q rfc:793`` left: the learned redirect), against
  ``curl -sL --compressed https://www.ietf.org/rfc/rfc791.txt``: <= 1.3x;
- the same on the very first run on the machine (an empty cache): <= 1.6x;
- the obsolescence note: ``docfetch rfc:791`` (which asks for the per-RFC JSON beside the
  document and never waits for it) against ``docfetch -q rfc:791`` (which asks for nothing
  but the document), both on a machine used before: <= 1.05x, no measurable cost;
- ``docfetch info rfc:791`` on an empty cache against one curl of the per-RFC JSON: <= 1.5x;
- ``docfetch rfc:14`` with the local index database: exit 3 and no request at all.

Context (no verdict): the first fetch when ``www.ietf.org`` answers 302 (a redirect HTTP does not
let a client keep: two round trips on every first fetch, for curl too), and one plain-HTTP
request to a mirror against a stdlib urllib script.

Every output is checked byte for byte and every request is counted in the server's log.
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import _common as common
from _common import Command, Options, Result

if TYPE_CHECKING:
    from docfetch.testing import FakeWeb

NAME = "latency"
TITLE = "docfetch first-fetch latency"
LATENCY = 0.05
USED_BEFORE_TARGET = 1.3
FIRST_RUN_TARGET = 1.6
NOTE_TARGET = 1.05
INFO_TARGET = 1.5
PEER_SCRIPT = common.BENCH_DIR / "peers" / "urllib_get.py"
IETF_URL = "https://www.ietf.org/rfc/rfc791.txt"
JSON_URL = "https://www.rfc-editor.org/rfc/rfc791.json"


def _check_output(expected: bytes, *, code: int = 0, stderr_in: tuple[bytes, ...] | None = None) -> common.Check:
    """A check of the exit code, stdout and (if given) stderr, one of ``stderr_in``."""

    def check(result: object) -> str | None:
        out, err, rc = result.stdout, result.stderr, result.returncode  # type: ignore[attr-defined]
        if rc != code:
            return f"exit {rc}, expected {code}"
        if out != expected:
            return f"wrong output ({len(out)} bytes)"
        if stderr_in is not None and err not in stderr_in:
            return f"wrong stderr {err[:200]!r}"
        return None

    return check


def _case(
    web: FakeWeb,
    label: str,
    docfetch: tuple[Command, Path | None],
    peer: tuple[Command, Path | None],
    tmp: Path,
    runs: int,
    peer_name: str,
    target: float | None,
) -> Result:
    """Time one pair (interleaved), each run from a copy of its cache template; count requests."""
    requests: dict[str, Counter[int]] = {"docfetch": Counter(), "peer": Counter()}
    chains: dict[str, list[str]] = {}
    phases: dict[str, list[common.Phases]] = {"docfetch": [], "peer": []}
    notes: Counter[str] = Counter()

    def factory(which: str, template: Command, state: Path | None) -> Callable[[int], Command]:
        def make(index: int) -> Command:
            cache = tmp / f"{label[:24]}-{which}-{index}".replace(" ", "_").replace("/", "_")
            common.rmtree(cache)
            if state is not None:
                shutil.copytree(state, cache)
            else:
                cache.mkdir(parents=True)
            web.clear_log()
            return Command(template.argv, dict(template.env, DOCFETCH_CACHE_DIR=str(cache)), template.check)

        return make

    def after(run: common.Run) -> None:
        log = web.requests
        requests[run.label][len(log)] += 1
        chains.setdefault(run.label, [f"{r.method} {r.url}" for r in log])
        phases[run.label].append(common.Phases.of(run, [r.time for r in log]))
        notes[run.label] += b"docfetch: note: " in run.result.stderr

    pair = {"docfetch": factory("docfetch", *docfetch), "peer": factory("peer", *peer)}
    times = common.interleaved(pair, runs, after=after)
    mine, theirs = common.median_ms(times["docfetch"]), common.median_ms(times["peer"])
    ratio = mine / theirs

    def counts(which: str) -> str:
        return "/".join(str(n) for n in sorted(requests[which]))

    note = (
        f"median of {runs} interleaved runs, {LATENCY * 1000:.0f} ms added per request; "
        f"requests per run: docfetch {counts('docfetch')} ({', '.join(chains['docfetch'])}), "
        f"peer {counts('peer')} ({', '.join(chains['peer'])}); docfetch costs {mine - theirs:+.0f} ms over the peer; "
        f"docfetch: {common.median_phases(phases['docfetch'])}; peer: {common.median_phases(phases['peer'])}; "
        f"spread docfetch {common.spread_ms(times['docfetch'])}, peer {common.spread_ms(times['peer'])}"
        + "".join(f"; obsolescence note shown by {w} in {notes[w]} of {runs} runs" for w in notes if notes[w])
    )
    return Result(
        benchmark="first fetch",
        case=label,
        docfetch=f"{mine:.0f} ms",
        peer=f"{peer_name} {theirs:.0f} ms",
        comparison=f"{ratio:.2f}x",
        target=f"<= {target:g}x" if target is not None else "context",
        passed=ratio <= target if target is not None else None,
        note=note,
    )


def _prepare(argv: list[str], env: dict[str, str], cache: Path) -> Path:
    """Run docfetch once into ``cache`` (a state each measured run starts from a copy of); returns ``cache``."""
    common.rmtree(cache)
    cache.mkdir(parents=True)
    common.run_once(Command(argv, dict(env, DOCFETCH_CACHE_DIR=str(cache))))
    return cache


def _never_issued(web: FakeWeb, script: str, env: dict[str, str], indexed: Path, runs: int) -> Result:
    """``docfetch rfc:14`` with the local index database: exit 3, no request; and how long it takes."""
    import statistics
    import subprocess
    import time

    cache = indexed.parent / "never-issued"
    common.rmtree(cache)
    shutil.copytree(indexed, cache)
    expected = b"docfetch: error: RFC 14 was never issued (the RFC index lists it as not issued)\n"
    times, asked = [], 0
    for _ in range(runs):
        web.clear_log()
        start = time.perf_counter()
        result = subprocess.run(
            [script, "rfc:14"], env=dict(env, DOCFETCH_CACHE_DIR=str(cache)), capture_output=True, check=False
        )
        times.append(time.perf_counter() - start)
        if (result.returncode, result.stdout, result.stderr) != (3, b"", expected):
            raise RuntimeError(f"docfetch rfc:14: exit {result.returncode}: {result.stderr[-300:]!r}")
        asked += len(web.requests)
    return Result(
        benchmark="never issued",
        case="rfc:14 with the local index database: exit 3, 'RFC 14 was never issued'",
        docfetch=f"{statistics.median(times) * 1000:.0f} ms",
        peer="-",
        comparison=f"{asked} requests",
        target="no request",
        passed=asked == 0,
        note=f"median of {runs} runs; requests over all {runs} runs: {asked}",
    )


def run(options: Options) -> list[Result]:
    """Measure every case; returns the report lines."""
    from docfetch.testing import FakeWeb, ForwardProxy, IetfWorld

    common.like_real_servers()

    body, origin = common.rfc791()
    metadata, _ = common.rfc791_metadata()
    script = str(common.docfetch_script())
    python = common.script_python()
    runs = options.runs(20, 5)
    results: list[Result] = []
    if shutil.which("curl") is None:
        return [Result("first fetch", "rfc:791", "-", "-", "-", "targets", None, "skipped: curl is not installed")]
    try:
        import trustme  # noqa: F401  (the HTTPS side of the kit)
    except ImportError:
        return [Result("first fetch", "rfc:791", "-", "-", "-", "targets", None, "skipped: trustme is not installed")]
    with common.scratch() as tmp, FakeWeb(https=True) as web, ForwardProxy(web) as proxy:
        world = IetfWorld(web)
        world.add_rfc(791, body)
        world.add_rfc(791, metadata, "json")
        world.add_rfc(793, common.synthetic_rfc(793, 60_000))
        from docfetch.testing.ietf import IETF

        world.add_index(_index_xml())
        mirror = world.serve_mirror()
        web.latency = LATENCY
        env = common.clean_environment(tmp)
        kit = dict(env, HTTPS_PROXY=proxy.url, HTTP_PROXY=proxy.url, REQUESTS_CA_BUNDLE=web.ca_path)
        curl = ["curl", "-sS", "--fail", "--cacert", web.ca_path]
        curl_791 = Command([*curl, "-L", "--compressed", IETF_URL], kit, common.same_stdout(body))
        used = _prepare([script, "-q", "rfc:793"], kit, tmp / "state-used-before")
        note = _note(metadata, tmp / "state-note")
        fetch_791 = Command([script, "rfc:791"], kit, _check_output(body, stderr_in=(b"", note)))

        common.log(f"latency: first fetch on a machine used before vs curl, {runs} runs each ({origin})")
        results.append(
            _case(
                web,
                "rfc:791 not cached, docfetch used before (a learned redirect), vs curl -sL on the default URL",
                (fetch_791, used),
                (curl_791, None),
                tmp,
                runs,
                "curl",
                USED_BEFORE_TARGET,
            )
        )
        common.log(f"latency: the very first run on a machine vs curl, {runs} runs each")
        results.append(
            _case(
                web,
                "rfc:791, the very first run (empty cache), vs curl -sL on the default URL",
                (fetch_791, None),
                (curl_791, None),
                tmp,
                runs,
                "curl",
                FIRST_RUN_TARGET,
            )
        )
        common.log(f"latency: the note's metadata (asked beside, never waited for) vs none, {runs} runs each")
        results.append(
            _case(
                web,
                "the note: rfc:791 with its per-RFC JSON asked beside, vs -q (no metadata request), used before",
                (fetch_791, used),
                (Command([script, "-q", "rfc:791"], kit, _check_output(body, stderr_in=(b"",))), used),
                tmp,
                runs,
                "docfetch -q",
                NOTE_TARGET,
            )
        )
        common.log(f"latency: info rfc:791 on an empty cache vs one curl of the per-RFC JSON, {runs} runs each")
        json_check = _info_check()
        results.append(
            _case(
                web,
                "info rfc:791 on an empty cache (the per-RFC JSON, not the index), vs one curl of that JSON",
                (Command([script, "info", "rfc:791"], kit, json_check), None),
                (Command([*curl, "--compressed", JSON_URL], kit, common.same_stdout(metadata)), None),
                tmp,
                runs,
                "curl",
                INFO_TARGET,
            )
        )
        indexed = _prepare([script, "search", "protocol"], kit, tmp / "state-indexed")
        results.append(_never_issued(web, script, kit, indexed, runs))

        world.ietf_redirect_status = 302
        used_302 = _prepare([script, "-q", "rfc:793"], kit, tmp / "state-used-before-302")
        common.log(f"latency (context): www.ietf.org answering 302, used before, vs curl, {runs} runs each")
        results.append(
            _case(
                web,
                f"context: {IETF} answering 302 (not kept: two round trips), used before, vs curl -sL",
                (fetch_791, used_302),
                (curl_791, None),
                tmp,
                runs,
                "curl",
                None,
            )
        )
        world.ietf_redirect_status = 301
        common.log(f"latency (context): one plain-HTTP request to a mirror, {runs} runs each")
        check = common.same_stdout(body)
        results.append(
            _case(
                web,
                "context: rfc:791 from a mirror (one plain-HTTP request), vs a stdlib urllib script",
                (Command([script, "-q", "-s", "mirror", "rfc:791"], dict(env, DOCFETCH_MIRRORS=mirror), check), None),
                (Command([python, str(PEER_SCRIPT), mirror + "rfc791.txt"], env, check), None),
                tmp,
                runs,
                "urllib script",
                None,
            )
        )
    return results


def _note(metadata: bytes, root: Path) -> bytes:
    """The note ``docfetch rfc:791`` prints, from the per-RFC JSON the benchmark serves."""
    from docfetch.knowledge.notes import obsolescence_notes

    (root / "docs" / "rfc").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "rfc" / "rfc791.json").write_bytes(metadata)
    return b"".join(f"docfetch: note: {note}\n".encode() for note in obsolescence_notes([791], str(root)))


def _info_check() -> common.Check:
    """``info rfc:791`` printed a record for RFC 791, and asked for nothing but its JSON."""

    def check(result: object) -> str | None:
        out = result.stdout  # type: ignore[attr-defined]
        if result.returncode != 0 or not out.startswith(b"RFC 791: "):  # type: ignore[attr-defined]
            return f"unexpected output {out[:100]!r}"
        return None

    return check


def _index_xml() -> bytes:
    """A small RFC index (2026 shape): RFC 791 and 793, 14 and 26 never issued."""
    entries = [
        "<rfc-not-issued-entry><doc-id>RFC14</doc-id></rfc-not-issued-entry>",
        "<rfc-not-issued-entry><doc-id>RFC26</doc-id></rfc-not-issued-entry>",
        "<rfc-entry><doc-id>RFC791</doc-id><title>Internet Protocol</title></rfc-entry>",
        "<rfc-entry><doc-id>RFC793</doc-id><title>Transmission Control Protocol</title></rfc-entry>",
    ]
    xml = '<?xml version="1.0" encoding="UTF-8"?>\n<rfc-index xmlns="https://www.rfc-editor.org/rfc-index">'
    return (xml + "".join(entries) + "</rfc-index>\n").encode()


if __name__ == "__main__":
    common.ensure_interpreter()
    sys.exit(common.main_for(NAME, TITLE, run))
