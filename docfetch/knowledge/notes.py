"""Obsolescence notes ("RFC 2616 is obsoleted by RFC 7230, ..."), from local data only.

The index database answers when it exists; else the per-RFC JSON in the cache. Cheap to
import (``os`` only): the cached fast path uses it.
"""

from __future__ import annotations

import os

from docfetch.store.layout import cache_root, document_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any


def noting(outcomes: Iterable[Any], fetched: list[int]) -> Iterator[Any]:
    """Pass fetch outcomes through, appending to ``fetched`` the number of each RFC that arrived."""
    for outcome in outcomes:
        if outcome.document is not None and outcome.ref.scheme == "rfc":
            fetched.append(outcome.ref.number)
        yield outcome


#: How many "updated by" RFCs a note names before "and N more".
NOTE_UPDATES_SHOWN = 5


def label(doc_id: str) -> str:
    """``RFC7230`` -> ``RFC 7230`` (anything else unchanged)."""
    head = doc_id.rstrip("0123456789")
    return f"{head} {doc_id[len(head) :]}" if head and head != doc_id else doc_id


def format_note(number: int, relations: dict[str, list[str]], fetched: frozenset[str] = frozenset()) -> str | None:
    """The note for RFC ``number`` given its ``obsoleted-by``/``updated-by`` doc-id lists, or None.

    None too when every RFC the note would name is in ``fetched`` (``RFC8174``): they are
    being read already (``docfetch bcp:14`` fetches RFC 2119 and its update RFC 8174).
    """
    for kind, verb in (("obsoleted-by", "obsoleted"), ("updated-by", "updated")):
        successors = relations.get(kind)
        if not successors:
            continue
        if set(successors) <= fetched:
            return None
        shown = successors if kind == "obsoleted-by" else successors[:NOTE_UPDATES_SHOWN]
        more = f" and {len(successors) - len(shown)} more" if len(successors) > len(shown) else ""
        return f"RFC {number} is {verb} by {', '.join(label(d) for d in shown)}{more}"
    return None


def _json_relations(root: str, number: int) -> dict[str, list[str]] | None:
    """Relations from the cached per-RFC JSON (``docs/rfc/rfc{n}.json``), or None.

    Read here with ``json`` alone, as :func:`docfetch.knowledge.metadata.parse_rfc_json` reads
    them (both shapes), without the cost of the full record on the path of a fetch.
    """
    try:
        with open(document_path(root, "rfc", f"rfc{number}", "json"), "rb") as handle:
            raw = handle.read(1 << 20)
    except OSError:
        return None
    import json

    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, dict) or normalised_doc_id(data.get("doc_id")) != f"RFC{number}":
        return None
    return {"obsoleted-by": _doc_ids(data.get("obsoleted_by")), "updated-by": _doc_ids(data.get("updated_by"))}


def normalised_doc_id(value: object) -> str:
    """``RFC0791``, `` RFC 791``... -> ``RFC791`` (as the index and the metadata normalise them)."""
    text = " ".join(str(value).split()) if value is not None else ""
    head = text.rstrip("0123456789")
    digits = text[len(head) :]
    if not head.isascii() or not head.isalpha() or not digits.isascii() or not digits.isdigit():
        return text
    return f"{head.upper()}{int(digits)}"


def _doc_ids(value: object) -> list[str]:
    """A JSON list of doc-ids (strings or ``{"name": ...}``), normalised, without repeats."""
    if not isinstance(value, list):
        return []
    found = (normalised_doc_id(item.get("name") if isinstance(item, dict) else item) for item in value)
    return list(dict.fromkeys(doc_id for doc_id in found if doc_id))


def obsolescence_notes(numbers: Iterable[int], root: str | None = None, *, build_missing: bool = False) -> list[str]:
    """The obsolescence note of each RFC in ``numbers``, from local data only (no network, never raises).

    The index database answers; without one (it is built here when ``build_missing`` and the
    index file is already cached), the per-RFC JSON in the cache does; without either, no note.
    """
    try:
        numbers = list(dict.fromkeys(numbers))
        if not numbers:
            return []
        root = root or cache_root()
        db = os.path.join(root, "index", "rfc-index.sqlite")
        xml = document_path(root, "index", "rfc-index", "xml")
        if not os.path.isfile(db) and build_missing and os.path.isfile(xml):
            from pathlib import Path

            from docfetch.store.indexdb import ensure

            ensure(Path(xml), Path(db))
        fetched = frozenset(f"RFC{n}" for n in numbers)
        if os.path.isfile(db):
            from docfetch.store.indexdb import IndexDB

            with IndexDB(db) as index:
                notes = [format_note(number, index.relations(number), fetched) for number in numbers]
        else:
            notes = []
            for number in numbers:
                relations = _json_relations(root, number)
                notes.append(format_note(number, relations, fetched) if relations else None)
        return [note for note in notes if note]
    except Exception:  # a note must never fail a fetch
        return []


def report_notes(numbers: Iterable[int], root: str | None = None, *, build_missing: bool = False) -> None:
    """Report the obsolescence notes of ``numbers`` (see :func:`obsolescence_notes`)."""
    from docfetch import report

    for note in obsolescence_notes(numbers, root, build_missing=build_missing):
        report.note(note)
