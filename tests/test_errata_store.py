"""The errata database: atomic builds, freshness, queries, and the cheap verified lookup of the fetch path."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest

from docfetch.errata import store
from docfetch.errata.parse import ErrataFormatError


def entry(errata_id: int, number: int, status: str = "Verified", kind: str = "Technical", **extra: object) -> dict:
    fields = {
        "errata_id": str(errata_id),
        "doc-id": f"RFC{number:04d}",
        "errata_status_code": status,
        "errata_type_code": kind,
        "section": "1",
        "orig_text": f"old {errata_id}\r\n",
        "correct_text": f"new {errata_id}",
        "notes": "",
        "submit_date": "2020-01-01",
        "submitter_name": "S",
        "verifier_id": "",
        "verifier_name": None,
        "update_date": None,
    }
    fields.update(extra)
    return fields


ENTRIES = [
    entry(100, 9110),
    entry(20, 9110, "Reported", "Editorial"),
    entry(3, 9110, "Held for Document Update"),
    entry(1000, 9110, "Rejected", "Editorial"),
    entry(7, 9110, "Verified", "Editorial"),
    entry(5, 791, "Reported"),
    entry(6, 791, "Withdrawn"),
    entry(8, 2616, "rejected"),
    "not an entry",
    {"errata_id": "9"},
]
DATA = json.dumps(ENTRIES, indent=1).encode()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "index" / store.DB_NAME
    store.build(DATA, path, etag='"abc"')
    return path


def test_build_stats_and_meta(tmp_path: Path) -> None:
    path = tmp_path / "index" / store.DB_NAME
    stats = store.build(DATA, path, etag='"abc"')
    assert (stats.errata, stats.skipped, stats.rfcs, stats.size) == (8, 2, 3, len(DATA))
    assert stats.reasons == {"not an object": 1, "no usable doc-id": 1}
    meta = store.read_meta(path)
    assert meta is not None
    import hashlib

    assert {k: meta[k] for k in ("schema", "size", "sha256", "etag", "errata", "rfcs", "skipped")} == {
        "schema": store.SCHEMA_VERSION,
        "size": str(len(DATA)),
        "sha256": hashlib.sha256(DATA).hexdigest(),
        "etag": '"abc"',
        "errata": "8",
        "rfcs": "3",
        "skipped": "2",
    }
    assert json.loads(meta["skip_reasons"]) == {"no usable doc-id": 1, "not an object": 1}
    assert os.listdir(path.parent) == [store.DB_NAME]


def test_errata_for_orders_by_id_numerically_and_filters(db: Path) -> None:
    with store.ErrataDB(db) as errata:
        assert [e.id for e in errata.errata_for(9110)] == [3, 7, 20, 100, 1000]
        assert [e.id for e in errata.errata_for(9110, statuses=["verified"])] == [7, 100]
        assert [e.id for e in errata.errata_for(9110, statuses=["held", "Rejected"])] == [3, 1000]
        assert [e.id for e in errata.errata_for(9110, types=["editorial"])] == [7, 20, 1000]
        assert [e.id for e in errata.errata_for(9110, statuses=["VERIFIED"], types=["Technical"])] == [100]
        assert errata.errata_for(9110, statuses=[]) == []
        assert [e.id for e in errata.errata_for(9110, statuses=["ALL"], types=("all",))] == [3, 7, 20, 100, 1000]
        assert [e.id for e in errata.errata_for(791, statuses=["Withdrawn"])] == [6]
        assert errata.errata_for(1) == []
        first = errata.errata_for(9110)[0]
        assert (first.number, first.doc_id, first.status, first.orig_text) == (
            9110,
            "RFC9110",
            "Held for Document Update",
            "old 3\n",
        )
        assert first.fields["orig_text"] == "old 3\r\n"
        assert errata.erratum(8) is not None and errata.erratum(8).status == "Rejected"  # type: ignore[union-attr]
        assert errata.erratum(99) is None


def test_counts_in_canonical_order(db: Path) -> None:
    with store.ErrataDB(db) as errata:
        counts = errata.counts(9110)
        assert list(counts.items()) == [
            ("Verified", 2),
            ("Reported", 1),
            ("Held for Document Update", 1),
            ("Rejected", 1),
        ]
        assert list(errata.counts(791).items()) == [("Reported", 1), ("Withdrawn", 1)]
        assert errata.counts(1) == {}
        assert errata.numbers() == [791, 2616, 9110]


def test_verified_lookups(db: Path, tmp_path: Path) -> None:
    with store.ErrataDB(db) as errata:
        assert (errata.has_verified(9110), errata.verified_count(9110)) == (True, 2)
        assert (errata.has_verified(791), errata.verified_count(791)) == (False, 0)
    assert store.has_verified(9110, db) is True
    assert store.verified_count(9110, db) == 2
    assert store.has_verified(2616, db) is False
    assert store.has_verified(9110, tmp_path / "absent.sqlite") is False
    assert store.verified_count(9110, tmp_path / "absent.sqlite") == 0
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    assert store.has_verified(9110, garbage) is False
    assert store.verified_count(9110, garbage) == 0


def test_default_database_is_under_the_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db: Path) -> None:
    monkeypatch.setenv("DOCFETCH_CACHE_DIR", str(db.parent.parent))
    assert store.db_path() == db
    assert store.has_verified(9110) is True
    assert store.verified_count(9110) == 2


def test_has_verified_is_one_indexed_query(db: Path) -> None:
    with store.ErrataDB(db) as errata:
        plan = errata.conn.execute(
            "EXPLAIN QUERY PLAN SELECT EXISTS(SELECT 1 FROM erratum WHERE number = ? AND status = ?)",
            (9110, "Verified"),
        ).fetchall()
    assert any("USING COVERING INDEX erratum_by_rfc" in row[-1] for row in plan), plan


def test_read_only_connection(db: Path) -> None:
    with store.ErrataDB(db) as errata, pytest.raises(sqlite3.OperationalError):
        errata.conn.execute("DELETE FROM erratum")


def test_is_current_for_bytes_and_files(tmp_path: Path) -> None:
    source = tmp_path / "errata.json"
    source.write_bytes(DATA)
    path = tmp_path / "errata.sqlite"
    assert store.is_current(path, source) is False  # no database yet
    store.build(source, path)
    assert store.is_current(path, source) is True
    assert store.is_current(path, DATA) is True
    assert store.is_current(path, DATA + b" ") is False
    changed = DATA.replace(b"old 3", b"old 4")
    assert len(changed) == len(DATA)
    assert store.is_current(path, changed) is False
    os.utime(source, ns=(time.time_ns(), time.time_ns() + 10**9))  # same bytes, new mtime: still current
    assert store.is_current(path, source) is True
    assert store.read_meta(path)["mtime_ns"] == str(source.stat().st_mtime_ns)  # type: ignore[index]
    source.write_bytes(changed)  # same size, other bytes
    assert store.is_current(path, source) is False
    source.unlink()
    assert store.is_current(path, source) is True  # the database is all there is


def test_etag_is_taken_from_the_cache_sidecar(tmp_path: Path) -> None:
    source = tmp_path / "errata.json"
    source.write_bytes(DATA)
    (tmp_path / "errata.json.meta").write_text(json.dumps({"etag": '"xyz"', "checked": 1.0}))
    path = tmp_path / "errata.sqlite"
    store.build(source, path)
    assert store.read_meta(path)["etag"] == '"xyz"'  # type: ignore[index]


def test_old_schema_is_not_current(tmp_path: Path, db: Path) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
    conn.close()
    assert store.is_current(db, DATA) is False
    assert store.read_meta(tmp_path / "none.sqlite") is None


def test_failed_build_leaves_nothing_and_keeps_the_old_database(db: Path) -> None:
    before = db.read_bytes()
    big = json.dumps([entry(i, 1 + i % 50) for i in range(3 * store.PROGRESS_EVERY)]).encode()
    seen: list[int] = []

    def fail_midway(written: int) -> None:
        seen.append(written)
        if written >= 2 * store.PROGRESS_EVERY:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        store.build(big, db, progress=fail_midway)
    assert seen == [store.PROGRESS_EVERY, 2 * store.PROGRESS_EVERY]
    assert os.listdir(db.parent) == [store.DB_NAME]
    assert db.read_bytes() == before


def test_failed_first_build_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "index" / store.DB_NAME

    def interrupt(written: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.build(DATA, path, progress=interrupt)
    assert os.listdir(path.parent) == []


def test_a_file_that_is_not_a_list_is_refused_and_the_old_database_kept(db: Path) -> None:
    before = db.read_bytes()
    with pytest.raises(ErrataFormatError):
        store.build(b'{"errata": []}', db)
    with pytest.raises(ErrataFormatError):
        store.build(DATA[: len(DATA) // 2], db)  # a truncated download
    assert os.listdir(db.parent) == [store.DB_NAME]
    assert db.read_bytes() == before


def test_progress_reports_the_end(tmp_path: Path) -> None:
    seen: list[int] = []
    store.build(DATA, tmp_path / "a.sqlite", progress=seen.append)
    assert seen == [8]
    seen.clear()
    store.build(b"[]", tmp_path / "b.sqlite", progress=seen.append)
    assert seen == [0]


def test_ensure_builds_once(tmp_path: Path) -> None:
    source = tmp_path / "errata.json"
    source.write_bytes(DATA)
    path = tmp_path / "index" / store.DB_NAME
    assert store.ensure(source, path) == path
    built = store.read_meta(path)["built"]  # type: ignore[index]
    assert store.ensure(source, path) == path
    assert store.read_meta(path)["built"] == built  # type: ignore[index]
    source.write_bytes(json.dumps(ENTRIES[:2]).encode())
    store.ensure(source, path)
    assert store.read_meta(path)["errata"] == "2"  # type: ignore[index]


@pytest.mark.corpus
def test_real_file_builds_in_about_a_second(corpus, tmp_path: Path) -> None:
    path = tmp_path / store.DB_NAME
    stats = store.build(corpus / "errata" / "errata.json", path)
    assert (stats.errata, stats.skipped, stats.rfcs) == (8018, 0, 2615)
    assert stats.seconds < 5  # about 0.2 s on the 2-core development machine; generous for CI
    with store.ErrataDB(path) as errata:
        assert errata.counts(9110) == {"Verified": 6, "Rejected": 6}
        assert [e.id for e in errata.errata_for(9110, statuses=["verified"])] == [7105, 7109, 7138, 7306, 7419, 8268]
        assert errata.has_verified(9110) is True
        assert errata.counts(791) == json_counts(corpus, 791)


def json_counts(corpus: Path, number: int) -> dict[str, int]:
    """Counts by status for RFC ``number`` straight from the real file, for comparison."""
    from collections import Counter

    data = json.loads((corpus / "errata" / "errata.json").read_bytes())
    return dict(Counter(e["errata_status_code"] for e in data if int(e["doc-id"][3:]) == number))
