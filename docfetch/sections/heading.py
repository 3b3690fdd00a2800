"""What code that reads outlines needs of a section, as a Protocol (``Section`` fits it as it is).

Errata placement and citation checks accept any object with these attributes, so their tests
can use small stand-ins; kept apart from :mod:`docfetch.sections.model`, which the cached fast
path imports and which must not pay for ``typing``.
"""

from __future__ import annotations

from typing import Protocol


class Heading(Protocol):
    """A section: its RFC Editor id (``section-15.5.5``), number (``15.5.5``, ``B.1`` or None), title, level."""

    @property
    def id(self) -> str: ...
    @property
    def number(self) -> str | None: ...
    @property
    def title(self) -> str: ...
    @property
    def level(self) -> int: ...
