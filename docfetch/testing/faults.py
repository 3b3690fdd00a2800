"""What can go wrong on the wire: fault descriptions for :class:`~docfetch.testing.FakeWeb`."""

from __future__ import annotations

import functools
import threading
import zlib
from collections import deque
from dataclasses import dataclass, field

#: The page a captive portal or a misconfigured server answers with instead of the document.
DEFAULT_HTML = (
    b"<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head>\n"
    b"<body><h1>Checking your browser before accessing the site.</h1></body></html>\n"
)


@dataclass
class Raw:
    """An exact response: status, body bytes and headers, sent as given (no forced gzip)."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = "application/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fault:
    """One misbehaviour for a (host, path); every field is optional and they combine.

    Applied in this order: ``delay``; ``reset``; next of ``statuses`` (a 200 in the sequence, or an
    exhausted sequence, means "answer normally"); ``raw``; ``redirect``; ``html_instead``; ``empty``;
    ``gzip_bomb``; then the normal answer, labelled ``content_encoding``, cut by ``truncate``,
    slowed by ``stall`` or sent one byte every ``trickle`` seconds.
    ``times`` limits how many requests the fault hits (``None``: every one until reset).

    ``content_encoding`` (``"br"``, ``"zstd"``, ``"x-unknown"``...): the body is sent as it is
    (never gzipped, even on a host that forces gzip) with that ``Content-Encoding``, as a server
    claiming an encoding the client may not be able to decode. ``trickle``: never silent long
    enough for a read timeout, yet far too slow (ended early by :meth:`FakeWeb.reset_faults`).
    """

    statuses: list[int] = field(default_factory=list)
    retry_after: str | int | None = None
    truncate: int | None = None
    reset: bool = False
    stall: float | None = None
    stall_after: int | None = None
    html_instead: bool | bytes = False
    empty: bool = False
    gzip_bomb: int | None = None
    redirect: str | None = None
    redirect_status: int = 302
    raw: Raw | None = None
    delay: float = 0.0
    times: int | None = None
    content_encoding: str | None = None
    trickle: float | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._pending = deque(self.statuses)
        self.hits = 0

    def take(self) -> Action | None:
        """Consume one use of the fault; ``None`` once it is spent."""
        with self._lock:
            if self.times is not None and self.hits >= self.times:
                return None
            self.hits += 1
            status = self._pending.popleft() if self._pending else None
        return Action(self, status)


@dataclass
class Action:
    """One request's share of a fault: the fault plus the status drawn from its sequence."""

    fault: Fault
    status: int | None


@functools.lru_cache(maxsize=8)
def gzip_bomb(size: int) -> bytes:
    """A small gzip member that inflates to ``size`` zero bytes."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(min(size, 1 << 20))
    parts = []
    left = size
    while left > 0:
        parts.append(comp.compress(chunk[: min(left, len(chunk))]))
        left -= len(chunk)
    parts.append(comp.flush())
    return b"".join(parts)
