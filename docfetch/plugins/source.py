"""The public plugin API: what a source is and what the core gives it.

A source maps a reference to candidate locations (URLs or local paths); the core does the
HTTP, retries, validation, caching and writing. This module imports nothing heavy, so the
core can inspect sources without paying for the network stack.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Protocol

from docfetch.reference import Reference

#: A place a document may be read from: an ``http(s)://`` or ``file://`` URL, or a local path.
Location = str | Path

#: The RFC index (``rfc-index.xml``), which a source serving ``bcp``/``std``/``fyi`` must locate.
RFC_INDEX = Reference("index", "rfc-index")

#: Every format the core knows how to validate and name.
KNOWN_FORMATS = ("txt", "html", "pdf", "xml", "json", "csv")


class SourceContext(Protocol):
    """What the core lends a source while it locates documents."""

    settings: Mapping[str, Any]
    """The source's own section of the configuration file (``[sources.NAME]``)."""

    offline: bool
    """True when the user forbade network access (``--offline``)."""

    def read(self, location: Location, *, max_size: int = 4 * 1024 * 1024) -> bytes:
        """Fetch a small auxiliary document (metadata) through the core's HTTP session."""
        ...

    def note(self, message: str) -> None:
        """Tell the user something on stderr (silenced by ``-q``)."""
        ...


class Source:
    """Base class of every source. Subclass it, set the class attributes, implement ``locate``.

    Sources are returned as classes from the ``docfetch_sources`` hook and instantiated by
    the core only when used, with a :class:`SourceContext`.
    """

    name: ClassVar[str] = ""
    """Unique name, used with ``--source`` (``ietf``, ``rfc-editor``, ``mirror``)."""

    schemes: ClassVar[tuple[str, ...]] = ()
    """URI schemes served (``rfc``, ``draft``, ``bcp``, ... or a scheme of the plugin's own)."""

    formats: ClassVar[tuple[str, ...]] = ("txt",)
    """Formats served, the first being the default (``txt``, ``html``, ``pdf``, ``xml``, ``json``)."""

    description: ClassVar[str] = ""
    """One line for ``docfetch sources``."""

    priority: ClassVar[int] = 100
    """Order among the fallbacks for a scheme: lower is tried first, ties by name."""

    def __init__(self, context: SourceContext) -> None:
        self.context = context

    def unavailable(self) -> str | None:
        """Why this source cannot be used now (e.g. no mirror configured), or None."""
        return None

    def resolve(self, ref: Reference) -> Reference:
        """Pin a reference to an exact document (a draft's latest revision). Default: unchanged."""
        return ref

    def locate(self, ref: Reference, fmt: str) -> Sequence[Location]:
        """Candidate locations of ``ref`` in ``fmt``, best first; the core tries them in order.

        Return an empty sequence when this source cannot have the document.
        """
        raise NotImplementedError
