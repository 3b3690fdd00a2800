"""Downloading one document from a source's locations: staged, validated, kept whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from docfetch.engine.staging import StagingArea
from docfetch.engine.validate import check_body
from docfetch.errors import DocfetchError, FetchError, NotFoundError, RefusedContentError
from docfetch.plugins.source import Location
from docfetch.reference import Reference


class Downloaded:
    """A body now at ``path`` (or, ``not_modified``, the cached copy confirmed by the server)."""

    __slots__ = ("etag", "not_modified", "path", "url")

    def __init__(self, path: Path | None, etag: str | None, url: str, not_modified: bool = False) -> None:
        self.path, self.etag, self.url, self.not_modified = path, etag, url, not_modified


def worst(errors: list[DocfetchError]) -> DocfetchError:
    """The error with the highest exit code (refused content over network failure)."""
    return max(errors, key=lambda error: error.exit_code)


def download_first(
    locations: list[Location],
    ref: Reference,
    fmt: str,
    *,
    area: StagingArea,
    scratch: Path,
    keep: Callable[[Any, str | None], Path],
    copy: Callable[..., Any],
    etag: str | None = None,
    source_name: str = "",
) -> Downloaded:
    """Try ``locations`` in order until one gives a valid body; return where it was kept.

    Each body is staged in ``scratch``, checked (:func:`docfetch.engine.validate.check_body`) and
    handed to ``keep(staged, etag)``, which commits it (into the cache, or a scratch file) and
    returns the final path. A 304 for ``etag`` comes back as ``not_modified``. A location that
    answers "not found" is skipped; when none has it, NotFoundError; network or content failures
    raise the worst of them.
    """
    failures: list[DocfetchError] = []
    misses: list[NotFoundError] = []
    for location in locations:
        try:
            with area.file(scratch, f"{ref.stem}.{fmt}") as staged:
                result = copy(location, staged.handle, etag=etag)
                staged.handle.flush()
                url = str(result.url if result is not None else location)
                if result is not None and result.not_modified:
                    return Downloaded(None, etag, url, not_modified=True)
                check_body(staged.path, fmt, url)
                final = keep(staged, result.etag if result is not None else None)
                return Downloaded(final, result.etag if result is not None else None, url)
        except NotFoundError as exc:
            misses.append(exc)
        except (FetchError, RefusedContentError) as exc:
            failures.append(exc)
    if failures:
        raise worst(failures)
    raise misses[0] if misses else NotFoundError(f"{source_name} has no location for {ref.label()}")
