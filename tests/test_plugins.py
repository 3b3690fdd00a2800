"""The plugin host: discovery through entry points, isolation of broken plugins, switches.

Plugins here are real installed distributions (a .dist-info on PYTHONPATH), run through the
installed ``docfetch`` command, exactly as a user would meet them.
"""

import json

import pytest

from tests.helpers import FIXTURES, clean_env, fake_install, old_style_rfc, run_cli


@pytest.fixture
def site(tmp_path):
    """A directory of fake installs; ``env(...)`` puts it and the fixture plugins on the path."""
    root = tmp_path / "site"
    root.mkdir()
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "rfc791.txt").write_bytes(old_style_rfc(791, final_newline=False))

    class Site:
        path = root
        document = (mirror / "rfc791.txt").read_bytes()

        def install(self, dist, **eps):
            fake_install(root, dist, "0.1", {name.replace("_", "-"): target for name, target in eps.items()})

        def env(self, **extra):
            return clean_env(
                tmp_path, PYTHONPATH=f"{root}:{FIXTURES / 'plugins'}", DOCFETCH_MIRRORS=str(mirror), **extra
            )

    return Site()


def test_import_error_plugin_does_not_take_docfetch_down(site, tmp_path):
    site.install("docfetch-broken-import", broken_import="docfetch_broken_import")
    site.install("docfetch-localdir", localdir="docfetch_localdir")
    # --source mirror loads only the mirror plugin: the broken one is never even imported
    result = run_cli("--source", "mirror", "rfc:791", env=site.env())
    assert result.returncode == 0, result.stderr
    assert result.stdout == site.document and result.stderr == b""
    # a scheme no loaded source serves loads every plugin: the broken one is reported once
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_bytes(b"note a\n")
    result = run_cli("note:a", env=site.env(LOCALDIR_ROOT=str(tmp_path / "notes")))
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"note a\n"
    warnings = [line for line in result.stderr.decode().splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert "'broken-import'" in warnings[0] and "docfetch-broken-import" in warnings[0]
    assert "ModuleNotFoundError" in warnings[0] and "Traceback" not in result.stderr.decode()


def test_broken_plugins_listed_as_broken(site):
    site.install("docfetch-broken-import", broken_import="docfetch_broken_import")
    site.install("docfetch-broken-hook", broken_hook="docfetch_broken_hook")
    site.install("docfetch-bogus", bogus="docfetch_bogus_return")
    result = run_cli("sources", "--json", env=site.env())
    assert result.returncode == 0, result.stderr
    plugins = {p["name"]: p for p in json.loads(result.stdout)["plugins"]}
    assert plugins["broken-import"]["status"] == "broken"
    assert (
        plugins["broken-hook"]["status"] == "broken" and "boom in docfetch_sources" in plugins["broken-hook"]["reason"]
    )
    assert plugins["bogus"]["status"] == "broken" and "invalid source" in plugins["bogus"]["reason"]
    assert plugins["mirror"]["status"] == "ok"
    text = run_cli("sources", env=site.env())
    assert b"broken-hook" in text.stdout and b"broken" in text.stdout


def test_source_of_broken_plugin_is_a_clear_usage_error(site):
    site.install("docfetch-broken-import", broken_import="docfetch_broken_import")
    result = run_cli("--source", "broken-import", "rfc:791", env=site.env())
    assert result.returncode == 2
    assert result.stdout == b""
    assert b"error: source 'broken-import' is unavailable" in result.stderr
    assert b"Traceback" not in result.stderr


def test_strict_mode_raises_with_traceback(site):
    site.install("docfetch-broken-hook", broken_hook="docfetch_broken_hook")
    result = run_cli("sources", env=site.env(DOCFETCH_STRICT_PLUGINS="1"))
    assert result.returncode != 0
    assert b"Traceback" in result.stderr and b"boom in docfetch_sources" in result.stderr


def test_source_bug_falls_back_to_the_next_source(site):
    site.install("docfetch-broken-source", broken_source="docfetch_broken_source")
    env = site.env(DOCFETCH_DEFAULT_SOURCES="rfc=exploding")
    result = run_cli("rfc:791", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == site.document
    assert b"ZeroDivisionError" in result.stderr and b"trying" in result.stderr


def test_third_party_scheme_and_non_http_source(site, tmp_path):
    site.install("docfetch-localdir", localdir="docfetch_localdir")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "hello.txt").write_bytes(b"hello\r\nworld\x0c")
    result = run_cli("note:hello", env=site.env(LOCALDIR_ROOT=str(notes)))
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"hello\r\nworld\x0c"
    missing = run_cli("note:absent", env=site.env(LOCALDIR_ROOT=str(notes)))
    assert missing.returncode == 3 and b"not found" in missing.stderr


def test_unknown_scheme_without_plugin_is_usage_error(site):
    result = run_cli("note:hello", env=site.env())
    assert result.returncode == 2 and b"unknown scheme 'note'" in result.stderr


def test_plugin_commands_and_their_absence_when_broken(site, tmp_path):
    site.install("docfetch-localdir", localdir="docfetch_localdir")
    site.install("docfetch-broken-import", broken_import="docfetch_broken_import")
    (tmp_path / "n").mkdir()
    (tmp_path / "n" / "a.txt").write_text("a")
    result = run_cli("notes", "count", env=site.env(LOCALDIR_ROOT=str(tmp_path / "n")))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == b"1"
    assert b"broken-import" in result.stderr  # reported, not fatal


def test_no_plugins_switch(site):
    result = run_cli("--source", "mirror", "rfc:791", env=site.env(DOCFETCH_NO_PLUGINS="1"))
    assert result.returncode == 2 and b"plugins are switched off" in result.stderr
    listing = json.loads(run_cli("sources", "--json", env=site.env(DOCFETCH_NO_PLUGINS="1")).stdout)
    assert [s["name"] for s in listing["sources"]] == ["ietf"]


def test_disable_plugins_switch(site):
    env = site.env(DOCFETCH_DISABLE_PLUGINS="mirror,rfc-editor")
    result = run_cli("--source", "mirror", "rfc:791", env=env)
    assert result.returncode == 2 and b"switched off" in result.stderr and b"DOCFETCH_DISABLE_PLUGINS" in result.stderr
    plugins = {p["name"]: p for p in json.loads(run_cli("sources", "--json", env=env).stdout)["plugins"]}
    assert plugins["mirror"]["status"] == "disabled" and plugins["rfc-editor"]["status"] == "disabled"


def test_plugins_built_for_another_api_version_are_named_not_imported(site, tmp_path):
    # An unversioned plugin of docfetch 0.1 (group "docfetch") and one for a future API (group
    # "docfetch.v2"): both recognised from their metadata, neither imported (the module would fail).
    fake_install(site.path, "docfetch-old", "0.1.0", {"old": "docfetch_broken_import"}, group="docfetch")
    fake_install(site.path, "docfetch-future", "3.0.0", {"future": "docfetch_broken_import"}, group="docfetch.v2")
    listing = run_cli("sources", "--json", env=site.env())
    assert listing.returncode == 0 and listing.stderr == b""  # not imported: no import error reported
    records = {p["name"]: p for p in json.loads(listing.stdout)["plugins"]}
    assert records["old"]["status"] == records["future"]["status"] == "incompatible"
    assert "docfetch 0.1 (before plugin API versions)" in records["old"]["reason"]
    assert records["old"]["reason"].endswith("upgrade docfetch-old")
    assert "plugin API v2" in records["future"]["reason"] and records["future"]["reason"].endswith("upgrade docfetch")
    human = run_cli("sources", env=site.env()).stdout.decode()
    assert "plugin future (docfetch-future 3.0.0): incompatible: is built for plugin API v2" in human
    asked = run_cli("-s", "future", "rfc:791", env=site.env())
    assert asked.returncode == 2 and asked.stdout == b""
    [line] = asked.stderr.decode().splitlines()
    assert line.startswith("docfetch: error: source 'future' is unavailable: plugin 'future' (docfetch-future)")
    assert "provides plugin API v1 (entry-point group 'docfetch.v1'): upgrade docfetch" in line
