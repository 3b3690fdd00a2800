"""Errata next to the text, through the installed command: ``docfetch errata``, ``info``, the fetch note,
``REF#section --errata``, ``cache info|clear``, and the library's ``docfetch.errata``.

The RFC texts and errata.json are made here and served by the kit's local www.rfc-editor.org.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from docfetch.knowledge.errata import DELIMITER
from tests.helpers import rfc_index_xml

EDITOR = "www.rfc-editor.org"
FOOTER = b"Postel                      Standards Track                    [Page 1]\n\x0c\n"
HEADER = b"RFC 9990                  Synthetic Protocol                March 2026\n\n\n"
RFC9990 = (
    b"RFC 9990                  Synthetic Protocol                March 2026\n\n"
    b"Table of Contents\n\n"
    b"   1.  Introduction ..............................................  1\n"
    b"   2.  Protocol ..................................................  1\n"
    b"     2.1.  Messages ..............................................  1\n"
    b"     2.2.  Replies ...............................................  2\n"
    b"   3.  Security Considerations ...................................  2\n"
    b"   Appendix A.  Examples ..........................................  2\n\n"
    b"1.  Introduction\n\n   This protocol moves synthetic messages between two peers.\n\n"
    b"2.  Protocol\n\n   Each peer sends messages and receives replies.\n\n"
    b"2.1.  Messages\n\n   A message carries a sequence number of sixteen bits and a body\n\n\n\n"
    + FOOTER
    + HEADER
    + b"   that ends with a blank line.\n\n"
    b"2.2.  Replies\n\n   A reply repeats the sequence number of the message it answers.\n\n"
    b"3.  Security Considerations\n\n   Peers must not trust the sequence number for anything at all.\n\n"
    b"Appendix A.  Examples\n\n   An example message and its reply.\n\n"
    b"Author's Address\n\n   J. Postel\n"
)  # fmt: skip
RFC9992 = b"RFC 9992                 Errata-Free Protocol              March 2026\n\n1.  Introduction\n\n   Fine.\n"
HOSTILE_NOTES = "Look: \x1b]0;owned\x07 and \u202ereversed\u202c text"


def entry(eid: int, rfc: str, status: str, kind: str, section: str, orig: str = "", **extra: object) -> dict:
    """One entry of errata.json, shaped as the real file's."""
    fields = {
        "errata_id": str(eid),
        "doc-id": rfc,
        "errata_status_code": status,
        "errata_type_code": kind,
        "section": section,
        "orig_text": orig,
        "correct_text": "Corrected.\r\nSecond line.",
        "notes": "",
        "submit_date": "2026-04-01",
        "submitter_name": f"Submitter {eid}",
        "verifier_id": "",
        "verifier_name": None,
        "update_date": "2026-04-02 10:00:00",
    }
    fields.update(extra)
    return fields


ENTRIES = [
    entry(101, "RFC9990", "Verified", "Technical", "2.1", "A message carries a sequence number of sixteen bits"),
    entry(102, "RFC9990", "Reported", "Editorial", "2.2"),
    entry(103, "RFC9990", "Held for Document Update", "Technical", "GLOBAL"),
    entry(104, "RFC9990", "Rejected", "Editorial", "3"),
    entry(105, "RFC9990", "Verified", "Editorial", "", "Peers must not trust the sequence number for anything"),
    entry(106, "RFC9990", "Verified", "Technical", "Appendix A"),
    entry(107, "RFC9990", "Reported", "Technical", "99", notes=HOSTILE_NOTES),
    entry(201, "RFC9991", "Verified", "Technical", "1"),
]
ERRATA = json.dumps([*ENTRIES, 42, {"errata_id": "9", "section": "no doc-id"}], indent=1).encode()
NOT_REJECTED = [101, 102, 103, 105, 106, 107]


@pytest.fixture
def world(ietf_world):
    ietf_world.add_rfc(9990, RFC9990)
    ietf_world.add_rfc(9992, RFC9992)
    ietf_world.add_errata(ERRATA)
    ietf_world.add_index(rfc_index_xml({}, {9990: {"title": "Synthetic Protocol"}, 9992: {}}))
    return ietf_world


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """The cache directory of ``run_docfetch``."""
    return tmp_path / "docfetch-env" / "docfetch-cache"


def ok(result) -> str:
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def errata_requests(fake_web) -> int:
    return fake_web.count(EDITOR, "/errata.json")


def section_bytes(start: bytes, end: bytes) -> bytes:
    """The published slice from the heading ``start`` to the next heading ``end``, without the blank lines before it."""
    first = RFC9990.index(b"\n" + start) + 1
    chunk = RFC9990[first : RFC9990.index(b"\n" + end, first) + 1]
    while chunk.endswith(b"\n\n"):
        chunk = chunk[:-1]
    return chunk


