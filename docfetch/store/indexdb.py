"""A local SQLite database of ``rfc-index.xml``: RFC lookups, subseries, relations, full-text search.

It lives at ``<cache>/index/rfc-index.sqlite`` and is rebuilt when the cached index file changes
(its size, mtime and SHA-256 are kept in the ``meta`` table). A build writes a temporary file
beside the database and renames it into place, so readers never see a partial database.

Importing this module costs next to nothing (the cached-fetch fast path uses it for
obsolescence notes): it needs ``os`` only; ``sqlite3``, ``json``, ``pathlib`` and the
XML parser are imported by the functions that need them.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path
    from typing import Any

#: Bumped whenever the schema changes: an older database is rebuilt.
SCHEMA_VERSION = "1"
DB_NAME = "rfc-index.sqlite"
#: bm25 weights of the full-text columns: title, authors, keywords, abstract.
WEIGHTS = (10.0, 3.0, 5.0, 1.0)
#: Rank multiplier for RFCs obsoleted by others (bm25 scores are negative: closer to 0 is worse).
OBSOLETED_FACTOR = 0.8
#: How much an RFC's standing (how many RFCs update, obsolete or bundle it) raises its rank.
STANDING_FACTOR = 0.2

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE rfc(
    number INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, title TEXT NOT NULL, authors TEXT NOT NULL,
    date TEXT NOT NULL, year INTEGER, month INTEGER, status TEXT NOT NULL,
    publication_status TEXT NOT NULL, pages INTEGER, formats TEXT NOT NULL, keywords TEXT NOT NULL,
    abstract TEXT NOT NULL, draft TEXT NOT NULL, doi TEXT NOT NULL, errata_url TEXT NOT NULL,
    stream TEXT NOT NULL, area TEXT NOT NULL, wg TEXT NOT NULL, relations TEXT NOT NULL,
    is_also TEXT NOT NULL, obsoleted INTEGER NOT NULL, boost REAL NOT NULL);
CREATE INDEX rfc_status ON rfc(status);
CREATE TABLE relation(
    number INTEGER NOT NULL, kind TEXT NOT NULL, position INTEGER NOT NULL, target TEXT NOT NULL,
    PRIMARY KEY(number, kind, position)) WITHOUT ROWID;
CREATE INDEX relation_target ON relation(target, kind);
CREATE TABLE not_issued(number INTEGER PRIMARY KEY);
CREATE TABLE series(scheme TEXT NOT NULL, number INTEGER NOT NULL, PRIMARY KEY(scheme, number)) WITHOUT ROWID;
CREATE TABLE series_member(
    scheme TEXT NOT NULL, number INTEGER NOT NULL, position INTEGER NOT NULL, rfc INTEGER NOT NULL,
    PRIMARY KEY(scheme, number, position)) WITHOUT ROWID;
CREATE INDEX series_member_rfc ON series_member(rfc);
CREATE VIRTUAL TABLE rfc_fts USING fts5(
    title, authors, keywords, abstract, content='', tokenize='unicode61 remove_diacritics 2');
"""

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"), 1)
}  # fmt: skip
_NOTE_KINDS = ("obsoleted-by", "updated-by")


# -- where things are --------------------------------------------------------------------------


def db_path(root: Path | None = None) -> Path:
    """The database file under the cache directory ``root`` (default: the user's cache)."""
    if root is None:
        from docfetch.config import cache_dir

        root = cache_dir()
    return root / "index" / DB_NAME


def index_xml_path(root: Path | None = None) -> Path:
    """Where the cache keeps the downloaded ``rfc-index.xml`` (what ``Fetcher.fetch(RFC_INDEX)`` returns)."""
    from docfetch.plugins.source import RFC_INDEX
    from docfetch.store.cache import Cache

    if root is None:
        from docfetch.config import cache_dir

        root = cache_dir()
    return Cache(root).path(RFC_INDEX, "xml")


def label(doc_id: str) -> str:
    """``RFC7230`` -> ``RFC 7230`` (anything else unchanged)."""
    head = doc_id.rstrip("0123456789")
    return f"{head} {doc_id[len(head) :]}" if head and head != doc_id else doc_id


