"""The document's own table of contents: where it is and what it lists.

Two shapes exist. Paged documents list entries with dot leaders and page numbers
(``3.1  Internet Header Format ........ 11``, ``1.  Introduction . . . . . 4``), an entry's
title sometimes wrapped over two lines. v3 RFCs list entries without page numbers, indented,
a wrapped title continuing under the title. Old RFCs have both, with and without numbers.
The entries are strong evidence for the headings in the body; the lines of the table itself
must never be taken for headings.
"""

from __future__ import annotations

import re
from collections import namedtuple

from docfetch.sections.numbering import APPENDIX, NUMERIC, ROMAN, join_wrapped, parse_numbered
from docfetch.sections.pages import CONTENT, Lines

_TOC_HEADING = re.compile(rb"[ \t]*(?:table[ \t]+of[ \t]+contents|contents)[ \t]*:?[ \t]*", re.I)
_LEADER = re.compile(
    rb"(.*?\S)(?:[ \t]*(?:\.[ \t]?){2,}[ \t]*|[ \t]+\.[ \t]*|[ \t]{2,})([0-9]{1,4}|[ivxlc]{1,6})[ \t]*", re.I
)
_LETTER = re.compile(rb"([A-Z])[ \t]{2,}(\S.*)")
_WORDS = re.compile(r"[a-z0-9]+")


class TocEntry(namedtuple("TocEntry", ("line", "kind", "comps", "number", "title", "level", "indent"))):
    """One entry: its first line, its number (kind and components as in numbering), title and level.

    ``kind`` is None and ``number`` None for an unnumbered entry (``Authors' Addresses``).
    """

    __slots__ = ()
    line: int
    kind: int | None
    comps: tuple[int, ...]
    number: str | None
    title: str
    level: int
    indent: int


class Toc(namedtuple("Toc", ("heading", "end", "entries"))):
    """The table of contents: its heading line, the line just past it, and its entries."""

    __slots__ = ()
    heading: int
    end: int
    entries: tuple[TocEntry, ...]


def words(title: str) -> list[str]:
    """The words of a title, lower case, for comparing a heading with its entry."""
    return _WORDS.findall(title.lower())


def same_title(a: str, b: str) -> bool:
    """Whether two titles are the same heading (a table may shorten or wrap a title)."""
    wa, wb = words(a), words(b)
    if wa[:1] == ["appendix"] and wb[:1] != ["appendix"]:
        wa = wa[1:]  # "B. Appendix - Glossary" in the table of RFC 4346 for "Appendix B. Glossary"
    if wb[:1] == ["appendix"] and wa[:1] != ["appendix"]:
        wb = wb[1:]
    if not wa or not wb:
        return not wa and not wb
    if wa == wb:
        return True
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if long_[: len(short)] == short and len(short) >= 2:
        return True
    if ":" in a or ":" in b:
        return same_title(a.split(":", 1)[0], b.split(":", 1)[0])  # "Checksum" for "Checksum: RFC-791 Section 3.1"
    common = len(set(wa) & set(wb))
    return common >= 0.7 * max(len(set(wa)), len(set(wb)))


