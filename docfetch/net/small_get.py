"""Small GETs with the standard library, on connections :mod:`docfetch.net.preconnect` opened.

For the core's own small metadata (the per-RFC JSON behind a note or ``docfetch info``), which
would otherwise wait for ``requests`` to load: the request often left before it could (sent
early on a connection opened ahead), and the answer is read with ``http.client``. Plain
``200`` answers of at most :data:`MAX_SIZE` bytes, identity or gzip, over https; redirects are
followed (https only, at most :data:`MAX_REDIRECTS`) but not learned. Anything else is a
``None`` for the caller, who may ask the HTTP layer instead (retries, proxies of every kind,
error messages).
"""

from __future__ import annotations

import http.client
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docfetch.store.redirects import RedirectMemory

#: The largest body accepted, decoded, in bytes (a per-RFC JSON is about 1 KB).
MAX_SIZE = 256 * 1024
#: Redirects followed, at most (as the HTTP layer).
MAX_REDIRECTS = 10
REDIRECTS = frozenset({301, 302, 303, 307, 308})


class GivenSocketConnection(http.client.HTTPConnection):
    """HTTP/1.1 over the socket put in ``sock`` (TLS already done, through a proxy or not).

    ``already_sent``: the first request made is on the wire already (sent early by the
    preconnector): it is recorded as sent, and nothing is written. It never opens a
    connection of its own: once the given socket is closed, requests fail with OSError.
    """

    already_sent = False

    def connect(self) -> None:
        """Never a connection of its own: the given socket was closed."""
        raise OSError("the connection was closed")

    def send(self, data: Any) -> None:
        """Write ``data``, unless the request is on the wire already."""
        if not self.already_sent:
            super().send(data)

    def getresponse(self) -> http.client.HTTPResponse:
        """The answer to the request made (sent now or early); the next one is written."""
        self.already_sent = False
        return super().getresponse()


class SmallGetter:
    """Small GETs, one connection kept alive at a time; ``status`` and ``etag`` of the last answer.

    ``memory``: where the URLs lead by the redirects learned so far (looked up, never taught).
    """

    def __init__(self, memory: RedirectMemory | None, *, timeout: float) -> None:
        self.memory = memory
        self.timeout = timeout
        self.conn: GivenSocketConnection | None = None
        self.netloc = ""
        self.url = ""
        self.status: int | None = None
        self.etag: str | None = None

    def get(self, url: str) -> bytes | None:
        """The decoded body of a plain 200 for the ``https://`` ``url``, else None (see ``status``)."""
        from urllib.parse import urljoin

        self.status = None
        shortcut = self.memory.shortcut(url) if self.memory is not None else None
        url = shortcut.url if shortcut is not None else url
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = self._ask(url)
            except (OSError, http.client.HTTPException):
                self.close()
                return None
            if response is None:
                return None
            self.status = response.status
            location = response.getheader("Location")
            if response.status in REDIRECTS and location:
                response.read()  # the connection stays usable
                url = urljoin(url, location)
                if not url.startswith("https://"):
                    return None
                continue
            self.url = url
            try:
                if response.status != 200:
                    response.read(MAX_SIZE)  # a small error body: the connection stays usable
                    return None
                return self._body(response)
            except (OSError, http.client.HTTPException):
                self.close()
                return None
        return None

    def _ask(self, url: str) -> http.client.HTTPResponse | None:
        """Send ``GET url`` (on the open connection when it is to the same host); the response."""
        from urllib.parse import urlsplit

        from docfetch.net.preconnect import PRECONNECTOR, user_agent

        parts = urlsplit(url)
        if self.conn is None or self.conn.sock is None or parts.netloc != self.netloc:
            self.close()
            sock, sent = PRECONNECTOR.connection(url)
            if sock is None:
                return None
            sock.settimeout(self.timeout)
            self.conn = GivenSocketConnection(parts.hostname or "", parts.port or 443, timeout=self.timeout)
            self.conn.sock = sock
            self.conn.already_sent = sent
            self.netloc = parts.netloc
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        agent = PRECONNECTOR.user_agent or user_agent()
        headers = {"User-Agent": agent, "Accept-Encoding": "gzip, deflate", "Accept": "*/*", "Connection": "keep-alive"}
        self.conn.request("GET", path, headers=headers)
        return self.conn.getresponse()

    def _body(self, response: http.client.HTTPResponse) -> bytes | None:
        raw = response.read(MAX_SIZE + 1)
        if len(raw) > MAX_SIZE or (not response.isclosed() and response.length):
            return None
        self.etag = response.getheader("ETag")
        encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
        if encoding == "identity":
            return bytes(raw)
        if encoding != "gzip":
            return None
        import zlib

        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(raw, MAX_SIZE + 1)
        except zlib.error:
            return None
        return body if len(body) <= MAX_SIZE and inflater.eof else None

    def close(self) -> None:
        """Close the connection kept alive, if any."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
