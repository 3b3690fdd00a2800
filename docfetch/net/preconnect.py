"""Connections opened, and first requests sent, before the HTTP layer is loaded.

A first fetch spends about 60 ms importing ``requests`` before it can send a byte. Meanwhile
this module, which needs only the standard library, resolves the host name, connects (to the
proxy, with its ``CONNECT``, when ``HTTPS_PROXY`` says so), completes the TLS handshake and
builds the run's TLS context (loading the CA bundle) once, in background threads. For the
first documents it also sends the ``GET`` the fetch is about to make: HTTP/1.1 lets a client
send a request as soon as the connection is open, and a GET is safe to send early. When the
HTTP layer then opens its connection to that host for that request, it takes the socket
already open (:func:`Preconnector.claim`, used by :mod:`docfetch.net.warm_pool`), and when its
request is the one already sent, it reads the answer instead of sending it again: by then the
answer is often there.

Nothing here can fail a fetch: a connection that could not be opened, or one the HTTP layer
would open differently (another proxy, another CA bundle), or an early request that is not
the one the fetch makes, is simply not used, and the HTTP layer connects and asks as it always
does, with its own errors, redirects and retries. Only ``https://`` URLs are opened ahead,
directly or through a plain-HTTP proxy without credentials. Where a URL leads is looked up in
the redirects learned so far (:mod:`docfetch.store.redirects`), exactly as the fetch will.
"""

from __future__ import annotations

import contextlib
import os
import threading

from docfetch._version import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    import socket
    import ssl
    from collections.abc import Sequence

    from docfetch.store.redirects import RedirectMemory

#: Which connection a socket is: (host, port, proxy host or None, proxy port or None).
Key = tuple[str, int, "str | None", "int | None"]
#: A request sent early: (method, target as sent on the request line).
Request = tuple[str, str]

#: ALPN offered in the handshake, as urllib3 offers it.
ALPN = ["http/1.1"]
#: The longest answer header block read from a proxy, in bytes.
MAX_CONNECT_REPLY = 16 * 1024
#: The interpreter's thread switch interval while connections open beside the import of requests:
#: a thread waiting on the network gets the interpreter back within this many seconds, not 5 ms.
SWITCH_INTERVAL = 0.0005
#: The longest the caller of :meth:`Preconnector.start` waits for the early requests to leave (seconds).
SEND_WAIT = 0.1
#: Request header fields an early request may stand for: the ones every plain GET of the fetch carries.
PLAIN_FIELDS = frozenset({"host", "user-agent", "accept-encoding", "accept", "connection"})


def ca_bundle() -> str | bool:
    """The CA bundle to trust, by the rules the HTTP layer applies (requests' variables, then OpenSSL's)."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        value = os.environ.get(name)
        if value and os.path.exists(value):
            return value
    return True


def make_context(verify: str | bool) -> ssl.SSLContext:
    """A verifying TLS context trusting ``verify`` (a file, a directory, or True for certifi)."""
    import ssl

    if isinstance(verify, str):
        if os.path.isdir(verify):
            return ssl.create_default_context(capath=verify)
        return ssl.create_default_context(cafile=verify)
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _requests_version() -> str | None:
    """The installed requests' version, read from its ``__version__.py`` (importing requests costs 50 ms)."""
    import importlib.machinery

    try:
        spec = importlib.machinery.PathFinder.find_spec("requests")
        if spec is None or not spec.origin:
            return None
        with open(os.path.join(os.path.dirname(spec.origin), "__version__.py"), encoding="utf-8") as handle:
            for line in handle:
                name, equals, value = line.partition("=")
                if equals and name.strip() == "__version__":
                    return value.strip().strip("\"'") or None
    except (OSError, ImportError, ValueError):
        return None
    return None


