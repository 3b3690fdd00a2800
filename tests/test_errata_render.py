"""Rendering errata: exact text blocks, exact JSON, the counts line and the notes."""

from __future__ import annotations

import json
from dataclasses import dataclass

from docfetch.errata import render
from docfetch.errata.parse import parse_errata
from docfetch.errata.placement import Placement

ENTRY = {
    "errata_id": "7109",
    "doc-id": "RFC9110",
    "errata_status_code": "Verified",
    "errata_type_code": "Editorial",
    "section": "15.4.9",
    "orig_text": "\r\n   The 308 (Permanent Redirect) status code\r\n\r\n   second paragraph\r\n\r\n",
    "correct_text": "   New text with \x1b[31mred\x1b[0m and a bell\x07,\ta tab, a CR\r here \u202eevil\u202c.",
    "notes": "",
    "submit_date": "2022-08-31",
    "submitter_name": "Gary Wilson Jr.",
    "verifier_id": "",
    "verifier_name": "Francesca Palombini",
    "update_date": "2022-11-09 08:33:22",
    "extra": {"kept": [1, None]},
}


def one(**changes: object):
    entry = dict(ENTRY, **changes)
    (erratum,) = parse_errata(json.dumps([entry]).encode()).errata
    return erratum


@dataclass(frozen=True)
class Sec:
    id: str
    number: str | None
    title: str
    level: int


SECTION = Sec("section-15.4.9", "15.4.9", "308 Permanent Redirect", 3)


def test_block_for_a_person_exact() -> None:
    text = render.render_erratum(one(), Placement("section-15.4.9", "number"), SECTION)
    assert text == (
        "Erratum 7109 (Verified, Editorial)\n"
        "Section:    15.4.9 -> placed on section-15.4.9 (308 Permanent Redirect)\n"
        "Submitted:  2022-08-31 by Gary Wilson Jr.\n"
        "Verifier:   Francesca Palombini\n"
        "Updated:    2022-11-09 08:33:22\n"
        "URL:        https://www.rfc-editor.org/errata/eid7109\n"
        "Original text:\n"
        "       The 308 (Permanent Redirect) status code\n"
        "\n"
        "       second paragraph\n"
        "Corrected text:\n"
        "       New text with ^[[31mred^[[0m and a bell^G,\ta tab, a CR^M here <U+202E>evil<U+202C>."
    )


def test_block_without_placement_and_with_missing_fields() -> None:
    erratum = one(
        errata_status_code=None, errata_type_code="", section="", orig_text="", correct_text="", notes="n\r\n",
        submit_date="", verifier_name=None, update_date=None,
    )  # fmt: skip
    assert render.render_erratum(erratum) == (
        "Erratum 7109 (no status)\n"
        "Section:    (empty)\n"
        "Submitted:  by Gary Wilson Jr.\n"
        "URL:        https://www.rfc-editor.org/errata/eid7109\n"
        "Notes:\n"
        "    n"
    )
    dated = one(submitter_name="", submit_date="9999-04-13")
    assert "Submitted:  9999-04-13\n" in render.render_erratum(dated)


def test_placement_lines() -> None:
    erratum = one(section="  Page 21\r\n")
    line = render.placement_text
    assert line(erratum, None) == "Page 21"
    assert line(erratum, Placement("section-3.1", "text"), Sec("section-3.1", "3.1", "Header Format", 2)) == (
        "Page 21 -> placed on section-3.1 (Header Format), by its original text"
    )
    assert line(erratum, Placement(None, reason="global")) == "Page 21 -> not placed (global)"
    assert line(erratum, Placement(None, reason="not in document", detail="no section 6.4")) == (
        "Page 21 -> not placed (not in document: no section 6.4)"
    )
    assert line(erratum, Placement("section-1", "title", detail="no section 99")) == (
        "Page 21 -> placed on section-1, by its title (no section 99)"
    )
    assert line(erratum, Placement("section-1.1", "number", detail="its original text is in section-2.1")) == (
        "Page 21 -> placed on section-1.1; its original text is in section-2.1"
    )
    hostile = one(section="\x1b]0;title\x07")
    assert line(hostile, None) == "^[]0;title^G"


def test_render_text_joins_blocks() -> None:
    first, second = one(), one(errata_id="7110", section="GLOBAL")
    placements = {7109: Placement("section-15.4.9", "number"), 7110: Placement(None, reason="global")}
    text = render.render_text([first, second], placements, {SECTION.id: SECTION})
    blocks = text.split("\n\nErratum ")
    assert len(blocks) == 2 and text.endswith("\n") and not text.endswith("\n\n")
    assert "Section:    GLOBAL -> not placed (global)\n" in blocks[1]
    assert render.render_text([]) == ""


def test_json_has_every_field_as_given() -> None:
    erratum = one(correct_text="C1 \x9b and DEL \x7f, lone \ud800, bidi \u202e, ü")
    text = render.render_json([erratum], {7109: Placement("section-15.4.9", "number")})
    assert text.endswith("]\n")
    assert "\x9b" not in text and "\x7f" not in text and "\u202e" not in text
    assert "\\u009b" in text and "\\u007f" in text and "\\ud800" in text and "\\u202e" in text and "ü" in text
    (data,) = json.loads(text)
    expected = dict(ENTRY, correct_text="C1 \x9b and DEL \x7f, lone \ud800, bidi \u202e, ü")
    expected.update(placed_section="section-15.4.9", url="https://www.rfc-editor.org/errata/eid7109")
    assert data == expected
    assert list(data) == [*ENTRY, "placed_section", "url"]
    (unplaced,) = json.loads(render.render_json([erratum]))
    assert unplaced["placed_section"] is None
    assert render.render_json([]) == "[]\n"


def test_notes() -> None:
    from docfetch.knowledge.errata_notes import verified_note

    assert verified_note(9110, 12) == "RFC 9110 has 12 verified errata: docfetch errata rfc:9110"
    assert verified_note(791, 1) == "RFC 791 has 1 verified erratum: docfetch errata rfc:791"
    assert verified_note(791, 0) is None


def test_section_errata_block() -> None:
    erratum = one(orig_text="", correct_text="", notes="")
    placements = {7109: Placement("section-15.4.9", "number")}
    text = render.render_section_errata(
        "section-15.4.9", [erratum], placements, {SECTION.id: SECTION}, unplaced=2, reference="rfc:9110"
    )
    assert text == (
        "-- 1 erratum placed on section-15.4.9:\n"
        "\n"
        "Erratum 7109 (Verified, Editorial)\n"
        "Section:    15.4.9 -> placed on section-15.4.9 (308 Permanent Redirect)\n"
        "Submitted:  2022-08-31 by Gary Wilson Jr.\n"
        "Verifier:   Francesca Palombini\n"
        "Updated:    2022-11-09 08:33:22\n"
        "URL:        https://www.rfc-editor.org/errata/eid7109\n"
        "\n"
        "-- 2 other errata could not be placed on a section: docfetch errata rfc:9110\n"
    )
    assert render.render_section_errata("section-1", [], {}) == "-- 0 errata placed on section-1\n"


def test_safe_keeps_text_and_newlines() -> None:
    assert render.safe("a\tb\nc ü 中") == "a\tb\nc ü 中"
    assert render.safe("\x00\x7f\x85") == "^@^?<U+0085>"
    assert render.indented("\n\n  x\n\n  y  \n \n") == "      x\n\n      y  "
