"""Checking citations against the published documents: the rules that turn citations into findings.

For each citation, in this order:

1. ``unknown-document`` (error) when the document does not exist or was never issued; nothing
   else is checked then. A document the library could not fetch (``unavailable``) is not a
   finding: the citation is listed in :attr:`CheckResult.unchecked`.
2. ``unknown-section`` (error), at the section number, for each cited section the document
   lacks, suggesting where to look: where the quoted text is, else the section whose title the
   citation gives in parentheses, else the nearest number.
3. ``misquote`` (error), at the opening quotation mark, when the quotation is not in the cited
   sections (any of them, for a list; any between the ends, for a range; the whole document,
   for a bare citation), saying where it is: another section of the same document, or a
   document that obsoletes this one; else where the text is closest (a paraphrase), and for
   the cited section itself where the quotation parts from it; else that it is nowhere.
4. ``obsolete`` (warning), once per citation, naming what replaced the document.
5. ``errata`` (warning), at the section number, for each cited section with verified errata
   (on it or its subsections), naming their ids, and marking those whose original text is
   the quoted text; for a range, one finding naming each erratum of the sections in it once.
   A range with an end the document lacks is not checked for the quotation or for errata.

Messages quote text from scanned files and documents; control characters in it are shown
escaped, so a message is always one printable line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from docfetch.cite.findings import ERRATA, MISQUOTE, OBSOLETE, UNKNOWN_DOCUMENT, UNKNOWN_SECTION, Finding
from docfetch.cite.library import ISSUED, UNAVAILABLE, DocStatus, ErratumInfo, Library, SectionInfo
from docfetch.cite.model import Citation, SectionRef, section_label
from docfetch.cite.outline import SectionIndex
from docfetch.cite.quote import Haystack, Location, best_location, divergence, quote_in, similarity
from docfetch.reference import Reference

#: A paraphrase is reported as "closest" when at least this share of its word triples is found.
CLOSEST_THRESHOLD = 0.5


@dataclass
class CheckResult:
    """The findings, and the citations not checked because their document could not be had (with why)."""

    findings: list[Finding] = field(default_factory=list)
    unchecked: list[tuple[Citation, str]] = field(default_factory=list)


def _sort_key(document: Reference) -> tuple[str, int, str, str]:
    number = int(document.name) if document.name.isdigit() else 0
    return (document.scheme, number, document.name, document.revision or "")


def cited_documents(citations: Iterable[Citation]) -> list[Reference]:
    """The distinct documents the citations name, sorted (RFCs by number): what to prefetch."""
    return sorted({c.document for c in citations}, key=_sort_key)


def check(citations: Iterable[Citation], library: Library) -> CheckResult:
    """Check every citation (see the module's rules); findings come in citation order."""
    checker = Checker(library)
    result = CheckResult()
    for citation in citations:
        result.findings.extend(checker.check(citation))
    result.unchecked = checker.unchecked
    return result


def _printable(text: str, limit: int = 120) -> str:
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in cut)


def _of(section: SectionInfo | SectionRef | str, document: Reference) -> str:
    ident = section if isinstance(section, str) else section.id
    return f"{section_label(ident)} of {document.label()}"


def _short(ident: str, other: str) -> str:
    """``15.5.5`` when ``ident`` is the same kind of section as ``other``, else its full label."""
    kind, _, number = ident.partition("-")
    if kind == other.partition("-")[0] and kind in ("section", "appendix") and number:
        return number
    return section_label(ident)


