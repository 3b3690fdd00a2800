"""Tests of docfetch.cite.scan: every citation form, the noise that is not one, quotations."""

from __future__ import annotations

import pytest

from docfetch.cite.model import Citation, section_id
from docfetch.cite.reftags import reference_tags
from docfetch.cite.scan import scan_text
from docfetch.reference import Reference

RFC9110 = Reference("rfc", "9110")


def only(text: str) -> Citation:
    found = scan_text(text, "f.txt")
    assert len(found) == 1, found
    return found[0]


def ids(citation: Citation) -> tuple[str, ...]:
    return tuple(s.id for s in citation.sections)


# (text, document, section ids, column of the citation, raw)
FORMS = [
    ("x RFC 9110, Section 15.5.5 y", RFC9110, ("section-15.5.5",), 3, "RFC 9110, Section 15.5.5"),
    ("x Section 15.5.5 of RFC 9110 y", RFC9110, ("section-15.5.5",), 3, "Section 15.5.5 of RFC 9110"),
    ("x RFC 9110 §15.5.5 y", RFC9110, ("section-15.5.5",), 3, "RFC 9110 §15.5.5"),
    ("x RFC 9110 § 15.5.5 y", RFC9110, ("section-15.5.5",), 3, "RFC 9110 § 15.5.5"),
    ("x [RFC9110], Section 15.5.5 y", RFC9110, ("section-15.5.5",), 3, "[RFC9110], Section 15.5.5"),
    ("x Section 15.5.5 of [RFC9110] y", RFC9110, ("section-15.5.5",), 3, "Section 15.5.5 of [RFC9110]"),
    ("x RFC9110#section-15.5.5 y", RFC9110, ("section-15.5.5",), 3, "RFC9110#section-15.5.5"),
    ("x rfc9110 section 15.5.5 y", RFC9110, ("section-15.5.5",), 3, "rfc9110 section 15.5.5"),
    ("x RFC 9110 Sec. 15.5.5 y", RFC9110, ("section-15.5.5",), 3, "RFC 9110 Sec. 15.5.5"),
    ("x Appendix B.1 of RFC 9110 y", RFC9110, ("appendix-B.1",), 3, "Appendix B.1 of RFC 9110"),
    ("x RFC 9110, Appendix B.1 y", RFC9110, ("appendix-B.1",), 3, "RFC 9110, Appendix B.1"),
    ("x RFC 9110, Appendix B y", RFC9110, ("appendix-B",), 3, "RFC 9110, Appendix B"),
    ("x Section A.2 of RFC 9110 y", RFC9110, ("appendix-A.2",), 3, "Section A.2 of RFC 9110"),
    ("x [RFC9110, Section 15.5.5] y", RFC9110, ("section-15.5.5",), 3, "[RFC9110, Section 15.5.5"),
    ("x RFC 9110 (Section 15.5.5) y", RFC9110, ("section-15.5.5",), 3, "RFC 9110 (Section 15.5.5"),
    ("x RFC 9110's Section 3 y", RFC9110, ("section-3",), 3, "RFC 9110's Section 3"),
    ("x section 3 in RFC 9110 y", RFC9110, ("section-3",), 3, "section 3 in RFC 9110"),
    ("x Section 3 of the RFC 9110 y", RFC9110, ("section-3",), 3, "Section 3 of the RFC 9110"),
    ("x §3 of RFC 9110 y", RFC9110, ("section-3",), 3, "§3 of RFC 9110"),
    ("x RFC 9110, Section 15.5.5. Next", RFC9110, ("section-15.5.5",), 3, "RFC 9110, Section 15.5.5"),
    ("StatusOK = 200 // RFC 9110, 15.3.1", RFC9110, ("section-15.3.1",), 19, "RFC 9110, 15.3.1"),
    ("/* RFC 1035 4.1.1 */", Reference("rfc", "1035"), ("section-4.1.1",), 4, "RFC 1035 4.1.1"),
    ("x RFC 0791 y", Reference("rfc", "791"), (), 3, "RFC 0791"),
    ("x rfc-9110 y", RFC9110, (), 3, "rfc-9110"),
    ("x RFC9110 y", RFC9110, (), 3, "RFC9110"),
    ("x RFC 10001 y", Reference("rfc", "10001"), (), 3, "RFC 10001"),
    ("x [RFC9110] y", RFC9110, (), 3, "[RFC9110]"),
    ("RFC 9110 [RFC9110] says", RFC9110, (), 1, "RFC 9110 [RFC9110]"),
    ("Section 3 of RFC 9110 [RFC9110].", RFC9110, ("section-3",), 1, "Section 3 of RFC 9110 [RFC9110]"),
    ("see rfc9110.txt", RFC9110, (), 5, "rfc9110"),
    ("{{Section 15.5.5 of RFC9110}}", RFC9110, ("section-15.5.5",), 3, "Section 15.5.5 of RFC9110"),
    ("described in RFC\n   9110", RFC9110, (), 14, "RFC\n   9110"),
    ("standardised in RFC~9438.", Reference("rfc", "9438"), (), 17, "RFC~9438"),
    ("See :rfc:`9110` here", RFC9110, (), 5, ":rfc:`9110`"),
    ("See :rfc:`9110#section-13` here", RFC9110, ("section-13",), 5, ":rfc:`9110#section-13`"),
    (
        "See :rfc:`HTTP <9110#section-13.1.1>` here",
        RFC9110,
        ("section-13.1.1",),
        5,
        ":rfc:`HTTP <9110#section-13.1.1>`",
    ),
]


