"""The document cache: published documents kept forever, the rest revalidated daily; every entry verified.

Layout under the cache directory: ``docs/<scheme>/<stem>.<fmt>``, each with a ``.meta`` record
beside it (size and SHA-256, and for documents that change their ETag and when they were
checked: :mod:`docfetch.store.integrity`), ``tmp/`` for downloads and records in progress (swept
of what a killed process left), ``locks/``, ``outlines/`` and ``index/``. Entries appear only by
atomic rename, so a reader never sees a partial one, even with several processes fetching at once;
a damaged entry is never served.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from docfetch.reference import Reference
from docfetch.store import integrity
from docfetch.store.layout import document_path
from docfetch.store.layout import is_immutable as _immutable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import AbstractContextManager
    from typing import Any

    from docfetch.engine.staging import StagedFile, StagingArea

#: How long a document that can change is served without asking the server again.
REVALIDATE_AFTER = 24 * 3600


def is_immutable(ref: Reference, fmt: str) -> bool:
    """Published RFC texts never change; nor does a draft at an exact revision."""
    return _immutable(ref.scheme, ref.revision, fmt)


class CacheEntry:
    """A cached document, its integrity record and what is known of its freshness."""

    __slots__ = ("checked", "etag", "immutable", "path", "record")

    def __init__(self, path: Path, record: dict[str, Any] | None, checked: float, immutable: bool) -> None:
        self.path, self.record, self.checked, self.immutable = path, record, checked, immutable
        etag = (record or {}).get("etag")
        self.etag: str | None = etag if isinstance(etag, str) else None

    def fresh(self, now: float | None = None) -> bool:
        """True when it can be served without asking the server."""
        if self.immutable:
            return True
        return (now or time.time()) - self.checked < REVALIDATE_AFTER


class Cache:
    """Paths, lookups, verification and atomic stores under one cache directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._swept = False

    def path(self, ref: Reference, fmt: str) -> Path:
        """Where ``ref`` in ``fmt`` lives (names come from validated references only)."""
        return Path(document_path(str(self.root), ref.scheme, ref.stem, fmt))

    def lookup(self, ref: Reference, fmt: str) -> CacheEntry | None:
        """The cached entry for ``ref``, or None (its bytes are checked by :meth:`verify`)."""
        path = self.path(ref, fmt)
        try:
            stat = path.stat()
        except OSError:
            return None
        record = integrity.read_record(str(path))
        checked = stat.st_mtime
        if record is not None:
            with contextlib.suppress(TypeError, ValueError):
                checked = float(record.get("checked", checked))
        return CacheEntry(path, record, checked, is_immutable(ref, fmt))

    def verify(self, entry: CacheEntry) -> str | None:
        """Why the entry's bytes are damaged, or None when they are whole (an entry without a record is adopted)."""
        try:
            with open(entry.path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            return f"unreadable ({exc.strerror or exc})"
        problem = integrity.damage(data, entry.record)
        if problem is None and not integrity.has_record(entry.record):
            integrity.adopt(str(entry.path), data, entry.record, str(self.root / "tmp"))
        return problem

    def staging_dir(self) -> Path:
        """A directory on the cache's file system for downloads in progress (swept of stale ones once a run)."""
        tmp = self.root / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        if not self._swept:
            self._swept = True
            from docfetch.engine.staging import sweep

            sweep(tmp)
        return tmp

    def store(self, ref: Reference, fmt: str, staged: StagedFile, etag: str | None, area: StagingArea) -> Path:
        """Record the size and SHA-256 of a whole, validated download, then move it into place (one rename)."""
        import hashlib

        staged.handle.flush()
        digest = hashlib.sha256()
        size = 0
        with open(staged.path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        dest = self.path(ref, fmt)
        dest.parent.mkdir(parents=True, exist_ok=True)
        record = {"size": size, "sha256": digest.hexdigest(), "etag": etag, "checked": time.time()}
        if not integrity.write_record(str(dest), record, str(self.staging_dir()), area):
            raise OSError(f"cannot write the record of {dest}")
        return area.commit(staged, dest)

    def touch(self, ref: Reference, fmt: str, etag: str | None) -> None:
        """Record that the server confirmed the cached copy is current (a 304)."""
        dest = self.path(ref, fmt)
        record = dict(integrity.read_record(str(dest)) or {})
        record.update(etag=etag, checked=time.time())
        integrity.write_record(str(dest), record, str(self.staging_dir()))

    def forget(self, ref: Reference, fmt: str) -> None:
        """Remove a damaged entry and its record (best effort)."""
        dest = self.path(ref, fmt)
        for path in (str(dest), integrity.meta_path(str(dest))):
            with contextlib.suppress(OSError):
                os.unlink(path)

    def lock(self, ref: Reference, fmt: str) -> AbstractContextManager[None]:
        """A file lock that serialises downloads of one entry across processes."""
        from docfetch.store.locks import exclusive_lock

        locks = self.root / "locks"
        locks.mkdir(parents=True, exist_ok=True)
        return exclusive_lock(locks / f"{ref.scheme}-{ref.stem}.{fmt}.lock")

    def revisions(self, ref: Reference, fmt: str) -> list[str]:
        """Cached revisions of a draft, oldest first (for offline 'latest' answers)."""
        folder = self.root / "docs" / ref.scheme
        prefix, suffix = f"{ref.name}-", f".{fmt}"
        found = []
        try:
            for entry in os.scandir(folder):
                middle = entry.name[len(prefix) : -len(suffix)]
                if (
                    entry.name.startswith(prefix)
                    and entry.name.endswith(suffix)
                    and len(middle) == 2
                    and middle.isdigit()
                ):
                    found.append(middle)
        except OSError:
            return []
        return sorted(found)

    def documents(self) -> Iterator[Path]:
        """Every cached document (not the records beside them, nor staged files)."""
        for dirpath, _dirs, files in os.walk(self.root / "docs"):
            for name in sorted(files):
                if not name.endswith(".meta") and not name.endswith(".part"):
                    yield Path(dirpath) / name

    def check(self, path: Path) -> str | None:
        """Why the cached document at ``path`` is damaged, or None (for ``cache verify``)."""
        entry = CacheEntry(path, integrity.read_record(str(path)), 0.0, True)
        return self.verify(entry)

    def usage(self) -> tuple[int, int]:
        """How many documents are cached and how many bytes they take."""
        count = size = 0
        for path in self.documents():
            count += 1
            size += os.path.getsize(path)
        return count, size

    def clear(self) -> None:
        """Remove every cached document, outline, learned redirect and lock file (the directory itself stays).

        A process still fetching keeps the lock it holds; at worst a document is downloaded twice.
        """
        import shutil

        for name in ("docs", "tmp", "index", "locks", "outlines", "http"):
            shutil.rmtree(self.root / name, ignore_errors=True)
