"""The library API: fetch documents, many at once, describe one, search the index, errata, citation checks.

Everything here returns plain data and raises :class:`docfetch.DocfetchError` subclasses
(their ``exit_code`` says which kind); nothing is printed. Notes and warnings go to the
``docfetch`` logger (``logging``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from docfetch.errors import DocfetchError
from docfetch.reference import Reference


class Result:
    """One document of :func:`fetch_many`: its bytes, or the error that stopped it."""

    __slots__ = ("data", "error", "fmt", "ref", "source")

    def __init__(
        self, ref: Reference, data: bytes | None, error: DocfetchError | None, fmt: str | None, source: str | None
    ) -> None:
        self.ref = ref
        self.data = data
        self.error = error
        self.fmt = fmt
        self.source = source

    @property
    def ok(self) -> bool:
        """True when the document arrived."""
        return self.error is None

    def __repr__(self) -> str:
        state = f"{len(self.data)} bytes" if self.data is not None else f"error={self.error!r}"
        return f"Result({self.ref.label()!r}, {state}, source={self.source!r})"


def _fetcher(source: str | None, fmt: str | None, offline: bool, refresh: bool, use_cache: bool) -> Any:
    from docfetch.config import load_settings
    from docfetch.engine.fetcher import Fetcher, FetchOptions

    return Fetcher(load_settings(), FetchOptions(source, fmt, offline, refresh, use_cache, quiet=False))


def _targets(references: str | Iterable[str]) -> list[Any]:
    from docfetch.reference import parse_targets

    texts = [references] if isinstance(references, str) else list(references)
    return parse_targets(texts)


def fetch_many(
    references: str | Iterable[str],
    *,
    jobs: int = 4,
    source: str | None = None,
    fmt: str | None = None,
    offline: bool = False,
    refresh: bool = False,
    use_cache: bool = True,
) -> Iterator[Result]:
    """Fetch every document named (ranges and subseries expanded), ``jobs`` at a time, in order.

    >>> for result in docfetch.fetch_many(["rfc:1-3", "bcp:14"], jobs=4):   # doctest: +SKIP
    ...     print(result.ref.label(), len(result.data) if result.ok else result.error)

    Raises UsageError at once for a reference that cannot be read; per-document failures come
    back as results with ``error`` set.
    """
    targets = _targets(references)
    with _fetcher(source, fmt, offline, refresh, use_cache) as fetcher:
        for outcome in fetcher.fetch_many(targets, jobs=jobs):
            document = outcome.document
            if document is None:
                yield Result(outcome.ref, None, outcome.error, None, None)
            else:
                yield Result(document.ref, Path(document.path).read_bytes(), None, document.fmt, document.source)


def fetch(
    reference: str,
    *,
    source: str | None = None,
    fmt: str | None = None,
    offline: bool = False,
    refresh: bool = False,
    use_cache: bool = True,
) -> bytes:
    """The exact published bytes of one document (a subseries or a range: its documents, concatenated).

    >>> docfetch.fetch("rfc:791")[:10]   # doctest: +SKIP
    """
    parts = []
    for result in fetch_many(
        reference, jobs=1, source=source, fmt=fmt, offline=offline, refresh=refresh, use_cache=use_cache
    ):
        if result.error is not None:
            raise result.error
        assert result.data is not None
        parts.append(result.data)
    return b"".join(parts)


def info(reference: str, *, offline: bool = False) -> dict[str, Any]:
    """What ``docfetch info --json`` prints: title, authors, status, relations... (a dict)."""
    from docfetch.knowledge.info import describe
    from docfetch.reference import parse_reference

    ref = parse_reference(reference)
    with _fetcher(None, None, offline, False, True) as fetcher:
        return describe(fetcher, ref)


def search(query: str, *, status: str | None = None, limit: int = 20, offline: bool = False) -> list[dict[str, Any]]:
    """What ``docfetch search --json`` prints: matching RFCs, best first (a list of dicts)."""
    from docfetch.knowledge.search import search as search_index

    with _fetcher(None, None, offline, False, True) as fetcher:
        hits, _status = search_index(fetcher, query, status=status, limit=limit)
    return hits


def _outline(reference: str, offline: bool) -> tuple[Any, Any, str, bytes, Any, str | None]:
    from docfetch.knowledge.outlines import fetch_outline
    from docfetch.reference import parse_one_target

    target = parse_one_target(reference)
    with _fetcher(None, None, offline, False, True) as fetcher:
        exact, fmt, data, found = fetch_outline(fetcher, target.ref)
    return target.ref, exact, fmt, data, found, target.section


def section(
    reference: str, section: str | None = None, *, page_breaks: bool = True, offline: bool = False
) -> dict[str, Any]:
    """What ``docfetch REF#SECTION --json`` prints: the section's id, number, title, byte range, sha256, text.

    >>> docfetch.section("rfc9110#15.5.5")["title"]   # doctest: +SKIP
    '404 Not Found'
    """
    from docfetch.errors import UsageError
    from docfetch.knowledge.outlines import digest, section_record, select

    _ref, exact, fmt, data, found, fragment = _outline(reference, offline)
    query = section or fragment
    if query is None:
        raise UsageError("name a section: rfc:9110#15.5.5, or section='15.5.5'")
    chosen = select(found, query, exact)
    return section_record(exact, fmt, data, found, chosen, sha256=digest(data), page_breaks=page_breaks)


def toc(reference: str, *, offline: bool = False) -> list[dict[str, Any]]:
    """What ``docfetch toc --json`` prints: every section's id, number, title and level."""
    from docfetch.knowledge.outlines import toc_records

    return toc_records(_outline(reference, offline)[4])