@pytest.mark.parametrize(("text", "document", "sections", "column", "raw"), FORMS)
def test_forms(text: str, document: Reference, sections: tuple[str, ...], column: int, raw: str) -> None:
    found = only(text)
    assert (found.document, ids(found), found.line, found.column, found.raw) == (document, sections, 1, column, raw)
    assert found.path == "f.txt"
    assert found.quote is None


LINKS = [
    ("https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5", RFC9110, ("section-15.5.5",)),
    ("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5", RFC9110, ("section-15.5.5",)),
    ("https://datatracker.ietf.org/doc/html/rfc9110#section-15.5.5", RFC9110, ("section-15.5.5",)),
    ("https://tools.ietf.org/html/rfc7231#section-6.5.4", Reference("rfc", "7231"), ("section-6.5.4",)),
    ("https://www.rfc-editor.org/rfc/rfc9110.html#appendix-B.1", RFC9110, ("appendix-B.1",)),
    ("https://www.rfc-editor.org/rfc/rfc9110.html#section-appendix.b.1", RFC9110, ("appendix-B.1",)),
    ("https://www.rfc-editor.org/rfc/rfc9110.html#section-4.1-3", RFC9110, ("section-4.1",)),
    ("https://www.rfc-editor.org/rfc/rfc9110.html#name-404-not-found", RFC9110, ("name-404-not-found",)),
    ("https://www.rfc-editor.org/rfc/rfc9110.html#page-5", RFC9110, ()),
    ("https://www.rfc-editor.org/rfc/rfc9110.html#section-abstract", RFC9110, ()),
    ("https://www.rfc-editor.org/rfc/rfc9110.txt", RFC9110, ()),
    ("http://www.ietf.org/rfc/rfc2616.txt", Reference("rfc", "2616"), ()),
    ("https://www.rfc-editor.org/info/rfc9110", RFC9110, ()),
    ("www.rfc-editor.org/rfc/rfc9110.html#section-3", RFC9110, ("section-3",)),
    ("https://httpwg.org/specs/rfc9110.html#status.404", RFC9110, ()),
    (
        "https://datatracker.ietf.org/doc/html/draft-ietf-quic-transport-34#section-17.2",
        Reference("draft", "draft-ietf-quic-transport", "34"),
        ("section-17.2",),
    ),
    (
        "https://www.ietf.org/archive/id/draft-ietf-quic-transport-34.html#section-2",
        Reference("draft", "draft-ietf-quic-transport", "34"),
        ("section-2",),
    ),
    (
        "https://www.ietf.org/archive/id/draft-kerwin-http2-encoded-data-10.txt",
        Reference("draft", "draft-kerwin-http2-encoded-data", "10"),
        (),
    ),
    (
        "https://datatracker.ietf.org/doc/draft-ietf-quic-transport/34/",
        Reference("draft", "draft-ietf-quic-transport", "34"),
        (),
    ),
    (
        "https://datatracker.ietf.org/doc/draft-ietf-quic-transport/",
        Reference("draft", "draft-ietf-quic-transport", None),
        (),
    ),
]


@pytest.mark.parametrize(("url", "document", "sections"), LINKS)
def test_links(url: str, document: Reference, sections: tuple[str, ...]) -> None:
    found = only(f"// see {url}.")
    assert (found.document, ids(found), found.column, found.raw) == (document, sections, 8, url)


