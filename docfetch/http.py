"""The network: one requests session per run, retries, redirects, limits, streaming.

Imported only when a document really has to be fetched: a cached answer never pays for
``requests``. Bodies are streamed as decoded bytes (gzip is decoded even when the server
forces it unasked) into a file the caller provides; nothing here decodes text.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import BinaryIO
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

from docfetch._version import __version__
from docfetch.config import Settings
from docfetch.errors import FetchError, NotFoundError, RefusedContentError

CHUNK = 64 * 1024
MAX_REDIRECTS = 10
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
NOT_FOUND_STATUSES = frozenset({404, 410})
BACKOFF_BASE = 0.5
BACKOFF_MAX = 8.0
USER_AGENT = f"docfetch/{__version__} (+https://pypi.org/project/docfetch/) requests/{requests.__version__}"


@dataclass
class Fetched:
    """What the server said about a body that was written whole to the sink."""

    url: str
    size: int
    etag: str | None = None
    content_type: str | None = None
    not_modified: bool = False


class _Retry(Exception):
    """A failure worth another attempt; ``wait`` is the server's Retry-After, if any."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


def _ca_bundle() -> str | bool:
    """The CA bundle to trust: requests' own variables win, then OpenSSL's, then certifi."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        value = os.environ.get(name)
        if value and os.path.exists(value):
            return value
    return True


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _short(exc: BaseException) -> str:
    """A one-line reason for a requests/urllib3 exception, without nested reprs."""
    text = str(exc)
    for marker in ("Caused by ", "Failed to establish a new connection: ", "(Caused by "):
        if marker in text:
            text = text.split(marker, 1)[1]
    text = text.strip("()'\" ")
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS certificate verification failed" if "CERTIFICATE_VERIFY_FAILED" in text else "TLS error"
    if isinstance(exc, requests.exceptions.ProxyError):
        return "proxy refused or unreachable"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "server stopped sending (read timed out)"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "connection broken before the whole body arrived"
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return "body could not be decoded (bad gzip)"
    if isinstance(exc, requests.exceptions.ConnectionError):
        if "Name or service not known" in text or "NameResolutionError" in text or "getaddrinfo" in text:
            return "host name could not be resolved"
        if "Connection refused" in text:
            return "connection refused"
        if "reset" in text.lower():
            return "connection reset"
        return "connection failed"
    return text.splitlines()[0][:200] if text else type(exc).__name__


class HttpClient:
    """Downloads with one session, bounded retries, safe redirects and a decoded-size cap."""

    def __init__(self, settings: Settings, *, sleep=time.sleep, clock=time.monotonic) -> None:
        self.settings = settings
        self._sleep = sleep
        self._clock = clock
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.verify = _ca_bundle()
        adapter = HTTPAdapter(pool_connections=8, pool_maxsize=32, max_retries=0)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)

    def close(self) -> None:
        self.session.close()

    # -- one attempt --------------------------------------------------------------------------

    def _open(self, url: str, headers: dict[str, str], deadline: float) -> requests.Response:
        """GET with redirects followed by hand: bounded, http(s) only, never https -> http."""
        timeout = self.settings.timeout
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = self.session.get(
                    url, headers=headers, stream=True, allow_redirects=False, timeout=(timeout, timeout)
                )
            except requests.exceptions.InvalidURL as exc:
                raise FetchError(f"invalid URL {url}: {exc}") from None
            except requests.exceptions.RequestException as exc:
                raise _Retry(_short(exc)) from None
            except OSError as exc:  # e.g. REQUESTS_CA_BUNDLE naming a missing file
                raise FetchError(f"cannot set up the connection to {url}: {exc}") from None
            if not response.is_redirect:
                return response
            target = urljoin(url, response.headers.get("Location", ""))
            response.close()
            scheme = urlsplit(target).scheme.lower()
            if scheme not in ("http", "https"):
                raise FetchError(f"{url}: refused redirect to a non-HTTP location ({scheme or 'none'})")
            if urlsplit(url).scheme == "https" and scheme == "http":
                raise FetchError(f"{url}: refused redirect from https down to http ({target})")
            if self._clock() > deadline:
                raise FetchError(f"{url}: gave up after {self.settings.timeout:g} s")
            url = target
        raise FetchError(f"{url}: too many redirects (more than {MAX_REDIRECTS})")

    def _attempt(self, url: str, sink: BinaryIO, etag: str | None, max_size: int, deadline: float) -> Fetched:
        headers = {"If-None-Match": etag} if etag else {}
        response = self._open(url, headers, deadline)
        with response:
            status = response.status_code
            final = response.url or url
            if status == 304 and etag:
                return Fetched(final, 0, etag, None, not_modified=True)
            if status in NOT_FOUND_STATUSES:
                raise NotFoundError(f"{final}: not found ({status})")
            if status in RETRY_STATUSES:
                raise _Retry(
                    f"server answered {status} {response.reason or ''}".rstrip(),
                    _retry_after(response.headers.get("Retry-After")),
                )
            if status != 200:
                raise FetchError(f"{final}: server answered {status} {response.reason or ''}".rstrip())
            sink.seek(0)
            sink.truncate()
            size = 0
            try:
                for chunk in response.iter_content(CHUNK):
                    size += len(chunk)
                    if size > max_size:
                        raise RefusedContentError(
                            f"{final}: document larger than the {max_size} byte limit (see --max-size)"
                        )
                    sink.write(chunk)
                    if self._clock() > deadline:
                        raise _Retry("too slow, gave up at the time limit")
            except requests.exceptions.RequestException as exc:
                raise _Retry(_short(exc)) from None
            sink.flush()
            return Fetched(final, size, response.headers.get("ETag"), response.headers.get("Content-Type"))

    # -- the retry loop -----------------------------------------------------------------------

    def download(self, url: str, sink: BinaryIO, *, max_size: int | None = None, etag: str | None = None) -> Fetched:
        """Write the decoded body of ``url`` to ``sink`` (whole, or raise).

        Raises NotFoundError (404/410), FetchError (network or server failure after the
        retries), RefusedContentError (over the size cap).
        """
        limit = max_size or self.settings.max_size
        attempts = self.settings.retries + 1
        budget = self.settings.timeout * attempts + self.settings.retry_after_cap
        deadline = self._clock() + budget
        last = "no attempt made"
        for attempt in range(attempts):
            try:
                return self._attempt(url, sink, etag, limit, deadline)
            except _Retry as failure:
                last = str(failure)
                if attempt + 1 >= attempts:
                    break
                if failure.wait is not None and failure.wait > self.settings.retry_after_cap:
                    cap = self.settings.retry_after_cap
                    last += f" (asked to retry after {failure.wait:.0f} s, more than the {cap:g} s cap)"
                    break
                backoff = min(BACKOFF_MAX, BACKOFF_BASE * 2**attempt) * (0.5 + random.random())
                wait = failure.wait if failure.wait is not None else backoff
                if self._clock() + wait > deadline:
                    break
                self._sleep(wait)
        raise FetchError(f"{url}: {last}")
