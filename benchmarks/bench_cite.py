"""Benchmark: ``docfetch cite check`` over a generated tree of 1,000 citations, documents cached.

Run: ``python benchmarks/bench_cite.py [--quick]`` (or through ``run_all.py``).

The tree: 500 source and documentation files (Python, Go, C, Rust, Markdown) of about 50 lines
each, holding 1,000 citations of 40 real RFCs of the corpus in the forms people write (by
section, with quotations from the real text, some with wrong sections, misquotes, missing
sections, bare RFCs, links). The cache holds those RFC texts, the real RFC index and the
real errata.json, all fresh, as after a first run; a first run (not timed against the budget)
builds the index and errata databases and the outlines. The installed command is then timed,
end to end, with the network made unreachable (a proxy on a closed port): nothing may be
fetched. The floor, in the same run: ``grep -rn RFC`` over the same tree (finding the lines,
checking nothing). Without ../shared/corpus, synthetic RFCs stand in (no index, no errata).
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import time
from pathlib import Path

import _common as common
from _common import Options, Result

NAME = "cite"
TITLE = "docfetch cite check"
BUDGET_S = 5.0
FILES = 500
CITATIONS = 1000
DOCUMENTS = 40
FILLER = (
    "def handler(request, response):  # nothing to see here, version 1.2.3\n",
    "    total = compute(a, b) + offset\n",
    "    if total > limit:\n",
    "        return None\n",
    "\n",
)


def _documents(seed: int = 2026) -> tuple[dict[int, bytes], str]:
    """RFC texts by number: 40 of the corpus picked at random among those with numbered sections
    (with every RFC that obsoletes them, so that nothing is missing from the cache), or synthetic ones."""
    from docfetch.sections import parse_text
    from docfetch.store.rfcindex import iter_entries

    folder = common.CORPUS / "rfc" / "txt"
    if folder.is_dir():
        texts = {int(p.stem[3:]): p for p in folder.glob("rfc*.txt")}
        successors: dict[int, list[int]] = {}
        with open(common.CORPUS / "index" / "rfc-index.xml", "rb") as index:
            for entry in iter_entries(index):
                if entry.kind == "rfc" and entry.number in texts:
                    successors[entry.number] = [int(d[3:]) for d in entry.relations.get("obsoleted-by", [])]
        eligible = [
            n
            for n in sorted(texts)
            if all(s in texts for s in successors.get(n, [])) and parse_text(texts[n].read_bytes()).has_numbers
        ]
        chosen = random.Random(seed).sample(eligible, DOCUMENTS)
        wanted = set(chosen) | {s for n in chosen for s in successors.get(n, [])}
        return {n: texts[n].read_bytes() for n in sorted(wanted)}, "corpus"
    synthetic = {}
    for number in range(9000, 9000 + DOCUMENTS):
        parts = [f"RFC {number}              Synthetic                 March 2026\n\n\n"]
        for a in range(1, 11):
            parts.append(f"{a}.  Part {a}\n\n   Text of part {a} of RFC {number}, which says what it says.\n\n")
            for b in range(1, 6):
                parts.append(f"{a}.{b}.  Part {a}.{b}\n\n   The peer MUST answer part {a}.{b} of RFC {number}.\n\n")
        synthetic[number] = "".join(parts).encode()
    return synthetic, "synthetic"


def _quotable(data: bytes) -> list[tuple[str, str]]:
    """(section number, a quotation of ~8 words from its first paragraph) for each numbered section."""
    from docfetch.sections import parse_text, strip_furniture

    outline = parse_text(data)
    found = []
    for section in outline.sections:
        if not section.number or section.number[:1].isalpha():
            continue
        text = strip_furniture(data, outline, section.start, section.end).decode("utf-8", "replace")
        body = text.split("\n", 1)[1] if "\n" in text else ""
        words = [w for w in body.split() if w.isalpha()][:8]
        if len(words) >= 5 and '"' not in body[:200]:
            found.append((section.number, " ".join(words)))
    return found


def build_tree(root: Path, documents: dict[int, bytes], seed: int = 2026) -> int:
    """Write the tree; return the number of citations written."""
    rng = random.Random(seed)
    sections = {n: _quotable(data) for n, data in documents.items()}
    numbers = [n for n in documents if sections[n]]
    forms = (
        lambda n, s, q: f'# RFC {n}, Section {s}: "{q}"\n',
        lambda n, s, q: f"// See Section {s} of RFC {n}.\n",
        lambda n, s, q: f"/* RFC {n} §{s} */\n",
        lambda n, s, q: f"/// <https://www.rfc-editor.org/rfc/rfc{n}.html#section-{s}>\n",
        lambda n, s, q: f'[RFC{n}], Section {s} says "{q}".\n',
        lambda n, s, q: f"# as RFC {n} requires\n",
    )
    suffixes = (".py", ".go", ".c", ".rs", ".md")
    written = 0
    for index in range(FILES):
        folder = root / f"pkg{index % 25:02d}" / f"mod{index % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [FILLER[i % len(FILLER)] for i in range(rng.randrange(35, 65))]
        for _ in range(CITATIONS // FILES):
            number = rng.choice(numbers)
            section, quote = rng.choice(sections[number])
            roll = rng.random()
            if roll < 0.05:
                section = f"{section}.99"  # no such section
            elif roll < 0.15:
                quote = quote.replace(quote.split()[2], "frobnicate", 1)  # a misquote
            elif roll < 0.25:
                section = rng.choice(sections[number])[0]  # maybe the wrong section for the quote
            line = rng.choice(forms)(number, section, quote)
            lines.insert(rng.randrange(len(lines) + 1), line)
            written += 1
        (folder / f"file{index:03d}{suffixes[index % len(suffixes)]}").write_text("".join(lines), encoding="utf-8")
    return written


def _fill_cache(cache: Path, documents: dict[int, bytes]) -> None:
    """The cache as a first run leaves it: the RFC texts; the index and errata.json, checked just now."""
    docs = cache / "docs" / "rfc"
    docs.mkdir(parents=True, exist_ok=True)
    for number, data in documents.items():
        (docs / f"rfc{number}.txt").write_bytes(data)
    fresh = json.dumps({"etag": '"bench"', "checked": time.time() + 3600}).encode()  # fresh for the whole run
    for folder, name, source in (
        ("index", "rfc-index.xml", common.CORPUS / "index" / "rfc-index.xml"),
        ("errata", "errata.json", common.CORPUS / "errata" / "errata.json"),
    ):
        if source.is_file():
            (cache / "docs" / folder).mkdir(parents=True, exist_ok=True)
            (cache / "docs" / folder / name).write_bytes(source.read_bytes())
            (cache / "docs" / folder / f"{name}.meta").write_bytes(fresh)


def _time(argv: list[str], env: dict[str, str], cwd: Path, runs: int) -> tuple[list[float], bytes, bytes, int]:
    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, timeout=120, check=False)
        times.append(time.perf_counter() - started)
    assert result is not None
    return times, result.stdout, result.stderr, result.returncode


def run(options: Options) -> list[Result]:
    """Measure and compare; returns the report lines."""
    documents, origin = _documents()
    script = str(common.docfetch_script())
    runs = options.runs(7, 3)
    with common.scratch() as tmp:
        tree = tmp / "tree"
        written = build_tree(tree, documents)
        unreachable = "http://127.0.0.1:9"  # nothing listens: any request would fail at once
        env = common.clean_environment(tmp, HTTPS_PROXY=unreachable, HTTP_PROXY=unreachable, NO_PROXY="")
        _fill_cache(tmp / "cache", documents)
        check = [script, "cite", "check", "--format", "json", "."]
        first, _out, first_err, first_code = _time(check, env, tree, 1)
        if first_code not in (0, 1) or b"not checked" in first_err:
            raise RuntimeError(f"first run failed ({first_code}): {first_err.decode(errors='replace')[-800:]}")
        times, out, err, code = _time(check, env, tree, runs)
        if code not in (0, 1) or b"could not" in err or b"not checked" in err:
            raise RuntimeError(f"cached run touched the network or failed ({code}): {err.decode()[-800:]}")
        findings = json.loads(out)
        grep, grep_out, _err, _code = _time(["grep", "-rn", "RFC", "."], env, tree, runs)
    median, floor = statistics.median(times), statistics.median(grep)
    by_code: dict[str, int] = {}
    for finding in findings:
        by_code[finding["code"]] = by_code.get(finding["code"], 0) + 1
    summary = err.decode().strip().splitlines()[-1].removeprefix("docfetch: ")
    note = (
        f"{written} citations of {len(documents)} RFCs ({origin}) in {FILES} files; {summary}; findings by code: "
        + ", ".join(f"{code} {count}" for code, count in sorted(by_code.items()))
        + f"; grep found {grep_out.count(b'RFC')} lines with 'RFC'; runs: {runs}, medians"
    )
    return [
        Result(
            NAME,
            f"{written} citations, {FILES} files, documents cached",
            f"{median:.2f} s",
            f"grep -rn RFC {floor * 1000:.0f} ms",
            f"{median / floor:.0f}x",
            f"< {BUDGET_S:.0f} s",
            median < BUDGET_S,
            note,
        ),
        Result(
            NAME,
            "first run (index and errata databases, outlines built)",
            f"{first[0]:.2f} s",
            "-",
            "-",
            "-",
            None,
        ),
    ]


if __name__ == "__main__":
    import sys

    common.ensure_interpreter()
    sys.exit(common.main_for(NAME, TITLE, run))
