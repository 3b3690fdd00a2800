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

Only a plain ``200`` with a body of at most :data:`MAX_SIZE` bytes (identity or gzip) is kept;
a redirect, an error or anything else simply means no note this time.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docfetch.reference import Reference
from docfetch.store.layout import cache_root, document_path

if TYPE_CHECKING:
    from docfetch.engine.fetcher import Fetcher, FetchOptions
    from docfetch.engine.staging import StagingArea
    from docfetch.store.cache import Cache
    from docfetch.store.redirects import RedirectMemory

#: Runs of more RFCs than this ask for no metadata (bulk runs get notes once the index database exists).
MAX_RFCS = 8
#: Seconds to wait for the metadata server (the requests run in the background, and are never waited for).
TIMEOUT = 5.0
#: The largest per-RFC JSON kept, decoded, in bytes (the real ones are about 1 KB).
MAX_SIZE = 256 * 1024
#: Redirects followed for it, at most (as the HTTP layer).
MAX_REDIRECTS = 10


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

        getter = _Getter(None if fetcher.options.refresh else fetcher.redirects)
        try:
            for number in numbers:
                ref = Reference("rfc", str(number))
                urls = first_urls(fetcher, [ref], limit=1, fmt="json")
                if self.area.cancelled:
                    return
                if urls and urls[0].startswith("https://"):
                    body = getter.get(urls[0])
                    if body is not None:
                        _keep(fetcher.cache, self.area, ref, body, getter.url, getter.etag)
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


class _Getter:
    """Small GETs on connections of :mod:`docfetch.net.preconnect`, one kept alive at a time.

    Redirects are followed (https only here, at most :data:`MAX_REDIRECTS`) but not learned:
    what the documents' own requests learn is all the run goes by, so a note never changes
    where a document is asked for.
    """

    def __init__(self, memory: RedirectMemory | None) -> None:
        self.memory = memory
        self.conn: Any = None
        self.netloc = ""
        self.etag: str | None = None
        self.url = ""

    def get(self, url: str) -> bytes | None:
        """The decoded body of a plain 200 for ``url`` (at most :data:`MAX_SIZE` bytes), else None."""
        from urllib.parse import urljoin

        shortcut = self.memory.shortcut(url) if self.memory is not None else None
        url = shortcut.url if shortcut is not None else url
        for _ in range(MAX_REDIRECTS + 1):
            response = self._ask(url)
            if response is None:
                return None
            location = response.getheader("Location")
            if response.status in (301, 302, 303, 307, 308) and location:
                target = urljoin(url, location)
                if not target.startswith("https://"):
                    return None  # only https here (the HTTP layer refuses https -> http anyway)
                response.read()  # the connection stays usable
                url = target
                continue
            self.url = url
            return self._body(response) if response.status == 200 else None
        return None

    def _ask(self, url: str) -> Any:
        """Send ``GET url`` (reusing the open connection when it is to the same host); the response."""
        from urllib.parse import urlsplit

        from docfetch.net.given_socket import GivenSocketConnection
        from docfetch.net.preconnect import PRECONNECTOR, user_agent

        parts = urlsplit(url)
        if self.conn is None or self.conn.sock is None or parts.netloc != self.netloc:
            self.close()
            sock, sent = PRECONNECTOR.connection(url)
            if sock is None:
                return None
            sock.settimeout(TIMEOUT)
            self.conn = GivenSocketConnection(parts.hostname or "", parts.port or 443, timeout=TIMEOUT)
            self.conn.sock = sock
            self.conn.already_sent = sent
            self.netloc = parts.netloc
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        agent = PRECONNECTOR.user_agent or user_agent()
        headers = {"User-Agent": agent, "Accept-Encoding": "gzip, deflate", "Accept": "*/*", "Connection": "keep-alive"}
        self.conn.request("GET", path, headers=headers)
        response = self.conn.getresponse()
        return response

    def _body(self, response: Any) -> bytes | None:
        raw = response.read(MAX_SIZE + 1)
        if len(raw) > MAX_SIZE:
            return None
        self.etag = response.getheader("ETag")
        encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
        if encoding == "identity":
            return bytes(raw)
        if encoding != "gzip":
            return None
        import zlib

        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        body = inflater.decompress(raw, MAX_SIZE + 1)
        return body if len(body) <= MAX_SIZE and inflater.eof else None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _keep(cache: Cache, area: StagingArea, ref: Reference, body: bytes, url: str, etag: str | None) -> None:
    """Check that ``body`` is JSON describing ``ref``, stage it and rename it into the cache."""
    import json

    from docfetch.knowledge.notes import normalised_doc_id

    data = json.loads(body.decode("utf-8-sig"))
    if not isinstance(data, dict) or normalised_doc_id(data.get("doc_id")) != f"RFC{ref.name}":
        return
    from docfetch.engine.validate import check_body

    with area.file(cache.staging_dir(), f"{ref.stem}.json") as staged:
        staged.handle.write(body)
        staged.handle.flush()
        check_body(Path(staged.path), "json", url)
        cache.store(ref, "json", staged, etag, area)
