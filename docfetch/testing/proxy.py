"""ForwardProxy: a local HTTP proxy for which every host name resolves to a FakeWeb.

``CONNECT any-host:443`` opens a TCP tunnel to the FakeWeb HTTPS port (TLS stays end to end,
so the client checks a certificate for the name it asked); an absolute-URI request
(``GET http://www.ietf.org/rfc/rfc791.txt``) is forwarded to the FakeWeb HTTP port with its
Host. Point a client at it with ``HTTPS_PROXY``/``HTTP_PROXY=http://127.0.0.1:PORT``.

``ForwardProxy(web, auth=("user", "password"))`` is a proxy that wants Basic credentials: a
request or ``CONNECT`` without them (or with others) gets ``407 Proxy Authentication Required``,
as a corporate proxy answers a client that was not given the credentials.
"""

from __future__ import annotations

import base64
import http.client
import select
import socket
import threading
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from docfetch.testing._handler import QuietHandler
from docfetch.testing.server import FakeWeb

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authorization",
        "proxy-authenticate",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)


@dataclass(frozen=True)
class ProxyRecord:
    """One request the proxy received: ``CONNECT www.ietf.org:443`` or ``GET http://...``."""

    method: str
    target: str


class _ProxyHandler(QuietHandler):
    server_version = "FakeProxy"

    def _authorized(self) -> bool:
        """True when no credentials are wanted or the right ones came; else a 407 is sent."""
        proxy: ForwardProxy = self.server.proxy
        if proxy.auth is None:
            return True
        user, password = proxy.auth
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        if self.headers.get("Proxy-Authorization", "") == expected:
            return True
        body = b"407 Proxy Authentication Required\n"
        self.send_response(407, "Proxy Authentication Required")
        self.send_header("Proxy-Authenticate", 'Basic realm="fake proxy"')
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True
        return False

    def do_CONNECT(self) -> None:
        proxy: ForwardProxy = self.server.proxy
        proxy._record(ProxyRecord("CONNECT", self.path))
        if not self._authorized():
            return
        port = self.path.rpartition(":")[2]
        self.close_connection = True
        try:
            upstream = socket.create_connection(("127.0.0.1", proxy._port_for(port, tls=True)), timeout=10)
        except OSError:
            self._error(502, "cannot reach the fake web")
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        _relay(self.connection, upstream)

    def do_GET(self) -> None:
        proxy: ForwardProxy = self.server.proxy
        proxy._record(ProxyRecord(self.command, self.path))
        if not self._authorized():
            return
        parts = urlsplit(self.path)
        if parts.scheme != "http" or not parts.netloc:
            self._error(400, "absolute http:// URI expected")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["Host"] = parts.netloc
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn = http.client.HTTPConnection("127.0.0.1", proxy._port_for(str(parts.port or 80), tls=False), timeout=60)
        try:
            conn.request(self.command, target, body=body, headers=headers)
            resp = conn.getresponse()
        except (OSError, http.client.HTTPException):
            conn.close()
            self._error(502, "the fake web dropped the connection")
            return
        try:
            self._relay_response(resp)
        finally:
            conn.close()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_GET

    def _relay_response(self, resp: http.client.HTTPResponse) -> None:
        """Stream the upstream answer back; keep the client connection only if it ended cleanly."""
        self.send_response_only(resp.status, resp.reason)
        length = resp.getheader("Content-Length")
        for name, value in resp.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        bodyless = self.command == "HEAD" or resp.status in (204, 304) or resp.status < 200
        if length is None and not bodyless:
            self.send_header("Connection", "close")
        self.end_headers()
        if bodyless:
            return
        expected = int(length) if length is not None else None
        sent = 0
        while True:
            try:
                chunk = resp.read1(64 * 1024) if expected is None or sent < expected else b""
            except (OSError, http.client.HTTPException):
                chunk = b""
            if not chunk:
                break
            self.wfile.write(chunk)
            sent += len(chunk)
        if expected is not None and sent < expected:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)

    def _error(self, status: int, text: str) -> None:
        body = f"{status} {text}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True


def _relay(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""
    a.settimeout(None)
    b.settimeout(None)
    socks = [a, b]
    try:
        while True:
            readable, _, broken = select.select(socks, [], socks, 60)
            if broken or not readable:
                return
            for src in readable:
                data = src.recv(64 * 1024)
                if not data:
                    return
                (b if src is a else a).sendall(data)
    except OSError:
        return
    finally:
        b.close()


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, proxy: ForwardProxy) -> None:
        self.proxy = proxy
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up are expected: stay quiet."""


class ForwardProxy:
    """A forward proxy on 127.0.0.1 that sends every host to ``web``; logs what it was asked."""

    def __init__(self, web: FakeWeb, *, auth: tuple[str, str] | None = None) -> None:
        """``auth``: the (user, password) the proxy wants (Basic), else none."""
        self.web = web
        self.auth = auth
        self._lock = threading.Lock()
        self._log: list[ProxyRecord] = []
        self._server: _ProxyServer | None = None

    def start(self) -> ForwardProxy:
        """Start serving; returns self."""
        if self._server is None:
            self._server = _ProxyServer(self)
            threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fakeproxy", daemon=True
            ).start()
            self.web.proxies.append(self)
        return self

    def close(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self in self.web.proxies:
            self.web.proxies.remove(self)

    def __enter__(self) -> ForwardProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def port(self) -> int:
        """The port the proxy listens on."""
        if self._server is None:
            raise RuntimeError("ForwardProxy is not started")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, for ``HTTPS_PROXY``/``HTTP_PROXY`` or ``proxies=``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def records(self) -> list[ProxyRecord]:
        """A copy of the log, oldest first."""
        with self._lock:
            return list(self._log)

    @property
    def targets(self) -> list[str]:
        """What was asked, e.g. ``["www.ietf.org:443", "http://www.ietf.org/rfc/rfc791.txt"]``."""
        return [r.target for r in self.records]

    def clear(self) -> None:
        """Forget the log."""
        with self._lock:
            self._log.clear()

    def _record(self, record: ProxyRecord) -> None:
        with self._lock:
            self._log.append(record)

    def _port_for(self, port: str, *, tls: bool) -> int:
        """The FakeWeb port behind a requested port: 80 and plain requests go to HTTP, the rest to TLS."""
        if not tls or port in ("80", str(self.web.http_port)):
            return self.web.http_port
        return self.web.https_port
