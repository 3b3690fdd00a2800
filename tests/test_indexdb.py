"""The RFC index database: built from rfc-index.xml of every shape, searched, kept current."""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import escape

import pytest

from docfetch.knowledge.notes import format_note, obsolescence_notes
from docfetch.store import indexdb
from docfetch.store.indexdb import IndexDB, build, ensure, is_current

SHARED = Path(__file__).resolve().parents[2] / "shared"
FULL_INDEX = SHARED / "corpus" / "index" / "rfc-index.xml"

# -- a small index in every shape --------------------------------------------------------------

#: RFCs of the small index: what a test expects to find again after the build.
RFCS: dict[int, dict] = {
    791: dict(title="Internet Protocol", authors=["J. Postel"], month="September", year=1981, pages=51,
              formats=["TXT", "PDF"], keywords=["IP", "IPv4"], status="INTERNET STANDARD", stream="Legacy",
              relations={"obsoletes": [760], "updated-by": [1349]}, is_also=["STD5"]),
    792: dict(title="Internet Control Message Protocol", authors=["J. Postel"], month="September", year=1981,
              status="INTERNET STANDARD", is_also=["STD5"]),
    1149: dict(title="Standard for the transmission of IP datagrams on avian carriers", authors=["D. Waitzman"],
               day=1, month="April", year=1990, status="EXPERIMENTAL", relations={"updated-by": [2549, 6214]}),
    2068: dict(title="Hypertext Transfer Protocol -- HTTP/1.1", authors=["R. Fielding", "J. Gettys"],
               month="January", year=1997, status="PROPOSED STANDARD", relations={"obsoleted-by": [2616]}),
    2119: dict(title="Key words for use in RFCs to Indicate Requirement Levels", authors=["S. Bradner"],
               month="March", year=1997, status="BEST CURRENT PRACTICE", relations={"updated-by": [8174]},
               is_also=["BCP14"], errata=True),
    2616: dict(title="Hypertext Transfer Protocol -- HTTP/1.1", authors=["R. Fielding", "J. Gettys", "J. Mogul"],
               month="June", year=1999, pages=176, formats=["TXT", "PS", "PDF", "HTML"], status="DRAFT STANDARD",
               relations={"obsoletes": [2068], "obsoleted-by": [7230, 7231], "updated-by": [2817]}, errata=True),
    3490: dict(title="Internationalizing Domain Names in Applications (IDNA)",
               authors=["P. Fältström", "P. Hoffman", "A. Costello"], month="March", year=2003,
               status="PROPOSED STANDARD"),
    7230: dict(title="Hypertext Transfer Protocol (HTTP/1.1): Message Syntax and Routing",
               authors=["R. Fielding, Ed.", "J. Reschke, Ed."], month="June", year=2014, status="PROPOSED STANDARD",
               relations={"obsoletes": [2616], "obsoleted-by": [9110]}),
    7231: dict(title="Hypertext Transfer Protocol (HTTP/1.1): Semantics and Content",
               authors=["R. Fielding, Ed.", "J. Reschke, Ed."], month="June", year=2014, status="PROPOSED STANDARD",
               relations={"obsoletes": [2616], "obsoleted-by": [9110]}),
    8174: dict(title="Ambiguity of Uppercase vs Lowercase in RFC 2119 Key Words", authors=["B. Leiba"],
               month="May", year=2017, status="BEST CURRENT PRACTICE", relations={"updates": [2119]},
               is_also=["BCP14"]),
    9110: dict(title="HTTP Semantics", authors=["R. Fielding, Ed.", "M. Nottingham, Ed.", "J. Reschke, Ed."],
               month="June", year=2022, pages=194, formats=["HTML", "TXT", "PDF", "XML"],
               keywords=["Hypertext Transfer Protocol", "HTTP", "HTTP semantics"],
               abstract=["The Hypertext Transfer Protocol (HTTP) is a stateless application-level protocol for "
                         "distributed, collaborative, hypertext information systems.",
                         "This document updates RFC 3864 and obsoletes RFCs 2818, 7231 and 7230."],
               draft="draft-ietf-httpbis-semantics-19", status="INTERNET STANDARD", stream="IETF", area="Applications",
               wg="httpbis", relations={"obsoletes": [7230, 7231]}, is_also=["STD97"]),
    10001: dict(title="A Document With a Five-Digit Number", authors=["A. Author"], month="August", year=2026,
                status="INFORMATIONAL", formats=["HTML", "TXT", "PDF", "XML"]),
}  # fmt: skip
NOT_ISSUED = (14, 26)
SERIES = {"bcp": {1: [], 14: [2119, 8174]}, "std": {5: [791, 792], 97: [9110]}, "fyi": {36: []}}


