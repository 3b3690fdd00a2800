"""Placing each erratum on a real section of its RFC, where that can be done honestly, and saying why not.

Given the RFC's sections (anything with ``id``, ``number``, ``title``, ``level``, such as
``docfetch.sections.Section``), a :class:`Placer` reads each erratum's ``section`` field
(:mod:`docfetch.errata.fields`) and places it:

- by **number**, when the one section the field names exists (``15.4.9``, ``B.1.``,
  ``Appendix A``, ``3.1 Terminology``); a title typed after the number that is not that
  section's but exactly another section's makes it ``ambiguous`` instead;
- by **title**, when the field is a title only (``Abstract``, ``Security Considerations``,
  ``IANA Conside`` cut short by the form) matching exactly one section, exactly or as the
  start of one title; also when a number is typed that the RFC does not have but the title
  after it names one section (``99Introduction``);
- by **text**, when the document's text is given (sections with byte ``start``/``end``) and
  the erratum's ``orig_text`` occurs in exactly one section: only for fields that name no
  section (empty, unreadable), or name several (then only among those), or are ambiguous.

Never by guessing: a number the RFC does not have is ``not in document``, not the closest.
The reasons an erratum stays unplaced: ``global``, ``empty``, ``not in document``,
``several sections``, ``ambiguous``, ``unreadable``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Protocol

from docfetch.errata import fields
from docfetch.errata.fields import Key, SectionRef, number_key, read_section_field, title_key
from docfetch.sections.heading import Heading

if TYPE_CHECKING:
    from docfetch.errata.model import Erratum

#: Methods of placement.
BY_NUMBER = "number"
BY_TITLE = "title"
BY_TEXT = "text"
#: Reasons an erratum is not placed.
GLOBAL = "global"
EMPTY = "empty"
NOT_IN_DOCUMENT = "not in document"
SEVERAL = "several sections"
AMBIGUOUS = "ambiguous"
UNREADABLE = "unreadable"
REASONS = (GLOBAL, EMPTY, NOT_IN_DOCUMENT, SEVERAL, AMBIGUOUS, UNREADABLE)

#: Shortest piece of orig_text (whitespace-normalised characters) used as evidence.
MIN_EVIDENCE = 24
#: Shortest typed title matched as the start of a longer title (``IANA Conside``).
MIN_PREFIX = 4

_PIECES = re.compile(r"\n[ \t]*\n|\.\.\.+|\[\s*\.\.\.\s*\]|…|\n[ \t]*(?:OLD|NEW|Original|Corrected)[^\n]*:[ \t]*\n")
_PAGE_BREAK = re.compile(r"[^\n]*\[Page [^\]\n]*\][ \t]*\n?\f[ \t]*\n?(?:RFC [^\n]*\n)?|\f")


#: What placement needs of a section (``docfetch.sections.Section`` has it).
SectionLike = Heading


class SpannedSection(SectionLike, Protocol):
    """A section with its byte span in the document (needed for placement by text)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class Placement:
    """Where an erratum was placed (``section_id`` and ``method``), or why not (``reason``, ``detail``)."""

    section_id: str | None
    method: str = ""
    reason: str = ""
    detail: str = ""

    @property
    def placed(self) -> bool:
        """True when the erratum is on a section."""
        return self.section_id is not None


