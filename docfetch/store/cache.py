"""The document cache: published documents kept forever, the rest revalidated daily.

Layout under the cache directory: ``docs/<scheme>/<stem>.<fmt>`` (plus ``.meta`` beside
documents that change, holding their ETag and when they were checked), ``tmp/`` for downloads
in progress and ``locks/``. Entries appear only by atomic rename, so a reader never sees a
partial one, even with several processes fetching at once.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from docfetch.reference import Reference
from docfetch.store.layout import document_path
from docfetch.store.layout import is_immutable as _immutable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from docfetch.engine.staging import StagedFile, StagingArea

#: How long a document that can change is served without asking the server again.
REVALIDATE_AFTER = 24 * 3600


def is_immutable(ref: Reference, fmt: str) -> bool:
    """Published RFC texts never change; nor does a draft at an exact revision."""
    return _immutable(ref.scheme, ref.revision, fmt)


class CacheEntry:
    """A cached document and what is known of its freshness (a plain class: no dataclasses import)."""

    __slots__ = ("checked", "etag", "immutable", "path")

    def __init__(self, path: Path, etag: str | None, checked: float, immutable: bool) -> None:
        self.path, self.etag, self.checked, self.immutable = path, etag, checked, immutable

    def fresh(self, now: float | None = None) -> bool:
        """True when it can be served without asking the server."""
        if self.immutable:
            return True
        return (now or time.time()) - self.checked < REVALIDATE_AFTER


class Cache:
    """Paths, lookups and atomic stores under one cache directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, ref: Reference, fmt: str) -> Path:
        """Where ``ref`` in ``fmt`` lives (names come from validated references only)."""
        return Path(document_path(str(self.root), ref.scheme, ref.stem, fmt))

    def _meta_path(self, path: Path) -> Path:
        return path.with_name(path.name + ".meta")

    def lookup(self, ref: Reference, fmt: str) -> CacheEntry | None:
        """The cached entry for ``ref``, or None."""
        path = self.path(ref, fmt)
        try:
            stat = path.stat()
        except OSError:
            return None
        immutable = is_immutable(ref, fmt)
        etag, checked = None, stat.st_mtime
        if not immutable:
            import json

            try:
                meta = json.loads(self._meta_path(path).read_text("utf-8"))
                etag, checked = meta.get("etag"), float(meta.get("checked", checked))
            except (OSError, ValueError, AttributeError):
                pass
        return CacheEntry(path, etag, checked, immutable)

    def staging_dir(self) -> Path:
        """A directory on the cache's file system for downloads in progress."""
        tmp = self.root / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        return tmp

    def store(self, ref: Reference, fmt: str, staged: StagedFile, etag: str | None, area: StagingArea) -> Path:
        """Move a whole, validated download into place (one rename) and record its ETag."""
        dest = self.path(ref, fmt)
        if not is_immutable(ref, fmt):
            self._write_meta(dest, etag)
        return area.commit(staged, dest)

    def touch(self, ref: Reference, fmt: str, etag: str | None) -> None:
        """Record that the server confirmed the cached copy is current (a 304)."""
        self._write_meta(self.path(ref, fmt), etag)

    def _write_meta(self, dest: Path, etag: str | None) -> None:
        import json

        from docfetch.engine.staging import atomic_writer

        with atomic_writer(self._meta_path(dest)) as handle:
            handle.write(json.dumps({"etag": etag, "checked": time.time()}).encode())

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

    def usage(self) -> tuple[int, int]:
        """How many documents are cached and how many bytes they take."""
        count = size = 0
        for dirpath, _dirs, files in os.walk(self.root / "docs"):
            for name in files:
                if not name.endswith(".meta"):
                    count += 1
                    size += os.path.getsize(os.path.join(dirpath, name))
        return count, size

    def clear(self) -> None:
        """Remove every cached document and the per-document lock files (the directory itself stays).

        A process still fetching keeps the lock it holds; at worst a document is downloaded twice.
        """
        import shutil

        for name in ("docs", "tmp", "index", "locks"):
            shutil.rmtree(self.root / name, ignore_errors=True)
