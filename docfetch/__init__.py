"""docfetch: fetch standards documents (RFCs, Internet-Drafts, BCP/STD/FYI) exactly as published.

The plugin API lives here: ``hookimpl``, ``Source``, ``Reference`` and the errors. Names are
loaded on first use, so ``import docfetch`` costs nothing a command does not need.
"""

from __future__ import annotations

from docfetch._version import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a cached fetch ~7 ms
if TYPE_CHECKING:
    from typing import Any

    from docfetch.errors import DocfetchError, FetchError, NotFoundError, RefusedContentError, UsageError
    from docfetch.hookspecs import hookimpl
    from docfetch.pipeline import Fetcher, FetchOptions
    from docfetch.reference import Reference, parse_reference, parse_references
    from docfetch.source import RFC_INDEX, Location, Source, SourceContext

_LAZY = {
    "hookimpl": "docfetch.hookspecs",
    "Source": "docfetch.source",
    "SourceContext": "docfetch.source",
    "Location": "docfetch.source",
    "RFC_INDEX": "docfetch.source",
    "Reference": "docfetch.reference",
    "parse_reference": "docfetch.reference",
    "parse_references": "docfetch.reference",
    "Fetcher": "docfetch.pipeline",
    "FetchOptions": "docfetch.pipeline",
    "DocfetchError": "docfetch.errors",
    "UsageError": "docfetch.errors",
    "NotFoundError": "docfetch.errors",
    "FetchError": "docfetch.errors",
    "RefusedContentError": "docfetch.errors",
}

__all__ = [
    "RFC_INDEX",
    "DocfetchError",
    "FetchError",
    "FetchOptions",
    "Fetcher",
    "Location",
    "NotFoundError",
    "Reference",
    "RefusedContentError",
    "Source",
    "SourceContext",
    "UsageError",
    "__version__",
    "fetch",
    "hookimpl",
    "parse_reference",
    "parse_references",
]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'docfetch' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def fetch(reference: str, *, source: str | None = None, fmt: str | None = None) -> bytes:
    """Return the exact published bytes of one document (a subseries: its RFCs, concatenated).

    >>> docfetch.fetch("rfc:791")[:10]   # doctest: +SKIP
    """
    from docfetch.config import load_settings
    from docfetch.pipeline import Fetcher, FetchOptions
    from docfetch.reference import parse_references

    parts = []
    with Fetcher(load_settings(), FetchOptions(source=source, fmt=fmt, quiet=True)) as fetcher:
        for outcome in fetcher.fetch_many(parse_references(reference)):
            if outcome.error is not None:
                raise outcome.error
            assert outcome.document is not None
            parts.append(outcome.document.path.read_bytes())
    return b"".join(parts)