def _id(kind: str, number: int, padded: bool) -> str:
    return f"{kind.upper()}{number:04d}" if padded else f"{kind.upper()}{number}"


def _ids(name: str, kind_numbers: list[tuple[str, int]], padded: bool) -> str:
    inner = "".join(f"<doc-id>{_id(k, n, padded)}</doc-id>" for k, n in kind_numbers)
    return f"<{name}>{inner}</{name}>"


def _rfc_entry(number: int, spec: dict, padded: bool, reverse: bool, legacy_formats: bool) -> str:
    day = f"<day>{spec['day']}</day>" if "day" in spec else ""
    date = f"<date>{day}<month>{spec['month']}</month>"
    date += f"<year>{spec['year']}</year></date>"
    formats = ["ASCII" if f == "TXT" and legacy_formats else f for f in spec.get("formats", ["TXT", "HTML"])]
    parts = [
        f"<doc-id>{_id('rfc', number, padded)}</doc-id>",
        f"<title>{escape(spec['title'])}</title>",
        "".join(f"<author><name>{escape(a)}</name></author>" for a in spec["authors"]),  # one group: order kept
        date,
        "<format>" + "".join(f"<file-format>{f}</file-format>" for f in formats) + "</format>",
    ]
    if "pages" in spec:
        parts.append(f"<page-count>{spec['pages']}</page-count>")
    if spec.get("keywords"):
        parts.append("<keywords>" + "".join(f"<kw>{escape(k)}</kw>" for k in spec["keywords"]) + "</keywords>")
    if spec.get("abstract"):
        parts.append("<abstract>" + "".join(f"<p>{escape(p)}</p>" for p in spec["abstract"]) + "</abstract>")
    if spec.get("draft"):
        parts.append(f"<draft>{spec['draft']}</draft>")
    if spec.get("is_also"):
        parts.append(_ids("is-also", [(d.rstrip("0123456789"), int(d[3:])) for d in spec["is_also"]], padded))
    for relation, targets in spec.get("relations", {}).items():
        parts.append(_ids(relation, [("rfc", t) for t in targets], padded))
    parts += [
        f"<current-status>{spec['status']}</current-status>",
        f"<publication-status>{spec['status']}</publication-status>",
    ]
    for tag, key in (("stream", "stream"), ("area", "area"), ("wg_acronym", "wg")):
        if spec.get(key):
            parts.append(f"<{tag}>{spec[key]}</{tag}>")
    if spec.get("errata"):
        parts.append(f"<errata-url>https://www.rfc-editor.org/errata/rfc{number}</errata-url>")
    parts.append(f"<doi>10.17487/RFC{number:04d}</doi>")
    if reverse:
        parts.reverse()
    return "\n    ".join(["  <rfc-entry>", *parts]) + "\n  </rfc-entry>"


