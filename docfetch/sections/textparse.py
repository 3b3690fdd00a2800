"""parse_text: every section of an RFC or Internet-Draft, from its published text.

How it works, in order:

1. The text is cut into lines; page furniture (footer, form feed, running header) is marked
   (:mod:`docfetch.sections.pages`).
2. The document's own table of contents is found and read (:mod:`docfetch.sections.toc`);
   its lines are never headings, and its entries are evidence for the headings in the body.
3. Numbered headings (``15.5.5.  404 Not Found``, ``14.23 Host``, ``Appendix A:  Examples``,
   ``B.1.  Title``, ``IV.  Title``) are the best-scoring numbering sequence among the lines
   that look like headings (:mod:`docfetch.sections.headings`).
4. Unnumbered headings (``Abstract``, ``Acknowledgements``, ``Authors' Addresses``, ``Full
   Copyright Statement``...) are lines at the left margin of a document whose text is indented,
   standing alone between blank lines, or lines naming an unnumbered entry of the table.
5. Each section gets its id, level and byte span (see :func:`parse_text`).
"""

from __future__ import annotations

import re

from docfetch.sections.headings import find_candidates, is_underline, select_headings
from docfetch.sections.model import Outline, Section
from docfetch.sections.numbering import APPENDIX, NUMERIC, ROMAN, parse_numbered
from docfetch.sections.pages import BLANK, CONTENT, Lines, mark_furniture, page_breaks
from docfetch.sections.slug import slugify
from docfetch.sections.toc import Toc, find_toc, words

BOM = b"\xef\xbb\xbf"
_ROMAN_HEADING = re.compile(rb"\n[ \t\f]*\n[ \t]*(I|II)\.[ \t]+[A-Z]")
_V3_FRONT = {
    "abstract": "section-abstract",
    "status of this memo": "section-boilerplate.1",
    "copyright notice": "section-boilerplate.2",
    "table of contents": "section-toc.1",
}


def parse_text(data: bytes) -> Outline:
    """Every section of RFC-style text (old or v3, RFC or Internet-Draft), in document order.

    Ids: ``section-N`` and ``appendix-X`` for numbered sections and appendices; in v3 RFCs
    (the file starts with a byte-order mark) the front matter is ``section-abstract``,
    ``section-boilerplate.1`` (Status of This Memo), ``section-boilerplate.2`` (Copyright
    Notice), ``section-toc.1``, and unnumbered back matter continues the appendix letters as
    the RFC Editor does (RFC 9110: Acknowledgements ``appendix-C``, Index ``appendix-D``);
    other unnumbered headings get xml2rfc's heading anchor (``name-authors-address``).

    Span (the end rule): a section runs from the first byte of its heading line to the next
    heading of the same or a higher level (so it includes its subsections), and ends just past
    the newline of its last line of content: the blank lines before the next heading, and a
    page break standing directly before it (the blank lines that filled the page, the footer,
    the form feed, the running header), are left out, because they belong to no section and
    printing them would show a page's bottom and top in the middle of nowhere. A page break
    inside the section is included (it is part of the published bytes between its lines;
    :func:`docfetch.sections.strip_furniture` removes it when asked). The last section ends
    at the last line of content of the document (its last page footer left out).
    """
    lines = Lines(data)
    if data.startswith(BOM) and lines.text:
        lines.text[0] = lines.text[0][len(BOM) :]
        if not lines.text[0].strip():
            lines.kind[0] = BLANK
    v3 = data.startswith(BOM)
    mark_furniture(lines)
    roman = uses_roman(lines)
    toc = find_toc(lines, roman)
    body = toc.end if toc is not None else 0
    numbered = select_headings(find_candidates(lines, 0, roman, toc), toc is not None)
    heads: list[tuple[int, int, str | None, int, str, int]] = []  # line, last line, number, kind, title, level
    for c in numbered:
        heads.append((c.line, c.last, c.num.number, c.num.kind, c.title, len(c.num.comps)))
    taken = {c.line for c in numbered}
    span = (numbered[0].line, numbered[-1].line) if len(numbered) >= 3 else None
    for line, last, title, level in _unnumbered(lines, toc, body, taken, v3, span):
        heads.append((line, last, None, -1, title, level))
    heads.sort()
    listed = {tuple(words(e.title)) for e in toc.entries if e.kind is None} if toc is not None else set()
    sections = _sections(lines, heads, v3, listed)
    return Outline(tuple(sections), tuple(page_breaks(lines)), len(data))


