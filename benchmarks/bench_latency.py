"""Cold fetch latency: a first ``docfetch rfc:791`` (empty cache) against a stdlib urllib script.

The local server sleeps 50 ms before every response (``FakeWeb.latency``), as a far server
would cost a round trip. Every docfetch run starts with an empty cache (its own
``DOCFETCH_CACHE_DIR``) and default flags: the first fetch a user makes, obsolescence
metadata prefetch included. Each run is interleaved with its peer's.

The target (issue #5) is against **the classic RFC downloader**:
``urlopen("http://www.ietf.org/rfc/rfc791.txt")``, through the kit's HTTPS forward proxy with
its private CA. Its chain is http 301 to https, then the cross-host 301 to the RFC Editor
(gzip forced); docfetch asks https directly and saves the first round trip.

Three stricter comparisons are reported for context, without a verdict: the script given
docfetch's own https URL (trusting the kit's CA alone, and a full-size bundle as corporate
``REQUESTS_CA_BUNDLE`` setups do), and one plain-HTTP request to a mirror. They show what
docfetch's start-up costs over the standard library (mostly ``import requests``).

Every request is counted in the server's log, so a needless round trip shows.
"""

from __future__ import annotations

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
TITLE = "docfetch cold fetch latency"
LATENCY = 0.05
TARGET = 1.3
PEER_SCRIPT = common.BENCH_DIR / "peers" / "urllib_get.py"
IETF_URL = "https://www.ietf.org/rfc/rfc791.txt"
#: The URL of the classic RFC downloader (the issue's peer): http, so one more redirect.
CLASSIC_URL = "http://www.ietf.org/rfc/rfc791.txt"


def _case(
    web: FakeWeb,
    label: str,
    docfetch: Command,
    peer: Command,
    tmp: Path,
    runs: int,
    peer_name: str,
    *,
    verdict: bool = True,
) -> Result:
    """Time one pair (interleaved), counting each run's requests; return its report line."""
    requests: dict[str, Counter[int]] = {"docfetch": Counter(), "peer": Counter()}
    chains: dict[str, list[str]] = {}
    phases: dict[str, list[common.Phases]] = {"docfetch": [], "peer": []}

    def factory(which: str, template: Command) -> Callable[[int], Command]:
        def make(index: int) -> Command:
            cache = tmp / f"{label}-{which}-{index}"
            cache.mkdir(parents=True, exist_ok=True)
            web.clear_log()
            return Command(template.argv, dict(template.env, DOCFETCH_CACHE_DIR=str(cache)), template.check)

        return make

    def after(run: common.Run) -> None:
        log = web.requests
        requests[run.label][len(log)] += 1
        chains.setdefault(run.label, [f"{r.method} {r.url}" for r in log])
        phases[run.label].append(common.Phases.of(run, [r.time for r in log]))

    pair = {"docfetch": factory("docfetch", docfetch), "peer": factory("peer", peer)}
    times = common.interleaved(pair, runs, after=after)
    mine, theirs = common.median_ms(times["docfetch"]), common.median_ms(times["peer"])
    ratio = mine / theirs

    def counts(which: str) -> str:
        return "/".join(str(n) for n in sorted(requests[which]))

    note = (
        f"median of {runs} interleaved runs, {LATENCY * 1000:.0f} ms added per request; "
        f"requests per fetch: docfetch {counts('docfetch')} ({', '.join(chains['docfetch'])}), "
        f"peer {counts('peer')}; docfetch costs {mine - theirs:+.0f} ms over the peer; "
        f"docfetch: {common.median_phases(phases['docfetch'])}; peer: {common.median_phases(phases['peer'])}; "
        f"spread docfetch {common.spread_ms(times['docfetch'])}, peer {common.spread_ms(times['peer'])}"
    )
    return Result(
        benchmark="cold fetch",
        case=label,
        docfetch=f"{mine:.0f} ms",
        peer=f"{peer_name} {theirs:.0f} ms",
        comparison=f"{ratio:.2f}x",
        target=f"<= {TARGET:g}x" if verdict else "context",
        passed=ratio <= TARGET if verdict else None,
        note=note,
    )


