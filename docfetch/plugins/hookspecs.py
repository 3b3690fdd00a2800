"""The hooks a docfetch plugin may implement (pluggy project name ``docfetch``).

A plugin is a module (or any object) named by an entry point in the group ``docfetch``; it marks
its hook functions with :data:`hookimpl` (also exported as ``docfetch.hookimpl``). Every hook is
optional; an implementation may take fewer arguments than its specification names (so hooks can
grow without breaking plugins). Each plugin's hooks are called on their own: a plugin whose
hook raises, or returns something invalid, is reported on stderr (``docfetch: warning: ...``)
and skipped, never fatal, unless ``DOCFETCH_STRICT_PLUGINS=1`` turns the report into an error
with its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("docfetch")
hookimpl = pluggy.HookimplMarker("docfetch")


@hookspec
def docfetch_sources() -> Iterable[type[Any]]:  # type: ignore[empty-body]
    """Return the :class:`docfetch.Source` subclasses this plugin contributes.

    Signature: ``docfetch_sources() -> Iterable[type[Source]]`` (a list is usual).

    When it is called: once per process for each plugin, when that plugin is loaded, and
    plugins are loaded only when sources are needed: never for ``--version``, ``--help`` or a
    built-in source's cached document; ``--source NAME`` loads the plugin whose entry point is
    NAME first; ``docfetch sources``, a fallback, or a scheme no loaded source serves loads
    every plugin.

    What to return: classes, not instances (the core instantiates a source only when it is
    used, with a :class:`docfetch.SourceContext`); each one a :class:`docfetch.Source` subclass
    with a non-empty ``name`` and ``schemes``. An empty list (or ``None``) contributes nothing.
    Anything else (a string, an instance, a class without ``name``), or an exception, marks the
    whole plugin broken: its sources are left out and ``docfetch sources`` shows why. A source
    name that another plugin (or the core, ``ietf``) already claimed stays with the first.
    """


@hookspec
def docfetch_commands() -> Iterable[Any]:  # type: ignore[empty-body]
    """Return ``typer.Typer`` apps to add as sub-commands of ``docfetch``.

    Signature: ``docfetch_commands() -> Iterable[typer.Typer]`` (a ``click.Command`` works too).

    When it is called: only when the first word of the command line is not a built-in command
    (``fetch``, ``sources``...) and looks like a command name (letters and ``-``; not an option,
    not a reference such as a bare draft name): then every plugin is loaded and each one's hook
    is called once, before the command line is parsed. It is never called for a fetch
    (``docfetch rfc:791``, ``docfetch -s mirror rfc:791``) or a built-in command.

    What to return: apps with a name (``typer.Typer(name="mirror")`` becomes
    ``docfetch mirror ...``); a name that is already a command is not replaced. Keep the hook
    and the module cheap to import: do heavy imports inside the command functions. A hook that
    raises leaves that plugin's commands absent and is reported on stderr; the run goes on.
    """


@hookspec
def docfetch_sections(reference: Any, fmt: str, data: bytes) -> Iterable[Any] | None:
    """Return the sections of a document of a kind this plugin knows, or ``None``.

    Signature: ``docfetch_sections(reference: Reference, fmt: str, data: bytes) ->
    Iterable[docfetch.Section] | None``.

    When it is called: when a section, a table of contents or a link is asked of a document
    whose scheme is not ``rfc`` or ``draft`` (those are RFC-style text, which the core reads
    itself), once per document version: the answer is kept beside the cached document.
    Every plugin is asked in turn; the first that returns something other than ``None`` wins,
    and when none does, the core reads the document as RFC-style text.

    What to return: :class:`docfetch.Section` tuples ``(id, number, title, level, start,
    end)`` in document order: ``id`` is the fragment users type after ``#``, ``number`` a
    string or ``None``, ``level`` 1 for top-level sections, ``start``/``end`` byte offsets into
    ``data`` (the section with its subsections is ``data[start:end]``). Return ``None`` for
    documents you do not know.

    When it goes wrong: an exception or anything else than such tuples marks the plugin broken
    (reported, skipped); the core reads the document itself.
    """
