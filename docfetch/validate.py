"""Checking that a downloaded body is the document asked for, before anything keeps it."""

from __future__ import annotations

from pathlib import Path

from docfetch.errors import RefusedContentError

BOM = b"\xef\xbb\xbf"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")
_GZIP_MAGIC = b"\x1f\x8b"


def _head(path: Path, size: int = 1024) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


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
    if fmt in ("txt", "csv") and b"\x00" in head:
        raise RefusedContentError(f"{where}: binary data where text was asked for")
