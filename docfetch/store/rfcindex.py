"""Reading the RFC Editor's ``rfc-index.xml``: the 2026 shape and the older one alike.

Never depends on element order, accepts both the ``http://`` and ``https://`` namespace (or
none), and padded (``RFC0791``) or unpadded (``RFC791``) doc-ids. Streams the file, so the
13.6 MB index never sits in memory as a tree.

Whatever the file holds, an entry comes out sane or not at all: one without a usable doc-id
(missing, not of its kind, a number of more digits than a reference can have) is skipped and
counted (:class:`Skipped`, reported as one note); a page count or year that is not a plain
number is left empty; relation doc-ids that are not doc-ids are dropped; unknown elements are
ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xml.etree import ElementTree

_DOC_ID = re.compile(r"([A-Za-z]+)0*([0-9]+)", re.ASCII)
_RELATIONS = ("obsoletes", "obsoleted-by", "updates", "updated-by", "is-also", "see-also")
#: The most digits a document number may have: as many as a reference can name (``rfc:`` + 12 digits).
MAX_NUMBER_DIGITS = 12
#: A doc-id worth keeping, once normalised: letters, then a number a reference can name.
_USABLE_ID = re.compile(r"[A-Z]{1,16}(?:0|[1-9][0-9]{0,11})", re.ASCII)  # at most MAX_NUMBER_DIGITS
_ID_PREFIX = {"rfc": "RFC", "not-issued": "RFC", "bcp": "BCP", "std": "STD", "fyi": "FYI"}
#: Page counts above this are not page counts.
_MAX_PAGES = 100_000


def normalise_doc_id(text: str) -> str:
    """``RFC0791`` -> ``RFC791``; ``BCP0014`` -> ``BCP14``; anything else stripped as is."""
    match = _DOC_ID.fullmatch(text.strip())
    if not match:
        return text.strip()
    return f"{match.group(1).upper()}{match.group(2).lstrip('0') or '0'}"


def usable_doc_id(doc_id: str) -> bool:
    """True for a normalised doc-id whose number a reference can name (``RFC791``, not ``RFC`` + 20 digits)."""
    return _USABLE_ID.fullmatch(doc_id) is not None


class Skipped:
    """Entries of an index that could not be read: how many, and a few examples of why."""

    EXAMPLES = 3

    def __init__(self) -> None:
        self.count = 0
        self.examples: list[str] = []

    def add(self, why: str) -> None:
        """Count one skipped entry."""
        self.count += 1
        if len(self.examples) < self.EXAMPLES:
            self.examples.append(why)

    def message(self) -> str:
        """The note: ``the RFC index: 2 entries could not be read and were skipped (...)``."""
        entries = "1 entry" if self.count == 1 else f"{self.count} entries"
        were = "was" if self.count == 1 else "were"
        more = ", ..." if self.count > len(self.examples) else ""
        return f"the RFC index: {entries} could not be read and {were} skipped ({'; '.join(self.examples)}{more})"

    def report(self) -> None:
        """Say so in one note, if anything was skipped."""
        if self.count:
            from docfetch import report

            report.note(self.message())


def _shown(text: str, limit: int = 40) -> str:
    """Index text in a message: cut, and safe on a terminal."""
    cut = text[:limit] + ("..." if len(text) > limit else "")
    return cut if cut.isprintable() else cut.encode("unicode_escape", "backslashreplace").decode("ascii")


def _count(text: str, limit: int) -> int | None:
    """A plain number (ASCII digits, at most ``limit``), else None."""
    if text.isascii() and text.isdigit() and len(text) <= len(str(limit)):
        value = int(text)
        return value if value <= limit else None
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ElementTree.Element, name: str) -> ElementTree.Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _children(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [child for child in element if _local(child.tag) == name]


def _text(element: ElementTree.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


@dataclass
class IndexEntry:
    """One entry of the index: an RFC (issued or not) or a subseries document."""

    kind: str  # rfc | not-issued | bcp | std | fyi
    doc_id: str  # normalised: RFC791, BCP14
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""  # "September 1981" or "1 April 1990"
    year: int | None = None
    month: str = ""
    formats: list[str] = field(default_factory=list)
    page_count: int | None = None
    keywords: list[str] = field(default_factory=list)
    abstract: str = ""
    draft: str = ""
    status: str = ""
    publication_status: str = ""
    stream: str = ""
    area: str = ""
    wg: str = ""
    errata_url: str = ""
    doi: str = ""
    relations: dict[str, list[str]] = field(default_factory=dict)

    @property
    def number(self) -> int:
        return int(_DOC_ID.fullmatch(self.doc_id).group(2))  # type: ignore[union-attr]

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


def _entry(kind: str, element: ElementTree.Element) -> IndexEntry:
    children: dict[str, list[ElementTree.Element]] = {}
    for child in element:
        children.setdefault(_local(child.tag), []).append(child)

    def first(name: str) -> ElementTree.Element | None:
        found = children.get(name)
        return found[0] if found else None

    def text(name: str) -> str:
        return _text(first(name))

    entry = IndexEntry(kind, normalise_doc_id(text("doc-id")))
    entry.title = text("title")
    for author in children.get("author", ()):
        name = _text(_child(author, "name"))
        if name:
            entry.authors.append(name)
    date = first("date")
    if date is not None:
        entry.month = _text(_child(date, "month"))
        day = _text(_child(date, "day"))
        year = _text(_child(date, "year"))
        entry.year = _count(year, 9999)
        entry.date = " ".join(part for part in (day, entry.month, year) if part)
    fmt = first("format")
    if fmt is not None:
        entry.formats = [_text(f) for f in _children(fmt, "file-format")]
    entry.page_count = _count(text("page-count"), _MAX_PAGES)
    keywords = first("keywords")
    if keywords is not None:
        entry.keywords = [_text(k) for k in _children(keywords, "kw") if _text(k)]
    abstract = first("abstract")
    if abstract is not None:
        entry.abstract = "\n\n".join(_text(p) for p in _children(abstract, "p")) or _text(abstract)
    entry.draft = text("draft")
    entry.status = text("current-status")
    entry.publication_status = text("publication-status")
    entry.stream = text("stream")
    entry.area = text("area")
    entry.wg = text("wg_acronym")
    entry.errata_url = text("errata-url")
    entry.doi = text("doi")
    for relation in _RELATIONS:
        holder = first(relation)
        if holder is not None:
            ids = [normalise_doc_id(_text(d)) for d in _children(holder, "doc-id")]
            entry.relations[relation] = list(dict.fromkeys(i for i in ids if usable_doc_id(i)))
    return entry


def _unusable(kind: str, entry: IndexEntry) -> str | None:
    """Why an entry cannot be used (no doc-id, one of another kind, a number too long), or None."""
    tag = next(name for name, known in _KINDS.items() if known == kind)
    if not entry.doc_id:
        return f"an <{tag}> without a doc-id"
    if not entry.doc_id.startswith(_ID_PREFIX[kind]) or not entry.doc_id[len(_ID_PREFIX[kind]) :].isdigit():
        return f"doc-id {_shown(entry.doc_id)!r} in an <{tag}>"
    if not usable_doc_id(entry.doc_id):
        return f"doc-id {_shown(entry.doc_id)!r}: not a number a reference can name"
    return None


_KINDS = {
    "rfc-entry": "rfc",
    "rfc-not-issued-entry": "not-issued",
    "bcp-entry": "bcp",
    "std-entry": "std",
    "fyi-entry": "fyi",
}


def iter_entries(
    source: Path | Any, kinds: frozenset[str] | None = None, *, skipped: Skipped | None = None
) -> Iterator[IndexEntry]:
    """Every usable entry of an ``rfc-index.xml`` (a path or a binary file) in file order.

    ``kinds`` limits what is built (``{"bcp"}``); the rest is skipped cheaply. Entries that cannot
    be read are left out and counted in ``skipped``; without one, a note says how many once the
    whole file has been read. Raises ``ElementTree.ParseError`` (a ``SyntaxError``) on malformed XML.
    """
    own = skipped is None
    tally = Skipped() if skipped is None else skipped
    yield from _entries(source, kinds, tally)
    if own:
        tally.report()


def _entries(source: Path | Any, kinds: frozenset[str] | None, skipped: Skipped) -> Iterator[IndexEntry]:
    from xml.etree import ElementTree  # only reading the index needs the XML parser

    parser = ElementTree.iterparse(source, events=("start", "end"))
    root = None
    for event, element in parser:
        if event == "start":
            if root is None:
                root = element
            continue
        kind = _KINDS.get(_local(element.tag))
        if kind is None:
            continue
        if kinds is None or kind in kinds:
            entry = _entry(kind, element)
            why = _unusable(kind, entry)
            if why is None:
                yield entry
            else:
                skipped.add(why)
        if root is not None:
            root.clear()


def subseries_members(index: Path, scheme: str, number: int) -> list[str] | None:
    """The RFC doc-ids making up BCP/STD/FYI ``number`` in index order, or None if unknown."""
    wanted = f"{scheme.upper()}{number}"
    for entry in iter_entries(index, frozenset({scheme})):
        if entry.doc_id == wanted:
            return [d for d in entry.relations.get("is-also", []) if d.startswith("RFC")]
    return None
