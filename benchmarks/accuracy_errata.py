"""How well docfetch places errata on the sections of real RFCs: prints a Markdown report.

    python benchmarks/accuracy_errata.py [--corpus ../shared/corpus] [--details N]

Over the real errata.json and the RFC texts of the corpus (sections from
``docfetch.sections.parse_text``):

1. how many errata concern corpus RFCs, how many are placed (by number, title or orig_text),
   and why the rest are not;
2. a whole-corpus proxy for "placed right": for placed errata whose orig_text has a piece
   long enough to be evidence (``placement.MIN_EVIDENCE`` characters, whitespace-normalised),
   whether that piece occurs in the placed section or its subsections, only elsewhere in the
   RFC, or nowhere (the submitter retyped it, or it comes from another version);
3. what orig_text adds: placements with and without it, and how often it contradicts a
   placement by number (the text is in exactly one section, and not in the numbered one);
4. over the whole errata.json: the shapes of the section field.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docfetch.errata import fields, placement
from docfetch.errata.parse import parse_errata
from docfetch.errata.placement import Placer
from docfetch.sections import parse_text

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FIRST_V3 = 8650
V3, OLDER = "v3 (8650+)", "older"
METHODS = (placement.BY_NUMBER, placement.BY_TITLE, placement.BY_TEXT)
SHAPES = (
    (fields.NUMBER, "numeric (`15.4.9`, `Section 2`, `5, pg.12`)"),
    (fields.APPENDIX, "appendix (`B.1.`, `Appendix A`)"),
    (fields.SEVERAL, "several sections (`4.2, 4.3`, `3.1-3.3`)"),
    (fields.TITLE, "title only (`Abstract`, `IANA Conside`)"),
    (fields.GLOBAL, "global (`GLOBAL`, `Throughout the document`)"),
    (fields.EMPTY, 'empty (`""`, `n/a`, `-`)'),
    (fields.UNREADABLE, "other (`page 2`, `Figure 15`, prose)"),
)


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--details", type=int, default=0, help="print up to N examples of each outcome")
    args = parser.parse_args()
    corpus: Path = args.corpus
    errata = parse_errata((corpus / "errata" / "errata.json").read_bytes()).errata
    texts = {int(p.stem[3:]): p for p in sorted((corpus / "rfc" / "txt").glob("rfc*.txt"))}

    outcomes: Counter[str] = Counter()  # method or reason, with orig_text
    era: dict[str, Counter[str]] = {V3: Counter(), OLDER: Counter()}  # the same, for v3 RFCs and older ones
    without: Counter[str] = Counter()  # the same, without orig_text
    check: dict[tuple[str, str], Counter[str]] = {(m, e): Counter() for m in METHODS for e in (V3, OLDER)}
    agreement: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    concerned = 0
    seconds = 0.0
    by_rfc: dict[int, list] = {}
    for erratum in errata:
        if erratum.number in texts:
            by_rfc.setdefault(erratum.number, []).append(erratum)
    for number, items in sorted(by_rfc.items()):
        data = texts[number].read_bytes()
        sections = parse_text(data).sections
        started = time.perf_counter()
        placer = Placer(sections, data)
        plain = Placer(sections)
        for erratum in items:
            concerned += 1
            placed = placer.place_erratum(erratum)
            key = placed.method or placed.reason
            outcomes[key] += 1
            era[V3 if number >= FIRST_V3 else OLDER][key] += 1
            bare = plain.place_erratum(erratum)
            without[bare.method or bare.reason] += 1
            where = placed.section_id or placed.reason
            note = f"RFC {number} eid{erratum.id} {erratum.section!r}: {where} {placed.detail}".rstrip()
            examples.setdefault(key, []).append(note)
            if placed.section_id is not None and placement.evidence_pieces(erratum.orig_text):
                found = placer.text_occurs(erratum.orig_text, placed.section_id)
                verdict = "in place" if found else ("elsewhere only" if found is False else "not found")
                check[placed.method, V3 if number >= FIRST_V3 else OLDER][verdict] += 1
                if found is False:
                    examples.setdefault(f"{placed.method} elsewhere", []).append(note)
            if bare.method == placement.BY_NUMBER and bare.section_id is not None:
                text_section = placer.text_section(erratum.orig_text)
                if text_section is None:
                    agreement["no single section by text"] += 1
                elif placer.within(text_section.id, bare.section_id):
                    agreement["agree"] += 1
                else:
                    agreement["contradict"] += 1
                    examples.setdefault("contradict", []).append(f"{note} (text: {text_section.id})")
        seconds += time.perf_counter() - started

    placed_total = sum(outcomes[m] for m in METHODS)
    print(f"## Errata placement on the {len(texts)} corpus RFCs\n")
    print(f"{len(errata)} errata in errata.json; {concerned} concern the {len(by_rfc)} corpus RFCs that have errata.\n")
    totals = {name: sum(counts.values()) for name, counts in era.items()}
    print(_row("outcome", "errata", "share", *(f"{name} ({totals[name]})" for name in era)))
    print(_row("---", "---:", "---:", *("---:" for _ in era)))
    placed_era = [_pct(sum(c[m] for m in METHODS), totals[name]) for name, c in era.items()]
    print(_row("**placed**", f"**{placed_total}**", f"**{_pct(placed_total, concerned)}**", *placed_era))
    for key in (*METHODS, *placement.REASONS):
        label = f"placed by {key}" if key in METHODS else f"unplaced: {key}"
        print(_row(label, outcomes[key], _pct(outcomes[key], concerned), *(c[key] for c in era.values())))
    print(f"\nPlacement time: {1000 * seconds / max(concerned, 1):.2f} ms per erratum (outline parsing excluded).\n")

    print("### Is it the right section? (orig_text found where the erratum was placed)\n")
    print(_row("placed by", "with usable orig_text", "found in the placed section", "only elsewhere", "nowhere",
               "right (in place / found)"))  # fmt: skip
    print(_row("---", "---:", "---:", "---:", "---:", "---:"))
    for (method, name), counts in check.items():
        judged = counts["in place"] + counts["elsewhere only"]
        total = judged + counts["not found"]
        circular = " (by construction)" if method == placement.BY_TEXT else ""
        if not total:
            continue
        print(_row(f"{method}, {name} RFCs", total, counts["in place"], counts["elsewhere only"], counts["not found"],
                   _pct(counts["in place"], judged) + circular))  # fmt: skip

    print("\n### What orig_text adds\n")
    placed_without = sum(without[m] for m in METHODS)
    print(_row("", "placed", "share"))
    print(_row("---", "---:", "---:"))
    print(_row("section field only", placed_without, _pct(placed_without, concerned)))
    print(_row("section field, then orig_text", placed_total, _pct(placed_total, concerned)))
    numbered = sum(agreement.values())
    print(f"\nOf {numbered} placements by number, orig_text points to exactly one section for "
          f"{agreement['agree'] + agreement['contradict']}: it agrees (same section or a subsection) "
          f"{agreement['agree']} times and contradicts it {agreement['contradict']} times "
          f"({_pct(agreement['contradict'], agreement['agree'] + agreement['contradict'])}).\n")  # fmt: skip

    shapes = Counter(fields.read_section_field(e.section).kind for e in errata)
    print("## Shapes of the section field in the whole errata.json\n")
    print(_row("shape", "errata", "share"))
    print(_row("---", "---:", "---:"))
    for kind, label in SHAPES:
        print(_row(label, shapes[kind], _pct(shapes[kind], len(errata))))
    if args.details:
        print("\n## Examples\n")
        for key, notes in sorted(examples.items()):
            print(f"### {key} ({len(notes)})\n")
            for note in notes[: args.details]:
                print(f"- {note}")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
