"""Copying the bytes of one location (an ``http(s)://`` or ``file://`` URL, or a local path) into a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from docfetch.errors import FetchError, LocalError, NotFoundError, RefusedContentError
from docfetch.net.deadline import Deadline
from docfetch.plugins.source import Location

CHUNK = 1024 * 1024


def is_url(location: Location) -> bool:
    """True for an ``http://`` or ``https://`` location (they go through the network)."""
    return isinstance(location, str) and location.startswith(("http://", "https://"))


def copy_location(
    location: Location,
    sink: BinaryIO,
    *,
    limit: int,
    offline: bool,
    http: Callable[[], Any],
    etag: str | None = None,
    deadline: Deadline | None = None,
) -> Any:
    """Copy ``location``'s bytes to ``sink``; the network's answer (``Fetched``) for URLs, None for files.

    ``http`` returns the run's HTTP client (created on first use). ``deadline``: the document's
    time limit, shared by every location and source tried for it (local files are not timed).
    Raises NotFoundError (404, no such file, offline), FetchError (network failure, unreadable
    file, no time left), RefusedContentError (over ``limit`` bytes).
    """
    text = str(location)
    if is_url(location):
        if offline:
            raise NotFoundError(f"{text}: not fetched, offline")
        return http().download(text, sink, max_size=limit, etag=etag, deadline=deadline)
    path = Path(text[7:]) if text.startswith("file://") else Path(location)
    try:
        with open(path, "rb") as handle:
            size = 0
            while chunk := handle.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise RefusedContentError(f"{path}: larger than the {limit} byte limit (see --max-size)")
                write_chunk(sink, chunk)
    except FileNotFoundError:
        raise NotFoundError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise NotFoundError(f"{path}: is a directory") from None
    except OSError as exc:
        raise FetchError(f"{path}: {exc.strerror or exc}") from None
    return None


def write_chunk(sink: BinaryIO, chunk: bytes) -> None:
    """Write to a staged file; a full or failing disk is local trouble, not the source's fault."""
    try:
        sink.write(chunk)
    except OSError as exc:
        raise LocalError(f"cannot write the download to disk: {exc.strerror or exc}") from None
