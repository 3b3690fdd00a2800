"""Lines and page furniture of RFC-style text: which lines are content, blank, or furniture.

Paged documents (every RFC before 8650, Internet-Drafts) end each page with a footer line
(``Postel   [Page 5]``, ``Kerwin   Expires June 19, 2017   [Page 1]``), a form feed, and
start the next one with a running header (``RFC 791   September 1981``; two lines in some
old RFCs). Everything between the last line of content of one page and the first line of
content of the next is furniture: those lines are marked, and each break becomes a
:class:`~docfetch.sections.model.PageBreak`.
"""

from __future__ import annotations

import re

from docfetch.sections.model import PageBreak

CONTENT, BLANK, FURNITURE = 0, 1, 2

# "[Page 5]", "[Page iii]", "Page 5" at the end of the footer line; or a page number after a wide gap.
_FOOTER = re.compile(rb"(?:\[\s*page\s+[0-9ivxlc]+\s*\]|\bpage\s+[0-9ivxlc]+|\s{3,}-?\s*[0-9]{1,4}\s*-?)\s*$", re.I)
_HEADER = re.compile(
    rb"\s*(?:RFC[ -]?[0-9]+|Internet[ -]Draft|INTERNET[ -]DRAFT|Internet Draft)\b"
    rb"|.*\s{3,}(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    rb"\s+(?:[0-9]{1,2},?\s+)?)?(?:19|20)[0-9]{2}\s*$"
)
_SPACES = re.compile(rb"\s+")


class Lines:
    """The document split into lines, with each line's offset, text and kind.

    ``text[i]`` has no newline (nor a trailing carriage return); ``start[i]`` is its offset;
    ``kind[i]`` is CONTENT, BLANK (only white space) or FURNITURE (footer, form feed, header).
    """

    __slots__ = ("data", "kind", "start", "text")

    def __init__(self, data: bytes) -> None:
        self.data = data
        raw = data.split(b"\n")
        if raw and raw[-1] == b"":
            raw.pop()  # the final newline ends the last line; it does not start another one
        starts = []
        pos = 0
        for line in raw:
            starts.append(pos)
            pos += len(line) + 1
        self.start: list[int] = starts
        self.text: list[bytes] = [line[:-1] if line.endswith(b"\r") else line for line in raw]
        self.kind: list[int] = [CONTENT if line.strip() else BLANK for line in self.text]

    def __len__(self) -> int:
        return len(self.text)

    def end_of(self, i: int) -> int:
        """The offset just past line ``i`` and its newline (the document's end for the last line)."""
        return self.start[i + 1] if i + 1 < len(self.start) else len(self.data)

    def is_content(self, i: int) -> bool:
        """Whether line ``i`` exists and holds content (neither blank nor furniture)."""
        return 0 <= i < len(self.kind) and self.kind[i] == CONTENT


def _norm(line: bytes) -> bytes:
    return _SPACES.sub(b" ", line.replace(b"\f", b" ")).strip()


