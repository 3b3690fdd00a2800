"""docfetch: fetch standards documents (RFCs, Internet-Drafts, BCP/STD/FYI) exactly as published.

The plugin API lives here: ``hookimpl``, ``Source``, ``Reference`` and the errors. Names are
loaded on first use, so ``import docfetch`` costs nothing a command does not need.
"""

from __future__ import annotations

from docfetch._version import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a cached fetch ~7 ms
if TYPE_CHECKING:
    from typing import Any

    from docfetch.config import Settings, apply_flags, load_settings
    from docfetch.engine.fetcher import Fetcher, FetchOptions
    from docfetch.engine.staging import atomic_writer
    from docfetch.engine.validate import check_body
    from docfetch.errors import (
        EXIT_FETCH_FAILED,
        EXIT_INTERRUPTED,
        EXIT_NOT_FOUND,
        EXIT_OK,
        EXIT_REFUSED,
        EXIT_USAGE,
        DocfetchError,
        FetchError,
        NotFoundError,
        RefusedContentError,
        UsageError,
    )
    from docfetch.plugins.hookspecs import hookimpl
    from docfetch.plugins.host import PluginHost
    from docfetch.plugins.source import RFC_INDEX, Location, Source, SourceContext
    from docfetch.reference import Reference, parse_reference, parse_references
    from docfetch.store.cache import is_immutable
    from docfetch.store.rfcindex import IndexEntry, iter_entries

_LAZY = {
    "hookimpl": "docfetch.plugins.hookspecs",
    "Source": "docfetch.plugins.source",
    "SourceContext": "docfetch.plugins.source",
    "Location": "docfetch.plugins.source",
    "RFC_INDEX": "docfetch.plugins.source",
    "Reference": "docfetch.reference",
    "parse_reference": "docfetch.reference",
    "parse_references": "docfetch.reference",
    "Fetcher": "docfetch.engine.fetcher",
    "FetchOptions": "docfetch.engine.fetcher",
    "DocfetchError": "docfetch.errors",
    "UsageError": "docfetch.errors",
    "NotFoundError": "docfetch.errors",
    "FetchError": "docfetch.errors",
    "RefusedContentError": "docfetch.errors",
    # for plugins that add commands (docfetch mirror sync): settings, safe writes, the index
    "load_settings": "docfetch.config",
    "apply_flags": "docfetch.config",
    "Settings": "docfetch.config",
    "atomic_writer": "docfetch.engine.staging",
    "check_body": "docfetch.engine.validate",
    "iter_entries": "docfetch.store.rfcindex",
    "IndexEntry": "docfetch.store.rfcindex",
    "is_immutable": "docfetch.store.cache",
    "PluginHost": "docfetch.plugins.host",
    "EXIT_OK": "docfetch.errors",
    "EXIT_USAGE": "docfetch.errors",
    "EXIT_NOT_FOUND": "docfetch.errors",
    "EXIT_FETCH_FAILED": "docfetch.errors",
    "EXIT_REFUSED": "docfetch.errors",
    "EXIT_INTERRUPTED": "docfetch.errors",
}

__all__ = [
    "EXIT_FETCH_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_USAGE",
    "RFC_INDEX",
    "DocfetchError",
    "FetchError",
    "FetchOptions",
    "Fetcher",
    "IndexEntry",
    "Location",
    "NotFoundError",
    "PluginHost",
    "Reference",
    "RefusedContentError",
    "Settings",
    "Source",
    "SourceContext",
    "UsageError",
    "__version__",
    "apply_flags",
    "atomic_writer",
    "check_body",
    "fetch",
    "hookimpl",
    "is_immutable",
    "iter_entries",
    "load_settings",
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
    from docfetch.engine.fetcher import Fetcher, FetchOptions
    from docfetch.reference import parse_references

    parts = []
    with Fetcher(load_settings(), FetchOptions(source=source, fmt=fmt, quiet=True)) as fetcher:
        for outcome in fetcher.fetch_many(parse_references(reference)):
            if outcome.error is not None:
                raise outcome.error
            assert outcome.document is not None
            parts.append(outcome.document.path.read_bytes())
    return b"".join(parts)
