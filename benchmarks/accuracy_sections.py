"""How exactly docfetch.sections finds the sections of real RFCs: prints a Markdown report.

    python benchmarks/accuracy_sections.py [--corpus ../shared/corpus] [--details]

v3 RFCs (those with XML in the corpus): the XML's ``pn`` numbers are the truth. For every
section of the XML the text parse must give the same id, number and title, and the span
expected from the text: its start is the heading line of that section (found in the text
from the XML's number and title, independently of the parser), its end is the end of the
last line of content before the next section of the same or a higher level in XML order.

Older RFCs and drafts have no such truth; the checks that need no human are: every entry of
the document's own table of contents found as a heading; numbered headings the table does
not list; steps between consecutive numbered headings that break the numbering; and, for
the htmlized files of corpus/rfc/html, the ``section-``/``appendix-`` anchors of the IETF's
htmlizer (a second opinion, itself imperfect) against the ids found.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import itertools

from docfetch.sections import parse_text
from docfetch.sections.labels import canonical_id
from docfetch.sections.numbering import roman_value
from docfetch.sections.pages import Lines, mark_furniture
from docfetch.sections.textparse import uses_roman
from docfetch.sections.toc import find_toc, same_title
from docfetch.sections.xmlparse import parse_xml_sections

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _norm(title: str) -> str:
    return " ".join(title.split())


def expected_spans(data: bytes, truth: list) -> dict[str, tuple[int, int]]:
    """Each XML section's heading line in the text, found from its number and title; ends by the end rule."""
    text = data.decode("utf-8")
    offsets: list[int] = []
    lines = text.split("\n")
    pos = 0
    for line in lines:
        offsets.append(len(line[:].encode("utf-8")))
    starts = []
    for line in lines:
        starts.append(pos)
        pos += len(line.encode("utf-8")) + 1
    found: dict[str, int] = {}
    cursor = 0
    for sec in truth:
        title_words = sec.title.split()[:3]
        if sec.number is None:
            wanted = [sec.title]
        elif sec.id.startswith("appendix-") and "." not in sec.number:
            wanted = [f"Appendix {sec.number}.  "]
        else:
            wanted = [f"{sec.number}.  "]
        for i in range(cursor, len(lines)):
            line = lines[i].lstrip("\ufeff")
            if i > 0 and lines[i - 1].strip():
                continue
            if any(line.startswith(w) for w in wanted) and (
                (sec.number is None and _norm(line) == _norm(sec.title))
                or (
                    sec.number is not None
                    and _norm(line).split()[1 + (sec.id.startswith("appendix-") and "." not in sec.number) :][:3]
                    == title_words
                )
            ):
                found[sec.id] = i
                cursor = i + 1
                break
    spans: dict[str, tuple[int, int]] = {}
    for k, sec in enumerate(truth):
        if sec.id not in found:
            continue
        i = found[sec.id]
        stop = len(lines)
        for later in truth[k + 1 :]:
            if later.level <= sec.level and later.id in found:
                stop = found[later.id]
                break
        j = stop - 1
        while j > i and not lines[j].strip():
            j -= 1
        end = starts[j + 1] if j + 1 < len(starts) else len(data)
        start = starts[i] if i else 0
        spans[sec.id] = (start, min(end, len(data)))
    return spans


