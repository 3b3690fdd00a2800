"""What a document is: the record ``docfetch info`` shows, for RFCs, drafts and subseries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docfetch.errors import DocfetchError, NotFoundError, RefusedContentError, UsageError
from docfetch.knowledge.index import open_index
from docfetch.reference import SUBSERIES_SCHEMES, Reference

if TYPE_CHECKING:
    from docfetch.engine.fetcher import Fetcher
    from docfetch.knowledge.metadata import Metadata

#: Where the metadata of drafts is cached (``docs/datatracker/<name>.json``, revalidated daily).
DATATRACKER_SCHEME = "datatracker"


def describe(fetcher: Fetcher, ref: Reference) -> dict[str, Any]:
    """What ``docfetch info --json`` prints for ``ref``: a metadata record, or a subseries and its RFCs.

    An RFC's record has ``errata``: its errata counts by status from the local errata database
    (never downloaded for this), or None when there is no database yet.
    """
    if ref.scheme == "rfc":
        from docfetch.knowledge.errata import local_counts

        return rfc_metadata(fetcher, ref.number).as_dict() | {"errata": local_counts(ref.number, fetcher.cache.root)}
    if ref.scheme == "draft":
        return draft_metadata(fetcher, ref).as_dict()
    if ref.scheme in SUBSERIES_SCHEMES:
        return subseries(fetcher, ref)
    raise UsageError(f"info knows rfc:, bcp:, std:, fyi: and draft: references, not {ref.scheme}:")


def rfc_metadata(fetcher: Fetcher, number: int) -> Metadata:
    """RFC ``number`` from the index database, enriched from ``rfc{n}.json`` when it lacks an abstract."""
    from docfetch.knowledge.metadata import from_index, merge, parse_rfc_json

    row, not_issued, index_failure = _index_row(fetcher, number)
    if not_issued:
        raise NotFoundError(f"RFC {number} was never issued (the RFC index lists it as not issued)")
    record = from_index(row) if row is not None else None
    if record is not None and record.abstract:
        return record
    try:
        document = fetcher.fetch(Reference("rfc", str(number)), "json")
        extra = parse_rfc_json(document.path.read_bytes())
        if extra.number != number:
            raise ValueError(f"it describes {extra.doc_id}")
    except (DocfetchError, ValueError, OSError, RecursionError) as exc:
        if record is not None:
            if not fetcher.options.offline:
                fetcher.note(f"no abstract: could not read the RFC {number} JSON metadata ({_reason(exc)})")
            return record
        why = f"; the RFC index: {index_failure.message}" if index_failure else ""
        raise NotFoundError(f"RFC {number}: no metadata ({_reason(exc)}{why})") from None
    return merge(record, extra) if record is not None else extra


def _index_row(fetcher: Fetcher, number: int) -> tuple[dict[str, Any] | None, bool, DocfetchError | None]:
    """RFC ``number``'s index row, whether it is a not-issued number, and why the index failed."""
    try:
        with open_index(fetcher) as db:
            return db.rfc(number), db.not_issued(number), None
    except DocfetchError as exc:
        return None, False, exc


def _reason(exc: BaseException) -> str:
    return exc.message if isinstance(exc, DocfetchError) else str(exc)


def draft_metadata(fetcher: Fetcher, ref: Reference) -> Metadata:
    """A draft's datatracker ``doc.json`` (cached, revalidated daily; the cached copy offline)."""
    from docfetch.knowledge.metadata import parse_doc_json
    from docfetch.plugins.ietf import DOC_JSON_URL

    url = DOC_JSON_URL.format(name=ref.name)
    path = fetcher.fetch_url(Reference(DATATRACKER_SCHEME, ref.name), "json", url)
    try:
        return parse_doc_json(path.read_bytes())
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise RefusedContentError(f"{url}: not the JSON datatracker publishes") from None


def subseries(fetcher: Fetcher, ref: Reference) -> dict[str, Any]:
    """A BCP, STD or FYI and its member RFCs (number, doc_id, title, status, date)."""
    with open_index(fetcher) as db:
        members = db.members(ref.scheme, ref.number)
        if members is None:
            raise NotFoundError(f"{ref.label()} is not in the RFC index")
        rows = [db.rfc(int(doc_id[3:])) or {"number": int(doc_id[3:]), "doc_id": doc_id} for doc_id in members]
    items = [{k: row.get(k, "") for k in ("number", "doc_id", "title", "status", "date")} for row in rows]
    return {"doc_id": f"{ref.scheme.upper()}{ref.number}", "members": items}
