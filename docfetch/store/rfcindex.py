"""Reading the RFC Editor's ``rfc-index.xml``: the 2026 shape and the older one alike.

Never depends on element order, accepts both the ``http://`` and ``https://`` namespace (or
none), and padded (``RFC0791``) or unpadded (``RFC791``) doc-ids. Streams the file, so the
13.6 MB index never sits in memory as a tree.
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


def normalise_doc_id(text: str) -> str:
    """``RFC0791`` -> ``RFC791``; ``BCP0014`` -> ``BCP14``; anything else stripped as is."""
    match = _DOC_ID.fullmatch(text.strip())
    if not match:
        return text.strip()
    return f"{match.group(1).upper()}{int(match.group(2))}"


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
        entry.year = int(year) if year.isdigit() else None
        entry.date = " ".join(part for part in (day, entry.month, year) if part)
    fmt = first("format")
    if fmt is not None:
        entry.formats = [_text(f) for f in _children(fmt, "file-format")]
    pages = text("page-count")
    entry.page_count = int(pages) if pages.isdigit() else None
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
            entry.relations[relation] = [i for i in ids if i]
    return entry


_KINDS = {
    "rfc-entry": "rfc",
    "rfc-not-issued-entry": "not-issued",
    "bcp-entry": "bcp",
    "std-entry": "std",
    "fyi-entry": "fyi",
}


def iter_entries(source: Path | Any, kinds: frozenset[str] | None = None) -> Iterator[IndexEntry]:
    """Every entry of an ``rfc-index.xml`` (a path or a binary file) in file order.

    ``kinds`` limits what is built (``{"bcp"}``); the rest is skipped cheaply.
    Raises ``ElementTree.ParseError`` (a ``SyntaxError``) on malformed XML.
    """
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
            yield _entry(kind, element)
        if root is not None:
            root.clear()


def subseries_members(index: Path, scheme: str, number: int) -> list[str] | None:
    """The RFC doc-ids making up BCP/STD/FYI ``number`` in index order, or None if unknown."""
    wanted = f"{scheme.upper()}{number}"
    for entry in iter_entries(index, frozenset({scheme})):
        if entry.doc_id == wanted and entry.doc_id == wanted:
            return [d for d in entry.relations.get("is-also", []) if d.startswith("RFC")]
    return None
