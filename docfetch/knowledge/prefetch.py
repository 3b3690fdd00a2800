"""Metadata asked for beside the documents of a first fetch, for the obsolescence notes; never waited for.

Until the index database exists (``docfetch search``/``info``/``bcp:`` build it), the note
for an RFC comes from its per-RFC JSON (``rfc{n}.json``, about 1 KB) in the cache. A first
fetch asks for that JSON in a background thread, on a connection opened ahead
(:mod:`docfetch.net.preconnect`) while the run is still importing ``requests``: a small GET
with the standard library's ``http.client``, at about the time the document's own request
leaves. It is never waited for: when the documents have been delivered, the note is made
from whatever the cache holds by then (:mod:`docfetch.knowledge.notes`), and a request still
under way is abandoned. Nothing fetched here can fail or slow a fetch, and nothing but a
whole, checked JSON file is ever kept: the body is staged under ``tmp/``, checked, and renamed
into the cache (with its ETag, revalidated daily like any cached JSON); :meth:`MetadataPrefetch.cancel`
removes a staged file and forbids the rename (if the process is killed outright, a ``.part``
file stays under ``tmp/``: never served, swept later). The next fetch of the same RFC, served
from the cache, has the note either way.

Only a plain ``200`` of at most 256 KB, identity or gzip (:mod:`docfetch.net.small_get`), is
kept; an error or anything else simply means no note this time.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from docfetch.errors import DocfetchError
from docfetch.reference import Reference
from docfetch.store.layout import cache_root, document_path

if TYPE_CHECKING:
    from docfetch.engine.fetcher import Fetcher, FetchOptions
    from docfetch.engine.staging import StagingArea

#: Runs of more RFCs than this ask for no metadata (bulk runs get notes once the index database exists).
MAX_RFCS = 8
#: Seconds to wait for the metadata server (the requests run in the background, and are never waited for).
TIMEOUT = 5.0


def wanted(options: FetchOptions, refs: list[Reference]) -> list[int]:
    """The RFCs of a run whose per-RFC JSON is worth asking for, for their notes (none in bulk runs).

    None when the index database answers, when notes are not shown, and for RFCs whose JSON
    is cached already.
    """
    numbers = list(dict.fromkeys(ref.number for ref in refs if ref.scheme == "rfc"))
    if not numbers or len(numbers) > MAX_RFCS or options.quiet or options.offline or not options.use_cache:
        return []
    if options.fmt == "json":
        return []  # the documents are the JSON: fetched once, as documents
    root = cache_root()
    if os.path.isfile(os.path.join(root, "index", "rfc-index.sqlite")):
        return []  # the database answers; nothing to fetch
    return [n for n in numbers if not os.path.exists(document_path(root, "rfc", f"rfc{n}", "json"))]


class MetadataPrefetch:
    """Asks for ``rfc{n}.json`` of the given RFCs in a background thread, one after the other."""

    def __init__(self, fetcher: Fetcher, numbers: list[int]) -> None:
        """``fetcher``: the run's (its sources say where the JSON is, its cache keeps it)."""
        from docfetch.engine.staging import StagingArea

        self.area = StagingArea()
        self.done = threading.Event()
        self._side: Fetcher | None = None
        self._lock = threading.Lock()
        if not numbers:
            self.done.set()
            return
        thread = threading.Thread(target=self._run, args=(fetcher, numbers), daemon=True, name="docfetch-metadata")
        thread.start()

    def _run(self, fetcher: Fetcher, numbers: list[int]) -> None:
        from docfetch.engine.ahead import first_urls
        from docfetch.net.small_get import SmallGetter

        getter = SmallGetter(None if fetcher.options.refresh else fetcher.redirects, timeout=TIMEOUT)
        try:
            for number in numbers:
                ref = Reference("rfc", str(number))
                urls = first_urls(fetcher, [ref], limit=1, fmt="json")
                if self.area.cancelled:
                    return
                if urls and urls[0].startswith("https://"):
                    body = getter.get(urls[0])
                    if body is not None:
                        _keep(fetcher, self.area, ref, body, getter.url, getter.etag)
                else:
                    self._through_the_engine(fetcher, ref)  # a mirror's JSON, or a plugin's source
        except BaseException:  # no metadata: no note, never an error (nor a traceback)
            return
        finally:
            getter.close()
            self.done.set()

    def _through_the_engine(self, fetcher: Fetcher, ref: Reference) -> None:
        """A source whose JSON is not at an ``https://`` URL (a mirror): a quiet fetch of the engine."""
        from dataclasses import replace

        from docfetch.engine.fetcher import Fetcher, FetchOptions

        with self._lock:
            if self._side is None:
                settings = replace(fetcher.settings, timeout=min(fetcher.settings.timeout, TIMEOUT), retries=0)
                options = FetchOptions(source=fetcher.options.source, quiet=True)
                self._side = Fetcher(settings, options, silent=True, share_http_with=fetcher)
            side = self._side
        if not self.area.cancelled:
            side.fetch(ref, "json")

    def cancel(self) -> None:
        """Abandon whatever has not arrived: its staged download is removed, nothing more is kept."""
        self.area.cancel()
        with self._lock:
            side = self._side
        if side is not None:
            side.cancel()


def describes(ref: Reference, body: bytes) -> bool:
    """True when ``body`` is a per-RFC JSON object describing ``ref`` (either shape)."""
    import json

    from docfetch.knowledge.notes import normalised_doc_id

    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(data, dict) and normalised_doc_id(data.get("doc_id")) == f"RFC{ref.name}"


def _keep(fetcher: Fetcher, area: StagingArea, ref: Reference, body: bytes, url: str, etag: str | None) -> None:
    """Stage ``body`` (the per-RFC JSON of ``ref``), check it and rename it into the cache; else nothing.

    Through ``area``, so that :meth:`MetadataPrefetch.cancel` forbids the rename; a cache that
    cannot be written is left for the documents' own downloads to report.
    """
    if not fetcher.keeper.usable or not describes(ref, body):
        return
    from docfetch.engine.validate import check_body

    try:
        with area.file(fetcher.cache.staging_dir(), f"{ref.stem}.json") as staged:
            staged.handle.write(body)
            staged.handle.flush()
            check_body(Path(staged.path), "json", url)
            fetcher.cache.store(ref, "json", staged, etag, area)
    except (OSError, DocfetchError):
        return