def errata_of(
    reference: str,
    *,
    status: str | Iterable[str] | None = None,
    type: str | Iterable[str] | None = None,
    section: str | None = None,
    offline: bool = False,
) -> list[dict[str, Any]]:
    """What ``docfetch errata REF --json`` prints: the RFC's errata, each with every field of errata.json,
    ``placed_section`` (the section docfetch placed it on, or None) and ``url``.

    ``status``: ``verified``, ``reported``, ``held``, ``rejected`` (a list, or comma-separated),
    or ``all``; default every status but Rejected. ``type``: ``technical`` or ``editorial``.
    ``section`` (or ``rfc9110#15.4``): only the errata placed on it and its subsections.

    >>> [e["errata_id"] for e in docfetch.errata_of("rfc:9110", status="verified")]   # doctest: +SKIP
    """
    from docfetch.cli.errata import find_errata
    from docfetch.knowledge.errata import rfc_reference
    from docfetch.reference import parse_one_target

    def joined(value: str | Iterable[str] | None) -> str | None:
        return value if value is None or isinstance(value, str) else ",".join(value)

    target = parse_one_target(reference)
    ref = rfc_reference(target.ref)
    with _fetcher(None, None, offline, False, True) as fetcher:
        found, placed, _section = find_errata(
            fetcher, ref, status=joined(status), errata_type=joined(type), section=section or target.section
        )
    return placed.records(found)


def cite_check(paths: str | Iterable[str], *, offline: bool = False, jobs: int = 4) -> list[dict[str, Any]]:
    """What ``docfetch cite check PATH... --format json`` prints: one dict per finding, with ``path``
    (relative to the current directory when under it), ``line``, ``column``, ``code``, ``severity``
    and ``message``, sorted by path and position.

    Documents that could not be had and paths that could not be read are logged as warnings
    (their citations are not checked).

    >>> docfetch.cite_check(["src", "docs"])   # doctest: +SKIP
    """
    import json

    from docfetch import report
    from docfetch.cite.formats import render_json
    from docfetch.knowledge.citerun import run_check

    run = run_check([paths] if isinstance(paths, str) else list(paths), offline=offline, jobs=jobs)
    for skipped in run.unreadable:
        report.warning(f"cannot read {skipped.path}: {skipped.reason}")
    for unchecked in run.unchecked:
        report.warning(unchecked.message())
    findings: list[dict[str, Any]] = json.loads(render_json(run.findings))
    return findings
