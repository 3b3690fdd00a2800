"""Planning a sync from the RFC index: ranges, formats, and what the index says exists."""

from __future__ import annotations

import pytest
from docfetch_mirror.plan import FORMATS, RfcRange, Task, make_plan, parse_formats, parse_range, published_formats

from docfetch import IndexEntry, UsageError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, RfcRange(1, None)),
        ("", RfcRange(1, None)),
        ("1-20", RfcRange(1, 20)),
        (" 0791 ", RfcRange(791, 791)),
        ("9000-", RfcRange(9000, None)),
        ("10001-10001", RfcRange(10001, 10001)),
    ],
)
def test_parse_range(text, expected):
    assert parse_range(text) == expected


@pytest.mark.parametrize("text", ["20-1", "0", "0-5", "-5", "a-b", "1-2-3", "\u0667\u0669\u0661", "1..5", "1234567"])
def test_parse_range_rejects(text):
    with pytest.raises(UsageError):
        parse_range(text)


def test_range_membership_and_text():
    assert 5 in RfcRange(1, 5) and 6 not in RfcRange(1, 5) and 10**6 in RfcRange(9000)
    assert "5" not in RfcRange(1, 5)
    assert (str(RfcRange(1, 5)), str(RfcRange(791, 791)), str(RfcRange(9000))) == ("1-5", "791", "9000-")


def test_parse_formats():
    assert parse_formats("json, TXT ,txt") == ("txt", "json")
    assert parse_formats("all") == FORMATS
    assert parse_formats(["pdf", "xml"]) == ("pdf", "xml")
    for bad in ("", ",", "txt,docx", "csv"):
        with pytest.raises(UsageError):
            parse_formats(bad)


def entry(doc_id: str, *formats: str) -> IndexEntry:
    return IndexEntry("rfc", doc_id, formats=list(formats))


def test_published_formats_follow_the_index():
    assert published_formats(entry("RFC791", "ASCII", "PDF")) == {"txt", "pdf", "json"}
    assert published_formats(entry("RFC9110", "TXT", "HTML", "XML", "PDF")) == {"txt", "html", "xml", "pdf", "json"}
    assert published_formats(entry("RFC8649", "TXT", "XML")) == {"txt", "json"}  # XML only from 8650
    assert published_formats(entry("RFC8650", "xml")) == {"xml", "json"}
    assert published_formats(entry("RFC4")) == {"json"}  # every issued RFC has its JSON record
    assert published_formats(entry("RFC5", "PostScript", "TXT")) == {"txt", "json"}


def test_make_plan_from_an_index_file(tmp_path):
    index = tmp_path / "rfc-index.xml"
    index.write_text(
        '<?xml version="1.0"?>\n<rfc-index xmlns="http://www.rfc-editor.org/rfc-index">'
        "<bcp-entry><doc-id>BCP0014</doc-id><is-also><doc-id>RFC2119</doc-id></is-also></bcp-entry>"
        "<rfc-entry><format><file-format>ASCII</file-format><file-format>PDF</file-format></format>"
        "<doc-id>RFC0001</doc-id></rfc-entry>"
        "<rfc-not-issued-entry><doc-id>RFC0002</doc-id></rfc-not-issued-entry>"
        "<rfc-entry><doc-id>RFC0003</doc-id><format><file-format>PDF</file-format></format></rfc-entry>"
        "<rfc-entry><doc-id>RFC2119</doc-id><format><file-format>TXT</file-format></format></rfc-entry>"
        "</rfc-index>"
    )
    plan = make_plan(index, RfcRange(1, 100), ("json", "txt", "pdf"))
    assert plan.issued == 2
    assert plan.tasks == [
        Task(1, "txt"),
        Task(1, "pdf"),
        Task(1, "json"),
        Task(3, "pdf"),
        Task(3, "json"),
    ]
    assert [t.name for t in make_plan(index, RfcRange(), ("txt",)).tasks] == ["rfc1.txt", "rfc2119.txt"]
    empty = make_plan(index, RfcRange(2, 2), ("txt",))
    assert (empty.tasks, empty.issued) == ([], 0)
