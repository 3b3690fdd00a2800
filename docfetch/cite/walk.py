"""Finding the files to scan: the paths given, directories walked recursively, noise pruned.

Rules (``docfetch cite check PATH...``):

- Roots are taken in the order given; a path given twice (or two links to one file) is read once.
- Directories are walked depth-first, the entries of each in code-point order of their names,
  so the order is the same on every run and every machine.
- Pruned below a root: version-control directories (``.git``, ``.hg``, ``.svn``, ``.bzr``,
  ``_darcs``, ``CVS``), ``node_modules``, ``__pycache__``, tool caches (``.mypy_cache``,
  ``.pytest_cache``, ``.ruff_cache``, ``.tox``, ``.nox``) and virtual environments (``.venv``,
  ``venv``, and any directory holding a ``pyvenv.cfg``). A root itself is never pruned: naming
  a directory on the command line means "scan it".
- Symbolic links to directories met during the walk are not followed (as git and ripgrep do),
  so a link loop cannot make the walk run forever; each real directory is also entered at most
  once. Links to files are followed. A root that is a link is followed.
- Missing paths, broken links, directories or files that cannot be read, and roots that are
  not regular files (a FIFO, a device) are reported as :class:`Skipped` (kind ``unreadable``),
  never raised; special files met during the walk are left alone.

Reading (:func:`read_text`):

- Files over :data:`MAX_BYTES` (4 MiB: twice the largest published RFC) are skipped
  (``too-large``): minified bundles and data dumps, not prose.
- Binary files are skipped (``binary``): a NUL byte in the first 8 KiB, unless the file starts
  with a UTF-16 byte-order mark, in which case it is decoded as UTF-16.
- Text is decoded as UTF-8 (a leading byte-order mark is dropped). A file that is not valid
  UTF-8 is still scanned: each invalid byte becomes U+FFFD, so the valid text around it keeps
  its characters and its columns (a Latin-1 comment in old C code costs one column per byte,
  as an editor showing it in Latin-1 would count).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: Files larger than this are not scanned.
MAX_BYTES = 4 * 1024 * 1024
#: How much of a file is looked at for a NUL byte.
SNIFF_BYTES = 8 * 1024
#: Directory names pruned below a root.
PRUNED_NAMES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "_darcs",
        "CVS",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".venv",
        "venv",
    }
)
#: A directory holding this file is a Python virtual environment, whatever its name.
VENV_MARKER = "pyvenv.cfg"

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path that was not scanned, and why.

    ``kind`` is ``unreadable`` (missing, broken link, permission denied, I/O error: worth
    reporting), ``binary`` or ``too-large`` (skipped by rule: usually not worth a word).
    """

    path: Path
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class TextFile:
    """A file's decoded text, ready to scan."""

    path: Path
    text: str


class NotText(Exception):
    """A file that is not scanned by rule: binary or too large (``kind`` says which)."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def walk(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | Skipped]:
    """Every file to scan under ``paths``, in a stable order, or a :class:`Skipped` where a path fails."""
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for given in paths:
        root = Path(given)
        try:
            info = root.stat()
        except OSError as exc:
            yield Skipped(root, "unreadable", _why(exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk_dir(root, info, seen_files, seen_dirs)
        elif not stat.S_ISREG(info.st_mode):
            yield Skipped(root, "unreadable", "not a regular file")
        elif _first_time(info, seen_files):
            yield root


def _walk_dir(
    root: Path, info: os.stat_result, seen_files: set[tuple[int, int]], seen_dirs: set[tuple[int, int]]
) -> Iterator[Path | Skipped]:
    if not _first_time(info, seen_dirs):
        return
    try:
        with os.scandir(root) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield Skipped(root, "unreadable", _why(exc))
        return
    for entry in entries:
        path = root / entry.name
        try:
            is_link = entry.is_symlink()
            is_dir = not is_link and entry.is_dir(follow_symlinks=False)
        except OSError as exc:
            yield Skipped(path, "unreadable", _why(exc))
            continue
        if is_dir:
            if entry.name in PRUNED_NAMES or (path / VENV_MARKER).exists():
                continue
            try:
                sub = entry.stat(follow_symlinks=False)
            except OSError as exc:
                yield Skipped(path, "unreadable", _why(exc))
                continue
            yield from _walk_dir(path, sub, seen_files, seen_dirs)
            continue
        try:
            target = entry.stat(follow_symlinks=True)
        except OSError as exc:
            yield Skipped(path, "unreadable", "broken symbolic link" if is_link else _why(exc))
            continue
        if stat.S_ISREG(target.st_mode) and _first_time(target, seen_files):
            yield path
        # Links to directories, sockets, fifos and devices are left alone.


def _first_time(info: os.stat_result, seen: set[tuple[int, int]]) -> bool:
    key = (info.st_dev, info.st_ino)
    if key in seen:
        return False
    seen.add(key)
    return True


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def decode(data: bytes) -> str:
    """The text of a file's bytes; :class:`NotText` (``binary``) when they are not text."""
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", errors="replace")
    if b"\0" in data[:SNIFF_BYTES]:
        raise NotText("binary", "binary file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The decoded text of ``path``; :class:`NotText` when skipped by rule, ``OSError`` when unreadable."""
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise NotText("too-large", f"larger than {max_bytes} bytes")
    return decode(data)


def iter_texts(paths: Iterable[str | os.PathLike[str]], max_bytes: int = MAX_BYTES) -> Iterator[TextFile | Skipped]:
    """:func:`walk` and :func:`read_text` together: each file's text, or why it was skipped."""
    for item in walk(paths):
        if isinstance(item, Skipped):
            yield item
            continue
        try:
            yield TextFile(item, read_text(item, max_bytes))
        except NotText as exc:
            yield Skipped(item, exc.kind, exc.reason)
        except OSError as exc:
            yield Skipped(item, "unreadable", _why(exc))
