"""Whole-corpus check of ``docfetch cite check``: do the RFCs' own section citations resolve? Prints Markdown.

Run: ``python benchmarks/accuracy_cite_corpus.py [--corpus DIR] [--details N]`` from the repository root.

Every corpus RFC text is scanned as ``cite check`` scans a file (its ``[TAG]`` references resolved
through its own reference list), and each citation of a section of an RFC that is also in the
corpus is checked by :func:`docfetch.cite.check` against a library built the way the command's is
(:class:`docfetch.knowledge.citelib.LoadedDocument`: outlines of the published text, page
furniture removed). Published RFCs cite each other carefully, so an ``unknown-section`` here is
mostly docfetch's mistake (the scanner attributing a section to the wrong document, or the
section parser missing a heading); ``--details`` lists them for a person to judge.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docfetch.cite.check import check  # noqa: E402
from docfetch.cite.findings import MISQUOTE, UNKNOWN_SECTION  # noqa: E402
from docfetch.cite.library import ISSUED, UNKNOWN, DocStatus, ErratumInfo  # noqa: E402
from docfetch.cite.model import Citation  # noqa: E402
from docfetch.cite.reftags import reference_tags  # noqa: E402
from docfetch.cite.scan import scan_text  # noqa: E402
from docfetch.knowledge.citelib import LoadedDocument, LoadedTexts  # noqa: E402
from docfetch.reference import Reference  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


class CorpusLibrary(LoadedTexts):
    """The corpus RFC texts as cite check's library sees documents (no index, no errata: sections only)."""

    def __init__(self, folder: Path) -> None:
        self.documents = {
            Reference("rfc", p.stem[3:]): LoadedDocument(Reference("rfc", p.stem[3:]), "txt", p, None)
            for p in sorted(folder.glob("rfc*.txt"))
        }

    def status(self, document: Reference) -> DocStatus:
        return DocStatus(ISSUED) if document in self.documents else DocStatus(UNKNOWN)

    def errata(self, document: Reference, section_id: str) -> Sequence[ErratumInfo]:
        return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--details", type=int, default=0, help="list up to N unresolved citations")
    args = parser.parse_args(argv)
    folder = args.corpus / "rfc" / "txt"
    if not folder.is_dir():
        print(f"(corpus {folder} absent: skipped)")
        return 0
    library = CorpusLibrary(folder)
    started = time.perf_counter()
    kinds: Counter[str] = Counter()
    chosen: list[Citation] = []
    for ref, loaded in library.documents.items():
        text = loaded.data.decode("utf-8", errors="replace")
        for citation in scan_text(text, str(loaded.path), tags=reference_tags(text)):
            if citation.document.scheme != "rfc" or not citation.sections:
                continue
            if citation.document not in library.documents:
                kinds["other RFC, not in the corpus"] += 1
                continue
            kinds["own sections" if citation.document == ref else "another corpus RFC"] += 1
            chosen.append(citation)
    result = check(chosen, library)
    seconds = time.perf_counter() - started
    unknown = [f for f in result.findings if f.code == UNKNOWN_SECTION]
    misquotes = [f for f in result.findings if f.code == MISQUOTE]
    cited = Counter("own" if Path(c.path).stem[3:] == c.document.name else "other" for c in chosen)
    sections = Counter()
    for c in chosen:
        sections["own" if Path(c.path).stem[3:] == c.document.name else "other"] += len(c.sections)
    missing = Counter()
    by_key = {(c.path, sref.line, sref.column): c for c in chosen for sref in c.sections}
    for finding in unknown:
        citation = by_key.get((finding.path, finding.line, finding.column))
        own = citation is not None and Path(citation.path).stem[3:] == citation.document.name
        missing["own" if own else "other"] += 1

    def row(label: str, key: str) -> str:
        total = sections[key]
        resolved = total - missing[key]
        share = f"{100 * resolved / total:.1f}%" if total else "-"
        return f"| {label} | {cited[key]} | {total} | {resolved} | {missing[key]} | {share} |"

    print(f"### Section citations between the {len(library.documents)} corpus RFCs ({seconds:.1f} s)\n")
    print("| citations of | citations | sections cited | resolve to a section | unknown-section | resolved |")
    print("|---|---:|---:|---:|---:|---:|")
    print(row("another corpus RFC", "other"))
    print(row("the citing RFC itself", "own"))
    quoted = sum(1 for c in chosen if c.quote is not None)
    print(
        f"\n{kinds['other RFC, not in the corpus']} more section citations name RFCs outside the corpus. "
        f"{quoted} of the checked citations carry a quotation; {len(misquotes)} of them are reported as misquotes."
    )
    if args.details:
        print("\nUnresolved:\n")
        for finding in unknown[: args.details]:
            print(f"- {Path(finding.path).name}:{finding.line}: {finding.message}")
        if misquotes:
            print("\nMisquotes:\n")
            for finding in misquotes[: args.details]:
                print(f"- {Path(finding.path).name}:{finding.line}: {finding.message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