# -- building ----------------------------------------------------------------------------------


class BuildStats:
    """What a build found in the index."""

    def __init__(self) -> None:
        self.rfcs = self.not_issued = self.series = 0
        self.seconds = 0.0

    def __repr__(self) -> str:
        counts = f"rfcs={self.rfcs}, not_issued={self.not_issued}, series={self.series}"
        return f"BuildStats({counts}, seconds={self.seconds:.2f})"


def _series_rows(entry: Any, members: dict[int, list[str]]) -> Iterator[tuple[str, int, int, int]]:
    scheme = entry.kind
    for position, doc_id in enumerate(d for d in entry.relations.get("is-also", []) if d.startswith("RFC")):
        rfc = int(doc_id[3:])
        members.setdefault(rfc, []).append(f"{scheme.upper()}{entry.number}")
        yield scheme, entry.number, position, rfc


def _formats(formats: list[str]) -> list[str]:
    """``ASCII`` (before 2026) and ``TEXT`` are ``TXT``."""
    return list(dict.fromkeys("TXT" if f.upper() in ("ASCII", "TEXT") else f.upper() for f in formats))


def _boost(relations: dict[str, list[str]], is_also: list[str]) -> float:
    """A rank multiplier from the RFC's standing: RFCs that many others update or obsolete, or a subseries holds."""
    import math

    links = sum(len(relations.get(k, [])) for k in ("updated-by", "obsoleted-by", "obsoletes")) + 3 * len(is_also)
    factor = OBSOLETED_FACTOR if relations.get("obsoleted-by") else 1.0
    return round(factor * (1 + STANDING_FACTOR * math.log1p(links)), 4)


def _insert_entries(conn: Any, source: Any, stats: BuildStats) -> None:
    import json

    from docfetch.store.rfcindex import iter_entries

    rfcs: dict[int, Any] = {}
    series_rows: list[tuple[str, int, int, int]] = []
    series: list[tuple[str, int]] = []
    not_issued: list[tuple[int]] = []
    in_series: dict[int, list[str]] = {}
    for entry in iter_entries(source):
        if entry.kind == "rfc":
            rfcs[entry.number] = entry
        elif entry.kind == "not-issued":
            not_issued.append((entry.number,))
        else:
            series.append((entry.kind, entry.number))
            series_rows.extend(_series_rows(entry, in_series))
    rows: list[tuple[Any, ...]] = []
    relations: list[tuple[int, str, int, str]] = []
    texts: list[tuple[int, str, str, str, str]] = []
    for e in rfcs.values():
        is_also = list(dict.fromkeys(e.relations.get("is-also", []) + in_series.get(e.number, [])))
        others = {k: v for k, v in e.relations.items() if k != "is-also"}
        rows.append((
            e.number, e.doc_id, e.title, json.dumps(e.authors), e.date, e.year, _MONTHS.get(e.month),
            e.status, e.publication_status, e.page_count, json.dumps(_formats(e.formats)), json.dumps(e.keywords),
            e.abstract, e.draft, e.doi, e.errata_url, e.stream, e.area, e.wg, json.dumps(others),
            json.dumps(is_also), 1 if others.get("obsoleted-by") else 0, _boost(others, is_also),
        ))  # fmt: skip
        for kind, targets in others.items():
            relations.extend((e.number, kind, i, target) for i, target in enumerate(targets))
        texts.append((e.number, e.title, ", ".join(e.authors), ", ".join(e.keywords), e.abstract))
    conn.executemany(f"INSERT OR REPLACE INTO rfc VALUES ({', '.join('?' * 23)})", rows)
    conn.executemany("INSERT OR REPLACE INTO relation VALUES (?, ?, ?, ?)", relations)
    conn.executemany("INSERT INTO rfc_fts(rowid, title, authors, keywords, abstract) VALUES (?, ?, ?, ?, ?)", texts)
    conn.executemany("INSERT OR IGNORE INTO not_issued VALUES (?)", not_issued)
    conn.executemany("INSERT OR IGNORE INTO series VALUES (?, ?)", series)
    conn.executemany("INSERT OR REPLACE INTO series_member VALUES (?, ?, ?, ?)", series_rows)
    conn.execute("INSERT INTO rfc_fts(rfc_fts) VALUES ('optimize')")
    stats.rfcs, stats.not_issued, stats.series = len(rows), len(not_issued), len(series)


