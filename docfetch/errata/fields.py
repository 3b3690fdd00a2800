"""Reading the free-text ``section`` field of an erratum: which sections (or title) it names, if any.

Submitters type anything: ``15.4.9``, ``B.1.``, ``Appendix A``, ``3.1 Terminology``,
``Section 2``, ``s 4.2``, ``4.2, 4.3``, ``GLOBAL``, ``""``, ``Abstract``, ``5, pg.12``,
``In the Copyright Notice, it says:``. :func:`read_section_field` turns that into a
:class:`SectionRef`: the section numbers it names (as comparable keys), the title words left
over, and its kind. It never guesses: what cannot be read as a section is ``unreadable``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Kinds of section field.
EMPTY = "empty"
GLOBAL = "global"
NUMBER = "number"  # one section number (``15.4.9``, ``Section 2``)
APPENDIX = "appendix"  # one appendix (``B.1``, ``Appendix A``)
SEVERAL = "several"  # more than one section (``4.2, 4.3``, ``3.1-3.3``, ``5 et al.``)
TITLE = "title"  # words only (``Abstract``, ``Security Considerations``)
UNREADABLE = "unreadable"  # nothing section-like (``page 2``, ``Figure 15``, prose)

#: A section number as a comparable key: lower-cased parts, digits without leading zeros.
Key = tuple[str, ...]

#: Most words a title-only field may have (longer ones are prose, not a section title).
MAX_TITLE_WORDS = 6

_EMPTY_WORDS = {"", "-", "--", "n/a", "na", "none", "no section", "?", ".", "nil", "null", "unknown", "tbd", "x"}
_GLOBAL = re.compile(
    r"(?:global(?:ly)?|general|everywhere|all|all sections|(?:multiple|various|several|many)(?: (?:sections|places))?"
    r"|throughout(?: the (?:document|rfc|text|spec|specification))?|(?:the )?(?:whole|entire) (?:document|rfc|text)"
    r"|all instances(?: of)?|every occur+[ae]nce(?: of the string)?)",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(r"^(?:(?:in|on|see|at)\s+)+", re.IGNORECASE)
_TRAIL = re.compile(
    r"[\s,]*(?:(?:it|that|which|this)\s+)?(?:currently\s+)?(?:says?|said|states?|reads?|contains?)\s*:?\s*$",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(
    r"""
    \b(?:pp|pgs?|pages?|pa|par|paras?|paragraphs?|lines?|ln|figs?|figures?|tables?|tab|items?|steps?|bullets?
        |notes?|points?|number|no|id|rfc|errat(?:um|a)|eid|examples?|equations?|eq|algorithm|rule|p)
      \.?\s*[#(]?\s*\d+[a-z]?\)?(?:\s*(?:-|–|/|,|and|to|&)\s*\d+)*
    | \b\d+(?:st|nd|rd|th)\b(?:\s*(?:para(?:graph)?|par|pa|p|pg|page|bullet|line|ln|item|sentence|row)\b\.?)?
    | \b(?:last|first|second|third|final|top|bottom|mid|middle|end|beginning|start)\b\.?
      (?:[-\s]*(?:of\s+)?(?:para(?:graph)?|par|pa|p|pg|page|bullet|line|ln|item|sentence)\b\.?(?:\s*\d+)?)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_PARENS_WITHOUT_SECTION = re.compile(r"\((?![^()]*\d\.\d)[^()]*\)")
_PUNCT_NOISE = re.compile(r"[\[\]()\"“”«»]")
_ONE_REF = re.compile(
    r"""
    (?:(?P<sw>(?:sections?|sect|secs?|s|§+)\.?\s*-?\s*)
      |(?P<aw>(?:appendix|appendices|appendixes|appx|apdx|app|annex(?:es)?)\.?\s*-?\s*))?
    (?:(?P<num>\d{1,4}(?:\.\d{1,4})*)
      |(?P<app>[a-z](?:\.\d{1,4})+)
      |(?P<letters>[a-z]{1,4}))
    (?P<dot>\.)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SEPARATOR = re.compile(r"\s*(?:,|;|/|&|\+|\band\b|\bor\b|\bto\b|\bthrough\b|\bthru\b|-|–|\.\.)?\s*", re.IGNORECASE)
_RANGE = re.compile(r"\s*(?:-|–|\bto\b|\bthrough\b|\bthru\b|\.\.)\s*", re.IGNORECASE)
_MORE = re.compile(r"\bet\.?\s*al\b|\bff\b|\betc\b|\bothers\b|\band following\b|^\s*(?:,|;|/|&|\+|and)\s*\.\d", re.I)
_ANYWHERE = re.compile(r"\b(?:sections?|appendix|annex)\s+(?=[a-z0-9])", re.IGNORECASE)
_ROMAN = re.compile(r"[ivx]{1,4}", re.IGNORECASE)
_NOISE_HEAD = {"the", "in", "see", "section", "sections", "appendix", "and"}
_NOISE_TAIL = {"section", "sections", "says", "say", "text", "and", "of"}
_ALIASES = {"toc": "table of contents", "intro": "introduction", "refs": "references"}
_FIRST_COMPONENT_MAX = 999
#: Words that are the start of a quotation, not a section title.
_NOT_TITLES = {"old", "new", "original", "original text", "corrected text", "current text", "text", "problem"}


@dataclass(frozen=True)
class SectionRef:
    """What a section field names: its kind, the section keys (in order), the title words left over."""

    kind: str
    keys: tuple[Key, ...] = ()
    title: str = ""
    #: For each key: whether it was written as an appendix (``Appendix 1``, ``App. B``).
    appendix: tuple[bool, ...] = ()


def clean(text: str) -> str:
    """The field on one line: whitespace runs (CR/LF included) as one space, stripped."""
    return " ".join(text.split())


def number_key(text: str) -> Key | None:
    """``15.4.9.`` / ``Appendix B.1`` / ``b.1`` / ``section-15.4.9`` -> a comparable key; None if not a number."""
    value = re.sub(r"^(?:section|appendix|annex)[\s-]*", "", text.strip(), flags=re.IGNORECASE).rstrip(".")
    parts = value.split(".")
    if not value or not all(p.isascii() and p.isalnum() for p in parts):
        return None
    return tuple(str(int(p)) if p.isdigit() else p.lower() for p in parts)


def title_key(text: str) -> str:
    """A title as compared: lower case, letters and digits only, one space between words."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def read_section_field(text: str) -> SectionRef:
    """Read a submitter's section field (see the module docstring)."""
    line = clean(text)
    folded = line.casefold().strip(" :;,")
    if folded in _EMPTY_WORDS or not any(ch.isalnum() for ch in folded):
        return SectionRef(EMPTY)
    body = _TRAIL.sub("", _LEAD_IN.sub("", line)).rstrip(" :")
    if _GLOBAL.fullmatch(body.strip(" .:")) or _GLOBAL.fullmatch(line.strip(" .:")):
        return SectionRef(GLOBAL)
    body = _QUALIFIER.sub(" ", body)
    body = _PARENS_WITHOUT_SECTION.sub(" ", body)
    body = clean(_PUNCT_NOISE.sub(" ", body))
    keys, appendix, rest, ranged = _scan(body, 0)
    if not keys:
        found = _ANYWHERE.search(body)
        if found:
            keys, appendix, rest, ranged = _scan(body, found.start())
            rest = body[: found.start()] + " " + rest
    title = _title(rest)
    if keys:
        several = ranged or len(set(keys)) > 1 or bool(_MORE.search(rest))
        if several:
            return SectionRef(SEVERAL, tuple(keys), title, tuple(appendix))
        kind = APPENDIX if appendix[0] or not keys[0][0].isdigit() else NUMBER
        return SectionRef(kind, tuple(keys[:1]), title, tuple(appendix[:1]))
    prose = bool(re.search(r"[.:;!?]\s", rest.strip() + " "))
    if title and title not in _NOT_TITLES and len(title.split()) <= MAX_TITLE_WORDS and not prose:
        return SectionRef(TITLE, (), title)
    return SectionRef(UNREADABLE, (), title)


def _scan(body: str, pos: int) -> tuple[list[Key], list[bool], str, bool]:
    """Section references from ``pos`` on: a list of them, separated by commas, ``and``, ``-``..."""
    keys: list[Key] = []
    appendix: list[bool] = []
    ranged = False
    while True:
        separator = _SEPARATOR.match(body, pos)
        start = separator.end() if separator and keys else pos
        if start == pos and keys and not body[pos : pos + 1].isspace():
            break
        found = _ref_at(body, start, first=not keys)
        if found is None:
            break
        key, is_appendix, end = found
        if keys and separator and _RANGE.fullmatch(body[pos:start]):
            ranged = True
        keys.append(key)
        appendix.append(is_appendix)
        pos = end
    return keys, appendix, body[pos:], ranged


def _ref_at(body: str, pos: int, *, first: bool) -> tuple[Key, bool, int] | None:
    """One section reference at ``pos`` (its key, whether marked as an appendix, its end), or None."""
    match = _ONE_REF.match(body, pos)
    if match is None:
        return None
    end = match.end()
    if match.group("dot") and end < len(body) and body[end].isalnum():
        end -= 1  # "1.Intro": the dot ends the number, the title follows
    if end < len(body) and body[end].isalnum():
        return None  # "99Introduction", "3GPP": a word, not a number
    said_appendix = match.group("aw") is not None
    if match.group("num"):
        text = match.group("num")
        if int(text.split(".")[0]) > _FIRST_COMPONENT_MAX:
            return None
    elif match.group("app"):
        text = match.group("app")
        if not (said_appendix or match.group("sw") or text[0].isupper()):
            return None
    else:
        text = match.group("letters")
        if said_appendix:
            if not (len(text) == 1 or _ROMAN.fullmatch(text)):
                return None
        elif not _bare_letter(body, match, first=first):
            return None
    key = number_key(text)
    return (key, said_appendix, end) if key else None


def _bare_letter(body: str, match: re.Match[str], *, first: bool) -> bool:
    """A lone capital letter is an appendix only as ``B.``, alone, or in a list (``3 and A``), never ``A number``."""
    text = match.group("letters")
    if len(text) != 1 or not text.isupper():
        return bool(match.group("sw")) and len(text) == 1 and text.isupper()
    after = body[match.end() :].lstrip()
    if match.group("dot") or not after:
        return True
    return not first and bool(re.match(r"(?:,|;|/|&|\+|and\b|or\b)", after))


def _title(rest: str) -> str:
    """The title words left in ``rest``, without the noise around them (``the``, ``section``, ``says``)."""
    words = title_key(rest).split()
    if words:
        words[0] = re.sub(r"^\d+(?=[a-z])", "", words[0])  # "99Introduction": digits glued to the title
    while words and (words[0] in _NOISE_HEAD or words[0].isdigit()):
        words.pop(0)
    while words and words[-1] in _NOISE_TAIL:
        words.pop()
    title = " ".join(words)
    return _ALIASES.get(title, title)
