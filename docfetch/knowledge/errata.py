"""The errata of RFCs as docfetch keeps them: ``errata.json`` fetched once, its database, placement, filters.

``https://www.rfc-editor.org/errata.json`` (about 12 MB, every erratum of every RFC) is kept in the
cache like the RFC index (``docs/errata/errata.json``, revalidated with its ETag when older than a
day; the cached copy offline or when the server fails), and read through the SQLite database
:mod:`docfetch.errata.store` builds from it (``index/errata.sqlite``, rebuilt when the file
changes). Entries of the file that cannot be read are counted in one note when it is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from docfetch.errata.model import STATUSES, TYPES, normalise_status, normalise_type, short_status
from docfetch.errors import DocfetchError, FetchError, NotFoundError, RefusedContentError, UsageError
from docfetch.reference import Reference

if TYPE_CHECKING:
    from pathlib import Path

    from docfetch.engine.fetcher import Fetcher
    from docfetch.errata.model import Erratum
    from docfetch.errata.placement import Placement, Placer
    from docfetch.errata.store import ErrataDB
    from docfetch.sections import Outline, Section

ERRATA_URL = "https://www.rfc-editor.org/errata.json"
#: Where the cache keeps errata.json: ``docs/errata/errata.json`` (not a document: revalidated daily).
ERRATA_KEY = Reference("errata", "errata")
#: What ``--status`` means when not given: every status but Rejected.
DEFAULT_STATUSES = ("verified", "reported", "held")
#: The short names of statuses, in the order counts are shown.
STATUS_KEYS = tuple(STATUSES)
_GET_THEM = "run it once without --offline to download them (errata.json, about 12 MB)"


# -- the database ------------------------------------------------------------------------------


def db_path(root: str | Path | None = None) -> Path:
    """The errata database under the cache directory ``root`` (default: the user's cache)."""
    from docfetch.errata.store import db_path as path

    return path(root)


def open_errata(fetcher: Fetcher) -> ErrataDB:
    """The errata database, current with errata.json as the cache holds or (re)fetches it.

    Offline, or when errata.json cannot be had, the last database built is used (with a note);
    without one, NotFoundError (offline) or the fetch's own error, saying how to get them.
    """
    import sqlite3

    from docfetch.errata.parse import ErrataFormatError
    from docfetch.errata.store import ErrataDB, ensure, read_meta

    db = db_path(fetcher.cache.root)
    path = None
    try:
        path = fetcher.fetch_url(ERRATA_KEY, "json", ERRATA_URL, max_size=fetcher.settings.max_size)
        before = read_meta(db)
        ensure(path, db)
        _note_skipped(fetcher, before, read_meta(db))
        return ErrataDB(db)
    except ErrataFormatError as exc:
        if path is not None:
            path.unlink(missing_ok=True)  # fetched again next time, not kept for a day
        failure: DocfetchError = RefusedContentError(f"{ERRATA_URL}: not a list of errata ({exc})")
    except (sqlite3.Error, OSError) as exc:
        failure = FetchError(f"cannot build the errata database {db}: {exc}")
    except DocfetchError as exc:
        failure = exc
    if read_meta(db) is None:
        if fetcher.options.offline and isinstance(failure, NotFoundError):
            raise NotFoundError("the errata are not in the cache (offline)", hint=_GET_THEM) from None
        raise type(failure)(f"the errata are not available: {failure.message}") from None
    fetcher.note(f"using the last errata database ({failure.message})")
    return ErrataDB(db)


def _note_skipped(fetcher: Fetcher, before: dict[str, str] | None, after: dict[str, str] | None) -> None:
    """One note when a new build had to skip entries: how many, and why."""
    import json

    if after is None or (before is not None and before.get("built") == after.get("built")):
        return
    skipped = int(after.get("skipped") or 0)
    if not skipped:
        return
    try:
        reasons = json.loads(after.get("skip_reasons") or "{}")
        why = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
    except (ValueError, AttributeError):
        why = ""
    noun = "entry" if skipped == 1 else "entries"
    fetcher.note(f"{skipped} errata {noun} could not be read and were left out" + (f" ({why})" if why else ""))


def local_counts(number: int, root: str | Path | None = None) -> dict[str, int] | None:
    """RFC ``number``'s errata by status (``verified``, ``reported``, ``held``, ``rejected``), from the local
    database only (never the network); None when there is no database yet."""
    import sqlite3

    from docfetch.errata.store import ErrataDB, read_meta

    db = db_path(root)
    if read_meta(db) is None:
        return None
    try:
        with ErrataDB(db) as errata:
            by_status = errata.counts(number)
    except sqlite3.Error:
        return None
    counts = dict.fromkeys(STATUS_KEYS, 0)
    for status, count in by_status.items():
        key = short_status(status) if status else "none"
        counts[key] = counts.get(key, 0) + count
    return counts


def counts_text(counts: dict[str, int]) -> str:
    """``6 verified, 2 reported`` (statuses with none left out), or ``none``."""
    shown = [f"{count} {key}" for key, count in counts.items() if count]
    return ", ".join(shown) if shown else "none"


# -- what users ask for ------------------------------------------------------------------------


def _choices(text: str | None, names: dict[str, str], normalise: Callable[[str], str], what: str) -> list[str] | None:
    """The canonical names ``text`` lists (comma-separated short keys or full names); None for ``all``."""
    known = f"{what} is one of {', '.join(names)}, or all (several: comma-separated)"
    if text is None:
        return None
    chosen: list[str] = []
    for word in text.split(","):
        word = word.strip()
        if not word:
            continue
        if word.lower() == "all":
            return None
        name = normalise(word)
        if name not in names.values():
            raise UsageError(f"unknown errata {what} {word[:40]!r}", hint=known)
        chosen.append(name)
    if not chosen:
        raise UsageError(f"--{what} needs a value", hint=known)
    return chosen


def parse_statuses(text: str | None) -> list[str] | None:
    """``--status``: canonical status names; None for all. Not given: every status but Rejected."""
    if text is None:
        return [STATUSES[key] for key in DEFAULT_STATUSES]
    return _choices(text, STATUSES, normalise_status, "status")


def parse_types(text: str | None) -> list[str] | None:
    """``--type``: canonical type names (``Technical``, ``Editorial``); None for both."""
    return _choices(text, TYPES, normalise_type, "type")


def rfc_reference(ref: Reference) -> Reference:
    """``ref`` when it names an RFC; UsageError otherwise (only RFCs have errata)."""
    if ref.scheme != "rfc":
        raise UsageError(f"{ref.label()} has no errata: only RFCs have errata", hint="name an RFC, e.g. rfc:9110")
    return ref


# -- placement ---------------------------------------------------------------------------------


class Placed:
    """The errata of one RFC placed on the sections of its text (``placements`` by erratum id)."""

    def __init__(self, errata: Sequence[Erratum], outline: Outline | None, data: bytes | None) -> None:
        from docfetch.errata.placement import Placer

        self.errata = list(errata)
        self.outline = outline
        self.placer: Placer | None = None
        self.placements: dict[int, Placement] = {}
        self.sections: dict[str, Section] = {}
        if outline is not None:
            self.placer = Placer(outline.sections, data)
            self.placements = {e.id: self.placer.place_erratum(e) for e in self.errata}
            self.sections = {s.id: s for s in outline.sections}

    def on(self, section_id: str) -> list[Erratum]:
        """The errata placed on that section or one of its subsections, by id."""
        from docfetch.errata.placement import errata_on

        return errata_on(section_id, self.errata, self.placements, self.placer)

    @property
    def unplaced(self) -> int:
        """How many errata could not be placed on any section."""
        return sum(1 for e in self.errata if self.placements.get(e.id) is None or not self.placements[e.id].placed)

    def records(self, errata: Iterable[Erratum] | None = None) -> list[dict[str, Any]]:
        """``errata --json``: every field of errata.json, plus ``placed_section`` (or null) and ``url``."""
        from docfetch.errata.render import as_json_object

        return [as_json_object(e, self.placements.get(e.id)) for e in (self.errata if errata is None else errata)]


class SectionErrata:
    """Errata beside a section (``REF#section --errata``): the database opened once per run, when first needed."""

    def __init__(self, open_db: Callable[[], ErrataDB]) -> None:
        self._open_db = open_db
        self._db: ErrataDB | None = None
        self._failure: DocfetchError | None = None

    def placed(self, ref: Reference, data: bytes, outline: Outline) -> Placed:
        """RFC ``ref``'s errata (every status but Rejected) placed on ``outline``.

        The database is opened on the first call; when that fails, every call raises the same error.
        """
        if self._failure is not None:
            raise self._failure
        if self._db is None:
            try:
                self._db = self._open_db()
            except DocfetchError as exc:
                self._failure = exc
                raise
        errata = self._db.errata_for(rfc_reference(ref).number, statuses=parse_statuses(None))
        return Placed(errata, outline, data)

    def close(self) -> None:
        """Close the database, if it was opened."""
        if self._db is not None:
            self._db.close()


#: The line that separates a section's published text from the errata docfetch shows after it.
DELIMITER = "======== errata (docfetch; not part of the published text) ========"


def section_errata_text(ref: Reference, section: Section, placed: Placed) -> str:
    """What follows a section shown with ``--errata``: a blank line, the delimiter line, its errata (made safe)."""
    from docfetch.errata.render import render_section_errata

    shown = placed.on(section.id)
    body = render_section_errata(
        section.id, shown, placed.placements, placed.sections, unplaced=placed.unplaced, reference=str(ref)
    )
    return f"\n{DELIMITER}\n{body}"
