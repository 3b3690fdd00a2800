"""What a check reports: one :class:`Finding` per problem, with its code and severity."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"

UNKNOWN_DOCUMENT = "unknown-document"
UNKNOWN_SECTION = "unknown-section"
MISQUOTE = "misquote"
OBSOLETE = "obsolete"
ERRATA = "errata"


@dataclass(frozen=True, slots=True)
class Rule:
    """A finding code: its default severity and what it means (for SARIF rules and help)."""

    code: str
    severity: str
    summary: str


#: Every code, in the order they are documented.
RULES: tuple[Rule, ...] = (
    Rule(UNKNOWN_DOCUMENT, ERROR, "The cited document does not exist or was never issued."),
    Rule(UNKNOWN_SECTION, ERROR, "The cited section does not exist in the cited document."),
    Rule(MISQUOTE, ERROR, "The quoted text does not appear in the cited section."),
    Rule(OBSOLETE, WARNING, "The cited document has been obsoleted by another."),
    Rule(ERRATA, WARNING, "Verified errata apply to the cited section."),
)
SEVERITY = {rule.code: rule.severity for rule in RULES}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place: ``path:line:column``, 1-based, columns in characters."""

    path: str
    line: int
    column: int
    severity: str
    code: str
    message: str

    @classmethod
    def of(cls, code: str, path: str, line: int, column: int, message: str) -> Finding:
        """A finding with the code's default severity."""
        return cls(path, line, column, SEVERITY[code], code, message)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings by path, line, column, then code (a stable, diff-friendly order)."""
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.code, f.message))


def count(findings: Iterable[Finding]) -> tuple[int, int]:
    """The number of errors and of warnings."""
    errors = warnings = 0
    for finding in findings:
        if finding.severity == ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def summary(findings: Iterable[Finding], citations: int, files: int) -> str:
    """One line for the end of a run: ``2 errors, 1 warning in 40 citations (12 files)``."""
    errors, warnings = count(findings)

    def plural(n: int, word: str) -> str:
        return f"{n} {word}" if n == 1 else f"{n} {word}s"

    counted = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    return f"{counted} in {plural(citations, 'citation')} ({plural(files, 'file')})"