def small_index(*, https: bool = True, padded: bool = False, reverse: bool = False) -> bytes:
    """A small rfc-index.xml: the 2026 shape by default; ``http://``, padded ids, reversed order on request.

    ``reverse`` also puts the subseries entries after the RFC entries and writes formats as ``ASCII``.
    """
    ns = f"{'https' if https else 'http'}://www.rfc-editor.org/rfc-index"
    series = [
        f"  <{kind}-entry><doc-id>{_id(kind, number, padded)}</doc-id>"
        + (_ids("is-also", [("rfc", m) for m in members], padded) if members else "")
        + f"</{kind}-entry>"
        for kind, entries in SERIES.items()
        for number, members in entries.items()
    ]
    numbered = [(n, _rfc_entry(n, spec, padded, reverse, reverse)) for n, spec in RFCS.items()]
    numbered += [(n, f"  <rfc-not-issued-entry><doc-id>{_id('rfc', n, padded)}</doc-id></rfc-not-issued-entry>")
                 for n in NOT_ISSUED]  # fmt: skip
    rfcs = [text for _n, text in sorted(numbered)]
    body = rfcs + series if reverse else series + rfcs
    xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<rfc-index xmlns="{ns}">\n' + "\n".join(body) + "\n</rfc-index>\n"
    return xml.encode("utf-8")


SHAPES = {
    "2026": dict(https=True, padded=False, reverse=False),
    "legacy": dict(https=False, padded=True, reverse=True),
    "https-padded-reversed": dict(https=True, padded=True, reverse=True),
    "http-unpadded": dict(https=False, padded=False, reverse=False),
}


@pytest.fixture
def index_file(tmp_path: Path) -> Path:
    path = tmp_path / "rfc-index.xml"
    path.write_bytes(small_index())
    return path


@pytest.fixture
def db(index_file: Path, tmp_path: Path):
    path = tmp_path / "db" / "rfc-index.sqlite"
    build(index_file, path)
    with IndexDB(path) as handle:
        yield handle


def _dump(path: Path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    try:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall())
            for table in ("rfc", "relation", "not_issued", "series", "series_member")
        }
    finally:
        conn.close()


# -- building -------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_gives_the_same_records(tmp_path: Path, shape: str):
    xml = tmp_path / "rfc-index.xml"
    xml.write_bytes(small_index(**SHAPES[shape]))
    stats = build(xml, tmp_path / f"{shape}.sqlite")
    assert (stats.rfcs, stats.not_issued, stats.series) == (len(RFCS), len(NOT_ISSUED), 5)
    reference = tmp_path / "reference.sqlite"
    (tmp_path / "ref.xml").write_bytes(small_index())
    build(tmp_path / "ref.xml", reference)
    assert _dump(tmp_path / f"{shape}.sqlite") == _dump(reference)
    with IndexDB(tmp_path / f"{shape}.sqlite") as db:
        record = db.rfc(2616)
        assert record["doc_id"] == "RFC2616" and record["formats"] == ["TXT", "PS", "PDF", "HTML"]
        assert db.members("bcp", 14) == ["RFC2119", "RFC8174"]
        assert db.rfc(10001)["title"] == "A Document With a Five-Digit Number"


def test_record_fields(db: IndexDB):
    record = db.rfc(9110)
    assert record["title"] == "HTTP Semantics"
    assert record["authors"] == ["R. Fielding, Ed.", "M. Nottingham, Ed.", "J. Reschke, Ed."]
    assert (record["date"], record["year"], record["month"]) == ("June 2022", 2022, 6)
    assert (record["status"], record["pages"], record["stream"], record["wg"]) == (
        "INTERNET STANDARD",
        194,
        "IETF",
        "httpbis",
    )
    assert record["keywords"] == ["Hypertext Transfer Protocol", "HTTP", "HTTP semantics"]
    assert record["abstract"].startswith("The Hypertext Transfer Protocol (HTTP) is a stateless")
    assert record["abstract"].count("\n\n") == 1
    assert record["relations"] == {"obsoletes": ["RFC7230", "RFC7231"]}
    assert record["is_also"] == ["STD97"]
    assert record["doi"] == "10.17487/RFC9110" and record["errata_url"] == ""
    assert record["draft"] == "draft-ietf-httpbis-semantics-19"
    assert db.rfc(1149)["date"] == "1 April 1990"
    assert db.rfc(2119)["errata_url"] == "https://www.rfc-editor.org/errata/rfc2119"
    assert db.rfc(791)["formats"] == ["TXT", "PDF"]
    assert db.rfc(99999) is None