# -- docfetch errata ---------------------------------------------------------------------------


def test_errata_for_a_person(world, run_docfetch, fake_web):
    result = run_docfetch("errata", "rfc:9990")
    out = ok(result)
    assert out.startswith("RFC 9990: 6 errata (all but rejected); 2 not placed on a section\n\nErratum 101 (")
    assert [int(line.split()[1]) for line in out.splitlines() if line.startswith("Erratum ")] == NOT_REJECTED
    assert "Erratum 101 (Verified, Technical)\nSection:    2.1 -> placed on section-2.1 (Messages)\n" in out
    assert "Submitted:  2026-04-01 by Submitter 101\n" in out
    assert "URL:        https://www.rfc-editor.org/errata/eid101\n" in out
    assert "Original text:\n    A message carries a sequence number of sixteen bits\n" in out
    assert "Corrected text:\n    Corrected.\n    Second line.\n" in out  # \r\n read as line ends
    assert "Section:    GLOBAL -> not placed (global)\n" in out
    assert "Section:    (empty) -> placed on section-3 (Security Considerations), by its original text\n" in out
    assert "Section:    Appendix A -> placed on appendix-A (Examples)\n" in out
    assert "Section:    99 -> not placed (not in document: no section 99)\n" in out
    assert "Erratum 104" not in out
    # the two entries that cannot be read: one note, when the database is built
    note = b"docfetch: note: 2 errata entries could not be read and were left out "
    assert result.stderr == note + b"(1 no usable doc-id, 1 not an object)\n"
    again = run_docfetch("errata", "rfc:9990")
    assert (ok(again), again.stderr) == (out, b"")
    assert errata_requests(fake_web) == 1  # fetched once, then from the cache


def test_hostile_errata_text_is_made_inert(world, run_docfetch):
    out = ok(run_docfetch("errata", "rfc:9990", "--status", "reported"))
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "    Look: ^[]0;owned^G and <U+202E>reversed<U+202C> text\n" in out
    raw = run_docfetch("errata", "rfc:9990", "--json").stdout
    assert b"\x1b" not in raw and "\u202e".encode() not in raw
    assert json.loads(raw)[-1]["notes"] == HOSTILE_NOTES  # the data is unchanged for a program


def test_errata_json_has_every_field_plus_placement_and_url(world, run_docfetch):
    data = json.loads(ok(run_docfetch("errata", "rfc:9990", "--json")))
    by_id = {e["errata_id"]: e for e in ENTRIES}
    assert [item["errata_id"] for item in data] == [str(n) for n in NOT_REJECTED]
    placed = {"101": "section-2.1", "102": "section-2.2", "103": None, "105": "section-3", "106": "appendix-A"}
    for item in data:
        eid = item["errata_id"]
        expected = by_id[eid] | {
            "placed_section": placed.get(eid),
            "url": f"https://www.rfc-editor.org/errata/eid{eid}",
        }
        assert item == expected


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (["--status", "verified"], [101, 105, 106]),
        (["--status", "Rejected"], [104]),
        (["--status", "held,reported"], [102, 103, 107]),
        (["--status", "held for document update"], [103]),
        (["--status", "all"], [101, 102, 103, 104, 105, 106, 107]),
        (["--type", "technical"], [101, 103, 106, 107]),
        (["-S", "all", "-t", "editorial"], [102, 104, 105]),
        (["--section", "2"], [101, 102]),
        (["--section", "Replies"], [102]),
        (["--section", "A", "--status", "verified"], [106]),
    ],
)
def test_filters(world, run_docfetch, args, ids):
    data = json.loads(ok(run_docfetch("errata", "rfc:9990", "--json", *args)))
    assert [int(item["errata_id"]) for item in data] == ids


def test_a_section_in_the_reference(world, run_docfetch):
    out = ok(run_docfetch("errata", "rfc9990#2.1"))
    assert out.startswith("RFC 9990: 1 erratum placed on section-2.1 (Messages) (all but rejected)\n\nErratum 101 (")
    link = "https://www.rfc-editor.org/rfc/rfc9990.html#section-2.2"
    assert [e["errata_id"] for e in json.loads(ok(run_docfetch("errata", link, "--json")))] == ["102"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["rfc:9990", "--status", "verifed"], 2, b"docfetch: error: unknown errata status 'verifed'\n"),
        (["rfc:9990", "--type", "typo"], 2, b"docfetch: error: unknown errata type 'typo'\n"),
        (["draft-ietf-foo-bar-01"], 2, b"error: draft-ietf-foo-bar-01 has no errata: only RFCs have errata\n"),
        (["rfc:9990-9992"], 2, b"names 3 RFCs"),
        (["rfc:9990", "--section", "7"], 3, b"docfetch: error: RFC 9990 has no section '7'\n"),
    ],
)
def test_usage_errors_and_unknown_sections(world, run_docfetch, args, code, message):
    result = run_docfetch("errata", *args)
    assert (result.returncode, result.stdout) == (code, b"")
    assert message in result.stderr


