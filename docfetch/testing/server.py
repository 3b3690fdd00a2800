"""FakeWeb: virtual hosts served by real local HTTP and HTTPS servers (stdlib ``http.server``).

One :class:`FakeWeb` holds every virtual host (``www.rfc-editor.org``, ``127.0.0.1``...), their
files, redirect rules and injected faults. :meth:`FakeWeb.start` runs two threaded servers on
ephemeral ports of 127.0.0.1, plain HTTP and HTTPS, that dispatch on the ``Host`` header. Reach
a named host through :class:`~docfetch.testing.proxy.ForwardProxy` (every name resolves to this
web) or serve files under the host ``127.0.0.1`` and use :meth:`FakeWeb.local_url`.
"""

from __future__ import annotations

import contextlib
import copy
import gzip
import hashlib
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import PurePosixPath
from typing import Any

from docfetch.testing.faults import Fault
from docfetch.testing.tls import LocalCA

#: Content types by extension, as the RFC Editor serves them.
CONTENT_TYPES = {
    "txt": "text/plain;charset=utf-8",
    "json": "application/json;charset=utf-8",
    "xml": "application/xml;charset=utf-8",
    "html": "text/html;charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv;charset=utf-8",
    "xsd": "application/xml;charset=utf-8",
    "gz": "application/gzip",
}

DEFAULT_404_HTML = (
    b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
    b"<body><h1>Not Found</h1><p>The requested page could not be found.</p></body></html>\n"
)


def guess_content_type(path: str) -> str:
    """The content type for ``path`` by its extension (``application/octet-stream`` if unknown)."""
    suffix = PurePosixPath(path).suffix.lstrip(".").lower()
    return CONTENT_TYPES.get(suffix, "application/octet-stream")


