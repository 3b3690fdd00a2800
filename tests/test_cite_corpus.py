"""docfetch.cite on real published RFCs (../shared/corpus): citations, reference tags, page breaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from docfetch.cite.quote import quote_in
from docfetch.cite.reftags import reference_tags
from docfetch.cite.scan import scan_text
from docfetch.reference import Reference

pytestmark = pytest.mark.corpus


def rfc(corpus: Path, number: int) -> str:
    return (corpus / "rfc" / "txt" / f"rfc{number}.txt").read_bytes().decode("utf-8")


def test_rfc9110_reference_tags(corpus: Path) -> None:
    tags = reference_tags(rfc(corpus, 9110))
    assert tags["HTTP/1.1"] == Reference("rfc", "9112")
    assert tags["CACHING"] == Reference("rfc", "9111")
    assert tags["URI"] == Reference("rfc", "3986")
    assert tags["RFC2616"] == Reference("rfc", "2616")
    assert len(tags) == 73


def test_rfc9110_citations(corpus: Path) -> None:
    text = rfc(corpus, 9110)
    found = scan_text(text, "rfc9110.txt", tags=reference_tags(text))
    by_line = {(c.line, c.column): c for c in found}
    lines = text.split("\n")
    assert lines[37] == "   Internet Standards is available in Section 2 of RFC 7841."
    first = by_line[(38, 39)]
    assert (first.document, first.section_id, first.raw) == (
        Reference("rfc", "7841"),
        "section-2",
        "Section 2 of RFC 7841",
    )
    assert lines[533].startswith("   Appendix B.1 of [RFC5234]: ALPHA (letters)")
    abnf = by_line[(534, 4)]
    assert (abnf.document, abnf.section_id) == (Reference("rfc", "5234"), "appendix-B.1")
    tagged = [c for c in found if c.raw.endswith("[HTTP/1.1]") and c.sections]
    assert tagged and all(c.document == Reference("rfc", "9112") for c in tagged)


def test_quote_across_a_real_page_break(corpus: Path) -> None:
    text = rfc(corpus, 2616)
    quote = "a provision to \u201cguess\u201d a charset MUST use the charset from the content-type field"
    assert "[Page 22]\n\f\nRFC 2616" in text
    assert quote_in(quote, text)
    assert not quote_in("a charset MUST use the charset from the HTTP/1.1 content-type field", text)


def test_every_position_in_the_corpus_points_at_its_citation(corpus: Path) -> None:
    checked = 0
    for path in sorted((corpus / "rfc" / "txt").glob("rfc*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        lines = text.split("\n")
        for cite in scan_text(text, path.name, tags=reference_tags(text)):
            assert lines[cite.line - 1][cite.column - 1 :].startswith(cite.raw.split("\n")[0]), (path.name, cite)
            for ref in cite.sections:
                assert lines[ref.line - 1][ref.column - 1 :].startswith(ref.written), (path.name, cite)
            checked += 1
    assert checked > 10_000
