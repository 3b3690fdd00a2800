"""The library API (README, "Library use"): fetch, fetch_many, info, search; typed; logging, never print."""

from __future__ import annotations

import json
import logging
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import docfetch
from tests.helpers import old_style_rfc, rfc_index_xml, v3_rfc

NEW_2616 = {
    "doc_id": "RFC2616",
    "title": "Hypertext Transfer Protocol -- HTTP/1.1",
    "authors": ["R. Fielding"],
    "obsoleted_by": ["RFC7230", "RFC7231"],
    "abstract": "HTTP is an application-level protocol.",
    "format": ["TEXT"],
}


@pytest.fixture
def world(ietf_world, docfetch_inprocess_env):
    ietf_world.add_rfc(791, old_style_rfc(791, final_newline=False))
    ietf_world.add_rfc(2119, old_style_rfc(2119, pages=1))
    ietf_world.add_rfc(8174, v3_rfc(8174))
    ietf_world.add_rfc(2616, json.dumps(NEW_2616).encode(), fmt="json")
    index = rfc_index_xml({"BCP14": [2119, 8174]}, {2119: {"title": "Key words for use in RFCs"}, 8174: {}})
    ietf_world.add_index(index)
    return ietf_world


def test_fetch_returns_the_exact_bytes(world):
    assert docfetch.fetch("rfc:791") == world.docs.rfcs[791]["txt"]
    assert docfetch.fetch("791") == world.docs.rfcs[791]["txt"]  # the natural forms, as on the command line
    both = world.docs.rfcs[2119]["txt"] + world.docs.rfcs[8174]["txt"]
    assert docfetch.fetch("bcp:14") == both


def test_fetch_raises_the_documented_errors(world):
    with pytest.raises(docfetch.NotFoundError) as missing:
        docfetch.fetch("rfc:14")
    assert missing.value.exit_code == docfetch.EXIT_NOT_FOUND
    with pytest.raises(docfetch.UsageError):
        docfetch.fetch("rfc:abc")


def test_fetch_many_in_order_with_per_document_errors(world, ietf_world):
    results = list(docfetch.fetch_many(["rfc:791", "rfc:14", "bcp:14"], jobs=4))
    assert [r.ref.label() for r in results] == ["RFC 791", "RFC 14", "RFC 2119", "RFC 8174"]
    assert [r.ok for r in results] == [True, False, True, True]
    assert results[0].data == world.docs.rfcs[791]["txt"] and results[0].fmt == "txt"
    assert isinstance(results[1].error, docfetch.NotFoundError) and results[1].data is None
    again = list(docfetch.fetch_many("rfc:791"))
    assert again[0].source == "cache" and again[0].data == results[0].data


def test_info_is_what_info_json_prints(world, run_docfetch):
    data = docfetch.info("rfc:2616")
    assert data["title"] == NEW_2616["title"] and data["obsoleted_by"] == ["RFC7230", "RFC7231"]
    printed = json.loads(run_docfetch("info", "--json", "rfc:2616").stdout)
    assert data == printed


def test_search_is_what_search_json_prints(world, run_docfetch):
    hits = docfetch.search("key words")
    assert [hit["number"] for hit in hits] == [2119]
    assert hits == json.loads(run_docfetch("search", "--json", "key", "words").stdout)


def test_library_reports_through_logging_and_prints_nothing(world, fake_web, monkeypatch, capfd, caplog):
    from docfetch import report

    report.to_logging()  # the default for a library user (tests in this process may have run the CLI)
    monkeypatch.setenv("DOCFETCH_RETRIES", "0")
    assert docfetch.fetch("rfc:791") == world.docs.rfcs[791]["txt"]
    fake_web.fault("www.ietf.org", "/rfc/rfc791.txt", statuses=[500])
    with caplog.at_level(logging.INFO, logger="docfetch"):
        assert docfetch.fetch("rfc:791", refresh=True) == world.docs.rfcs[791]["txt"]  # the cached copy
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    [(logger, level, message)] = caplog.record_tuples  # the default source failed over to rfc-editor
    assert (logger, level) == ("docfetch", logging.WARNING)
    assert message.startswith("ietf failed (") and message.endswith("); trying rfc-editor")


def test_package_is_typed():
    assert (Path(docfetch.__file__).parent / "py.typed").is_file()


def test_the_test_kit_is_opt_in():
    # Installed docfetch must not push its fixtures into every pytest run of the environment.
    assert not [ep for ep in entry_points(group="pytest11") if ep.value.startswith("docfetch")]


def test_section_and_toc_are_what_the_command_line_prints(world, ietf_world, run_docfetch):
    from tests.test_sections_cli import V3

    ietf_world.add_rfc(9991, V3)
    record = docfetch.section("rfc9991#2.1")
    assert record == json.loads(run_docfetch("--json", "rfc9991#2.1").stdout)
    assert V3[record["start"] : record["end"]].decode() == record["text"]
    assert docfetch.section("rfc:9991", "404 Not Found")["id"] == "section-2.1"
    assert docfetch.toc("rfc:9991") == json.loads(run_docfetch("toc", "--json", "rfc:9991").stdout)
    with pytest.raises(docfetch.NotFoundError):
        docfetch.section("rfc9991#7")