def make_etag(body: bytes) -> str:
    """A strong ETag: a quoted prefix of the body's SHA-256."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@dataclass
class Resource:
    """A file served at one path of a virtual host."""

    body: bytes
    content_type: str
    etag: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    _gzipped: bytes | None = field(default=None, repr=False, compare=False)

    def gzipped(self) -> bytes:
        """The body gzip-compressed (computed once)."""
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped


@dataclass
class RedirectRule:
    """Redirect paths starting with ``match`` (a prefix string) or matching it (a compiled regex).

    ``target`` is a ``str.format`` template with ``{rest}`` (the path after the prefix or the regex
    match, plus the query), ``{path}`` (whole path and query), ``{query}``, ``{host}``, ``{scheme}``
    and the regex's named groups. ``scheme`` limits the rule to ``"http"`` or ``"https"`` requests.
    """

    match: str | re.Pattern[str]
    target: str
    status: int = 301
    scheme: str | None = None
    name: str | None = None

    def resolve(self, scheme: str, host: str, path: str, query: str) -> str | None:
        """The Location for this request, or ``None`` when the rule does not apply."""
        if self.scheme is not None and self.scheme != scheme:
            return None
        groups: dict[str, str] = {}
        if isinstance(self.match, str):
            if not path.startswith(self.match):
                return None
            rest = path[len(self.match) :]
        else:
            m = self.match.match(path)
            if m is None:
                return None
            rest = path[m.end() :]
            groups = {k: v or "" for k, v in m.groupdict().items()}
        q = f"?{query}" if query else ""
        return self.target.format(rest=rest + q, path=path + q, query=q, host=host, scheme=scheme, **groups)


@dataclass
class VirtualHost:
    """One host name's options, files and redirect rules.

    ``forced_gzip``: every non-empty body goes out ``Content-Encoding: gzip`` whatever the client
    asked. ``https_only``: plain-HTTP requests get a 301 to the same https URL.
    """

    name: str
    forced_gzip: bool = False
    https_only: bool = False
    not_found_body: bytes = DEFAULT_404_HTML
    not_found_type: str = "text/html;charset=utf-8"
    files: dict[str, Resource] = field(default_factory=dict)
    redirects: list[RedirectRule] = field(default_factory=list)


@dataclass
class RequestRecord:
    """One request as the fake web received it, and the status it was answered with.

    ``status`` is None until the answer is sent, and stays None for a connection dropped
    without an answer (a ``reset`` fault).
    """

    scheme: str
    host: str
    method: str
    path: str
    query: str
    headers: dict[str, str]
    time: float = field(default_factory=time.time)
    status: int | None = None

    @property
    def url(self) -> str:
        """The URL the client asked for."""
        return f"{self.scheme}://{self.host}{self.path}" + (f"?{self.query}" if self.query else "")

    def header(self, name: str) -> str | None:
        """A request header, looked up case-insensitively."""
        name = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == name), None)


@dataclass
class Snapshot:
    """Saved hosts, files and rules of a :class:`FakeWeb` (see :meth:`FakeWeb.snapshot`)."""

    hosts: dict[str, VirtualHost]


class _Server(ThreadingHTTPServer):
    """A threaded HTTP server that may wrap each connection in TLS in its own thread."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, web: FakeWeb, scheme: str, tls: Any = None) -> None:
        from docfetch.testing._handler import Handler

        self.web = web
        self.scheme = scheme
        self.tls = tls
        self.connections: set[Any] = set()
        self.conn_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.tls is not None:
            try:
                request.settimeout(10)
                request = self.tls.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except OSError:
                request.close()
                return
        with self.conn_lock:
            self.connections.add(request)
        try:
            self.RequestHandlerClass(request, client_address, self)  # type: ignore[arg-type]
        finally:
            with self.conn_lock:
                self.connections.discard(request)
            if self.tls is not None:
                _quiet_close(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Connection errors are part of the game: stay quiet."""

    def close_connections(self) -> None:
        """Abort every connection still open (keep-alive, stalled)."""
        with self.conn_lock:
            conns = list(self.connections)
        for conn in conns:
            _quiet_close(conn)


def _copy_hosts(hosts: dict[str, VirtualHost]) -> dict[str, VirtualHost]:
    """Copy hosts deeply enough that adding or removing files and rules does not leak."""
    result = {}
    for name, vhost in hosts.items():
        dup = copy.copy(vhost)
        dup.files = dict(vhost.files)
        dup.redirects = [copy.copy(r) for r in vhost.redirects]
        result[name] = dup
    return result


def _quiet_close(sock: Any) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


class FakeWeb:
    """Virtual hosts on two real local servers (HTTP and HTTPS), with faults and a request log."""

    def __init__(self, ca: LocalCA | None = None, *, https: bool = True) -> None:
        self._ca = ca
        self._want_https = https
        self._lock = threading.RLock()
        self._hosts: dict[str, VirtualHost] = {}
        self._faults: dict[tuple[str, str | None], Fault] = {}
        self._log: list[RequestRecord] = []
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []
        self._wake = threading.Event()
        self.proxies: list[Any] = []
        #: Seconds slept before every response (imitates a far server).
        self.latency: float = 0.0

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeWeb:
        """Start the HTTP (and HTTPS) servers; returns self."""
        if self._servers:
            return self
        self._servers.append(_Server(self, "http"))
        if self._want_https:
            tls = self.ca.server_context(list(self._hosts))
            tls.sni_callback = self._sni
            self._servers.append(_Server(self, "https", tls))
        for srv in self._servers:
            t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            t.name = f"fakeweb-{srv.scheme}"
            t.start()
            self._threads.append(t)
        return self

    def close(self) -> None:
        """Stop the servers and drop every open connection."""
        self._wake.set()
        for srv in self._servers:
            srv.shutdown()
            srv.server_close()
            srv.close_connections()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> FakeWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _sni(self, sslobj: Any, server_name: str | None, ctx: Any) -> None:
        """Give each TLS client a certificate for the name it asked (any name works)."""
        if server_name:
            sslobj.context = self.ca.server_context([server_name])

    @property
    def ca(self) -> LocalCA:
        """The CA that signed the HTTPS certificates (created on first use)."""
        with self._lock:
            if self._ca is None:
                self._ca = LocalCA()
            return self._ca

    @property
    def ca_path(self) -> str:
        """Path of the CA certificate PEM (``verify=`` / ``REQUESTS_CA_BUNDLE``)."""
        return str(self.ca.path)

    def _server(self, scheme: str) -> _Server:
        for srv in self._servers:
            if srv.scheme == scheme:
                return srv
        raise RuntimeError(f"FakeWeb has no running {scheme} server (call start())")

    @property
    def http_port(self) -> int:
        """Port of the plain-HTTP server."""
        return self._server("http").server_address[1]

    @property
    def https_port(self) -> int:
        """Port of the HTTPS server."""
        return self._server("https").server_address[1]

    def local_url(self, path: str = "/", scheme: str = "http") -> str:
        """``scheme://127.0.0.1:PORT/path``: reaches the virtual host ``127.0.0.1`` directly."""
        port = self.http_port if scheme == "http" else self.https_port
        return f"{scheme}://127.0.0.1:{port}/{path.lstrip('/')}"

    # -- content ---------------------------------------------------------------------------
    def host(self, name: str, **options: Any) -> VirtualHost:
        """Create or update the virtual host ``name`` (options: the :class:`VirtualHost` fields)."""
        name = name.lower()
        with self._lock:
            vhost = self._hosts.get(name)
            if vhost is None:
                vhost = self._hosts[name] = VirtualHost(name)
            for key, value in options.items():
                if key not in VirtualHost.__dataclass_fields__ or key in ("name", "files", "redirects"):
                    raise TypeError(f"unknown virtual host option {key!r}")
                setattr(vhost, key, value)
            return vhost

    def hosts(self) -> list[str]:
        """Names of every virtual host."""
        with self._lock:
            return sorted(self._hosts)

    def add_file(
        self,
        host: str,
        path: str,
        body: bytes,
        content_type: str | None = None,
        etag: bool | str = True,
        headers: dict[str, str] | None = None,
    ) -> Resource:
        """Serve ``body`` at ``path`` of ``host`` (content type guessed from the extension)."""
        if not path.startswith("/"):
            raise ValueError(f"path must start with '/': {path!r}")
        tag = make_etag(body) if etag is True else (etag or None)
        if tag and not tag.startswith(('"', 'W/"')):
            tag = f'"{tag}"'
        res = Resource(bytes(body), content_type or guess_content_type(path), tag, dict(headers or {}))
        with self._lock:
            self.host(host).files[path] = res
        return res

    def remove_file(self, host: str, path: str) -> bool:
        """Stop serving ``path``; True if it was there."""
        with self._lock:
            vhost = self._hosts.get(host.lower())
            return vhost is not None and vhost.files.pop(path, None) is not None

    def file(self, host: str, path: str) -> Resource | None:
        """The resource served at ``path`` of ``host``, if any."""
        vhost = self._hosts.get(host.lower())
        return vhost.files.get(path) if vhost else None

    def add_redirect(
        self,
        host: str,
        match: str | re.Pattern[str],
        target: str,
        status: int = 301,
        *,
        scheme: str | None = None,
        name: str | None = None,
    ) -> RedirectRule:
        """Redirect requests matching ``match`` (prefix or regex) to ``target`` (see RedirectRule)."""
        rule = RedirectRule(match, target, status, scheme, name)
        with self._lock:
            self.host(host).redirects.append(rule)
        return rule

    def redirect_rule(self, host: str, name: str) -> RedirectRule | None:
        """The redirect rule of ``host`` called ``name``."""
        vhost = self._hosts.get(host.lower())
        return next((r for r in vhost.redirects if r.name == name), None) if vhost else None

    # -- faults ----------------------------------------------------------------------------
    def add_fault(self, host: str, path: str | None, fault: Fault) -> Fault:
        """Make ``path`` of ``host`` (every path if ``None``) misbehave as ``fault`` says."""
        with self._lock:
            self._faults[(host.lower(), path)] = fault
        return fault

    def fault(self, host: str, path: str | None = None, **fields: Any) -> Fault:
        """Shortcut: ``web.fault(host, path, statuses=[503, 200], retry_after=1)``."""
        return self.add_fault(host, path, Fault(**fields))

    def reset_faults(self) -> None:
        """Remove every fault, zero the latency and wake stalled responses."""
        with self._lock:
            self._faults.clear()
            self.latency = 0.0
            self._wake.set()
            self._wake = threading.Event()

    def clear_log(self) -> None:
        """Forget the recorded requests (and those of attached proxies)."""
        with self._lock:
            self._log.clear()
        for proxy in list(self.proxies):
            proxy.clear()

    def reset(self) -> None:
        """Between tests: remove faults and latency, clear request logs; files and hosts stay."""
        self.reset_faults()
        self.clear_log()

    def clear(self) -> None:
        """Remove everything: hosts, files, redirects, faults and the log."""
        self.reset()
        with self._lock:
            self._hosts.clear()

    def snapshot(self) -> Snapshot:
        """Save hosts, files and redirect rules (bodies are shared, not copied)."""
        with self._lock:
            return Snapshot(_copy_hosts(self._hosts))

    def restore(self, snap: Snapshot) -> None:
        """Return hosts, files and redirect rules to a :meth:`snapshot`."""
        with self._lock:
            self._hosts = _copy_hosts(snap.hosts)

    # -- request log -----------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        """A copy of the request log, oldest first."""
        with self._lock:
            return list(self._log)

    def count(
        self, host: str | None = None, path: str | None = None, method: str | None = None, scheme: str | None = None
    ) -> int:
        """How many logged requests match every given criterion."""
        return sum(
            1
            for r in self.requests
            if (host is None or r.host == host.lower())
            and (path is None or r.path == path)
            and (method is None or r.method == method.upper())
            and (scheme is None or r.scheme == scheme)
        )

    # -- used by the handler ---------------------------------------------------------------
    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self._log.append(record)

    def _lookup(self, host: str) -> VirtualHost | None:
        with self._lock:
            return self._hosts.get(host)

    def _take_fault(self, host: str, path: str) -> Any:
        with self._lock:
            faults = [self._faults.get((host, path)), self._faults.get((host, None))]
        for fault in faults:
            action = fault.take() if fault else None
            if action is not None:
                return action
        return None

    def _wake_event(self) -> threading.Event:
        with self._lock:
            return self._wake
