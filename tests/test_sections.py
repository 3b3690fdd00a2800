"""docfetch.sections on documents written here: an old paged RFC, a v3 RFC, a memo without sections."""

from __future__ import annotations

import pytest

from docfetch.sections import (
    FORMAT_VERSION,
    Outline,
    SectionNotFound,
    children,
    find,
    format_toc,
    parent,
    parse_text,
    section_at,
    section_bytes,
    strip_furniture,
    subsections,
)

FOOTER = "Smith                        Informational                      [Page {}]"
HEADER = "RFC 9999                    A Test Protocol                  July 1999"


def _page_break(page: int, fill: int = 3) -> list[str]:
    """The furniture between two pages: blank lines filling the page, footer, form feed, header, two blanks."""
    return [""] * fill + [FOOTER.format(page), "\f", HEADER, "", ""]


OLD_LINES = [
    "",
    "Network Working Group                                          J. Smith",
    "Request for Comments: 9999                                      Example",
    "Category: Informational                                       July 1999",
    "",
    "",
    "                          A Test Protocol",
    "",
    "Status of this Memo",
    "",
    "   This memo provides information for the Internet community.",
    "",
    "Table of Contents",
    "",
    "   1.  Introduction ...............................................  1",
    "   2.  Protocol ...................................................  2",
    "     2.1.  Messages ...............................................  2",
    "     2.2.  A Heading Long Enough That It Is Wrapped Onto a",
    "           Second Line ............................................  3",
    "   3.  SECURITY CONSIDERATIONS ....................................  3",
    "   Appendix A.  Examples ..........................................  4",
    "     A.1.  First Example ..........................................  4",
    "   Author's Address ...............................................  4",
    "",
    "1.  Introduction",
    "",
    "   This is the introduction.  The steps are:",
    "",
    "   1.  The sender sends a message to the receiver, which then",
    "       answers it.",
    "",
    "   2.  The receiver answers.",
    *_page_break(1),
    "2.  Protocol",
    "",
    "   The text of section 2 runs on and on, up to the end of the page",
    *_page_break(2),
    "   and goes on at the top of the next page.",
    "",
    "2.1.  Messages",
    "",
    "   Messages are sent.",
    *_page_break(3, fill=6),
    "2.2.  A Heading Long Enough That It Is Wrapped Onto a Line and a",
    "      Second Line",
    "",
    "   Body of 2.2.",
    "",
    "3.  SECURITY CONSIDERATIONS",
    "",
    "   None.",
    *_page_break(5, fill=4),
    "   Really none.",
    "",
    "Appendix A.  Examples",
    "",
    "A.1.  First Example",
    "",
    "   An example.",
    "",
    "Author's Address",
    "",
    "   J. Smith",
    "   Example",
    *_page_break(4)[:4],
]
OLD = "\n".join(OLD_LINES).encode() + b"\n"


def _line(data: bytes, text: bytes) -> int:
    """The offset of the line that is exactly ``text`` (asserting there is one)."""
    at = data.index(b"\n" + text + b"\n") + 1
    assert data.count(b"\n" + text + b"\n") == 1
    return at


def _end(data: bytes, last_line: bytes) -> int:
    """The offset just past the newline of the line ``last_line``."""
    return _line(data, last_line) + len(last_line) + 1


def test_old_paged_rfc_sections_exact():
    o = parse_text(OLD)
    got = [(s.id, s.number, s.title, s.level) for s in o.sections]
    assert got == [
        ("name-status-of-this-memo", None, "Status of this Memo", 1),
        ("name-table-of-contents", None, "Table of Contents", 1),
        ("section-1", "1", "Introduction", 1),
        ("section-2", "2", "Protocol", 1),
        ("section-2.1", "2.1", "Messages", 2),
        ("section-2.2", "2.2", "A Heading Long Enough That It Is Wrapped Onto a Line and a Second Line", 2),
        ("section-3", "3", "SECURITY CONSIDERATIONS", 1),
        ("appendix-A", "A", "Examples", 1),
        ("appendix-A.1", "A.1", "First Example", 2),
        ("name-authors-address", None, "Author's Address", 1),
    ]


