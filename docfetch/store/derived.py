"""SQLite databases derived from a downloaded file (the RFC index, errata.json): built whole, kept current.

A database is built into a staged file (:mod:`docfetch.engine.staging`) beside its destination
and renamed into place, so readers never see a partial one; its ``meta`` table records the schema
version and the source file's size, mtime, SHA-256 and ETag, so that :func:`is_current` can tell
whether the source changed (a stat first; a hash only when the size matches but the mtime moved,
as a re-download of the same bytes does). :func:`ensure` builds under a lock: concurrent runs
build once. Cheap to import (``os`` only).
"""

from __future__ import annotations

import os
from contextlib import contextmanager

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterator
    from pathlib import Path
    from typing import Any


def read_only_uri(path: str | os.PathLike[str]) -> str:
    """A ``file:`` URI opening ``path`` read-only (only ``%``, ``?`` and ``#`` need escaping)."""
    text = os.path.abspath(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{text}?mode=ro"


def read_meta(db: str | os.PathLike[str]) -> dict[str, str] | None:
    """The database's ``meta`` table, or None when there is no usable database."""
    import sqlite3

    if not os.path.isfile(db):
        return None
    try:
        conn = sqlite3.connect(read_only_uri(db), uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    import hashlib

    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def etag_beside(source: Path) -> str:
    """The ETag the cache recorded beside a downloaded file (its ``.meta``), empty when unknown."""
    from docfetch.store.integrity import read_record

    etag = (read_record(str(source)) or {}).get("etag")
    return etag if isinstance(etag, str) else ""


def source_meta(source: Path, schema: str) -> dict[str, str]:
    """What a database built from ``source`` records of it (to tell later whether it changed)."""
    import time

    stat = source.stat()
    return {
        "schema": schema,
        "size": str(stat.st_size),
        "mtime_ns": str(stat.st_mtime_ns),
        "sha256": file_sha256(source),
        "etag": etag_beside(source),
        "built": str(time.time()),
    }


def is_current(db: Path, source: Path, schema: str) -> bool:
    """True when ``db`` was built, with this schema, from ``source`` as it is now.

    A source file that no longer exists leaves the database current: it is all there is.
    """
    meta = read_meta(db)
    if meta is None or meta.get("schema") != schema:
        return False
    try:
        stat = source.stat()
    except OSError:
        return True
    if meta.get("size") != str(stat.st_size):
        return False
    if meta.get("mtime_ns") == str(stat.st_mtime_ns):
        return True
    if meta.get("sha256") != file_sha256(source):  # same size, new mtime: a re-download of the same bytes?
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


@contextmanager
def staged_database(dest: Path, schema_sql: str) -> Iterator[sqlite3.Connection]:
    """A connection to a new database that becomes ``dest`` only if the ``with`` block succeeds.

    The schema is created first; the caller inserts and writes its ``meta`` rows; on leaving the
    block the database is committed, closed and renamed into place. On any failure (a full
    disk, an interrupt, bad input) neither ``dest`` nor a temporary file is left changed.
    """
    import sqlite3

    from docfetch.engine.staging import StagingArea

    area = StagingArea()
    with area.file(dest.parent, dest.name) as staged:
        staged.handle.close()  # SQLite opens the file by name
        conn = sqlite3.connect(staged.path)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.executescript(schema_sql)
            yield conn
            conn.commit()
        finally:
            conn.close()
        area.commit(staged, dest)


def ensure(source: Path, db: Path, schema: str, build: Callable[[Path, Path], Any]) -> Path:
    """``db``, current for ``source`` (``build(source, db)`` when it is not), built once under a lock."""
    if is_current(db, source, schema):
        return db
    from docfetch.store.locks import exclusive_lock

    db.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(db.with_name(db.name + ".lock")):
        if not is_current(db, source, schema):
            build(source, db)
    return db
