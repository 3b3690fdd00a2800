"""The network: one requests session per run, retries, redirects, limits, streaming.

Imported only when a document really has to be fetched: a cached answer never pays for
``requests``. Bodies are streamed as decoded bytes (gzip is decoded even when the server
forces it unasked) into a file the caller provides; nothing here decodes text.
"""

from __future__ import annotations

import contextlib
import copy
import http.client
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import BinaryIO
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from docfetch._version import __version__
from docfetch.config import Settings
from docfetch.errors import FetchError, LocalError, NotFoundError, RefusedContentError
from docfetch.net.deadline import Deadline, document_budget
from docfetch.net.env_cache import EnvCachingSession
from docfetch.net.preconnect import ca_bundle
from docfetch.net.warm_pool import adopt
from docfetch.store.redirects import RedirectMemory

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


NO_SUCH_HOST = "host name could not be resolved"
NO_PROXY = "proxy refused or unreachable"
PROXY_AUTH = "proxy authentication required (407)"
#: Codings urllib3 decodes in every install; ``br`` and ``zstd`` only with their optional modules.
_INSTALL_FOR = {"br": "brotli", "zstd": "zstandard"}


def _undecodable(header: str | None) -> str | None:
    """The first coding in a Content-Encoding header that this install cannot decode, or None."""
    decodable = set(urllib3.response.HTTPResponse.CONTENT_DECODERS) | {"identity", ""}
    for coding in (header or "").split(","):
        coding = coding.strip().lower()
        if coding not in decodable:
            return coding
    return None


def _proxy_auth_message(url: str) -> str:
    """What to do about a 407: where the proxy credentials go (or that the ones given were refused)."""
    from urllib.request import getproxies

    scheme = urlsplit(url).scheme.lower()
    variable = "HTTPS_PROXY" if scheme == "https" else "HTTP_PROXY"
    proxies = getproxies()
    proxy = proxies.get(scheme) or proxies.get("all") or ""
    try:
        has_credentials = bool(urlsplit(proxy).username)
    except ValueError:
        has_credentials = False
    if has_credentials:
        return f"{PROXY_AUTH}: the proxy refused the user name or password given in {variable}"
    return f"{PROXY_AUTH}: put the credentials in {variable}, http://user:password@proxy:port"


class _Retry(Exception):
    """A failure worth another attempt; ``wait`` is the server's Retry-After, if any.

    ``truncated``: the body ended before its Content-Length (refused content, exit 5, if the
    last attempt ends that way); anything else is a network or server failure (exit 4).
    """

    def __init__(self, message: str, wait: float | None = None, *, truncated: bool = False) -> None:
        super().__init__(message)
        self.wait = wait
        self.truncated = truncated


class _Watchdog:
    """Cuts the connection of a response still streaming at the wall-clock deadline.

    The read timeout only bounds the silence between two packets: a server trickling one
    byte a second never trips it. Shutting the socket down from a timer thread wakes the
    blocked read, which then fails; ``fired`` tells that failure apart from the server's.
    """

    def __init__(self, response: requests.Response, seconds: float) -> None:
        self.fired = False
        self._response = response
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        shutdown = getattr(self._response.raw, "shutdown", None)  # urllib3 >= 2.3
        if shutdown is not None:
            with contextlib.suppress(OSError, ValueError, RuntimeError):
                shutdown()

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _clean(text: object, limit: int = 200) -> str:
    """Server-controlled text (reason phrases, Location headers) made safe for one stderr line."""
    value = str(text)[:limit]
    return value if value.isprintable() else value.encode("unicode_escape", "backslashreplace").decode("ascii")


