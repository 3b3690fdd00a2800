"""Finding a section by what a user typed, and walking the outline (children, subsections, parent)."""

from __future__ import annotations

import re

from docfetch.sections.labels import canonical_id, canonical_number, to_roman
from docfetch.sections.model import Outline, Section, SectionNotFound

_ID = re.compile(r"(?i)#?(section|appendix)-(.+)")
_SPACE = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def find(outline: Outline, query: str) -> Section:
    """The section ``query`` names: an id, a number, or a title.

    Ids: ``section-15.5.5``, ``appendix-B.1``, ``section-abstract``, ``name-authors-address``
    (a leading ``#`` is allowed, case does not matter), and the appendix ids of older v3 HTML
    (``section-appendix.b.1``, ``section-a.1``). Numbers: ``15.5.5``, ``15.5.5.``,
    ``B.1``, ``b.1``, ``Appendix B``, ``Section 3``, ``§3``. Titles: ``404 Not Found``, case
    and spacing ignored; an exact title first, then a title that starts with the query, then
    one that contains it, each only when a single section answers.

    Raises :class:`SectionNotFound` with close suggestions when nothing (or more than one
    section, for a partial title) answers.
    """
    q = query.strip()
    sections = outline.sections
    if not q:
        raise SectionNotFound(query, [], no_numbers=not outline.has_numbers)
    bare = q.lstrip("#")
    for s in sections:
        if s.id == bare:
            return s
    folded_id = bare.casefold()
    for s in sections:
        if s.id.casefold() == folded_id:
            return s
    if folded_id == "section-boilerplate.3":
        folded_id = "section-toc.1"  # the table of contents of early v3 HTML (RFC 8653)
        for s in sections:
            if s.id == folded_id:
                return s
    alias = canonical_id(q)
    if alias is not None:
        for s in sections:
            if s.id == alias:
                return s
    m = _ID.fullmatch(q)
    if m:
        number = canonical_number(m.group(2))
        if number is not None:
            hit = _by_number(sections, number, appendix=m.group(1).lower() == "appendix")
            if hit is not None:
                return hit
    number = canonical_number(q)
    if number is not None:
        hit = _by_number(sections, number, appendix=q.lower().startswith("app"))
        if hit is not None:
            return hit
    want = _fold(q)
    exact = [s for s in sections if _fold(s.title) == want]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise SectionNotFound(query, [_label(s) for s in exact], ambiguous=True)
    for test in (str.startswith, str.__contains__):
        partial = [s for s in sections if test(_fold(s.title), want)]
        if len(partial) == 1:
            return partial[0]
        if len(partial) > 1:
            raise SectionNotFound(query, [_label(s) for s in partial[:10]], ambiguous=True)
    raise SectionNotFound(query, suggest(outline, q), no_numbers=not outline.has_numbers)


def _by_number(sections: tuple[Section, ...], number: str, *, appendix: bool) -> Section | None:
    """The section numbered ``number``; a plain number also finds a roman one (``2`` finds ``II``)."""
    if appendix and not number[:1].isalpha():
        return None
    for s in sections:
        if s.number == number:
            return s
    head, _, rest = number.partition(".")
    if head.isdigit() and not rest and 0 < int(head) < 40:
        roman = to_roman(int(head))
        for s in sections:
            if s.number == roman:
                return s
    return None


def _label(section: Section) -> str:
    return f"{section.number}  {section.title}" if section.number else section.title


def suggest(outline: Outline, query: str, limit: int = 5) -> list[str]:
    """The sections closest to ``query`` (numbers near a number, titles near a title), as labels."""
    import difflib

    sections = outline.sections
    number = canonical_number(query)
    out: list[str] = []
    if number is not None:
        numbers = [s.number for s in sections if s.number]
        close = difflib.get_close_matches(number, numbers, n=limit, cutoff=0.6)
        parent = number.rsplit(".", 1)[0] if "." in number else None
        if parent and parent in numbers and parent not in close:
            close.insert(0, parent)
        by_number = {s.number: s for s in sections if s.number}
        out = [_label(by_number[n]) for n in close[:limit]]
        if out:
            return out
    titles = {_fold(s.title): s for s in sections}
    for t in difflib.get_close_matches(_fold(query), list(titles), n=limit, cutoff=0.5):
        out.append(_label(titles[t]))
    return out


def children(outline: Outline, section: Section | None = None) -> list[Section]:
    """The direct subsections of ``section`` (the top-level sections when it is None)."""
    if section is None:
        return _direct(outline.sections, 0, 0)
    idx = outline.sections.index(section)
    return _direct(outline.sections, idx + 1, section.level)


def _direct(sections: tuple[Section, ...], first: int, level: int) -> list[Section]:
    out: list[Section] = []
    floor = None
    for s in sections[first:]:
        if s.level <= level:
            break
        if floor is None or s.level <= floor:
            floor = s.level
            out.append(s)
    return out


def subsections(outline: Outline, section: Section) -> list[Section]:
    """Every section inside ``section``, at any depth, in document order."""
    idx = outline.sections.index(section)
    out = []
    for s in outline.sections[idx + 1 :]:
        if s.level <= section.level:
            break
        out.append(s)
    return out


def parent(outline: Outline, section: Section) -> Section | None:
    """The section that contains ``section``, if any."""
    idx = outline.sections.index(section)
    before: tuple[Section, ...] = outline.sections[:idx]
    for s in reversed(before):
        if s.level < section.level:
            found: Section = s
            return found
    return None


def label(section: Section) -> str:
    """How a table of contents shows a section: ``15.5.5.  404 Not Found``, ``Appendix B.  Changes``, ``Index``."""
    if not section.number:
        return section.title
    if section.id.startswith("appendix-") and "." not in section.number:
        return f"Appendix {section.number}.  {section.title}".rstrip()
    return f"{section.number}.  {section.title}".rstrip()


def format_toc(outline: Outline, depth: int | None = None, indent: int = 2) -> str:
    """A table of contents of the outline, one section a line, indented by level, to ``depth`` levels."""
    lines = []
    for s in outline.sections:
        if depth is not None and s.level > depth:
            continue
        lines.append(" " * (indent * (s.level - 1)) + label(s))
    return "\n".join(lines) + ("\n" if lines else "")


def section_at(outline: Outline, offset: int) -> Section | None:
    """The innermost section whose span holds byte ``offset`` (None in front of the first one or in a gap)."""
    found: Section | None = None
    for s in outline.sections:
        if s.start > offset:
            break
        if s.start <= offset < s.end and (found is None or s.level >= found.level):
            found = s
    return found