def test_relations_not_issued_and_subseries(db: IndexDB):
    assert db.relations(2616) == {"obsoleted-by": ["RFC7230", "RFC7231"], "updated-by": ["RFC2817"]}
    assert db.relations(9110) == {}
    assert db.not_issued(14) and db.not_issued(26) and not db.not_issued(791)
    assert db.members("std", 5) == ["RFC791", "RFC792"]
    assert db.members("STD", 97) == ["RFC9110"]
    assert db.members("bcp", 1) == []  # known, but no RFC in it
    assert db.members("fyi", 36) == []
    assert db.members("bcp", 99) is None
    assert db.rfc(2119)["is_also"] == ["BCP14"] and db.rfc(792)["is_also"] == ["STD5"]


def test_malformed_index_raises_and_keeps_the_old_database(tmp_path: Path, index_file: Path):
    dest = tmp_path / "index" / "rfc-index.sqlite"
    build(index_file, dest)
    before = dest.read_bytes()
    bad = tmp_path / "bad.xml"
    bad.write_bytes(small_index()[:2000])
    with pytest.raises(ParseError):
        build(bad, dest)
    assert dest.read_bytes() == before
    assert sorted(p.name for p in dest.parent.iterdir()) == ["rfc-index.sqlite"]  # no temporary file left


def test_ensure_builds_once_and_rebuilds_when_the_index_changes(tmp_path: Path, index_file: Path):
    dest = tmp_path / "index" / "rfc-index.sqlite"
    assert not is_current(dest, index_file)
    ensure(index_file, dest)
    first = dest.stat().st_ino
    ensure(index_file, dest)
    assert dest.stat().st_ino == first  # current: not rebuilt

    os.utime(index_file, ns=(1_000_000_000, 1_000_000_000))  # same bytes, new mtime (a 200 re-download)
    assert is_current(dest, index_file)
    ensure(index_file, dest)
    assert dest.stat().st_ino == first
    assert indexdb.read_meta(dest)["mtime_ns"] == "1000000000"  # remembered: next check is a stat

    index_file.write_bytes(small_index().replace(b"HTTP Semantics", b"HTTP Semantics, Revised"))
    assert not is_current(dest, index_file)
    ensure(index_file, dest)
    assert dest.stat().st_ino != first
    with IndexDB(dest) as db:
        assert db.rfc(9110)["title"] == "HTTP Semantics, Revised"
    assert [p.name for p in dest.parent.iterdir() if p.suffix == ".part"] == []


def test_older_schema_or_broken_database_is_rebuilt(tmp_path: Path, index_file: Path):
    dest = tmp_path / "rfc-index.sqlite"
    ensure(index_file, dest)
    conn = sqlite3.connect(dest)
    with conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
    conn.close()
    assert not is_current(dest, index_file)
    ensure(index_file, dest)
    assert indexdb.read_meta(dest)["schema"] == indexdb.SCHEMA_VERSION
    dest.write_bytes(b"this is not a database" * 100)
    assert indexdb.read_meta(dest) is None
    ensure(index_file, dest)
    with IndexDB(dest) as db:
        assert db.count() == len(RFCS)


def test_database_without_index_file_is_still_used(tmp_path: Path, index_file: Path):
    dest = tmp_path / "rfc-index.sqlite"
    ensure(index_file, dest)
    index_file.unlink()
    assert is_current(dest, index_file)


# -- search ---------------------------------------------------------------------------------------


def numbers(hits) -> list[int]:
    return [hit.number for hit in hits]


def test_search_ranks_titles_and_keywords(db: IndexDB):
    found = numbers(db.search("hypertext transfer protocol"))
    assert set(found[:3]) >= {2616, 9110}, found
    assert set(found) == {2068, 2616, 7230, 7231, 9110}
    assert numbers(db.search("key words"))[0] == 2119


def test_search_status_filter_and_limit(db: IndexDB):
    hits = db.search("hypertext transfer protocol", status="PROPOSED STANDARD")
    assert {h.status for h in hits} == {"PROPOSED STANDARD"} and set(numbers(hits)) == {2068, 7230, 7231}
    assert numbers(db.search("hypertext transfer protocol", status="INTERNET STANDARD")) == [9110]
    assert len(db.search("hypertext transfer protocol", limit=2)) == 2
    assert db.search("protocol", status="EXPERIMENTAL") == []


