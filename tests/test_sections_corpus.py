"""docfetch.sections on the real published documents of ../shared/corpus (skipped when it is absent)."""

from __future__ import annotations

import pytest

from docfetch.sections import Outline, SectionNotFound, find, parse_text, parse_xml_sections, strip_furniture

pytestmark = pytest.mark.corpus

#: Where the text alone cannot give the RFC Editor's id: RFC 8653 (an early v3 file) numbers its
#: table of contents section-boilerplate.3, later ones section-toc.1, and the text is the same.
KNOWN_V3_MISSES = {"rfc8653": {"section-boilerplate.3"}}


def _text(corpus, name):
    return (corpus / "rfc" / "txt" / f"{name}.txt").read_bytes()


def test_rfc9110_404_not_found(corpus):
    data = _text(corpus, "rfc9110")
    o = parse_text(data)
    s = find(o, "section-15.5.5")
    assert (s.number, s.title, s.level) == ("15.5.5", "404 Not Found", 3)
    body = data[s.start : s.end]
    assert body.startswith(b"15.5.5.  404 Not Found\n\n")
    assert body.endswith(b"explicit cache controls (see\n   Section 4.2.2 of [CACHING]).\n")
    assert data[s.end :].startswith(b"\n15.5.6.  405 Method Not Allowed\n")
    assert find(o, "404 not found") == s == find(o, "15.5.5.")
    assert find(o, "appendix-B.1").title == "Changes from RFC 2818"
    assert [find(o, q).id for q in ("Acknowledgements", "Index", "Authors' Addresses")] == [
        "appendix-C",
        "appendix-D",
        "appendix-E",
    ]
    # The Index's lines that look like headings are not sections.
    index = find(o, "appendix-D")
    assert not [x for x in o.sections if index.start < x.start < index.end]


def test_rfc2616_host_across_a_page_break(corpus):
    data = _text(corpus, "rfc2616")
    o = parse_text(data)
    s = find(o, "14.23")
    assert (s.id, s.title, s.level) == ("section-14.23", "Host", 2)
    body = data[s.start : s.end]
    assert body.startswith(b"14.23 Host\n\n   The Host request-header field")
    assert body.endswith(b"   See sections 5.2 and 19.6.1.1 for other requirements relating to\n   Host.\n")
    assert b"\f" in body and b"[Page 128]" in body
    assert data[s.end :].startswith(b"\n14.24 If-Match\n")
    flat = strip_furniture(data, o, s.start, s.end)
    assert b"\f" not in flat and b"[Page" not in flat and b"RFC 2616" not in flat
    # The break falls inside a paragraph: the lines on either side now follow each other.
    cut_from = body.index(b"(generally an HTTP URL,\n") + len(b"(generally an HTTP URL,\n")
    cut_to = body.index(b"   as described in section 3.2.2)")
    assert flat == body[:cut_from] + body[cut_to:]


def test_rfc791_internet_header_format(corpus):
    data = _text(corpus, "rfc791")
    o = parse_text(data)
    s = find(o, "3.1")
    assert (s.title, s.level) == ("Internet Header Format", 2)
    body = data[s.start : s.end]
    assert body.startswith(b"3.1.  Internet Header Format\n")
    assert body.endswith(b"header ends on a 32 bit boundary.  The padding is zero.\n")
    assert data[s.end :].startswith(b"\n3.2.  Discussion\n")
    # 3.1 spans twelve pages: their footers and running headers (two or three lines in RFC 791) are in it.
    assert body.count(b"\f") == 12
    assert b"[Page 11]" in body and b"[Page 22]" in body
    assert [x.id for x in o.sections if x.number] == [
        "section-1",
        "section-1.1",
        "section-1.2",
        "section-1.3",
        "section-1.4",
        "section-2",
        "section-2.1",
        "section-2.2",
        "section-2.3",
        "section-2.4",
        "section-3",
        "section-3.1",
        "section-3.2",
        "section-3.3",
        "appendix-A",
        "appendix-B",
    ]


def test_rfc1149_has_no_numbered_sections(corpus):
    data = _text(corpus, "rfc1149")
    o = parse_text(data)
    assert not o.has_numbers
    assert [s.title for s in o.sections] == [
        "Status of this Memo",
        "Overview and Rational",
        "Frame Format",
        "Discussion",
        "Security Considerations",
        "Author's Address",
    ]
    last = o.sections[-1]
    # The file ends with the last page's footer and a form feed, and no newline: neither is in the section.
    assert data[last.start : last.end].endswith(b"Phone: (617) 873-4323\n\n   EMail: dwaitzman@BBN.COM\n")
    assert data[last.end :].strip().startswith(b"Waitzman") and data.endswith(b"[Page 2]\n\f")
    with pytest.raises(SectionNotFound) as exc:
        find(o, "2")
    assert exc.value.no_numbers


def test_rfc768_underlined_headings(corpus):
    data = _text(corpus, "rfc768")
    o = parse_text(data)
    assert [s.title for s in o.sections][1:] == [
        "Introduction",
        "Format",
        "Fields",
        "User Interface",
        "IP Interface",
        "Protocol Application",
        "Protocol Number",
        "References",
    ]
    assert data[find(o, "Format").start :].startswith(b"Format\n------\n")


def test_draft_sections(corpus):
    data = (corpus / "drafts" / "draft-ietf-appsawg-file-scheme-16.txt").read_bytes()
    o = parse_text(data)
    s = find(o, "E.2.1")
    assert (s.id, s.title) == ("appendix-E.2.1", "Relative Resolution")
    assert b"Expires" not in strip_furniture(data, o, find(o, "8").start, find(o, "8").end)


@pytest.mark.parametrize("number", [8653, 8766, 9000, 9110, 9293, 9420, 9871, 10036])
def test_v3_rfcs_match_their_xml(corpus, number):
    data = _text(corpus, f"rfc{number}")
    truth = parse_xml_sections((corpus / "rfc" / "xml" / f"rfc{number}.xml").read_bytes())
    got = {s.id: s for s in parse_text(data).sections}
    misses = [
        t.id
        for t in truth
        if t.id not in got or (got[t.id].number, got[t.id].title, got[t.id].level) != (t.number, t.title, t.level)
    ]
    assert set(misses) == KNOWN_V3_MISSES.get(f"rfc{number}", set())


def test_every_v3_rfc_matches_its_xml(corpus):
    for xml in sorted((corpus / "rfc" / "xml").glob("rfc*.xml")):
        data = _text(corpus, xml.stem)
        truth = parse_xml_sections(xml.read_bytes())
        outline = parse_text(data)
        got = {s.id: s for s in outline.sections}
        misses = {
            t.id
            for t in truth
            if t.id not in got or (got[t.id].number, got[t.id].title, got[t.id].level) != (t.number, t.title, t.level)
        }
        assert misses == KNOWN_V3_MISSES.get(xml.stem, set()), xml.stem
        assert len(outline.sections) == len(truth), xml.stem
        assert Outline.from_json(outline.to_json()) == outline


def test_parse_xml_sections_titles_and_appendix_numbers(corpus):
    truth = parse_xml_sections((corpus / "rfc" / "xml" / "rfc8766.xml").read_bytes())
    assert [(t.id, t.number, t.level) for t in truth if t.id.startswith("appendix-A")] == [
        ("appendix-A", "A", 1),
        ("appendix-A.1", "A.1", 2),  # pn="section-a.1" in this early v3 file
        ("appendix-A.2", "A.2", 2),
        ("appendix-A.3", "A.3", 2),
    ]
    assert truth[0] == ("section-abstract", None, "Abstract", 1)
