"""Whether a quotation appears in a text, and where else it appears.

The rules (what counts as "the same text"):

- Case matters (``MUST`` is not ``must``), except for the quotation's first letter: a quote
  may capitalise the word it starts with, or lower-case it (``"The server..."`` for "...the
  server..."); ``[T]he`` is read as ``The``.
- Whitespace does not matter beyond separating words: line breaks, indentation, the two spaces
  after a period, no-break spaces, page furniture the caller replaced by whitespace.
- Curly and straight quotation marks are equal (``“”„`` and ``"``; ``‘’`` and ``'``).
- A word hyphenated at a line end in the text (``represen-`` / ``tation``) matches either the
  word with its hyphen (``Content-Type``) or without it (``representation``), not a mix of both
  in one quotation.
- ``...``, ``…``, ``[...]`` and ``[…]`` in a quotation mean "text skipped": the pieces must
  appear in order. ``[sic]`` is ignored.
- The quotation's final ``.``, ``,``, ``;`` or ``:`` may be absent from the text (punctuation put
  inside the closing quotation mark by typographic habit).
- Page furniture: callers pass text with the furniture removed (``docfetch.sections``); as a
  safety net, a text that still holds form feeds loses its ``[Page N]`` footer lines and the
  running header after each form feed.

:func:`best_location` finds, among several candidate texts (sections, documents), the one a
quotation comes from: the shortest text holding it exactly (the most specific section), else,
for a paraphrase, the text sharing the largest share of its word triples, if at least
``threshold`` of them; as a section's text holds its subsections', the shortest text scoring
at least 80% of the best score is chosen (the subsection the shared words come from, not
the chapter around it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K")

_TRANSLATE = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\f": " ",
        "\u00ad": None,
        "\ufeff": None,
    }
)
_ELLIPSIS = re.compile(r"\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|(?:\.\s*){3}|…")
_SIC = re.compile(r"\s*\[sic\]", re.IGNORECASE)
_BRACKETED_LETTER = re.compile(r"\[([A-Za-z])\]")
_LINE_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])-[ \t]*\r?\n\s*(?=[A-Za-z])")
_PAGE_BREAK = re.compile(r"^[^\n]*\[Page [0-9]+\][ \t]*\r?\n\f\r?\n?(?:RFC [0-9]+[^\n]*)?", re.MULTILINE)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_TRAILING_PUNCTUATION = ".,;:"
#: A paraphrase's location: the shortest candidate scoring at least this share of the best score.
NEAR_BEST = 0.8


def _collapse(text: str) -> str:
    return " ".join(text.split())


class Haystack:
    """A text made ready for quotation lookups (build it once, look up many quotations)."""

    __slots__ = ("_joined", "_shingles", "length", "text")

    def __init__(self, text: str) -> None:
        if "\f" in text:
            text = _PAGE_BREAK.sub(" ", text)
        text = text.translate(_TRANSLATE)
        #: The text with whitespace collapsed and hyphens at line ends kept, joined ("Content-Type").
        self.text = _collapse(_LINE_HYPHEN.sub("-", text))
        self._joined: str | None = _collapse(_LINE_HYPHEN.sub("", text)) if _LINE_HYPHEN.search(text) else None
        self._shingles: frozenset[tuple[str, ...]] | None = None
        #: The length of the normalised text (shorter: a more specific location).
        self.length = len(self.text)

    def variants(self) -> tuple[str, ...]:
        """The normalised text, and the same with line-end hyphens dropped when there were any."""
        return (self.text,) if self._joined is None else (self.text, self._joined)

    def contains(self, quote: Quote | str) -> bool:
        """Whether the quotation appears in this text (see the module's rules)."""
        prepared = quote if isinstance(quote, Quote) else Quote(quote)
        if not prepared.parts:
            return False
        return any(prepared.find_in(variant) is not None for variant in self.variants())

    def shingles(self, size: int) -> frozenset[tuple[str, ...]]:
        """The text's word ``size``-grams in lower case (computed once for size 3)."""
        if size == 3 and self._shingles is not None:
            return self._shingles
        found = _shingles(self.text, size)
        if size == 3:
            self._shingles = found
        return found


class Quote:
    """A quotation made ready for lookups: its pieces between ellipses, normalised."""

    __slots__ = ("parts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        cleaned = _BRACKETED_LETTER.sub(r"\1", _SIC.sub("", text.translate(_TRANSLATE)))
        parts = [_collapse(part) for part in _ELLIPSIS.split(cleaned)]
        parts = [part for part in parts if part]
        if parts:
            last = parts[-1].rstrip(_TRAILING_PUNCTUATION).rstrip()
            if last:
                parts[-1] = last
            else:
                parts.pop()
        self.parts: tuple[str, ...] = tuple(parts)

    def find_in(self, text: str) -> tuple[int, int] | None:
        """Where the quotation's pieces stand in ``text`` (start of the first, end of the last), or ``None``."""
        pos = 0
        first = -1
        for index, part in enumerate(self.parts):
            found = _find(text, part, pos, first_letter_free=index == 0)
            if found < 0:
                return None
            if index == 0:
                first = found
            pos = found + len(part)
        return first, pos


def _find(text: str, part: str, start: int, *, first_letter_free: bool) -> int:
    found = text.find(part, start)
    if first_letter_free and part[0].isalpha():
        other = part[0].swapcase() + part[1:]
        alternative = text.find(other, start)
        if alternative >= 0 and (found < 0 or alternative < found):
            found = alternative
    return found


def _shingles(text: str, size: int) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return frozenset({tuple(words)}) if words else frozenset()
    if size == 1:
        return frozenset((word,) for word in words)
    return frozenset(zip(*(words[i:] for i in range(size)), strict=False))


def quote_in(quote: str, text: str | Haystack) -> bool:
    """Whether ``quote`` appears in ``text`` (see the module's rules)."""
    haystack = text if isinstance(text, Haystack) else Haystack(text)
    return haystack.contains(quote)


def _wanted(quote: str) -> tuple[int, frozenset[tuple[str, ...]]]:
    """The word triples of a quotation (single words when it has fewer than three), and their size."""
    words = _WORD.findall(" ".join(Quote(quote).parts))
    size = 3 if len(words) >= 3 else 1
    return size, _shingles(" ".join(words), size)


def _score(wanted: tuple[int, frozenset[tuple[str, ...]]], haystack: Haystack) -> float:
    size, shingles = wanted
    if not shingles:
        return 0.0
    return len(shingles & haystack.shingles(size)) / len(shingles)


def similarity(quote: str, text: str | Haystack) -> float:
    """The share (0 to 1) of the quotation's word triples (single words for a short quotation) found in ``text``."""
    haystack = text if isinstance(text, Haystack) else Haystack(text)
    return _score(_wanted(quote), haystack)


@dataclass(frozen=True, slots=True)
class Location(Generic[K]):
    """Where a quotation was found: the candidate's key, whether exactly, and the share of it found (1.0 when exact)."""

    key: K
    exact: bool
    score: float


def best_location(
    quote: str, candidates: Iterable[tuple[K, str | Haystack]], *, threshold: float = 0.5
) -> Location[K] | None:
    """The candidate a quotation comes from: the shortest one holding it exactly, else the shortest
    of those nearly as similar as the most similar one (see the module's rules), if at least
    ``threshold`` of the quotation's word triples are there; ties go to the first."""
    prepared = Quote(quote)
    if not prepared.parts:
        return None
    pool = [(key, text if isinstance(text, Haystack) else Haystack(text)) for key, text in candidates]
    exact = [(hay.length, index) for index, (_, hay) in enumerate(pool) if hay.contains(prepared)]
    if exact:
        _, index = min(exact)
        return Location(pool[index][0], True, 1.0)
    wanted = _wanted(quote)
    scores = [_score(wanted, hay) for _, hay in pool]
    if not scores:
        return None
    floor = max(threshold, NEAR_BEST * max(scores))
    near = [(hay.length, index) for index, (_, hay) in enumerate(pool) if scores[index] >= floor]
    if not near:
        return None
    _, index = min(near)
    return Location(pool[index][0], False, scores[index])


@dataclass(frozen=True, slots=True)
class Divergence:
    """Where a quotation stops matching a text: the last words that matched, then each side's next words."""

    matched: str
    quoted_next: str
    text_next: str


def divergence(quote: str, text: str | Haystack, *, context: int = 6) -> Divergence | None:
    """Where the quotation parts from ``text``: after the longest run of its leading words found in the text.

    ``None`` when the quotation is found, or when not even its first three words are.
    """
    haystack = text if isinstance(text, Haystack) else Haystack(text)
    prepared = Quote(quote)
    pos = 0
    for index, part in enumerate(prepared.parts):
        found = _find(haystack.text, part, pos, first_letter_free=index == 0)
        if found >= 0:
            pos = found + len(part)
            continue
        words = part.split(" ")
        low, high = 0, len(words) - 1  # the longest prefix found has between low and high words
        where = -1
        while low < high:
            middle = (low + high + 1) // 2
            spot = _find(haystack.text, " ".join(words[:middle]), pos, first_letter_free=index == 0)
            if spot >= 0:
                low, where = middle, spot
            else:
                high = middle - 1
        if low < 3 or where < 0:
            return None
        prefix = " ".join(words[:low])
        after = haystack.text[where + len(prefix) :].split()
        return Divergence(
            " ".join(words[max(0, low - context) : low]),
            " ".join(words[low : low + context]),
            " ".join(after[:context])[:200],
        )
    return None
