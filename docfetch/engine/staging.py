"""Writing files whole or not at all: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_writer(dest: Path) -> Iterator[BinaryIO]:
    """Yield a file to write; on success it replaces ``dest`` in one rename, else it vanishes.

    Also on KeyboardInterrupt: no partial file is ever left at ``dest`` or beside it.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # a normal file, not mkstemp's private 0600
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(tmp, dest)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once, at import: os.umask is process-wide and racy in threads


def _umask() -> int:
    return _UMASK


def write_concatenation(dest: Path, parts: list[Path]) -> None:
    """Write the files ``parts`` one after the other to ``dest``, atomically."""
    with atomic_writer(dest) as out:
        for part in parts:
            with open(part, "rb") as handle:
                shutil.copyfileobj(handle, out, 1024 * 1024)
