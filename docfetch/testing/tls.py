"""A throw-away certificate authority for the fake servers (``trustme``, imported lazily)."""

from __future__ import annotations

import ssl
import tempfile
import threading
from pathlib import Path
from typing import Any

#: Names every server certificate covers, whatever virtual hosts exist.
LOCAL_NAMES = ("localhost", "127.0.0.1")


class LocalCA:
    """A trustme CA that issues server certificates on demand, one per set of names.

    ``path`` is a PEM file holding the CA certificate: give it to clients as
    ``REQUESTS_CA_BUNDLE`` or ``verify=``.
    """

    def __init__(self, directory: Path | None = None) -> None:
        import trustme  # lazy: only the TLS side of the kit needs it

        self.ca: Any = trustme.CA(organization_name="docfetch test CA")
        self._lock = threading.Lock()
        self._contexts: dict[frozenset[str], ssl.SSLContext] = {}
        if directory is None:
            directory = Path(tempfile.mkdtemp(prefix="docfetch-ca-"))
        directory.mkdir(parents=True, exist_ok=True)
        self.path: Path = directory / "docfetch-test-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.path))

    @property
    def pem(self) -> bytes:
        """The CA certificate in PEM form."""
        return self.ca.cert_pem.bytes()

    def server_context(self, names: list[str] | tuple[str, ...] | set[str]) -> ssl.SSLContext:
        """A server-side SSL context whose certificate covers ``names`` plus localhost (cached)."""
        key = frozenset(n.lower() for n in names) | frozenset(LOCAL_NAMES)
        with self._lock:
            ctx = self._contexts.get(key)
            if ctx is None:
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.set_alpn_protocols(["http/1.1"])
                self.ca.issue_cert(*sorted(key)).configure_cert(ctx)
                self._contexts[key] = ctx
            return ctx

    def client_context(self) -> ssl.SSLContext:
        """A client-side SSL context trusting only this CA."""
        ctx = ssl.create_default_context(cafile=str(self.path))
        return ctx
