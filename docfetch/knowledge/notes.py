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
    """Relations from the cached per-RFC JSON (``docs/rfc/rfc{n}.json``), or None."""
    try:
        with open(document_path(root, "rfc", f"rfc{number}", "json"), "rb") as handle:
            raw = handle.read(1 << 20)
    except OSError:
        return None
    from docfetch.knowledge.metadata import parse_rfc_json

    try:
        meta = parse_rfc_json(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return {"obsoleted-by": meta.obsoleted_by, "updated-by": meta.updated_by}


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
