"""Sections: one section of a cached RFC (``docfetch rfc9110#15.5.5 | ...``) against ``python -c pass``.

The documents are put straight into a fresh cache (the corpus's RFC 9110 and RFC 8881, the
largest text RFC; synthetic stand-ins without ../shared). One checked run first stores each
document's outline, as any first use does; the measured runs then find the section from it.
Context rows (no verdict): the first section of a document whose outline is not stored yet
(the parse included), and ``docfetch toc``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import _common as common
from _common import Command, Options, Result

NAME = "sections"
TITLE = "docfetch sections"
TARGET = 4.0


def _document(number: int, size: int) -> tuple[bytes, str]:
    path = common.CORPUS / "rfc" / "txt" / f"rfc{number}.txt"
    if path.is_file():
        return path.read_bytes(), f"corpus {path.name}"
    return common.synthetic_rfc(number, size), "synthetic (no ../shared/corpus)"


def _section_check(data: bytes, heading: bytes) -> common.Check:
    def check(result: object) -> str | None:
        out = result.stdout  # type: ignore[attr-defined]
        if not out.startswith(heading) or out not in data:
            return f"not the exact slice starting {heading!r}"
        return None

    return check


def run(options: Options) -> list[Result]:
    """Measure and compare; returns the report lines."""
    script = str(common.docfetch_script())
    python = common.script_python()
    runs = options.runs(30, 9)
    big, big_origin = _document(8881, 1_600_000)
    http, origin = _document(9110, 500_000)
    corpus = origin.startswith("corpus")
    with common.scratch() as tmp:
        env = common.clean_environment(Path(tmp))
        docs = Path(env["DOCFETCH_CACHE_DIR"]) / "docs" / "rfc"
        docs.mkdir(parents=True)
        (docs / "rfc9110.txt").write_bytes(http)
        (docs / "rfc8881.txt").write_bytes(big)
        section, heading = ("15.5.5", b"15.5.5.  404 Not Found") if corpus else ("1", b"1.")
        big_section = "18.16" if big_origin.startswith("corpus") else "1"
        outlines = Path(env["DOCFETCH_CACHE_DIR"]) / "outlines"
        commands = {
            "python -c pass": [python, "-c", "pass"],
            "section": [script, f"rfc9110#{section}"],
            "section of 8881": [script, f"rfc8881#{big_section}"],
            "toc": [script, "toc", "rfc:9110"],
        }
        checks = {"section": _section_check(http, heading)}
        for label, argv in commands.items():
            common.run_once(Command(argv, env, checks.get(label)))  # stores the outlines
        first_argv = [script, f"rfc9110#{section}"]
        if options.hyperfine and common.hyperfine_available():
            tool = "hyperfine"
            common.log(f"sections: hyperfine, {runs} runs of each, 3 rounds")
            times = common.hyperfine_interleaved(commands, env, runs)
        else:
            tool = "subprocess loop"
            common.log(f"sections: subprocess loop, {runs} runs of each, interleaved")
            times = common.interleaved({k: (lambda _i, a=v: Command(a, env)) for k, v in commands.items()}, runs)
        first = []
        for _ in range(max(5, runs // 3)):  # no stored outline: the parse of RFC 9110 is paid
            shutil.rmtree(outlines, ignore_errors=True)
            elapsed, _result = common.run_once(Command(first_argv, env, checks["section"]))
            first.append(elapsed)
    base = common.median_ms(times["python -c pass"])
    value = common.median_ms(times["section"])
    results = [
        Result(
            benchmark="sections",
            case=f"rfc9110#{section}, cached, to a pipe",
            docfetch=f"{value:.1f} ms",
            peer=f"python -c pass {base:.1f} ms",
            comparison=f"{value / base:.2f}x",
            target=f"<= {TARGET:g}x",
            passed=value / base <= TARGET,
            note=f"median of {len(times['section'])} runs ({tool}); document: {origin}; outline stored",
        )
    ]
    for _label, case, values, note in (
        ("section of 8881", f"rfc8881#{big_section} (1.6 MB), cached", times["section of 8881"], big_origin),
        ("first", f"rfc9110#{section}, outline not stored yet", first, "the parse included"),
        ("toc", "toc rfc:9110, cached", times["toc"], origin),
    ):
        ms = common.median_ms(values)
        results.append(
            Result(
                benchmark="sections",
                case=case,
                docfetch=f"{ms:.1f} ms",
                peer=f"python -c pass {base:.1f} ms",
                comparison=f"{ms / base:.2f}x",
                target="context",
                passed=None,
                note=f"median of {len(values)} runs; {note}",
            )
        )
    return results


if __name__ == "__main__":
    common.ensure_interpreter()
    sys.exit(common.main_for(NAME, TITLE, run))