def _ca_bundles(kit_ca: str, tmp: Path) -> list[tuple[str, str]]:
    """The CA files to trust: the kit's CA alone, and a full-size bundle holding it.

    Corporate setups point ``REQUESTS_CA_BUNDLE`` at a bundle of every public root plus their
    own (these machines set it to the system bundle): its parsing cost is part of each fetch.
    certifi (a dependency of requests) provides the public roots.
    """
    bundles = [("kit CA", kit_ca)]
    try:
        import certifi
    except ImportError:
        return bundles
    full = tmp / "full-bundle.pem"
    full.write_bytes(Path(certifi.where()).read_bytes() + b"\n" + Path(kit_ca).read_bytes())
    return [*bundles, ("full CA bundle", str(full))]


def run(options: Options) -> list[Result]:
    """Measure the target pair, then the context pairs; returns the report lines."""
    from docfetch.testing import FakeWeb, ForwardProxy, IetfWorld

    common.like_real_servers()

    body, origin = common.rfc791()
    metadata, _ = common.rfc791_metadata()
    script = str(common.docfetch_script())
    python = common.script_python()
    runs = options.runs(20, 5)
    results: list[Result] = []
    try:
        import trustme  # noqa: F401  (the HTTPS side of the kit)
    except ImportError:
        return [
            Result(
                "cold fetch",
                "rfc:791, first fetch, vs the classic script",
                "-",
                "-",
                "-",
                f"<= {TARGET:g}x",
                None,
                "skipped: trustme is not installed (pip install -e '.[testing]')",
            )
        ]
    with common.scratch() as tmp, FakeWeb(https=True) as web, ForwardProxy(web) as proxy:
        world = IetfWorld(web)
        world.add_rfc(791, body)
        world.add_rfc(791, metadata, "json")
        mirror = world.serve_mirror()
        web.latency = LATENCY
        env = common.clean_environment(tmp)
        check = common.same_stdout(body)
        kit = dict(env, HTTPS_PROXY=proxy.url, HTTP_PROXY=proxy.url, REQUESTS_CA_BUNDLE=web.ca_path)

        common.log(f"latency: the classic script ({CLASSIC_URL}) vs a first docfetch rfc:791, {runs} runs each")
        results.append(
            _case(
                web,
                "rfc:791, first fetch (empty cache), vs the classic script on http://www.ietf.org/..., via proxy",
                Command([script, "rfc:791"], kit, check),
                Command([python, str(PEER_SCRIPT), CLASSIC_URL, "--cafile", web.ca_path], kit, check),
                tmp,
                runs,
                "urllib script",
            )
        )
        for label, bundle in _ca_bundles(web.ca_path, tmp):
            proxied = dict(kit, REQUESTS_CA_BUNDLE=bundle)
            common.log(f"latency (context): the script on docfetch's https URL, {label}, {runs} runs each")
            results.append(
                _case(
                    web,
                    f"context: the script on docfetch's own https URL (301 + gzip), via proxy, {label}",
                    Command([script, "rfc:791"], proxied, check),
                    Command([python, str(PEER_SCRIPT), IETF_URL, "--cafile", bundle], proxied, check),
                    tmp,
                    runs,
                    "urllib script",
                    verdict=False,
                )
            )
        common.log(f"latency (context): one plain-HTTP request to a mirror, {runs} runs each ({origin})")
        results.append(
            _case(
                web,
                "context: rfc:791 from a mirror (one plain-HTTP request)",
                Command([script, "-s", "mirror", "rfc:791"], dict(env, DOCFETCH_MIRRORS=mirror), check),
                Command([python, str(PEER_SCRIPT), mirror + "rfc791.txt"], env, check),
                tmp,
                runs,
                "urllib script",
                verdict=False,
            )
        )
    return results


if __name__ == "__main__":
    common.ensure_interpreter()
    sys.exit(common.main_for(NAME, TITLE, run))