class Placer:
    """Places errata on the sections of one document; build once per document, then call :meth:`place`.

    ``sections`` in document order. With ``document`` (the RFC's bytes) and sections that
    have byte ``start``/``end``, ``orig_text`` is used as evidence (switch off with
    ``use_text=False``).
    """

    def __init__(
        self, sections: Sequence[SectionLike], document: bytes | None = None, *, use_text: bool = True
    ) -> None:
        self.sections = list(sections)
        self._position: dict[str, int] = {}
        self._by_key: dict[Key, list[int]] = {}
        self._by_title: dict[str, list[int]] = {}
        for index, section in enumerate(self.sections):
            self._position.setdefault(section.id, index)
            key = _section_key(section)
            if key is not None:
                self._by_key.setdefault(key, []).append(index)
            self._by_title.setdefault(title_key(section.title), []).append(index)
        self._subtree_end = _subtree_ends([s.level for s in self.sections])
        self._text = _TextIndex(document, self.sections) if document is not None and use_text else None

    # -- the public questions ------------------------------------------------------------------

    def place_erratum(self, erratum: Erratum) -> Placement:
        """:meth:`place` with the erratum's section field and original text."""
        return self.place(erratum.section, erratum.orig_text)

    def place(self, section_field: str, orig_text: str = "") -> Placement:
        """Where an erratum whose section field is ``section_field`` belongs (see the module docstring)."""
        ref = read_section_field(section_field)
        if ref.kind == fields.GLOBAL:
            return Placement(None, reason=GLOBAL)
        if ref.kind in (fields.NUMBER, fields.APPENDIX):
            return self._place_number(ref, orig_text)
        if ref.kind == fields.SEVERAL:
            pairs = zip(ref.keys, ref.appendix, strict=True)
            named = sorted({i for key, appendix in pairs for i in self._numbered(key, appendix)})
            return self._by_evidence(orig_text, named, SEVERAL, f"names {len(ref.keys)} sections")
        if ref.kind == fields.TITLE:
            return self._place_title(ref.title, orig_text)
        reason = EMPTY if ref.kind == fields.EMPTY else UNREADABLE
        return self._by_evidence(orig_text, None, reason)

    def text_section(self, orig_text: str) -> SectionLike | None:
        """The one section ``orig_text`` occurs in (its deepest), or None (no text, not found, several)."""
        if self._text is None:
            return None
        index = self._text.locate(orig_text)
        return self.sections[index] if index is not None else None

    def text_occurs(self, orig_text: str, section_id: str) -> bool | None:
        """Whether a piece of ``orig_text`` occurs in that section or its subsections.

        None when there is no evidence to judge by: no text given, no piece long enough, or
        no piece found anywhere in the document. False when found, but only elsewhere.
        """
        if self._text is None:
            return None
        spans = self._text.occurrences(orig_text)
        if not spans:
            return None
        index = self.index_of(section_id)
        if index is None:
            return False
        return any(index <= span < self._subtree_end[index] for span in spans)

    def index_of(self, section_id: str) -> int | None:
        """The position of the section with that id, or None."""
        return self._position.get(section_id)

    def within(self, section_id: str, ancestor_id: str) -> bool:
        """True when ``section_id`` is ``ancestor_id`` or one of its subsections."""
        index, ancestor = self.index_of(section_id), self.index_of(ancestor_id)
        if index is None or ancestor is None:
            return False
        return ancestor <= index < self._subtree_end[ancestor]

    # -- the rules -----------------------------------------------------------------------------

    def _place_number(self, ref: SectionRef, orig_text: str) -> Placement:
        key, appendix = ref.keys[0], ref.appendix[0]
        found = self._numbered(key, appendix)
        if len(found) > 1:
            return self._by_evidence(orig_text, found, AMBIGUOUS, f"{len(found)} sections are numbered {_show(key)}")
        if found:
            index = found[0]
            other = self._titled_elsewhere(ref.title, index)
            if other is not None:
                here = self.sections[index]
                detail = f"{_show(key)} is {here.title!r}, but {ref.title!r} is {self.sections[other].id}"
                return Placement(None, reason=AMBIGUOUS, detail=detail)
            return Placement(self.sections[index].id, BY_NUMBER, detail=self._contradiction(index, orig_text))
        if ref.title:
            titled = self._titled(ref.title)
            if len(titled) == 1:
                return Placement(self.sections[titled[0]].id, BY_TITLE, detail=f"no section {_show(key)}")
        return Placement(None, reason=NOT_IN_DOCUMENT, detail=f"no section {_show(key)}")

    def _contradiction(self, index: int, orig_text: str) -> str:
        """``its original text is in section-2`` when orig_text is in exactly one other section; else ""."""
        if self._text is None:
            return ""
        found = self._text.locate(orig_text)
        if found is None or index <= found < self._subtree_end[index]:
            return ""
        return f"its original text is in {self.sections[found].id}"

    def _place_title(self, title: str, orig_text: str) -> Placement:
        found = self._titled(title)
        if len(found) == 1:
            return Placement(self.sections[found[0]].id, BY_TITLE)
        if found:
            return self._by_evidence(orig_text, found, AMBIGUOUS, f"{len(found)} sections are titled {title!r}")
        return Placement(None, reason=NOT_IN_DOCUMENT, detail=f"no section titled {title!r}")

    def _by_evidence(self, orig_text: str, among: list[int] | None, reason: str, detail: str = "") -> Placement:
        """Placement by ``orig_text`` (within the sections ``among``, if given), else unplaced for ``reason``."""
        if self._text is not None and (among is None or among):
            index = self._text.locate(orig_text)
            if index is not None:
                if among is None:
                    return Placement(self.sections[index].id, BY_TEXT)
                holders = [i for i in among if i <= index < self._subtree_end[i]]
                if holders:
                    return Placement(self.sections[max(holders)].id, BY_TEXT, detail=detail)
        return Placement(None, reason=reason, detail=detail)

    def _numbered(self, key: Key, appendix: bool) -> list[int]:
        found = self._by_key.get(key, [])
        if appendix and (len(found) > 1 or key[0].isdigit()):
            found = [i for i in found if "appendix" in self.sections[i].id.lower()]
        return found

    def _titled(self, title: str) -> list[int]:
        """Sections whose title is ``title`` exactly, else the ones it starts (at least ``MIN_PREFIX`` letters)."""
        exact = self._by_title.get(title, [])
        if exact or len(title) < MIN_PREFIX:
            return list(exact)
        return [i for i, s in enumerate(self.sections) if title_key(s.title).startswith(title)]

    def _titled_elsewhere(self, title: str, index: int) -> int | None:
        """Another section that ``title`` names unambiguously, when it does not fit section ``index``."""
        if not title:
            return None
        own = title_key(self.sections[index].title)
        if own.startswith(title) or (own and title.startswith(own)):
            return None
        others = [i for i in self._titled(title) if i != index]
        return others[0] if len(others) == 1 else None


