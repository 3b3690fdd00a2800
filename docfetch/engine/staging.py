"""Writing files whole or not at all: the one staged-write helper every writer uses.

A staged file is a temporary file (``.NAME.XXXXXXXX.part``) in the directory it will end up in
(or a scratch directory on the same file system); it is written, checked by its writer, then
renamed into place in one step, so that no reader ever sees a partial file. Staged files
belong to a :class:`StagingArea`: cancelling the area (Ctrl-C, SIGTERM, a reader that went
away) removes every file still in progress and forbids any further rename. Every area of the
process is reachable through :func:`cancel_all`, which the signal handlers call.

Users: the document cache, ``-o FILE``, ``-O DIR``, the index and errata databases, cached
metadata, and plugins (``docfetch mirror sync``) through ``docfetch.StagingArea``.
"""

from __future__ import annotations

import os
import tempfile
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

#: The suffix of every staged file; a file with it is never served and is swept when stale.
PART_SUFFIX = ".part"
#: A staged file older than this belongs to a process that died (no download lasts this long).
STALE_AFTER = 3600.0


class Cancelled(BaseException):
    """The staging area was cancelled: the work in progress is dropped (not an error to report)."""


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once, at import: os.umask is process-wide and racy in threads
#: Permissions of a finished file: what ``open()`` would give, not mkstemp's private 0600.
FILE_MODE = 0o666 & ~_UMASK

_AREAS: weakref.WeakSet[StagingArea] = weakref.WeakSet()
_AREAS_LOCK = threading.Lock()


class StagedFile:
    """A file being written: ``handle`` to write to, ``path`` of the temporary file."""

    __slots__ = ("handle", "path")

    def __init__(self, path: Path, handle: BinaryIO) -> None:
        self.path = path
        self.handle = handle


class StagingArea:
    """Staged files that are cancelled together (one run's downloads, one mirror sync)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: set[Path] = set()
        self._cancelled = threading.Event()
        with _AREAS_LOCK:
            _AREAS.add(self)

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancelled.is_set()

    @contextmanager
    def file(self, directory: Path, name: str, *, mode: int = FILE_MODE) -> Iterator[StagedFile]:
        """A new staged file in ``directory`` for the file ``name``; removed on leaving unless committed.

        Raises :class:`Cancelled` if the area is cancelled already.
        """
        directory.mkdir(parents=True, exist_ok=True)
        with self._lock:  # created and registered at once, so cancel() never misses one
            if self._cancelled.is_set():
                raise Cancelled
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=PART_SUFFIX)
            path = Path(tmp)
            self._live.add(path)
        try:
            os.fchmod(fd, mode)
            with os.fdopen(fd, "w+b") as handle:
                staged = StagedFile(path, handle)
                yield staged
        finally:
            self._discard(path)

    def commit(self, staged: StagedFile, dest: Path) -> Path:
        """Rename the staged file to ``dest`` (its writer flushed and checked it); Cancelled if cancelled."""
        if not staged.handle.closed:
            staged.handle.flush()
        with self._lock:
            if self._cancelled.is_set():
                raise Cancelled
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged.path, dest)
            self._live.discard(staged.path)
        return dest

    def _discard(self, path: Path) -> None:
        with self._lock:
            if path in self._live:
                self._live.discard(path)
                with suppress(OSError):
                    path.unlink()

    def cancel(self) -> None:
        """Remove every staged file in progress; nothing is renamed into place after this."""
        with self._lock:
            self._cancelled.set()
            for path in self._live:
                with suppress(OSError):
                    path.unlink()
            self._live.clear()


def cancel_all() -> None:
    """Cancel every staging area of the process (on Ctrl-C, SIGTERM, SIGHUP)."""
    with _AREAS_LOCK:
        areas = list(_AREAS)
    for area in areas:
        area.cancel()


_SHARED = StagingArea()


@contextmanager
def atomic_writer(dest: Path, *, area: StagingArea | None = None, staging: Path | None = None) -> Iterator[BinaryIO]:
    """Yield a file to write; on success it replaces ``dest`` in one rename, else it vanishes.

    ``staging``: where the temporary file is made (same file system as ``dest``; default beside
    it). Also on KeyboardInterrupt or a signal: no partial file is ever left at ``dest``.
    """
    chosen = area or _SHARED
    with chosen.file(staging or dest.parent, dest.name) as staged:
        yield staged.handle
        chosen.commit(staged, dest)


def sweep(directory: Path, *, older_than: float = STALE_AFTER) -> int:
    """Remove staged files a killed process left in ``directory`` (older than ``older_than`` seconds).

    A process stopped by SIGKILL or a power cut cannot clean up; its ``.part`` files are never
    served (nothing reads them) and are swept here by a later run. Returns how many were removed.
    """
    import time

    removed = 0
    limit = time.time() - older_than
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.endswith(PART_SUFFIX):
            continue
        with suppress(OSError):
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)
                removed += 1
    return removed
