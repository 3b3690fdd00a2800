"""Errors a user can see, each with the exit code the README documents."""

from __future__ import annotations

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_FETCH_FAILED = 4
EXIT_REFUSED = 5
EXIT_INTERRUPTED = 130


class DocfetchError(Exception):
    """Base class: a one-line message and an exit code."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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


class PluginError(DocfetchError):
    """A plugin failed to load or raised in a hook (only raised in strict mode)."""

    exit_code = EXIT_FETCH_FAILED


def worst_exit_code(codes: list[int]) -> int:
    """The exit code for several outcomes: an interrupt wins, otherwise the highest."""
    if EXIT_INTERRUPTED in codes:
        return EXIT_INTERRUPTED
    return max(codes, default=EXIT_OK)