def place_all(
    errata: Iterable[Erratum], sections: Sequence[SectionLike], document: bytes | None = None
) -> dict[int, Placement]:
    """The placement of each erratum, by erratum id."""
    placer = Placer(sections, document)
    return {erratum.id: placer.place_erratum(erratum) for erratum in errata}


def errata_on(
    section_id: str, errata: Iterable[Erratum], placements: dict[int, Placement], placer: Placer | None = None
) -> list[Erratum]:
    """The errata placed on ``section_id``, and (given the ``placer``) on its subsections, in the given order."""
    chosen = []
    for erratum in errata:
        placed = placements.get(erratum.id)
        if placed is None or placed.section_id is None:
            continue
        if placed.section_id == section_id or (placer is not None and placer.within(placed.section_id, section_id)):
            chosen.append(erratum)
    return chosen


# -- helpers -----------------------------------------------------------------------------------


def _section_key(section: SectionLike) -> Key | None:
    """A section's number as a key, from ``number`` or else from an id like ``section-15.4.9``/``appendix-B.1``."""
    if section.number:
        return number_key(section.number)
    match = re.fullmatch(r"(?:section|appendix)-(.+)", section.id, re.IGNORECASE)
    return number_key(match.group(1)) if match else None


def _subtree_ends(levels: list[int]) -> list[int]:
    """For each section, the position after its last subsection (sections in document order)."""
    ends = [len(levels)] * len(levels)
    open_: list[int] = []
    for index, level in enumerate(levels):
        while open_ and levels[open_[-1]] >= level:
            ends[open_.pop()] = index
        open_.append(index)
    return ends


