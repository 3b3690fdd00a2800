"""The reference parser: every accepted form, every rejection, and never anything but UsageError."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docfetch.errors import UsageError
from docfetch.reference import Reference, parse_reference, parse_references


@pytest.mark.parametrize(
    "text", ["rfc:791", "rfc:0791", "RFC791", "rfc791", "Rfc:791", "RFC:000791", " rfc:791 ", "RFC 791"]
)
def test_rfc_forms_all_name_rfc_791(text):
    assert parse_reference(text) == Reference("rfc", "791")


def test_five_digit_numbers():
    assert parse_reference("rfc:10001").stem == "rfc10001"


@pytest.mark.parametrize(
    "text",
    [
        "rfc:٧٩١",
        "rfc:７９１",
        "rfc:0",
        "rfc:",
        "rfc:-1",
        "rfc:79a",
        "rfc:1/../../x",
        "rfc:7 91",
        "rfc:791#",
        "rfc:791#section 1",
        "https://www.rfc-editor.org/about/",
        "https://example.com/rfc791.txt",
        "",
        "   ",
        "iana:../etc",
        "iana:a/b",
        "draft:",
        "draft-",
        "draft:Foo Bar",
        "\x00",
        "\udcff",
        "rfc:5-1",
    ],
)
def test_invalid_references_are_usage_errors(text):
    with pytest.raises(UsageError) as caught:
        parse_references(text)
    assert "\n" not in caught.value.message


def test_drafts_latest_exact_and_bare():
    assert parse_reference("draft:draft-ietf-quic-transport") == Reference("draft", "draft-ietf-quic-transport")
    assert parse_reference("draft:ietf-quic-transport-34") == Reference("draft", "draft-ietf-quic-transport", "34")
    assert parse_reference("draft-ietf-quic-transport-34").stem == "draft-ietf-quic-transport-34"
    assert parse_reference("DRAFT-IETF-QUIC-TRANSPORT").name == "draft-ietf-quic-transport"


def test_subseries_and_plugin_schemes():
    assert parse_reference("bcp:14") == Reference("bcp", "14")
    assert parse_reference("STD5") == Reference("std", "5")
    assert parse_reference("fyi:0001") == Reference("fyi", "1")
    assert parse_reference("IANA:http-status-codes") == Reference("iana", "http-status-codes")


def test_ranges_expand_in_order():
    assert [r.name for r in parse_references("rfc:8-11")] == ["8", "9", "10", "11"]
    with pytest.raises(UsageError):
        parse_references("rfc:1-999999")


def test_error_message_shows_input_safely():
    with pytest.raises(UsageError) as caught:
        parse_references("rfc:\x1b]0;owned\x07")
    assert "\x1b" not in caught.value.message and "\\x1b" in caught.value.message


@settings(max_examples=600, deadline=None)
@given(st.text(max_size=80))
def test_parser_never_raises_anything_else(text):
    try:
        refs = parse_references(text)
    except UsageError as error:
        assert error.message and "\n" not in error.message
        return
    for ref in refs:
        assert "/" not in ref.stem and "\\" not in ref.stem and ".." not in ref.stem
        assert ref.stem.isascii() and ref.stem.isprintable()


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"(?i)(rfc|bcp|std|fyi):?[0-9]{1,6}", fullmatch=True))
def test_every_numbered_form_roundtrips(text):
    try:
        ref = parse_reference(text)
    except UsageError:
        assert int("".join(c for c in text if c.isdigit())) == 0
        return
    assert ref.number == int("".join(c for c in text if c.isdigit()))
    assert parse_reference(str(ref)) == ref


@pytest.mark.parametrize(
    ("text", "ref", "section"),
    [
        ("https://datatracker.ietf.org/doc/html/draft-ietf-quic-transport-34#section-17.2",
         Reference("draft", "draft-ietf-quic-transport", "34"), "section-17.2"),
        ("https://www.ietf.org/archive/id/draft-ietf-quic-transport-34.html#section-2",
         Reference("draft", "draft-ietf-quic-transport", "34"), "section-2"),
        ("https://datatracker.ietf.org/doc/draft-ietf-quic-transport/",
         Reference("draft", "draft-ietf-quic-transport"), None),
        ("https://www.rfc-editor.org/rfc/rfc9110.html#appendix-B.1", Reference("rfc", "9110"), "appendix-B.1"),
        ("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5", Reference("rfc", "9110"), "section-15.5.5"),
        ("https://tools.ietf.org/html/rfc7231#section-6.5.4", Reference("rfc", "7231"), "section-6.5.4"),
        ("rfc9110#15.5.5", Reference("rfc", "9110"), "15.5.5"),
        ("https://www.rfc-editor.org/bcp/bcp14.txt", Reference("bcp", "14"), None),
    ],
)  # fmt: skip
def test_links_and_fragments(text, ref, section):
    from docfetch.reference import Target, parse_target

    assert parse_target(text) == [Target(ref, section)]
