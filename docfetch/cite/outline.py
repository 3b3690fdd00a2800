"""Looking up cited sections in a document's list of sections, and the closest when one is missing."""

from __future__ import annotations

import re
from collections.abc import Sequence

from docfetch.cite.library import SectionInfo

_SLUG_DROP = re.compile(r"[^\w\s/-]")
_SLUG_JOIN = re.compile(r"[-\s/]+")
#: xml2rfc cuts heading anchors (``name-...``) to this many characters.
SLUG_LENGTH = 32


def slug(title: str) -> str:
    """The heading anchor xml2rfc gives a title, uncut: ``404 Not Found`` -> ``name-404-not-found``."""
    return "name-" + _SLUG_JOIN.sub("-", _SLUG_DROP.sub("", title).strip().lower()).strip("-")


def _parts(section_id: str) -> tuple[str, tuple[int, ...]] | None:
    """``section-15.5.5`` -> ``("section", (15, 5, 5))``; ``appendix-B.1`` -> ``("appendix", (2, 1))``."""
    kind, _, number = section_id.partition("-")
    if kind not in ("section", "appendix") or not number:
        return None
    pieces = number.split(".")
    head = pieces[0]
    if head.isdigit():
        first = int(head)
    elif len(head) == 1 and head.isalpha():
        first = ord(head.upper()) - ord("A") + 1
    else:
        return None
    if not all(piece.isdigit() for piece in pieces[1:]):
        return None
    return kind, (first, *(int(piece) for piece in pieces[1:]))


class SectionIndex:
    """A document's sections, indexed for lookups by id, number, heading anchor and title."""

    def __init__(self, sections: Sequence[SectionInfo]) -> None:
        self.sections = list(sections)
        self._by_id = {s.id.lower(): s for s in self.sections}
        self._by_parts: dict[tuple[str, tuple[int, ...]], SectionInfo] = {}
        for s in self.sections:
            parts = _parts(s.id)
            if parts is not None:
                self._by_parts.setdefault(parts, s)
        self._order = {s.id: i for i, s in enumerate(self.sections)}

    @property
    def has_numbers(self) -> bool:
        """Whether any section is numbered."""
        return any(s.number for s in self.sections)

    def find(self, section_id: str) -> SectionInfo | None:
        """The section a citation's id names, or ``None``.

        Ids compare without regard to case; a lettered number matches an appendix whether it
        was cited as ``Section B.1`` or ``Appendix B.1`` (``B.1`` names one thing either way);
        a heading anchor (``name-404-not-found``) matches the section with that title, also
        when cut to 32 characters as xml2rfc does.
        """
        found = self._by_id.get(section_id.lower())
        if found is not None:
            return found
        if section_id.startswith("name-"):
            for s in self.sections:
                anchor = slug(s.title)
                if section_id in (anchor, anchor[:SLUG_LENGTH]):
                    return s
            return None
        parts = _parts(section_id)
        if parts is None:
            return None
        found = self._by_parts.get(parts)
        if found is None and section_id.split("-", 1)[1][:1].isalpha():
            other = "section" if parts[0] == "appendix" else "appendix"
            found = self._by_parts.get((other, parts[1]))
        return found

    def by_title(self, title: str) -> SectionInfo | None:
        """The section whose title is ``title`` (ignoring case), else the first whose title contains it."""
        wanted = " ".join(title.casefold().split())
        if not wanted:
            return None
        contained = None
        for s in self.sections:
            have = " ".join(s.title.casefold().split())
            if have == wanted:
                return s
            if contained is None and len(wanted) >= 4 and wanted in have:
                contained = s
        return contained

    def nearest(self, section_id: str) -> SectionInfo | None:
        """The existing section whose number is closest to a missing one (``None`` if none is close).

        Closest: the longest common leading part, then the same depth, then the nearest number
        where they part (``15.5.99`` -> ``15.5.20``). A number of one part has no near neighbour.
        """
        wanted = _parts(section_id)
        if wanted is None or len(wanted[1]) < 2:
            return None
        kind, numbers = wanted
        best: tuple[tuple[int, int, int], SectionInfo] | None = None
        for s in self.sections:
            have = _parts(s.id)
            if have is None or have[0] != kind:
                continue
            common = 0
            for a, b in zip(numbers, have[1], strict=False):
                if a != b:
                    break
                common += 1
            if common == 0:
                continue
            gap = 0
            if common < len(numbers) and common < len(have[1]):
                gap = abs(numbers[common] - have[1][common])
            key = (-common, abs(len(numbers) - len(have[1])), gap)
            if best is None or key < best[0]:
                best = (key, s)
        return best[1] if best else None

    def between(self, first: SectionInfo, last: SectionInfo) -> list[SectionInfo]:
        """The sections from ``first`` to ``last`` in document order, with ``last``'s subsections."""
        start, end = self._order[first.id], self._order[last.id]
        if start > end:
            start, end = end, start
            last = self.sections[end]
        chosen = self.sections[start : end + 1]
        prefix = last.id + "."
        for s in self.sections[end + 1 :]:
            if not s.id.startswith(prefix):
                break
            chosen.append(s)
        return chosen
