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


def _etag_beside(source: Path) -> str:
    """The ETag the cache recorded beside a downloaded file (``NAME.meta``), empty when unknown."""
    import json

    try:
        return str(json.loads(source.with_name(source.name + ".meta").read_text("utf-8")).get("etag") or "")
    except (OSError, ValueError, AttributeError):
        return ""


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
    an existing database is untouched.
    """
    import hashlib
    import json
    import sqlite3
    import tempfile
    import time

    from docfetch.errata.parse import parse_errata

    started = time.perf_counter()
    mtime_ns = ""
    if isinstance(source, bytes):
        data = source
    else:
        with open(source, "rb") as handle:
            mtime_ns = str(os.fstat(handle.fileno()).st_mtime_ns)
            data = handle.read()
        if etag is None:
            etag = _etag_beside(source)
    parsed = parse_errata(data)
    stats = BuildStats()
    stats.size, stats.sha256 = len(data), hashlib.sha256(data).hexdigest()
    stats.errata, stats.skipped, stats.reasons = len(parsed.errata), parsed.skipped, dict(parsed.reasons)
    stats.rfcs = len({e.number for e in parsed.errata})
    del data
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    os.close(fd)
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.executescript(_SCHEMA)
            rows = [(e.id, e.number, e.status, e.type, raw) for e, raw in zip(parsed.errata, parsed.raw, strict=True)]
            for start in range(0, len(rows), PROGRESS_EVERY):
                conn.executemany("INSERT INTO erratum VALUES (?, ?, ?, ?, ?)", rows[start : start + PROGRESS_EVERY])
                if progress is not None:
                    progress(min(start + PROGRESS_EVERY, len(rows)))
            if progress is not None and not rows:
                progress(0)
            meta = {
                "schema": SCHEMA_VERSION,
                "size": str(stats.size),
                "mtime_ns": mtime_ns,
                "sha256": stats.sha256,
                "etag": etag or "",
                "built": str(time.time()),
                "errata": str(stats.errata),
                "rfcs": str(stats.rfcs),
                "skipped": str(stats.skipped),
                "skip_reasons": json.dumps(stats.reasons, sort_keys=True),
            }
            conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            conn.commit()
        finally:
            conn.close()
        os.replace(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    stats.seconds = time.perf_counter() - started
    return stats


def _read_only_uri(path: str | os.PathLike[str]) -> str:
    """A ``file:`` URI opening ``path`` read-only (only ``%``, ``?`` and ``#`` need escaping)."""
    text = os.path.abspath(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{text}?mode=ro"


def read_meta(db: str | os.PathLike[str]) -> dict[str, str] | None:
    """The database's ``meta`` table, or None when there is no usable database."""
    import sqlite3

    if not os.path.isfile(db):
        return None
    try:
        conn = sqlite3.connect(_read_only_uri(db), uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def is_current(db: Path, source: bytes | Path) -> bool:
    """True when ``db`` was built, with this schema, from ``source`` as it is now (its bytes, or the file).

    A file is compared by size and mtime first, then, at the same size, by SHA-256 (a
    re-download of the same bytes is current; its new mtime is remembered). A file that no
    longer exists leaves the database current: it is all there is.
    """
    import hashlib

    meta = read_meta(db)
    if meta is None or meta.get("schema") != SCHEMA_VERSION:
        return False
    if isinstance(source, bytes):
        return meta.get("size") == str(len(source)) and meta.get("sha256") == hashlib.sha256(source).hexdigest()
    try:
        stat = source.stat()
    except OSError:
        return True
    if meta.get("size") != str(stat.st_size):
        return False
    if meta.get("mtime_ns") == str(stat.st_mtime_ns):
        return True
    with open(source, "rb") as handle:
        if meta.get("sha256") != hashlib.file_digest(handle, "sha256").hexdigest():
            return False
    _remember_mtime(db, stat.st_mtime_ns)
    return True


def _remember_mtime(db: Path, mtime_ns: int) -> None:
    """Record the source file's new mtime, so the next check is a stat again (best effort)."""
    import sqlite3

    try:
        conn = sqlite3.connect(db, timeout=1)
        try:
            with conn:
                conn.execute("UPDATE meta SET value = ? WHERE key = 'mtime_ns'", (str(mtime_ns),))
        finally:
            conn.close()
    except sqlite3.Error:
        pass


def ensure(source: Path, db: Path | None = None) -> Path:
    """The path of a database that is current for the errata.json file ``source``, building it if needed.

    The build runs under a lock beside the database, so concurrent runs build it once.
    Raises ``ErrataFormatError`` (and leaves any older database in place) when the file is not
    a JSON array.
    """
    db = db or db_path()
    if is_current(db, source):
        return db
    from docfetch.store.locks import exclusive_lock

    db.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(db.with_name(db.name + ".lock")):
        if not is_current(db, source):
            build(source, db)
    return db


# -- reading -----------------------------------------------------------------------------------


class ErrataDB:
    """A read-only connection to the errata database."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        import sqlite3

        self.path = path
        self.conn = sqlite3.connect(_read_only_uri(path), uri=True)

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
