"""``docfetch errata REF``: the errata of an RFC, each placed on the section it concerns, for people or as JSON."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from docfetch.errors import DocfetchError, FetchError, NotFoundError, RefusedContentError, UsageError
from docfetch.terminal import inert, json_text

if TYPE_CHECKING:
    from docfetch.engine.fetcher import Fetcher
    from docfetch.errata.model import Erratum
    from docfetch.knowledge.errata import Placed
    from docfetch.reference import Reference
    from docfetch.sections import Outline, Section


def errata_command(
    reference: str,
    status: str | None = None,
    errata_type: str | None = None,
    section: str | None = None,
    as_json: bool = False,
    offline: bool = False,
    quiet: bool = False,
) -> int:
    """Show the errata of an RFC, each placed on the section it concerns."""
    from docfetch.config import load_settings
    from docfetch.engine.fetcher import Fetcher, FetchOptions

    ref, fragment = _one_rfc(reference)
    query = section or fragment
    with Fetcher(load_settings(), FetchOptions(offline=offline, quiet=quiet)) as fetcher:
        errata, placed, chosen = find_errata(fetcher, ref, status=status, errata_type=errata_type, section=query)
    if as_json:
        sys.stdout.write(json_text(placed.records(errata)) + "\n")
    else:
        sys.stdout.write(inert(render(ref, errata, placed, chosen, status=status, errata_type=errata_type)))
    return 0


def _one_rfc(reference: str) -> tuple[Reference, str | None]:
    from docfetch.knowledge.errata import rfc_reference
    from docfetch.reference import parse_target

    targets = parse_target(reference)
    if len(targets) != 1:
        raise UsageError(f"{reference[:40]!r} names {len(targets)} RFCs: errata are shown for one at a time")
    return rfc_reference(targets[0].ref), targets[0].section


def find_errata(
    fetcher: Fetcher,
    ref: Reference,
    *,
    status: str | None = None,
    errata_type: str | None = None,
    section: str | None = None,
) -> tuple[list[Erratum], Placed, Section | None]:
    """The errata of RFC ``ref`` that match, placed on its sections; and the section asked for, if any.

    The RFC's text comes first (the cache, else its source): an RFC that does not exist is
    NotFoundError (exit 3) before errata.json is fetched. When the text cannot be had for
    another reason (offline and not cached, a network failure), the errata are still given,
    unplaced, with a note; unless a section was asked for, which needs the text.
    """
    from docfetch.knowledge.errata import Placed, open_errata, parse_statuses, parse_types

    statuses, types = parse_statuses(status), parse_types(errata_type)
    outline, data, problem = _text(fetcher, ref, need=section is not None)
    with open_errata(fetcher) as db:
        errata = db.errata_for(ref.number, statuses=statuses, types=types)
        known = bool(db.counts(ref.number))
    if problem is not None:
        if not known and isinstance(problem, NotFoundError):
            raise problem
        fetcher.note(f"errata not placed on sections: {problem.message}")
    placed = Placed(errata, outline, data)
    chosen = None
    if section is not None:
        from docfetch.knowledge.outlines import select

        assert outline is not None
        chosen = select(outline, section, ref)
        errata = placed.on(chosen.id)
    return errata, placed, chosen


def _text(fetcher: Fetcher, ref: Reference, *, need: bool) -> tuple[Outline | None, bytes | None, DocfetchError | None]:
    """The RFC's outline and bytes, or why they cannot be had (raised when ``need``, or when the RFC does not exist)."""
    from docfetch.knowledge.outlines import fetch_outline

    try:
        _exact, _fmt, data, outline = fetch_outline(fetcher, ref)
    except NotFoundError as exc:
        if need or not fetcher.options.offline:
            raise
        return None, None, exc
    except (FetchError, RefusedContentError) as exc:
        if need:
            raise
        return None, None, exc
    return outline, data, None


def _filters(status: str | None, errata_type: str | None) -> str:
    parts = []
    if status is None:
        parts.append("all but rejected")
    elif status.strip().lower() != "all":
        parts.append(f"status {status.strip().lower()}")
    if errata_type is not None and errata_type.strip().lower() != "all":
        parts.append(errata_type.strip().lower())
    return ", ".join(parts)


def render(
    ref: Reference,
    errata: list[Erratum],
    placed: Placed,
    section: Section | None,
    *,
    status: str | None = None,
    errata_type: str | None = None,
) -> str:
    """The text for a person: a heading line, then one block per erratum (made safe for a terminal)."""
    from docfetch.errata.render import render_text

    where = f" placed on {section.id} ({section.title})" if section is not None else ""
    shown = _filters(status, errata_type)
    count = f"{len(errata)} {'erratum' if len(errata) == 1 else 'errata'}" if errata else "no errata"
    heading = f"{ref.label()}: {count}{where}" + (f" ({shown})" if shown else "")
    if not errata:
        return heading + "\n"
    unplaced = sum(1 for e in errata if not placed.placements.get(e.id) or not placed.placements[e.id].placed)
    if placed.outline is not None and unplaced and section is None:
        heading += f"; {unplaced} not placed on a section"
    return heading + "\n\n" + render_text(errata, placed.placements, placed.sections)
