"""docfetch-mirror: the ``mirror`` source and the ``docfetch mirror sync`` command.

The source reads RFCs from your own mirrors (HTTP servers or local directories in the RFC
Editor rsync layout); ``docfetch mirror sync DIR`` builds or refreshes such a directory over
HTTP. Importing this module stays cheap: the command line and the sync machinery are
imported only when ``docfetch mirror ...`` runs.
"""

from __future__ import annotations

from typing import Any

from docfetch import Source, hookimpl
from docfetch_mirror.source import MirrorSource, configured_mirrors, mirror_location

__all__ = ["MirrorSource", "configured_mirrors", "docfetch_commands", "docfetch_sources", "mirror_location"]


@hookimpl
def docfetch_sources() -> list[type[Source]]:
    """The ``mirror`` source."""
    return [MirrorSource]


@hookimpl
def docfetch_commands() -> list[Any]:
    """``docfetch mirror ...`` (a typer app named ``mirror``)."""
    from docfetch_mirror.cli import mirror_app

    return [mirror_app]