def uses_roman(lines: Lines) -> bool:
    """Whether headings are numbered I., II. (a handful of the oldest RFCs)."""
    found = {m.group(1) for m in _ROMAN_HEADING.finditer(lines.data)}
    return {b"I", b"II"} <= found


_FRONT_PAGE = re.compile(
    rb"(?:RFC|Request for Comments|Network Working Group|Internet[- ]Draft|INTERNET[- ]DRAFT|Category|Obsoletes"
    rb"|Updates|ISSN|Expires|Intended [Ss]tatus|NIC|IEN|STD|BCP|FYI)\b"
)


_CODE = re.compile(rb"[={};|]|->|<-|::")


def _heading_shape(line: bytes) -> bool:
    """Whether a line at the margin can be an unnumbered heading: short, words, not a sentence, not code."""
    s = line.strip()
    if not s or len(s) > 64 or b"   " in s or b"\t" in s or _FRONT_PAGE.match(s):
        return False
    if not s[:1].isupper() or _CODE.search(s):
        return False
    return not s.endswith((b".", b",", b";", b":", b"-", b"(", b"="))


def _unnumbered(
    lines: Lines, toc: Toc | None, body: int, numbered: set[int], v3: bool, span: tuple[int, int] | None
) -> list[tuple[int, int, str, int]]:
    """Unnumbered headings: (line, last line, title, level).

    Between the first and the last numbered heading (``span``) of a document that numbers its
    sections, a line at the margin is taken for a heading only when the table of contents
    lists it: there it is far more often ABNF, ASN.1 or a call flow than an unnumbered section.
    """
    text, kind = lines.text, lines.kind
    n = len(text)
    out: dict[int, tuple[int, int, str, int]] = {}

    def alone(i: int) -> bool:
        return (i == 0 or kind[i - 1] != CONTENT) and (i + 1 >= n or kind[i + 1] != CONTENT)

    # The table of contents' own heading.
    if toc is not None and toc.heading not in numbered:
        out[toc.heading] = (toc.heading, toc.heading, _title(text[toc.heading]), 1)
    # Entries of the table without a number, found in the body.
    if toc is not None and any(e.kind is None for e in toc.entries):
        # Lines standing after a blank line, with their words (computed once).
        starts = [
            (i, words(text[i].decode("utf-8", "replace")))
            for i in range(body, n)
            if kind[i] == CONTENT and kind[i - 1] != CONTENT and len(text[i]) <= 90 and i not in numbered
        ]
        cursor = 0  # entries are found in their order (a title may be listed twice: RFC 1)
        for e in toc.entries:
            want = words(e.title) if e.kind is None else None
            if not want:
                continue
            for k in range(cursor, len(starts)):
                i, have = starts[k]
                if have == want:
                    cursor = k + 1
                    out[i] = (i, i, _title(text[i]), e.level)
                    break
    # Underlined lines ("Introduction" over "------------"), wherever they stand.
    for i in range(1, n - 1):
        if i in numbered or kind[i] != CONTENT or kind[i - 1] == CONTENT or kind[i + 1] != CONTENT:
            continue
        title = text[i].strip()
        under = len(text[i + 1].strip())
        if v3 or not is_underline(text[i + 1]) or not 0.6 * len(title) <= under <= 1.6 * len(title) + 2:
            continue
        if span is not None and span[0] < i < span[1]:
            continue  # inside numbered sections: the header of a table ("Cause of error", RFC 4960)
        if _heading_shape(title) and not is_underline(title):
            out.setdefault(i, (i, i + 1, _title(title), 1))
    # Lines at the left margin of a document whose text is indented.
    # (Unless the text itself is at the margin: many lines there that run on into the next one.)
    margin = [i for i in range(n) if kind[i] == CONTENT and text[i][:1] not in b" \t"]
    content = sum(1 for k in kind if k == CONTENT)
    prose = sum(1 for i in margin if i + 1 < n and kind[i + 1] == CONTENT)
    if content and prose <= 0.2 * content:
        for i in margin:
            if i in numbered or i in out or not alone(i):
                continue
            if toc is not None and toc.heading < i < toc.end:
                continue
            line = text[i]
            if not _heading_shape(line) or parse_numbered(line) is not None:
                continue
            if span is not None and span[0] < i < span[1]:
                continue
            out[i] = (i, i, _title(line), 1)
    # A v3 document's wrapped unnumbered heading is rare enough to leave; drop front-page lines
    # before the first blank-separated heading of old documents (the title block).
    return sorted(out.values())


