"""Errata for people and for programs: text blocks, JSON, the ``info`` counts line and the fetch note.

Text for a terminal has its control characters made harmless (``^[``, ``<U+202E>``): a
submitter's text cannot move the cursor, retitle the window or reorder what is shown. JSON
gives every field as errata.json gave it, plus ``placed_section`` and ``url``; it is escaped
the same way (as ``\\u`` escapes, so the data is unchanged for a program).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from docfetch.errata.fields import clean
from docfetch.errata.model import STATUSES

if TYPE_CHECKING:
    from docfetch.errata.model import Erratum
    from docfetch.errata.placement import Placement, SectionLike

INDENT = "    "
_LABEL_WIDTH = 12
_STATUS_ORDER = tuple(STATUSES)  # verified, reported, held, rejected


def safe(text: str) -> str:
    """``text`` fit for a terminal: :func:`docfetch.terminal.inert`, carriage returns shown as ``^M``."""
    from docfetch.terminal import inert

    return inert(text, keep_returns=False)


def indented(text: str) -> str:
    """``text`` as given, each line indented, blank lines at its start and end left out, made safe."""
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(INDENT + safe(line) if line else "" for line in lines)


def placement_text(erratum: Erratum, placement: Placement | None, section: SectionLike | None = None) -> str:
    """The ``Section:`` line's value: the section as typed, and where docfetch placed it or why not."""
    typed = safe(clean(erratum.section)) or "(empty)"
    if placement is None:
        return typed
    if placement.section_id is None:
        why = placement.reason + (f": {safe(placement.detail)}" if placement.detail else "")
        return f"{typed} -> not placed ({why})"
    where = f"{typed} -> placed on {placement.section_id}"
    if section is not None and section.title:
        where += f" ({safe(clean(section.title))})"
    if placement.method == "text":
        where += ", by its original text"
    elif placement.method == "title" and placement.detail:
        where += f", by its title ({safe(placement.detail)})"
    elif placement.detail:
        where += f"; {safe(placement.detail)}"
    return where


def render_erratum(erratum: Erratum, placement: Placement | None = None, section: SectionLike | None = None) -> str:
    """One erratum as a block of text for a person (no trailing newline)."""
    kind = ", ".join(safe(part) for part in (erratum.status or "no status", erratum.type) if part)
    lines = [f"Erratum {erratum.id} ({kind})"]

    def field(label: str, value: str) -> None:
        lines.append(f"{label + ':':<{_LABEL_WIDTH}}{value}")

    field("Section", placement_text(erratum, placement, section))
    date, name = safe(clean(erratum.submit_date)), safe(clean(erratum.submitter_name))
    if date or name:
        field("Submitted", " ".join(part for part in (date, f"by {name}" if name else "") if part))
    if erratum.verifier_name.strip():
        field("Verifier", safe(clean(erratum.verifier_name)))
    if erratum.update_date.strip():
        field("Updated", safe(clean(erratum.update_date)))
    field("URL", erratum.url)
    for label, text in (("Original text", erratum.orig_text), ("Corrected text", erratum.correct_text),
                        ("Notes", erratum.notes)):  # fmt: skip
        body = indented(text)
        if body:
            lines += [f"{label}:", body]
    return "\n".join(lines)


def render_text(
    errata: Iterable[Erratum],
    placements: Mapping[int, Placement] | None = None,
    sections: Mapping[str, SectionLike] | None = None,
) -> str:
    """Errata as text blocks separated by blank lines, ending with a newline ("" for none).

    ``placements`` by erratum id; ``sections`` by section id, to show the placed section's title.
    """
    blocks = []
    for erratum in errata:
        placement = placements.get(erratum.id) if placements is not None else None
        section = sections.get(placement.section_id) if sections and placement and placement.section_id else None
        blocks.append(render_erratum(erratum, placement, section))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def as_json_object(erratum: Erratum, placement: Placement | None = None) -> dict[str, Any]:
    """Every field of the entry as errata.json gave it, plus ``placed_section`` (or None) and ``url``."""
    data = dict(erratum.fields)
    data["placed_section"] = placement.section_id if placement is not None else None
    data["url"] = erratum.url
    return data


def render_json(errata: Iterable[Erratum], placements: Mapping[int, Placement] | None = None) -> str:
    """A JSON list of :func:`as_json_object` objects, indented, ending with a newline."""
    from docfetch.terminal import json_text

    objects = [as_json_object(e, placements.get(e.id) if placements is not None else None) for e in errata]
    return json_text(objects) + "\n"


def render_section_errata(
    section_id: str,
    errata: list[Erratum],
    placements: Mapping[int, Placement],
    sections: Mapping[str, SectionLike] | None = None,
    *,
    unplaced: int = 0,
    reference: str = "",
) -> str:
    """What follows a section shown with ``--errata``: a heading line, then its errata (ends with a newline).

    ``unplaced`` is how many errata of the document could not be placed on any section;
    ``reference`` (``rfc:9110``) lets the last line say how to see them.
    """
    count = len(errata)
    noun = "erratum" if count == 1 else "errata"
    lines = [f"-- {count} {noun} placed on {section_id}" + (":" if count else "")]
    text = render_text(errata, placements, sections)
    if text:
        lines += ["", text.rstrip("\n")]
    if unplaced:
        more = f"-- {unplaced} other {'erratum' if unplaced == 1 else 'errata'} could not be placed on a section"
        lines += ["", more + (f": docfetch errata {reference}" if reference else "")]
    return "\n".join(lines) + "\n"
