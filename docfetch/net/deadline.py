"""One time limit for fetching one document: every source, location, redirect, retry and wait.

Stdlib only and cheap to import: the engine makes a :class:`Deadline` before it knows whether the
network (and ``requests``) will be needed at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from docfetch.config import Settings


def document_budget(settings: Settings) -> float:
    """Seconds one document may take, all sources included: ``timeout x (retries + 1) + retry_after_cap``."""
    return settings.timeout * (settings.retries + 1) + settings.retry_after_cap


class Deadline:
    """A point in time (on ``clock``, monotonic by default) after which no more bytes are awaited.

    ``seconds`` is the whole budget it was made with, for messages.
    """

    __slots__ = ("at", "clock", "seconds")

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.at = clock() + seconds

    def remaining(self) -> float:
        """Seconds left (negative once passed)."""
        return self.at - self.clock()

    def passed(self) -> bool:
        """True once the time is up."""
        return self.clock() >= self.at

    def __repr__(self) -> str:
        return f"Deadline({self.seconds:g} s, {self.remaining():.1f} s left)"
