"""One citation check, from paths to findings: scan the files, get the documents once, check every citation.

Shared by ``docfetch cite check`` and the library's :func:`docfetch.cite_check`. Nothing is printed
here; warnings (an unreadable index, errata not available) go through :mod:`docfetch.report`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docfetch.errors import EXIT_FETCH_FAILED

if TYPE_CHECKING:
    import os

    from docfetch.cite.findings import Finding
    from docfetch.cite.walk import Skipped
    from docfetch.reference import Reference


@dataclass(frozen=True)
class Unchecked:
    """A cited document that could not be had: why, the exit code of that failure, how many citations it has."""

    document: Reference
    reason: str
    exit_code: int
    citations: int

    def message(self) -> str:
        """``RFC 9110 could not be had (...): 3 citations not checked``."""
        noun = "citation" if self.citations == 1 else "citations"
        return f"{self.document.label()} {self.reason}: {self.citations} {noun} not checked"


@dataclass
class CiteRun:
    """What a check found: findings (sorted by path, line, column), counts, and what could not be checked."""

    findings: list[Finding] = field(default_factory=list)
    citations: int = 0
    files: int = 0
    unreadable: list[Skipped] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)

    def summary(self) -> str:
        """``2 errors, 1 warning in 40 citations (12 files)``, and what was not checked or read."""
        from docfetch.cite.findings import summary

        line = summary(self.findings, self.citations, self.files)
        skipped = sum(u.citations for u in self.unchecked)
        if skipped:
            line += f"; {skipped} citation{'s' if skipped != 1 else ''} not checked"
        if self.unreadable:
            line += f"; {len(self.unreadable)} path{'s' if len(self.unreadable) != 1 else ''} unreadable"
        return line


def run_check(
    paths: Iterable[str | os.PathLike[str]], *, offline: bool = False, jobs: int = 4, quiet: bool = False
) -> CiteRun:
    """Scan ``paths`` and check every citation against the published documents (fetched once, concurrently)."""
    from docfetch.cite.check import check, cited_documents
    from docfetch.cite.collect import scan_paths
    from docfetch.cite.findings import sort_findings

    scan = scan_paths(paths)
    run = CiteRun(citations=len(scan.citations), files=scan.files, unreadable=scan.unreadable)
    if not scan.citations:
        return run
    from docfetch.config import load_settings
    from docfetch.engine.fetcher import Fetcher, FetchOptions
    from docfetch.knowledge.citelib import EngineLibrary

    documents = cited_documents(scan.citations)
    quoted = {c.document for c in scan.citations if c.quote is not None}
    with Fetcher(load_settings(), FetchOptions(offline=offline, quiet=quiet)) as fetcher:
        library = EngineLibrary(fetcher, jobs=jobs)
        try:
            library.prepare(documents, quoted)
            result = check(scan.citations, library)
        finally:
            library.close()
    run.findings = sort_findings(result.findings)
    counts: dict[Reference, tuple[str, int]] = {}
    for citation, reason in result.unchecked:
        _reason, seen = counts.get(citation.document, (reason, 0))
        counts[citation.document] = (reason, seen + 1)
    for document, (reason, seen) in counts.items():
        failure = library.failures.get(document)
        code = failure.exit_code if failure is not None else EXIT_FETCH_FAILED
        run.unchecked.append(Unchecked(document, reason, code, seen))
    return run
