"""What a document is: the record ``docfetch info`` shows, for RFCs, drafts and subseries."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from docfetch.errors import DocfetchError, NotFoundError, RefusedContentError, UsageError
from docfetch.knowledge.index import local_index, open_index
from docfetch.reference import SUBSERIES_SCHEMES, Reference

if TYPE_CHECKING:
    from pathlib import Path

    from docfetch.engine.fetcher import Fetcher
    from docfetch.knowledge.metadata import Metadata

#: Where the metadata of drafts is cached (``docs/datatracker/<name>.json``, revalidated daily).
DATATRACKER_SCHEME = "datatracker"
#: Seconds to connect and between bytes before the settings are read (``DEFAULT_TIMEOUT`` of the config).
DEFAULT_TIMEOUT = 30.0
#: The per-RFC JSON at the RFC Editor.
RFC_JSON_URL = "https://www.rfc-editor.org/rfc/rfc{number}.json"


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
    """RFC ``number`` from the local index database, enriched from ``rfc{n}.json`` when it lacks an abstract.

    The RFC index is not downloaded for this (7 MB; ``search``, subseries and ``bcp:`` download
    it): without a local copy, the record comes from the per-RFC JSON alone, one small request.
    """
    from docfetch.knowledge.metadata import from_index, merge, parse_rfc_json

    if not fetcher.options.offline and not _has_local_index():
        ask_early(number, fetcher.settings.timeout)  # the JSON will be needed: ask now
    row, not_issued, index_failure = _index_row(fetcher, number)
    if not_issued:
        from docfetch.knowledge.index import NeverIssuedError

        raise NeverIssuedError(number)
    record = from_index(row) if row is not None else None
    if record is not None and record.abstract:
        return record
    try:
        extra = parse_rfc_json(rfc_json(fetcher, number).read_bytes())
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


def rfc_json(fetcher: Fetcher, number: int) -> Path:
    """The per-RFC JSON of RFC ``number``, cached (revalidated daily), else asked for: one request.

    From the RFC Editor, its home, unless a source was chosen (``--source``, ``[defaults]``):
    then from that source. Not cached at all, it is asked for on a connection opened while the
    command loads (:func:`ask_early`) and read with the standard library; anything but a plain
    answer is left to the HTTP layer (retries, error messages).
    """
    ref = Reference("rfc", str(number))
    if fetcher.options.source is not None or fetcher.settings.defaults.get("rfc"):
        return fetcher.fetch(ref, "json").path
    url = RFC_JSON_URL.format(number=number)
    if fetcher.options.offline or fetcher.keeper.cached(ref, "json", offline=False) is not None:
        return fetcher.fetch_url(ref, "json", url)
    from docfetch.net.preconnect import PRECONNECTOR
    from docfetch.net.small_get import SmallGetter

    ask_early(number, fetcher.settings.timeout)
    PRECONNECTOR.timeout = fetcher.settings.timeout  # the user's, now that the settings are read
    getter = SmallGetter(None, timeout=fetcher.settings.timeout)
    try:
        body = getter.get(url)
    finally:
        getter.close()
        PRECONNECTOR.close()
    if body is not None:
        from docfetch.knowledge.prefetch import describes

        if describes(ref, body):
            with contextlib.suppress(DocfetchError):
                return _keep(fetcher, ref, body, getter.url, getter.etag)
    if getter.status in (404, 410):
        raise NotFoundError(f"{url}: not found ({getter.status})")
    return fetcher.fetch_url(ref, "json", url)


def _keep(fetcher: Fetcher, ref: Reference, body: bytes, url: str, etag: str | None) -> Path:
    """Stage ``body``, check it and keep it where the run keeps documents (the cache, else scratch)."""
    from pathlib import Path

    from docfetch.engine.validate import check_body

    with fetcher.area.file(fetcher.keeper.staging(), f"{ref.stem}.json") as staged:
        staged.handle.write(body)
        staged.handle.flush()
        check_body(Path(staged.path), "json", url)
        return fetcher.keeper.keep(ref, "json", staged, etag)


def ask_early_for(ref: Reference, offline: bool) -> None:
    """For ``info`` of an RFC with no local index: send the GET of its JSON now, while the command loads.

    Cheap to call first thing (stdlib ``os`` and the preconnector only); never fails.
    """
    if ref.scheme != "rfc" or offline or _has_local_index():
        return
    import os

    if "rfc=" in os.environ.get("DOCFETCH_DEFAULT_SOURCES", "").replace(" ", ""):
        return  # a source of the user's choosing: asked through the engine
    ask_early(ref.number, DEFAULT_TIMEOUT)  # the settings' own timeout applies once they are read


def ask_early(number: int, timeout: float) -> None:
    """Send the GET of RFC ``number``'s JSON now, on a connection of its own, unless it is cached (never fails)."""
    import os

    from docfetch.net.preconnect import PRECONNECTOR
    from docfetch.store.layout import cache_root, document_path

    if os.path.exists(document_path(cache_root(), "rfc", f"rfc{number}", "json")):
        return
    if PRECONNECTOR.start([RFC_JSON_URL.format(number=number)], timeout=timeout, early=1):
        PRECONNECTOR.wait_sent()  # the rest of the command then loads while the answer travels


def _has_local_index() -> bool:
    """True when the cache holds the index database or the index file (cheap: two stats)."""
    import os

    from docfetch.store.layout import cache_root, document_path

    root = cache_root()
    return os.path.exists(os.path.join(root, "index", "rfc-index.sqlite")) or os.path.exists(
        document_path(root, "index", "rfc-index", "xml")
    )


def _index_row(fetcher: Fetcher, number: int) -> tuple[dict[str, Any] | None, bool, DocfetchError | None]:
    """RFC ``number``'s row in the local index database, whether it is a not-issued number, and why there is none."""
    try:
        with local_index(fetcher) as db:
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