def test_old_paged_rfc_spans_exact():
    o = parse_text(OLD)
    s = {x.id: x for x in o.sections}
    # Section 1 ends at its last line: the blank lines, footer, form feed and header before 2 are not in it.
    assert s["section-1"].start == _line(OLD, b"1.  Introduction")
    assert s["section-1"].end == _end(OLD, b"   2.  The receiver answers.")
    # Section 2 holds its subsections and the page break in its middle.
    assert s["section-2"].start == _line(OLD, b"2.  Protocol")
    assert s["section-2"].end == _end(OLD, b"   Body of 2.2.")
    assert FOOTER.format(2).encode() in OLD[s["section-2"].start : s["section-2"].end]
    # 2.1 ends before the page break standing right before 2.2.
    assert OLD[s["section-2.1"].start : s["section-2.1"].end] == b"2.1.  Messages\n\n   Messages are sent.\n"
    assert OLD[s["section-2.2"].start : s["section-2.2"].end] == (
        b"2.2.  A Heading Long Enough That It Is Wrapped Onto a Line and a\n      Second Line\n\n   Body of 2.2.\n"
    )
    assert OLD[s["appendix-A"].start : s["appendix-A"].end] == (
        b"Appendix A.  Examples\n\nA.1.  First Example\n\n   An example.\n"
    )
    # The last section ends at the last line of content: the last page's footer is left out.
    assert OLD[s["name-authors-address"].start : s["name-authors-address"].end] == (
        b"Author's Address\n\n   J. Smith\n   Example\n"
    )


def test_old_paged_rfc_page_breaks_and_strip_furniture():
    o = parse_text(OLD)
    assert len(o.breaks) == 5
    # A break between two paragraphs leaves one blank line between them.
    three = find(o, "3")
    assert strip_furniture(OLD, o, three.start, three.end) == (
        b"3.  SECURITY CONSIDERATIONS\n\n   None.\n\n   Really none.\n"
    )
    assert [b.blank for b in o.breaks] == [True, False, True, True, False]
    two = find(o, "2")
    assert strip_furniture(OLD, o, two.start, two.end) == (
        b"2.  Protocol\n\n"
        b"   The text of section 2 runs on and on, up to the end of the page\n"
        b"   and goes on at the top of the next page.\n\n"
        b"2.1.  Messages\n\n   Messages are sent.\n\n"
        b"2.2.  A Heading Long Enough That It Is Wrapped Onto a Line and a\n      Second Line\n\n   Body of 2.2.\n"
    )
    assert section_bytes(OLD, o, two) == OLD[two.start : two.end]
    assert section_bytes(OLD, o, two, page_breaks=False) == strip_furniture(OLD, o, two.start, two.end)
    # The whole document: no form feed, footer or running header is left.
    whole = strip_furniture(OLD, o)
    assert b"\f" not in whole and b"[Page" not in whole and HEADER.encode() not in whole
    assert b"   2.  The receiver answers.\n\n2.  Protocol\n" in whole


def test_list_items_are_not_headings():
    o = parse_text(OLD)
    assert [s.title for s in o.sections if s.number == "1"] == ["Introduction"]
    assert not [s for s in o.sections if "sender" in s.title]


def test_find_by_id_number_title_appendix():
    o = parse_text(OLD)
    assert find(o, "section-2.1").title == "Messages"
    assert find(o, "#section-2.1").title == "Messages"
    assert find(o, "2.1").id == "section-2.1"
    assert find(o, "2.1.").id == "section-2.1"
    assert find(o, "Section 2.1").id == "section-2.1"
    assert find(o, "§2.1").id == "section-2.1"
    assert find(o, "appendix-A.1").title == "First Example"
    assert find(o, "APPENDIX-a.1").title == "First Example"
    assert find(o, "a.1").id == "appendix-A.1"
    assert find(o, "Appendix A").id == "appendix-A"
    assert find(o, "messages").id == "section-2.1"
    assert find(o, "security considerations").id == "section-3"
    assert find(o, "Second Line").id == "section-2.2"  # a unique part of a title
    assert find(o, "author's address").id == "name-authors-address"
    assert find(o, "name-authors-address").number is None


