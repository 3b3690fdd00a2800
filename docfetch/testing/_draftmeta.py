"""Best-effort metadata from an Internet-Draft's text (title, authors, date, abstract)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DATE = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(?:(\d{1,2}),\s+)?(\d{4})\b")
_AUTHOR = re.compile(r"^(?:[A-Z][a-z]?\.[ -]?)+ ?[A-Z][\w'-]+(?:, Ed\.)?$")


@dataclass
class DraftMeta:
    """What a datatracker record says about one revision."""

    title: str = ""
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    published: str = ""  # ISO date, "" when unknown


def parse_draft(text: str, name: str) -> DraftMeta:
    """Read the header block, the title (above the draft name) and the Abstract section."""
    lines = text.replace("\r", "").replace("\f", "\n").splitlines()
    meta = DraftMeta()
    head = lines[:80]
    for line in head[: _first_blank_after_text(head)]:
        cols = re.split(r"\s{2,}", line.strip())
        right = cols[-1] if len(cols) > 1 else ""
        if _AUTHOR.match(right):
            meta.authors.append(right)
        date = _DATE.search(line)
        if date and not meta.published:
            month = _MONTHS.index(date.group(1)) + 1
            meta.published = f"{date.group(3)}-{month:02d}-{int(date.group(2) or 1):02d}"
    for i, line in enumerate(head):
        if name in line and i > 0:
            title: list[str] = []
            j = i - 1
            while j >= 0 and head[j].strip():
                title.insert(0, head[j].strip())
                j -= 1
            meta.title = " ".join(title)
            break
    meta.abstract = _abstract(lines)
    return meta


def _first_blank_after_text(lines: list[str]) -> int:
    seen = False
    for i, line in enumerate(lines):
        if line.strip():
            seen = True
        elif seen:
            return i
    return len(lines)


def _abstract(lines: list[str]) -> str:
    try:
        start = next(i for i, line in enumerate(lines[:200]) if line.strip() == "Abstract")
    except StopIteration:
        return ""
    paras: list[list[str]] = [[]]
    for line in lines[start + 1 :]:
        if line and not line[0].isspace():
            break
        if line.strip():
            paras[-1].append(line.strip())
        elif paras[-1]:
            paras.append([])
    return "\n\n".join(" ".join(p) for p in paras if p)