def test_link_section_position_is_the_fragment() -> None:
    text = "x https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5"
    found = only(text)
    assert (found.sections[0].line, found.sections[0].column) == (1, text.index("section-") + 1)
    assert found.sections[0].written == "section-15.5.5"


QUIC = "draft-ietf-quic-transport"
DRAFTS = [
    ("draft-ietf-quic-transport-34", Reference("draft", QUIC, "34"), ()),
    ("draft-ietf-quic-transport", Reference("draft", QUIC, None), ()),
    ("[I-D.ietf-quic-transport]", Reference("draft", QUIC, None), ()),
    ("Section 17.2 of draft-ietf-quic-transport-34", Reference("draft", QUIC, "34"), ("section-17.2",)),
    ("[I-D.ietf-quic-transport], Section 17.2", Reference("draft", QUIC, None), ("section-17.2",)),
    ("draft-ietf-quic-transport-34#section-17.2", Reference("draft", QUIC, "34"), ("section-17.2",)),
    ("draft-kerwin-http2-encoded-data-10", Reference("draft", "draft-kerwin-http2-encoded-data", "10"), ()),
    ("Draft-IETF-TLS-ESNI-22", Reference("draft", "draft-ietf-tls-esni", "22"), ()),
]


@pytest.mark.parametrize(("text", "document", "sections"), DRAFTS)
def test_drafts(text: str, document: Reference, sections: tuple[str, ...]) -> None:
    found = only(f"see {text}, then")
    assert (found.document, ids(found), found.column) == (document, sections, 5)


NOISE = [
    "time.RFC3339",
    "layout := RFC3339Nano",
    "const RFC_3339 = 1",
    "email.utils.parsedate_rfc822(x)",
    "rfc822.parsedate(x)",
    "open('docs/rfc9110.txt')",
    "https://github.com/example/rfc9110/blob/main/README.md#section-3",
    "RFC 1.2 compliant",
    "RFC 123456",
    "RFC 0",
    "RFCs are documents",
    '"$schema": "http://json-schema.org/draft-07/schema#"',
    "import Editor from 'draft-js-plugins'",
    "JSON Schema draft-2019-09",
    "draft-07",
    "BCP 14 and STD 97",
    "the RFC editor",
    "www.rfc-editor.org/search/rfc_search.php",
    "a section 3 of the document",
    "x=0xRFC1234",
]


@pytest.mark.parametrize("text", NOISE)
def test_noise(text: str) -> None:
    assert scan_text(text) == []


def test_go_address_after_rfc_is_not_a_section() -> None:
    found = only("// RFC 1918, 10.0.0.0/8 is private")
    assert (found.document, found.sections) == (Reference("rfc", "1918"), ())


def test_several_sections_each_with_its_position() -> None:
    found = only("x Sections 3, 4, and 5.1 of RFC 9110")
    assert ids(found) == ("section-3", "section-4", "section-5.1")
    assert [(s.line, s.column, s.written) for s in found.sections] == [(1, 12, "3"), (1, 15, "4"), (1, 22, "5.1")]
    assert not found.through


@pytest.mark.parametrize(
    "text",
    ["RFC 9110, Sections 6.1-6.3", "RFC 9110, Sections 6.1–6.3", "Sections 6.1 through 6.3 of RFC 9110"],
)
def test_range(text: str) -> None:
    found = only(text)
    assert ids(found) == ("section-6.1", "section-6.3")
    assert found.through


def test_range_with_ends_of_different_depth_keeps_its_start() -> None:
    found = only("RFC 9110, Section 15.5.5 to 404 responses")
    assert ids(found) == ("section-15.5.5",)
    assert not found.through


def test_sections_or_and_appendices() -> None:
    assert ids(only("Sections 3 or 4 of RFC 9110")) == ("section-3", "section-4")
    assert ids(only("RFC 9110, Appendices A and B.2")) == ("appendix-A", "appendix-B.2")


def test_section_of_another_document_is_not_taken_for_this_one() -> None:
    found = scan_text("RFC 2119, Section 2 of RFC 8174 applies")
    assert [(c.document.name, ids(c)) for c in found] == [("2119", ()), ("8174", ("section-2",))]


