"""strip_furniture: a slice of a paged document with its page breaks taken out."""

from __future__ import annotations

from docfetch.sections.model import Outline, PageBreak, Section


def strip_furniture(
    data: bytes, outline: Outline | tuple[PageBreak, ...] | list[PageBreak], start: int = 0, end: int | None = None
) -> bytes:
    """``data[start:end]`` without page furniture, so that the text reads on across page breaks.

    Each page break inside the slice (the blank lines that filled the page, the footer line,
    the form feed, the running header and the blank lines under it) is removed; where the
    break stood between two paragraphs one blank line is put back (``PageBreak.blank``).
    Breaks only partly inside the slice are cut to it and removed the same way. A document
    without page breaks (every v3 RFC) comes back unchanged.
    """
    breaks = outline.breaks if isinstance(outline, Outline) else outline
    stop = len(data) if end is None else min(end, len(data))
    out: list[bytes] = []
    pos = start
    for b in breaks:
        if b.end <= pos or b.start >= stop:
            continue
        cut_from, cut_to = max(b.start, pos), min(b.end, stop)
        out.append(data[pos:cut_from])
        if b.blank and b.start >= start and b.end <= stop:
            out.append(b"\n")
        pos = cut_to
    out.append(data[pos:stop])
    return b"".join(out)


def section_bytes(data: bytes, outline: Outline, section: Section, *, page_breaks: bool = True) -> bytes:
    """The bytes of ``section`` (with its subsections), with or without its page furniture."""
    if page_breaks:
        return data[section.start : section.end]
    return strip_furniture(data, outline, section.start, section.end)
