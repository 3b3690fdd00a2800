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

    from docfetch.knowledge.errata import SectionErrata
    from docfetch.reference import Target

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


def check_errata_option(targets: list[Target]) -> None:
    """``--errata`` shows the errata of RFC sections: every reference needs a section, and must be an RFC."""
    for target in targets:
        if target.section is None:
            raise UsageError(
                "--errata shows the errata of a section: name one (rfc:9110#15.5.5 or --section 15.5.5)",
                hint=f"'docfetch errata {target.ref}' lists every erratum of a document",
            )
        if target.ref.scheme != "rfc":
            raise UsageError(f"--errata: {target.ref.label()} has no errata (only RFCs have errata)")


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
    errata: SectionErrata | None = None,
    data: bytes | None = None,
    sha256: str | None = None,
) -> Piece:
    """Cut the document at ``path`` as asked: the whole file, or one section, with or without page breaks.

    With ``errata`` (``--errata``), the section is followed by the errata placed on it and its
    subsections, after a delimiter line (:data:`docfetch.knowledge.errata.DELIMITER`); its
    JSON record gets an ``errata`` list (and ``errata_unplaced``, how many could not be placed).
    ``data`` and ``sha256``: the file's bytes and hash when the caller has them already (verified).
    """
    if section is None and page_breaks:
        return Piece(path=path)
    from docfetch.knowledge.outlines import digest, outline_of, section_bytes, section_record, select

    if data is None:
        with open(path, "rb") as handle:
            data = handle.read()
    sha256 = sha256 or digest(data)
    outline = outline_of(ref, fmt, data, root=root, sha256=sha256, host=host)
    if section is None:
        from docfetch.sections import strip_furniture

        return Piece(data=strip_furniture(data, outline))
    found = select(outline, section, ref)
    placed = errata.placed(ref, data, outline) if errata is not None else None
    if as_json:
        record = section_record(ref, fmt, data, outline, found, sha256=sha256, page_breaks=page_breaks)
        if placed is not None:
            record["errata"] = placed.records(placed.on(found.id))
            record["errata_unplaced"] = placed.unplaced
        return Piece(record=record)
    cut = section_bytes(data, outline, found, page_breaks=page_breaks)
    if placed is not None:
        from docfetch.knowledge.errata import section_errata_text

        separator = b"" if cut.endswith(b"\n") or not cut else b"\n"
        cut += separator + section_errata_text(ref, found, placed).encode("utf-8")
    return Piece(data=cut, suffix=f"-{found.id}")


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
