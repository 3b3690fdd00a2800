"""Reading errata.json: exact normalised values, and exact skip counts for hostile entries."""

from __future__ import annotations

import json

import pytest

from docfetch.errata import parse
from docfetch.errata.model import Erratum, normalise_status, normalise_type, short_status
from docfetch.errata.parse import ErrataFormatError, parse_doc_id, parse_errata, parse_errata_id, text_of


def entry(errata_id: object = "7109", **fields: object) -> dict[str, object]:
    """One errata.json entry shaped like the real ones."""
    base: dict[str, object] = {
        "errata_id": errata_id,
        "doc-id": "RFC9110",
        "errata_status_code": "Verified",
        "errata_type_code": "Technical",
        "section": "15.4.9",
        "orig_text": "   old line one\r\n   old line two",
        "correct_text": "   new line\r\n",
        "notes": "",
        "submit_date": "2022-08-23",
        "submitter_name": "A. Submitter",
        "verifier_id": "",
        "verifier_name": None,
        "update_date": "2019-09-10 16:09:03",
    }
    base.update(fields)
    return base


def dump(entries: list[object]) -> bytes:
    return json.dumps(entries, indent=2).encode()


def test_real_shaped_entry_is_normalised_exactly() -> None:
    result = parse_errata(dump([entry()]))
    assert result.skipped == 0
    assert result.errata == [
        Erratum(
            id=7109,
            number=9110,
            doc_id="RFC9110",
            status="Verified",
            type="Technical",
            section="15.4.9",
            orig_text="   old line one\n   old line two",
            correct_text="   new line\n",
            notes="",
            submit_date="2022-08-23",
            submitter_name="A. Submitter",
            verifier_id="",
            verifier_name="",
            update_date="2019-09-10 16:09:03",
        )
    ]
    erratum = result.errata[0]
    assert erratum.fields["orig_text"] == "   old line one\r\n   old line two"  # as given, for JSON output
    assert erratum.fields["verifier_name"] is None
    assert erratum.url == "https://www.rfc-editor.org/errata/eid7109"


def test_raw_is_the_exact_json_text_of_each_entry() -> None:
    data = b'[ {"errata_id":"1", "doc-id":"RFC1",  "x":[1, 2]} ,\n{"errata_id": 2, "doc-id": "RFC2"}]'
    result = parse_errata(data)
    assert result.raw == ['{"errata_id":"1", "doc-id":"RFC1",  "x":[1, 2]}', '{"errata_id": 2, "doc-id": "RFC2"}']
    assert [(e.id, e.number) for e in result.errata] == [(1, 1), (2, 2)]


@pytest.mark.parametrize(
    ("doc_id", "number"),
    [
        ("RFC9110", 9110),
        ("RFC0791", 791),
        ("rfc 791", 791),
        (" Rfc-0791 ", 791),
        ("RFC10001", 10001),
        (791, 791),
        ("RFC", None),
        ("RFC0", None),
        ("BCP14", None),
        ("RFC٧٩١", None),  # Arabic-Indic digits: not ASCII
        ("9110", None),
        (True, None),
        (None, None),
        ([9110], None),
        (-5, None),
        ("RFC99999999", None),
    ],
)
def test_doc_id(doc_id: object, number: int | None) -> None:
    assert parse_doc_id(doc_id) == number


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7109", 7109), (" 12 ", 12), (12, 12), (12.0, 12), ("0", 0), (12.5, None), ("12a", None), (True, None),
     (None, None), ("-3", None), (-3, None), (10**13, None), ("", None)],
)  # fmt: skip
def test_errata_id(value: object, expected: int | None) -> None:
    assert parse_errata_id(value) == expected


def test_statuses_and_types_normalised_unknown_kept() -> None:
    assert normalise_status("verified") == "Verified"
    assert normalise_status("  HELD   FOR document update ") == "Held for Document Update"
    assert normalise_status("held") == "Held for Document Update"
    assert normalise_status("Reported") == "Reported"
    assert normalise_status(" Withdrawn ") == "Withdrawn"
    assert normalise_type("TECHNICAL") == "Technical"
    assert normalise_type("editorial ") == "Editorial"
    assert normalise_type("Mixed") == "Mixed"
    assert short_status("Held for Document Update") == "held"
    assert short_status("Withdrawn") == "withdrawn"


def test_text_of_every_shape() -> None:
    assert text_of("a\r\nb\rc\n") == "a\nb\rc\n"
    assert text_of(None) == ""
    assert text_of(12) == "12"
    assert text_of(4.2) == "4.2"
    assert text_of(False) == "false"
    assert text_of(["x"]) == ""
    assert text_of({"a": 1}) == ""
    assert text_of("lone \ud800 surrogate") == "lone \ufffd surrogate"