def build(xml: Path, dest: Path) -> BuildStats:
    """Build the database for the index file ``xml`` at ``dest`` (staged, then renamed into place).

    Raises ``xml.etree.ElementTree.ParseError`` when the index is not well-formed XML.
    """
    import time

    from docfetch.store.derived import source_meta, staged_database

    started = time.perf_counter()
    stats = BuildStats()
    meta = source_meta(xml, SCHEMA_VERSION)
    with staged_database(dest, _SCHEMA) as conn, open(xml, "rb") as source:
        _insert_entries(conn, source, stats)
        meta.update(rfcs=str(stats.rfcs), not_issued=str(stats.not_issued), series=str(stats.series))
        conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    stats.seconds = time.perf_counter() - started
    return stats


def read_meta(db: Path) -> dict[str, str] | None:
    """The database's ``meta`` table, or None when there is no usable database."""
    from docfetch.store.derived import read_meta as read

    return read(db)


def is_current(db: Path, xml: Path) -> bool:
    """True when ``db`` was built, with this schema, from the index file as it is now."""
    from docfetch.store.derived import is_current as current

    return current(db, xml, SCHEMA_VERSION)


def ensure(xml: Path, db: Path | None = None) -> Path:
    """The path of a database that is current for ``xml``, building it if needed (under a lock)."""
    from docfetch.store.derived import ensure as ensure_derived

    return ensure_derived(xml, db or db_path(), SCHEMA_VERSION, build)


# -- reading -----------------------------------------------------------------------------------


class Hit:
    """One search result."""

    def __init__(
        self,
        number: int,
        doc_id: str,
        title: str,
        status: str,
        date: str,
        year: int | None,
        authors: list[str],
        obsoleted_by: list[str],
        score: float,
    ) -> None:
        self.number, self.doc_id, self.title, self.status, self.date = number, doc_id, title, status, date
        self.year, self.authors, self.obsoleted_by, self.score = year, authors, obsoleted_by, score

    def __repr__(self) -> str:
        return f"Hit({self.number}, {self.title!r}, {self.status!r}, score={self.score})"

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def fts_query(text: str, *, any_word: bool = False) -> str:
    """A safe FTS5 query from what a user typed: its words, quoted (all of them, or any)."""
    import re

    words = re.findall(r"\w+", text.lower())
    return (" OR " if any_word else " ").join(f'"{word}"' for word in words)