def test_plural_documents() -> None:
    found = scan_text("RFCs 2119 and 8174; RFCs 7230-7235")
    assert [(c.document.name, c.column, c.raw) for c in found] == [
        ("2119", 6, "2119"),
        ("8174", 15, "8174"),
        ("7230", 26, "7230"),
        ("7231", 26, "7230-7235"),
        ("7232", 26, "7230-7235"),
        ("7233", 26, "7230-7235"),
        ("7234", 26, "7230-7235"),
        ("7235", 31, "7235"),
    ]


def test_long_plural_range_gives_its_ends() -> None:
    assert [c.document.name for c in scan_text("RFCs 1-9000")] == ["1", "9000"]


def test_citation_wrapped_across_comment_lines() -> None:
    text = "x = 1\n    # as Section 15.5.5 of\n    # RFC 9110 says\n"
    found = only(text)
    assert (found.line, found.column, ids(found)) == (2, 10, ("section-15.5.5",))
    assert found.raw == "Section 15.5.5 of\n    # RFC 9110"


def test_markdown_link_text_and_target_are_one_citation() -> None:
    text = "See [RFC 9110, Section 15.5.5](https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5)."
    found = only(text)
    assert (found.column, ids(found)) == (5, ("section-15.5.5",))


def test_bare_link_text_takes_the_target_s_section() -> None:
    text = "[RFC 9110](https://www.rfc-editor.org/rfc/rfc9110.html#section-3)"
    found = only(text)
    assert (found.column, ids(found), found.sections[0].column) == (1, ("section-3",), text.index("section-") + 1)


def test_html_link_and_rest_link_across_lines_are_one_citation() -> None:
    html = '<a href="https://www.rfc-editor.org/rfc/rfc6750.html#section-2.1">RFC 6750, Section 2.1</a>'
    found = only(html)
    assert (found.column, ids(found), found.sections[0].column) == (10, ("section-2.1",), html.index("section-") + 1)
    assert found.raw == html[9:-4]
    rest = "See `RFC 9110 §13.1.1\n<https://www.rfc-editor.org/rfc/rfc9110.html#section-13.1.1>`_."
    found = only(rest)
    assert (found.line, found.column, ids(found)) == (1, 6, ("section-13.1.1",))


def test_adjacent_citations_of_one_document_are_one() -> None:
    found = only("dates are RFC 3339 (Section 5.6 of RFC 3339) strings")
    assert (found.column, ids(found), found.raw) == (11, ("section-5.6",), "RFC 3339 (Section 5.6 of RFC 3339")
    assert [c.document.name for c in scan_text("RFC 3339 (Section 5.6 of RFC 9110)")] == ["3339", "9110"]
    assert len(scan_text("RFC 3339, and then RFC 3339")) == 2  # words between: two citations


def test_link_to_another_section_stays_apart() -> None:
    found = scan_text("[RFC 9110, Section 3](https://www.rfc-editor.org/rfc/rfc9110.html#section-4)")
    assert [ids(c) for c in found] == [("section-3",), ("section-4",)]


def test_columns_count_characters_and_lines_are_one_based() -> None:
    text = "first line\r\nél café “x” — RFC 9110\n"
    found = only(text)
    assert (found.line, found.column) == (2, 15)


def test_title_in_parentheses() -> None:
    assert only("RFC 9110, Section 15.5.5 (404 Not Found) says").title == "404 Not Found"
    assert only("RFC 9110 (see there)").title is None


def test_tags_resolve_through_the_reference_list() -> None:
    text = (
        "   See Section 15.5.5 of [HTTP] and [QUIC], Section 17.2.\n\n"
        "10.  References\n\n"
        "   [HTTP]     Fielding, R., Ed., \"HTTP Semantics\", STD 97, RFC 9110,\n"
        "              DOI 10.17487/RFC9110, June 2022.\n\n"
        "   [QUIC]     Iyengar, J., \"QUIC\", Work in Progress, Internet-Draft,\n"
        "              draft-ietf-quic-transport-34, 14 January 2021.\n\n"
        "   [RFC8174]  Leiba, B., \"Ambiguity of Uppercase vs Lowercase in RFC\n"
        "              2119 Key Words\", BCP 14, RFC 8174, May 2017.\n"
    )  # fmt: skip
    tags = reference_tags(text)
    assert tags == {
        "HTTP": RFC9110,
        "QUIC": Reference("draft", "draft-ietf-quic-transport", "34"),
        "RFC8174": Reference("rfc", "8174"),
    }
    found = [c for c in scan_text(text, tags=tags) if c.sections]
    assert [(c.document, ids(c), c.column) for c in found] == [
        (RFC9110, ("section-15.5.5",), 8),
        (Reference("draft", "draft-ietf-quic-transport", "34"), ("section-17.2",), text.index("[QUIC]") + 1),
    ]
    assert not [c for c in scan_text(text) if c.sections]


