"""Accuracy and speed of the citation scanner and checker (docfetch.cite).

Run: ``python benchmarks/accuracy_cite.py [--corpus DIR] [--verbose]`` from the repository root.

1. Labelled sets (real-world-looking comments and docs in Go, Python, C, Rust, JavaScript,
   TypeScript, SQL, Markdown, YAML, TOML, shell, Lisp, TeX, Java, C#, PHP, Ruby, HTML, reST,
   Erlang, Kotlin, Haskell, Swift, Lua, PowerShell, Dockerfile, labelled by hand):
   ``benchmarks/cite_labelled.txt``, which the scanner was tuned on, and
   ``benchmarks/cite_heldout.txt``, written afterwards and never tuned on. Precision and recall
   of the scanner over (line, document, sections), and how many quotations come out exactly.
2. Corpus (``../shared/corpus/rfc/txt``, the 131 real RFC texts): how many section citations
   of other RFCs each written form yields, the document's reference tags (``[HTTP]``)
   resolved through its own reference list.
3. Speed: a generated tree of 2,000 files holding 1,000 citations, scanned from disk, then
   checked against an in-memory library of documents (the "cached documents" case).
   Exits 1 when scanning and checking take 5 s or more.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docfetch.cite.check import check  # noqa: E402
from docfetch.cite.collect import scan_paths  # noqa: E402
from docfetch.cite.library import ISSUED, UNKNOWN, DocStatus, ErratumInfo  # noqa: E402
from docfetch.cite.model import Citation  # noqa: E402
from docfetch.cite.reftags import reference_tags  # noqa: E402
from docfetch.cite.scan import scan_text  # noqa: E402
from docfetch.reference import Reference  # noqa: E402

LABELLED = Path(__file__).with_name("cite_labelled.txt")
HELD_OUT = Path(__file__).with_name("cite_heldout.txt")
CORPUS = ROOT.parent / "shared" / "corpus" / "rfc" / "txt"
BUDGET_S = 5.0


# --- 1. the labelled set ------------------------------------------------------------------------
class Sample(NamedTuple):
    language: str
    title: str
    text: str
    expected: list[tuple[int, str, str, str | None]]  # line, document, sections, quote


def load_samples(path: Path) -> list[Sample]:
    samples = []
    chunks = path.read_text(encoding="utf-8").split("\n=== ")[1:]
    for chunk in chunks:
        head, _, rest = chunk.partition("\n")
        language, _, title = head.partition(": ")
        text, _, expect = rest.partition("--- expect\n")
        expected = []
        for line in expect.splitlines():
            if not line.strip():
                continue
            number, document, sections, *quote = line.split(" ", 3)
            text_quote = quote[0][1:-1] if quote else None
            expected.append((int(number), document, sections, text_quote))
        samples.append(Sample(language, title, text, expected))
    return samples


def document_key(document: Reference) -> str:
    if document.scheme == "draft":
        return f"draft:{document.name}" + (f"-{document.revision}" if document.revision else "")
    return f"{document.scheme}:{document.name}"


def found_keys(citations: Sequence[Citation]) -> list[tuple[int, str, str, str | None]]:
    return [(c.line, document_key(c.document), ",".join(s.id for s in c.sections) or "-", c.quote) for c in citations]


def measure_labelled(samples: list[Sample], verbose: bool) -> dict[str, float]:
    true_positives = expected_total = found_total = 0
    quotes_expected = quotes_exact = quotes_spurious = 0
    lines = 0
    per_language: Counter[str] = Counter()
    for sample in samples:
        lines += sample.text.count("\n")
        per_language[sample.language] += 1
        found = found_keys(scan_text(sample.text, sample.title))
        want = Counter(key[:3] for key in sample.expected)
        got = Counter(key[:3] for key in found)
        hits = want & got
        true_positives += sum(hits.values())
        expected_total += sum(want.values())
        found_total += sum(got.values())
        found_quotes = {key[:3]: key[3] for key in found}
        for key in sample.expected:
            if key[3] is not None:
                quotes_expected += 1
                quotes_exact += found_quotes.get(key[:3]) == key[3]
        expected_quotes = {key[:3]: key[3] for key in sample.expected}
        quotes_spurious += sum(1 for key in found if key[3] is not None and expected_quotes.get(key[:3]) is None)
        if verbose and (want != got or any(found_quotes.get(k[:3]) != k[3] for k in sample.expected if k[3])):
            print(f"--- {sample.language}: {sample.title}")
            for missed in sorted((want - got).elements()):
                print(f"  missed   {missed}")
            for spurious in sorted((got - want).elements()):
                print(f"  spurious {spurious}")
            for key in sample.expected:
                if key[3] is not None and found_quotes.get(key[:3]) != key[3]:
                    print(f"  quote    line {key[0]}: expected {key[3]!r}")
                    print(f"           got {found_quotes.get(key[:3])!r}")
    return {
        "samples": len(samples),
        "languages": len(per_language),
        "lines": lines,
        "expected": expected_total,
        "found": found_total,
        "tp": true_positives,
        "precision": true_positives / found_total if found_total else 1.0,
        "recall": true_positives / expected_total if expected_total else 1.0,
        "quotes": quotes_expected,
        "quotes_exact": quotes_exact,
        "quotes_spurious": quotes_spurious,
    }


# --- 2. the corpus ------------------------------------------------------------------------------
_DOC_NUMBER = re.compile(r"(?i)\b(rfc[ ~-]?)0*[0-9]+")
_SECTION_NUMBER = re.compile(r"(?<![\w.])(?:[0-9]+|(?-i:[A-Z]))(?:\.[0-9]+)*(?![\w])")
_TAG = re.compile(r"\[(?!RFC)[^\]]+\]")


def form_of(raw: str) -> str:
    """The written form of a citation: ``Section 3.2 of [RFC7230]`` -> ``Section N of [RFCn]``."""
    form = " ".join(raw.split())
    if form.startswith(("http", "www.")):
        host = re.sub(r"^https?://", "", form).split("/")[0]
        fragment = form.split("#", 1)[1] if "#" in form else ""
        return f"link to {host}" + ("#" + _SECTION_NUMBER.sub("N", fragment) if fragment else "")
    form = _TAG.sub("[TAG]", form)
    form = _DOC_NUMBER.sub(lambda m: m.group(1) + "n", form)
    return _SECTION_NUMBER.sub("N", form)


def measure_corpus(corpus: Path) -> dict[str, object]:
    files = sorted(corpus.glob("rfc*.txt"))
    forms: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    through_tags = 0
    started = time.perf_counter()
    for path in files:
        own = path.stem[3:]
        text = path.read_bytes().decode("utf-8", errors="replace")
        tags = reference_tags(text)
        for cite in scan_text(text, str(path), tags=tags):
            if cite.document.scheme == "draft":
                kinds["drafts"] += 1
                continue
            if cite.document.name == own:
                kinds["own sections" if cite.sections else "own name"] += 1
                continue
            if not cite.sections:
                kinds["other RFCs, bare"] += 1
                continue
            kinds["other RFCs, with sections"] += 1
            form = form_of(cite.raw)
            forms[form] += 1
            through_tags += "[TAG]" in form and "RFC" not in form.upper()
    return {
        "files": len(files),
        "seconds": time.perf_counter() - started,
        "forms": forms,
        "kinds": kinds,
        "through_tags": through_tags,
    }


# --- 3. speed -----------------------------------------------------------------------------------
TEMPLATES = {
    ".go": '// Per RFC {n}, Section {s}: "{q}"\n',
    ".py": "# See Section {s} of RFC {n}.\n",
    ".c": "/* RFC {n} §{s} */\n",
    ".rs": "/// <https://www.rfc-editor.org/rfc/rfc{n}.html#section-{s}>\n",
    ".md": '[RFC{n}], Section {s} says "{q}".\n',
}
FILLER = "x = compute(a, b)  # nothing to see, version 1.2.3\n"
QUOTE = "The server MUST reply within the time given"


class Sec(NamedTuple):
    id: str
    number: str | None
    title: str
    level: int


class SyntheticLibrary:
    """Cached documents: numbered sections with text, some obsoleted, one with errata."""

    def __init__(self, numbers: list[int]) -> None:
        self.numbers = set(numbers)
        self.outline = [Sec(f"section-{a}", str(a), f"Part {a}", 1) for a in range(1, 11)]
        self.outline += [
            Sec(f"section-{a}.{b}", f"{a}.{b}", f"Part {a}.{b}", 2) for a in range(1, 11) for b in range(1, 6)
        ]
        self.text = {
            s.id: f"{s.title}\n\n   " + " ".join(f"word{i} of {s.id}" for i in range(60)) for s in self.outline
        }
        self.text["section-3.2"] += "\n   " + QUOTE + " to the client."

    def status(self, document: Reference) -> DocStatus:
        if document.scheme == "rfc" and int(document.name) in self.numbers:
            obsolete = (Reference("rfc", str(int(document.name) + 1)),) if int(document.name) % 7 == 0 else ()
            return DocStatus(ISSUED, obsoleted_by=obsolete)
        return DocStatus(UNKNOWN)

    def sections(self, document: Reference) -> list[Sec]:
        return self.outline

    def section_text(self, document: Reference, section_id: str) -> str:
        return "\n".join(
            text for key, text in self.text.items() if key == section_id or key.startswith(section_id + ".")
        )

    def document_text(self, document: Reference) -> str:
        return "\n".join(self.text.values())

    def errata(self, document: Reference, section_id: str) -> list[ErratumInfo]:
        return [ErratumInfo("1234", "Technical")] if section_id == "section-2.1" else []


def build_tree(root: Path, files: int = 2000, citations: int = 1000, seed: int = 7) -> list[int]:
    rng = random.Random(seed)
    numbers = [rng.randrange(700, 9700) for _ in range(40)]
    suffixes = list(TEMPLATES)
    placed = 0
    for index in range(files):
        suffix = suffixes[index % len(suffixes)]
        folder = root / f"pkg{index % 40:02d}" / f"sub{index % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [FILLER] * rng.randrange(20, 80)
        if placed < citations and index % 2 == 0:
            for _ in range(2):
                section = f"{rng.randrange(1, 12)}.{rng.randrange(1, 7)}" if rng.random() < 0.9 else "3.2"
                quote = QUOTE if rng.random() < 0.5 else "The server replies at once"
                line = TEMPLATES[suffix].format(n=rng.choice(numbers), s=section, q=quote)
                lines.insert(rng.randrange(len(lines)), line)
                placed += 1
        (folder / f"file{index:04d}{suffix}").write_text("".join(lines), encoding="utf-8")
    return numbers


def measure_speed() -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="docfetch-cite-bench-") as tmp:
        numbers = build_tree(Path(tmp))
        started = time.perf_counter()
        report = scan_paths([tmp])
        scanned = time.perf_counter()
        result = check(report.citations, SyntheticLibrary(numbers))
        checked = time.perf_counter()
    return {
        "files": report.files,
        "citations": len(report.citations),
        "findings": len(result.findings),
        "scan_s": scanned - started,
        "check_s": checked - scanned,
        "total_s": checked - started,
    }


# --- output -------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--verbose", action="store_true", help="list every miss of the labelled set")
    parser.add_argument("--top", type=int, default=15, help="how many corpus forms to list")
    args = parser.parse_args(argv)

    sets = [("labelled set (tuned on)", LABELLED), ("held-out set (never tuned on)", HELD_OUT)]
    results = []
    for name, path in sets:
        if args.verbose:
            print(f"\n## misses of the {name}")
        results.append((name, measure_labelled(load_samples(path), args.verbose)))
    print("\n### Scanner accuracy on hand-labelled code and docs\n")
    print("| set | samples | languages | lines | expected | found | correct | precision | recall | quotations exact |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in results:
        print(
            f"| {name} | {r['samples']} | {r['languages']} | {r['lines']} | {r['expected']} | {r['found']} "
            f"| {r['tp']} | {r['precision']:.1%} | {r['recall']:.1%} | {r['quotes_exact']} of {r['quotes']} |"
        )

    if args.corpus.is_dir():
        corpus = measure_corpus(args.corpus)
        forms: Counter[str] = corpus["forms"]  # type: ignore[assignment]
        kinds: Counter[str] = corpus["kinds"]  # type: ignore[assignment]
        total = sum(forms.values())
        print(
            f"\n### Section citations of other RFCs in the corpus ({corpus['files']} RFC texts, "
            f"scanned in {corpus['seconds']:.2f} s)\n"
        )
        print("| form | citations | share |")
        print("|---|---:|---:|")
        for form, count in forms.most_common(args.top):
            print(f"| `{form}` | {count} | {count / total:.1%} |")
        rest = total - sum(count for _, count in forms.most_common(args.top))
        print(f"| {len(forms) - min(args.top, len(forms))} other forms | {rest} | {rest / total:.1%} |")
        print(f"| **total** | **{total}** | |")
        print(
            f"\nOf these, {corpus['through_tags']} cite by a named tag resolved through the RFC's own references "
            f"(`Section N of [HTTP]`). Other citations: "
            + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()) if "with sections" not in kind)
            + "."
        )
    else:
        print(f"\n(corpus {args.corpus} absent: skipped)")

    speed = measure_speed()
    print(f"\n### Speed ({speed['files']:.0f} files, {speed['citations']:.0f} citations, cached documents)\n")
    print("| scan (walk, read, scan) | check | total | budget |")
    print("|---:|---:|---:|---:|")
    print(f"| {speed['scan_s']:.2f} s | {speed['check_s']:.2f} s | {speed['total_s']:.2f} s | < {BUDGET_S:.0f} s |")
    return 0 if speed["total_s"] < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
