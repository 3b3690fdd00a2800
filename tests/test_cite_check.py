"""Tests of docfetch.cite.check: the rules, against a Library implemented over texts written here."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

import pytest

from docfetch.cite.check import Checker, check, cited_documents
from docfetch.cite.findings import Finding
from docfetch.cite.formats import render_text
from docfetch.cite.library import ISSUED, NOT_ISSUED, UNAVAILABLE, UNKNOWN, DocStatus, ErratumInfo, Library
from docfetch.cite.model import Citation, SectionRef
from docfetch.cite.outline import SectionIndex
from docfetch.cite.scan import scan_text
from docfetch.reference import Reference

RFC9110 = Reference("rfc", "9110")
RFC7231 = Reference("rfc", "7231")
QUIC34 = Reference("draft", "draft-ietf-quic-transport", "34")
RFC9000 = Reference("rfc", "9000")


class Section(NamedTuple):
    """Shaped like docfetch.sections.Section (a named tuple): the Protocol must accept it as it is."""

    id: str
    number: str | None
    title: str
    level: int
    start: int
    end: int


class TextLibrary:
    """The document side over texts: each document is a list of (id, number, title, level, own text)."""

    def __init__(
        self,
        documents: dict[Reference, list[tuple[str, str | None, str, int, str]]],
        statuses: dict[Reference, DocStatus],
        errata: dict[tuple[Reference, str], list[ErratumInfo]] | None = None,
    ) -> None:
        self.statuses = statuses
        self.errata_map = errata or {}
        self.texts: dict[Reference, str] = {}
        self.outline: dict[Reference, list[Section]] = {}
        self.calls: Counter[str] = Counter()
        for doc, parts in documents.items():
            text = ""
            spans = []
            for ident, number, title, level, body in parts:
                heading = f"{number}.  {title}" if number else title
                start = len(text)
                text += f"{heading}\n\n{body}\n\n"
                spans.append((ident, number, title, level, start))
            self.texts[doc] = text
            sections = []
            for index, (ident, number, title, level, start) in enumerate(spans):
                end = len(text)
                for later in spans[index + 1 :]:
                    if later[3] <= level:
                        end = later[4]
                        break
                sections.append(Section(ident, number, title, level, start, end))
            self.outline[doc] = sections

    def status(self, document: Reference) -> DocStatus:
        self.calls["status"] += 1
        return self.statuses.get(document, DocStatus(UNKNOWN))

    def sections(self, document: Reference) -> Sequence[Section]:
        self.calls["sections"] += 1
        return self.outline[document]

    def section_text(self, document: Reference, section_id: str) -> str:
        self.calls["section_text"] += 1
        section = next(s for s in self.outline[document] if s.id == section_id)
        return self.texts[document][section.start : section.end]

    def document_text(self, document: Reference) -> str:
        self.calls["document_text"] += 1
        return self.texts[document]

    def errata(self, document: Reference, section_id: str) -> Sequence[ErratumInfo]:
        """The errata on the section and on its subsections, as the Protocol asks."""
        self.calls["errata"] += 1
        return [
            erratum
            for (doc, where), errata in sorted(self.errata_map.items())
            if doc == document and (where == section_id or where.startswith(section_id + "."))
            for erratum in errata
        ]


TEXT_404 = (
    "   The 404 (Not Found) status code indicates that the origin server did\n"
    "   not find a current representation for the target resource or is not\n"
    "   willing to disclose that one exists."
)
TEXT_405 = (
    "   The 405 (Method Not Allowed) status code indicates that the method\n"
    "   received in the request-line is known by the origin server but not\n"
    "   supported by the target resource."
)
TEXT_406 = (
    "   The 406 (Not Acceptable) status code indicates that the target\n"
    "   resource does not have a current representation that would be acceptable."
)
OLD_404 = (
    "   The 404 (Not Found) status code indicates that the origin server did\n"
    "   not find a current representation for the target resource."
)


def library() -> TextLibrary:
    return TextLibrary(
        {
            RFC9110: [
                ("section-15", "15", "Status Codes", 1, "   Status codes are three digits."),
                ("section-15.5", "15.5", "Client Error 4xx", 2, "   The 4xx class of status code."),
                ("section-15.5.5", "15.5.5", "404 Not Found", 3, TEXT_404),
                ("section-15.5.6", "15.5.6", "405 Method Not Allowed", 3, TEXT_405),
                ("section-15.5.7", "15.5.7", "406 Not Acceptable", 3, TEXT_406),
                ("section-16", "16", "Extending HTTP", 1, "   HTTP defines a number of generic extension points."),
                ("appendix-B", "B", "Changes from Previous RFCs", 1, "   Changes are listed here."),
                ("appendix-B.1", "B.1", "Changes from RFC 2818", 2, "   None."),
            ],
            RFC7231: [
                ("section-6", "6", "Response Status Codes", 1, "   The status-code element."),
                ("section-6.5", "6.5", "Client Error 4xx", 2, "   The 4xx class."),
                ("section-6.5.4", "6.5.4", "404 Not Found", 3, OLD_404),
                ("section-6.5.5", "6.5.5", "405 Method Not Allowed", 3, "   The 405 (Method Not Allowed) text."),
            ],
            QUIC34: [("section-17.2", "17.2", "Long Header Packets", 2, "   Long headers are used early.")],
            RFC9000: [("section-17.2", "17.2", "Long Header Packets", 2, "   Long headers are used early on.")],
            Reference("rfc", "1149"): [
                ("name-status-of-this-memo", None, "Status of this Memo", 1, "   Avian carriers."),
            ],
        },
        {
            RFC9110: DocStatus(ISSUED),
            RFC7231: DocStatus(ISSUED, obsoleted_by=(RFC9110,)),
            QUIC34: DocStatus(ISSUED, obsoleted_by=(RFC9000,)),
            RFC9000: DocStatus(ISSUED),
            Reference("rfc", "1149"): DocStatus(ISSUED),
            Reference("rfc", "14"): DocStatus(NOT_ISSUED),
            Reference("draft", "draft-ietf-quic-transport", "99"): DocStatus(
                UNKNOWN, detail="has no revision 99 (the latest is 34)"
            ),
            Reference("rfc", "5555"): DocStatus(UNAVAILABLE, detail="could not be fetched: connection refused"),
        },
        {
            (RFC9110, "section-15.5.6"): [ErratumInfo("7105", "Technical", original="known by the origin server")],
            (RFC9110, "section-15.5"): [ErratumInfo("7001", "Editorial"), ErratumInfo("7002")],
        },
    )


def run(text: str, lib: Library | None = None) -> list[tuple[int, int, str, str]]:
    found = check(scan_text(text, "f.go"), lib or library())
    return [(f.line, f.column, f.code, f.message) for f in found.findings]


def test_a_correct_citation_has_no_findings() -> None:
    text = (
        "// Per RFC 9110, Section 15.5.5: \"The 404 (Not Found) status code indicates that the\n"
        "// origin server did not find a current representation for the target resource\"\n"
    )  # fmt: skip
    assert run(text) == []
    subsections_count = run('// RFC 9110, Section 15: "The 404 (Not Found) status code indicates"')
    assert [code for _, _, code, _ in subsections_count] == ["errata"]  # no misquote
    assert run("// https://www.rfc-editor.org/rfc/rfc9110.html#name-404-not-found") == []
    assert run("// RFC 9110, Section B.1 and RFC 9110, Appendix B.1 and RFC 9110 Section 16") == []
    assert run('// RFC 9110, Section 15.5.5: "404 Not Found"') == []  # the heading is part of the section


def test_misquote_names_the_section_holding_the_quote() -> None:
    text = 'x\n// RFC 9110, Section 15.5.5: "is known by the origin server but not supported"\n'
    assert run(text) == [(2, 30, "misquote", "quoted text is in Section 15.5.6, not 15.5.5")]


def test_misquote_in_an_appendix() -> None:
    text = '// RFC 9110, Section 16: "Changes are listed here."'
    assert run(text) == [(1, 26, "misquote", "quoted text is in Appendix B, not Section 16")]


def test_misquote_found_in_the_document_that_obsoletes_the_cited_one() -> None:
    text = '// RFC 7231, Section 6.5.4: "or is not willing to disclose that one exists"'
    assert run(text) == [
        (
            1,
            29,
            "misquote",
            "quoted text is not in Section 6.5.4 of RFC 7231; "
            "it is in Section 15.5.5 of RFC 9110, which obsoletes RFC 7231",
        ),
        (1, 4, "obsolete", "RFC 7231 is obsoleted by RFC 9110"),
    ]


def test_misquote_paraphrase_of_the_cited_section_says_where_it_parts() -> None:
    text = '// RFC 9110, Section 15.5.5: "the origin server did not find any current representation for the target"'
    assert run(text) == [
        (
            1,
            30,
            "misquote",
            "quoted text differs from Section 15.5.5 of RFC 9110 after 'the origin server did not find': "
            "the quotation has 'any current representation for the target', "
            "the text 'a current representation for the target'",
        )
    ]


def test_misquote_paraphrase_closest_elsewhere() -> None:
    text = '// RFC 9110, Section 15.5.5: "the method received in the request-line is known by the server"'
    [(line, column, code, message)] = run(text)
    assert (line, column, code) == (1, 30, "misquote")
    assert message == (
        "quoted text is not in Section 15.5.5 of RFC 9110; the closest text is in Section 15.5.6 "
        "(89% of its word sequences match)"  # 8 of its 9 word triples
    )


def test_misquote_nowhere() -> None:
    assert run('// RFC 9110, Section 15.5.5: "completely invented words here"') == [
        (1, 30, "misquote", "quoted text is not in Section 15.5.5 of RFC 9110, nor anywhere else in RFC 9110")
    ]
    assert run('// RFC 7231, Section 6.5.4: "completely invented words here"')[0][3] == (
        "quoted text is not in Section 6.5.4 of RFC 7231, nor anywhere else in RFC 7231 or in RFC 9110"
    )


def test_bare_citation_with_a_quote_checks_the_whole_document() -> None:
    assert run('// RFC 9110: "the request-line is known by the origin server"') == []
    assert run('// RFC 9110: "invented"') == [
        (1, 14, "misquote", "quoted text is not in RFC 9110, nor anywhere else in RFC 9110")
    ]


def test_unknown_documents() -> None:
    text = "RFC 14\nRFC 99999 and draft-ietf-quic-transport-99, Section 2\nRFC 5555, Section 3"
    lib = library()
    result = check(scan_text(text, "f.go"), lib)
    assert [(f.line, f.column, f.code, f.severity, f.message) for f in result.findings] == [
        (1, 1, "unknown-document", "error", "RFC 14 was never issued"),
        (2, 1, "unknown-document", "error", "RFC 99999 does not exist"),
        (2, 15, "unknown-document", "error", "draft-ietf-quic-transport-99 has no revision 99 (the latest is 34)"),
    ]
    assert [(c.document.name, why) for c, why in result.unchecked] == [
        ("5555", "could not be fetched: connection refused")
    ]
    assert lib.calls["sections"] == 0  # nothing else is asked about documents that are not issued


def test_unknown_section_suggestions() -> None:
    text = (
        '// RFC 9110, Section 15.5.99: "is known by the origin server"\n'
        "// RFC 9110, Section 15.5.99 (Not Acceptable)\n"
        "// RFC 9110, Section 15.5.99\n"
        "// RFC 9110, Section 99\n"
        "// RFC 1149, Section 2\n"
        "// https://www.rfc-editor.org/rfc/rfc9110.html#name-no-such-heading\n"
        "// RFC 9110, Appendix C\n"
    )
    assert run(text) == [
        (1, 22, "unknown-section", "RFC 9110 has no Section 15.5.99; the quoted text is in Section 15.5.6"),
        (
            2,
            22,
            "unknown-section",
            "RFC 9110 has no Section 15.5.99; did you mean Section 15.5.7 (406 Not Acceptable)?",
        ),
        (
            3,
            22,
            "unknown-section",
            "RFC 9110 has no Section 15.5.99; did you mean Section 15.5.7 (406 Not Acceptable)?",
        ),
        (4, 22, "unknown-section", "RFC 9110 has no Section 99"),
        (5, 22, "unknown-section", "RFC 1149 has no Section 2 (RFC 1149 has no numbered sections)"),
        (6, 48, "unknown-section", "RFC 9110 has no section name-no-such-heading"),
        (7, 23, "unknown-section", "RFC 9110 has no Appendix C"),
    ]


def test_lists_and_ranges() -> None:
    assert run('// Sections 15.5.5 and 15.5.7 of RFC 9110: "not have a current representation"') == []
    assert [code for _, _, code, _ in run('// RFC 9110, Sections 15.5.5-15.5.7: "does not have a current"')] == [
        "errata"
    ]
    assert run('// RFC 9110, Sections 15.5.5-15.5.6: "the target resource does not have a current"') == [
        (1, 38, "misquote", "quoted text is not in the cited sections of RFC 9110; it is in Section 15.5.7"),
        (1, 23, "errata", "Section 15.5.5 to 15.5.6 of RFC 9110 has verified erratum 7105"),
    ]
    assert run('// Sections 15.5.5 and 15.5.9 of RFC 9110: "known by the origin server"') == [
        (1, 24, "unknown-section", "RFC 9110 has no Section 15.5.9; the quoted text is in Section 15.5.6"),
        (1, 44, "misquote", "quoted text is in Section 15.5.6, not 15.5.5"),
    ]


def test_range_errata_once_each_and_a_broken_range_is_not_quote_checked() -> None:
    assert run("// RFC 9110, Sections 15-16") == [
        (1, 23, "errata", "Section 15 to 16 of RFC 9110 has verified errata 7001, 7002, 7105")
    ]
    assert run("// RFC 9110, Sections 15.5.5-15.5.7") == [
        (1, 23, "errata", "Section 15.5.5 to 15.5.7 of RFC 9110 has verified erratum 7105")
    ]
    assert run('// RFC 9110, Sections 15.5.5-15.5.99: "invented words"') == [
        (1, 30, "unknown-section", "RFC 9110 has no Section 15.5.99; did you mean Section 15.5.7 (406 Not Acceptable)?")
    ]


def test_range_expands_to_the_subsections_of_its_end_in_either_order() -> None:
    index = SectionIndex(library().outline[RFC9110])
    by_id = {s.id: s for s in index.sections}
    assert [s.id for s in index.between(by_id["section-15"], by_id["section-16"])][:3] == [
        "section-15",
        "section-15.5",
        "section-15.5.5",
    ]
    assert [s.id for s in index.between(by_id["section-16"], by_id["appendix-B"])] == [
        "section-16",
        "appendix-B",
        "appendix-B.1",
    ]
    assert [s.id for s in index.between(by_id["section-15.5.7"], by_id["section-15.5.5"])] == [
        "section-15.5.5",
        "section-15.5.6",
        "section-15.5.7",
    ]
    found = run('// RFC 9110, Sections 15.5.7 through 15.5.5: "the method received in"')
    assert [code for _, _, code, _ in found] == ["errata"]


def test_obsolete_once_per_citation() -> None:
    text = "// Sections 6.5.4 and 6.5.5 of RFC 7231\n// draft-ietf-quic-transport-34, Section 17.2\n"
    assert run(text) == [
        (1, 4, "obsolete", "RFC 7231 is obsoleted by RFC 9110"),
        (2, 4, "obsolete", "draft-ietf-quic-transport-34 is replaced by RFC 9000"),
    ]


def test_errata() -> None:
    text = '// RFC 9110, Section 15.5.6: "is known by the origin server"\n// RFC 9110, Section 15.5\n// RFC 9110\n'
    assert run(text) == [
        (1, 22, "errata", "Section 15.5.6 of RFC 9110 has verified erratum 7105 (changes the quoted text)"),
        (2, 22, "errata", "Section 15.5 of RFC 9110 has verified errata 7001, 7002, 7105"),  # with 15.5.6's
    ]
    assert run('// RFC 9110, Section 15.5.6: "not supported by the target resource"') == [
        (1, 22, "errata", "Section 15.5.6 of RFC 9110 has verified erratum 7105")
    ]


def test_messages_are_printable() -> None:
    cite = Citation(
        "f", 1, 1, RFC9110, (SectionRef("15.5.99", "section-15.5.99", 1, 1),), title="Not \x1b[31mAcceptable"
    )
    [finding] = check([cite], library()).findings
    assert finding.message == "RFC 9110 has no Section 15.5.99; did you mean Section 15.5.7 (406 Not Acceptable)?"
    quote = "the origin server did not find any \x1b[2J current"
    cite = Citation("f", 1, 1, RFC9110, (SectionRef("15.5.5", "section-15.5.5", 1, 1),), quote=quote)
    [finding] = check([cite], library()).findings
    assert "\x1b" not in finding.message and "\\x1b" in finding.message


def test_cited_documents_distinct_and_sorted() -> None:
    citations = scan_text("RFC 9110 RFC 791 draft-ietf-quic-transport-34 RFC 9110 RFC 10001 draft-ietf-quic-transport")
    assert cited_documents(citations) == [
        Reference("draft", "draft-ietf-quic-transport", None),
        QUIC34,
        Reference("rfc", "791"),
        RFC9110,
        Reference("rfc", "10001"),
    ]


def test_library_asked_once_per_document_and_section() -> None:
    lib = library()
    text = (
        '// RFC 9110, Section 15.5.5: "The 404 (Not Found) status code"\n' * 50 + "// RFC 9110, Section 15.5.6\n" * 50
    )
    assert check(scan_text(text, "f"), lib).findings[0].code == "errata"
    assert lib.calls["status"] == 1
    assert lib.calls["sections"] == 1
    assert lib.calls["section_text"] == 1
    assert lib.calls["errata"] == 100  # errata are the library's to cache


def test_end_to_end_text_output() -> None:
    source = (
        "package http\n"
        "\n"
        "const (\n"
        "\tStatusNotFound = 404 // RFC 9110, 15.5.5\n"
        "\tStatusTeapot = 418 // RFC 9110, 15.5.19\n"
        ")\n"
        "\n"
        '// See RFC 7231, Section 6.5.4: "The 404 (Not Found) status code indicates\n'
        '// that the origin server did not find a current representation"\n'
    )
    result = check(scan_text(source, "net/status.go"), library())
    assert render_text(result.findings) == (
        "net/status.go:5:34: error: unknown-section: RFC 9110 has no Section 15.5.19; "
        "did you mean Section 15.5.7 (406 Not Acceptable)?\n"
        "net/status.go:8:8: warning: obsolete: RFC 7231 is obsoleted by RFC 9110\n"
    )


def test_thousand_citations_are_checked_fast() -> None:
    lines = []
    for i in range(1000):
        if i % 4 == 0:
            lines.append(f'// {i}: RFC 9110, Section 15.5.5: "The 404 (Not Found) status code indicates"')
        elif i % 4 == 1:
            lines.append(f'// {i}: RFC 7231, Section 6.5.4: "or is not willing to disclose that one exists"')
        elif i % 4 == 2:
            lines.append(f"// {i}: RFC 9110, Section 15.5.{i % 9 + 1}")
        else:
            lines.append(f"// {i}: RFC 14 and https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6")
    text = "\n".join(lines)
    started = time.perf_counter()
    citations = scan_text(text, "many.go")
    result = check(citations, library())
    elapsed = time.perf_counter() - started
    assert len(citations) == 1250
    codes = Counter(f.code for f in result.findings)
    assert codes == {"misquote": 250, "obsolete": 250, "unknown-section": 166, "unknown-document": 250, "errata": 278}
    assert elapsed < 2.0, elapsed


@pytest.mark.parametrize("state", [NOT_ISSUED, UNKNOWN])
def test_default_wording_of_states(state: str) -> None:
    lib = TextLibrary({}, {Reference("rfc", "42"): DocStatus(state)})
    [finding] = check(scan_text("RFC 42"), lib).findings
    assert finding == Finding("", 1, 1, "error", "unknown-document", f"RFC 42 {DocStatus(state).reason}")
    assert Checker(lib).status(Reference("rfc", "42")).state == state
