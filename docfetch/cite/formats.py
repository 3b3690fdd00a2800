"""Rendering findings: compiler-style text, JSON, SARIF 2.1.0, GitHub workflow commands.

Paths are shown relative to the current directory when the file is under it, else as given.
Every renderer returns the whole output as one string ending in a newline (``""`` for text and
github output without findings); the summary line is the caller's (it goes to stderr).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from docfetch.cite.findings import ERROR, RULES, Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"


def display_path(path: str, cwd: Path | None = None) -> str:
    """``path`` relative to ``cwd`` (default: the current directory) when under it, else as given."""
    base = Path(os.path.abspath(cwd if cwd is not None else os.getcwd()))
    given = Path(path)
    absolute = Path(os.path.normpath(given if given.is_absolute() else base / given))
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        return path
    return str(relative) if str(relative) != "." else path


def render_text(findings: Sequence[Finding], cwd: Path | None = None) -> str:
    """``path:line:column: severity: code: message``, one line per finding."""
    return "".join(
        f"{display_path(f.path, cwd)}:{f.line}:{f.column}: {f.severity}: {f.code}: {f.message}\n" for f in findings
    )


def render_json(findings: Sequence[Finding], cwd: Path | None = None) -> str:
    """A JSON list of ``{"path", "line", "column", "code", "severity", "message"}`` objects."""
    import json

    items = [
        {
            "path": display_path(f.path, cwd),
            "line": f.line,
            "column": f.column,
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
        }
        for f in findings
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def _artifact(path: str, cwd: Path | None) -> dict[str, str]:
    from urllib.parse import quote

    shown = display_path(path, cwd)
    if Path(shown).is_absolute():
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(Path(shown).as_posix(), safe="/"), "uriBaseId": SRCROOT}


def sarif_log(findings: Sequence[Finding], cwd: Path | None = None) -> dict[str, object]:
    """The SARIF 2.1.0 log as a dictionary: one run, tool driver ``docfetch`` with a rule per code."""
    from docfetch._version import __version__

    base = Path(os.path.abspath(cwd if cwd is not None else os.getcwd()))
    index = {rule.code: i for i, rule in enumerate(RULES)}
    rules = [
        {
            "id": rule.code,
            "name": "".join(part.capitalize() for part in rule.code.split("-")),
            "shortDescription": {"text": rule.summary},
            "defaultConfiguration": {"level": rule.severity},
        }
        for rule in RULES
    ]
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": "error" if f.severity == ERROR else "warning",
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact(f.path, cwd),
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        for f in findings
    ]
    run = {
        "tool": {"driver": {"name": "docfetch", "version": __version__, "rules": rules}},
        "originalUriBaseIds": {SRCROOT: {"uri": base.as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(findings: Sequence[Finding], cwd: Path | None = None) -> str:
    """SARIF 2.1.0 (for code scanning): columns count code points (``columnKind``)."""
    import json

    return json.dumps(sarif_log(findings, cwd), indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding], cwd: Path | None = None) -> str:
    """GitHub Actions workflow commands: ``::error file=PATH,line=L,col=C,title=CODE::MESSAGE``."""
    lines = []
    for f in findings:
        command = "error" if f.severity == ERROR else "warning"
        properties = ",".join(
            f"{key}={_escape_property(value)}"
            for key, value in (
                ("file", display_path(f.path, cwd)),
                ("line", str(f.line)),
                ("col", str(f.column)),
                ("title", f.code),
            )
        )
        lines.append(f"::{command} {properties}::{_escape_data(f.message)}\n")
    return "".join(lines)


Renderer = Callable[[Sequence[Finding], "Path | None"], str]
#: Every output format by name.
RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
}


def render(fmt: str, findings: Sequence[Finding], cwd: Path | None = None) -> str:
    """Findings in the format named ``fmt`` (``text``, ``json``, ``sarif``, ``github``); ``KeyError`` for others."""
    return RENDERERS[fmt](findings, cwd)
