"""Normalised metadata from the per-RFC JSON (legacy and 2026 shapes), the index and datatracker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docfetch.knowledge.metadata import (
    Metadata,
    clean_paragraphs,
    from_doc_json,
    from_index,
    from_rfc_json,
    merge,
    parse_doc_json,
    parse_rfc_json,
)
from docfetch.store.indexdb import IndexDB, build
from tests.test_indexdb import small_index

CORPUS_JSON = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "rfc" / "json"

# The legacy shape as the old PHP site wrote it: one line, escaped slashes, padded ids, strings.
LEGACY_2616 = (
    b'{"draft":"draft-ietf-http-v11-spec-rev-06","doc_id":"RFC2616","title":"Hypertext Transfer Protocol -- '
    b'HTTP\\/1.1 ","authors":["R. Fielding","J. Gettys","J. Mogul"],"format":["ASCII","PS","PDF","HTML"],'
    b'"page_count":"176","pub_status":"DRAFT STANDARD","status":"DRAFT STANDARD","source":"HyperText Transfer '
    b'Protocol","abstract":"HTTP has been in use by the World-Wide Web since 1990.  [STANDARDS-TRACK]  ",'
    b'"pub_date":"June 1999","keywords":["[HTTP|d]","World Wide Web","[--------|e]"],"obsoletes":["RFC2068"],'
    b'"obsoleted_by":["RFC7230","RFC7231"],"updates":[],"updated_by":["RFC2817"],"see_also":[],'
    b'"doi":"10.17487\\/RFC2616","errata_url":"https:\\/\\/www.rfc-editor.org\\/errata\\/rfc2616"}'
)
LEGACY_791 = (
    b'{"draft":"","doc_id":"RFC0791","title":" Internet Protocol ","authors":["J. Postel"],"format":["ASCII",'
    b'"HTML"],"page_count":"51","pub_status":"INTERNET STANDARD","status":"INTERNET STANDARD","source":"Legacy",'
    b'"abstract":"  ","pub_date":"September 1981","keywords":["IP","IPv4"],"obsoletes":["RFC0760"],'
    b'"obsoleted_by":[],"updates":[],"updated_by":["RFC1349","RFC2474","RFC6864"],"see_also":["STD0005"],'
    b'"doi":"10.17487\\/RFC0791","errata_url":"https:\\/\\/www.rfc-editor.org\\/errata\\/rfc0791"}'
)

# The 2026 shape: indented, unpadded ids, TEXT, see_also always empty, errata_url may be null.
NEW_791 = {
    "draft": "",
    "doc_id": "RFC791",
    "title": "Internet Protocol",
    "authors": ["J. Postel"],
    "format": ["TEXT", "HTML"],
    "page_count": 51,
    "pub_status": "INTERNET STANDARD",
    "status": "INTERNET STANDARD",
    "source": "Legacy",
    "abstract": "",
    "pub_date": "September 1981",
    "keywords": ["IP", "IPv4"],
    "obsoletes": ["RFC760"],
    "obsoleted_by": [],
    "updates": [],
    "updated_by": ["RFC1349", "RFC2474", "RFC6864"],
    "see_also": [],
    "doi": "10.17487/RFC0791",
    "errata_url": "https://www.rfc-editor.org/errata/rfc791",
}
NEW_10001 = {
    "draft": "draft-example-five-digits-04",
    "doc_id": "RFC10001",
    "title": "A Document With a Five-Digit Number",
    "authors": ["A. Author, Ed.", "B. Ünïcode"],
    "format": ["HTML", "TEXT", "PDF", "XML"],
    "page_count": "12",
    "pub_status": "PROPOSED STANDARD",
    "status": "PROPOSED STANDARD",
    "source": "example",
    "abstract": "First paragraph\r\nwrapped over\r\nlines.\r\n\r\nSecond   paragraph.",
    "pub_date": "August 2026",
    "keywords": [],
    "obsoletes": [],
    "obsoleted_by": [],
    "updates": ["RFC9110"],
    "updated_by": [],
    "see_also": [],
    "doi": "10.17487/RFC10001",
    "errata_url": None,
}


def new_shape(data: dict) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


def test_legacy_shape_is_normalised():
    record = parse_rfc_json(LEGACY_791)
    assert (record.doc_id, record.number, record.kind) == ("RFC791", 791, "rfc")
    assert record.title == "Internet Protocol" and record.abstract == ""
    assert record.formats == ["TXT", "HTML"] and record.pages == 51
    assert record.obsoletes == ["RFC760"] and record.updated_by == ["RFC1349", "RFC2474", "RFC6864"]
    assert record.is_also == ["STD5"] and record.see_also == []  # the legacy see_also holds the subseries
    assert record.errata_url == "https://www.rfc-editor.org/errata/rfc0791" and record.doi == "10.17487/RFC0791"
    assert record.sources == ["rfc-json"] and record.label() == "RFC 791"


def test_legacy_title_keywords_and_abstract_cleanup():
    record = parse_rfc_json(LEGACY_2616)
    assert record.title == "Hypertext Transfer Protocol -- HTTP/1.1"
    assert record.keywords == ["HTTP", "World Wide Web"]
    assert record.abstract == "HTTP has been in use by the World-Wide Web since 1990. [STANDARDS-TRACK]"
    assert record.obsoleted_by == ["RFC7230", "RFC7231"] and record.draft == "draft-ietf-http-v11-spec-rev-06"
    assert record.date == "June 1999" and record.status == "DRAFT STANDARD"


def test_both_shapes_give_the_same_record():
    legacy, new = parse_rfc_json(LEGACY_791), parse_rfc_json(new_shape(NEW_791))
    different = {k for k, v in legacy.as_dict().items() if new.as_dict()[k] != v}
    assert different == {"errata_url", "is_also"}  # padded errata link; 2026 see_also is always empty
    assert new.is_also == []


def test_2026_shape_null_errata_and_paragraphs():
    record = parse_rfc_json(new_shape(NEW_10001))
    assert (record.doc_id, record.number, record.pages) == ("RFC10001", 10001, 12)
    assert record.errata_url is None
    assert record.formats == ["HTML", "TXT", "PDF", "XML"]
    assert record.abstract == "First paragraph wrapped over lines.\n\nSecond paragraph."
    assert record.authors == ["A. Author, Ed.", "B. Ünïcode"] and record.updates == ["RFC9110"]


def test_2026_shape_with_a_bom_and_optional_is_also():
    data = dict(NEW_791, is_also=["STD5"], obsoleted_by=None, keywords=None, page_count=None)
    record = parse_rfc_json(b"\xef\xbb\xbf" + new_shape(data))
    assert record.is_also == ["STD5"] and record.obsoleted_by == [] and record.keywords == []
    assert record.pages is None


@pytest.mark.parametrize(
    "raw", [b"[]", b'{"title": "x"}', b'{"doc_id": "BCP14"}', b"not json", b'"RFC791"', b"\xff\xfe"]
)
def test_not_rfc_json_is_a_value_error(raw: bytes):
    with pytest.raises(ValueError):
        parse_rfc_json(raw)


@pytest.mark.parametrize("number", [791, 1149, 2119, 2616, 8174, 9110])
def test_real_legacy_files(number: int):
    path = CORPUS_JSON / f"rfc{number}.json"
    if not path.is_file():
        pytest.skip("../shared/corpus is absent")
    raw = path.read_bytes()
    record = parse_rfc_json(raw)
    data = json.loads(raw)
    assert record.number == number and record.doc_id == f"RFC{number}"
    assert record.title == " ".join(data["title"].split()) and record.title
    assert record.authors == data["authors"]
    assert "ASCII" not in record.formats and "TEXT" not in record.formats
    assert all(not d.startswith(("RFC0", "BCP0", "STD0")) for d in record.obsoleted_by + record.updated_by)
    assert record.abstract == record.abstract.strip() and "  " not in record.abstract and "\r" not in record.abstract


def test_real_files_relations():
    if not CORPUS_JSON.is_dir():
        pytest.skip("../shared/corpus is absent")
    assert parse_rfc_json((CORPUS_JSON / "rfc2119.json").read_bytes()).is_also == ["BCP14"]
    assert parse_rfc_json((CORPUS_JSON / "rfc9110.json").read_bytes()).errata_url is None
    assert parse_rfc_json((CORPUS_JSON / "rfc2616.json").read_bytes()).obsoleted_by == [
        "RFC7230",
        "RFC7231",
        "RFC7232",
        "RFC7233",
        "RFC7234",
        "RFC7235",
    ]


# -- the index, and merging ---------------------------------------------------------------------


@pytest.fixture
def index_record(tmp_path: Path):
    (tmp_path / "i.xml").write_bytes(small_index())
    build(tmp_path / "i.xml", tmp_path / "i.sqlite")
    with IndexDB(tmp_path / "i.sqlite") as db:
        yield lambda number: from_index(db.rfc(number))


def test_from_index(index_record):
    record = index_record(2616)
    assert (record.doc_id, record.number, record.title) == ("RFC2616", 2616, "Hypertext Transfer Protocol -- HTTP/1.1")
    assert record.obsoletes == ["RFC2068"] and record.obsoleted_by == ["RFC7230", "RFC7231"]
    assert record.updated_by == ["RFC2817"] and record.updates == []
    assert record.errata_url == "https://www.rfc-editor.org/errata/rfc2616" and record.doi == "10.17487/RFC2616"
    assert record.sources == ["index"]
    assert index_record(2119).is_also == ["BCP14"]
    assert index_record(9110).errata_url is None and index_record(9110).wg == "httpbis"


def test_merge_keeps_the_index_and_fills_gaps(index_record):
    index = index_record(791)  # no abstract, no page count differences
    extra = parse_rfc_json(new_shape(dict(NEW_791, abstract="The internet protocol.", updated_by=["RFC1349"])))
    merged = merge(index, extra)
    assert merged.abstract == "The internet protocol."
    assert merged.updated_by == ["RFC1349"] and merged.is_also == ["STD5"]  # the index's own lists
    assert merged.formats == ["TXT", "PDF"]
    assert merged.sources == ["index", "rfc-json"]
    assert merge(Metadata("RFC1"), extra).title == "Internet Protocol"


def test_clean_paragraphs():
    assert clean_paragraphs("a\r\nb\r\n\r\n\r\n c  d \n  \n") == "a b\n\nc d"
    assert clean_paragraphs(None) == "" and clean_paragraphs(["x"]) == ""


# -- datatracker ----------------------------------------------------------------------------------

DOC_JSON = {
    "name": "draft-ietf-appsawg-file-scheme",
    "rev": "16",
    "pages": 19,
    "time": "2016-12-04 15:02:47",
    "group": {"name": "Applications Area Working Group", "type": "WG", "acronym": "appsawg"},
    "expires": "2017-06-07 07:02:47",
    "title": 'The "file" URI Scheme',
    "abstract": 'This document provides a more complete specification\nof the "file" URI scheme.\n',
    "aliases": ["draft-ietf-appsawg-file-scheme", "rfc8089"],
    "state": "RFC",
    "intended_std_level": "Proposed Standard",
    "std_level": None,
    "authors": [{"name": "Matthew Kerwin", "email": "matthew@kerwin.net.au", "affiliation": "QUT"}],
    "shepherd": None,
    "ad": "Alexey Melnikov <aamelnikov@fastmail.fm>",
    "rev_history": [
        {"name": "draft-kerwin-file-scheme", "rev": "13", "published": "2014-09-01T00:00:00-07:00", "url": "x"},
        {"name": "draft-ietf-appsawg-file-scheme", "rev": "00", "published": "2014-09-16T06:43:10-07:00", "url": "y"},
        {"name": "draft-ietf-appsawg-file-scheme", "rev": "16", "published": "2016-12-04T15:02:47-08:00", "url": "z"},
    ],
    "iesg_state": "RFC Published",
    "stream": "IETF",
}


def test_doc_json():
    record = parse_doc_json(json.dumps(DOC_JSON, indent=2).encode())
    assert (record.kind, record.doc_id, record.revision) == ("draft", "draft-ietf-appsawg-file-scheme", "16")
    assert record.title == 'The "file" URI Scheme' and record.label() == "draft-ietf-appsawg-file-scheme"
    assert record.authors == ["Matthew Kerwin"] and record.status == "RFC" and record.stream == "IETF"
    assert record.wg == "appsawg" and record.pages == 19 and record.date == "2016-12-04"
    assert record.abstract == 'This document provides a more complete specification of the "file" URI scheme.'
    assert record.revisions == [{"rev": "00", "published": "2014-09-16"}, {"rev": "16", "published": "2016-12-04"}]
    assert record.sources == ["datatracker"]


def test_doc_json_older_object_names_and_missing_fields():
    record = from_doc_json({"name": "draft-x-y", "rev": "03", "state": {"name": "Expired", "slug": "expired"}})
    assert (record.status, record.revision, record.title, record.authors) == ("Expired", "03", "", [])
    with pytest.raises(ValueError):
        from_doc_json({"rev": "03"})
    with pytest.raises(ValueError):
        parse_doc_json(b"<html>")


def test_from_rfc_json_rejects_non_objects():
    with pytest.raises(ValueError):
        from_rfc_json(["RFC791"])