def v3_report(corpus: Path, details: list[str]) -> list[str]:
    rows = []
    totals = [0, 0, 0, 0, 0, 0]
    for xml_path in sorted(corpus.glob("rfc/xml/rfc*.xml"), key=lambda p: int(p.stem[3:])):
        txt_path = corpus / "rfc" / "txt" / (xml_path.stem + ".txt")
        data = txt_path.read_bytes()
        truth = parse_xml_sections(xml_path.read_bytes())
        outline = parse_text(data)
        got = {s.id: s for s in outline.sections}
        spans = expected_spans(data, truth)
        numbered = [t for t in truth if t.number is not None]
        right = [
            t
            for t in numbered
            if t.id in got and got[t.id].number == t.number and _norm(got[t.id].title) == _norm(t.title)
        ]
        every_right = [
            t for t in truth if t.id in got and _norm(got[t.id].title) == _norm(t.title) and got[t.id].level == t.level
        ]
        span_ok = [
            t for t in truth if t.id in got and t.id in spans and (got[t.id].start, got[t.id].end) == spans[t.id]
        ]
        extra = [s for s in outline.sections if s.id not in {t.id for t in truth}]
        misses = [t.id for t in truth if t not in every_right]
        bad_span = [t.id for t in truth if t.id in got and t not in span_ok]
        counts = (len(numbered), len(right), len(truth), len(every_right), len(span_ok), len(extra))
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        rows.append(_row(xml_path.stem.upper(), *counts))
        if misses or bad_span or extra:
            details.append(
                f"- {xml_path.stem.upper()}: misses {misses[:8]}{'...' if len(misses) > 8 else ''}; "
                f"wrong span {bad_span[:8]}; not in XML {[(s.id, s.title) for s in extra][:6]}"
            )
    out = [
        "### v3 RFCs against their XML",
        "",
        _row(
            "RFC",
            "numbered in XML",
            "right number+title",
            "all sections in XML",
            "right id+title+level",
            "right start+end",
            "extra",
        ),
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    if len(rows) > 50:
        rows = []
    out += rows
    out.append(_row(f"**all {len(list(corpus.glob('rfc/xml/rfc*.xml')))}**", *(f"**{t}**" for t in totals)))
    return out


def _valid_step(a: tuple[str, tuple[int, ...]], b: tuple[str, tuple[int, ...]]) -> bool:
    (ka, ca), (kb, cb) = a, b
    if ka != kb:
        return kb == "app" and cb in ((1,), (1, 1))
    if cb == (*ca, 1):
        return True
    return any(cb == (*ca[:k], ca[k] + 1) for k in range(len(ca)))


def _key(number: str, roman: bool) -> tuple[str, tuple[int, ...]]:
    parts = number.split(".")
    if roman and roman_value(parts[0]) is not None:
        return ("num", (roman_value(parts[0]) or 0,))
    if parts[0].isalpha():
        return ("app", (ord(parts[0]) - 64, *(int(p) for p in parts[1:])))
    return ("num", tuple(int(p) for p in parts))


def html_anchors(path: Path) -> set[str]:
    """The section anchors of an htmlized (pre-v3) file: ``class="selflink" id="section-3.1"``."""
    text = path.read_text("utf-8", "replace")
    return set(re.findall(r'class="selflink" id="((?:section|appendix)-[0-9A-Z][0-9.]*)"', text))


def v3_html_report(corpus: Path) -> list[str]:
    """Every ``<section id=...>`` of the RFC Editor's own v3 HTML against the ids found in the text."""
    out = [
        "The RFC Editor's v3 HTML (corpus/rfc/html), every `<section id>` against the ids found in the text"
        " (RFC 9000's HTML, made by xml2rfc 3.8, names appendices `section-appendix.a`, `section-a.1`:"
        " read as `appendix-A`, `appendix-A.1`, which find() also accepts):",
        "",
        _row("RFC", "sections in the HTML", "same id found", "missing", "extra"),
        "|---|---:|---:|---|---|",
    ]
    for html in sorted(corpus.glob("rfc/html/rfc*.html"), key=lambda p: int(p.stem[3:])):
        ids = re.findall(r'<section id="([^"]+)"', html.read_text("utf-8", "replace"))
        if not ids:
            continue
        ours = [s.id for s in parse_text((corpus / "rfc" / "txt" / (html.stem + ".txt")).read_bytes()).sections]
        # Older v3 HTML (xml2rfc 3.8) names appendices by their pn: section-appendix.a, section-a.1.
        ids = [canonical_id(i) or i for i in ids]
        missing = [i for i in ids if i not in ours]
        extra = [i for i in ours if i not in ids]
        out.append(
            _row(
                html.stem.upper(),
                len(ids),
                len(set(ids) & set(ours)),
                ", ".join(missing) or "-",
                ", ".join(extra) or "-",
            )
        )
    return out


def old_report(corpus: Path, details: list[str]) -> list[str]:
    v3 = {p.stem for p in corpus.glob("rfc/xml/rfc*.xml")}
    paths = [p for p in corpus.glob("rfc/txt/rfc*.txt") if p.stem not in v3]
    paths.sort(key=lambda p: int(p.stem[3:]))
    paths += sorted(corpus.glob("drafts/*.txt"))
    rows = []
    tot = dict(docs=0, heads=0, numbered=0, toc=0, toc_found=0, unlisted=0, steps=0, bad_steps=0, nosec=0)
    html_rows = []
    for path in paths:
        data = path.read_bytes()
        outline = parse_text(data)
        lines = Lines(data)
        mark_furniture(lines)
        roman = uses_roman(lines)
        toc = find_toc(lines, roman)
        numbered = [s for s in outline.sections if s.number]
        tot["docs"] += 1
        tot["heads"] += len(outline.sections)
        tot["numbered"] += len(numbered)
        if not numbered:
            tot["nosec"] += 1
        toc_total = toc_found = 0
        missing = []
        if toc is not None:
            for e in toc.entries:
                toc_total += 1
                hit = [
                    s
                    for s in outline.sections
                    if (s.number == e.number if e.number else not s.number) and same_title(s.title, e.title)
                ]
                if hit:
                    toc_found += 1
                else:
                    missing.append(f"{e.number or ''} {e.title}".strip())
        listed = {e.number for e in toc.entries if e.number} if toc else set()
        unlisted = [s.number for s in numbered if toc and s.number not in listed]
        bad = []
        for a, b in itertools.pairwise(numbered):
            try:
                if not _valid_step(_key(a.number, roman), _key(b.number, roman)):
                    bad.append(f"{a.number}->{b.number}")
            except ValueError:
                bad.append(f"{a.number}->{b.number}")
        tot["toc"] += toc_total
        tot["toc_found"] += toc_found
        tot["unlisted"] += len(unlisted)
        tot["steps"] += max(0, len(numbered) - 1)
        tot["bad_steps"] += len(bad)
        name = path.stem.upper() if path.stem.startswith("rfc") else path.stem
        rows.append((name, len(outline.sections), len(numbered), toc_total, toc_found, len(unlisted), len(bad)))
        if missing or bad:
            details.append(
                f"- {name}: TOC entries not found {missing[:6]}{'...' if len(missing) > 6 else ''}; steps {bad[:6]}"
            )
        html = corpus / "rfc" / "html" / (path.stem + ".html")
        if html.exists():
            anchors = html_anchors(html)
            ours = {s.id for s in outline.sections if s.number}
            html_rows.append(
                f"| {name} | {len(anchors)} | {len(anchors & ours)} | {len(ours - anchors)} | "
                f"{', '.join(sorted(anchors - ours)[:8]) or '-'} | {', '.join(sorted(ours - anchors)[:8]) or '-'} |"
            )
    out = [
        "### Older RFCs and drafts: cross-checks",
        "",
        _row(
            "documents",
            "headings found",
            "numbered",
            "TOC entries",
            "TOC entries found as headings",
            "numbered not in TOC",
            "numbering breaks / steps",
            "no numbered section",
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        _row(
            tot["docs"],
            tot["heads"],
            tot["numbered"],
            tot["toc"],
            tot["toc_found"],
            tot["unlisted"],
            f"{tot['bad_steps']} / {tot['steps']}",
            tot["nosec"],
        ),
        "",
        "Against the IETF htmlizer's anchors (corpus/rfc/html, older files only):",
        "",
        _row(
            "RFC",
            "htmlizer anchors",
            "also found",
            "found, not anchored",
            "anchored, not found",
            "found, not anchored (ids)",
        ),
        "|---|---:|---:|---:|---|---|",
    ]
    out += html_rows
    return out


def timing(corpus: Path) -> list[str]:
    big = (corpus / "rfc" / "txt" / "rfc8881.txt").read_bytes()
    best = min(_time(parse_text, big) for _ in range(5))
    outline = parse_text(big)
    stored = outline.to_json()
    from docfetch.sections.model import Outline

    load = min(_time(Outline.from_json, stored) for _ in range(20))
    total = 0.0
    paths = list(corpus.glob("rfc/txt/*.txt")) + list(corpus.glob("drafts/*.txt"))
    size = 0
    for p in paths:
        data = p.read_bytes()
        size += len(data)
        total += _time(parse_text, data)
    return [
        "### Speed",
        "",
        "| what | time |",
        "|---|---:|",
        _row(
            f"parse_text, RFC 8881 ({len(big):,} bytes, {len(outline.sections)} sections), best of 5",
            f"{best * 1000:.1f} ms",
        ),
        f"| Outline.from_json, RFC 8881 ({len(stored):,} bytes of JSON), best of 20 | {load * 1000:.2f} ms |",
        f"| parse_text, whole corpus ({len(paths)} texts, {size / 1e6:.1f} MB) | {total * 1000:.0f} ms |",
    ]


def _time(fn, arg) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn(arg)
    return time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--details", action="store_true", help="list every miss, per document")
    args = parser.parse_args()
    details: list[str] = []
    out = ["## Section finding accuracy", ""]
    out += v3_report(args.corpus, details)
    out.append("")
    out += v3_html_report(args.corpus)
    out.append("")
    out += old_report(args.corpus, details)
    out.append("")
    out += timing(args.corpus)
    if args.details and details:
        out += ["", "### Misses, per document", "", *details]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
