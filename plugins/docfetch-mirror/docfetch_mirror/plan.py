"""What a sync should hold: the RFC files the index says exist, in a range and some formats.

Pure functions over ``rfc-index.xml`` (read with :func:`docfetch.store.rfcindex.iter_entries`, so
both the 2026 shape and the older one work): no network, no files written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docfetch import IndexEntry, UsageError, iter_entries
from docfetch_mirror.source import rfc_file_name

#: Formats a sync can fetch, in the order they are planned.
FORMATS = ("txt", "html", "pdf", "xml", "json")
#: ``file-format`` values of the index and the format each means (``ASCII`` before 2026).
INDEX_FORMATS = {"TXT": "txt", "ASCII": "txt", "TEXT": "txt", "HTML": "html", "PDF": "pdf", "XML": "xml"}
#: XML sources are published only from this RFC on (v3 format).
XML_SINCE = 8650

_RANGE = re.compile(r"([0-9]{1,6})(?:(-)([0-9]{1,6})?)?", re.ASCII)
_RFC_ID = re.compile(r"RFC[0-9]+", re.ASCII)


@dataclass(frozen=True)
class RfcRange:
    """RFC numbers ``first`` to ``last`` inclusive (``last`` None: no upper bound)."""

    first: int = 1
    last: int | None = None

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and number >= self.first and (self.last is None or number <= self.last)

    def __str__(self) -> str:
        if self.last == self.first:
            return str(self.first)
        return f"{self.first}-{'' if self.last is None else self.last}"


def parse_range(text: str | None) -> RfcRange:
    """``1-100``, ``791`` (one RFC) or ``9000-`` (to the last one); None or empty: every RFC."""
    if text is None or not text.strip():
        return RfcRange()
    match = _RANGE.fullmatch(text.strip())
    if not match:
        raise UsageError(f"invalid range {text[:40]!r}: use A-B, N or A- with ASCII digits (e.g. 1-100)")
    first = int(match.group(1))
    last = None if match.group(2) and match.group(3) is None else int(match.group(3) or first)
    if first < 1 or (last is not None and last < first):
        raise UsageError(f"invalid range {text[:40]!r}: numbers start at 1 and A must not exceed B")
    return RfcRange(first, last)


def parse_formats(text: str | Iterable[str]) -> tuple[str, ...]:
    """``txt,pdf`` → ``("txt", "pdf")`` in :data:`FORMATS` order; ``all`` means every format."""
    words = text.split(",") if isinstance(text, str) else list(text)
    wanted = {w.strip().lower() for w in words if w.strip()}
    if "all" in wanted:
        wanted = (wanted - {"all"}) | set(FORMATS)
    unknown = sorted(wanted - set(FORMATS))
    if unknown or not wanted:
        shown = ", ".join(repr(u[:20]) for u in unknown) or "none"
        raise UsageError(f"unknown format {shown} (sync knows {', '.join(FORMATS)} and all)")
    return tuple(f for f in FORMATS if f in wanted)


@dataclass(frozen=True, order=True)
class Task:
    """One file of the mirror: RFC ``number`` in ``fmt``."""

    number: int
    fmt: str

    @property
    def name(self) -> str:
        """Its name in the rsync layout (``rfc791.txt``)."""
        return rfc_file_name(self.number, self.fmt)


def published_formats(entry: IndexEntry) -> set[str]:
    """The formats an issued RFC exists in, according to its index entry.

    Every issued RFC has a JSON record; XML counts only from RFC 8650 on.
    """
    found = {INDEX_FORMATS[f.strip().upper()] for f in entry.formats if f.strip().upper() in INDEX_FORMATS}
    if entry.number < XML_SINCE:
        found.discard("xml")
    found.add("json")
    return found


@dataclass
class Plan:
    """The files to have, and how many issued RFCs the range held."""

    tasks: list[Task]
    issued: int


def make_plan(index: Path, wanted: RfcRange, formats: Iterable[str]) -> Plan:
    """Every file of issued RFCs in ``wanted`` that exists in one of ``formats``, by number.

    Not-issued numbers and gaps in the index are skipped. Raises ``ElementTree.ParseError`` on
    malformed XML.
    """
    order = [f for f in FORMATS if f in set(formats)]
    tasks: set[Task] = set()
    issued: set[int] = set()
    for entry in iter_entries(index, frozenset({"rfc"})):
        if not _RFC_ID.fullmatch(entry.doc_id) or entry.number not in wanted:
            continue
        issued.add(entry.number)
        have = published_formats(entry)
        tasks.update(Task(entry.number, fmt) for fmt in order if fmt in have)
    return Plan(sorted(tasks, key=lambda t: (t.number, order.index(t.fmt))), len(issued))