@pytest.mark.parametrize(
    ("written", "expected"),
    [("15.5.5", "section-15.5.5"), ("15.5.5.", "section-15.5.5"), ("3.02", "section-3.2"), ("b.1", "appendix-B.1"),
     ("B", "appendix-B"), ("AB.1", None), ("1.x", None), ("", None)],
)  # fmt: skip
def test_section_id(written: str, expected: str | None) -> None:
    assert section_id(written) == expected


# --- quotations -----------------------------------------------------------------------------

QUOTE_404 = (
    "The 404 (Not Found) status code indicates that the origin server did not find a current "
    "representation for the target resource"
)


def test_quote_from_the_brief() -> None:
    text = (
        "func f() {\n"
        '    // Per RFC 9110, Section 15.5.5: "The 404 (Not Found) status code indicates that the\n'
        '    // origin server did not find a current representation for the target resource"\n'
        "}\n"
    )
    found = only(text)
    assert (found.line, found.column, ids(found)) == (2, 12, ("section-15.5.5",))
    assert found.quote == QUOTE_404
    assert (found.quote_line, found.quote_column) == (2, 38)


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ('# RFC 9110, Section 3: "one\n# two"\n', "one two"),
        ('## RFC 9110, Section 3: "one\n##   two"\n', "one two"),
        ('-- RFC 9110, Section 3: "one\n-- two"\n', "one two"),
        (';; RFC 9110, Section 3: "one\n;; two"\n', "one two"),
        ('% RFC 9110, Section 3: "one\n% two"\n', "one two"),
        ('> RFC 9110, Section 3: "one\n> two"\n', "one two"),
        ('/// RFC 9110, Section 3: "one\n/// two"\n', "one two"),
        ('//! RFC 9110, Section 3: "one\n//! two"\n', "one two"),
        ('/* RFC 9110, Section 3: "one\n * two" */\n', "one two"),
        ('/**\n * RFC 9110, Section 3: "one\n *   two\n * three"\n */\n', "one two three"),
        ('<!-- RFC 9110, Section 3: "one\n<!-- two" -->\n', "one two"),
        ('    """RFC 9110, Section 3: "one\n    two"\n    """\n', "one two"),
        ('x = 1  # RFC 9110, Section 3: "one\n       # two"\n', "one two"),
        ('- RFC 9110, Section 3: "one\n  two"\n', "one two"),
        ('* RFC 9110, Section 3: "one\n  two"\n', "one two"),
        ('RFC 9110, Section 3: “one "two"\nthree”\n', 'one "two" three'),
        ('RFC 9110, Section 3: "the "Content-Type" header field" x\n', 'the "Content-Type" header field'),
        ('RFC 9110, Section 3: "a "b""\n', 'a "b"'),
        ('RFC 9110, Section 3 says "one" and "two"\n', "one"),
        ('RFC 9110, Section 3 states that "one"\n', "one"),
        ('RFC 9110, Section 3, which says: "one"\n', "one"),
        ('RFC 9110, Section 3 — "one"\n', "one"),
        ('RFC 9110, Section 3 ("one")\n', "one"),
        ('RFC 9110, Section 3 (Overview): "one"\n', "one"),
        ('**RFC 9110, Section 3**: "one"\n', "one"),
        ('// RFC 9110, Section 3: "Content-\n// Type is"\n', "Content-Type is"),
        ('// RFC 9110, Section 3: "one -\n// two"\n', "one - two"),
        ('// RFC 9110, Section 3:\n// "one two"\n', "one two"),
        ("Per RFC 9110, Section 3:\n> “one two”\n", "one two"),
        ('as RFC 9110, Section 3\n"one two" puts it\n', "one two"),
        ('msg := "RFC 9110, Section 3: \\"one two\\""\n', "one two"),
        ('RFC 9110, Section 3: "one\ttwo   three"\n', "one two three"),
        ('RFC 9110, Section 3: "one…"\n', "one…"),
        ('<a href="x">RFC 9110, Section 3</a>, "one two"\n', "one two"),
        ("Per RFC 9110, Section 3:\n\n> “one two”\n", "one two"),
        ('/* RFC 9110, Section 3:\n *\n *     "one two"\n */', "one two"),
        ('// RFC 9110, Section 3 says\n//\n// "one two"\n', "one two"),
    ],
)
def test_quotes(text: str, quote: str) -> None:
    assert only(text).quote == quote


