"""Errors a user can see, each with the exit code the README documents."""

from __future__ import annotations

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_FETCH_FAILED = 4
EXIT_REFUSED = 5
EXIT_LOCAL = 6
EXIT_INTERRUPTED = 130


class DocfetchError(Exception):
    """Base class: a one-line message, an exit code, and at most one line of hint."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(DocfetchError):
    """Bad flags, an invalid reference, an unknown or switched-off source."""

    exit_code = EXIT_USAGE


class NotFoundError(DocfetchError):
    """Every source asked says the document does not exist (or it is not cached offline)."""

    exit_code = EXIT_NOT_FOUND


class FetchError(DocfetchError):
    """Network or server failure after retries and fallbacks."""

    exit_code = EXIT_FETCH_FAILED


class RefusedContentError(DocfetchError):
    """The server answered, but with something that is not the document asked for."""

    exit_code = EXIT_REFUSED


class LocalError(DocfetchError):
    """Local trouble: the output could not be written (a full disk, a closed stdout, a read-only file)."""

    exit_code = EXIT_LOCAL


class PluginError(DocfetchError):
    """A plugin failed to load or raised in a hook (only raised in strict mode)."""

    exit_code = EXIT_FETCH_FAILED


def worst_exit_code(codes: list[int]) -> int:
    """The exit code for several outcomes: an interrupt wins, otherwise the highest."""
    interrupts = [code for code in codes if code >= 128]
    if interrupts:
        return interrupts[0]
    return max(codes, default=EXIT_OK)
