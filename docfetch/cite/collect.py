"""Scanning files and directories: :mod:`~docfetch.cite.walk` and :mod:`~docfetch.cite.scan` together."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from docfetch.cite.model import Citation
from docfetch.cite.scan import scan_text
from docfetch.cite.walk import MAX_BYTES, Skipped, iter_texts


@dataclass
class ScanReport:
    """What a scan found: the citations in file order, how many files were read, what was skipped and why."""

    citations: list[Citation] = field(default_factory=list)
    files: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def unreadable(self) -> list[Skipped]:
        """The skipped paths worth reporting (missing, unreadable), not those skipped by rule."""
        return [s for s in self.skipped if s.kind == "unreadable"]


def scan_paths(paths: Iterable[str | os.PathLike[str]], max_bytes: int = MAX_BYTES) -> ScanReport:
    """Every citation in the files under ``paths`` (see :func:`docfetch.cite.walk.walk` for which files).

    Each citation's ``path`` is the file's path as reached from the path given (``src/a.py``
    for ``src``), so output can show it relative to the current directory.
    """
    report = ScanReport()
    for item in iter_texts(paths, max_bytes):
        if isinstance(item, Skipped):
            report.skipped.append(item)
            continue
        report.files += 1
        report.citations.extend(scan_text(item.text, str(item.path)))
    return report
