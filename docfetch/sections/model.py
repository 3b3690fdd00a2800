"""The outline of a document: its sections, its page breaks, and their compact JSON form.

Everything here is cheap to import (no ``typing``, no ``json`` until a conversion needs it):
finding a section of a cached document must run in a few milliseconds.
"""

from __future__ import annotations

from collections import namedtuple

from docfetch.errors import NotFoundError

#: Bumped whenever the parser's output for the same bytes may change: a stored outline
#: with another version must be computed again.
FORMAT_VERSION = 1


class Section(namedtuple("Section", ("id", "number", "title", "level", "start", "end"))):
    """One section (or appendix, or unnumbered front or back matter) of a document.

    ``id`` is the fragment the RFC Editor's HTML uses (``section-15.5.5``, ``appendix-B.1``,
    ``section-abstract``, ``name-authors-address``); ``number`` is ``"15.5.5"``, ``"B.1"`` or
    ``None``; ``level`` is 1 for ``15`` and ``Appendix B``; ``start``/``end`` are byte offsets
    into the published file: ``data[start:end]`` is the section with its subsections, from the
    first byte of its heading line to just past the newline of its last line of content.
    """

    __slots__ = ()
    id: str
    number: str | None
    title: str
    level: int
    start: int
    end: int


class PageBreak(namedtuple("PageBreak", ("start", "end", "blank"))):
    """Page furniture between two lines of content: ``data[start:end]`` is removed.

    The span runs from just past the newline of the last line of content before the break
    (so it holds the blank lines that filled the page, the footer line, the form feed, the
    running header and the blank lines under it) to the first byte of the next line of content.
    ``blank`` says whether the break stands where the text had a blank line (between two
    paragraphs): a reader that removes the furniture puts one blank line back there.
    """

    __slots__ = ()
    start: int
    end: int
    blank: bool


class Outline(namedtuple("Outline", ("sections", "breaks", "size"))):
    """What :func:`docfetch.sections.parse_text` computes once for a document.

    ``sections`` in document order, ``breaks`` (page furniture) in document order, ``size``
    the length in bytes of the document it was computed from (a stored outline whose size
    differs from the document's belongs to another version of it).
    """

    __slots__ = ()
    sections: tuple[Section, ...]
    breaks: tuple[PageBreak, ...]
    size: int

    @property
    def has_numbers(self) -> bool:
        """Whether any section is numbered (RFC 1149 has none)."""
        return any(s.number for s in self.sections)

    def to_json(self) -> str:
        """Compact JSON with a format version, for keeping beside the cached document."""
        import json

        return json.dumps(
            {
                "v": FORMAT_VERSION,
                "n": self.size,
                "s": [list(s) for s in self.sections],
                "b": [[b.start, b.end, int(b.blank)] for b in self.breaks],
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Outline:
        """The outline :meth:`to_json` wrote; ``ValueError`` if it is malformed or of another version."""
        import json

        try:
            raw = json.loads(text)
            if raw["v"] != FORMAT_VERSION:
                raise ValueError(f"outline format {raw['v']!r}, this docfetch reads {FORMAT_VERSION}")
            sections = tuple(Section(str(a), b, str(c), int(d), int(e), int(f)) for a, b, c, d, e, f in raw["s"])
            breaks = tuple(PageBreak(int(a), int(b), bool(c)) for a, b, c in raw["b"])
            return cls(sections, breaks, int(raw["n"]))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed outline: {exc}") from exc


class SectionNotFound(NotFoundError):
    """No section answers the query; ``suggestions`` holds the closest ones (ids, numbers or titles).

    ``no_numbers`` is true when the document has no numbered section at all, so a caller can
    say so instead of suggesting near misses. ``ambiguous`` is true when several sections match
    the query equally well (then ``suggestions`` lists them).
    """

    def __init__(
        self, query: str, suggestions: list[str], *, no_numbers: bool = False, ambiguous: bool = False
    ) -> None:
        self.query = query
        self.suggestions = suggestions
        self.no_numbers = no_numbers
        self.ambiguous = ambiguous
        if ambiguous:
            message = f"section {query!r} is ambiguous: " + ", ".join(suggestions)
        else:
            message = f"no section {query!r}"
            if no_numbers:
                message += " (this document has no numbered sections)"
            if suggestions:
                message += "; did you mean " + ", ".join(suggestions) + "?"
        super().__init__(message)
