"""Comment markers: which kind of comment a line belongs to, and removing the marker.

A quotation may wrap across lines of a comment; its continuation lines carry the same kind
of marker (``//`` after ``//``, `` *`` after ``/*``, ``#`` after ``#``, ``>`` after ``>``...).
Markers are grouped into families: ``//`` (``//``, ``///``, ``//!``), ``*`` (``/*``, ``/**``,
``*``), ``#`` (``#``, ``##``, ``#!``), ``--`` (SQL, Lua, Haskell), ``;`` (Lisp, INI, assembly),
``>`` (e-mail and Markdown quotes, doctest prompts), ``%`` (TeX, Erlang, MATLAB), ``<!--``
(HTML and Markdown comments). The empty family ``""`` is a line with no marker (prose,
docstrings, Markdown text).
"""

from __future__ import annotations

import re

#: A comment marker, as a regular expression (shared with the citation patterns).
MARKER = r"(?://+!?|/\*+!?|\*+(?!/)|#+!?|--+|;+|>+|%+|<!--)"

_LEADING = re.compile(rf"[ \t]*(?P<mark>{MARKER})[ \t]?")
_INLINE = re.compile(r"(?:^|[ \t])(?P<mark>//|/\*|#|--|;|%|<!--)(?:[ \t]|$)")


def family(marker: str) -> str:
    """The family of a marker: ``///`` -> ``//``, ``/**`` -> ``*``, ``##`` -> ``#``, ``;;`` -> ``;``."""
    if not marker:
        return ""
    if marker.startswith("//"):
        return "//"
    if marker.startswith(("/*", "*")):
        return "*"
    if marker.startswith("<!--"):
        return "<!--"
    if marker.startswith("--"):
        return "--"
    return marker[0]


def leading(line: str) -> tuple[str, int]:
    """The family of the marker that starts ``line`` (after indentation) and the column where it starts.

    ``("", -1)`` when the line starts with no marker.
    """
    match = _LEADING.match(line)
    if not match:
        return "", -1
    return family(match.group("mark")), match.start("mark")


def family_at(line: str, column: int) -> str:
    """The family of the comment that holds ``line[column]``: the leading marker, else the first
    comment marker standing before ``column`` (``x = 1  # see RFC 9110`` -> ``#``), else ``""``."""
    found, _ = leading(line)
    if found:
        return found
    match = _INLINE.search(line, 0, column)
    return family(match.group("mark")) if match else ""


def strip_marker(line: str, wanted: str, column: int) -> str | None:
    """A continuation line of a comment of family ``wanted``, without its marker; ``None`` if it is not one.

    A line carrying the same family's marker continues the comment; so does, for a comment
    whose marker stood at ``column``, a line with no marker at all indented further than that
    (a Markdown list item's wrapped text). With ``wanted == ""`` every line continues.
    """
    if not wanted:
        return line
    found, _ = leading(line)
    if found == wanted:
        match = _LEADING.match(line)
        assert match is not None
        return line[match.end() :]
    if not found and column >= 0:
        indent = len(line) - len(line.lstrip(" \t"))
        if indent > column and line.strip():
            return line
    return None