def find_toc(lines: Lines, roman: bool = False) -> Toc | None:
    """The first table of contents in the first third of the document, if there is one."""
    text, kind = lines.text, lines.kind
    limit = max(200, len(text) // 3)
    for h in range(min(limit, len(text))):
        if kind[h] == CONTENT and len(text[h]) < 60 and _TOC_HEADING.fullmatch(text[h]):
            toc = _read_toc(lines, h, roman)
            if toc.entries:
                return toc
    return None


def _read_toc(lines: Lines, h: int, roman: bool) -> Toc:
    text, kind = lines.text, lines.kind
    n = len(text)
    sample = [i for i in range(h + 1, min(n, h + 40)) if kind[i] == CONTENT][:12]
    paged = sum(1 for i in sample if _LEADER.fullmatch(text[i])) >= max(1, len(sample) // 3)
    raw: list[tuple[int, bytes, int]] = []  # (first line, text without leader, indent)
    i = h + 1
    end = i
    if paged:
        pending: list[int] = []
        while i < n:
            if kind[i] != CONTENT:
                if pending:
                    if len(pending) == 1 and _entry_follows(lines, i):
                        pending = []  # "APPENDIX" over the appendices' entries (RFC 822): a group title
                    else:
                        break  # lines without a page number, then a gap: the table is over
                i += 1
                continue
            m = _LEADER.fullmatch(text[i])
            if m:
                if pending and parse_numbered(text[pending[0]]) and parse_numbered(m.group(1)):
                    # An entry whose page number was not recognised, then another entry: two entries.
                    raw.append((pending[0], join_wrapped([text[p] for p in pending]), _indent(text[pending[0]])))
                    pending = []
                first = pending[0] if pending else i
                body = join_wrapped([text[p] for p in pending] + [m.group(1)])
                raw.append((first, body, _indent(text[first])))
                pending = []
                end = i + 1
            else:
                pending.append(i)
                if len(pending) > 3:
                    break
            i += 1
        return Toc(h, end, tuple(_entries(raw, roman)))
    first_key: bytes | None = None
    min_indent: int | None = None
    last_title_col = 0
    while i < n:
        if kind[i] != CONTENT:
            i += 1
            continue
        line = text[i]
        ind = _indent(line)
        key = b" ".join(line.split()).lower()
        if min_indent is None:
            min_indent = ind
        if ind < min_indent or key == first_key or len(line) > 80:
            break  # the body starts (at the margin, or with the first entry's heading again)
        num = parse_numbered(line, roman=roman)
        if raw and num is None and ind >= last_title_col > ind - 6 and _wrapped(text[i - 1], line):
            first, body, indent = raw[-1]
            raw[-1] = (first, join_wrapped([body, line]), indent)
        else:
            raw.append((i, line.strip(), ind))
            last_title_col = num.title_col if num is not None else ind
        if first_key is None:
            first_key = key
        end = i + 1
        i += 1
    return Toc(h, end, tuple(_entries(raw, roman)))


def _entry_follows(lines: Lines, i: int) -> bool:
    """Whether the next line of text, within three lines of line ``i``, is an entry with a page number."""
    for j in range(i, min(i + 4, len(lines.text))):
        if lines.kind[j] == CONTENT:
            return _LEADER.fullmatch(lines.text[j]) is not None
    return False


def _wrapped(prev: bytes, line: bytes) -> bool:
    """Whether ``line`` continues ``prev``: its first word would not have fit on ``prev`` (72 columns)."""
    first = line.split(None, 1)[0] if line.strip() else b""
    return len(prev.rstrip()) + 1 + len(first) > 70


def _indent(line: bytes) -> int:
    stripped = line.lstrip()
    return len(line[: len(line) - len(stripped)].expandtabs(8))


def _entries(raw: list[tuple[int, bytes, int]], roman: bool) -> list[TocEntry]:
    out: list[TocEntry] = []
    level_by_indent: dict[int, int] = {}
    prev_title_col = -1
    prev_level = 0
    for line, body, indent in raw:
        num = parse_numbered(body, roman=roman)
        if num is not None and (num.title or num.explicit):
            level = len(num.comps)
            title = num.title.decode("utf-8", "replace")
            out.append(TocEntry(line, num.kind, num.comps, num.number, " ".join(title.split()), level, indent))
            level_by_indent.setdefault(indent, level)
            prev_title_col = indent + num.title_col
            prev_level = level
            continue
        m = _LETTER.fullmatch(body)
        if m:  # "A   Implementing a Minimal RDP": an appendix listed without its dot
            title = " ".join(m.group(2).decode("utf-8", "replace").split())
            out.append(TocEntry(line, APPENDIX, (m.group(1)[0] - 64,), m.group(1).decode(), title, 1, indent))
            continue
        title = " ".join(body.decode("utf-8", "replace").split())
        level = prev_level + 1 if prev_level and indent >= prev_title_col - 1 else 1
        out.append(TocEntry(line, None, (), None, title, level, indent))
    return out


def by_number(toc: Toc | None) -> dict[tuple[int, tuple[int, ...]], TocEntry]:
    """The numbered entries keyed by (kind, components)."""
    out: dict[tuple[int, tuple[int, ...]], TocEntry] = {}
    if toc is not None:
        for e in toc.entries:
            if e.kind is not None:
                out.setdefault((e.kind, e.comps), e)
    return out


__all__ = ["APPENDIX", "NUMERIC", "ROMAN", "Toc", "TocEntry", "by_number", "find_toc", "same_title", "words"]
