"""docfetch: fetch standards documents (RFCs, Internet-Drafts, BCP/STD/FYI) exactly as published.

The library: :func:`fetch`, :func:`fetch_many`, :func:`info`, :func:`search`, :func:`section`, :func:`toc`,
:func:`errata_of`, :func:`cite_check` (see the README).
The plugin API: ``hookimpl``, ``Source``, ``Reference``, the errors, and for plugins that add
commands ``Fetcher``, ``StagingArea`` and friends. Names are loaded on first use, so
``import docfetch`` costs nothing a command does not need.
"""

from __future__ import annotations

from docfetch._version import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a cached fetch ~7 ms
if TYPE_CHECKING:
    from typing import Any

    from docfetch.api import Result, cite_check, errata_of, fetch, fetch_many, info, search, section, toc
    from docfetch.config import Settings, apply_flags, load_settings
    from docfetch.engine.fetcher import Document, Fetcher, FetchOptions, Outcome
    from docfetch.engine.staging import Cancelled, StagedFile, StagingArea, atomic_writer
    from docfetch.engine.validate import check_body
    from docfetch.errors import (
        EXIT_FETCH_FAILED,
        EXIT_INTERRUPTED,
        EXIT_LOCAL,
        EXIT_NOT_FOUND,
        EXIT_OK,
        EXIT_REFUSED,
        EXIT_USAGE,
        DocfetchError,
        FetchError,
        LocalError,
        NotFoundError,
        RefusedContentError,
        UsageError,
    )
    from docfetch.plugins.hookspecs import hookimpl
    from docfetch.plugins.host import PLUGIN_API
    from docfetch.plugins.source import RFC_INDEX, Location, Source, SourceContext
    from docfetch.reference import Reference, parse_reference, parse_references
    from docfetch.sections import Section
    from docfetch.store.cache import is_immutable
    from docfetch.store.rfcindex import IndexEntry, iter_entries

_LAZY = {
    # the library
    "fetch": "docfetch.api",
    "fetch_many": "docfetch.api",
    "info": "docfetch.api",
    "search": "docfetch.api",
    "section": "docfetch.api",
    "toc": "docfetch.api",
    "cite_check": "docfetch.api",
    "errata_of": "docfetch.api",
    "Result": "docfetch.api",
    # the plugin API
    "PLUGIN_API": "docfetch.plugins.host",
    "hookimpl": "docfetch.plugins.hookspecs",
    "Source": "docfetch.plugins.source",
    "SourceContext": "docfetch.plugins.source",
    "Location": "docfetch.plugins.source",
    "RFC_INDEX": "docfetch.plugins.source",
    "Reference": "docfetch.reference",
    "Section": "docfetch.sections",
    "parse_reference": "docfetch.reference",
    "parse_references": "docfetch.reference",
    "DocfetchError": "docfetch.errors",
    "UsageError": "docfetch.errors",
    "NotFoundError": "docfetch.errors",
    "FetchError": "docfetch.errors",
    "RefusedContentError": "docfetch.errors",
    "LocalError": "docfetch.errors",
    "EXIT_OK": "docfetch.errors",
    "EXIT_USAGE": "docfetch.errors",
    "EXIT_NOT_FOUND": "docfetch.errors",
    "EXIT_FETCH_FAILED": "docfetch.errors",
    "EXIT_REFUSED": "docfetch.errors",
    "EXIT_LOCAL": "docfetch.errors",
    "EXIT_INTERRUPTED": "docfetch.errors",
    # for plugins that add commands (docfetch mirror sync): the engine, settings, safe writes, the index
    "Fetcher": "docfetch.engine.fetcher",
    "FetchOptions": "docfetch.engine.fetcher",
    "Document": "docfetch.engine.fetcher",
    "Outcome": "docfetch.engine.fetcher",
    "load_settings": "docfetch.config",
    "apply_flags": "docfetch.config",
    "Settings": "docfetch.config",
    "StagingArea": "docfetch.engine.staging",
    "StagedFile": "docfetch.engine.staging",
    "Cancelled": "docfetch.engine.staging",
    "atomic_writer": "docfetch.engine.staging",
    "check_body": "docfetch.engine.validate",
    "is_immutable": "docfetch.store.cache",
    "iter_entries": "docfetch.store.rfcindex",
    "IndexEntry": "docfetch.store.rfcindex",
}

__all__ = [
    "EXIT_FETCH_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_LOCAL",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_USAGE",
    "PLUGIN_API",
    "RFC_INDEX",
    "Cancelled",
    "DocfetchError",
    "Document",
    "FetchError",
    "FetchOptions",
    "Fetcher",
    "IndexEntry",
    "LocalError",
    "Location",
    "NotFoundError",
    "Outcome",
    "Reference",
    "RefusedContentError",
    "Result",
    "Section",
    "Settings",
    "Source",
    "SourceContext",
    "StagedFile",
    "StagingArea",
    "UsageError",
    "__version__",
    "apply_flags",
    "atomic_writer",
    "check_body",
    "cite_check",
    "errata_of",
    "fetch",
    "fetch_many",
    "hookimpl",
    "info",
    "is_immutable",
    "iter_entries",
    "load_settings",
    "parse_reference",
    "parse_references",
    "search",
    "section",
    "toc",
]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'docfetch' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(module_name)
    value = module if module_name == f"docfetch.{name}" else getattr(module, name)
    globals()[name] = value
    return value
