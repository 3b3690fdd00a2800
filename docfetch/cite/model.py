"""The records the scanner produces: a citation of a document, and of sections within it."""

from __future__ import annotations

from dataclasses import dataclass

from docfetch.reference import Reference


@dataclass(frozen=True, slots=True)
class SectionRef:
    """One cited section: as written, its RFC Editor id, and where its number stands.

    ``id`` is the fragment the RFC Editor's HTML uses: ``section-15.5.5``, ``appendix-B.1``;
    or, for a link to a heading anchor, ``name-404-not-found`` (resolved against titles).
    ``written`` is the text as it stands (``15.5.5``, ``B.1``, ``section-15.5.5-3``).
    """

    written: str
    id: str
    line: int
    column: int

    @property
    def label(self) -> str:
        """How a message names it: ``Section 15.5.5``, ``Appendix B.1``, ``section name-foo``."""
        return section_label(self.id)


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation found in a file.

    ``line`` and ``column`` are 1-based and count characters (code points), at the
    citation's first character. ``sections`` is empty for a bare citation (``RFC 9110``),
    holds one entry for ``Section 15.5.5 of RFC 9110`` and several for ``Sections 3 and 4 of
    RFC 9110``; ``through`` is true when the two entries are the ends of a range (``Sections
    6.1-6.3``): every section between them, in document order, is cited. ``quote`` is the
    quotation that follows the citation, normalised (comment markers and line breaks removed,
    whitespace runs made single spaces); ``quote_line``/``quote_column`` locate its opening
    quotation mark. ``title`` is a short parenthesised remark right after the section
    (``Section 15.5.5 (404 Not Found)``), used only to suggest sections. ``raw`` is the
    matched text, as it stands in the file.
    """

    path: str
    line: int
    column: int
    document: Reference
    sections: tuple[SectionRef, ...] = ()
    quote: str | None = None
    quote_line: int | None = None
    quote_column: int | None = None
    raw: str = ""
    through: bool = False
    title: str | None = None

    @property
    def section(self) -> str | None:
        """The (first) section as written, or ``None`` for a bare citation."""
        return self.sections[0].written if self.sections else None

    @property
    def section_id(self) -> str | None:
        """The (first) section's RFC Editor id (``section-15.5.5``), or ``None`` for a bare citation."""
        return self.sections[0].id if self.sections else None


def section_label(section_id: str) -> str:
    """``section-15.5.5`` -> ``Section 15.5.5``; ``appendix-B.1`` -> ``Appendix B.1``; others as they are."""
    kind, _, number = section_id.partition("-")
    if kind == "section" and number[:1].isdigit():
        return f"Section {number}"
    if kind == "appendix" and number:
        return f"Appendix {number}"
    return f"section {section_id}"


def section_id(written: str) -> str | None:
    """The RFC Editor id of a section number as people write it: ``15.5.5.`` -> ``section-15.5.5``.

    A leading letter makes an appendix (``B.1`` -> ``appendix-B.1``); leading zeros in a part
    are dropped (``3.02`` -> ``section-3.2``). ``None`` when ``written`` is not a section number.
    """
    parts = written.strip().rstrip(".").split(".")
    if not parts or not parts[0]:
        return None
    head, rest = parts[0], parts[1:]
    if not all(part.isdigit() and part.isascii() for part in rest):
        return None
    tail = "".join(f".{int(part)}" for part in rest)
    if head.isdigit() and head.isascii():
        return f"section-{int(head)}{tail}"
    if len(head) == 1 and head.isascii() and head.isalpha():
        return f"appendix-{head.upper()}{tail}"
    return None
