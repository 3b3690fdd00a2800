"""Cold fetch latency: ``docfetch --no-cache rfc:791`` against a stdlib urllib script, far server.

The local server sleeps 50 ms before every response (``FakeWeb.latency``), as a far server
would cost a round trip. Like-for-like pairs, each run interleaved with its peer:

* **mirror**: ``DOCFETCH_MIRRORS=http://127.0.0.1:PORT/rfcs/ docfetch -s mirror --no-cache
  rfc:791`` against ``urllib_get.py http://127.0.0.1:PORT/rfcs/rfc791.txt``: one plain-HTTP
  request each; the difference is docfetch's own cost.
* **ietf via proxy**: the default source, ``docfetch --no-cache rfc:791``, through the kit's
  HTTPS forward proxy with its private CA: ``https://www.ietf.org/rfc/rfc791.txt`` 301 to
  ``https://www.rfc-editor.org/rfc/rfc791.txt``, gzip forced. The urllib script is given the
  same URL, proxy and CA, follows the same redirect and decodes the gzip: the real chain.
  Measured twice: trusting the kit's CA alone, and trusting a full-size bundle (certifi's
  public roots plus the kit's CA), as corporate setups do through ``REQUESTS_CA_BUNDLE``.

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


def _case(web: FakeWeb, label: str, docfetch: Command, peer: Command, tmp: Path, runs: int, peer_name: str) -> Result:
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
        target=f"<= {TARGET:g}x",
        passed=ratio <= TARGET,
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
    """Measure both pairs; returns the report lines."""
    from docfetch.testing import FakeWeb, ForwardProxy, IetfWorld

    common.like_real_servers()

    body, origin = common.rfc791()
    script = str(common.docfetch_script())
    python = common.script_python()
    runs = options.runs(20, 5)
    results: list[Result] = []
    try:
        import trustme  # noqa: F401  (the HTTPS side of the kit)

        https = True
    except ImportError:
        https = False
    with common.scratch() as tmp, FakeWeb(https=https) as web:
        world = IetfWorld(web)
        world.add_rfc(791, body)
        mirror = world.serve_mirror()
        web.latency = LATENCY
        env = common.clean_environment(tmp)
        check = common.same_stdout(body)

        common.log(f"latency: mirror over plain HTTP, {runs} runs each ({origin})")
        results.append(
            _case(
                web,
                "rfc:791 from a mirror (plain HTTP)",
                Command([script, "-s", "mirror", "--no-cache", "rfc:791"], dict(env, DOCFETCH_MIRRORS=mirror), check),
                Command([python, str(PEER_SCRIPT), mirror + "rfc791.txt"], env, check),
                tmp,
                runs,
                "urllib script",
            )
        )
        if not https:
            results.append(
                Result(
                    "cold fetch",
                    "rfc:791 default source via proxy",
                    "-",
                    "-",
                    "-",
                    f"<= {TARGET:g}x",
                    None,
                    "skipped: trustme is not installed (pip install -e '.[testing]')",
                )
            )
            return results
        with ForwardProxy(web) as proxy:
            kit = dict(env, HTTPS_PROXY=proxy.url, HTTP_PROXY=proxy.url, REQUESTS_CA_BUNDLE=web.ca_path)
            common.log(f"latency: the classic script's URL ({CLASSIC_URL}) vs docfetch's default, {runs} runs each")
            results.append(
                _case(
                    web,
                    "rfc:791 default source vs the classic script (http://www.ietf.org/...), kit CA",
                    Command([script, "--no-cache", "rfc:791"], kit, check),
                    Command([python, str(PEER_SCRIPT), CLASSIC_URL, "--cafile", web.ca_path], kit, check),
                    tmp,
                    runs,
                    "urllib script",
                )
            )
            for label, bundle in _ca_bundles(web.ca_path, tmp):
                proxied = dict(env, HTTPS_PROXY=proxy.url, HTTP_PROXY=proxy.url, REQUESTS_CA_BUNDLE=bundle)
                common.log(f"latency: default source through the HTTPS proxy, {label}, {runs} runs each")
                results.append(
                    _case(
                        web,
                        f"rfc:791 default source via HTTPS proxy (301 + gzip), {label}",
                        Command([script, "--no-cache", "rfc:791"], proxied, check),
                        Command([python, str(PEER_SCRIPT), IETF_URL, "--cafile", bundle], proxied, check),
                        tmp,
                        runs,
                        "urllib script",
                    )
                )
    return results


if __name__ == "__main__":
    common.ensure_interpreter()
    sys.exit(common.main_for(NAME, TITLE, run))