def user_agent() -> str:
    """The User-Agent the HTTP layer sends (:data:`docfetch.net.http.USER_AGENT`), without loading it."""
    base = f"docfetch/{__version__} (+https://pypi.org/project/docfetch/)"
    version = _requests_version()
    return f"{base} requests/{version}" if version else base


class _Slot:
    """One connection being opened: for which key, with which request sent early, its socket once ready."""

    __slots__ = ("claimed", "early", "key", "ready", "sock")

    def __init__(self, key: Key, early: Request | None) -> None:
        self.key = key
        self.early = early
        self.ready = threading.Event()
        self.sock: ssl.SSLSocket | None = None
        self.claimed = False


class Preconnector:
    """Opens connections (and sends first requests) in background threads; hands each out once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: list[_Slot] = []
        self._context_ready = threading.Event()
        self._verify: str | bool | None = None
        self._context: ssl.SSLContext | None = None
        self._started = False
        self._busy = 0  # threads still opening connections
        self._switch: float | None = None  # the interval to restore when they are done
        self.timeout = 30.0
        self.user_agent = ""

    # -- the TLS context ----------------------------------------------------------------------

    def _build_context(self, verify: str | bool) -> None:
        try:
            context: ssl.SSLContext | None = make_context(verify)
        except (OSError, ValueError, ImportError):
            context = None
        self._context, self._verify = context, verify
        self._context_ready.set()

    def context_for(self, verify: object) -> ssl.SSLContext | None:
        """The context built ahead for ``verify``, or None (none was started, or for another bundle)."""
        if not self._started:
            return None
        self._context_ready.wait(self.timeout)
        return self._context if self._verify == verify else None

    # -- opening ------------------------------------------------------------------------------

    def start(
        self, urls: Sequence[str], *, timeout: float, memory: RedirectMemory | None = None, early: int = 0
    ) -> int:
        """Open one connection ahead for each ``https://`` URL, sending the GET of the first ``early``.

        Each URL is first taken where the redirects learned in ``memory`` say it leads (as the
        fetch will take it). Returns how many connections are being opened.
        """
        from urllib.parse import urlsplit

        self.timeout = timeout
        jobs: list[tuple[Key, str, Request | None]] = []
        for index, url in enumerate(urls):
            shortcut = memory.shortcut(url) if memory is not None else None
            final = shortcut.url if shortcut is not None else url
            key = _key_for(final)
            if key is not None:
                jobs.append((key, urlsplit(final).netloc, ("GET", _target(final)) if index < early else None))
        with self._lock:
            underway = {(slot.key, slot.early) for slot in self._slots if not slot.claimed}
        jobs = [job for job in jobs if job[2] is None or (job[0], job[2]) not in underway]
        if not jobs:
            return 0
        if any(request is not None for _key, _host, request in jobs):
            self.user_agent = user_agent()
        if not self._started:
            self._started = True
            # Here, not in a thread: this is work for the interpreter (loading ssl and the CA
            # bundle), needed by the HTTP layer anyway, and nothing can be sent before it.
            self._build_context(ca_bundle())
        self._hurry(len(jobs))
        for key, host, request in jobs:
            slot = _Slot(key, request)
            with self._lock:
                self._slots.append(slot)
            thread = threading.Thread(target=self._open, args=(slot, host), daemon=True, name="docfetch-preconnect")
            thread.start()
        return len(jobs)

    def wait_sent(self, limit: float = SEND_WAIT) -> None:
        """Wait (at most ``limit`` seconds) until the early requests started have left.

        The caller's own work (imports, mostly) then runs while the answers travel, instead of
        holding the interpreter while the connections open: locally, every request leaves
        sooner; over a far network, the wait is bounded and the work still fits in the round trip.
        """
        import time

        deadline = time.monotonic() + limit
        with self._lock:
            pending = [slot for slot in self._slots if slot.early is not None and not slot.ready.is_set()]
        for slot in pending:
            slot.ready.wait(max(0.0, deadline - time.monotonic()))

    def _hurry(self, threads: int) -> None:
        """Switch threads often while ``threads`` more open connections (the import holds the interpreter)."""
        import sys

        with self._lock:
            if self._busy == 0:
                self._switch = sys.getswitchinterval()
                sys.setswitchinterval(min(SWITCH_INTERVAL, self._switch))
            self._busy += threads

    def _done(self) -> None:
        import sys

        with self._lock:
            self._busy -= 1
            if self._busy == 0 and self._switch is not None:
                sys.setswitchinterval(self._switch)
                self._switch = None

    def _open(self, slot: _Slot, host: str) -> None:
        try:
            sock = self._connect(slot.key)
            if sock is not None and slot.early is not None:
                try:
                    sock.sendall(self._request_bytes(slot.early, host))
                except OSError:
                    sock.close()
                    sock = None
            slot.sock = sock
        finally:
            slot.ready.set()
            self._done()

    def _request_bytes(self, request: Request, host: str) -> bytes:
        """The request as requests sends a plain GET (same fields, same order)."""
        method, target = request
        lines = [
            f"{method} {target} HTTP/1.1",
            f"Host: {host.removesuffix(':443')}",
            f"User-Agent: {self.user_agent}",
            "Accept-Encoding: gzip, deflate",
            "Accept: */*",
            "Connection: keep-alive",
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")

    def _connect(self, key: Key) -> ssl.SSLSocket | None:
        """A TLS connection for ``key``, verified with the run's context; None if it cannot be made."""
        import socket

        host, port, proxy_host, proxy_port = key
        sock: socket.socket | None = None
        try:
            if proxy_host is not None and proxy_port is not None:
                sock = socket.create_connection((proxy_host, proxy_port), timeout=self.timeout)
                _nodelay(sock)
                _tunnel(sock, host, port)
            else:
                sock = socket.create_connection((host, port), timeout=self.timeout)
                _nodelay(sock)
            if not self._context_ready.wait(self.timeout) or self._context is None:
                raise OSError("no TLS context")
            context = self._context
            context.set_alpn_protocols(ALPN)
            return context.wrap_socket(sock, server_hostname=host)
        except (OSError, ValueError):
            if sock is not None:
                sock.close()
            return None

    # -- handing out --------------------------------------------------------------------------

    def claim(
        self, key: Key, verify_context: ssl.SSLContext | None, request: Request | None = None
    ) -> tuple[ssl.SSLSocket | None, Request | None]:
        """The connection opened ahead for ``key`` and the request already sent on it, or (None, None).

        A connection whose early request is ``request`` comes first, then one with none; one
        carrying another request is never handed out. It waits while the connection is being
        opened. Only a connection made with ``verify_context`` itself (the HTTP layer's own
        context: same CA certificates, same checks) and still open is handed out, at most once.
        """
        if not self._started:
            return None, None
        with self._lock:
            mine = [s for s in self._slots if s.key == key and not s.claimed]
            slot = next((s for s in mine if s.early is not None and s.early == request), None)
            slot = slot or next((s for s in mine if s.early is None), None)
            if slot is None:
                return None, None
            slot.claimed = True
        if not slot.ready.wait(self.timeout):
            return None, None
        with self._lock:
            sock, slot.sock = slot.sock, None
        if sock is None:
            return None, None
        usable = verify_context is not None and verify_context is self._context
        if not usable or (slot.early is None and not _alive(sock)):
            sock.close()
            return None, None
        return sock, slot.early

    def waiting(self, key: Key, request: Request) -> bool:
        """True when a connection for ``key`` carrying ``request`` (sent early) is there to be claimed."""
        if not self._started:
            return False
        with self._lock:
            return any(s.key == key and s.early == request and not s.claimed for s in self._slots)

    def connection(self, url: str) -> tuple[ssl.SSLSocket | None, bool]:
        """A verified connection for the ``https://`` ``url``, and whether its plain GET was sent on it already.

        The one opened ahead for that GET, else one opened ahead with no request on it, else a
        new one. For small requests of the core's own that do not go through the HTTP layer
        (:mod:`docfetch.knowledge.prefetch`); the caller closes it. None when it cannot be made.
        """
        key = _key_for(url)
        if key is None:
            return None, False
        if not self._context_ready.is_set() and not self._started:
            self._build_context(ca_bundle())
        self._context_ready.wait(self.timeout)  # the sockets opened ahead are verified with it
        request = ("GET", _target(url))
        sock, early = self.claim(key, self._context, request)
        if sock is not None:
            return sock, early == request
        return self._connect(key), False

    def close(self) -> None:
        """Close every connection opened ahead and not claimed; the next :meth:`start` begins afresh."""
        with self._lock:
            slots, self._slots = self._slots, []
            self._started = False
            self._context, self._verify = None, None
            self._context_ready = threading.Event()
        for slot in slots:
            slot.claimed = True
            sock, slot.sock = slot.sock, None
            if sock is not None:
                sock.close()


