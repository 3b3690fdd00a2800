"""Placing errata on sections: the section-field reader and every placement rule, on hand-made outlines."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from docfetch.errata import fields, placement
from docfetch.errata.fields import SectionRef, number_key, read_section_field, title_key
from docfetch.errata.model import Erratum
from docfetch.errata.placement import Placement, Placer, errata_on, place_all


@dataclass(frozen=True)
class Sec:
    """A section as docfetch.sections gives it (only what placement reads)."""

    id: str
    number: str | None
    title: str
    level: int
    start: int = -1
    end: int = -1


OUTLINE = [
    Sec("section-abstract", None, "Abstract", 1),
    Sec("section-1", "1", "Introduction", 1),
    Sec("section-1.1", "1.1", "Terminology", 2),
    Sec("section-2", "2", "Protocol Overview", 1),
    Sec("section-2.1", "2.1", "Messages", 2),
    Sec("section-2.2", "2.2", "Errors", 2),
    Sec("section-3", "3", "Security Considerations", 1),
    Sec("section-4", "4", "References", 1),
    Sec("section-4.1", "4.1", "Normative References", 2),
    Sec("section-4.2", "4.2", "Informative References", 2),
    Sec("section-5", "5", "Examples", 1),
    Sec("section-6", "6", "Examples", 1),
    Sec("section-15", "15", "Status Codes", 1),
    Sec("section-15.4", "15.4", "Redirection 3xx", 2),
    Sec("section-15.4.9", "15.4.9", "308 Permanent Redirect", 3),
    Sec("name-iana-considerations", None, "IANA Considerations", 1),
    Sec("appendix-A", "A", "Collected ABNF", 1),
    Sec("appendix-B", "B", "Changes", 1),
    Sec("appendix-B.1", "B.1", "Changes from RFC 2818", 2),
]


# -- reading the field -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15.4.9", SectionRef("number", (("15", "4", "9"),), "", (False,))),
        ("B.1.", SectionRef("appendix", (("b", "1"),), "", (False,))),
        ("Appendix A", SectionRef("appendix", (("a",),), "", (True,))),
        ("App. C", SectionRef("appendix", (("c",),), "", (True,))),
        ("APPENDIX-II", SectionRef("appendix", (("ii",),), "", (True,))),
        ("3.1 Terminology", SectionRef("number", (("3", "1"),), "terminology", (False,))),
        ("Section 2", SectionRef("number", (("2",),), "", (False,))),
        ("s 4.2", SectionRef("number", (("4", "2"),), "", (False,))),
        ("§ 4.2", SectionRef("number", (("4", "2"),), "", (False,))),
        ("section-6.2.", SectionRef("number", (("6", "2"),), "", (False,))),
        ("5, pg.12", SectionRef("number", (("5",),), "", (False,))),
        ("6.1.1.1 p.29", SectionRef("number", (("6", "1", "1", "1"),), "", (False,))),
        ("2, 2nd para", SectionRef("number", (("2",),), "", (False,))),
        ("8.1, last pa", SectionRef("number", (("8", "1"),), "", (False,))),
        ("In Section 3.7, page 43, it says:", SectionRef("number", (("3", "7"),), "", (False,))),
        ("1.Intro...", SectionRef("number", (("1",),), "introduction", (False,))),
        ("4.2 (2,3)", SectionRef("number", (("4", "2"),), "", (False,))),
        ("2.1, ID 1081", SectionRef("number", (("2", "1"),), "", (False,))),
        ("\r\nAppendix B says:", SectionRef("appendix", (("b",),), "", (True,))),
        ("Appendix A.2.  1993 ASN.1 Module says:\n", SectionRef("appendix", (("a", "2"),), "asn 1 module", (True,))),
        ("4.2, 4.3", SectionRef("several", (("4", "2"), ("4", "3")), "", (False, False))),
        ("3.1.15-17", SectionRef("several", (("3", "1", "15"), ("17",)), "", (False, False))),
        ("8.2.11 + .18", SectionRef("several", (("8", "2", "11"),), "", (False,))),
        ("5.1 (and 4.4)", SectionRef("several", (("5", "1"), ("4", "4")), "", (False, False))),
        ("3.3. et. al.", SectionRef("several", (("3", "3"),), "et al", (False,))),
        ("15 & Apdx A", SectionRef("several", (("15",), ("a",)), "", (False, True))),
        ("3 and A", SectionRef("several", (("3",), ("a",)), "", (False, False))),
        ("GLOBAL", SectionRef("global")),
        ("Throughout the document: ", SectionRef("global")),
        ("multiple", SectionRef("global")),
        ("", SectionRef("empty")),
        ("  \r\n ", SectionRef("empty")),
        ("n/a", SectionRef("empty")),
        ("-", SectionRef("empty")),
        ("99Introduction", SectionRef("title", (), "introduction")),
        ("Abstract", SectionRef("title", (), "abstract")),
        ("In the Copyright Notice, it says:", SectionRef("title", (), "copyright notice")),
        ("The Secure Hash Function section says:", SectionRef("title", (), "secure hash function")),
        ("Authors' Add", SectionRef("title", (), "authors add")),
        ("In ToC", SectionRef("title", (), "table of contents")),
        ("page 2", SectionRef("unreadable")),
        ("[Page 17]", SectionRef("unreadable")),
        ("Figure 15", SectionRef("unreadable")),
        ("ERRATUM 8354", SectionRef("unreadable")),
        (".4", SectionRef("unreadable")),
        ("OLD:", SectionRef("unreadable", (), "old")),
        ("+34672811480", SectionRef("unreadable")),
        ("A number of details in RFC 793 were corrected",
         SectionRef("unreadable", (), "a number of details in were corrected")),
    ],
)  # fmt: skip
def test_read_section_field(typed: str, expected: SectionRef) -> None:
    assert read_section_field(typed) == expected


def test_keys_and_titles() -> None:
    assert number_key("15.4.9.") == ("15", "4", "9")
    assert number_key("Appendix B.1") == ("b", "1")
    assert number_key("section-03.01") == ("3", "1")
    assert number_key("4.x-1") is None
    assert number_key("") is None
    assert title_key("  Authors'   Addresses ") == "authors addresses"


# -- placing by the section field --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15.4.9", Placement("section-15.4.9", "number")),
        ("15.4.9.", Placement("section-15.4.9", "number")),
        ("B.1.", Placement("appendix-B.1", "number")),
        ("Appendix A", Placement("appendix-A", "number")),
        ("appendix b", Placement("appendix-B", "number")),
        ("1.1 Terminology", Placement("section-1.1", "number")),
        ("1.1 Term", Placement("section-1.1", "number")),
        ("2.1 Something Else", Placement("section-2.1", "number")),
        ("Section 2", Placement("section-2", "number")),
        ("s 2.1", Placement("section-2.1", "number")),
        ("2.2, pg. 5", Placement("section-2.2", "number")),
        ("99Introduction", Placement("section-1", "title")),
        ("9 Introduction", Placement("section-1", "title", detail="no section 9")),
        ("Abstract", Placement("section-abstract", "title")),
        ("The abstract says:", Placement("section-abstract", "title")),
        ("Security Considerations", Placement("section-3", "title")),
        ("References", Placement("section-4", "title")),
        ("IANA Conside", Placement("name-iana-considerations", "title")),
        ("Normative Ref", Placement("section-4.1", "title")),
        ("2.1, 2.2", Placement(None, reason="several sections", detail="names 2 sections")),
        ("GLOBAL", Placement(None, reason="global")),
        ("", Placement(None, reason="empty")),
        ("Examples", Placement(None, reason="ambiguous", detail="2 sections are titled 'examples'")),
        ("7.3", Placement(None, reason="not in document", detail="no section 7.3")),
        ("Appendix C", Placement(None, reason="not in document", detail="no section C")),
        ("Appendix 1", Placement(None, reason="not in document", detail="no section 1")),
        ("Glossary", Placement(None, reason="not in document", detail="no section titled 'glossary'")),
        ("Int", Placement(None, reason="not in document", detail="no section titled 'int'")),
        ("1.1 Messages",
         Placement(None, reason="ambiguous", detail="1.1 is 'Terminology', but 'messages' is section-2.1")),
        ("page 12", Placement(None, reason="unreadable")),
        ("Figure 3", Placement(None, reason="unreadable")),
    ],
)  # fmt: skip
def test_place_by_field(typed: str, expected: Placement) -> None:
    assert Placer(OUTLINE).place(typed) == expected


def test_a_number_given_twice_is_ambiguous() -> None:
    outline = [Sec("section-3", "3", "One", 1), Sec("name-x", "3", "Two", 1)]
    assert Placer(outline).place("3") == Placement(None, reason="ambiguous", detail="2 sections are numbered 3")


def test_number_from_the_id_when_the_section_has_none() -> None:
    outline = [Sec("section-7.2", None, "Seven two", 2), Sec("appendix-C.1", "", "C one", 2)]
    placer = Placer(outline)
    assert placer.place("7.2") == Placement("section-7.2", "number")
    assert placer.place("C.1") == Placement("appendix-C.1", "number")


def test_appendix_written_with_digits_prefers_appendices() -> None:
    outline = [Sec("section-1", "1", "Intro", 1), Sec("appendix-1", "1", "First appendix", 1)]
    placer = Placer(outline)
    assert placer.place("Appendix 1") == Placement("appendix-1", "number")
    assert placer.place("1") == Placement(None, reason="ambiguous", detail="2 sections are numbered 1")


def test_empty_outline_places_nothing() -> None:
    placer = Placer([])
    assert placer.place("1") == Placement(None, reason="not in document", detail="no section 1")
    assert placer.place("Abstract") == Placement(None, reason="not in document", detail="no section titled 'abstract'")
    assert placer.place("") == Placement(None, reason="empty")


# -- placing by the original text --------------------------------------------------------------


def build(parts: list[tuple[str, str | None, str, int, str]]) -> tuple[bytes, list[Sec]]:
    """A document with front matter then these sections (id, number, title, level, body), and its outline."""
    out = bytearray(b"Front matter: a title page with a sentence that is not in any section.\n\n")
    starts = []
    for _id, number, title, _level, body in parts:
        starts.append(len(out))
        out += (f"{number}.  {title}" if number else title).encode() + b"\n\n" + body.encode() + b"\n\n"
    sections = []
    for i, (id_, number, title, level, _body) in enumerate(parts):
        end = next((starts[j] for j in range(i + 1, len(parts)) if parts[j][3] <= level), len(out))
        sections.append(Sec(id_, number, title, level, starts[i], end))
    return bytes(out), sections


PAGE_BREAK = (
    "\n\nDoe                          Standards Track                    [Page 3]\n"
    "\x0c\nRFC 9999                     Test                          May 2026\n\n"
)
DOC, SECTIONS = build([
    ("section-1", "1", "Introduction", 1, "   This protocol carries messages between two peers over a reliable link."),
    ("section-1.1", "1.1", "Terminology", 2, "   The key words are to be read as in BCP 14."),
    ("section-2", "2", "Protocol Overview", 1, "   Each message has a header and a body, as shown below."),
    ("section-2.1", "2.1", "Messages", 2,
     "   A message header is eight octets long and starts with a version\n   number that MUST be 1."),
    ("section-2.2", "2.2", "Errors", 2, "   An error message carries a code and a reason phrase that" + PAGE_BREAK
     + "   is meant for a person, never parsed by a program."),
    ("section-5", "5", "Examples", 1, "   The first example shows a message being sent from one peer."),
    ("section-6", "6", "Examples", 1, "   The second example shows an error being returned to a peer."),
    ("section-7", "7", "Repeats", 1, "   This sentence is written twice in the document on purpose.\n\n"
     "   This sentence is written twice in the document on purpose."),
    ("section-8", "8", "Again", 1, "   This sentence is written twice in the document on purpose."),
])  # fmt: skip
IN_2_1 = "   A message header is eight octets long and starts with a version\r\n   number that MUST be 1."
IN_2_2_ACROSS_PAGES = "reason phrase that is meant for a person, never parsed by a program."
IN_6 = "The second example shows an error being returned to a peer."


@pytest.mark.parametrize(
    ("typed", "orig", "expected"),
    [
        ("", IN_2_1, Placement("section-2.1", "text")),
        ("page 7", IN_2_2_ACROSS_PAGES, Placement("section-2.2", "text")),
        ("", "   A message header is eight octets long and starts with a version\n | number that MUST be 2, always.",
         Placement("section-2.1", "text")),  # the paragraph was changed, its first line is as published
        ("On page 3, it says:", "Old text:\n\n" + IN_2_1 + "\n\n...\n\n" + IN_2_1[:40],
         Placement("section-2.1", "text")),
        ("2.1, 2.2", IN_2_2_ACROSS_PAGES, Placement("section-2.2", "text", detail="names 2 sections")),
        ("1, 2", IN_2_1, Placement("section-2", "text", detail="names 2 sections")),
        ("1, 5", IN_2_1, Placement(None, reason="several sections", detail="names 2 sections")),
        ("Examples", IN_6, Placement("section-6", "text", detail="2 sections are titled 'examples'")),
        ("GLOBAL", IN_2_1, Placement(None, reason="global")),
        ("7.3", IN_2_1, Placement(None, reason="not in document", detail="no section 7.3")),
        ("", "This sentence is written twice in the document on purpose.", Placement(None, reason="empty")),
        ("", "a title page with a sentence that is not in any section", Placement(None, reason="empty")),
        ("", "number that MUST be 1.", Placement(None, reason="empty")),  # too short to be evidence
        ("", IN_2_1 + "\n\n" + IN_6, Placement(None, reason="empty")),  # two sections
        ("1.1", IN_2_1, Placement("section-1.1", "number", detail="its original text is in section-2.1")),
        ("2", IN_2_1, Placement("section-2", "number")),  # in a subsection: agrees
        ("2.1", IN_2_1, Placement("section-2.1", "number")),
    ],
)  # fmt: skip
def test_place_by_text(typed: str, orig: str, expected: Placement) -> None:
    assert Placer(SECTIONS, DOC).place(typed, orig) == expected


def test_text_is_not_used_when_switched_off_or_without_spans() -> None:
    assert Placer(SECTIONS, DOC, use_text=False).place("", IN_2_1) == Placement(None, reason="empty")
    assert Placer(OUTLINE, DOC).place("", IN_2_1) == Placement(None, reason="empty")  # no start/end
    assert Placer(SECTIONS).text_section(IN_2_1) is None


def test_text_questions() -> None:
    placer = Placer(SECTIONS, DOC)
    assert placer.text_section(IN_2_1) == SECTIONS[3]
    assert placer.text_section(IN_2_2_ACROSS_PAGES) == SECTIONS[4]
    assert placer.text_occurs(IN_2_1, "section-2.1") is True
    assert placer.text_occurs(IN_2_1, "section-2") is True
    assert placer.text_occurs(IN_2_1, "section-1") is False
    assert placer.text_occurs("never written anywhere in this document at all", "section-1") is None
    assert placer.text_occurs("short", "section-1") is None
    assert placer.text_occurs(IN_2_1, "no-such-section") is False
    assert placer.within("section-2.2", "section-2") is True
    assert placer.within("section-2", "section-2") is True
    assert placer.within("section-5", "section-2") is False
    assert placer.within("section-2", "nope") is False


def test_evidence_pieces() -> None:
    text = "OLD:\r\n\r\n   first paragraph that is long enough\r\n   to count\r\n\r\n...\r\nshort\r\n[...]\n"
    text += "second piece long enough too"
    assert placement.evidence_pieces(text) == [
        "first paragraph that is long enough to count",
        "second piece long enough too",
    ]


# -- errata on a section -----------------------------------------------------------------------


def erratum(errata_id: int, section: str, orig: str = "") -> Erratum:
    return Erratum(errata_id, 9999, "RFC9999", "Verified", "Technical", section, orig, "", "", "", "", "", "", "")


def test_place_all_and_errata_on() -> None:
    errata = [erratum(1, "2.1"), erratum(2, "2"), erratum(3, "GLOBAL"), erratum(4, "", IN_2_1), erratum(5, "5")]
    placements = place_all(errata, SECTIONS, DOC)
    assert {k: v.section_id for k, v in placements.items()} == {
        1: "section-2.1",
        2: "section-2",
        3: None,
        4: "section-2.1",
        5: "section-5",
    }
    placer = Placer(SECTIONS, DOC)
    assert [e.id for e in errata_on("section-2", errata, placements, placer)] == [1, 2, 4]
    assert [e.id for e in errata_on("section-2", errata, placements)] == [2]
    assert [e.id for e in errata_on("section-2.1", errata, placements, placer)] == [1, 4]
    assert errata_on("section-1", errata, placements, placer) == []


def test_every_kind_and_reason_is_named() -> None:
    assert placement.REASONS == ("global", "empty", "not in document", "several sections", "ambiguous", "unreadable")
    kinds = {fields.NUMBER, fields.APPENDIX, fields.SEVERAL, fields.TITLE, fields.GLOBAL, fields.EMPTY}
    kinds.add(fields.UNREADABLE)
    assert kinds == {"number", "appendix", "several", "title", "global", "empty", "unreadable"}


@pytest.mark.corpus
def test_known_placements_on_real_rfcs(corpus) -> None:
    """Checked by hand against the RFC texts."""
    from docfetch.errata.parse import parse_errata
    from docfetch.sections import parse_text

    errata = {e.id: e for e in parse_errata((corpus / "errata" / "errata.json").read_bytes()).errata}
    cases = {
        9110: {7109: "section-15.4.9", 7105: "appendix-B.1"},
        4960: {3423: "appendix-B"},  # typed "B"; its code (generate_crc32c) is in Appendix C: see the detail
        2119: {499: "name-abstract", 493: "section-1"},  # 493 typed "1", quotes "2. MUST NOT ..."
        5322: {7382: "section-3.2.3", 8453: "section-3.2.2"},  # 8453 typed "3.2.2, 3.2.4": its text is in 3.2.2
        7567: {7574: None},  # typed "2.4": RFC 7567 ends section 2 at 2.3
        20: {9019: None},  # typed "6.4": a numbered paragraph of section 6, not a section
    }
    for number, expected in cases.items():
        data = (corpus / "rfc" / "txt" / f"rfc{number}.txt").read_bytes()
        placer = Placer(parse_text(data).sections, data)
        for errata_id, section_id in expected.items():
            assert placer.place_erratum(errata[errata_id]).section_id == section_id, errata_id
    details = {
        (4960, 3423): "its original text is in appendix-C",
        (2119, 493): "its original text is in section-2",
        (5322, 7382): "its original text is in section-3.2.2",
        (5322, 8453): "names 2 sections",
        (7567, 7574): "no section 2.4",
    }
    for (number, errata_id), detail in details.items():
        data = (corpus / "rfc" / "txt" / f"rfc{number}.txt").read_bytes()
        assert Placer(parse_text(data).sections, data).place_erratum(errata[errata_id]).detail == detail
