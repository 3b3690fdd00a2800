"""Locks shared between processes: ``flock(2)`` where the system has it, else filelock.

Every first fetch takes one (so that concurrent processes download a document once), and
importing filelock costs about 13 ms (it pulls in ``inspect`` and ``platform``): on POSIX the
single system call a lock needs is made directly; elsewhere (Windows) filelock does the work.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def exclusive_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the ``with`` block, waiting for it.

    The lock is released when the block ends, and by the kernel if the process dies.
    """
    try:
        import fcntl
    except ImportError:  # no flock(2): Windows
        from filelock import FileLock

        with FileLock(os.fspath(path)):
            yield
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock
