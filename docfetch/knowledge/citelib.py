"""The document side of ``docfetch cite check`` over docfetch's engine: the :class:`docfetch.cite.Library` Protocol.

- Documents are fetched once, concurrently (``Fetcher.fetch_many`` with ``jobs``), the cache first;
  then, for documents cited with a quotation, the documents that obsolete them (to say where a
  quotation went).
- Statuses come from the RFC index database: issued, never issued, obsoleted by; for a draft,
  the RFC it became. A document the source says does not exist is unknown; one that could not
  be had (a network failure, ``--offline`` and not cached) is unavailable, and its citations are
  reported as not checked.
- Sections come from the outlines kept beside cached documents; texts have their page
  furniture removed (:func:`docfetch.sections.strip_furniture`).
- Errata: the verified errata of the errata database, placed on sections.

The RFC index and errata.json are fetched (or revalidated) in background threads while the
documents download. When either cannot be had, the check goes on without it, saying so once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from docfetch import report
from docfetch.cite.library import ISSUED, NOT_ISSUED, UNAVAILABLE, UNKNOWN, DocStatus, ErratumInfo
from docfetch.errors import DocfetchError, NotFoundError
from docfetch.reference import Reference

if TYPE_CHECKING:
    from docfetch.engine.fetcher import Fetcher
    from docfetch.errata.store import ErrataDB
    from docfetch.knowledge.errata import Placed
    from docfetch.sections import Outline, Section
    from docfetch.store.indexdb import IndexDB


class LoadedDocument:
    """A fetched document: its exact bytes and outline (computed once, kept beside the cached file), read lazily."""

    def __init__(self, ref: Reference, fmt: str, path: Path, root: str | None, host: object = None) -> None:
        self.ref, self.fmt, self.path, self.root, self.host = ref, fmt, path, root, host
        self._data: bytes | None = None
        self._outline: Outline | None = None
        self._by_id: dict[str, Section] = {}

    @property
    def data(self) -> bytes:
        """The published bytes."""
        if self._data is None:
            self._data = self.path.read_bytes()
        return self._data

    @property
    def outline(self) -> Outline:
        """The document's sections and page breaks."""
        if self._outline is None:
            from docfetch.knowledge.outlines import outline_of

            self._outline = outline_of(self.ref, self.fmt, self.data, root=self.root, host=self.host)
            self._by_id = {s.id: s for s in self._outline.sections}
        return self._outline

    def section(self, section_id: str) -> Section:
        """The section with that id (one the outline lists)."""
        if self._outline is None:
            self._by_id = {s.id: s for s in self.outline.sections}
        return self._by_id[section_id]

    def text(self, section: Section | None = None) -> str:
        """The text of ``section`` (with its subsections), or of the whole document, without page furniture."""
        from docfetch.sections import strip_furniture

        if section is None:
            return strip_furniture(self.data, self.outline).decode("utf-8", errors="replace")
        return strip_furniture(self.data, self.outline, section.start, section.end).decode("utf-8", errors="replace")


class LoadedTexts:
    """The text side of the Library Protocol over documents already loaded (``documents``)."""

    documents: dict[Reference, LoadedDocument]

    def sections(self, document: Reference) -> Sequence[Section]:
        """The document's sections, in document order."""
        return self.documents[document].outline.sections

    def section_text(self, document: Reference, section_id: str) -> str:
        """The section's text with its subsections, page furniture removed."""
        loaded = self.documents[document]
        return loaded.text(loaded.section(section_id))

    def document_text(self, document: Reference) -> str:
        """The whole document's text, page furniture removed."""
        return self.documents[document].text()


