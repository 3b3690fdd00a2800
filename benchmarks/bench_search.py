"""Benchmark: build the RFC index database from the full-size index, then time 50 searches.

Run: ``python benchmarks/bench_search.py [INDEX_XML]`` (default ``../shared/corpus/index/rfc-index.xml``).
Each query is timed as a command would run it: open the database, search (limit 20), close.
Exits 1 when the 95th percentile reaches 100 ms; prints a line for the README at the end.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from docfetch.knowledge.notes import format_note
from docfetch.store.indexdb import IndexDB, build

DEFAULT_INDEX = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "index" / "rfc-index.xml"
BUDGET_MS = 100.0
QUERIES = [
    "hypertext transfer protocol", "http", "http semantics", "http/2", "http/3", "quic", "quic transport",
    "transport layer security", "tls 1.3", "dtls", "dns", "dns security", "dnssec", "domain names",
    "internet protocol", "ipv6", "ipv6 address architecture", "icmp", "tcp", "transmission control protocol",
    "udp", "smtp", "simple mail transfer protocol", "imap", "mime", "uri", "uniform resource identifier",
    "json", "cbor", "oauth", "jwt", "x.509 certificate", "ssh", "ipsec", "ike", "bgp", "ospf", "mpls", "sip",
    "rtp", "ntp", "dhcp", "snmp", "ldap", "kerberos", "key words requirement levels", "avian carriers",
    "postel", "zeppelin", "rfc 2616",
]  # fmt: skip


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(index: Path) -> dict[str, float]:
    """Build the database from ``index`` in a scratch directory and time the queries."""
    with tempfile.TemporaryDirectory(prefix="docfetch-bench-") as tmp:
        db_path = Path(tmp) / "rfc-index.sqlite"
        stats = build(index, db_path)
        timings, found = [], 0
        for query in QUERIES:
            started = time.perf_counter()
            with IndexDB(db_path) as db:
                hits = db.search(query, limit=20)
            timings.append((time.perf_counter() - started) * 1000)
            found += bool(hits)
        with IndexDB(db_path) as db:
            started = time.perf_counter()
            for number in range(1, 1001):
                format_note(number, db.relations(number))
            note_us = (time.perf_counter() - started) * 1000  # ms for 1000 lookups = us for one
        return {
            "rfcs": stats.rfcs,
            "series": stats.series,
            "build_s": stats.seconds,
            "db_mib": db_path.stat().st_size / 1024 / 1024,
            "found": found,
            "median_ms": statistics.median(timings),
            "p95_ms": percentile(timings, 0.95),
            "max_ms": max(timings),
            "note_us": note_us,
        }


def run(options: object = None) -> list:
    """For ``run_all.py``: the report lines (``_common.Result``)."""
    from _common import Result

    if not DEFAULT_INDEX.is_file():
        return [Result("search", "50 queries", "-", "-", "-", f"p95 < {BUDGET_MS:.0f} ms", None, "no ../shared")]
    m = measure(DEFAULT_INDEX)
    return [
        Result("search", "build index database", f"{m['build_s']:.2f} s", "-", "-", "a few seconds", None),
        Result(
            "search",
            "50 queries (open, search, close)",
            f"median {m['median_ms']:.1f} ms, p95 {m['p95_ms']:.1f} ms",
            "-",
            "-",
            f"p95 < {BUDGET_MS:.0f} ms",
            m["p95_ms"] < BUDGET_MS,
        ),
    ]


def main(argv: list[str]) -> int:
    paths = [arg for arg in argv if not arg.startswith("-")]  # run_all.py may pass --quick
    index = Path(paths[0]) if paths else DEFAULT_INDEX
    if not index.is_file():
        print(f"skipped: {index} is absent (the full-size index lives in ../shared/corpus)")
        return 0
    m = measure(index)
    print(f"build: {m['rfcs']} RFCs, {m['series']} subseries in {m['build_s']:.2f} s ({m['db_mib']:.1f} MiB)")
    print(
        f"search: {len(QUERIES)} queries ({m['found']} with results): median {m['median_ms']:.2f} ms, "
        f"p95 {m['p95_ms']:.2f} ms, max {m['max_ms']:.2f} ms (budget {BUDGET_MS:.0f} ms)"
    )
    print(f"obsolescence note lookup: {m['note_us']:.1f} us per RFC")
    print(
        f"README: search over {m['rfcs']} RFCs: median {m['median_ms']:.1f} ms, p95 {m['p95_ms']:.1f} ms per query "
        f"(index database built in {m['build_s']:.1f} s)"
    )
    ok = m["p95_ms"] < BUDGET_MS
    print("OK" if ok else f"FAIL: p95 {m['p95_ms']:.1f} ms is over the {BUDGET_MS:.0f} ms budget")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