def test_hostile_entries_are_skipped_and_counted_by_reason() -> None:
    deep: object = "bottom"
    for _ in range(40):
        deep = [deep]
    entries: list[object] = [
        entry("1"),
        "a string",
        42,
        None,
        [entry("2")],
        {},
        entry(None),
        entry("x1"),
        entry("3", **{"doc-id": None}),
        entry("4", **{"doc-id": "draft-foo"}),
        entry("5", notes=deep),
        entry("1", section="dup"),
        entry("6", section=["4.2"], orig_text={"a": "b"}, correct_text=7, notes=True, submitter_name=None),
        entry("7", errata_status_code=None, errata_type_code=3, submit_date="9999-04-13", update_date=None),
    ]
    result = parse_errata(dump(entries))
    assert dict(result.reasons) == {
        parse.NOT_AN_OBJECT: 4,
        parse.NO_ID: 3,
        parse.NO_DOC_ID: 2,
        parse.TOO_DEEP: 1,
        parse.DUPLICATE: 1,
    }
    assert result.skipped == 11
    assert [e.id for e in result.errata] == [1, 6, 7]
    assert result.errata[0].section == "15.4.9"  # the first of the duplicates is kept
    six = result.errata[1]
    assert (six.section, six.orig_text, six.correct_text, six.notes, six.submitter_name) == ("", "", "7", "true", "")
    assert six.fields["section"] == ["4.2"]
    seven = result.errata[2]
    assert (seven.status, seven.type, seven.submit_date, seven.update_date) == ("", "3", "9999-04-13", "")


def test_missing_fields_are_empty_text() -> None:
    result = parse_errata(b'[{"errata_id": "9", "doc-id": "RFC1"}]')
    (erratum,) = result.errata
    assert erratum == Erratum(9, 1, "RFC1", "", "", "", "", "", "", "", "", "", "", "")


def test_nesting_too_deep_for_the_decoder_is_skipped_not_fatal() -> None:
    depth = 200_000
    bomb = "[" * depth + "]" * depth
    data = f'[{{"errata_id": "1", "doc-id": "RFC1"}}, {bomb}, {{"errata_id": "2", "doc-id": "RFC2", "x": {bomb}}},'
    data += '{"errata_id": "3", "doc-id": "RFC3", "s": "[[[{{ \\" ]]"}]'
    result = parse_errata(data.encode())
    assert [e.id for e in result.errata] == [1, 3]
    assert dict(result.reasons) == {parse.UNREADABLE: 2}


def test_integer_too_long_for_python_is_skipped() -> None:
    data = (
        b'[{"errata_id": "1", "doc-id": "RFC1", "n": ' + b"9" * 5000 + b'}, 1e999999, {"errata_id": "2", "doc-id": 2}]'
    )
    result = parse_errata(data)
    assert [e.id for e in result.errata] == [2]
    assert dict(result.reasons) == {parse.UNREADABLE: 1, parse.NOT_AN_OBJECT: 1}


def test_nan_and_infinity_are_kept_as_text() -> None:
    result = parse_errata(b'[{"errata_id": "1", "doc-id": "RFC1", "section": NaN, "notes": -Infinity}]')
    (erratum,) = result.errata
    assert (erratum.section, erratum.notes) == ("NaN", "-Infinity")


def test_bom_invalid_utf8_and_huge_texts() -> None:
    huge = "x" * 3_000_000
    data = b"\xef\xbb\xbf[" + json.dumps(entry("1", notes=huge)).encode() + b', {"errata_id": "2", "doc-id": "RFC2",'
    data += b' "submitter_name": "Bad \xff byte"}]'
    result = parse_errata(data)
    assert [len(e.notes) for e in result.errata] == [3_000_000, 0]
    assert result.errata[1].submitter_name == "Bad \ufffd byte"


def test_empty_list() -> None:
    result = parse_errata(b" [ ] \n")
    assert (result.errata, result.skipped) == ([], 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "errata.json is empty"),
        (b'{"errata": []}', "errata.json is not a JSON list (it starts with an object)"),
        (b'"text"', "errata.json is not a JSON list (it starts with a string)"),
        (b"12", "errata.json is not a JSON list (it starts with a number)"),
        (b"<html>", "errata.json is not a JSON list (it starts with '<')"),
        (b'[{"errata_id": "1", "doc-id": "RFC1"}, {"errata_id": "2", "doc-', "errata.json is not valid JSON"),
        (b'[{"errata_id": "1", "doc-id": "RFC1"}', "errata.json is not valid JSON: expected ',' or ']'"),
        (b'[{"errata_id": "1", "doc-id": "RFC1"},]', "errata.json is not valid JSON"),
        (b'[{"errata_id": "1", "doc-id": "RFC1"}] trailing', "errata.json is not valid JSON: extra data"),
        (b"[" + b"[" * 100_000, "errata.json is not valid JSON: it ends inside a list or object"),
    ],
)
def test_files_that_are_not_a_json_list_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ErrataFormatError) as raised:
        parse_errata(data)
    assert str(raised.value).startswith(message)


@pytest.mark.corpus
def test_real_file_reads_whole(corpus) -> None:
    data = (corpus / "errata" / "errata.json").read_bytes()
    result = parse_errata(data)
    assert (len(result.errata), result.skipped) == (8018, 0)
    assert len(json.loads(data)) == 8018
    odd = [e for e in result.errata if e.submit_date == "9999-04-13"]
    assert [e.id for e in odd] == [6534]
    assert not any("\r\n" in e.orig_text + e.correct_text + e.notes for e in result.errata)