class EngineLibrary(LoadedTexts):
    """The cite Library over docfetch's fetcher, the RFC index and errata databases. Call :meth:`prepare` first."""

    def __init__(self, fetcher: Fetcher, *, jobs: int = 4) -> None:
        self.fetcher = fetcher
        self.jobs = jobs
        self.root = str(fetcher.cache.root) if fetcher.options.use_cache else None
        self.documents: dict[Reference, LoadedDocument] = {}
        self.failures: dict[Reference, DocfetchError] = {}
        self.index: IndexDB | None = None
        self.errata_db: ErrataDB | None = None
        self.index_problem: DocfetchError | None = None
        self.errata_problem: DocfetchError | None = None
        self._placed: dict[Reference, Placed] = {}
        self._drafts: dict[str, tuple[Reference, ...]] = {}
        self._last: int | None = None

    # -- getting everything once -----------------------------------------------------------------

    def prepare(self, documents: Sequence[Reference], successors_of: Iterable[Reference] = ()) -> None:
        """Fetch ``documents`` concurrently, the RFC index and errata meanwhile; then the successors of
        ``successors_of`` (documents cited with a quotation). Problems are kept, never raised."""
        side = self._sibling()  # the index and errata, while the documents download
        index = threading.Thread(target=self._open_index, args=(side,), name="docfetch-cite-index", daemon=True)
        errata = threading.Thread(target=self._open_errata, args=(side,), name="docfetch-cite-errata", daemon=True)
        never_issued = self._known_not_issued(documents)
        index.start()
        errata.start()
        try:
            self._fetch([document for document in documents if document not in never_issued])
            index.join()
            errata.join()
        except BaseException:
            side.cancel()
            raise
        finally:
            side.close()
        self._connect()
        wanted = set(successors_of)
        successors = {
            successor
            for document in documents
            if document in wanted and document in self.documents
            for successor in self._obsoleted_by(document)
        }
        # only to say where a quotation went: a successor that cannot be had is left out quietly
        self._fetch(sorted(s for s in successors if s not in self.documents and s not in self.failures), silent=True)

    def _known_not_issued(self, documents: Sequence[Reference]) -> set[Reference]:
        """The RFCs an existing index database already says were never issued: no need to ask for them."""
        import sqlite3

        from docfetch.store.indexdb import IndexDB, db_path, read_meta

        path = db_path(Path(self.fetcher.cache.root))
        numbers = [d for d in documents if d.scheme == "rfc"]
        if not numbers or read_meta(path) is None:
            return set()
        try:
            with IndexDB(path) as index:
                return {d for d in numbers if index.not_issued(int(d.name))}
        except sqlite3.Error:
            return set()

    def _open_index(self, fetcher: Fetcher) -> None:
        from docfetch.knowledge.index import open_index

        try:
            open_index(fetcher).close()
        except DocfetchError as exc:
            self.index_problem = exc
        except Exception as exc:  # a corrupt database: the check goes on without it
            self.index_problem = DocfetchError(f"{type(exc).__name__}: {exc}")

    def _open_errata(self, fetcher: Fetcher) -> None:
        from docfetch.knowledge.errata import open_errata

        try:
            open_errata(fetcher).close()
        except DocfetchError as exc:
            self.errata_problem = exc
        except Exception as exc:
            self.errata_problem = DocfetchError(f"{type(exc).__name__}: {exc}")

    def _connect(self) -> None:
        """Open the databases the background threads made current (SQLite connections stay in one thread)."""
        import sqlite3

        from docfetch.errata.store import ErrataDB
        from docfetch.knowledge.errata import db_path as errata_db_path
        from docfetch.store.indexdb import IndexDB
        from docfetch.store.indexdb import db_path as index_db_path

        try:
            if self.index_problem is None:
                self.index = IndexDB(index_db_path(Path(self.fetcher.cache.root)))
        except sqlite3.Error as exc:
            self.index_problem = DocfetchError(f"the RFC index database cannot be read ({exc})")
        try:
            if self.errata_problem is None:
                self.errata_db = ErrataDB(errata_db_path(self.fetcher.cache.root))
        except sqlite3.Error as exc:
            self.errata_problem = DocfetchError(f"the errata database cannot be read ({exc})")
        if self.index_problem is not None:
            report.warning(f"obsolete documents not reported: {self.index_problem.message}")
        if self.errata_problem is not None:
            report.warning(f"errata not checked: {self.errata_problem.message}")

    def _sibling(self, *, silent: bool = False) -> Fetcher:
        """A fetcher sharing this one's settings, plugins and HTTP session, with a staging area of its own."""
        from docfetch.engine.fetcher import Fetcher

        main = self.fetcher
        return Fetcher(main.settings, main.options, host=main.host, share_http_with=main, silent=silent or main.silent)

    def _fetch(self, documents: Sequence[Reference], *, silent: bool = False) -> None:
        """Fetch ``documents`` concurrently (``silent``: no notes or warnings, for documents only nice to have).

        Each round has a fetcher of its own: at its end ``fetch_many`` cancels its fetcher's staging
        area, after which that fetcher can download nothing more.
        """
        if not documents:
            return
        host = self.fetcher.host
        with self._sibling(silent=silent) as fetcher:
            for outcome in fetcher.fetch_many(list(documents), jobs=self.jobs):
                if outcome.document is not None:
                    doc = outcome.document
                    self.documents[outcome.ref] = LoadedDocument(doc.ref, doc.fmt, Path(doc.path), self.root, host)
                elif outcome.error is not None:
                    self.failures[outcome.ref] = outcome.error

    def close(self) -> None:
        """Close the databases."""
        for db in (self.index, self.errata_db):
            if db is not None:
                db.close()

    # -- statuses --------------------------------------------------------------------------------

    def _obsoleted_by(self, document: Reference) -> tuple[Reference, ...]:
        if self.index is None:
            return ()
        if document.scheme == "draft":
            return self._rfcs_of_draft(document.name)
        if document.scheme != "rfc":
            return ()
        ids = self.index.relations(int(document.name), ("obsoleted-by",)).get("obsoleted-by", [])
        return tuple(Reference("rfc", str(int(doc_id[3:]))) for doc_id in ids if doc_id[3:].isdigit())

    def _rfcs_of_draft(self, name: str) -> tuple[Reference, ...]:
        """The RFCs the index says were published from draft ``name`` (any revision)."""
        if name not in self._drafts and self.index is not None:
            rows = self.index.conn.execute(
                "SELECT number FROM rfc WHERE draft = ? OR (draft GLOB ? AND length(draft) = ?) ORDER BY number",
                (name, f"{name}-[0-9][0-9]", len(name) + 3),
            )
            self._drafts[name] = tuple(Reference("rfc", str(number)) for (number,) in rows)
        return self._drafts.get(name, ())

    def status(self, document: Reference) -> DocStatus:
        """Issued, never issued, unknown or unavailable; what obsoletes it (see the module docstring)."""
        if document.scheme == "rfc" and self.index is not None and self.index.not_issued(int(document.name)):
            return DocStatus(NOT_ISSUED)
        failure = self.failures.get(document)
        if failure is not None:
            if isinstance(failure, NotFoundError) and (
                self._unlisted(document) if self.fetcher.options.offline else not self._listed(document)
            ):
                return DocStatus(UNKNOWN)
            return DocStatus(UNAVAILABLE, detail=_why(document, failure))
        if document not in self.documents:
            return DocStatus(UNAVAILABLE, detail="was not fetched")
        return DocStatus(ISSUED, obsoleted_by=self._obsoleted_by(document))

    def _listed(self, document: Reference) -> bool:
        """True when the RFC index lists this RFC as issued."""
        return document.scheme == "rfc" and self.index is not None and self.index.rfc(int(document.name)) is not None

    def _unlisted(self, document: Reference) -> bool:
        """True when the RFC index says this RFC does not exist: not listed, though the index goes beyond it
        (the index lists every number up to its last, issued or not; a later one may be newer than the index)."""
        if document.scheme != "rfc" or self.index is None or self._listed(document):
            return False
        if self._last is None:
            self._last = int(self.index.conn.execute("SELECT coalesce(max(number), 0) FROM rfc").fetchone()[0])
        return int(document.name) < self._last

    # -- texts -----------------------------------------------------------------------------------

    def errata(self, document: Reference, section_id: str) -> Sequence[ErratumInfo]:
        """The verified errata placed on the section or its subsections."""
        if document.scheme != "rfc" or self.errata_db is None:
            return []
        placed = self._placed.get(document)
        if placed is None:
            from docfetch.errata.model import STATUSES
            from docfetch.knowledge.errata import Placed

            loaded = self.documents[document]
            verified = self.errata_db.errata_for(int(document.name), statuses=[STATUSES["verified"]])
            placed = self._placed[document] = Placed(verified, loaded.outline if verified else None, loaded.data)
        return [ErratumInfo(str(e.id), e.type, e.orig_text) for e in placed.on(section_id)] if placed.errata else []


def _why(document: Reference, failure: DocfetchError) -> str:
    """A fetch failure as the end of a sentence that starts with the document's name."""
    label, message = document.label(), failure.message
    if message.startswith(label + " "):
        return message[len(label) + 1 :]  # "is not in the cache (offline)", "not found: ..."
    if message.startswith(label + ": "):
        message = message[len(label) + 2 :]
    return f"could not be fetched ({message})"
