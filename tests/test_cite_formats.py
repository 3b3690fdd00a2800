"""Tests of docfetch.cite.findings and docfetch.cite.formats: text, JSON, SARIF 2.1.0, GitHub commands."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from docfetch._version import __version__
from docfetch.cite.findings import RULES, Finding, count, sort_findings, summary
from docfetch.cite.formats import display_path, render, render_github, render_json, render_sarif, render_text

FINDINGS = [
    Finding.of("misquote", "src/a b.py", 3, 7, "quoted text is in Section 15.5.6, not 15.5.5"),
    Finding.of("obsolete", "docs/x.md", 10, 1, "RFC 2616 is obsoleted by RFC 7230, RFC 7231"),
]


def test_finding_severity_comes_from_the_code() -> None:
    assert [(r.code, r.severity) for r in RULES] == [
        ("unknown-document", "error"),
        ("unknown-section", "error"),
        ("misquote", "error"),
        ("obsolete", "warning"),
        ("errata", "warning"),
    ]
    assert Finding.of("errata", "p", 1, 2, "m") == Finding("p", 1, 2, "warning", "errata", "m")
    assert count(FINDINGS) == (1, 1)
    assert summary(FINDINGS, 12, 3) == "1 error, 1 warning in 12 citations (3 files)"
    assert summary([], 1, 1) == "0 errors, 0 warnings in 1 citation (1 file)"
    assert [f.path for f in sort_findings(FINDINGS)] == ["docs/x.md", "src/a b.py"]


def test_display_path(tmp_path: Path) -> None:
    assert display_path(str(tmp_path / "src" / "a.py"), tmp_path) == "src/a.py"
    assert display_path("src/a.py", tmp_path) == "src/a.py"
    assert display_path("./src/../src/a.py", tmp_path) == "src/a.py"
    assert display_path("/elsewhere/a.py", tmp_path) == "/elsewhere/a.py"
    assert display_path("../a.py", tmp_path) == "../a.py"


def test_text(tmp_path: Path) -> None:
    absolute = [Finding.of("unknown-section", str(tmp_path / "x.c"), 1, 2, "RFC 9110 has no Section 99")]
    assert render_text(absolute, tmp_path) == "x.c:1:2: error: unknown-section: RFC 9110 has no Section 99\n"
    assert render_text(FINDINGS, tmp_path) == (
        "src/a b.py:3:7: error: misquote: quoted text is in Section 15.5.6, not 15.5.5\n"
        "docs/x.md:10:1: warning: obsolete: RFC 2616 is obsoleted by RFC 7230, RFC 7231\n"
    )
    assert render_text([], tmp_path) == ""


def test_json(tmp_path: Path) -> None:
    out = render_json(FINDINGS, tmp_path)
    assert out.endswith("\n")
    data = json.loads(out)
    assert data == [
        {
            "path": "src/a b.py",
            "line": 3,
            "column": 7,
            "code": "misquote",
            "severity": "error",
            "message": "quoted text is in Section 15.5.6, not 15.5.5",
        },
        {
            "path": "docs/x.md",
            "line": 10,
            "column": 1,
            "code": "obsolete",
            "severity": "warning",
            "message": "RFC 2616 is obsoleted by RFC 7230, RFC 7231",
        },
    ]
    assert list(data[0]) == ["path", "line", "column", "code", "severity", "message"]
    assert json.loads(render_json([], tmp_path)) == []


# The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json) that the output uses, with
# their constraints as the schema states them (additionalProperties false, enums, minimums).
_MESSAGE = {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"], "closed": True}
_ARTIFACT_LOCATION = {
    "type": "object",
    "properties": {"uri": {"type": "string", "format": "uri-reference"}, "uriBaseId": {"type": "string"}},
    "closed": True,
}
SARIF_SUBSET: dict[str, Any] = {
    "type": "object",
    "required": ["version", "runs"],
    "closed": True,
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"enum": ["2.1.0"]},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "closed": True,
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "closed": True,
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "closed": True,
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "closed": True,
                                            "properties": {
                                                "id": {"type": "string"},
                                                "name": {"type": "string"},
                                                "shortDescription": _MESSAGE,
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "closed": True,
                                                    "properties": {
                                                        "level": {"enum": ["none", "note", "warning", "error"]}
                                                    },
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "originalUriBaseIds": {"type": "object", "values": _ARTIFACT_LOCATION},
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message"],
                            "closed": True,
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": -1},
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": _MESSAGE,
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "closed": True,
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "closed": True,
                                                "properties": {
                                                    "artifactLocation": _ARTIFACT_LOCATION,
                                                    "region": {
                                                        "type": "object",
                                                        "closed": True,
                                                        "properties": {
                                                            "startLine": {"type": "integer", "minimum": 1},
                                                            "startColumn": {"type": "integer", "minimum": 1},
                                                        },
                                                    },
                                                },
                                            }
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}
_TYPES = {"object": dict, "array": list, "string": str, "integer": int}
_URI_REFERENCE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:" + _URI_REFERENCE.pattern)


def validate(value: Any, schema: dict[str, Any], where: str = "$") -> None:
    """A validator for the few JSON Schema keywords the subset uses ("closed" is additionalProperties: false)."""
    if "enum" in schema:
        assert value in schema["enum"], where
    if "type" in schema:
        assert isinstance(value, _TYPES[schema["type"]]) and not isinstance(value, bool), where
    if "minimum" in schema:
        assert value >= schema["minimum"], where
    if schema.get("format") == "uri-reference":
        assert _URI_REFERENCE.fullmatch(value), where
    if schema.get("format") == "uri":
        assert _URI.fullmatch(value), where
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            assert name in value, f"{where}.{name} missing"
        for name, item in value.items():
            if name in properties:
                validate(item, properties[name], f"{where}.{name}")
            elif "values" in schema:
                validate(item, schema["values"], f"{where}.{name}")
            else:
                assert not schema.get("closed"), f"{where}.{name} is not allowed"
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            validate(item, schema["items"], f"{where}[{index}]")


def test_validator_catches_mistakes() -> None:
    with pytest.raises(AssertionError):
        validate({"version": "2.1.0", "runs": [], "extra": 1}, SARIF_SUBSET)
    with pytest.raises(AssertionError):
        validate({"version": "2.0.0", "runs": []}, SARIF_SUBSET)
    with pytest.raises(AssertionError):
        validate({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{}]}]}, SARIF_SUBSET)


def test_sarif(tmp_path: Path) -> None:
    findings = [*FINDINGS, Finding.of("errata", "/elsewhere/odd:name.txt", 2, 5, "has verified erratum 1")]
    log = json.loads(render_sarif(findings, tmp_path))
    validate(log, SARIF_SUBSET)
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("docfetch", __version__)
    assert [(r["id"], r["defaultConfiguration"]["level"]) for r in driver["rules"]] == [
        ("unknown-document", "error"),
        ("unknown-section", "error"),
        ("misquote", "error"),
        ("obsolete", "warning"),
        ("errata", "warning"),
    ]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}}
    results = run["results"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"], r["message"]["text"]) for r in results] == [
        ("misquote", 2, "error", "quoted text is in Section 15.5.6, not 15.5.5"),
        ("obsolete", 3, "warning", "RFC 2616 is obsoleted by RFC 7230, RFC 7231"),
        ("errata", 4, "warning", "has verified erratum 1"),
    ]
    locations = [r["locations"][0]["physicalLocation"] for r in results]
    assert locations[0] == {
        "artifactLocation": {"uri": "src/a%20b.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 7},
    }
    assert locations[1]["artifactLocation"] == {"uri": "docs/x.md", "uriBaseId": "%SRCROOT%"}
    assert locations[2]["artifactLocation"] == {"uri": "file:///elsewhere/odd%3Aname.txt"}
    empty = json.loads(render_sarif([], tmp_path))
    validate(empty, SARIF_SUBSET)
    assert empty["runs"][0]["results"] == []


def test_sarif_relative_uri_with_a_colon_is_encoded(tmp_path: Path) -> None:
    log = json.loads(render_sarif([Finding.of("misquote", "c:d.txt", 1, 1, "m")], tmp_path))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "c%3Ad.txt"  # "c:d.txt" would read as a URI with scheme "c"


def test_github(tmp_path: Path) -> None:
    findings = [
        *FINDINGS,
        Finding.of("errata", "dir,x/a:b.md", 4, 2, "100% sure\r\nnext: line, more"),
    ]
    assert render_github(findings, tmp_path) == (
        "::error file=src/a b.py,line=3,col=7,title=misquote::quoted text is in Section 15.5.6, not 15.5.5\n"
        "::warning file=docs/x.md,line=10,col=1,title=obsolete::RFC 2616 is obsoleted by RFC 7230, RFC 7231\n"
        "::warning file=dir%2Cx/a%3Ab.md,line=4,col=2,title=errata::100%25 sure%0D%0Anext: line, more\n"
    )
    assert render_github([], tmp_path) == ""


def test_render_by_name(tmp_path: Path) -> None:
    assert render("text", FINDINGS, tmp_path) == render_text(FINDINGS, tmp_path)
    assert render("github", FINDINGS, tmp_path) == render_github(FINDINGS, tmp_path)
    with pytest.raises(KeyError):
        render("xml", FINDINGS, tmp_path)
