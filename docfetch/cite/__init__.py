"""Checking citations of RFCs and Internet-Drafts in code and documentation (``docfetch cite check``).

The pieces, each in its own module:

- :mod:`~docfetch.cite.walk`: the files to scan (pruning VCS directories, virtual environments,
  binary and very large files) and their decoded text;
- :mod:`~docfetch.cite.scan`: the citations in a text (every form people write), with their
  quotations; :mod:`~docfetch.cite.reftags` resolves ``[HTTP]``-style tags of an RFC's own
  reference list;
- :mod:`~docfetch.cite.quote`: whether a quotation appears in a text, and where else it does;
- :mod:`~docfetch.cite.library`: what the check asks about documents (a Protocol the caller implements);
- :mod:`~docfetch.cite.check`: the rules that turn citations into findings;
- :mod:`~docfetch.cite.findings` and :mod:`~docfetch.cite.formats`: findings and their text,
  JSON, SARIF and GitHub renderings.

Typical use::

    citations = scan_paths(["src", "docs"]).citations
    library.prefetch(cited_documents(citations))          # the caller's Library, concurrently
    result = check(citations, library)
    sys.stdout.write(render("text", result.findings))
"""

from __future__ import annotations

from docfetch.cite.check import Checker, CheckResult, check, cited_documents
from docfetch.cite.collect import ScanReport, scan_paths
from docfetch.cite.findings import Finding, summary
from docfetch.cite.formats import render
from docfetch.cite.library import DocStatus, ErratumInfo, Library, SectionInfo
from docfetch.cite.model import Citation, SectionRef
from docfetch.cite.scan import scan_text

__all__ = [
    "CheckResult",
    "Checker",
    "Citation",
    "DocStatus",
    "ErratumInfo",
    "Finding",
    "Library",
    "ScanReport",
    "SectionInfo",
    "SectionRef",
    "check",
    "cited_documents",
    "render",
    "scan_paths",
    "scan_text",
    "summary",
]