def test_an_rfc_without_errata_is_exit_0(world, run_docfetch):
    assert ok(run_docfetch("errata", "rfc:9992")) == "RFC 9992: no errata (all but rejected)\n"
    assert json.loads(ok(run_docfetch("errata", "rfc:9992", "--json"))) == []
    none = run_docfetch("errata", "rfc:9990", "--status", "rejected", "--type", "technical")
    assert ok(none) == "RFC 9990: no errata (status rejected, technical)\n"


def test_an_rfc_that_does_not_exist_is_exit_3_without_fetching_errata(world, run_docfetch, fake_web):
    result = run_docfetch("errata", "rfc:9999")
    assert (result.returncode, result.stdout) == (3, b"")
    assert result.stderr.startswith(b"docfetch: error: RFC 9999 not found")
    assert errata_requests(fake_web) == 0


def test_offline(world, run_docfetch, fake_web):
    empty = run_docfetch("errata", "--offline", "rfc:9990")
    assert (empty.returncode, empty.stdout) == (3, b"")
    assert empty.stderr.startswith(b"docfetch: error: the errata are not in the cache (offline)\n")
    online = ok(run_docfetch("errata", "rfc:9990"))
    before = len(fake_web.requests)
    assert ok(run_docfetch("errata", "--offline", "rfc:9990")) == online
    assert len(fake_web.requests) == before
    # errata.json cached but not the text: the errata come unplaced, saying why
    only_errata = run_docfetch("errata", "--offline", "--json", "rfc:9991")
    assert [e["placed_section"] for e in json.loads(ok(only_errata))] == [None]
    assert b"errata not placed on sections: RFC 9991 is not in the cache (offline)" in only_errata.stderr


def test_offline_without_errata_json_says_how_to_get_it(world, run_docfetch, fake_web):
    ok(run_docfetch("rfc:9990"))
    result = run_docfetch("errata", "--offline", "rfc:9990")
    assert (result.returncode, result.stdout) == (3, b"")
    assert result.stderr == (
        b"docfetch: error: the errata are not in the cache (offline)\n"
        b"docfetch: hint: run it once without --offline to download them (errata.json, about 12 MB)\n"
    )


def age(cache: Path, seconds: float = 2 * 24 * 3600) -> None:
    """Make the cached errata.json look checked ``seconds`` ago."""
    meta = cache / "docs" / "errata" / "errata.json.meta"
    data = json.loads(meta.read_text())
    data["checked"] = time.time() - seconds
    meta.write_text(json.dumps(data))


def built(cache: Path) -> str:
    with sqlite3.connect(cache / "index" / "errata.sqlite") as conn:
        return conn.execute("SELECT value FROM meta WHERE key = 'built'").fetchone()[0]


def test_revalidated_daily_with_its_etag_and_rebuilt_when_it_changes(world, run_docfetch, fake_web, cache):
    ok(run_docfetch("errata", "rfc:9990"))
    first_build = built(cache)
    age(cache)
    ok(run_docfetch("errata", "rfc:9990"))
    asks = [r for r in fake_web.requests if r.path == "/errata.json"]
    assert len(asks) == 2 and asks[1].header("If-None-Match") == world.web.file(EDITOR, "/errata.json").etag
    assert built(cache) == first_build  # 304: the database stays
    changed = [*ENTRIES, entry(108, "RFC9990", "Verified", "Technical", "1")]
    world.add_errata(json.dumps(changed).encode())
    age(cache)
    data = json.loads(ok(run_docfetch("errata", "rfc:9990", "--json", "--status", "verified")))
    assert [e["errata_id"] for e in data] == ["101", "105", "106", "108"]
    assert built(cache) != first_build


def test_a_server_failure_uses_the_last_database(world, run_docfetch, fake_web, cache):
    ok(run_docfetch("errata", "rfc:9990"))
    age(cache)
    fake_web.fault(EDITOR, "/errata.json", statuses=[503] * 10, retry_after=0)
    result = run_docfetch("errata", "rfc:9990", "--json", env_extra={"DOCFETCH_RETRIES": "0"})
    assert len(json.loads(ok(result))) == 6
    assert b"docfetch: note: could not refresh errata" in result.stderr


