"""The hooks a docfetch plugin may implement (pluggy project name ``docfetch``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("docfetch")
hookimpl = pluggy.HookimplMarker("docfetch")


@hookspec
def docfetch_sources() -> Iterable[type[Any]]:
    """Return the :class:`docfetch.Source` subclasses this plugin contributes.

    Called once per run, only when sources are needed (not for ``--version`` or ``--help``).
    Return classes, not instances: the core instantiates a source only when it is used.
    """


@hookspec
def docfetch_commands() -> Iterable[Any]:
    """Return ``typer.Typer`` apps to add as sub-commands of ``docfetch``.

    Each app needs a name (``typer.Typer(name="mirror")``); it becomes ``docfetch mirror ...``.
    Called when the command line is built for a name that is not a built-in command.
    """
