"""urllib3 connection pools that first take what :mod:`docfetch.net.preconnect` prepared.

:func:`adopt` points a pool manager (direct, or a proxy manager tunnelling through a plain-HTTP
proxy) at :class:`WarmHTTPSConnectionPool`. When one of its connections connects for the first
time, it asks the preconnector for a socket already connected, tunnelled and verified with the
HTTP layer's own TLS context, preferring one on which the very request it is about to make was
sent early; its :meth:`~WarmHTTPSConnection.request` then sends nothing and the answer is read
as usual. Without such a socket, or for any other request, everything happens exactly as
urllib3 always does it.
"""

from __future__ import annotations

import threading
from typing import Any

from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from docfetch.net.preconnect import PLAIN_FIELDS, PRECONNECTOR, Key, Request

#: The request the current thread's pool is making (urllib3 connects before it sends).
_CURRENT = threading.local()


class WarmHTTPSConnection(HTTPSConnection):
    """An HTTPS connection that starts from a prepared socket when one is waiting for it."""

    _early: Request | None = None  # the request already sent on the socket taken
    _quiet_send = False  # while True, what http.client sends is already on the wire

    def connect(self) -> None:
        """Take the socket opened ahead for this connection, if there is one; else connect as urllib3 does."""
        sock, early = self._warm_socket()
        if sock is None:
            super().connect()
            return
        sock.settimeout(self.timeout)
        self.sock = sock
        self._early = early
        self.is_verified = True  # verified in the handshake: CERT_REQUIRED and the host name checked
        self._has_connected_to_proxy = self.proxy is not None
        if self._has_connected_to_proxy:
            self.proxy_is_verified = False  # a plain-HTTP proxy, as urllib3 records it

    def _warm_socket(self) -> tuple[Any, Request | None]:
        """The socket for this connection's key, verified with its own TLS context; (None, None) if none."""
        context = self.ssl_context
        if context is None or context.verify_mode.name != "CERT_REQUIRED" or not context.check_hostname:
            return None, None
        if self.server_hostname is not None or self.assert_hostname is not None or self.assert_fingerprint:
            return None, None
        key: Key
        if self._tunnel_host is not None:
            if self.proxy is None or self._tunnel_scheme != "http":
                return None, None
            key = (self._tunnel_host, self._tunnel_port or 443, self.host, self.port)
        elif self.proxy is None:
            key = (self.host, self.port or 443, None, None)
        else:
            return None, None
        return PRECONNECTOR.claim(key, context, getattr(_CURRENT, "request", None))

    def request(self, method: str, url: str, body: Any = None, headers: Any = None, **options: Any) -> None:
        """Send the request, or only record it when the very same one was sent early on this socket."""
        early, self._early = self._early, None
        if early is None:
            super().request(method, url, body, headers, **options)
            return
        names = {str(name).lower() for name in (headers or {})}
        if early == (method, url) and body is None and names <= PLAIN_FIELDS and not options.get("chunked"):
            self._quiet_send = True  # the same request is on the wire already: record it, send nothing
            try:
                super().request(method, url, body, headers, **options)
            finally:
                self._quiet_send = False
            return
        self.close()  # its answer to another request would come first: start afresh
        super().connect()
        super().request(method, url, body, headers, **options)

    def send(self, data: Any) -> None:
        """Write ``data``, unless it is the request already on the wire."""
        if not self._quiet_send:
            super().send(data)


class WarmHTTPSConnectionPool(HTTPSConnectionPool):
    """An HTTPS pool whose new connections are :class:`WarmHTTPSConnection`."""

    ConnectionCls = WarmHTTPSConnection

    def _get_conn(self, timeout: float | None = None) -> Any:
        """A new connection when the request about to be made was sent early on one; else as usual."""
        request = getattr(_CURRENT, "request", None)
        if request is not None:
            proxy = self.proxy
            key: Key = (
                (self.host, self.port or 443, proxy.host, proxy.port)
                if proxy is not None and proxy.host is not None
                else (self.host, self.port or 443, None, None)
            )
            if PRECONNECTOR.waiting(key, request):
                return self._new_conn()  # it takes that connection: its answer is on the way
        return super()._get_conn(timeout)

    def urlopen(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        """urllib3's ``urlopen``, the request it makes known to the connection it opens."""
        _CURRENT.request = (method, url)
        try:
            return super().urlopen(method, url, *args, **kwargs)
        finally:
            _CURRENT.request = None


#: The pool classes by scheme (plain HTTP is never opened ahead).
POOL_CLASSES = {"http": HTTPConnectionPool, "https": WarmHTTPSConnectionPool}


def _tested_urllib3() -> bool:
    """True for the urllib3 whose connection internals this module was written and tested against (2.x).

    Another major version may name them otherwise: then the pools are urllib3's own, and the
    early requests are simply not taken (connections open as usual, only a little later).
    """
    import urllib3

    major = urllib3.__version__.split(".", 1)[0]
    needed = ("_tunnel_host", "_tunnel_port", "_tunnel_scheme", "_has_connected_to_proxy", "proxy_is_verified")
    probe = HTTPSConnection("localhost")
    return major == "2" and all(hasattr(probe, name) for name in needed)


USABLE = _tested_urllib3()


def adopt(manager: Any) -> Any:
    """Make ``manager`` (a urllib3 PoolManager or ProxyManager) build warm HTTPS pools; returns it."""
    if USABLE:
        manager.pool_classes_by_scheme = POOL_CLASSES
    return manager
