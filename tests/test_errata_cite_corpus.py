"""Errata and ``cite check`` on the real published files of ../shared/corpus (real errata.json, RFC texts and
RFC index), served by the kit's local servers, through the installed command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docfetch.errata.parse import parse_errata
from docfetch.knowledge.errata import DELIMITER

pytestmark = pytest.mark.corpus

RFCS = (791, 2616, 7230, 7231, 9110, 9111, 9112)


@pytest.fixture
def world(ietf_world, corpus: Path):
    for number in RFCS:
        ietf_world.add_rfc(number, (corpus / "rfc" / "txt" / f"rfc{number}.txt").read_bytes())
    ietf_world.add_index((corpus / "index" / "rfc-index.xml").read_bytes())
    ietf_world.add_errata((corpus / "errata" / "errata.json").read_bytes())
    return ietf_world


def ok(result) -> bytes:
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def test_rfc_9110_errata_placed_on_real_sections(world, run_docfetch, corpus):
    data = json.loads(ok(run_docfetch("errata", "rfc:9110", "--json", "--status", "all")))
    real = [e for e in parse_errata((corpus / "errata" / "errata.json").read_bytes()).errata if e.number == 9110]
    assert sorted(int(e["errata_id"]) for e in data) == sorted(e.id for e in real)
    placed = {e["errata_id"]: e["placed_section"] for e in data}
    assert placed["7105"] == "appendix-B.1"  # typed "B.1."
    assert placed["7109"] == "section-15.4.9"
    assert placed["7138"] == "section-12.5.1"
    assert placed["7306"] == "section-14.1.1"
    verified = json.loads(ok(run_docfetch("errata", "rfc:9110", "--json")))
    assert {e["errata_status_code"] for e in verified} == {"Verified"}  # the rejected ones are left out by default
    run_docfetch("search", "semantics")  # info reads the RFC index only where it is local
    assert json.loads(ok(run_docfetch("info", "--json", "rfc:9110")))["errata"] == {
        "verified": 6,
        "reported": 0,
        "held": 0,
        "rejected": 6,
    }


def test_section_with_its_real_errata(world, run_docfetch):
    plain = ok(run_docfetch("rfc9110#15.4.9"))
    assert plain.startswith(b"15.4.9.  308 Permanent Redirect\n")
    with_errata = ok(run_docfetch("rfc9110#15.4.9", "--errata"))
    text, delimiter, errata = with_errata.partition(b"\n" + DELIMITER.encode() + b"\n")
    assert (text, delimiter[:1]) == (plain, b"\n")
    assert errata.startswith(b"-- 1 erratum placed on section-15.4.9:\n\nErratum 7109 (Verified, Editorial)\n")
    assert ok(run_docfetch("rfc9110#15.4.9", "--errata")) == with_errata  # the fast path agrees


def test_fetch_note_for_a_real_rfc(world, run_docfetch):
    ok(run_docfetch("errata", "rfc:791", "--json"))
    result = run_docfetch("rfc:791")
    assert b"docfetch: note: RFC 791 has 9 verified errata: docfetch errata rfc:791\n" in result.stderr


TREE = (
    '// RFC 9110, Section 15.5.5: "The 404 (Not Found) status code indicates that the origin\n'
    '// server did not find a current representation for the target resource"\n'
    '// RFC 9110, Section 15.5.4: "The 404 (Not Found) status code indicates that the origin server did"\n'
    "// See Section 15.5.99 of RFC 9110.\n"
    '// RFC 2616 §10.4.5 "The server has not found anything matching the Request-URI."\n'
    "// RFC 791, Section 3.1 (Internet Header Format)\n"
    "// RFC 14\n"
    '// RFC 7231, Section 6.5.4: "The 404 (Not Found) status code indicates that the origin server did"\n'
)
EXPECTED = [
    "a.go:3:30: error: misquote: quoted text is in Section 15.5.5, not 15.5.4",
    "a.go:4:16: error: unknown-section: RFC 9110 has no Section 15.5.99; did you mean Section 15.5.22 (426 Upgrade "
    "Required)?",
    "a.go:5:4: warning: obsolete: RFC 2616 is obsoleted by RFC 7230, RFC 7231, RFC 7232, RFC 7233, RFC 7234, RFC 7235",
    "a.go:6:21: warning: errata: Section 3.1 of RFC 791 has verified errata 579, 583, 716, 7560",
    "a.go:7:4: error: unknown-document: RFC 14 was never issued",
    "a.go:8:4: warning: obsolete: RFC 7231 is obsoleted by RFC 9110",
]


def test_cite_check_over_real_rfcs(world, run_docfetch, tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.go").write_text(TREE)
    result = run_docfetch("cite", "check", ".", cwd=tmp_path / "src")
    assert result.stdout.decode().splitlines() == EXPECTED, result.stderr.decode()
    assert result.returncode == 1
    assert result.stderr.endswith(b"docfetch: 3 errors, 3 warnings in 7 citations (1 file)\n")
    offline = run_docfetch("cite", "check", "--offline", "--format", "json", ".", cwd=tmp_path / "src")
    assert len(json.loads(offline.stdout)) == len(EXPECTED)
