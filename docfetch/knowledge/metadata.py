"""What a document is: one normalised record from the RFC index, the per-RFC JSON or datatracker.

Sources and their quirks:

- the index database (:mod:`docfetch.store.indexdb`): cheap, offline, has subseries membership;
- ``rfc{n}.json`` in both shapes: legacy (one line, ``RFC0791``, zero-padded relations, format
  ``ASCII``, titles with stray spaces, ``page_count`` a string, subseries in ``see_also``) and
  2026 (indented, ``RFC791``, ``TEXT``, ``see_also`` empty, ``errata_url`` may be null);
- datatracker's ``doc.json`` for Internet-Drafts.

Whatever a server sends, reading it never raises anything but ValueError: a field of an
unexpected type (``authors`` an object, a number where a string is expected, a page count of
"-3" or of a thousand digits) is read as empty; JSON nested too deeply for Python, or not UTF-8,
is a ValueError like any other malformed JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from docfetch.store.rfcindex import MAX_NUMBER_DIGITS, normalise_doc_id, usable_doc_id

_SUBSERIES = re.compile(r"(BCP|STD|FYI)[0-9]+")
_LEGACY_KEYWORD = re.compile(r"\[(.*)\|[a-z]\]")
_FORMATS = {"ASCII": "TXT", "TEXT": "TXT"}
#: Whole numbers read from metadata (page counts) have at most this many digits.
_MAX_DIGITS = 9


@dataclass
class Metadata:
    """A normalised record: RFC doc-ids are unpadded (``RFC791``), formats upper case (``TXT``)."""

    doc_id: str  # RFC791, or a draft name
    kind: str = "rfc"  # rfc | draft
    number: int | None = None
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""
    status: str = ""
    pages: int | None = None
    formats: list[str] = field(default_factory=list)
    obsoletes: list[str] = field(default_factory=list)
    obsoleted_by: list[str] = field(default_factory=list)
    updates: list[str] = field(default_factory=list)
    updated_by: list[str] = field(default_factory=list)
    is_also: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    errata_url: str | None = None
    doi: str | None = None
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    draft: str = ""  # the Internet-Draft an RFC was published from
    stream: str = ""
    wg: str = ""
    revision: str | None = None  # drafts: the latest revision
    revisions: list[dict[str, str]] = field(default_factory=list)  # drafts: rev and date, oldest first
    sources: list[str] = field(default_factory=list)  # index, rfc-json, datatracker

    def label(self) -> str:
        """``RFC 791`` or the draft name."""
        return f"RFC {self.number}" if self.kind == "rfc" and self.number is not None else self.doc_id

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def merge(primary: Metadata, extra: Metadata) -> Metadata:
    """``primary`` with every empty field filled from ``extra``; ``sources`` combined."""
    result = Metadata(primary.doc_id)
    for f in fields(Metadata):
        mine, theirs = getattr(primary, f.name), getattr(extra, f.name)
        setattr(result, f.name, mine if mine not in (None, "", []) else theirs)
    result.sources = list(dict.fromkeys(primary.sources + extra.sources))
    return result


# -- text clean-up ------------------------------------------------------------------------------


def clean(value: Any) -> str:
    """A one-line string: whitespace runs collapsed, ends stripped.

    Strings and numbers only: ``None``, booleans, lists and objects (which a server may send
    where a string belongs) are ``""``.
    """
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value) if abs(value) < 10**_MAX_DIGITS else ""
    return ""


def clean_paragraphs(value: Any) -> str:
    """Text whose paragraphs (split at blank lines, CRLF or LF) are each collapsed to one line."""
    if not isinstance(value, str):
        return ""
    paragraphs = re.split(r"\n[ \t]*\n", value.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n\n".join(p for p in (clean(p) for p in paragraphs) if p)


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    out = []
    for item in value:
        text = clean(item.get("name") if isinstance(item, Mapping) else item)
        if text:
            out.append(text)
    return out


def _doc_ids(value: Any) -> list[str]:
    """Doc-ids (``RFC760``), normalised; anything else in the list (``2``, ``"not an id"``) dropped."""
    return list(dict.fromkeys(d for d in (normalise_doc_id(s) for s in _strings(value)) if usable_doc_id(d)))


def _int(value: Any) -> int | None:
    """A count (ASCII digits, or a JSON integer), not negative and of sane size; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 10**_MAX_DIGITS else None
    text = clean(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS else None


def _formats(value: Any) -> list[str]:
    return list(dict.fromkeys(_FORMATS.get(f.upper(), f.upper()) for f in _strings(value)))


def _keywords(value: Any) -> list[str]:
    out = []
    for word in _strings(value):
        legacy = _LEGACY_KEYWORD.fullmatch(word)  # "[HTTP|d]", "[--------|e]" in legacy JSON
        if legacy:
            word = legacy.group(1).strip()
        if any(c.isalnum() for c in word):
            out.append(word)
    return out


def _rfc_number(doc_id: str) -> int | None:
    digits = doc_id[3:]
    if doc_id.startswith("RFC") and digits.isascii() and digits.isdigit() and len(digits) <= MAX_NUMBER_DIGITS:
        return int(digits)
    return None


# -- the sources --------------------------------------------------------------------------------


def from_rfc_json(data: Any) -> Metadata:
    """A record from the RFC Editor's per-RFC JSON (legacy or 2026 shape).

    Raises ValueError when ``data`` is not such a record.
    """
    if not isinstance(data, Mapping):
        raise ValueError("not a JSON object")
    doc_id = normalise_doc_id(clean(data.get("doc_id")))
    number = _rfc_number(doc_id)
    if number is None:
        raise ValueError(f"no RFC doc_id in the JSON ({doc_id[:20]!r})")
    see_also = _doc_ids(data.get("see_also"))
    is_also = _doc_ids(data.get("is_also")) + [d for d in see_also if _SUBSERIES.fullmatch(d)]
    return Metadata(
        doc_id=doc_id,
        number=number,
        title=clean(data.get("title")),
        authors=_strings(data.get("authors")),
        date=clean(data.get("pub_date")),
        status=clean(data.get("status") or data.get("pub_status")).upper(),
        pages=_int(data.get("page_count")),
        formats=_formats(data.get("format")),
        obsoletes=_doc_ids(data.get("obsoletes")),
        obsoleted_by=_doc_ids(data.get("obsoleted_by")),
        updates=_doc_ids(data.get("updates")),
        updated_by=_doc_ids(data.get("updated_by")),
        is_also=list(dict.fromkeys(is_also)),
        see_also=[d for d in see_also if not _SUBSERIES.fullmatch(d)],
        errata_url=clean(data.get("errata_url")) or None,
        doi=clean(data.get("doi")) or None,
        abstract=clean_paragraphs(data.get("abstract")),
        keywords=_keywords(data.get("keywords")),
        draft=clean(data.get("draft")),
        sources=["rfc-json"],
    )


def load_json(raw: bytes) -> Any:
    """JSON from a server: ValueError for anything that is not JSON Python can hold.

    Not UTF-8, malformed, or nested too deeply (``json.loads`` raises RecursionError for a
    hundred thousand ``[``): all are ValueError, so one ``except`` covers whatever was sent.
    """
    import json

    try:
        return json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def parse_rfc_json(raw: bytes) -> Metadata:
    """:func:`from_rfc_json` on the bytes of ``rfc{n}.json`` (ValueError if not JSON)."""
    return from_rfc_json(load_json(raw))


def from_index(record: Mapping[str, Any]) -> Metadata:
    """A record from :meth:`docfetch.store.indexdb.IndexDB.rfc`."""
    relations = record.get("relations") or {}
    return Metadata(
        doc_id=record["doc_id"],
        number=record["number"],
        title=record.get("title", ""),
        authors=list(record.get("authors", [])),
        date=record.get("date", ""),
        status=record.get("status", ""),
        pages=record.get("pages"),
        formats=_formats(record.get("formats", [])),
        obsoletes=list(relations.get("obsoletes", [])),
        obsoleted_by=list(relations.get("obsoleted-by", [])),
        updates=list(relations.get("updates", [])),
        updated_by=list(relations.get("updated-by", [])),
        is_also=list(record.get("is_also", [])),
        see_also=list(relations.get("see-also", [])),
        errata_url=record.get("errata_url") or None,
        doi=record.get("doi") or None,
        abstract=record.get("abstract", ""),
        keywords=list(record.get("keywords", [])),
        draft=record.get("draft", ""),
        stream=record.get("stream", ""),
        wg=record.get("wg", ""),
        sources=["index"],
    )


def _name(value: Any) -> str:
    """datatracker names a state or level by a string, or (older) an object with ``name``."""
    return clean(value.get("name") if isinstance(value, Mapping) else value)


def from_doc_json(data: Any) -> Metadata:
    """A record from datatracker's ``/doc/{name}/doc.json`` (ValueError if not one)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("name"), str):
        raise ValueError("not datatracker's doc.json (no name)")
    revisions = []
    history = data.get("rev_history")
    for item in history if isinstance(history, list) else []:
        if isinstance(item, Mapping) and item.get("name", data["name"]) == data["name"]:
            revisions.append({"rev": clean(item.get("rev")), "published": clean(item.get("published"))[:10]})
    group = data.get("group")
    rev = clean(data.get("rev"))
    return Metadata(
        doc_id=clean(data["name"]),
        kind="draft",
        title=clean(data.get("title")),
        authors=_strings(data.get("authors")),
        date=clean(data.get("time"))[:10],
        status=_name(data.get("state")),
        pages=_int(data.get("pages")),
        abstract=clean_paragraphs(data.get("abstract")),
        stream=_name(data.get("stream")),
        wg=clean(group.get("acronym")) if isinstance(group, Mapping) else "",
        revision=rev or None,
        revisions=revisions,
        sources=["datatracker"],
    )


def parse_doc_json(raw: bytes) -> Metadata:
    """:func:`from_doc_json` on the bytes of ``doc.json`` (ValueError if not JSON)."""
    return from_doc_json(load_json(raw))