def _title(line: bytes) -> str:
    return " ".join(line.decode("utf-8", "replace").split())


def _sections(
    lines: Lines, heads: list[tuple[int, int, str | None, int, str, int]], v3: bool, listed: set[tuple[str, ...]]
) -> list[Section]:
    """Ids, levels and spans for the headings, in document order.

    In a v3 RFC, an unnumbered heading of the back matter that the table of contents leaves
    out while it lists the one before it (RFC 8881: "Acknowledgments for This Update" under
    "Acknowledgments") is that one's subsection: ``appendix-D.1``, level 2.
    """
    taken: set[str] = set()
    ids: list[str] = []
    letter = 0  # the last appendix letter used (v3 back matter continues it)
    seen_numbered = False
    parent_id: str | None = None  # the last listed unnumbered section of the back matter
    children = 0
    for k, (_line, _last, number, kind, title, _level) in enumerate(heads):
        if v3 and seen_numbered and number is None and listed:
            if tuple(words(title)) in listed:
                parent_id, children = None, 0
            elif parent_id is not None:
                children += 1
                ident = f"{parent_id}.{children}"
                heads[k] = (_line, _last, number, kind, title, 2)
                taken.add(ident)
                ids.append(ident)
                continue
        if number is not None:
            seen_numbered = True
            if kind == APPENDIX:
                letter = max(letter, ord(number[0]) - 64 if number[0].isalpha() else 0)
                ident = f"appendix-{number}"
            elif kind in (NUMERIC, ROMAN):
                ident = f"section-{number}"
            else:
                ident = f"section-{number}"
        elif v3 and not seen_numbered and title.lower() in _V3_FRONT:
            ident = _V3_FRONT[title.lower()]
        elif v3 and seen_numbered and letter < 26:
            letter += 1
            ident = f"appendix-{chr(64 + letter)}"
            parent_id = ident if tuple(words(title)) in listed else None
        else:
            ident = slugify(title, taken)
        if ident in taken and not ident.startswith("name-"):
            ident = slugify(title, taken)
        taken.add(ident)
        ids.append(ident)
    out: list[Section] = []
    for k, (line, _last, number, _kind, title, level) in enumerate(heads):
        stop = len(lines)
        for m in range(k + 1, len(heads)):
            if heads[m][5] <= level:
                stop = heads[m][0]
                break
        out.append(Section(ids[k], number, title, level, lines.start[line], _end_before(lines, stop, line)))
    return out


def _end_before(lines: Lines, stop: int, floor: int) -> int:
    """The offset just past the last line of content before line ``stop`` (not before line ``floor``)."""
    j = stop - 1
    while j > floor and lines.kind[j] != CONTENT:
        j -= 1
    return lines.end_of(j)