def mark_furniture(lines: Lines) -> None:
    """Mark footers, form feeds and running headers as FURNITURE (in place)."""
    text, kind = lines.text, lines.kind
    n = len(text)
    feeds = [i for i, line in enumerate(text) if b"\f" in line]
    # Running headers repeat: count what follows each form feed.
    follow: dict[bytes, int] = {}
    for i in feeds:
        for line in _after(text, i, 4):
            key = _norm(line)
            follow[key] = follow.get(key, 0) + 1
    for i in feeds:
        kind[i] = FURNITURE
        before, _, after = text[i].partition(b"\f")
        if not before.strip():
            j = i - 1
            while j >= 0 and kind[j] == BLANK:
                j -= 1
            if j >= 0 and kind[j] == CONTENT and _FOOTER.search(text[j]):
                kind[j] = FURNITURE
        if after.strip() and not (_HEADER.match(after) or follow.get(_norm(after), 0) >= 2):
            kind[i] = CONTENT  # text after the form feed that is not a header: keep it (rare)
        taken = 0
        j = i + 1
        while j < n and taken < 4 and j <= i + 6:
            if kind[j] == BLANK:
                if taken:
                    break  # a running header is one block of lines
                j += 1
                continue
            if kind[j] != CONTENT or b"\f" in text[j]:
                break
            key = _norm(text[j])
            if (
                (follow.get(key, 0) >= 2 and len(feeds) > 1)
                or (_HEADER.match(text[j]) and taken == 0)
                or (taken and _block_then_blank(lines, j, 4 - taken))
            ):
                kind[j] = FURNITURE
                taken += 1
                j += 1
                continue
            break
    # The last page's footer has no form feed after it.
    j = n - 1
    while j >= 0 and kind[j] == BLANK:
        j -= 1
    if j >= 0 and kind[j] == CONTENT and feeds and re.search(rb"\[\s*page\s+[0-9ivxlc]+\s*\]\s*$", text[j], re.I):
        kind[j] = FURNITURE


def _block_then_blank(lines: Lines, j: int, most: int) -> bool:
    """Whether lines j.. are at most ``most`` lines of text followed by a blank line (a header block's end)."""
    k = j
    while k < len(lines.kind) and lines.kind[k] == CONTENT and k - j < most:
        k += 1
    return k < len(lines.kind) and lines.kind[k] == BLANK


def _after(text: list[bytes], i: int, count: int) -> list[bytes]:
    """Up to ``count`` non-blank lines within five lines after line ``i``."""
    out = []
    for j in range(i + 1, min(i + 7, len(text))):
        if b"\f" in text[j]:
            break
        if text[j].strip():
            out.append(text[j])
            if len(out) == count:
                break
    return out


def page_breaks(lines: Lines) -> list[PageBreak]:
    """Every run of blank and furniture lines that holds furniture, as a :class:`PageBreak`."""
    kind, text = lines.kind, lines.text
    n = len(kind)
    widths = [len(t) for t, k in zip(text, kind, strict=True) if k == CONTENT]
    width = sorted(widths)[int(len(widths) * 0.9)] if widths else 72
    # The blank lines a full page carries above its footer: the most common count.
    out: list[PageBreak] = []
    i = 0
    while i < n:
        if kind[i] == CONTENT:
            i += 1
            continue
        j = i
        furniture = False
        while j < n and kind[j] != CONTENT:
            furniture = furniture or kind[j] == FURNITURE
            j += 1
        if furniture:
            start = lines.end_of(i - 1) if i > 0 else 0
            end = lines.start[j] if j < n else len(lines.data)
            out.append(PageBreak(start, end, _paragraph_gap(lines, i, j, width)))
        i = j
    return out


def _paragraph_gap(lines: Lines, i: int, j: int, width: int) -> bool:
    """Whether the break between line i-1 and line j stands where the text had a blank line."""
    kind, text = lines.kind, lines.text
    if i == 0 or j >= len(text):
        return False
    blanks_top = 0
    k = i
    while k < j and kind[k] == BLANK:
        blanks_top += 1
        k += 1
    blanks_bottom = 0
    k = j - 1
    while k >= i and kind[k] == BLANK:
        blanks_bottom += 1
        k -= 1
    prev, nxt = text[i - 1].rstrip(), text[j]
    if blanks_bottom > 2 or blanks_top > 4:
        return True  # the page was cut short, or the next one starts with a gap: a new block
    indent_prev = len(prev) - len(prev.lstrip())
    indent_next = len(nxt) - len(nxt.lstrip())
    if nxt.lstrip()[:1].islower():
        return False
    if indent_next > indent_prev:
        return prev.endswith((b".", b":"))  # a block under a sentence; else the construct goes on
    if indent_next < indent_prev:
        return True
    return len(prev) < width - 12 and prev.endswith((b".", b":", b";"))