def _is_truncation(exc: BaseException) -> bool:
    """True when ``exc`` (from requests/urllib3) says the body ended before its announced length."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, http.client.IncompleteRead):
            return True
        todo.extend(item.args)
        todo.extend((item.__cause__, item.__context__))
    return False


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
    unreachable = "Failed to establish a new connection" in text or "Connection refused" in text
    for marker in ("Caused by ", "Failed to establish a new connection: ", "(Caused by "):
        if marker in text:
            text = text.split(marker, 1)[1]
    text = text.strip("()'\" ")
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS certificate verification failed" if "CERTIFICATE_VERIFY_FAILED" in text else "TLS error"
    if isinstance(exc, requests.exceptions.ProxyError):
        if "407" in text:
            return PROXY_AUTH
        return NO_PROXY if unreachable else "connection through the proxy failed"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "server stopped sending (read timed out)"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        if _is_truncation(exc):
            return "body truncated: the connection closed before the announced length arrived"
        return "connection broken before the whole body arrived"
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return "body could not be decoded (bad gzip)"
    if isinstance(exc, requests.exceptions.ConnectionError):
        if "Read timed out" in text or "ReadTimeoutError" in text:
            return "server stopped sending (read timed out)"
        if "Name or service not known" in text or "NameResolutionError" in text or "getaddrinfo" in text:
            return NO_SUCH_HOST
        if "Connection refused" in text:
            return "connection refused"
        if "reset" in text.lower():
            return "connection reset"
        return "connection failed"
    return _clean(text.splitlines()[0]) if text else type(exc).__name__


class _OneContextAdapter(HTTPAdapter):
    """An adapter whose TLS context, CA certificates loaded, is built once per run.

    requests hands urllib3 the CA bundle path for every new connection, and urllib3 then
    parses the whole bundle again (25 to 45 ms each). Here the bundle chosen by the same
    rules as requests' (:func:`docfetch.net.preconnect.ca_bundle`) is loaded once into one context shared by direct
    and proxied connections alike.
    """

    def __init__(self, verify: str | bool, **kwargs: object) -> None:
        from docfetch.net.preconnect import PRECONNECTOR, make_context

        # Given the CA locations, create_default_context loads only those (not also the
        # system's default paths, which cost ~25 ms to scan); built ahead when preconnecting.
        self._context = PRECONNECTOR.context_for(verify) or make_context(verify)
        self._verify = verify
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]
        adopt(self.poolmanager)  # take connections opened ahead (docfetch.net.preconnect)

    def proxy_manager_for(self, proxy: str, **kwargs: object) -> object:
        kwargs["ssl_context"] = self._context
        return adopt(super().proxy_manager_for(proxy, **kwargs))

    def cert_verify(self, conn: object, url: str, verify: object, cert: object) -> None:
        super().cert_verify(conn, url, verify, cert)  # type: ignore[arg-type]
        if url.lower().startswith("https") and verify and verify in (True, self._verify):
            conn.ca_certs = None  # type: ignore[attr-defined]  # already in the shared context
            conn.ca_cert_dir = None  # type: ignore[attr-defined]


class HttpClient:
    """Downloads with one session, bounded retries, safe redirects and a decoded-size cap."""

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._clock = clock
        self.session = EnvCachingSession()  # the environment (proxies, CA variables) read once per host
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.verify = ca_bundle()
        adapter = _OneContextAdapter(self.session.verify, pool_connections=8, pool_maxsize=32, max_retries=0)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self._owns_session = True
        #: Where redirects seen are learned (see :mod:`docfetch.store.redirects`); None: nowhere.
        self.redirects: RedirectMemory | None = None

    def with_settings(self, settings: Settings) -> HttpClient:
        """A client with other limits (timeout, retries) over this one's session and TLS context.

        Closing it leaves the session open: its owner closes it.
        """
        twin = copy.copy(self)
        twin.settings = settings
        twin._owns_session = False
        return twin

    def close(self) -> None:
        if self._owns_session:
            self.session.close()

    # -- one attempt --------------------------------------------------------------------------

    def _out_of_time(self, url: str, deadline: Deadline, hops: int) -> FetchError:
        if hops:
            return FetchError(f"{_clean(url)}: gave up at the time limit while following redirects")
        return FetchError(f"{_clean(url)}: {self._too_slow(deadline)}")

    def _open(self, url: str, headers: dict[str, str], deadline: Deadline) -> requests.Response:
        """GET with redirects followed by hand: bounded, http(s) only, never https -> http.

        No request starts after the deadline and none waits past it: the connect and read
        timeouts are ``timeout``, or the time left when that is less. Redirects are remembered
        as HTTP allows (:mod:`docfetch.store.redirects`).
        """
        for hops in range(MAX_REDIRECTS + 1):
            missing = self.redirects.known_missing(url) if hops and self.redirects is not None else None
            if missing is not None:  # where a redirect leads said so a moment ago
                raise NotFoundError(f"{_clean(url)}: not found ({missing})")
            timeout = min(self.settings.timeout, deadline.at - self._clock())
            if timeout <= 0:
                raise self._out_of_time(url, deadline, hops)
            try:
                response = self.session.get(
                    url, headers=headers, stream=True, allow_redirects=False, timeout=(timeout, timeout)
                )
            except requests.exceptions.InvalidURL as exc:
                raise FetchError(f"invalid URL {_clean(url)}: {_clean(exc)}") from None
            except requests.exceptions.RequestException as exc:
                if self._clock() >= deadline.at:  # cut by the time left, not by the server
                    raise self._out_of_time(url, deadline, hops) from None
                reason = _short(exc)
                if reason == PROXY_AUTH:  # the same answer every time: say what to do, at once
                    raise FetchError(f"{_clean(url)}: {_proxy_auth_message(url)}") from None
                if reason in (NO_SUCH_HOST, NO_PROXY):  # offline or misconfigured: retries only make users wait
                    raise FetchError(f"{_clean(url)}: {reason}") from None
                raise _Retry(reason) from None
            except OSError as exc:  # e.g. REQUESTS_CA_BUNDLE naming a missing file
                raise FetchError(f"cannot set up the connection to {_clean(url)}: {exc}") from None
            if not response.is_redirect:
                self._served(url, response.status_code, hops == 0)
                return response
            target = urljoin(url, response.headers.get("Location", ""))
            response.close()
            scheme = urlsplit(target).scheme.lower()
            if scheme not in ("http", "https"):
                raise FetchError(f"{_clean(url)}: refused redirect to a non-HTTP location ({_clean(target)})")
            if urlsplit(url).scheme == "https" and scheme == "http":
                raise FetchError(f"{_clean(url)}: refused redirect from https down to http ({_clean(target)})")
            if self.redirects is not None:
                self.redirects.learn(url, response.status_code, response.headers, target)
            url = target
        raise FetchError(f"{_clean(url)}: too many redirects (more than {MAX_REDIRECTS})")

    def _served(self, url: str, status: int, first: bool) -> None:
        """``url`` answered for itself (a body, or that it does not exist): no redirect to remember."""
        if self.redirects is None:
            return
        if status in NOT_FOUND_STATUSES:
            self.redirects.missing(url, status)
        if first and (200 <= status < 300 or status in NOT_FOUND_STATUSES):
            self.redirects.served(url)

    def _attempt(self, url: str, sink: BinaryIO, etag: str | None, max_size: int, deadline: Deadline) -> Fetched:
        headers = {"If-None-Match": etag} if etag else {}
        response = self._open(url, headers, deadline)
        with response:
            status = response.status_code
            final = _clean(response.url or url)
            reason = _clean(response.reason or "", 80)
            if status == 304 and etag:
                return Fetched(final, 0, etag, None, not_modified=True)
            if status in NOT_FOUND_STATUSES:
                raise NotFoundError(f"{final}: not found ({status})")
            if status == 407:  # a plain-http request through a proxy that wants credentials
                raise FetchError(f"{final}: {_proxy_auth_message(final)}")
            if status in RETRY_STATUSES:
                raise _Retry(
                    f"server answered {status} {reason}".rstrip(), _retry_after(response.headers.get("Retry-After"))
                )
            if status != 200:
                raise FetchError(f"{final}: server answered {status} {reason}".rstrip())
            self._refuse_undecodable(response, final)
            self._refuse_announced_size(response, final, max_size)
            size = self._stream(response, sink, final, max_size, deadline)
            return Fetched(final, size, response.headers.get("ETag"), response.headers.get("Content-Type"))

    @staticmethod
    def _refuse_undecodable(response: requests.Response, final: str) -> None:
        """Refuse a body in a Content-Encoding this install cannot decode: its bytes are not the document."""
        coding = _undecodable(response.headers.get("Content-Encoding"))
        if coding is None:
            return
        module = _INSTALL_FOR.get(coding)
        why = f" (it needs the {module} module)" if module else ""
        raise RefusedContentError(
            f"{final}: the body is in a Content-Encoding docfetch cannot decode: {_clean(coding, 40)}{why}"
        )

    @staticmethod
    def _refuse_announced_size(response: requests.Response, final: str, max_size: int) -> None:
        """Refuse at once a body whose Content-Length (not compressed) is over the cap."""
        if response.headers.get("Content-Encoding", "identity").strip().lower() not in ("", "identity"):
            return  # the decoded size is only known by decoding
        announced = response.headers.get("Content-Length", "").strip()
        if announced.isdigit() and int(announced) > max_size:
            raise RefusedContentError(f"{final}: document larger than the {max_size} byte limit (see --max-size)")

    def _stream(
        self, response: requests.Response, sink: BinaryIO, final: str, max_size: int, deadline: Deadline
    ) -> int:
        """Copy the decoded body to ``sink`` in chunks: bounded memory, size cap, deadline."""
        sink.seek(0)
        sink.truncate()
        size = 0
        watchdog = _Watchdog(response, deadline.at - self._clock())
        try:
            with watchdog:
                for chunk in response.iter_content(CHUNK):
                    size += len(chunk)
                    if size > max_size:
                        raise RefusedContentError(
                            f"{final}: document larger than the {max_size} byte limit (see --max-size)"
                        )
                    try:
                        sink.write(chunk)
                    except OSError as exc:  # a full disk is local trouble, not the server's fault
                        raise LocalError(f"cannot write the download to disk: {exc.strerror or exc}") from None
                    if self._clock() > deadline.at:
                        raise _Retry(self._too_slow(deadline))
            if watchdog.fired:
                raise _Retry(self._too_slow(deadline))
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException) as exc:
            if watchdog.fired or self._clock() > deadline.at:
                raise _Retry(self._too_slow(deadline)) from None
            raise _Retry(_short(exc), truncated=_is_truncation(exc)) from None
        sink.flush()
        return size

    @staticmethod
    def _too_slow(deadline: Deadline) -> str:
        return f"too slow: the whole download did not finish within {deadline.seconds:g} s"

    # -- the retry loop -----------------------------------------------------------------------

    def download(
        self,
        url: str,
        sink: BinaryIO,
        *,
        max_size: int | None = None,
        etag: str | None = None,
        deadline: Deadline | None = None,
    ) -> Fetched:
        """Write the decoded body of ``url`` to ``sink`` (whole, or raise).

        At most ``retries + 1`` attempts, all before ``deadline``: the document's, shared by every
        source and location tried for it (made on this client's clock), else one of its own,
        ``timeout * (retries + 1) + retry_after_cap`` seconds from now. Raises NotFoundError
        (404/410), FetchError (network or server failure after the retries, or no time left),
        RefusedContentError (over the size cap, or a body still truncated at the last attempt).
        """
        limit = max_size or self.settings.max_size
        attempts = self.settings.retries + 1
        if deadline is None:
            deadline = Deadline(document_budget(self.settings), clock=self._clock)
        budget = deadline.seconds
        if self._clock() >= deadline.at:
            raise FetchError(f"{_clean(url)}: not tried: the {budget:g} s limit for this document was used up")
        last = _Retry("no attempt made")
        for attempt in range(attempts):
            try:
                return self._attempt(url, sink, etag, limit, deadline)
            except _Retry as failure:
                last = failure
                if attempt + 1 >= attempts:
                    break
                if failure.wait is not None and failure.wait > self.settings.retry_after_cap:
                    cap = self.settings.retry_after_cap
                    last = _Retry(f"{failure} (asked to retry after {failure.wait:.0f} s, more than the {cap:g} s cap)")
                    break
                backoff = min(BACKOFF_MAX, BACKOFF_BASE * 2**attempt) * (0.5 + random.random())
                wait = failure.wait if failure.wait is not None else backoff
                if self._clock() + wait > deadline.at:
                    last = _Retry(f"{failure} (no time left to retry within {budget:g} s)", truncated=failure.truncated)
                    break
                self._sleep(wait)
        if last.truncated:
            raise RefusedContentError(f"{_clean(url)}: {last}")
        raise FetchError(f"{_clean(url)}: {last}")
