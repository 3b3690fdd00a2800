"""Fetching documents: the cache first, then the sources in order, each download kept whole.

:class:`Fetcher` ties the pieces of the engine together for one run: the cache
(:mod:`docfetch.store.cache`), the choice of sources (:mod:`docfetch.engine.selection`), the
download of one document (:mod:`docfetch.engine.download`), staged writes
(:mod:`docfetch.engine.staging`) and concurrency (:mod:`docfetch.engine.parallel`). It knows
nothing of terminals or flags; it reports through :mod:`docfetch.report`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from docfetch import report
from docfetch.config import Settings, cache_dir
from docfetch.engine.download import download_first, worst
from docfetch.engine.keeping import Keeper
from docfetch.engine.parallel import ordered_map
from docfetch.engine.selection import Candidate, Selection, UnknownScheme
from docfetch.engine.staging import Cancelled, StagingArea
from docfetch.engine.transfer import copy_location
from docfetch.engine.validate import unsafe_reference
from docfetch.errors import DocfetchError, FetchError, LocalError, NotFoundError, RefusedContentError, UsageError
from docfetch.net.deadline import Deadline, document_budget
from docfetch.plugins.host import PluginHost
from docfetch.plugins.source import RFC_INDEX, Location, Source
from docfetch.reference import SUBSERIES_SCHEMES, Reference, Target
from docfetch.store.cache import Cache, CacheEntry
from docfetch.store.redirects import RedirectMemory


@dataclass
class FetchOptions:
    """Per-run choices (from flags)."""

    source: str | None = None
    fmt: str | None = None
    offline: bool = False
    refresh: bool = False
    use_cache: bool = True
    quiet: bool = False


@dataclass
class Document:
    """A fetched document: where its exact bytes are, and where they came from."""

    ref: Reference
    fmt: str
    path: Path
    source: str  # a source name, or "cache"


@dataclass
class Outcome:
    """One requested document: fetched, or the error that stopped it; ``section`` as asked."""

    ref: Reference
    document: Document | None = None
    error: DocfetchError | None = None
    section: str | None = None


class _NoCandidates(Exception):
    """The source has no location for this document or format."""


class Fetcher:
    """Fetches documents for one run: one plugin host, one HTTP session, one cache, one staging area."""

    def __init__(
        self,
        settings: Settings,
        options: FetchOptions | None = None,
        *,
        host: PluginHost | None = None,
        share_http_with: Fetcher | None = None,
        silent: bool = False,
    ) -> None:
        """``share_http_with``: another fetcher whose HTTP session to use; ``silent``: no notes or warnings."""
        self.settings = settings
        self.options = options or FetchOptions()
        self.silent = silent
        self.host = host or PluginHost(warn=(lambda _message: None) if silent else None)
        self.cache = Cache(cache_dir())
        self.area = StagingArea()
        self.keeper = Keeper(self.cache, self.area, use_cache=self.options.use_cache, note=self.note)
        self._http: Any = None
        self._http_owner = share_http_with
        #: Redirects learned (HTTP caching rules), shared with the fetcher whose session this one uses.
        self.redirects: RedirectMemory = (
            share_http_with.redirects
            if share_http_with
            else RedirectMemory(str(self.cache.root) if self.options.use_cache else None)
        )
        self._never_issued: frozenset[int] | None = None
        self._lock = threading.RLock()
        self._deadline = threading.local()  # .current: the time limit of the document this thread fetches
        self.selection = Selection(
            self.host,
            settings,
            explicit=self.options.source,
            offline=self.options.offline,
            transfer=self.transfer,
            silent=silent,
        )

    # -- plumbing ---------------------------------------------------------------------------

    def note(self, message: str) -> None:
        """A note for the user (silenced by ``quiet``)."""
        if not self.options.quiet and not self.silent and not self.area.cancelled:
            report.note(message)

    def warn(self, message: str) -> None:
        """A warning for the user (silenced only for a silent fetcher)."""
        if not self.silent and not self.area.cancelled:
            report.warning(message)

    def close(self) -> None:
        """Close the HTTP session and remove scratch files."""
        if self._http is not None:
            self._http.close()
        if not self.area.cancelled:  # a run torn down (Ctrl-C, a reader gone) writes nothing more
            self.redirects.save()
        self.keeper.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def http(self) -> Any:
        """The HTTP client, created (and ``requests`` imported) on first use."""
        with self._lock:
            if self._http is None and self._http_owner is not None:
                self._http = self._http_owner.http.with_settings(self.settings)
            elif self._http is None:
                from docfetch.net.http import HttpClient

                self._http = HttpClient(self.settings)
                self._http.redirects = self.redirects
            return self._http

    def transfer(
        self,
        location: Location,
        sink: BinaryIO,
        *,
        max_size: int | None = None,
        etag: str | None = None,
        deadline: Deadline | None = None,
    ) -> Any:
        """Copy one location's bytes to ``sink``: HTTP(S) through the run's session, else a local file.

        Returns what the server said (``.url``, ``.etag``, ``.not_modified``) for URLs, None for files.
        ``deadline``: default, the one of the document being fetched (:meth:`fetch`), else the
        download's own.
        """
        return copy_location(
            location,
            sink,
            limit=max_size or self.settings.max_size,
            offline=self.options.offline,
            http=lambda: self.http,
            etag=etag,
            deadline=deadline or getattr(self._deadline, "current", None),
        )

    @contextlib.contextmanager
    def _one_deadline(self) -> Iterator[None]:
        """One time limit for the document this thread fetches, every source included (nested: the outer one)."""
        if getattr(self._deadline, "current", None) is not None:
            yield
            return
        self._deadline.current = Deadline(document_budget(self.settings))
        try:
            yield
        finally:
            self._deadline.current = None

    # -- sources, for commands and plugins -------------------------------------------------

    def open_source(self, name: str, scheme: str = "rfc", formats: tuple[str, ...] = ()) -> Source:
        """The source called ``name``, checked: it serves ``scheme`` in ``formats`` and is available.

        UsageError (exit 2) naming what is wrong otherwise. For command plugins (``mirror sync``).
        """
        return self.selection.open(name, scheme, tuple(formats))

    def has_source(self, name: str) -> bool:
        """True when a source called ``name`` is installed and not switched off."""
        try:
            self.selection.find(name)
        except UsageError:
            return False
        return True

    def plan_format(self, scheme: str) -> str:
        """The format to fetch: ``--format``, else txt where the first source has it."""
        return self.selection.plan_format(scheme, self.options.fmt)

    # -- one document -------------------------------------------------------------------------

    def fetch(self, ref: Reference, fmt: str | None = None, *, scheme: str | None = None) -> Document:
        """Fetch one document (not a subseries) and return where its bytes are.

        Every source, location, redirect and retry tried for it shares one time limit
        (:func:`docfetch.net.deadline.document_budget`).
        """
        with self._one_deadline():
            return self._fetch(ref, fmt, scheme=scheme)

    def _fetch(self, ref: Reference, fmt: str | None = None, *, scheme: str | None = None) -> Document:
        unsafe = unsafe_reference(ref)
        if unsafe:
            raise UsageError(f"invalid reference: {unsafe}")
        plan_scheme = scheme or ref.scheme
        try:
            fmt = fmt or self.plan_format(plan_scheme)
        except UnknownScheme as exc:
            raise exc.for_name(ref.name) from None
        stale = None
        if self.options.use_cache:
            entry = self.keeper.cached(ref, fmt, offline=self.options.offline)
            if entry is not None and not self.options.refresh and (entry.fresh() or self.options.offline):
                return Document(ref, fmt, entry.path, "cache")
            stale = entry
        if stale is None and self.never_issued(ref):
            from docfetch.knowledge.index import NeverIssuedError

            raise NeverIssuedError(ref.number)
        if self.options.offline:
            return self._offline(ref, fmt, stale)
        failures: list[tuple[str, DocfetchError]] = []
        not_found: NotFoundError | None = None
        for candidate in self.selection.candidates(plan_scheme, fmt):
            if candidate.fallback and failures:
                previous, error = failures[-1]
                self.warn(f"{previous} failed ({error.message}); trying {candidate.source.name}")
            try:
                return self._fetch_from(candidate, ref, fmt, stale)
            except _NoCandidates:
                continue
            except NotFoundError as exc:
                not_found = exc
                break
            except (FetchError, RefusedContentError) as exc:
                failures.append((candidate.source.name, exc))
        if stale is not None and failures:
            self.note(f"could not refresh {ref.label()} ({failures[-1][1].message}); using the cached copy")
            return Document(ref, fmt, stale.path, "cache")
        if not_found is not None:
            raise NotFoundError(f"{ref.label()} not found: {not_found.message}")
        if failures:
            error = worst([failure for _name, failure in failures])
            if len(failures) == 1:
                raise type(error)(f"{ref.label()}: {error.message}")
            tried = "; ".join(f"{name}: {failure.message}" for name, failure in failures)
            raise type(error)(f"{ref.label()}: every source failed ({tried})")
        raise NotFoundError(f"{ref.label()} not found: no source has it as {fmt}")

    def never_issued(self, ref: Reference) -> bool:
        """True when the local RFC index database lists ``ref`` (an RFC) as not issued; asks no server."""
        if ref.scheme != "rfc" or not self.options.use_cache:
            return False
        with self._lock:
            if self._never_issued is None:
                from docfetch.knowledge.index import never_issued

                self._never_issued = never_issued(str(self.cache.root))
        return ref.number in self._never_issued

    def _offline(self, ref: Reference, fmt: str, stale: CacheEntry | None) -> Document:
        if stale is not None:
            return Document(ref, fmt, stale.path, "cache")
        if ref.scheme == "draft" and ref.revision is None:
            revisions = self.cache.revisions(ref, fmt)
            if revisions:
                exact = ref.with_revision(revisions[-1])
                self.note(f"offline: using {exact.stem}, the newest revision in the cache")
                return Document(exact, fmt, self.cache.path(exact, fmt), "cache")
        raise NotFoundError(f"{ref.label()} is not in the cache (offline)")

    def _fetch_from(self, candidate: Candidate, ref: Reference, fmt: str, stale: CacheEntry | None) -> Document:
        source, record = candidate.source, candidate.record
        resolved = self.selection.guard(record, lambda: source.resolve(ref))
        unsafe = unsafe_reference(resolved)
        if unsafe:
            raise FetchError(
                f"source {source.name!r} ({record.distribution}) resolved {ref.label()} unusably ({unsafe})"
            )
        if resolved != ref and self.options.use_cache and not self.options.refresh:
            entry = self.keeper.cached(resolved, fmt, offline=False)
            if entry is not None and entry.fresh():
                return Document(resolved, fmt, entry.path, "cache")
        locations = list(self.selection.guard(record, lambda: source.locate(resolved, fmt)) or ())
        if not locations:
            raise _NoCandidates
        with self.keeper.lock(resolved, fmt):
            if self.options.use_cache and not self.options.refresh and stale is None:
                entry = self.keeper.cached(resolved, fmt, offline=False)
                if entry is not None:  # another process fetched it meanwhile
                    return Document(resolved, fmt, entry.path, "cache")
            downloaded = self._download(locations, resolved, fmt, stale, source.name)
        if downloaded.not_modified:
            assert stale is not None
            self.keeper.touch(resolved, fmt, stale.etag)
            return Document(resolved, fmt, stale.path, source.name)
        assert downloaded.path is not None
        return Document(resolved, fmt, downloaded.path, source.name)

    def _download(
        self,
        locations: list[Location],
        ref: Reference,
        fmt: str,
        stale: Any,
        name: str,
        copy: Callable[..., Any] | None = None,
    ) -> Any:
        """Download into the cache's staging directory; a disk that fills up there moves the run to scratch."""
        if not self.options.refresh:  # --refresh asks the URLs themselves, and learns again
            locations = self.redirects.ahead(locations)
        for attempt in range(2):
            staging = self.keeper.staging()
            try:
                return download_first(
                    locations,
                    ref,
                    fmt,
                    area=self.area,
                    scratch=staging,
                    keep=lambda staged, etag: self.keeper.keep(ref, fmt, staged, etag),
                    copy=copy or self.transfer,
                    etag=stale.etag if stale is not None else None,
                    source_name=name,
                )
            except Cancelled:
                raise FetchError("interrupted") from None
            except LocalError as exc:
                if attempt or not self.keeper.usable:
                    raise
                self.keeper.give_up(exc.message)
        raise AssertionError("unreachable")

    def fetch_url(self, key: Reference, fmt: str, url: str, *, max_size: int = 4 * 1024 * 1024) -> Path:
        """The bytes at ``url``, kept in the cache under ``key``: fresh, revalidated (ETag) or new.

        For metadata that is not a document of any source (datatracker's doc.json, errata.json).
        Offline, or when the server fails, the cached copy is used if there is one.
        """
        with self._one_deadline():
            return self._fetch_url(key, fmt, url, max_size=max_size)

    def _fetch_url(self, key: Reference, fmt: str, url: str, *, max_size: int) -> Path:
        entry = self.keeper.cached(key, fmt, offline=self.options.offline)
        if entry is not None and not self.options.refresh and (entry.fresh() or self.options.offline):
            return entry.path
        if self.options.offline:
            raise NotFoundError(f"{key.name}: not in the cache (offline)")
        try:
            downloaded = self._download_metadata(url, key, fmt, entry, max_size)
        except (FetchError, RefusedContentError) as exc:
            if entry is None:
                raise
            self.note(f"could not refresh {key.name} ({exc.message}); using the cached copy")
            return entry.path
        if downloaded.not_modified and entry is not None:
            self.keeper.touch(key, fmt, entry.etag)
            return entry.path
        assert downloaded.path is not None
        return Path(downloaded.path)

    def _download_metadata(self, url: str, key: Reference, fmt: str, entry: Any, max_size: int) -> Any:
        def copy(location: Location, sink: BinaryIO, *, etag: str | None = None) -> Any:
            return self.transfer(location, sink, max_size=max_size, etag=etag)

        return self._download([url], key, fmt, entry, "", copy)

    # -- several documents ------------------------------------------------------------------

    def expand(self, ref: Reference) -> list[Reference]:
        """A subseries (``bcp:14``) as its member RFCs, from the RFC index; else ``[ref]``."""
        if ref.scheme not in SUBSERIES_SCHEMES:
            return [ref]
        from xml.etree.ElementTree import ParseError

        from docfetch.store.indexdb import members as subseries_members

        index = self.fetch(RFC_INDEX, "xml", scheme=ref.scheme)
        try:
            members = subseries_members(ref.scheme, ref.number, index.path)
        except ParseError as exc:
            raise RefusedContentError(f"the RFC index from {index.source} is not valid XML ({exc})") from None
        if members is None:
            raise NotFoundError(f"{ref.label()} not found in the RFC index")
        if not members:
            raise NotFoundError(f"{ref.label()} has no member RFCs in the RFC index")
        return [Reference("rfc", member[3:]) for member in members]

    def _outcome(self, target: Target) -> Outcome:
        try:
            return Outcome(target.ref, document=self.fetch(target.ref), section=target.section)
        except DocfetchError as exc:
            return Outcome(target.ref, error=exc, section=target.section)

    def _expanded(self, item: Reference | Target) -> list[Target | Outcome]:
        target = item if isinstance(item, Target) else Target(item)
        try:
            members = self.expand(target.ref)
        except DocfetchError as exc:
            return [Outcome(target.ref, error=exc, section=target.section)]
        if target.section is not None and members != [target.ref]:
            names = ", ".join(member.label() for member in members)
            return [
                Outcome(
                    target.ref,
                    error=UsageError(
                        f"{target.ref.label()}#{target.section} is ambiguous: {target.ref.label()} is {names}",
                        hint=f"name one of them, e.g. {members[0]}#{target.section}",
                    ),
                )
            ]
        return [Target(member, target.section) for member in members]

    def fetch_many(self, items: list[Reference] | list[Target], *, jobs: int = 1) -> Iterator[Outcome]:
        """Fetch each reference or target (subseries expanded), yielding outcomes in the order asked.

        With ``jobs`` > 1 documents are downloaded concurrently over the one session's
        reused connections; outcomes still come out in order, each as soon as it and all
        before it are done.
        """
        expanded = [entry for item in items for entry in self._expanded(item)]
        pending = [entry for entry in expanded if isinstance(entry, Target)]
        if jobs <= 1 or len(pending) <= 1:
            for entry in expanded:
                yield entry if isinstance(entry, Outcome) else self._outcome(entry)
            return
        for scheme in {target.ref.scheme for target in pending}:
            with contextlib.suppress(DocfetchError):
                self.plan_format(scheme)  # load plugins and settle defaults before threads start

        def work(entry: Target | Outcome) -> Outcome:
            return entry if isinstance(entry, Outcome) else self._outcome(entry)

        def failed(entry: Target | Outcome, exc: Exception) -> Outcome:
            ref = entry.ref
            return Outcome(ref, error=FetchError(f"{ref.label()}: {type(exc).__name__}: {exc}"))

        stopped = threading.Event()
        finished = False
        try:
            yield from ordered_map(expanded, work, jobs=jobs, stopped=stopped, on_error=failed)
            finished = True
        finally:
            stopped.set()
            if not finished:  # left early (Ctrl-C, a closed pipe): remove what the workers still write
                self.cancel()

    def cancel(self) -> None:
        """Stop: remove every download still in progress; nothing more is kept (Ctrl-C, a closed pipe)."""
        self.area.cancel()