def _show(key: Key) -> str:
    return ".".join(part.upper() if part.isalpha() else part for part in key)


def _normalise(text: str) -> str:
    return " ".join(text.split())


def evidence_pieces(orig_text: str) -> list[str]:
    """The pieces of ``orig_text`` used as evidence: paragraphs (split at blank lines and ellipses), normalised."""
    return [paragraph for paragraph, _lines in _paragraphs(orig_text)]


def _paragraphs(orig_text: str) -> list[tuple[str, list[str]]]:
    """Each paragraph long enough to be evidence, normalised, with its lines long enough to be evidence."""
    found = []
    for raw in _PIECES.split(orig_text.replace("\r\n", "\n")):
        paragraph = _normalise(raw)
        if len(paragraph) >= MIN_EVIDENCE:
            lines = [line for line in map(_normalise, raw.split("\n")) if len(line) >= MIN_EVIDENCE]
            found.append((paragraph, lines))
    return found


class _TextIndex:
    """The document's text, section by section (each section's own text, up to the next heading), normalised.

    Page furniture (the footer with ``[Page N]``, the form feed, the running header) is taken
    out so that text across a page break is found. Text before the first section counts as a
    place of its own (the front matter), never as a section.
    """

    def __init__(self, document: bytes, sections: Sequence[SectionLike]) -> None:
        starts = [int(getattr(s, "start", -1)) for s in sections]
        self.usable = bool(sections) and all(s >= 0 for s in starts) and starts == sorted(starts)
        texts: list[str] = []
        if self.usable:
            bounds = [0, *starts, max(int(getattr(sections[-1], "end", len(document))), starts[-1])]
            for begin, end in pairwise(bounds):
                raw = document[begin:end].decode("utf-8", errors="replace")
                texts.append(_normalise(_PAGE_BREAK.sub("\n", raw)))
        self.offsets: list[int] = []
        position = 0
        for text in texts:
            self.offsets.append(position)
            position += len(text) + 1
        self.flat = "\x00".join(texts)

    def occurrences(self, orig_text: str) -> set[int]:
        """Positions of the sections (-1: the front matter) where any piece of ``orig_text`` occurs."""
        return set().union(*self._where(orig_text))

    def _where(self, orig_text: str) -> list[set[int]]:
        """For each piece of ``orig_text`` found, where: a paragraph, else (not found whole) each of its lines.

        A paragraph can be missing whole because the submitter joined passages, marked
        changes with ``|`` or retyped part of it; its lines may still be there as published.
        """
        where = []
        for paragraph, lines in _paragraphs(orig_text):
            spans = self._spans(paragraph)
            if spans:
                where.append(spans)
            else:
                where.extend(found for line in lines if (found := self._spans(line)))
        return where

    def locate(self, orig_text: str) -> int | None:
        """The one section where ``orig_text`` is, judged by its pieces; None when none, several or front matter.

        Pieces found in exactly one place decide; they must all agree, and every other piece
        found must occur there too.
        """
        if not self.usable:
            return None
        where = self._where(orig_text)
        decisive = {next(iter(spans)) for spans in where if len(spans) == 1}
        if len(decisive) != 1:
            return None
        (span,) = decisive
        if span < 0 or not all(span in spans for spans in where):
            return None
        return span

    def _spans(self, piece: str, limit: int = 100) -> set[int]:
        found: set[int] = set()
        start = self.flat.find(piece)
        while start >= 0 and limit:
            found.add(bisect_right(self.offsets, start) - 2)  # offsets[0] is the front matter: -1
            start = self.flat.find(piece, start + 1)
            limit -= 1
        return found
