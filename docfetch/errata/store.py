"""A local SQLite database of ``errata.json``: built atomically, checked for freshness, queried offline.

It lives at ``<cache>/index/errata.sqlite``. A build parses the whole file first (a file that
is not a JSON array raises before anything is written), then writes a temporary file beside
the database and renames it into place, so readers never see a partial database. The
``meta`` table records the source's size, mtime, SHA-256 and ETag, and how many entries were
kept and skipped (and why), as the RFC index database does (:mod:`docfetch.indexdb`).

Each erratum is stored as its exact JSON text from the file plus the indexed columns the
queries need (RFC number, status, type); it is normalised again when read.

Importing this module costs next to nothing: :func:`has_verified` and :func:`verified_count`
run on every fetch of an RFC; they need ``os``, and ``sqlite3`` only when a database exists.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path
    from typing import Any

    from docfetch.errata.model import Erratum

#: Bumped whenever the schema changes: an older database is rebuilt.
SCHEMA_VERSION = "1"
DB_NAME = "errata.sqlite"
#: How often (in entries written) a build reports its progress.
PROGRESS_EVERY = 1000

_VERIFIED = "Verified"  # model.STATUSES["verified"], without importing the model on the hot path
_STATUS_ORDER = ("Verified", "Reported", "Held for Document Update", "Rejected")

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE erratum(
    id INTEGER PRIMARY KEY, number INTEGER NOT NULL, status TEXT NOT NULL, type TEXT NOT NULL, raw TEXT NOT NULL);
CREATE INDEX erratum_by_rfc ON erratum(number, status, type);
"""


def db_path(root: str | os.PathLike[str] | None = None) -> Path:
    """The database file under the cache directory ``root`` (default: the user's cache)."""
    from pathlib import Path

    if root is None:
        from docfetch.store.layout import cache_root

        root = cache_root()
    return Path(root) / "index" / DB_NAME


# -- building ----------------------------------------------------------------------------------


class BuildStats:
    """What a build found: errata kept, entries skipped (by reason), RFCs with errata, and the source."""

    def __init__(self) -> None:
        self.errata = self.skipped = self.rfcs = self.size = 0
        self.reasons: dict[str, int] = {}
        self.sha256 = ""
        self.seconds = 0.0

    def __repr__(self) -> str:
        return (
            f"BuildStats(errata={self.errata}, skipped={self.skipped}, rfcs={self.rfcs}, "
            f"size={self.size}, seconds={self.seconds:.2f})"
        )