def test_search_hit_fields(db: IndexDB):
    hit = next(h for h in db.search("hypertext") if h.number == 2616)
    assert (hit.doc_id, hit.title, hit.status, hit.date, hit.year) == (
        "RFC2616",
        "Hypertext Transfer Protocol -- HTTP/1.1",
        "DRAFT STANDARD",
        "June 1999",
        1999,
    )
    assert hit.obsoleted_by == ["RFC7230", "RFC7231"] and hit.score < 0


def test_search_authors_diacritics_numbers_and_hostile_input(db: IndexDB):
    assert numbers(db.search("faltstrom")) == [3490]
    assert numbers(db.search("Fältström idna")) == [3490]
    assert numbers(db.search("postel")) == [791, 792]
    assert numbers(db.search("RFC 2616"))[0] == 2616
    assert numbers(db.search("10001"))[0] == 10001
    for hostile in ['"', "NEAR(", "title:x", "'; DROP TABLE rfc; --", "*", "a OR", "(((", "\x00"]:
        db.search(hostile)  # no FTS5 syntax error reaches the user
    assert db.search("!!! ???") == []
    assert db.count() == len(RFCS)


def test_search_falls_back_to_any_word(db: IndexDB):
    assert numbers(db.search("avian zeppelin")) == [1149]


def test_statuses(db: IndexDB):
    assert db.statuses() == [
        "BEST CURRENT PRACTICE",
        "DRAFT STANDARD",
        "EXPERIMENTAL",
        "INFORMATIONAL",
        "INTERNET STANDARD",
        "PROPOSED STANDARD",
    ]


# -- the library entry points ---------------------------------------------------------------------


@pytest.fixture
def cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("DOCFETCH_CACHE_DIR", str(root))
    (root / "docs" / "index").mkdir(parents=True)
    (root / "docs" / "index" / "rfc-index.xml").write_bytes(small_index())
    return root


def test_members_uses_and_builds_the_cached_database(cache_root: Path):
    assert indexdb.members("bcp", 14) == ["RFC2119", "RFC8174"]
    assert (cache_root / "index" / "rfc-index.sqlite").is_file()
    assert indexdb.members("std", 5, cache_root / "docs" / "index" / "rfc-index.xml") == ["RFC791", "RFC792"]
    assert indexdb.members("bcp", 1) == [] and indexdb.members("fyi", 99) is None


def test_members_of_an_uncached_index_file_leaves_the_cache_alone(cache_root: Path, tmp_path: Path):
    scratch = tmp_path / "scratch.xml"  # what --no-cache fetches
    scratch.write_bytes(small_index(https=False, padded=True).replace(b"RFC8174", b"RFC8175"))
    assert indexdb.members("bcp", 14, scratch) == ["RFC2119", "RFC8175"]
    assert not (cache_root / "index").exists()
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<rfc-index><bcp-entry>")
    with pytest.raises(ParseError):
        indexdb.members("bcp", 14, bad)


def note_for(db: IndexDB, number: int, fetched: frozenset[str] = frozenset()) -> str | None:
    return format_note(number, db.relations(number), fetched)


def test_note_texts(db: IndexDB):
    assert note_for(db, 2616) == "RFC 2616 is obsoleted by RFC 7230, RFC 7231"
    assert note_for(db, 2119) == "RFC 2119 is updated by RFC 8174"
    assert note_for(db, 1149) == "RFC 1149 is updated by RFC 2549, RFC 6214"
    assert note_for(db, 9110) is None and note_for(db, 99999) is None
    assert note_for(db, 2119, frozenset({"RFC8174"})) is None  # bcp:14 fetches both
    assert note_for(db, 2616, frozenset({"RFC7230"})) is not None


