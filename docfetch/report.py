"""The one place that reports notes, warnings and errors.

Library code calls :func:`note` and :func:`warning`; what happens next depends on who runs it:

- as a library, messages go to the ``docfetch`` logger (``logging``), so the application decides
  what is shown (by default Python shows warnings and hides notes);
- the command line calls :func:`to_stderr`, and every message becomes one line on stderr,
  ``docfetch: note: ...`` / ``docfetch: warning: ...`` / ``docfetch: error: ...``, notes silenced by
  ``-q``. :func:`redirect` lends the output to a progress bar while it is on screen.

Cheap to import (no ``logging`` until a library message is actually sent): the cached fast path
reports through it too.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

PROGRAM = "docfetch"

_printer: Callable[[str], None] | None = None
_quiet = False


def to_stderr(*, quiet: bool = False) -> None:
    """Command-line mode: every message is printed as one line on stderr (notes hidden if ``quiet``)."""
    global _printer, _quiet
    _printer = _print_stderr
    _quiet = quiet


def to_logging() -> None:
    """Library mode (the default): messages go to the ``docfetch`` logger."""
    global _printer, _quiet
    _printer = None
    _quiet = False


def redirect(printer: Callable[[str], None] | None) -> Callable[[str], None] | None:
    """Send command-line lines to ``printer`` (a progress bar's console) until called again; returns the old one."""
    global _printer
    previous = _printer
    if previous is not None:
        _printer = printer or _print_stderr
    return previous


def quiet() -> bool:
    """True when notes are not shown (``-q``)."""
    return _quiet


def _print_stderr(line: str) -> None:
    try:
        sys.stderr.write(line + "\n")  # one write: lines from several threads never interleave
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed or gone: nothing more can be said
        pass


def _emit(kind: str, message: str, level: int) -> None:
    if _printer is not None:
        if kind in ("note", "") and _quiet:
            return
        _printer(f"{PROGRAM}: {kind}: {message}" if kind else f"{PROGRAM}: {message}")
        return
    import logging

    logging.getLogger(PROGRAM).log(level, message)


def note(message: str) -> None:
    """Something worth knowing that is not a problem (an obsolete RFC, a cached copy used)."""
    _emit("note", message, 20)


def summary(message: str) -> None:
    """The closing line of a run over many documents (``docfetch: 30 of 30 documents written``)."""
    _emit("", message, 20)


def warning(message: str) -> None:
    """Something went wrong but the run goes on (a plugin skipped, a source failed over)."""
    _emit("warning", message, 30)


def error(message: str, hint: str | None = None) -> None:
    """A failure the user must see (always shown on the command line), with at most one hint line."""
    _emit("error", message, 40)
    if hint and _printer is not None:
        _printer(f"{PROGRAM}: hint: {hint}")
