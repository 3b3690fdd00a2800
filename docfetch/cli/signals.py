"""SIGTERM and SIGHUP end docfetch as Ctrl-C does: everything in progress removed, exit 128 + the signal.

The handler raises :class:`Terminated` (a KeyboardInterrupt, so every ``except KeyboardInterrupt``
clean-up path runs) after cancelling every staging area of the process, so no partial file stays
anywhere even if some code path does not clean up. SIGINT keeps Python's own handler, or stays
ignored when docfetch was started with it ignored (``nohup``, background jobs).
"""

from __future__ import annotations

import signal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType


class Terminated(KeyboardInterrupt):
    """docfetch was asked to stop by ``signum`` (SIGTERM, SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame: FrameType | None) -> None:
    from docfetch.engine.staging import cancel_all

    cancel_all()
    raise Terminated(signum)


def install() -> None:
    """Handle SIGTERM and SIGHUP (where the platform has them) unless they are ignored."""
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, _stop)


def exit_code(exc: KeyboardInterrupt) -> int:
    """128 + the signal that stopped docfetch (130 for Ctrl-C)."""
    return 128 + (exc.signum if isinstance(exc, Terminated) else int(signal.SIGINT))