# -- info --------------------------------------------------------------------------------------


def test_info_counts_from_the_local_database_only(world, run_docfetch, fake_web):
    run_docfetch("search", "x")  # info reads the RFC index only where it is local (it never downloads it)
    before = run_docfetch("info", "rfc:9990")
    assert "  Errata:       counts: 'docfetch errata rfc:9990' downloads them\n" in ok(before)
    assert json.loads(ok(run_docfetch("info", "--json", "rfc:9990")))["errata"] is None
    assert errata_requests(fake_web) == 0  # info never downloads errata.json
    ok(run_docfetch("errata", "rfc:9990"))
    counts = {"verified": 3, "reported": 2, "held": 1, "rejected": 1}
    assert json.loads(ok(run_docfetch("info", "--json", "rfc:9990")))["errata"] == counts
    assert "  Errata:       3 verified, 2 reported, 1 held, 1 rejected\n" in ok(run_docfetch("info", "rfc:9990"))
    none = dict.fromkeys(counts, 0)
    assert json.loads(ok(run_docfetch("info", "--json", "rfc:9992")))["errata"] == none
    assert "  Errata:       none\n" in ok(run_docfetch("info", "rfc:9992"))
    assert errata_requests(fake_web) == 1


# -- the note on fetching ----------------------------------------------------------------------

NOTE = b"docfetch: note: RFC 9990 has 3 verified errata: docfetch errata rfc:9990\n"


def test_fetch_note_on_the_engine_and_the_fast_path(world, run_docfetch, fake_web):
    plain = run_docfetch("rfc:9990")
    assert (plain.returncode, plain.stdout, plain.stderr) == (0, RFC9990, b"")  # no database: no note, no download
    assert errata_requests(fake_web) == 0
    ok(run_docfetch("errata", "rfc:9992"))
    cached = run_docfetch("rfc:9990")  # fast path
    assert (cached.returncode, cached.stdout, cached.stderr) == (0, RFC9990, NOTE)
    engine = run_docfetch("--refresh", "rfc:9990")  # engine path
    assert (engine.returncode, engine.stdout, engine.stderr) == (0, RFC9990, NOTE)
    quiet = run_docfetch("-q", "rfc:9990")
    assert (quiet.stdout, quiet.stderr) == (RFC9990, b"")
    assert run_docfetch("rfc:9992").stderr == b""
    section = run_docfetch("rfc9990#2.1")
    assert (section.stdout, section.stderr) == (section_bytes(b"2.1.  Messages", b"2.2.  Replies"), NOTE)


def test_one_verified_erratum_is_singular(world, run_docfetch):
    world.add_rfc(9991, RFC9992.replace(b"9992", b"9991"))
    ok(run_docfetch("errata", "rfc:9991"))
    note = b"docfetch: note: RFC 9991 has 1 verified erratum: docfetch errata rfc:9991\n"
    assert run_docfetch("rfc:9991").stderr == note


# -- REF#section --errata ----------------------------------------------------------------------


def test_section_then_its_errata_below_a_delimiter(world, run_docfetch, fake_web):
    first = run_docfetch("rfc9990#2", "--errata")  # engine path: fetches the text and errata.json
    out = first.stdout
    text = section_bytes(b"2.  Protocol", b"3.  Security")
    delimiter = b"\n" + DELIMITER.encode() + b"\n"
    assert out.startswith(text + delimiter + b"-- 2 errata placed on section-2:\n\nErratum 101 (Verified")
    tail = out[len(text) :].decode()
    assert [line.split()[1] for line in tail.splitlines() if line.startswith("Erratum ")] == ["101", "102"]
    assert tail.endswith("\n-- 2 other errata could not be placed on a section: docfetch errata rfc:9990\n")
    assert first.returncode == 0 and b"verified errata" not in first.stderr  # shown, so no note
    cached = run_docfetch("rfc9990#2", "--errata")  # fast path
    assert (cached.returncode, cached.stdout) == (0, out)
    assert errata_requests(fake_web) == 1
    none = ok(run_docfetch("rfc:9990", "--section", "1", "--errata"))
    assert none.endswith("1.  Introduction\n\n   This protocol moves synthetic messages between two peers.\n\n"
                         f"{DELIMITER}\n-- 0 errata placed on section-1\n\n"
                         "-- 2 other errata could not be placed on a section: docfetch errata rfc:9990\n")  # fmt: skip
    paged = run_docfetch("rfc9990#2.1", "--errata", "--no-page-breaks").stdout
    assert paged.startswith(
        b"2.1.  Messages\n\n   A message carries a sequence number of sixteen bits and a body\n"
        b"   that ends with a blank line.\n\n" + DELIMITER.encode() + b"\n"
    )


