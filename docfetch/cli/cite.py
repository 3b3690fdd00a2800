"""``docfetch cite check PATH...``: findings to stdout in the chosen format, a summary line on stderr.

Exit codes: 1 when there are errors (with ``--strict``, warnings too), whatever else happened:
the findings are certain. Otherwise 2 when a path could not be read, then the exit code of a
cited document that could not be had (3 ``--offline`` and not cached, 4 network failure, 5
refused content), the highest first; otherwise 0.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from docfetch import report
from docfetch.errors import EXIT_OK, EXIT_USAGE, UsageError, worst_exit_code

if TYPE_CHECKING:
    from docfetch.knowledge.citerun import CiteRun

#: Exit code when the check found errors.
EXIT_FINDINGS = 1
FORMATS = ("text", "json", "sarif", "github")


def check_command(
    paths: list[str],
    fmt: str = "text",
    strict: bool = False,
    offline: bool = False,
    jobs: int = 4,
    quiet: bool = False,
) -> int:
    """Check every citation under PATH...: document, section, quotation, obsolescence, errata."""
    from docfetch.knowledge.citerun import run_check

    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt[:20]!r}", hint=f"formats: {', '.join(FORMATS)}")
    run = run_check(paths, offline=offline, jobs=jobs, quiet=quiet)
    for problem in problems(run):
        report.error(problem)
    sys.stdout.write(render(fmt, run))
    report.summary(run.summary())
    return exit_code(run, strict=strict)


def problems(run: CiteRun) -> list[str]:
    """What kept citations from being checked: paths that could not be read, documents that could not be had."""
    return [f"cannot read {s.path}: {s.reason}" for s in run.unreadable] + [u.message() for u in run.unchecked]


def render(fmt: str, run: CiteRun) -> str:
    """The findings in ``fmt``, safe for a terminal: control characters inert in text, escaped in JSON.

    SARIF also says, in its run's ``invocations``, whether every citation could be checked (and if
    not, why, as tool execution notifications); ``github`` adds an ``::error`` annotation for each
    such problem, so that it shows beside the findings.
    """
    import json

    from docfetch.cite.formats import render as render_findings
    from docfetch.terminal import inert, json_text

    text = render_findings(fmt, run.findings)
    if fmt == "json":
        return json_text(json.loads(text)) + "\n"
    if fmt == "sarif":
        log = json.loads(text)
        notifications = [{"level": "error", "message": {"text": problem}} for problem in problems(run)]
        invocation = {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
        log["runs"][0]["invocations"] = [invocation]
        return json_text(log) + "\n"
    if fmt == "github":
        text += "".join(f"::error title=not checked::{_github_data(problem)}\n" for problem in problems(run))
    return inert(text)


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def exit_code(run: CiteRun, *, strict: bool) -> int:
    """See the module docstring."""
    from docfetch.cite.findings import count

    errors, warnings = count(run.findings)
    if errors or (strict and warnings):
        return EXIT_FINDINGS
    codes = [EXIT_USAGE] if run.unreadable else []
    codes += [unchecked.exit_code for unchecked in run.unchecked]
    return worst_exit_code(codes) if codes else EXIT_OK