class IndexDB:
    """A read-only connection to the database."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        import sqlite3

        self.path = path
        from docfetch.store.derived import read_only_uri

        self.conn = sqlite3.connect(read_only_uri(path), uri=True)
        self.conn.row_factory = sqlite3.Row

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> IndexDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta").fetchall())

    def rfc(self, number: int) -> dict[str, Any] | None:
        """Everything the index says about RFC ``number`` (lists decoded), or None."""
        import json

        row = self.conn.execute("SELECT * FROM rfc WHERE number = ?", (number,)).fetchone()
        if row is None:
            return None
        record = dict(row)
        for name in ("authors", "formats", "keywords", "relations", "is_also"):
            record[name] = json.loads(record[name])
        return record

    def not_issued(self, number: int) -> bool:
        return self.conn.execute("SELECT 1 FROM not_issued WHERE number = ?", (number,)).fetchone() is not None

    def members(self, scheme: str, number: int) -> list[str] | None:
        """RFC doc-ids (``RFC2119``) of BCP/STD/FYI ``number`` in index order; None if unknown."""
        key = (scheme.lower(), number)
        if self.conn.execute("SELECT 1 FROM series WHERE scheme = ? AND number = ?", key).fetchone() is None:
            return None
        rows = self.conn.execute("SELECT rfc FROM series_member WHERE scheme = ? AND number = ? ORDER BY position", key)
        return [f"RFC{rfc}" for (rfc,) in rows]

    def relations(self, number: int, kinds: Iterable[str] = _NOTE_KINDS) -> dict[str, list[str]]:
        """Relation lists of RFC ``number`` (``obsoleted-by``...), in index order."""
        kinds = tuple(kinds)
        rows = self.conn.execute(
            f"SELECT kind, target FROM relation WHERE number = ? AND kind IN ({', '.join('?' * len(kinds))}) "
            "ORDER BY kind, position",
            (number, *kinds),
        )
        found: dict[str, list[str]] = {}
        for kind, target in rows:
            found.setdefault(kind, []).append(target)
        return found

    def statuses(self) -> list[str]:
        return [s for (s,) in self.conn.execute("SELECT DISTINCT status FROM rfc WHERE status != '' ORDER BY status")]

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM rfc").fetchone()[0]

    def search(self, text: str, *, status: str | None = None, limit: int = 20) -> list[Hit]:
        """RFCs matching every word of ``text`` (else any word), best first (bm25, title weighted)."""
        hits = self._exact_number(text, status)
        for any_word in (False, True):
            query = fts_query(text, any_word=any_word)
            if not query:
                break
            found = self._match(query, status, limit + len(hits))
            if found:
                hits += [hit for hit in found if hit.number not in {h.number for h in hits}]
                break
        return hits[:limit]

    def _exact_number(self, text: str, status: str | None) -> list[Hit]:
        import re

        match = re.fullmatch(r"\s*(?:rfc)?\s*0*([0-9]{1,6})\s*", text, re.IGNORECASE)
        if not match:
            return []
        sql = f"SELECT {_HIT_COLUMNS}, 0.0 AS score FROM rfc r WHERE r.number = ?"
        params: list[Any] = [int(match.group(1))]
        if status:
            sql += " AND r.status = ?"
            params.append(status)
        return [_hit(row) for row in self.conn.execute(sql, params)]

    def _match(self, query: str, status: str | None, limit: int) -> list[Hit]:
        weights = ", ".join(str(w) for w in WEIGHTS)
        sql = (
            f"SELECT {_HIT_COLUMNS}, bm25(rfc_fts, {weights}) * r.boost AS score"
            " FROM rfc_fts JOIN rfc r ON r.number = rfc_fts.rowid WHERE rfc_fts MATCH ?"
        )
        params: list[Any] = [query]
        if status:
            sql += " AND r.status = ?"
            params.append(status)
        sql += " ORDER BY score, r.number DESC LIMIT ?"
        params.append(limit)
        return [_hit(row) for row in self.conn.execute(sql, params)]


_HIT_COLUMNS = "r.number, r.doc_id, r.title, r.status, r.date, r.year, r.authors, r.relations"


def _hit(row: Any) -> Hit:
    import json

    relations = json.loads(row["relations"])
    return Hit(
        row["number"], row["doc_id"], row["title"], row["status"], row["date"], row["year"],
        json.loads(row["authors"]), relations.get("obsoleted-by", []), round(row["score"], 4),
    )  # fmt: skip


# -- the library entry points -----------------------------------------------------------------


def members(scheme: str, number: int, index: Path | None = None) -> list[str] | None:
    """RFC doc-ids of BCP/STD/FYI ``number`` (None if the index has no such entry), via the database.

    ``index`` is the index file just fetched (default: the cached one). One that is not the
    cache's own copy (``--no-cache``) is parsed directly, as the cache must not be written.
    Raises ``ParseError`` when the index file is not XML, like ``rfcindex.subseries_members``.
    """
    import sqlite3

    from docfetch.store.rfcindex import subseries_members

    canonical = index_xml_path()
    if index is not None and os.path.abspath(index) != os.path.abspath(canonical):
        return subseries_members(index, scheme, number)
    try:
        with IndexDB(ensure(canonical, db_path())) as db:
            return db.members(scheme, number)
    except (sqlite3.Error, OSError):  # e.g. a read-only or full cache: parse the file itself
        return subseries_members(canonical, scheme, number)
