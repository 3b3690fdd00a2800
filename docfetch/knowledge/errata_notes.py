"""The fetch note for RFCs with verified errata ("RFC 9110 has 6 verified errata: ..."), from local data only.

It runs on every fetch of an RFC, the cached fast path included: no network, one indexed query
on the local errata database when there is one (``sqlite3`` is imported only then), nothing at
all when there is none. Cheap to import (``os`` only).
"""

from __future__ import annotations

import os

from docfetch.store.layout import cache_root, document_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

#: The errata database under the cache directory (docfetch.errata.store.DB_NAME, without importing it).
DB_FILE = os.path.join("index", "errata.sqlite")
#: How long errata.json is used before it is revalidated (docfetch.store.cache.REVALIDATE_AFTER).
FRESH_FOR = 24 * 3600


def verified_note(number: int, verified: int) -> str | None:
    """``RFC 9110 has 6 verified errata: docfetch errata rfc:9110`` (None for none)."""
    if verified <= 0:
        return None
    noun = "erratum" if verified == 1 else "errata"
    return f"RFC {number} has {verified} verified {noun}: docfetch errata rfc:{number}"


def errata_notes(numbers: Iterable[int], root: str | None = None) -> list[str]:
    """The note of each RFC in ``numbers`` that has verified errata, from the local database (never raises)."""
    try:
        wanted = list(dict.fromkeys(numbers))
        db = os.path.join(root or cache_root(), DB_FILE)
        if not wanted or not os.path.isfile(db):
            return []
        from docfetch.errata.store import ErrataDB

        with ErrataDB(db) as errata:
            notes = [verified_note(number, errata.verified_count(number)) for number in wanted]
        return [note for note in notes if note]
    except Exception:  # a note must never fail a fetch
        return []


def report_errata_notes(numbers: Iterable[int], root: str | None = None) -> None:
    """Report :func:`errata_notes` (each one line on stderr on the command line, silenced by ``-q``)."""
    from docfetch import report

    for note in errata_notes(numbers, root):
        report.note(note)


def ready(root: str, offline: bool) -> bool:
    """True when ``--errata`` can be answered from the cache alone: a database, and errata.json fresh (or offline)."""
    if not os.path.isfile(os.path.join(root, DB_FILE)):
        return False
    if offline:
        return True
    import json
    import time

    meta = document_path(root, "errata", "errata", "json") + ".meta"
    try:
        with open(meta, "rb") as handle:
            checked = float(json.loads(handle.read()).get("checked", 0))
    except (OSError, ValueError, AttributeError, TypeError):
        return False
    return time.time() - checked < FRESH_FOR