def _nodelay(sock: socket.socket) -> None:
    """Small writes leave at once (urllib3 sets the same option on the connections it opens)."""
    import socket

    with contextlib.suppress(OSError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _tunnel(sock: socket.socket, host: str, port: int) -> None:
    """Ask the proxy for a tunnel to ``host:port``; OSError unless it answers 2xx."""
    target = f"{host}:{port}"
    sock.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode("ascii"))
    reply = b""
    while b"\r\n\r\n" not in reply:
        chunk = sock.recv(4096)
        if not chunk or len(reply) > MAX_CONNECT_REPLY:
            raise OSError("proxy closed the connection")
        reply += chunk
    head, _, rest = reply.partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].split()
    if len(status) < 2 or not status[1].startswith(b"2") or rest:
        raise OSError("proxy refused the tunnel")


def _alive(sock: ssl.SSLSocket) -> bool:
    """True when nothing (not even the end of the stream) is waiting to be read: still usable."""
    import select

    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


def _proxy_for(host: str) -> tuple[str, int] | str | None:
    """The plain-HTTP proxy (host, port) for an https request to ``host``; None: none; a string: not handled here.

    Read from the environment as requests reads it (lower-case names first); anything unusual
    (credentials, an https or SOCKS proxy, ``NO_PROXY`` with ports or networks) is left to the
    HTTP layer.
    """

    def variable(name: str) -> str:
        return (os.environ.get(name) or os.environ.get(name.upper()) or "").strip()

    proxy = variable("https_proxy") or variable("all_proxy")
    if not proxy:
        return None
    no_proxy = variable("no_proxy")
    if no_proxy:
        if no_proxy == "*":
            return None
        for entry in (item.strip().lower().lstrip(".") for item in no_proxy.split(",")):
            if not entry:
                continue
            if ":" in entry or "/" in entry:
                return "NO_PROXY holds ports or networks"
            if host == entry or host.endswith("." + entry):
                return None
    from urllib.parse import urlsplit

    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if parts.scheme != "http" or parts.username or parts.password or not parts.hostname:
        return "not a plain-HTTP proxy without credentials"
    try:
        return parts.hostname, parts.port or 80
    except ValueError:
        return "a proxy URL with a bad port"


def _target(url: str) -> str:
    """The request target of ``url`` (path and query), as sent on the request line."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _key_for(url: str) -> Key | None:
    """Which connection ``url`` needs, or None when it is not opened ahead."""
    if not url.startswith("https://"):
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or 443
    except ValueError:
        return None
    if not host:
        return None
    proxy = _proxy_for(host)
    if isinstance(proxy, str):
        return None
    if proxy is None:
        return host, port, None, None
    return host, port, proxy[0], proxy[1]


#: The process's preconnector (a command runs once per process).
PRECONNECTOR = Preconnector()