class Checker:
    """Checks citations one at a time, keeping what it learns about each document."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.unchecked: list[tuple[Citation, str]] = []
        self._status: dict[Reference, DocStatus] = {}
        self._index: dict[Reference, SectionIndex] = {}
        self._texts: dict[tuple[Reference, str], Haystack] = {}
        self._documents: dict[Reference, Haystack] = {}
        self._verdicts: dict[tuple[Reference, tuple[str, ...], bool, str], str | None] = {}

    # --- what is known of documents ----------------------------------------------------------
    def status(self, document: Reference) -> DocStatus:
        """The library's status of a document, asked once."""
        if document not in self._status:
            self._status[document] = self.library.status(document)
        return self._status[document]

    def index(self, document: Reference) -> SectionIndex:
        """The document's sections, indexed."""
        if document not in self._index:
            self._index[document] = SectionIndex(self.library.sections(document))
        return self._index[document]

    def section_haystack(self, document: Reference, section: SectionInfo) -> Haystack:
        """The section's title and text, ready for quotation lookups."""
        key = (document, section.id)
        if key not in self._texts:
            text = self.library.section_text(document, section.id)
            self._texts[key] = Haystack(f"{section.title}\n{text}")
        return self._texts[key]

    def document_haystack(self, document: Reference) -> Haystack:
        """The whole document, ready for quotation lookups."""
        if document not in self._documents:
            self._documents[document] = Haystack(self.library.document_text(document))
        return self._documents[document]

    # --- the rules ---------------------------------------------------------------------------
    def check(self, citation: Citation) -> list[Finding]:
        """The findings for one citation."""
        document = citation.document
        status = self.status(document)
        if status.state == UNAVAILABLE:
            self.unchecked.append((citation, status.reason))
            return []
        if status.state != ISSUED:
            message = f"{document.label()} {status.reason}"
            return [Finding.of(UNKNOWN_DOCUMENT, citation.path, citation.line, citation.column, message)]
        findings: list[Finding] = []
        resolved: list[tuple[SectionRef, SectionInfo]] = []
        missing: list[SectionRef] = []
        if citation.sections:
            index = self.index(document)
            for ref in citation.sections:
                info = index.find(ref.id)
                if info is None:
                    missing.append(ref)
                else:
                    resolved.append((ref, info))
            for ref in missing:
                message = self._unknown_section(citation, ref, index)
                findings.append(Finding.of(UNKNOWN_SECTION, citation.path, ref.line, ref.column, message))
        whole_range = not (citation.through and missing)
        if citation.quote is not None and (resolved or not citation.sections) and whole_range:
            misquote = self._misquote(citation, [info for _, info in resolved])
            if misquote is not None:
                line = citation.quote_line or citation.line
                column = citation.quote_column or citation.column
                findings.append(Finding.of(MISQUOTE, citation.path, line, column, misquote))
        if status.obsoleted_by:
            findings.append(
                Finding.of(OBSOLETE, citation.path, citation.line, citation.column, self._obsolete(document, status))
            )
        if citation.through and len(resolved) == 2:
            findings.extend(self._range_errata(citation, resolved[0], resolved[1][1]))
            return findings
        for ref, info in resolved:
            errata = self.library.errata(document, info.id)
            if errata:
                message = self._errata(_of(info, document), errata, citation.quote)
                findings.append(Finding.of(ERRATA, citation.path, ref.line, ref.column, message))
        return findings

    def _range_errata(
        self, citation: Citation, first: tuple[SectionRef, SectionInfo], last: SectionInfo
    ) -> list[Finding]:
        """One finding for the errata of every section of a range, each erratum named once."""
        ref, start = first
        errata: dict[str, ErratumInfo] = {}
        for section in self.index(citation.document).between(start, last):
            for erratum in self.library.errata(citation.document, section.id):
                errata.setdefault(erratum.id, erratum)
        if not errata:
            return []
        place = f"{section_label(start.id)} to {_short(last.id, start.id)} of {citation.document.label()}"
        message = self._errata(place, list(errata.values()), citation.quote)
        return [Finding.of(ERRATA, citation.path, ref.line, ref.column, message)]

    def _unknown_section(self, citation: Citation, ref: SectionRef, index: SectionIndex) -> str:
        document = citation.document
        message = f"{document.label()} has no {ref.label}"
        if not index.has_numbers and not ref.id.startswith("name-"):
            return message + f" ({document.label()} has no numbered sections)"
        if citation.quote is not None:
            where = self._locate_in(document, citation.quote)
            if where is not None:
                return message + f"; the quoted text is in {section_label(where.id)}"
        suggestion = index.by_title(citation.title) if citation.title else None
        if suggestion is None:
            suggestion = index.nearest(ref.id)
        if suggestion is not None:
            return message + f"; did you mean {section_label(suggestion.id)} ({_printable(suggestion.title, 60)})?"
        return message

    def _locate_in(self, document: Reference, quote: str) -> SectionInfo | None:
        """The most specific section of the document holding the quotation exactly."""
        if not self.document_haystack(document).contains(quote):
            return None
        sections = self.index(document).sections
        found = best_location(quote, ((s, self.section_haystack(document, s)) for s in sections), threshold=2.0)
        return found.key if found is not None else None

    def _misquote(self, citation: Citation, cited: Sequence[SectionInfo]) -> str | None:
        """``None`` when the quotation is where the citation says, else what to say about it (memoised:
        a tree often repeats one quotation)."""
        quote = citation.quote
        assert quote is not None
        key = (citation.document, tuple(s.id for s in cited), citation.through, quote)
        if key not in self._verdicts:
            self._verdicts[key] = self._judge(citation, cited)
        return self._verdicts[key]

    def _judge(self, citation: Citation, cited: Sequence[SectionInfo]) -> str | None:
        quote = citation.quote
        assert quote is not None
        document = citation.document
        if citation.through and len(cited) == 2:
            cited = self.index(document).between(cited[0], cited[1])
        if cited:
            if any(self.section_haystack(document, s).contains(quote) for s in cited):
                return None
            cited_ids = [s.id for s in cited]
            place = _of(cited[0], document) if len(cited) == 1 else f"the cited sections of {document.label()}"
        else:
            if self.document_haystack(document).contains(quote):
                return None
            cited_ids = []
            place = document.label()
        elsewhere = self._locate_in(document, quote)
        if elsewhere is not None:
            if len(cited_ids) == 1:
                return f"quoted text is in {section_label(elsewhere.id)}, not {_short(cited_ids[0], elsewhere.id)}"
            return f"quoted text is not in {place}; it is in {section_label(elsewhere.id)}"
        for successor in self._successors(document):
            found = self._locate_in(successor, quote)
            if found is not None:
                return (
                    f"quoted text is not in {place}; it is in {_of(found, successor)}, which obsoletes "
                    f"{document.label()}"
                )
            if self.document_haystack(successor).contains(quote):
                obsoleted = document.label()
                return f"quoted text is not in {place}; it is in {successor.label()}, which obsoletes {obsoleted}"
        return self._paraphrase(citation, cited, place)

    def _successors(self, document: Reference) -> list[Reference]:
        return [s for s in self.status(document).obsoleted_by if self.status(s).state == ISSUED]

    def _paraphrase(self, citation: Citation, cited: Sequence[SectionInfo], place: str) -> str:
        quote = citation.quote
        assert quote is not None
        document = citation.document
        candidates: list[tuple[tuple[Reference, SectionInfo], Haystack]] = []
        for doc in (document, *self._successors(document)):
            candidates.extend(((doc, s), self.section_haystack(doc, s)) for s in self.index(doc).sections)
        closest: Location[tuple[Reference, SectionInfo]] | None = best_location(
            quote, candidates, threshold=CLOSEST_THRESHOLD
        )
        if closest is None:
            nowhere = f"quoted text is not in {place}, nor anywhere else in {document.label()}"
            successors = self._successors(document)
            if successors:
                nowhere += " or in " + ", ".join(s.label() for s in successors)
            return nowhere
        doc, section = closest.key
        if doc == document and any(s.id == section.id for s in cited):
            differs = divergence(quote, self.section_haystack(doc, section))
            message = f"quoted text differs from {_of(section, doc)}"
            if differs is not None:
                message += (
                    f" after {_printable(differs.matched)!r}: the quotation has {_printable(differs.quoted_next)!r}, "
                    f"the text {_printable(differs.text_next)!r}"
                )
            else:
                message += f" ({round(closest.score * 100)}% of its word sequences match)"
            return message
        where = section_label(section.id) if doc == document else _of(section, doc)
        return (
            f"quoted text is not in {place}; the closest text is in {where} "
            f"({round(closest.score * 100)}% of its word sequences match)"
        )

    def _obsolete(self, document: Reference, status: DocStatus) -> str:
        names = ", ".join(s.label() for s in status.obsoleted_by)
        if document.scheme == "draft":
            return f"{document.label()} is replaced by {names}"
        return f"{document.label()} is obsoleted by {names}"

    def _errata(self, place: str, errata: Sequence[ErratumInfo], quote: str | None) -> str:
        ids = []
        for erratum in errata:
            label = _printable(erratum.id, 20)
            if quote is not None and erratum.original and _overlaps(quote, erratum.original):
                label += " (changes the quoted text)"
            ids.append(label)
        noun = "erratum" if len(ids) == 1 else "errata"
        return f"{place} has verified {noun} {', '.join(ids)}"


def _overlaps(quote: str, original: str) -> bool:
    """Whether an erratum's original text and a quotation share text."""
    return quote_in(quote, original) or quote_in(original, quote) or similarity(quote, original) >= CLOSEST_THRESHOLD
