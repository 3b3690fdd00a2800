"""The fetch command's entry: a fully cached fetch is answered here, without loading the engine.

``docfetch rfc:791 | less`` for a cached RFC is the most common call there is; it must not pay
for typer, pluggy or requests. The command line is read once, against its one declaration
(:data:`docfetch.cli.spec.FETCH`); when every option used is one a cached answer does not depend
on (``cached_ok`` in the declaration) and every document is in the cache, the bytes are copied
from there. Anything else goes to :func:`docfetch.cli.fetch.run_fetch`, which gives the same
answer, only slower.
"""

from __future__ import annotations

import sys

from docfetch import report
from docfetch.cli.argv import parse
from docfetch.cli.spec import FETCH
from docfetch.reference import Target, parse_targets

TYPE_CHECKING = False  # typing costs the fast path several ms
if TYPE_CHECKING:
    from typing import Any


def fetch_entry(args: list[str]) -> int:
    """Run the fetch command with ``args`` (its options and references)."""
    values = parse(FETCH, args)
    if values["quiet"]:
        report.to_stderr(quiet=True)
    targets = parse_targets(values["references"])  # type: ignore[arg-type]
    served = serve_from_cache(values, targets)
    if served is not None:
        return served
    from docfetch.cli.fetch import run_fetch

    options: dict[str, Any] = {k: v for k, v in values.items() if k != "references"}
    return run_fetch(targets, **options)


def _only_cached_ok_options(values: dict[str, object]) -> bool:
    return all(opt.cached_ok or values[opt.dest] == opt.default for opt in FETCH.options)


def serve_from_cache(values: dict[str, object], targets: list[Target]) -> int | None:
    """Write the cached documents to stdout and return 0, or None to take the long way."""
    if not _only_cached_ok_options(values) or sys.stdout.isatty():
        return None
    import os

    from docfetch.store.layout import cache_root, document_path, is_immutable

    root = cache_root()
    paths = []
    numbers = []  # RFCs, for the obsolescence notes
    for target in targets:
        ref = target.ref
        if target.section is not None or not is_immutable(ref.scheme, ref.revision, "txt"):
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
    if numbers and not report.quiet():
        from docfetch.knowledge.notes import report_notes

        report_notes(numbers, root)
    return 0


def _silence_stdout() -> None:
    """After the reader went away: point stdout at /dev/null so the exit flush is quiet."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
