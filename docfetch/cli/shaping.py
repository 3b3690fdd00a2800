"""Which part of a fetched document is delivered: all of it, one section, with or without page breaks.

Shared by the cached fast path and the engine path, so both cut documents the same way.
"""

from __future__ import annotations

import sys

from docfetch.errors import UsageError
from docfetch.reference import Reference

TYPE_CHECKING = False  # neither typing nor pathlib on the fast path (pathlib loads urllib and ipaddress)
if TYPE_CHECKING:
    from os import PathLike
    from typing import Any

    Path = str | PathLike[str]


class Piece:
    """What to deliver for one document: a file's bytes as they are (``path``), or cut ``data``.

    ``record`` is the JSON object of a section (``--json``); ``suffix`` tells ``-O DIR`` apart
    (``rfc9110-section-15.5.5.txt``).
    """

    __slots__ = ("data", "path", "record", "suffix")

    def __init__(
        self, *, path: Path | None = None, data: bytes | None = None, record: Any = None, suffix: str = ""
    ) -> None:
        self.path, self.data, self.record, self.suffix = path, data, record, suffix

    def read(self) -> bytes:
        """The bytes to deliver."""
        if self.data is not None:
            return self.data
        assert self.path is not None
        with open(self.path, "rb") as handle:
            return handle.read()


def check_section_options(has_section: bool, *, as_json: bool) -> None:
    """``--json`` describes a section: it needs one."""
    if as_json and not has_section:
        raise UsageError("--json describes a section", hint="name one: rfc:9110#section-15.5.5 or --section 15.5.5")


def shape(
    ref: Reference,
    fmt: str,
    path: Path,
    section: str | None,
    *,
    page_breaks: bool,
    as_json: bool,
    root: str | None,
    host: Any = None,
) -> Piece:
    """Cut the document at ``path`` as asked: the whole file, or one section, with or without page breaks."""
    if section is None and page_breaks:
        return Piece(path=path)
    from docfetch.knowledge.outlines import digest, outline_of, section_bytes, section_record, select

    with open(path, "rb") as handle:
        data = handle.read()
    sha256 = digest(data)
    outline = outline_of(ref, fmt, data, root=root, sha256=sha256, host=host)
    if section is None:
        from docfetch.sections import strip_furniture

        return Piece(data=strip_furniture(data, outline))
    found = select(outline, section, ref)
    if as_json:
        record = section_record(ref, fmt, data, outline, found, sha256=sha256, page_breaks=page_breaks)
        return Piece(record=record)
    return Piece(data=section_bytes(data, outline, found, page_breaks=page_breaks), suffix=f"-{found.id}")


def deliver_cut(pieces: list[Piece], *, single: bool) -> None:
    """The fast path's delivery of cut documents to a pipe: their bytes, or their JSON records."""
    records = [piece.record for piece in pieces if piece.record is not None]
    if records:
        from docfetch.terminal import json_text

        sys.stdout.write(json_text(records[0] if single and len(records) == 1 else records) + "\n")
        sys.stdout.flush()
        return
    out = sys.stdout.buffer
    for piece in pieces:
        out.write(piece.read())
    out.flush()