def test_long_update_lists_are_shortened(tmp_path: Path):
    xml = small_index().replace(
        b"<updated-by><doc-id>RFC1349</doc-id></updated-by>",
        b"<updated-by>" + b"".join(b"<doc-id>RFC%d</doc-id>" % n for n in range(1001, 1009)) + b"</updated-by>",
    )
    (tmp_path / "i.xml").write_bytes(xml)
    build(tmp_path / "i.xml", tmp_path / "i.sqlite")
    with IndexDB(tmp_path / "i.sqlite") as db:
        assert note_for(db, 791) == (
            "RFC 791 is updated by RFC 1001, RFC 1002, RFC 1003, RFC 1004, RFC 1005 and 3 more"
        )


def test_notes_need_a_database_or_a_cached_index(cache_root: Path):
    assert obsolescence_notes([2616]) == []  # no database, and not asked to build one
    assert not (cache_root / "index").exists()
    assert obsolescence_notes([2616, 9110, 2119, 2616], build_missing=True) == [
        "RFC 2616 is obsoleted by RFC 7230, RFC 7231",
        "RFC 2119 is updated by RFC 8174",
    ]
    assert obsolescence_notes([2119, 8174]) == []


def test_notes_never_raise(cache_root: Path):
    broken = cache_root / "index" / "rfc-index.sqlite"
    broken.parent.mkdir()
    broken.write_bytes(b"garbage" * 1000)
    assert obsolescence_notes([2616]) == []
    (cache_root / "docs" / "index" / "rfc-index.xml").write_bytes(b"<not xml")
    broken.unlink()
    assert obsolescence_notes([2616], build_missing=True) == []


# -- the full-size index --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def full_db(tmp_path_factory: pytest.TempPathFactory):
    if not FULL_INDEX.is_file():
        pytest.skip("../shared/corpus/index/rfc-index.xml is absent")
    path = tmp_path_factory.mktemp("full") / "rfc-index.sqlite"
    stats = build(FULL_INDEX, path)
    with IndexDB(path) as db:
        yield db, stats


@pytest.mark.corpus
def test_full_index_builds_in_seconds(full_db):
    db, stats = full_db
    assert stats.rfcs == 9830 and db.count() == 9830
    assert stats.seconds < 15, stats  # a few seconds here; generous for slow CI machines
    assert db.members("bcp", 14) == ["RFC2119", "RFC8174"]
    assert db.members("std", 5) == ["RFC791", "RFC792", "RFC919", "RFC922", "RFC950", "RFC1112"]
    assert db.not_issued(14) and db.rfc(14) is None
    assert db.rfc(10036) is not None


@pytest.mark.corpus
def test_full_index_search_quality_and_speed(full_db):
    db, _ = full_db
    assert 2616 in numbers(db.search("hypertext transfer protocol"))[:3]
    assert numbers(db.search("key words requirement levels"))[0] == 2119
    assert 9110 in numbers(db.search("http semantics"))[:3]
    assert 8446 in numbers(db.search("transport layer security 1.3", limit=10))
    assert 791 in numbers(db.search("internet protocol", limit=5))
    assert all(h.status == "BEST CURRENT PRACTICE" for h in db.search("security", status="BEST CURRENT PRACTICE"))
    timings = []
    for query in ["http", "dns security", "transport layer security", "ipv6 address", "mail", "routing", "uri"]:
        started = time.perf_counter()
        db.search(query, limit=20)
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.1, timings


def test_members_falls_back_to_parsing_when_the_database_cannot_be_written(cache_root: Path):
    (cache_root / "index").write_bytes(b"a file where the index directory should be")
    assert indexdb.members("bcp", 14) == ["RFC2119", "RFC8174"]
    assert indexdb.members("std", 404) is None


def test_concurrent_builds_leave_one_good_database(tmp_path: Path, index_file: Path):
    import subprocess
    import sys

    dest = tmp_path / "index" / "rfc-index.sqlite"
    code = (
        "import sys, pathlib, docfetch.store.indexdb as i; "
        "i.ensure(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]))"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(index_file), str(dest)], stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0], [p.stderr.read() for p in procs]
    with IndexDB(dest) as db:
        assert db.count() == len(RFCS)
    assert sorted(p.name for p in dest.parent.iterdir()) == ["rfc-index.sqlite", "rfc-index.sqlite.lock"]