def test_find_failures_carry_suggestions():
    o = parse_text(OLD)
    with pytest.raises(SectionNotFound) as exc:
        find(o, "2.3")
    assert exc.value.suggestions[0] == "2  Protocol"
    assert "2.1  Messages" in exc.value.suggestions
    assert not exc.value.no_numbers and not exc.value.ambiguous
    assert exc.value.exit_code == 3
    with pytest.raises(SectionNotFound) as exc:
        find(o, "Mesages")
    assert exc.value.suggestions == ["2.1  Messages"]
    with pytest.raises(SectionNotFound) as exc:
        find(o, "ss")  # in several titles
    assert exc.value.ambiguous
    with pytest.raises(SectionNotFound):
        find(o, "")


def test_children_subsections_parent():
    o = parse_text(OLD)
    top = [s.id for s in children(o)]
    assert top == [
        "name-status-of-this-memo",
        "name-table-of-contents",
        "section-1",
        "section-2",
        "section-3",
        "appendix-A",
        "name-authors-address",
    ]
    two = find(o, "2")
    assert [s.id for s in children(o, two)] == ["section-2.1", "section-2.2"]
    assert [s.id for s in subsections(o, two)] == ["section-2.1", "section-2.2"]
    assert parent(o, find(o, "2.2")) == two
    assert parent(o, two) is None
    assert section_at(o, OLD.index(b"Messages are sent")).id == "section-2.1"
    assert section_at(o, OLD.index(b"and goes on at the top")).id == "section-2"
    assert section_at(o, OLD.index(b"A Test Protocol")) is None
    assert section_at(o, find(o, "2.1").end) == two  # the page break before 2.2 is in 2, not in 2.1


def test_format_toc():
    o = parse_text(OLD)
    assert format_toc(o, depth=1) == (
        "Status of this Memo\nTable of Contents\n1.  Introduction\n2.  Protocol\n3.  SECURITY CONSIDERATIONS\n"
        "Appendix A.  Examples\nAuthor's Address\n"
    )
    assert "  2.1.  Messages\n  2.2.  A Heading Long Enough" in format_toc(o)
    assert "  A.1.  First Example\n" in format_toc(o)
    assert format_toc(parse_text(b"")) == ""


def test_json_round_trip():
    o = parse_text(OLD)
    text = o.to_json()
    assert f'"v":{FORMAT_VERSION}' in text and " " not in text.replace("Author's Address", "").split('"s"')[0]
    back = Outline.from_json(text)
    assert back == o
    assert Outline.from_json(text.encode()) == o
    with pytest.raises(ValueError):
        Outline.from_json(text.replace(f'"v":{FORMAT_VERSION}', '"v":999'))
    with pytest.raises(ValueError):
        Outline.from_json('{"v":' + str(FORMAT_VERSION) + "}")