@pytest.mark.parametrize(
    "text",
    [
        '{"RFC 9110, Section 3": "Not Found"}',
        's = "see RFC 9110, Section 3"\n"next"',
        'print("RFC 9110, Section 3", "x")',
        'RFC 9110, Section 3. "A new sentence."',
        'RFC 9110, Section 3 and then "x"',
        '# See RFC 9110, Section 3:\n"key": value,\n',
        '# RFC 9110, Section 3\n"key": value\n',
        '// RFC 9110, Section 3: "one\n\n// two"',
        '// RFC 9110, Section 3: "one\nx = two"',
        '/* RFC 9110, Section 3: "one */ two"',
        'RFC 9110, Section 3: "never closed',
        'RFC 9110, Section 3: " spaced"',
        'RFC 9110, Section 3: "..."',
        'RFC 9110, Section 3:\n\n"one"',
        '// RFC 9110, Section 3\n//\n// "one"',
        "RFC 9110, Section 3:\n\n\n> “one”",
        'msg := "RFC 9110, Section 3: \\"one \\\\"',
    ],
)
def test_no_quote(text: str) -> None:
    assert scan_text(text)[0].quote is None


def test_quote_attaches_only_to_the_citation_right_before() -> None:
    found = scan_text('RFC 9110, Section 3 and RFC 9111, Section 4: "one"')
    assert [(c.document.name, c.quote) for c in found] == [("9110", None), ("9111", "one")]


def test_quote_after_markdown_link_attaches_to_the_link() -> None:
    text = '[RFC 9110, Section 3](https://www.rfc-editor.org/rfc/rfc9110#section-3): "one two"'
    found = only(text)
    assert (found.quote, found.quote_column, found.column) == ("one two", text.index('"') + 1, 1)


def test_citations_inside_a_quotation_are_not_reported() -> None:
    text = 'RFC 9110, Section 4.1: "as defined in Section 3 of [RFC3986], and RFC 7230" then RFC 9111'
    found = scan_text(text)
    assert [c.document.name for c in found] == ["9110", "9111"]


def test_quote_longer_than_the_limit_is_dropped() -> None:
    body = "\n".join("// word word word" for _ in range(40))
    assert only('// RFC 9110, Section 3: "start\n' + body + '"\n').quote is None


def test_quote_position_on_a_later_line() -> None:
    found = only('// RFC 9110, Section 3 says:\n//    "one two"\n')
    assert (found.quote_line, found.quote_column, found.quote) == (2, 7, "one two")


def test_bare_citation_may_carry_a_quote() -> None:
    found = only('RFC 2119: "MUST" means absolute')
    assert (found.sections, found.quote) == ((), "MUST")


def test_empty_and_citation_free_text() -> None:
    assert scan_text("") == []
    assert scan_text("nothing to see here\n" * 100) == []


# --- properties -----------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    [
        "RFC 9110", "rfc9110", "[RFC9110]", "Section 3", "§", "15.5.5", " of ", ", ", ": ", '"', "“", "”", "\n",
        "\n// ", "\n * ", "\n# ", " ", "x", "é", "draft-ietf-quic-transport-34", "#section-2", "Appendix B.1",
        "https://www.rfc-editor.org/rfc/rfc9110.html", "(", ")", "[", "]", "\\", "says", "and", "-", "RFCs 1-3",
        ":rfc:`", "`", "\r\n", "\t", "I-D.ietf-x-y",
    ]
)  # fmt: skip


def _at(text: str, line: int, column: int) -> str:
    return text.split("\n")[line - 1][column - 1 :]


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_positions_always_point_at_the_citation(text: str) -> None:
    for cite in scan_text(text):
        assert _at(text, cite.line, cite.column).startswith(cite.raw.split("\n")[0])
        for ref in cite.sections:
            assert ref.line >= cite.line
        if cite.quote is not None:
            assert cite.quote_line is not None and cite.quote_column is not None
            assert _at(text, cite.quote_line, cite.quote_column)[:1] in ('"', "“", "\\")
            assert cite.quote == " ".join(cite.quote.split()) and cite.quote


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_scans_without_error(text: str) -> None:
    for cite in scan_text(text):
        assert cite.line >= 1 and cite.column >= 1