def test_section_errata_as_json(world, run_docfetch):
    for _ in range(2):  # engine path, then fast path
        record = json.loads(ok(run_docfetch("rfc9990#2", "--errata", "--json")))
        assert record["id"] == "section-2" and record["text"].startswith("2.  Protocol\n")
        assert [e["errata_id"] for e in record["errata"]] == ["101", "102"]
        assert record["errata"][0] == ENTRIES[0] | {
            "placed_section": "section-2.1",
            "url": "https://www.rfc-editor.org/errata/eid101",
        }
        assert record["errata_unplaced"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rfc:9990", "--errata"], b"docfetch: error: --errata shows the errata of a section: name one"),
        (["draft-ietf-foo-bar-01#2", "--errata"], b"docfetch: error: --errata: draft-ietf-foo-bar-01 has no errata"),
    ],
)
def test_errata_option_needs_an_rfc_section(world, run_docfetch, args, message):
    result = run_docfetch(*args)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.startswith(message)


def test_section_errata_offline_without_errata_is_exit_3_and_prints_nothing(world, run_docfetch):
    ok(run_docfetch("rfc:9990"))
    result = run_docfetch("--offline", "rfc9990#2", "--errata")
    assert (result.returncode, result.stdout) == (3, b"")
    assert result.stderr.startswith(b"docfetch: error: the errata are not in the cache (offline)\n")


def test_stale_errata_go_the_engine_path_and_are_revalidated(world, run_docfetch, fake_web, cache):
    ok(run_docfetch("rfc9990#2", "--errata"))
    age(cache)
    ok(run_docfetch("rfc9990#2", "--errata"))
    assert errata_requests(fake_web) == 2
    age(cache)
    before = len(fake_web.requests)
    ok(run_docfetch("--offline", "rfc9990#2", "--errata"))  # offline: the fast path, stale or not
    assert len(fake_web.requests) == before


# -- cache info and clear ----------------------------------------------------------------------


def test_cache_info_and_clear_know_the_errata(world, run_docfetch, cache):
    assert "Errata:     not downloaded yet ('docfetch errata' fetches them)\n" in ok(run_docfetch("cache", "info"))
    assert json.loads(ok(run_docfetch("cache", "info", "--json")))["errata_database"] is None
    ok(run_docfetch("errata", "rfc:9990"))
    report = json.loads(ok(run_docfetch("cache", "info", "--json")))
    assert report["errata"]["bytes"] == len(ERRATA) and report["errata"]["etag"]
    database = report["errata_database"]
    assert (database["errata"], database["rfcs"], database["skipped"], database["current"]) == (8, 2, 2, True)
    text = ok(run_docfetch("cache", "info"))
    assert "Errata DB:  8 errata of 2 RFCs, 2 entries unreadable, " in text and "(current)\n" in text
    cleared = ok(run_docfetch("cache", "clear"))
    assert " and the errata database from " in cleared
    assert not (cache / "index" / "errata.sqlite").exists()
    assert not (cache / "docs" / "errata" / "errata.json").exists()


# -- the library -------------------------------------------------------------------------------


def test_library_errata(world, docfetch_inprocess_env):
    import docfetch

    assert [e["errata_id"] for e in docfetch.errata_of("rfc:9990", status="verified")] == ["101", "105", "106"]
    assert [e["errata_id"] for e in docfetch.errata_of("rfc9990#2", status=["verified", "reported"])] == ["101", "102"]
    assert docfetch.errata_of("rfc:9990", type="technical", section="A")[0]["placed_section"] == "appendix-A"
    with pytest.raises(docfetch.NotFoundError):
        docfetch.errata_of("rfc:9999")
    with pytest.raises(docfetch.UsageError):
        docfetch.errata_of("rfc:9990", status="nope")


def test_several_sections_with_errata_and_output_dir(world, run_docfetch, tmp_path):
    both = run_docfetch("rfc9990#2.1", "rfc9990#3", "--errata")
    one, three = ok(run_docfetch("rfc9990#2.1", "--errata")), ok(run_docfetch("rfc9990#3", "--errata"))
    assert ok(both) == one + three
    assert "placed on section-3 (Security Considerations), by its original text" in three
    run_docfetch("-O", str(tmp_path / "out"), "rfc9990#2.1", "--errata", "--refresh")
    assert (tmp_path / "out" / "rfc9990-section-2.1.txt").read_text() == one
