"""Answering a fully cached fetch to a pipe or file without loading the command line.

``docfetch rfc:791 | less`` for a cached RFC is the most common call there is; it must not
pay for typer, pluggy or requests. Anything this module is not sure about (an unknown flag,
a terminal, a document not cached, a bad reference) is left to the full command line,
which gives the same answer, only slower.
"""

from __future__ import annotations

import sys

_FLAGS = {"-q": "quiet", "--quiet": "quiet", "--no-pager": "no_pager", "--offline": "offline"}
_COMMANDS = {"fetch", "sources", "info", "search", "cache", "mirror", "plugins"}


def serve_from_cache(args: list[str]) -> int | None:
    """Write the cached documents to stdout and return 0, or None to take the long way."""
    if not args or args[0] in _COMMANDS or sys.stdout.isatty():
        return None
    texts = []
    quiet = False
    for arg in args:
        if arg in _FLAGS:
            quiet = quiet or _FLAGS[arg] == "quiet"
            continue
        if arg.startswith("-"):
            return None
        texts.append(arg)
    if not texts:
        return None
    import os

    from docfetch.errors import UsageError
    from docfetch.reference import parse_references
    from docfetch.store.layout import cache_root, document_path, is_immutable

    root = cache_root()
    paths = []
    numbers = []  # RFCs, for the obsolescence notes
    for text in texts:
        try:
            refs = parse_references(text)
        except UsageError:
            return None
        for ref in refs:
            if not is_immutable(ref.scheme, ref.revision, "txt"):
                return None
            path = document_path(root, ref.scheme, ref.stem, "txt")
            if not os.path.isfile(path):
                return None
            paths.append(path)
            if ref.scheme == "rfc":
                numbers.append(ref.number)
    out = sys.stdout.buffer
    try:
        for path in paths:
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    out.write(chunk)
        out.flush()
    except BrokenPipeError:
        _silence_stdout()
    if numbers and not quiet:
        _obsolescence_notes(root, numbers)
    return 0


def _obsolescence_notes(root: str, numbers: list[int]) -> None:
    """One stderr line per obsoleted or updated RFC, from the index database or the cached JSON."""
    from docfetch.knowledge.notes import print_local_notes

    print_local_notes(numbers, root)


def _silence_stdout() -> None:
    """After the reader went away: point stdout at /dev/null so the exit flush is quiet."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
