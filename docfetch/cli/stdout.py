"""Standard output that says so when it cannot be written: a full disk, a closed descriptor, an I/O error.

``docfetch rfc:791 > /dev/full`` and ``docfetch rfc:791 >&-`` end with one error line and exit 6
(local trouble), never a traceback and never a silent success. A reader that goes away
(``| head -1``) is not an error: BrokenPipeError passes through, and the command stops quietly.
"""

from __future__ import annotations

import errno
import sys

from docfetch.errors import LocalError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _trouble(exc: OSError) -> LocalError:
    reason = exc.strerror or (errno.errorcode.get(exc.errno or 0) if exc.errno else None) or str(exc)
    return LocalError(f"cannot write to standard output: {reason}")


class CheckedStream:
    """A stream whose write and flush turn OSError (but a broken pipe) into :class:`LocalError`."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: Any) -> int:
        try:
            return int(self._stream.write(data))
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _trouble(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _trouble(exc) from None

    @property
    def buffer(self) -> CheckedStream:
        return CheckedStream(self._stream.buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class ClosedStream:
    """Standard output when the descriptor was closed before docfetch started (``>&-``)."""

    buffer: ClosedStream

    def __init__(self) -> None:
        self.buffer = self

    def write(self, data: Any) -> int:
        raise LocalError("cannot write to standard output: it is closed")

    def flush(self) -> None:
        """Nothing was written."""

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise LocalError("cannot write to standard output: it is closed")


def guard() -> None:
    """Make ``sys.stdout`` report its failures as local trouble (once per process)."""
    if sys.stdout is None:
        sys.stdout = ClosedStream()
    elif not isinstance(sys.stdout, (CheckedStream, ClosedStream)):
        sys.stdout = CheckedStream(sys.stdout)