V3_LINES = [
    "\ufeff",
    "",
    "",
    "",
    "Internet Engineering Task Force (IETF)                          J. Smith",
    "Request for Comments: 9998                                       Example",
    "Category: Standards Track                                      June 2022",
    "ISSN: 2070-1721",
    "",
    "",
    "                           A Modern Protocol",
    "",
    "Abstract",
    "",
    "   This document is modern.",
    "",
    "Status of This Memo",
    "",
    "   This is an Internet Standards Track document.",
    "",
    "Copyright Notice",
    "",
    "   Copyright (c) 2022 IETF Trust and the persons identified as the",
    "   document authors.  All rights reserved.",
    "",
    "Table of Contents",
    "",
    "   1.  Introduction",
    "   2.  Status Codes",
    "     2.1.  404 Not Found",
    "     2.2.  A Status Code Whose Name Is So Long That the Table Wraps It",
    "           onto Two Lines",
    "   3.  References",
    "   Appendix A.  Collected ABNF",
    "     A.1.  Rules",
    "   Acknowledgements",
    "   Index",
    "   Author's Address",
    "",
    "1.  Introduction",
    "",
    "   The steps:",
    "",
    "   1.  First step.",
    "",
    "   2.  Second step.",
    "",
    "2.  Status Codes",
    "",
    "2.1.  404 Not Found",
    "",
    "   Not found.",
    "",
    "2.2.  A Status Code Whose Name Is So Long That the Table Wraps It onto",
    "      Two Lines",
    "",
    "   Long.",
    "",
    "3.  References",
    "",
    "   [RFC9110]  Fielding, R., Ed., \u201cHTTP Semantics\u201d.",
    "",
    "Appendix A.  Collected ABNF",
    "",
    "A.1.  Rules",
    "",
    "   rule = 1*DIGIT",
    "",
    "Acknowledgements",
    "",
    "   Thanks to Ren\u00e9.",
    "",
    "Acknowledgements for the First Version",
    "",
    "   Thanks again.",
    "",
    "Index",
    "",
    "   A N",
    "",
    "      A",
    "",
    "         Abstract  *_Section 1_*",
    "",
    "      N",
    "",
    "         Not Found  *_Section 2.1_*",
    "",
    "Author's Address",
    "",
    "   J. Smith",
    "   Example",
    "   Email: smith@example.com",
]
V3 = "\n".join(V3_LINES).encode() + b"\n"


def test_v3_sections_ids_and_spans():
    o = parse_text(V3)
    got = [(s.id, s.number, s.title, s.level) for s in o.sections]
    assert got == [
        ("section-abstract", None, "Abstract", 1),
        ("section-boilerplate.1", None, "Status of This Memo", 1),
        ("section-boilerplate.2", None, "Copyright Notice", 1),
        ("section-toc.1", None, "Table of Contents", 1),
        ("section-1", "1", "Introduction", 1),
        ("section-2", "2", "Status Codes", 1),
        ("section-2.1", "2.1", "404 Not Found", 2),
        ("section-2.2", "2.2", "A Status Code Whose Name Is So Long That the Table Wraps It onto Two Lines", 2),
        ("section-3", "3", "References", 1),
        ("appendix-A", "A", "Collected ABNF", 1),
        ("appendix-A.1", "A.1", "Rules", 2),
        ("appendix-B", None, "Acknowledgements", 1),
        ("appendix-B.1", None, "Acknowledgements for the First Version", 2),  # not in the table: a subsection
        ("appendix-C", None, "Index", 1),
        ("appendix-D", None, "Author's Address", 1),
    ]
    s = {x.id: x for x in o.sections}
    assert V3[s["section-2.1"].start : s["section-2.1"].end] == b"2.1.  404 Not Found\n\n   Not found.\n"
    assert V3[s["section-1"].start : s["section-1"].end] == (
        b"1.  Introduction\n\n   The steps:\n\n   1.  First step.\n\n   2.  Second step.\n"
    )
    assert V3[s["section-3"].start : s["section-3"].end] == (
        "3.  References\n\n   [RFC9110]  Fielding, R., Ed., \u201cHTTP Semantics\u201d.\n".encode()
    )
    assert V3[s["appendix-B"].start : s["appendix-B"].end].endswith(b"First Version\n\n   Thanks again.\n")
    assert V3[s["appendix-C"].start : s["appendix-C"].end].startswith(b"Index\n\n   A N\n")
    assert V3[s["appendix-C"].start : s["appendix-C"].end].endswith(b"Not Found  *_Section 2.1_*\n")
    assert V3[s["appendix-D"].start :] == V3[s["appendix-D"].start : s["appendix-D"].end]
    assert s["section-abstract"].start == V3.index(b"Abstract\n")
    assert o.breaks == ()
    assert strip_furniture(V3, o, 10, 500) == V3[10:500]


