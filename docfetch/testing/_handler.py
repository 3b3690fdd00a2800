"""The request handler behind :class:`~docfetch.testing.server.FakeWeb` (HTTP/1.1, keep-alive)."""

from __future__ import annotations

import contextlib
import gzip
import socket
import struct
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from docfetch.testing.faults import DEFAULT_HTML, Action, gzip_bomb
from docfetch.testing.server import RequestRecord, Resource, VirtualHost, guess_content_type

Headers = list[tuple[str, str]]


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison, as If-None-Match requires."""
    bare = etag.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == bare:
            return True
    return False


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 without Nagle delays or an access log; a client hanging up is not an error."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls on reused connections
    sys_version = ""
    timeout = 60
    server: Any

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log."""

    def handle(self) -> None:
        import http.client

        try:
            super().handle()
        except (OSError, ValueError, http.client.HTTPException):
            self.close_connection = True


class Handler(QuietHandler):
    """Dispatches on the Host header to the FakeWeb's virtual hosts."""

    server_version = "FakeWeb"
    record: RequestRecord

    def do_GET(self) -> None:
        self._dispatch()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_GET

    # -- dispatch --------------------------------------------------------------------------
    def _dispatch(self) -> None:
        web = self.server.web
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        host, path, query = self._target()
        self.scheme: str = self.server.scheme

        self.record = RequestRecord(self.scheme, host, self.command, path, query, dict(self.headers.items()))
        web._record(self.record)
        if web.latency:
            time.sleep(web.latency)
        vhost = web._lookup(host)
        action = web._take_fault(host, path)
        if action is not None and self._apply_fault(action, vhost or VirtualHost(host), path):
            return
        if vhost is None:
            self._send(502, f"FakeWeb: unknown virtual host {host!r}\n".encode(), [("Content-Type", "text/plain")])
            return
        self._answer(vhost, path, query, action)

    def _target(self) -> tuple[str, str, str]:
        """(host without port, path, query) from the request line and the Host header."""
        target = self.path
        host = self.headers.get("Host", "")
        if "://" in target:  # absolute-form, as sent to a proxy
            parts = urlsplit(target)
            host = parts.netloc or host
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
        if host.startswith("["):
            host = host[1 : host.find("]")]
        else:
            host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        path, _, query = target.partition("?")
        return host.lower().rstrip("."), path or "/", query

    def _answer(self, vhost: VirtualHost, path: str, query: str, action: Action | None) -> None:
        """The normal answer: https upgrade, file, redirect rule or 404."""
        host = vhost.name
        q = f"?{query}" if query else ""
        if vhost.https_only and self.scheme == "http":
            self._redirect(301, f"https://{host}{path}{q}")
            return
        res = vhost.files.get(path)
        if res is None:
            for rule in list(vhost.redirects):
                location = rule.resolve(self.scheme, host, path, query)
                if location is not None:
                    self._redirect(rule.status, location)
                    return
            self._body(vhost, 404, vhost.not_found_body, vhost.not_found_type, action=action)
            return
        if self.command not in ("GET", "HEAD"):
            self._send(405, b"Method Not Allowed\n", [("Allow", "GET, HEAD"), ("Content-Type", "text/plain")])
            return
        inm = self.headers.get("If-None-Match")
        if res.etag and inm and _etag_matches(inm, res.etag):
            self._send(304, b"", [("ETag", res.etag)])
            return
        self._body(vhost, 200, res.body, res.content_type, res, action)

    # -- faults ----------------------------------------------------------------------------
    def _apply_fault(self, action: Action, vhost: VirtualHost, path: str) -> bool:
        """Send the faulty answer; False when the normal answer should follow (maybe cut)."""
        fault = action.fault
        if fault.delay:
            time.sleep(fault.delay)
        if fault.reset:
            self._reset()
            return True
        if action.status is not None and action.status != 200:
            phrase = _phrase(action.status)
            headers: Headers = [("Content-Type", "text/plain;charset=utf-8")]
            if fault.retry_after is not None:
                headers.append(("Retry-After", str(fault.retry_after)))
            self._body(vhost, action.status, f"{action.status} {phrase}\n".encode(), None, extra=headers)
            return True
        if fault.raw is not None:
            raw = fault.raw
            headers = list(raw.headers.items())
            if raw.content_type:
                headers.append(("Content-Type", raw.content_type))
            self._send(raw.status, raw.body, headers)
            return True
        if fault.redirect is not None:
            self._redirect(fault.redirect_status, fault.redirect)
            return True
        if fault.html_instead:
            page = fault.html_instead if isinstance(fault.html_instead, bytes) else DEFAULT_HTML
            self._body(vhost, 200, page, "text/html;charset=utf-8", action=action)
            return True
        if fault.empty:
            self._send(200, b"", [("Content-Type", guess_content_type(path))])
            return True
        if fault.gzip_bomb is not None:
            headers = [("Content-Type", guess_content_type(path)), ("Content-Encoding", "gzip")]
            self._send(200, gzip_bomb(fault.gzip_bomb), headers)
            return True
        return False

    def _reset(self) -> None:
        """Drop the connection with a TCP RST and no response."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    # -- sending ---------------------------------------------------------------------------
    def _redirect(self, status: int, location: str) -> None:
        self._send(status, b"", [("Location", location)])

    def _body(
        self,
        vhost: VirtualHost,
        status: int,
        body: bytes,
        content_type: str | None,
        res: Resource | None = None,
        action: Action | None = None,
        extra: Headers | None = None,
    ) -> None:
        """Send a body, gzipped when the host forces it, cut or stalled when a fault says so."""
        headers: Headers = list(extra or [])
        if content_type:
            headers.append(("Content-Type", content_type))
        if res is not None:
            if res.etag:
                headers.append(("ETag", res.etag))
            headers.extend(res.headers.items())
        claimed = action.fault.content_encoding if action is not None else None
        if claimed is not None:
            headers.append(("Content-Encoding", claimed))
        elif vhost.forced_gzip and body:
            body = res.gzipped() if res is not None else gzip.compress(body, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        self._send(status, body, headers, action)

    def _send(self, status: int, body: bytes, headers: Headers, action: Action | None = None) -> None:
        self.record.status = status
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        no_body = status in (204, 304) or status < 200
        if not no_body:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if no_body or self.command == "HEAD" or not body:
            return
        fault = action.fault if action else None
        if fault is not None and fault.truncate is not None:
            keep = fault.truncate if 0 <= fault.truncate < len(body) else len(body) // 2
            self.wfile.write(body[:keep])
            self._hang_up()
            return
        if fault is not None and fault.trickle is not None:
            wake = self.server.web._wake_event()
            for index in range(len(body)):
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                if wake.wait(fault.trickle):
                    self._hang_up()
                    return
            return
        if fault is not None and fault.stall is not None:
            part = fault.stall_after if fault.stall_after is not None else len(body) // 2
            self.wfile.write(body[:part])
            self.wfile.flush()
            if self.server.web._wake_event().wait(fault.stall):
                self._hang_up()
                return
            self.wfile.write(body[part:])
            return
        self.wfile.write(body)

    def _hang_up(self) -> None:
        """Close after a short body: the client sees EOF before Content-Length is reached."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Status"
