"""What a cached document must be: its size and SHA-256, recorded when it is stored, checked on every read.

The record lives in the document's ``.meta`` file (JSON, beside it), with the ETag and the time
of the last check for documents that can change. A document whose bytes no longer match its
record (truncated, altered, emptied) is damaged: it is never served, and fetched again. An entry
with no record (written by docfetch 0.1, or put there by hand) is adopted: its record is written
the first time it is read. Stdlib only, cheap to import: the cached fast path uses it.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from docfetch.engine.staging import StagingArea


def meta_path(doc_path: str) -> str:
    """The ``.meta`` file beside a cached document."""
    return doc_path + ".meta"


def read_record(doc_path: str) -> dict[str, Any] | None:
    """The document's ``.meta`` record, or None when it is missing or unreadable."""
    import json

    try:
        with open(meta_path(doc_path), "rb") as handle:
            record = json.loads(handle.read(1 << 16))
    except (OSError, ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) else None


def sha256_of(data: bytes) -> str:
    """The SHA-256 of some bytes, in hex."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


def damage(data: bytes, record: dict[str, Any] | None) -> str | None:
    """Why ``data`` is not the document ``record`` describes, or None when it is (or there is no record)."""
    if record is None or not isinstance(record.get("sha256"), str):
        return None
    size = record.get("size")
    if isinstance(size, int) and size != len(data):
        return f"{len(data)} bytes where {size} were stored"
    if sha256_of(data) != record["sha256"]:
        return "its bytes changed since it was stored (SHA-256 differs)"
    return None


def has_record(record: dict[str, Any] | None) -> bool:
    """True when the record can verify the document (size and SHA-256 known)."""
    return record is not None and isinstance(record.get("sha256"), str) and isinstance(record.get("size"), int)


def write_record(doc_path: str, record: dict[str, Any], staging: str, area: StagingArea | None = None) -> bool:
    """Write ``record`` as the document's ``.meta``, whole or not at all (staged in ``staging``, in ``area``).

    False when it cannot be written. A cancelled ``area`` (the run is being torn down) raises
    :class:`docfetch.engine.staging.Cancelled` and leaves nothing behind.
    """
    import json
    from pathlib import Path

    from docfetch.engine.staging import atomic_writer

    try:
        with atomic_writer(Path(meta_path(doc_path)), staging=Path(staging), area=area) as out:
            out.write(json.dumps(record, sort_keys=True).encode("utf-8"))
    except OSError:
        return False
    return True


def adopt(doc_path: str, data: bytes, record: dict[str, Any] | None, staging: str) -> None:
    """Record the size and hash of an entry that has none (best effort: a read-only cache stays as it is)."""
    if has_record(record):
        return
    new = dict(record or {})
    new.update(size=len(data), sha256=sha256_of(data))
    new.setdefault("checked", os.path.getmtime(doc_path) if os.path.exists(doc_path) else 0.0)
    write_record(doc_path, new, staging)
