"""Reading by section on the command line: REF#section, --section, links, toc, link, --json, plugins.

The documents are made here (an old-style paged RFC with a table of contents and a page break
inside a section, a v3-style RFC with a BOM and appendices) and served by the kit's local IETF
world; tests over the real corpus are marked ``corpus``.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.helpers import CORPUS, FIXTURES, fake_install, rfc_index_xml, run_on_pty

FOOTER = b"Postel                      Standards Track                    [Page 1]\n\x0c\n"
HEADER = b"RFC 9990                  Synthetic Protocol                March 2026\n\n\n"
OLD = (
    b"RFC 9990                  Synthetic Protocol                March 2026\n\n"
    b"Table of Contents\n\n"
    b"   1.  Introduction ..............................................  1\n"
    b"   2.  Protocol ..................................................  1\n"
    b"     2.1.  Messages ..............................................  1\n"
    b"   Appendix A.  Examples ..........................................  2\n\n"
    b"1.  Introduction\n\n   Intro text.\n\n"
    b"2.  Protocol\n\n   Protocol text.\n\n"
    b"2.1.  Messages\n\n   Messages text begins on page 1 and the sentence\n\n\n\n"
    + FOOTER
    + HEADER
    + b"   continues on page 2.\n\n"
    b"Appendix A.  Examples\n\n   Example text.\n\n"
    b"Author's Address\n\n   J. Postel\n"
)  # fmt: skip
V3 = (
    "\ufeff\n\n\nInternet Engineering Task Force (IETF)                         A. Author\n"
    "Request for Comments: 9991                                    March 2026\n\n"
    "                        Synthetic v3 Protocol\n\n"
    "Abstract\n\n   An abstract.\n\n"
    "Table of Contents\n\n"
    "   1.  Introduction\n"
    "   2.  Status Codes\n"
    "     2.1.  404 Not Found\n"
    "   Appendix A.  Änderungen\n"
    "     A.1.  Since Draft 00\n"
    "   Author's Address\n\n"
    "1.  Introduction\n\n   Intro.\n\n"
    "2.  Status Codes\n\n   Codes.\n\n"
    "2.1.  404 Not Found\n\n   The 404 (Not Found) status code, ünïcödé.\n\n"
    "Appendix A.  Änderungen\n\n   Changes.\n\n"
    "A.1.  Since Draft 00\n\n   None.\n\n"
    "Author's Address\n\n   A. Author\n"
).encode()


def between(data: bytes, start: bytes, end: bytes | None) -> bytes:
    """``data`` from the line starting with ``start`` to just before the line starting with ``end``, blanks cut."""
    first = data.index(b"\n" + start) + 1
    stop = data.index(b"\n" + end, first) + 1 if end is not None else len(data)
    chunk = data[first:stop]
    while chunk.endswith(b"\n\n"):
        chunk = chunk[:-1]
    return chunk


@pytest.fixture
def world(ietf_world):
    ietf_world.add_rfc(9990, OLD)
    ietf_world.add_rfc(9991, V3)
    ietf_world.add_index(rfc_index_xml({"BCP99": [9990, 9991]}))
    return ietf_world


def out(result) -> bytes:
    assert result.returncode == 0, result.stderr
    return result.stdout


# -- the slice ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["rfc:9991#section-2.1"],
        ["rfc9991#2.1"],
        ["RFC", "9991#2.1"],
        ["rfc:9991", "--section", "2.1"],
        ["rfc:9991", "--section", "404 Not Found"],
        ["https://www.rfc-editor.org/rfc/rfc9991.html#section-2.1"],
        ["https://www.rfc-editor.org/rfc/rfc9991#section-2.1"],
        ["https://datatracker.ietf.org/doc/html/rfc9991#section-2.1"],
        ["https://tools.ietf.org/html/rfc9991#section-2.1"],
    ],
)
def test_section_forms_print_the_exact_slice(world, run_docfetch, args):
    expected = between(V3, b"2.1.  404 Not Found", b"Appendix A.")
    assert expected.startswith(b"2.1.  404 Not Found\n") and expected.endswith("ünïcödé.\n".encode())
    assert out(run_docfetch(*args)) == expected  # first fetch (engine path)
    assert out(run_docfetch(*args)) == expected  # cached (fast path)


def test_a_section_holds_its_subsections_and_appendices_work(world, run_docfetch):
    assert out(run_docfetch("rfc9991#2")) == between(V3, b"2.  Status Codes", b"Appendix A.")
    appendix = between(V3, b"Appendix A.  \xc3\x84nderungen", b"Author's Address")
    assert out(run_docfetch("rfc9991#appendix-A")) == appendix
    assert out(run_docfetch("rfc:9991", "--section", "A")) == appendix
    assert out(run_docfetch("rfc9991#appendix-A.1")) == between(V3, b"A.1.  Since Draft 00", b"Author's Address")


def test_page_breaks_inside_a_section_are_kept_or_removed(world, run_docfetch):
    exact = between(OLD, b"2.1.  Messages", b"Appendix A.")
    assert FOOTER in exact and HEADER in exact
    assert out(run_docfetch("rfc9990#2.1")) == exact
    assert out(run_docfetch("--no-page-breaks", "rfc9990#2.1")) == (
        b"2.1.  Messages\n\n   Messages text begins on page 1 and the sentence\n   continues on page 2.\n"
    )
    whole = out(run_docfetch("--no-page-breaks", "rfc:9990"))
    assert b"\x0c" not in whole and b"[Page 1]" not in whole and whole.endswith(b"   J. Postel\n")


def test_the_table_of_contents_is_never_taken_for_the_section(world, run_docfetch):
    section = out(run_docfetch("rfc9990#1"))
    assert section == b"1.  Introduction\n\n   Intro text.\n"


def test_json_gives_a_verifiable_citation(world, run_docfetch):
    record = json.loads(out(run_docfetch("--json", "rfc9991#2.1")))
    start, end = record["start"], record["end"]
    assert V3[start:end] == between(V3, b"2.1.  404 Not Found", b"Appendix A.")
    assert record == {
        "reference": "rfc:9991",
        "format": "txt",
        "id": "section-2.1",
        "number": "2.1",
        "title": "404 Not Found",
        "level": 2,
        "start": start,
        "end": end,
        "sha256": hashlib.sha256(V3).hexdigest(),
        "link": "https://www.rfc-editor.org/rfc/rfc9991.html#section-2.1",
        "page_breaks": True,
        "text": V3[start:end].decode(),
    }
    several = json.loads(out(run_docfetch("--json", "rfc9991#2.1", "rfc9990#2.1")))
    assert [r["id"] for r in several] == ["section-2.1", "section-2.1"]
    nobreaks = json.loads(out(run_docfetch("--json", "--no-page-breaks", "rfc9990#2.1")))
    assert "\x0c" not in nobreaks["text"] and nobreaks["page_breaks"] is False


def test_missing_sections_and_ambiguous_series(world, run_docfetch):
    missing = run_docfetch("rfc9991#2.9")
    assert (missing.returncode, missing.stdout) == (3, b"")
    assert missing.stderr.decode().splitlines() == [
        "docfetch: error: RFC 9991 has no section '2.9'",
        "docfetch: hint: did you mean 2 or 2.1? 'docfetch toc rfc:9991' lists them",
    ]
    series = run_docfetch("bcp:99#section-1")
    assert series.returncode == 2 and series.stdout == b""
    assert series.stderr.decode().splitlines() == [
        "docfetch: error: BCP 99#section-1 is ambiguous: BCP 99 is RFC 9990, RFC 9991",
        "docfetch: hint: name one of them, e.g. rfc:9990#section-1",
    ]
    json_alone = run_docfetch("--json", "rfc:9991")
    assert json_alone.returncode == 2 and b"--json describes a section" in json_alone.stderr


def test_offline_from_the_cache(world, run_docfetch, fake_web):
    out(run_docfetch("rfc:9991"))
    fake_web.clear_log()
    assert out(run_docfetch("--offline", "rfc9991#2")) == between(V3, b"2.  Status Codes", b"Appendix A.")
    assert fake_web.requests == []


def test_the_outline_is_computed_once_and_kept(world, run_docfetch, docfetch_env):
    from pathlib import Path

    out(run_docfetch("rfc9991#2.1"))
    kept = Path(docfetch_env["DOCFETCH_CACHE_DIR"]) / "outlines" / "rfc" / "rfc9991.txt.json"
    head, _nl, body = kept.read_bytes().partition(b"\n")
    assert head == hashlib.sha256(V3).hexdigest().encode()
    # Proof that the kept outline is what answers: move section 2.1 to the whole document.
    doctored = json.loads(body)
    doctored["s"] = [s if s[0] != "section-2.1" else [s[0], s[1], s[2], s[3], 0, 5] for s in doctored["s"]]
    kept.write_bytes(head + b"\n" + json.dumps(doctored).encode())
    assert out(run_docfetch("rfc9991#2.1")) == V3[:5]


def test_on_a_terminal_a_section_is_paged_like_a_document(world, run_docfetch, docfetch_env, tmp_path):
    out(run_docfetch("rfc:9991"))
    paged = tmp_path / "paged.txt"
    code, _screen, err = run_on_pty(["rfc9991#2.1"], dict(docfetch_env, PAGER=f"tee {paged}"))
    assert code == 0, err
    assert paged.read_text("utf-8") == between(V3, b"2.1.  404 Not Found", b"Appendix A.").decode()


# -- toc and link ------------------------------------------------------------------------------


def test_toc_text_and_json(world, run_docfetch):
    text = out(run_docfetch("toc", "rfc:9990")).decode()
    assert "1.  Introduction\n2.  Protocol\n  2.1.  Messages\nAppendix A.  Examples\n" in text
    records = json.loads(out(run_docfetch("toc", "--json", "rfc:9991")))
    numbered = [r for r in records if r["number"]]
    assert numbered == [
        {"id": "section-1", "number": "1", "title": "Introduction", "level": 1},
        {"id": "section-2", "number": "2", "title": "Status Codes", "level": 1},
        {"id": "section-2.1", "number": "2.1", "title": "404 Not Found", "level": 2},
        {"id": "appendix-A", "number": "A", "title": "Änderungen", "level": 1},
        {"id": "appendix-A.1", "number": "A.1", "title": "Since Draft 00", "level": 2},
    ]
    top = json.loads(out(run_docfetch("toc", "--json", "--depth", "1", "rfc:9991")))
    assert all(r["level"] == 1 for r in top) and len(top) < len(records)


def test_link(world, run_docfetch, fake_web):
    assert out(run_docfetch("link", "rfc9991#2.1")) == b"https://www.rfc-editor.org/rfc/rfc9991.html#section-2.1\n"
    assert out(run_docfetch("link", "rfc:9991", "--section", "A.1")) == (
        b"https://www.rfc-editor.org/rfc/rfc9991.html#appendix-A.1\n"
    )
    fake_web.clear_log()
    assert out(run_docfetch("link", "rfc:9110")) == b"https://www.rfc-editor.org/rfc/rfc9110.html\n"
    assert fake_web.requests == []  # a document's link needs no fetch
    assert run_docfetch("link", "rfc9991#9").returncode == 3


def test_drafts_have_sections_too(ietf_world, run_docfetch):
    draft = OLD.replace(b"RFC 9990", b"Internet-Draft").replace(b"[Page 1]", b"[Page 1]")
    ietf_world.add_draft("draft-ietf-example-protocol", 3, draft)
    section = out(run_docfetch("draft:draft-ietf-example-protocol-03#section-2.1"))
    assert section == between(draft, b"2.1.  Messages", b"Appendix A.")
    assert out(run_docfetch("link", "draft-ietf-example-protocol-03#2.1")) == (
        b"https://datatracker.ietf.org/doc/html/draft-ietf-example-protocol-03#section-2.1\n"
    )


# -- a plugin's own document kinds ----------------------------------------------------------------


def test_a_plugin_supplies_the_sections_of_its_documents(run_docfetch, tmp_path):
    site = tmp_path / "site"
    fake_install(site, "docfetch-localdir", "0.1", {"localdir": "docfetch_localdir"})
    notes = tmp_path / "notes"
    notes.mkdir()
    note = b"# Intro\nhello\n## Detail\nmore\n# Usage\nrun it\n"
    (notes / "guide.txt").write_bytes(note)
    env = {"PYTHONPATH": f"{site}:{FIXTURES / 'plugins'}", "LOCALDIR_ROOT": str(notes)}
    assert out(run_docfetch("note:guide#intro", env_extra=env)) == b"# Intro\nhello\n## Detail\nmore\n"
    assert out(run_docfetch("note:guide", "--section", "Usage", env_extra=env)) == b"# Usage\nrun it\n"
    toc = json.loads(out(run_docfetch("toc", "--json", "note:guide", env_extra=env)))
    assert [(r["id"], r["level"]) for r in toc] == [("intro", 1), ("detail", 2), ("usage", 1)]


# -- the real documents --------------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("number", "query", "head", "next_head"),
    [
        (9110, "15.5.5", b"15.5.5.  404 Not Found", b"15.5.6."),
        (9110, "appendix-B.1", b"B.1.  Changes from RFC 2818", b"B.2."),
        (2616, "14.23", b"14.23 Host", b"14.24"),
        (791, "3.1", b"3.1.  Internet Header Format", b"3.2."),
    ],
)
def test_real_rfcs(corpus, ietf_world, run_docfetch, number, query, head, next_head):
    data = (CORPUS / "rfc" / "txt" / f"rfc{number}.txt").read_bytes()
    ietf_world.add_rfc(number, data)
    section = out(run_docfetch(f"rfc{number}#{query}"))
    assert section.startswith(head)
    start = data.index(section)
    assert data[start : start + len(section)] == section  # an exact slice of the published file
    assert next_head in data[start + len(section) : start + len(section) + 400]