def test_v3_find():
    o = parse_text(V3)
    assert find(o, "404 Not Found").id == "section-2.1"
    assert find(o, "404").id == "section-2.1"
    assert find(o, "appendix-b").title == "Acknowledgements"
    assert find(o, "section-toc.1").title == "Table of Contents"
    assert find(o, "Appendix A").number == "A"
    # The ids of older v3 HTML (xml2rfc 3.8, RFC 9000) name appendices by their XML pn.
    assert find(o, "section-appendix.a").id == "appendix-A"
    assert find(o, "#section-appendix.a.1").id == "appendix-A.1"
    assert find(o, "section-a.1").id == "appendix-A.1"


NO_SECTIONS = (
    b"\n\nNetwork Working Group                                        D. Waitzman\n"
    b"Request for Comments: 9997                                       BBN STC\n"
    b"                                                            1 April 1990\n\n\n"
    b"   A Standard for Something Funny\n\n"
    b"Status of this Memo\n\n   This memo is a joke.\n\n"
    b"Overview\n\n   Birds carry packets.  There are 2 of them and\n"
    b"   1.5 of them are tired.\n\n"
    b"Security Considerations\n\n   Security is not generally a problem.\n\n"
    b"Author's Address\n\n   David Waitzman\n   Cambridge, MA  02238"
)


def test_document_without_numbered_sections_and_without_final_newline():
    o = parse_text(NO_SECTIONS)
    assert [(s.id, s.number) for s in o.sections] == [
        ("name-status-of-this-memo", None),
        ("name-overview", None),
        ("name-security-considerations", None),
        ("name-authors-address", None),
    ]
    last = o.sections[-1]
    assert NO_SECTIONS[last.start : last.end] == b"Author's Address\n\n   David Waitzman\n   Cambridge, MA  02238"
    assert last.end == len(NO_SECTIONS)
    assert not o.has_numbers
    with pytest.raises(SectionNotFound) as exc:
        find(o, "3")
    assert exc.value.no_numbers
    assert "no numbered sections" in str(exc.value)
    assert find(o, "overview").start == NO_SECTIONS.index(b"Overview\n")


def test_empty_and_odd_inputs_do_not_crash():
    for data in (b"", b"\n", b"\f", b"1.", b"\xef\xbb\xbf", b"\xff\xfe\x00garbage\n1.  Title\n", b"Appendix\n"):
        o = parse_text(data)
        assert o.size == len(data)
        for s in o.sections:
            assert 0 <= s.start <= s.end <= len(data)


def _fuzz_text() -> object:
    from hypothesis import strategies as st

    pieces = st.sampled_from(
        [
            b"\n",
            b"\n\n",
            b"\f\n",
            b"1.  Introduction\n",
            b"2.1 Title\n",
            b"Appendix A.  More\n",
            b"A.1.  Sub\n",
            b"   text text text\n",
            b"Smith   Informational   [Page 3]\n",
            b"RFC 9999   Title   July 1999\n",
            b"Table of Contents\n",
            b"   1.  Introduction ....... 3\n",
            b"Author's Address\n",
            b"------\n",
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            b"\t3.2\tTabbed\n",
            b"CHAPTER 2\n",
            b"II.  Roman\n",
        ]
    )
    return st.lists(st.one_of(pieces, st.binary(max_size=20)), max_size=60).map(b"".join)


def test_any_bytes_give_a_consistent_outline():
    from hypothesis import given, settings

    @settings(max_examples=300, deadline=None)
    @given(_fuzz_text())
    def check(data: bytes) -> None:
        o = parse_text(data)
        assert o.size == len(data)
        starts = [s.start for s in o.sections]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)
        assert len({s.id for s in o.sections}) == len(o.sections)
        for s in o.sections:
            assert 0 <= s.start < s.end <= len(data)
            assert s.level >= 1
        for b in o.breaks:
            assert 0 <= b.start <= b.end <= len(data)
        assert Outline.from_json(o.to_json()) == o
        assert len(strip_furniture(data, o)) <= len(data) + len(o.breaks)

    check()