def build(
    source: bytes | Path,
    dest: Path,
    *,
    etag: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildStats:
    """Build the database at ``dest`` from errata.json (its bytes, or the file) and return what it held.

    ``etag`` is recorded in ``meta`` (default for a file: the one the cache keeps beside it).
    ``progress``, if given, is called with the number of errata written so far, every
    ``PROGRESS_EVERY`` entries and at the end; an exception it raises aborts the build like
    any other failure. On any failure (``ErrataFormatError`` for a file that is not a JSON
    array, a full disk, an interrupt) no database and no temporary file are left behind and
    an existing database is untouched (the build is staged: :mod:`docfetch.store.derived`).
    """
    import hashlib
    import json
    import time

    from docfetch.errata.parse import parse_errata
    from docfetch.store.derived import source_meta, staged_database

    started = time.perf_counter()
    if isinstance(source, bytes):
        data = source
        meta = {"schema": SCHEMA_VERSION, "size": str(len(data)), "mtime_ns": "", "etag": "", "built": str(time.time())}
        meta["sha256"] = hashlib.sha256(data).hexdigest()
    else:
        meta = source_meta(source, SCHEMA_VERSION)
        with open(source, "rb") as handle:
            data = handle.read()
    if etag is not None:
        meta["etag"] = etag
    parsed = parse_errata(data)
    stats = BuildStats()
    stats.size, stats.sha256 = len(data), meta["sha256"]
    stats.errata, stats.skipped, stats.reasons = len(parsed.errata), parsed.skipped, dict(parsed.reasons)
    stats.rfcs = len({e.number for e in parsed.errata})
    del data
    with staged_database(dest, _SCHEMA) as conn:
        rows = [(e.id, e.number, e.status, e.type, raw) for e, raw in zip(parsed.errata, parsed.raw, strict=True)]
        for start in range(0, len(rows), PROGRESS_EVERY):
            conn.executemany("INSERT INTO erratum VALUES (?, ?, ?, ?, ?)", rows[start : start + PROGRESS_EVERY])
            if progress is not None:
                progress(min(start + PROGRESS_EVERY, len(rows)))
        if progress is not None and not rows:
            progress(0)
        meta.update(
            errata=str(stats.errata),
            rfcs=str(stats.rfcs),
            skipped=str(stats.skipped),
            skip_reasons=json.dumps(stats.reasons, sort_keys=True),
        )
        conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    stats.seconds = time.perf_counter() - started
    return stats


def read_meta(db: str | os.PathLike[str]) -> dict[str, str] | None:
    """The database's ``meta`` table, or None when there is no usable database."""
    from docfetch.store.derived import read_meta as read

    return read(db)


def is_current(db: Path, source: bytes | Path) -> bool:
    """True when ``db`` was built, with this schema, from ``source`` as it is now (its bytes, or the file)."""
    import hashlib

    from docfetch.store.derived import is_current as current

    if not isinstance(source, bytes):
        return current(db, source, SCHEMA_VERSION)
    meta = read_meta(db)
    if meta is None or meta.get("schema") != SCHEMA_VERSION:
        return False
    return meta.get("size") == str(len(source)) and meta.get("sha256") == hashlib.sha256(source).hexdigest()


def ensure(source: Path, db: Path | None = None) -> Path:
    """The path of a database that is current for the errata.json file ``source``, building it if needed.

    The build runs under a lock beside the database, so concurrent runs build it once.
    Raises ``ErrataFormatError`` (and leaves any older database in place) when the file is not
    a JSON array.
    """
    from docfetch.store.derived import ensure as ensure_derived

    return ensure_derived(source, db or db_path(), SCHEMA_VERSION, build)


# -- reading -----------------------------------------------------------------------------------


class ErrataDB:
    """A read-only connection to the errata database."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        import sqlite3

        self.path = path
        from docfetch.store.derived import read_only_uri

        self.conn = sqlite3.connect(read_only_uri(path), uri=True)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> ErrataDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def meta(self) -> dict[str, str]:
        """The ``meta`` table: source size, sha256, etag, counts, skip reasons (JSON)."""
        return dict(self.conn.execute("SELECT key, value FROM meta").fetchall())

    def errata_for(
        self, number: int, *, statuses: Iterable[str] | None = None, types: Iterable[str] | None = None
    ) -> list[Erratum]:
        """The errata of RFC ``number``, by id; only the given statuses/types if given.

        Statuses and types may be canonical names or the short keys (``held``, ``technical``),
        in any case; None, or a list holding ``all``, means all.
        """
        from docfetch.errata.model import normalise_status, normalise_type

        sql = "SELECT raw FROM erratum WHERE number = ?"
        params: list[Any] = [number]
        for column, values, normalise in (("status", statuses, normalise_status), ("type", types, normalise_type)):
            given = None if values is None else list(values)
            if given is not None and not any(v.strip().lower() == "all" for v in given):
                wanted = sorted({normalise(v) for v in given})
                sql += f" AND {column} IN ({', '.join('?' * len(wanted))})" if wanted else " AND 0"
                params += wanted
        return _errata(self.conn.execute(sql + " ORDER BY id", params))

    def erratum(self, errata_id: int) -> Erratum | None:
        """One erratum by its id, or None."""
        found = _errata(self.conn.execute("SELECT raw FROM erratum WHERE id = ?", (errata_id,)))
        return found[0] if found else None

    def counts(self, number: int) -> dict[str, int]:
        """How many errata RFC ``number`` has, by status (Verified, Reported, Held..., Rejected, then others)."""
        query = "SELECT status, count(*) FROM erratum WHERE number = ? GROUP BY status"
        rows = dict(self.conn.execute(query, (number,)))
        order = [s for s in _STATUS_ORDER if s in rows] + sorted(s for s in rows if s not in _STATUS_ORDER)
        return {status: rows[status] for status in order}

    def verified_count(self, number: int) -> int:
        """How many verified errata RFC ``number`` has (one indexed count)."""
        query = "SELECT count(*) FROM erratum WHERE number = ? AND status = ?"
        return int(self.conn.execute(query, (number, _VERIFIED)).fetchone()[0])

    def has_verified(self, number: int) -> bool:
        """True when RFC ``number`` has at least one verified erratum (one indexed lookup)."""
        query = "SELECT EXISTS(SELECT 1 FROM erratum WHERE number = ? AND status = ?)"
        return bool(self.conn.execute(query, (number, _VERIFIED)).fetchone()[0])

    def numbers(self) -> list[int]:
        """Every RFC number that has errata, ascending."""
        return [n for (n,) in self.conn.execute("SELECT DISTINCT number FROM erratum ORDER BY number")]


def _errata(rows: Iterable[tuple[str]]) -> list[Erratum]:
    import json

    from docfetch.errata.model import Erratum
    from docfetch.errata.parse import erratum_from

    found = []
    for (raw,) in rows:
        erratum = erratum_from(json.loads(raw, parse_constant=str))
        if isinstance(erratum, Erratum):  # always, for a database this module built
            found.append(erratum)
    return found


# -- the fetch path ----------------------------------------------------------------------------


def verified_count(number: int, db: str | os.PathLike[str] | None = None) -> int:
    """How many verified errata RFC ``number`` has, from the local database; 0 without one. Never raises.

    Meant for every fetch of an RFC: no network, one indexed query on a read-only connection.
    """
    try:
        if db is None:
            from docfetch.store.layout import cache_root

            db = os.path.join(cache_root(), "index", DB_NAME)
        if not os.path.isfile(db):
            return 0
        with ErrataDB(db) as errata:
            return errata.verified_count(number)
    except Exception:  # a note must never fail a fetch
        return 0


def has_verified(number: int, db: str | os.PathLike[str] | None = None) -> bool:
    """True when the local database says RFC ``number`` has verified errata; False without one. Never raises."""
    try:
        if db is None:
            from docfetch.store.layout import cache_root

            db = os.path.join(cache_root(), "index", DB_NAME)
        if not os.path.isfile(db):
            return False
        with ErrataDB(db) as errata:
            return errata.has_verified(number)
    except Exception:  # a note must never fail a fetch
        return False
