"""The plugin author kit works for a third party: CONTRIBUTING.md's walk-through, followed literally.

The files of the walk-through are taken from CONTRIBUTING.md itself (its ``title="..."`` code
blocks), written into ``tmp_path``, made importable as an installed distribution (a .dist-info
with the entry points its own pyproject.toml declares, on ``PYTHONPATH``), then exercised through
the installed ``docfetch`` and the docfetch.testing fake web, and its own tests are run with pytest.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import ClassVar

import pytest

from docfetch import PLUGIN_API, __version__
from tests.helpers import fake_install

ROOT = Path(__file__).resolve().parents[1]
HOST = "docs.example.org"
_BLOCK = re.compile(r'^```\w+ title="(?P<path>[^"]+)"\n(?P<body>.*?)^```$', re.MULTILINE | re.DOTALL)


def walkthrough_files() -> dict[str, str]:
    """Every titled code block of CONTRIBUTING.md: relative path -> content."""
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    return {m.group("path"): m.group("body") for m in _BLOCK.finditer(text)}


@pytest.fixture
def plugin(tmp_path):
    """The walk-through's package, written out and fake-installed; ``.env`` for run_docfetch."""
    for relative, content in walkthrough_files().items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    project_dir = tmp_path / "docfetch-example"
    project = tomllib.loads((project_dir / "pyproject.toml").read_text())["project"]
    site = tmp_path / "site"
    fake_install(site, project["name"], project["version"], project["entry-points"]["docfetch.v1"])

    class Plugin:
        root = project_dir
        meta = project
        env: ClassVar[dict[str, str]] = {"PYTHONPATH": f"{site}:{project_dir}"}

    return Plugin


def test_walkthrough_has_every_file():
    assert set(walkthrough_files()) == {
        "docfetch-example/pyproject.toml",
        "docfetch-example/README.md",
        "docfetch-example/docfetch_example.py",
        "docfetch-example/tests/test_example.py",
    }


def test_packaging_metadata_follows_the_conventions(plugin):
    meta = plugin.meta
    group = f"docfetch.v{PLUGIN_API}"
    assert meta["name"] == "docfetch-example" and meta["entry-points"][group] == {"example": "docfetch_example"}
    assert "docfetch>=0.2" in meta["dependencies"]
    assert tuple(map(int, __version__.split(".")[:2])) >= (0, 2), "the walk-through's bound no longer admits docfetch"
    assert meta["optional-dependencies"]["test"] == ["docfetch[testing]"]
    pytest_config = tomllib.loads((plugin.root / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert pytest_config["addopts"] == "-p docfetch.testing.pytest_plugin"  # the kit is opt-in


def test_fetch_exact_bytes_through_the_fake_web(plugin, fake_web, run_docfetch, tmp_path):
    text = b"\xef\xbb\xbfSpec 7 \xe2\x80\x94 UTF-8\r\n\x0cno final newline"
    page = b"<!DOCTYPE html>\n<html><body>Spec 7</body></html>\n"
    fake_web.add_file(HOST, "/spec/7.txt", text)
    fake_web.add_file(HOST, "/spec/7.html", page)
    result = run_docfetch("spec:7", env_extra=plugin.env)
    assert (result.returncode, result.stdout, result.stderr) == (0, text, b"")
    out = tmp_path / "7.html"
    assert run_docfetch("-f", "html", "-o", str(out), "spec:7", env_extra=plugin.env).returncode == 0
    assert out.read_bytes() == page
    assert fake_web.count(HOST, "/spec/7.txt", scheme="https") == 1


def test_not_found_and_refused(plugin, fake_web, run_docfetch):
    fake_web.host(HOST)
    missing = run_docfetch("spec:8", env_extra=plugin.env)
    assert missing.returncode == 3 and missing.stdout == b"" and b"spec:8 not found" in missing.stderr
    fake_web.add_file(HOST, "/spec/9.txt", b"Spec 9\n")
    fake_web.fault(HOST, "/spec/9.txt", html_instead=True)
    assert run_docfetch("spec:9", env_extra=plugin.env).returncode == 5


def test_retries_a_failing_server(plugin, fake_web, run_docfetch):
    fake_web.add_file(HOST, "/spec/10.txt", b"Spec 10\n")
    fake_web.fault(HOST, "/spec/10.txt", statuses=[503, 200], retry_after=0)
    result = run_docfetch("spec:10", env_extra=plugin.env)
    assert (result.returncode, result.stdout) == (0, b"Spec 10\n"), result.stderr
    assert fake_web.count(HOST, "/spec/10.txt") == 2


def test_local_copy_setting_a_path_location(plugin, fake_web, run_docfetch, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "11.txt").write_bytes(b"local Spec 11\n")
    fake_web.add_file(HOST, "/spec/12.txt", b"web Spec 12\n")
    config = tmp_path / "config.toml"
    config.write_text(f"[sources.example]\ndir = {json.dumps(str(copy))}\n")
    env = {**plugin.env, "DOCFETCH_CONFIG": str(config)}
    assert run_docfetch("spec:11", env_extra=env).stdout == b"local Spec 11\n"
    assert fake_web.count(HOST) == 0
    assert run_docfetch("spec:12", env_extra=env).stdout == b"web Spec 12\n"  # not in the copy: the web

    config.write_text('[sources.example]\ndir = "/nonexistent/docfetch-example"\n')
    unusable = run_docfetch("-s", "example", "spec:13", env_extra=env)
    assert unusable.returncode == 2 and b"is not a directory" in unusable.stderr


def test_listed_by_sources(plugin, run_docfetch):
    listing = json.loads(run_docfetch("sources", "--json", env_extra=plugin.env).stdout)
    [source] = [s for s in listing["sources"] if s["name"] == "example"]
    assert (source["distribution"], source["version"], source["plugin"]) == ("docfetch-example", "0.1.0", "example")
    assert source["schemes"] == ["spec"] and source["default_for"] == ["spec"] and source["status"] == "ok"
    [record] = [p for p in listing["plugins"] if p["name"] == "example"]
    assert record["status"] == "ok" and record["sources"] == ["example"]


def test_command(plugin, run_docfetch):
    result = run_docfetch("example", "url", "42", "-f", "html", env_extra=plugin.env)
    assert (result.returncode, result.stdout) == (0, b"https://docs.example.org/spec/42.html\n"), result.stderr


def test_switches(plugin, fake_web, run_docfetch):
    fake_web.add_file(HOST, "/spec/42.txt", b"Spec 42\n")
    disabled = run_docfetch("spec:42", env_extra={**plugin.env, "DOCFETCH_DISABLE_PLUGINS": "example"})
    assert disabled.returncode == 2 and b"unknown scheme 'spec'" in disabled.stderr
    off = run_docfetch("-s", "example", "spec:42", env_extra={**plugin.env, "DOCFETCH_NO_PLUGINS": "1"})
    assert off.returncode == 2 and b"plugins are switched off" in off.stderr
    assert fake_web.requests == []


def test_the_walkthrough_tests_pass(plugin, docfetch_env):
    """The author's own tests, run the way the walk-through says: pytest in the project directory."""
    env = {**docfetch_env, **plugin.env}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=plugin.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"\b2 passed\b", result.stdout), result.stdout[-1000:]
