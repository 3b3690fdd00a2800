"""The sections of a fetched document: its outline (computed once, kept beside it), one section, a link.

An outline is computed by :mod:`docfetch.sections` for RFC-style text (RFCs, drafts), or by the
plugin whose document kind it is (the ``docfetch_sections`` hook), and kept as JSON in the cache
under ``outlines/``, keyed by the document's SHA-256: a cached document's sections cost one small
JSON read. Cheap to import: the cached fast path uses it.
"""

from __future__ import annotations

import os

from docfetch.errors import NotFoundError, UsageError
from docfetch.reference import Reference
from docfetch.sections import Outline, Section, SectionNotFound, find

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Document kinds the core reads itself (RFC-style text).
CORE_SCHEMES = ("rfc", "draft")
RFC_HTML = "https://www.rfc-editor.org/rfc/rfc{number}.html"
DRAFT_HTML = "https://datatracker.ietf.org/doc/html/{name}"
SUBSERIES_INFO = "https://www.rfc-editor.org/info/{stem}"


def digest(data: bytes) -> str:
    """The SHA-256 of a document's bytes (hex): what ``--json`` reports and outlines are keyed by."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


def outline_path(root: str, ref: Reference, fmt: str) -> str:
    """Where the outline of a cached document is kept: ``<cache>/outlines/<scheme>/<stem>.<fmt>.json``."""
    return os.path.join(root, "outlines", ref.scheme, f"{ref.stem}.{fmt}.json")


def _stored(path: str, sha256: str) -> Outline | None:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    head, _newline, body = raw.partition(b"\n")
    if head.decode("ascii", "replace") != sha256:
        return None
    try:
        return Outline.from_json(body)
    except ValueError:
        return None


def _store(path: str, sha256: str, outline: Outline, root: str) -> None:
    """Keep the outline for next time; a cache that cannot be written only costs a recomputation."""
    from pathlib import Path

    from docfetch.engine.staging import atomic_writer

    try:
        with atomic_writer(Path(path), staging=Path(root) / "tmp") as out:
            out.write(sha256.encode("ascii") + b"\n" + outline.to_json().encode("utf-8"))
    except OSError:
        pass


def outline_of(
    ref: Reference, fmt: str, data: bytes, *, root: str | None, sha256: str | None = None, host: Any = None
) -> Outline:
    """The outline of ``data`` (the document ``ref`` in ``fmt``): stored, or computed and stored.

    ``root`` is the cache directory (None: not kept). For other schemes than rfc/draft the
    plugins are asked first (through ``host``, a PluginHost, created when needed).
    """
    sha256 = sha256 or digest(data)
    path = outline_path(root, ref, fmt) if root else None
    if path is not None:
        stored = _stored(path, sha256)
        if stored is not None and stored.size == len(data):
            return stored
    outline = _compute(ref, fmt, data, host)
    if path is not None and root is not None:
        _store(path, sha256, outline, root)
    return outline


def _compute(ref: Reference, fmt: str, data: bytes, host: Any) -> Outline:
    from docfetch.sections import parse_text

    if ref.scheme not in CORE_SCHEMES:
        if host is None:
            from docfetch.plugins.host import PluginHost

            host = PluginHost()
        sections = host.sections(ref, fmt, data)
        if sections is not None:
            return Outline(tuple(sections), (), len(data))
    return parse_text(data)


def fetch_outline(fetcher: Any, ref: Reference) -> tuple[Reference, str, bytes, Outline]:
    """Fetch ``ref`` (the cache first) with ``fetcher``; its exact reference, format, bytes and outline."""
    from pathlib import Path

    document = fetcher.fetch(ref)
    data = Path(document.path).read_bytes()
    root = str(fetcher.cache.root) if fetcher.options.use_cache else None
    return document.ref, document.fmt, data, outline_of(document.ref, document.fmt, data, root=root, host=fetcher.host)


def select(outline: Outline, query: str, ref: Reference) -> Section:
    """The section of ``ref`` that ``query`` names (NotFoundError, exit 3, with a hint when none does)."""
    try:
        return find(outline, query)
    except SectionNotFound as exc:
        toc = f"'docfetch toc {ref}' lists them"
        if exc.ambiguous:
            raise UsageError(
                f"section {query!r} of {ref.label()} is ambiguous: it names {', '.join(exc.suggestions)}",
                hint=f"use a number or an id; {toc}",
            ) from None
        if not outline.sections:
            raise NotFoundError(f"{ref.label()} has no sections", hint="fetch the whole document") from None
        if exc.no_numbers:
            raise NotFoundError(
                f"{ref.label()} has no section {query!r} (it has no numbered sections)", hint=toc
            ) from None
        numbers = [suggestion.split("  ")[0] for suggestion in exc.suggestions[:3]]
        close = f"did you mean {' or '.join(numbers)}? " if numbers else ""
        raise NotFoundError(f"{ref.label()} has no section {query!r}", hint=f"{close}{toc}") from None


def section_bytes(data: bytes, outline: Outline, section: Section, *, page_breaks: bool = True) -> bytes:
    """The exact slice of the published file, or the same without its page furniture."""
    from docfetch.sections import section_bytes as cut

    return cut(data, outline, section, page_breaks=page_breaks)


def link(ref: Reference, section: Section | None = None) -> str:
    """Where people read ``ref`` (and its section) on the web: the RFC Editor's HTML, datatracker for drafts."""
    if ref.scheme == "rfc":
        base = RFC_HTML.format(number=ref.number)
    elif ref.scheme == "draft":
        base = DRAFT_HTML.format(name=ref.stem)
    elif ref.scheme in ("bcp", "std", "fyi") and section is None:
        base = SUBSERIES_INFO.format(stem=ref.stem)
    else:
        raise UsageError(f"no web page is known for {ref.label()}")
    return f"{base}#{section.id}" if section is not None else base


def section_record(ref: Reference, fmt: str, data: bytes, outline: Outline, section: Section, *, sha256: str,
                   page_breaks: bool = True) -> dict[str, Any]:  # fmt: skip
    """What ``--json`` prints for a section: where it is in the published file, and its text."""
    text = section_bytes(data, outline, section, page_breaks=page_breaks)
    return {
        "reference": str(ref),
        "format": fmt,
        "id": section.id,
        "number": section.number,
        "title": section.title,
        "level": section.level,
        "start": section.start,
        "end": section.end,
        "sha256": sha256,
        "link": link(ref, section) if ref.scheme in CORE_SCHEMES else None,
        "page_breaks": page_breaks,
        "text": text.decode("utf-8", errors="replace"),
    }


def toc_records(outline: Outline) -> list[dict[str, Any]]:
    """What ``toc --json`` prints: every section's id, number, title and level, in document order."""
    return [{"id": s.id, "number": s.number, "title": s.title, "level": s.level} for s in outline.sections]
