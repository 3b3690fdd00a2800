"""Checking that a downloaded body is the document asked for, before anything keeps it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docfetch.errors import RefusedContentError

BOM = b"\xef\xbb\xbf"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")
_GZIP_MAGIC = b"\x1f\x8b"
#: Formats that are text: a NUL byte anywhere means binary data (a compressed or UTF-16 body).
TEXT_FORMATS = frozenset({"txt", "csv", "json", "xml", "html"})
#: What a reference's scheme and file stem may look like to become one directory and one file name.
_SAFE_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,31}", re.ASCII)
_SAFE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,229}", re.ASCII)


def unsafe_reference(ref: Any) -> str | None:
    """Why ``ref`` cannot name a file inside the cache or output directory, or None if it can.

    The parser only makes safe references; this guards what plugins return from ``resolve``
    and what library callers build by hand (``Reference("rfc", "1/../../x")``).
    """
    from docfetch.reference import Reference

    if not isinstance(ref, Reference):
        return f"not a Reference: {type(ref).__name__}"
    if not isinstance(ref.scheme, str) or not _SAFE_SCHEME.fullmatch(ref.scheme):
        return f"unsafe scheme {str(ref.scheme)[:40]!a}"
    try:
        stem = ref.stem
    except Exception:  # a name or revision of the wrong type
        return "unusable name"
    if not isinstance(stem, str) or not _SAFE_STEM.fullmatch(stem) or ".." in stem:
        return f"unsafe name {str(stem)[:60]!a}"
    return None


def _head(path: Path, size: int = 1024) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def _has_nul(path: Path, chunk: int = 1 << 20) -> bool:
    """True when the file holds a NUL byte anywhere (read in chunks: bounded memory)."""
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            if b"\x00" in block:
                return True
    return False


def looks_like_html(head: bytes) -> bool:
    """True when a body starts like an HTML page (an error or login page, not a document)."""
    start = head.removeprefix(BOM).lstrip().lower()
    return start.startswith(_HTML_STARTS)


def check_body(path: Path, fmt: str, where: str) -> None:
    """Raise RefusedContentError unless the file at ``path`` plausibly is a ``fmt`` document."""
    head = _head(path)
    if not head:
        raise RefusedContentError(f"{where}: empty body")
    if head.startswith(_GZIP_MAGIC):
        raise RefusedContentError(f"{where}: body is still gzip-compressed")
    if fmt in TEXT_FORMATS and _has_nul(path):
        raise RefusedContentError(f"{where}: binary data where {fmt} text was asked for")
    stripped = head.removeprefix(BOM).lstrip()
    if fmt == "pdf":
        if not head.startswith(b"%PDF-"):
            raise RefusedContentError(f"{where}: not a PDF file")
        return
    if fmt == "html":
        if b"<" not in head:
            raise RefusedContentError(f"{where}: not an HTML page")
        return
    if looks_like_html(head):
        raise RefusedContentError(f"{where}: got an HTML page where {fmt} was asked for")
    if fmt == "json" and not stripped.startswith((b"{", b"[")):
        raise RefusedContentError(f"{where}: not JSON")
    if fmt == "xml" and not stripped.startswith(b"<"):
        raise RefusedContentError(f"{where}: not XML")
