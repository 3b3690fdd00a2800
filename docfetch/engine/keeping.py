"""Where a run keeps documents: the cache when it can be used, else a scratch directory; never damaged bytes.

A cache directory that is read-only, not a directory, someone else's, or on a full disk never
stops a fetch: the first write that fails switches the run to a private scratch directory, with
one note, and the documents are delivered all the same (as pip does with its cache). A cached
entry whose bytes no longer match the size and SHA-256 recorded when it was stored is reported,
removed and fetched again (with ``--offline``, a clear error instead).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from docfetch.engine.staging import Cancelled, StagedFile, StagingArea
from docfetch.errors import NotFoundError
from docfetch.reference import Reference
from docfetch.store.cache import Cache, CacheEntry


class Keeper:
    """The cache of one run, with its fallbacks: a scratch directory, and damaged entries set aside."""

    def __init__(self, cache: Cache, area: StagingArea, *, use_cache: bool, note: Callable[[str], None]) -> None:
        self.cache = cache
        self.area = area
        self.usable = use_cache
        self._note = note
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._kept: list[Path] = []
        self._lock = threading.Lock()

    # -- the cache, when it can be used --------------------------------------------------------

    def give_up(self, reason: str) -> None:
        """Stop using the cache for the rest of the run (once, with one note).

        Not when the run is being cancelled: files vanish under the workers then, and that says
        nothing about the cache (raises Cancelled instead).
        """
        if self.area.cancelled:
            raise Cancelled
        with self._lock:
            if not self.usable:
                return
            self.usable = False
        self._note(f"the cache {self.cache.root} cannot be used ({reason}); going on without it")

    def cached(self, ref: Reference, fmt: str, *, offline: bool) -> CacheEntry | None:
        """The cached entry, checked whole; a damaged one is removed (NotFoundError offline)."""
        if not self.usable:
            return None
        entry = self.cache.lookup(ref, fmt)
        if entry is None:
            return None
        problem = self.cache.verify(entry)
        if problem is None:
            return entry
        if offline:
            raise NotFoundError(
                f"the cached {ref.label()} is damaged ({problem})", hint="run without --offline to fetch it again"
            )
        self._note(f"the cached {ref.label()} is damaged ({problem}); fetching it again")
        self.cache.forget(ref, fmt)
        return None

    def staging(self) -> Path:
        """Where downloads are staged: the cache's ``tmp/`` (same file system), else a scratch directory."""
        if self.usable:
            try:
                return self.cache.staging_dir()
            except OSError as exc:
                self.give_up(exc.strerror or str(exc))
        return self.scratch()

    def scratch(self) -> Path:
        """A private temporary directory, removed when the run ends."""
        with self._lock:
            if self._scratch is None:
                self._scratch = tempfile.TemporaryDirectory(prefix="docfetch-")
            return Path(self._scratch.name)

    @contextlib.contextmanager
    def lock(self, ref: Reference, fmt: str) -> Iterator[None]:
        """The cache's lock on one entry, or none when the cache cannot take one."""
        if not self.usable:
            yield
            return
        try:
            held = self.cache.lock(ref, fmt)
            held.__enter__()
        except OSError as exc:
            self.give_up(exc.strerror or str(exc))
            yield
            return
        try:
            yield
        finally:
            held.__exit__(None, None, None)

    def keep(self, ref: Reference, fmt: str, staged: StagedFile, etag: str | None) -> Path:
        """Put a whole, validated download where the run reads it: the cache, else beside it in scratch."""
        if self.usable:
            try:
                return self.cache.store(ref, fmt, staged, etag, self.area)
            except OSError as exc:
                self.give_up(exc.strerror or str(exc))
        # Kept beside the staged file (a rename: same file system) until the run ends.
        kept = staged.path.with_name(f"{os.getpid()}-{id(staged)}-{ref.stem}.{fmt}")
        self._kept.append(kept)
        return self.area.commit(staged, kept)

    def touch(self, ref: Reference, fmt: str, etag: str | None) -> None:
        """Record a 304 (best effort)."""
        if self.usable:
            with contextlib.suppress(OSError):
                self.cache.touch(ref, fmt, etag)

    def close(self) -> None:
        """Remove what the run kept outside the cache."""
        for path in self._kept:
            with contextlib.suppress(OSError):
                path.unlink()
        if self._scratch is not None:
            self._scratch.cleanup()
