"""Fetching documents: pick sources, use the cache, download, validate, keep, fall back.

This is the library entry point: :class:`Fetcher` turns references into files holding the
exact published bytes. It knows nothing of terminals or flags (see ``docfetch.cli.typer_app``).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from docfetch.config import Settings, cache_dir
from docfetch.engine.validate import check_body, unsafe_reference
from docfetch.errors import (
    DocfetchError,
    FetchError,
    NotFoundError,
    PluginError,
    RefusedContentError,
    UsageError,
)
from docfetch.plugins.host import PluginHost, PluginRecord
from docfetch.plugins.source import RFC_INDEX, Location, Source
from docfetch.reference import SUBSERIES_SCHEMES, Reference
from docfetch.store.cache import Cache


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
    """One requested document: fetched, or the error that stopped it."""

    ref: Reference
    document: Document | None = None
    error: DocfetchError | None = None


class _NoCandidates(Exception):
    """The source has no location for this document or format."""


class _Context:
    """The :class:`docfetch.plugins.source.SourceContext` lent to one source."""

    def __init__(self, fetcher: Fetcher, name: str) -> None:
        self._fetcher = fetcher
        self.settings = fetcher.settings.source_settings(name)
        self.offline = fetcher.options.offline

    def read(self, location: Location, *, max_size: int = 4 * 1024 * 1024) -> bytes:
        buffer = BytesIO()
        self._fetcher.transfer(location, buffer, max_size=max_size)
        return buffer.getvalue()

    def note(self, message: str) -> None:
        self._fetcher.note(message)


def _stderr_note(message: str) -> None:
    print(f"docfetch: note: {message}", file=sys.stderr)


def _stderr_warning(message: str) -> None:
    print(f"docfetch: warning: {message}", file=sys.stderr)


def _worst(errors: list[DocfetchError]) -> DocfetchError:
    return max(errors, key=lambda error: error.exit_code)


class Fetcher:
    """Fetches documents for one run: one plugin host, one HTTP session, one cache."""

    def __init__(
        self,
        settings: Settings,
        options: FetchOptions | None = None,
        *,
        host: PluginHost | None = None,
        note: Callable[[str], None] | None = None,
        warn: Callable[[str], None] = _stderr_warning,
        share_http_with: Fetcher | None = None,
    ) -> None:
        """``share_http_with``: another fetcher whose HTTP session (connections, TLS set-up) to use."""
        self.settings = settings
        self.options = options or FetchOptions()
        self.host = host or PluginHost(warn=warn)
        self._note = note or _stderr_note
        self._warn = warn
        self.cache = Cache(cache_dir())
        self._http: Any = None
        self._http_owner = share_http_with
        self._instances: dict[str, Source] = {}
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._lock = threading.RLock()
        self._inflight: set[Path] = set()
        self._cancelled = threading.Event()

    # -- plumbing ---------------------------------------------------------------------------

    def note(self, message: str) -> None:
        if not self.options.quiet:
            self._note(message)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
        if self._scratch is not None:
            self._scratch.cleanup()

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
            return self._http

    def transfer(self, location: Location, sink: Any, *, max_size: int | None = None, etag: str | None = None) -> Any:
        """Copy one location's bytes to ``sink``: HTTP(S) through the session, else a local file."""
        limit = max_size or self.settings.max_size
        text = str(location)
        if isinstance(location, str) and text.startswith(("http://", "https://")):
            if self.options.offline:
                raise NotFoundError(f"{text}: not fetched, offline")
            return self.http.download(text, sink, max_size=limit, etag=etag)
        path = Path(text[7:]) if text.startswith("file://") else Path(location)
        try:
            with open(path, "rb") as handle:
                size = 0
                while chunk := handle.read(1024 * 1024):
                    size += len(chunk)
                    if size > limit:
                        raise RefusedContentError(f"{path}: larger than the {limit} byte limit (see --max-size)")
                    sink.write(chunk)
        except FileNotFoundError:
            raise NotFoundError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise NotFoundError(f"{path}: is a directory") from None
        except OSError as exc:
            raise FetchError(f"{path}: {exc.strerror or exc}") from None
        return None

    def _staging(self) -> Path:
        if self.options.use_cache:
            return self.cache.staging_dir()
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="docfetch-")
        return Path(self._scratch.name)

    # -- sources ----------------------------------------------------------------------------

    def instance(self, cls: type[Source], record: PluginRecord) -> Source:
        """The one instance of a source for this run."""
        with self._lock:
            if cls.name not in self._instances:
                self._instances[cls.name] = self._guard(record, lambda: cls(_Context(self, cls.name)))
            return self._instances[cls.name]

    def _guard(self, record: PluginRecord, call: Callable[[], Any]) -> Any:
        """Run plugin code; a bug in it becomes a FetchError naming the plugin, not a crash."""
        try:
            return call()
        except DocfetchError:
            raise
        except Exception as exc:
            if self.host.strict:
                raise PluginError(
                    f"plugin {record.name!r} ({record.distribution}) raised {type(exc).__name__}: {exc}"
                ) from exc
            message = (
                f"plugin {record.name!r} ({record.distribution} {record.version}) raised {type(exc).__name__}: {exc}"
            )
            self._warn(message)
            raise FetchError(message) from None

    def _explicit(self, scheme: str, fmt: str | None) -> tuple[type[Source], PluginRecord]:
        name = self.options.source or ""
        cls, record = self.host.find_source(name)
        if scheme not in cls.schemes:
            raise UsageError(
                f"source {name!r} does not serve {scheme}: references (it serves {', '.join(cls.schemes)})"
            )
        if fmt is not None and fmt not in cls.formats:
            raise UsageError(f"source {name!r} has no {fmt} format (it has {', '.join(cls.formats)})")
        return cls, record

    def _default(self, scheme: str) -> tuple[type[Source], PluginRecord]:
        configured = self.settings.defaults.get(scheme)
        if configured:
            return self.host.find_source(configured)
        serving = self.host.sources_for_scheme(scheme)
        if not serving:
            self.host.load_all()
            serving = self.host.sources_for_scheme(scheme)
        if not serving:
            raise UsageError(f"unknown scheme {scheme!r}: no installed source serves {scheme}: references")
        return serving[0]

    def plan_format(self, scheme: str) -> str:
        """The format to fetch: ``--format``, else txt where the first source has it."""
        pair = self._explicit(scheme, self.options.fmt) if self.options.source else self._default(scheme)
        if self.options.fmt:
            return self.options.fmt
        formats = pair[0].formats
        return "txt" if "txt" in formats else formats[0]

    def _sources(self, scheme: str, fmt: str) -> Iterator[tuple[Source, PluginRecord, bool]]:
        """Sources to try, in order; the flag says whether it is a fallback."""
        if self.options.source:
            cls, record = self._explicit(scheme, fmt)
            source = self.instance(cls, record)
            reason = self._guard(record, source.unavailable)
            if reason:
                raise UsageError(f"source {cls.name!r} is unavailable: {reason}")
            yield source, record, False
            return
        tried = set()
        # The fallbacks are a lazy iterator: plugins load only once the first source has failed.
        for cls, record in itertools.chain([self._default(scheme)], self._fallbacks(scheme)):
            if cls.name in tried or fmt not in cls.formats:
                continue
            tried.add(cls.name)
            try:
                source = self.instance(cls, record)
                reason = self._guard(record, source.unavailable)
            except FetchError:
                continue
            if reason:
                continue
            yield source, record, len(tried) > 1

    def _fallbacks(self, scheme: str) -> Iterator[tuple[type[Source], PluginRecord]]:
        with self._lock:
            self.host.load_all()
            fallbacks = self.host.sources_for_scheme(scheme)
        yield from fallbacks

    # -- fetching ---------------------------------------------------------------------------

    def fetch(self, ref: Reference, fmt: str | None = None, *, scheme: str | None = None) -> Document:
        """Fetch one document (not a subseries) and return where its bytes are."""
        unsafe = unsafe_reference(ref)
        if unsafe:
            raise UsageError(f"invalid reference: {unsafe}")
        plan_scheme = scheme or ref.scheme
        fmt = fmt or self.plan_format(plan_scheme)
        stale = None
        if self.options.use_cache:
            entry = self.cache.lookup(ref, fmt)
            if entry is not None and not self.options.refresh and (entry.fresh() or self.options.offline):
                return Document(ref, fmt, entry.path, "cache")
            stale = entry
        if self.options.offline:
            return self._offline(ref, fmt, stale)
        failures: list[DocfetchError] = []
        tried_names: list[str] = []
        not_found: NotFoundError | None = None
        previous = ""
        for source, record, fallback in self._sources(plan_scheme, fmt):
            if fallback and failures:
                self._warn(f"{previous} failed ({failures[-1].message}); trying {source.name}")
            previous = source.name
            try:
                return self._fetch_from(source, record, ref, fmt, stale)
            except _NoCandidates:
                continue
            except NotFoundError as exc:
                not_found = exc
                break
            except (FetchError, RefusedContentError) as exc:
                failures.append(exc)
                tried_names.append(source.name)
        if stale is not None and failures:
            self.note(f"could not refresh {ref.label()} ({failures[-1].message}); using the cached copy")
            return Document(ref, fmt, stale.path, "cache")
        if not_found is not None:
            raise NotFoundError(f"{ref.label()} not found: {not_found.message}")
        if failures:
            worst = _worst(failures)
            if len(failures) == 1:
                raise type(worst)(f"{ref.label()}: {worst.message}")
            tried = "; ".join(f"{name}: {failure.message}" for name, failure in zip(tried_names, failures, strict=True))
            raise type(worst)(f"{ref.label()}: every source failed ({tried})")
        raise NotFoundError(f"{ref.label()} not found: no source has it as {fmt}")

    def _offline(self, ref: Reference, fmt: str, stale: Any) -> Document:
        if stale is not None:
            return Document(ref, fmt, stale.path, "cache")
        if ref.scheme == "draft" and ref.revision is None:
            revisions = self.cache.revisions(ref, fmt)
            if revisions:
                exact = ref.with_revision(revisions[-1])
                self.note(f"offline: using {exact.stem}, the newest revision in the cache")
                return Document(exact, fmt, self.cache.path(exact, fmt), "cache")
        raise NotFoundError(f"{ref.label()} is not in the cache (offline)")

    def _fetch_from(self, source: Source, record: PluginRecord, ref: Reference, fmt: str, stale: Any) -> Document:
        resolved = self._guard(record, lambda: source.resolve(ref))
        unsafe = unsafe_reference(resolved)
        if unsafe:
            raise FetchError(
                f"source {source.name!r} ({record.distribution}) resolved {ref.label()} unusably ({unsafe})"
            )
        if resolved != ref and self.options.use_cache and not self.options.refresh:
            entry = self.cache.lookup(resolved, fmt)
            if entry is not None and entry.fresh():
                return Document(resolved, fmt, entry.path, "cache")
        locations = list(self._guard(record, lambda: source.locate(resolved, fmt)) or ())
        if not locations:
            raise _NoCandidates
        lock = self.cache.lock(resolved, fmt) if self.options.use_cache else contextlib.nullcontext()
        with lock:
            if self.options.use_cache and not self.options.refresh and stale is None:
                entry = self.cache.lookup(resolved, fmt)
                if entry is not None:  # another process fetched it meanwhile
                    return Document(resolved, fmt, entry.path, "cache")
            return self._download_first(source, locations, resolved, fmt, stale)

    def _download_first(
        self, source: Source, locations: list[Location], ref: Reference, fmt: str, stale: Any
    ) -> Document:
        failures: list[DocfetchError] = []
        misses: list[NotFoundError] = []
        etag = stale.etag if stale is not None else None
        for location in locations:
            staging = self._staging()
            with self._lock:  # created and registered at once, so cancel() never misses one
                if self._cancelled.is_set():
                    raise FetchError("interrupted")
                fd, tmp_name = tempfile.mkstemp(dir=staging, prefix=f"{ref.stem}.", suffix=".part")
                tmp = Path(tmp_name)
                self._inflight.add(tmp)
            try:
                with os.fdopen(fd, "w+b") as sink:
                    result = self.transfer(location, sink, etag=etag)
                if result is not None and result.not_modified:
                    tmp.unlink()
                    self.cache.touch(ref, fmt, etag)
                    return Document(ref, fmt, stale.path, source.name)
                check_body(tmp, fmt, str(result.url if result is not None else location))
                if self.options.use_cache:
                    final = self.cache.store(ref, fmt, tmp, result.etag if result is not None else None)
                    return Document(ref, fmt, final, source.name)
                return Document(ref, fmt, tmp, source.name)
            except NotFoundError as exc:
                misses.append(exc)
            except (FetchError, RefusedContentError) as exc:
                failures.append(exc)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            finally:
                with self._lock:
                    self._inflight.discard(tmp)
            tmp.unlink(missing_ok=True)
        if failures:
            raise _worst(failures)
        raise misses[0] if misses else NotFoundError(f"{source.name} has no location for {ref.label()}")

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

    def _outcome(self, ref: Reference) -> Outcome:
        try:
            return Outcome(ref, document=self.fetch(ref))
        except DocfetchError as exc:
            return Outcome(ref, error=exc)

    def fetch_many(self, refs: list[Reference], *, jobs: int = 1) -> Iterator[Outcome]:
        """Fetch each reference (subseries expanded), yielding outcomes in the order asked.

        With ``jobs`` > 1 documents are downloaded concurrently over the one session's
        reused connections; outcomes still come out in order, each as soon as it and all
        before it are done.
        """
        items: list[Reference | Outcome] = []
        for ref in refs:
            try:
                items.extend(self.expand(ref))
            except DocfetchError as exc:
                items.append(Outcome(ref, error=exc))
        pending = [item for item in items if isinstance(item, Reference)]
        if jobs <= 1 or len(pending) <= 1:
            for item in items:
                yield item if isinstance(item, Outcome) else self._outcome(item)
            return
        yield from self._parallel(items, min(jobs, len(pending)))

    def _parallel(self, items: list[Reference | Outcome], jobs: int) -> Iterator[Outcome]:
        for scheme in {item.scheme for item in items if isinstance(item, Reference)}:
            with contextlib.suppress(DocfetchError):
                self.plan_format(scheme)  # load plugins and settle defaults before threads start
        results: list[Outcome | None] = [item if isinstance(item, Outcome) else None for item in items]
        ready = [threading.Event() for _ in items]
        queue: deque[int] = deque(i for i, item in enumerate(items) if isinstance(item, Reference))
        for i, item in enumerate(items):
            if isinstance(item, Outcome):
                ready[i].set()

        def work() -> None:
            while not self._cancelled.is_set():
                try:
                    index = queue.popleft()
                except IndexError:
                    return
                item = items[index]
                assert isinstance(item, Reference)
                try:
                    results[index] = self._outcome(item)
                except Exception as exc:  # after cancel() a worker's files vanish under it: stay quiet
                    if self._cancelled.is_set():
                        return
                    results[index] = Outcome(item, error=FetchError(f"{item.label()}: {type(exc).__name__}: {exc}"))
                ready[index].set()

        for _ in range(jobs):
            threading.Thread(target=work, daemon=True, name="docfetch-fetch").start()
        try:
            for index in range(len(items)):
                while not ready[index].wait(0.2):
                    pass
                outcome = results[index]
                assert outcome is not None
                yield outcome
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop handing out work and remove every download still in progress (on Ctrl-C)."""
        self._cancelled.set()
        with self._lock:
            inflight = list(self._inflight)
        for path in inflight:
            path.unlink(missing_ok=True)
