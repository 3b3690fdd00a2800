"""The ``mirror`` source: local directories and HTTP bases in the rsync layout, tried in order.

End-to-end through the installed ``docfetch`` (real local servers, a proxy, a private CA), plus
a few direct checks of how the mirror list is read and turned into locations.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from docfetch_mirror import MirrorSource, configured_mirrors, mirror_location

from docfetch import RFC_INDEX, Reference

EDITOR = "www.rfc-editor.org"
DEAD_PROXY = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
DEAD_MIRROR = "http://127.0.0.1:9/rfcs/"


class _Context:
    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.offline = False

    def read(self, location, *, max_size=0):  # pragma: no cover - never called by this source
        raise AssertionError("the mirror source reads nothing itself")

    def note(self, message: str) -> None:  # pragma: no cover
        pass


def tree(path: Path, files: dict[str, bytes]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (path / name).write_bytes(body)
    return path


# -- the mirror list and locations ------------------------------------------------------------


def test_environment_wins_over_the_config_file(monkeypatch):
    monkeypatch.setenv("DOCFETCH_MIRRORS", " /a , https://m.example/rfcs/ ,, ")
    assert configured_mirrors({"urls": ["/ignored"]}) == ["/a", "https://m.example/rfcs/"]
    monkeypatch.setenv("DOCFETCH_MIRRORS", "  ")
    assert configured_mirrors({"urls": ["/srv/rfcs", " ", "https://m.example/"]}) == ["/srv/rfcs", "https://m.example/"]
    assert configured_mirrors({"urls": "/x,/y"}) == ["/x", "/y"]
    monkeypatch.delenv("DOCFETCH_MIRRORS")
    assert configured_mirrors({}) == [] and configured_mirrors(None) == []


def test_locations_in_the_rsync_layout(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("DOCFETCH_MIRRORS", raising=False)
    assert mirror_location("https://m.example/rfcs", "rfc791.txt") == "https://m.example/rfcs/rfc791.txt"
    assert mirror_location("http://m.example/rfcs/", "rfc-index.xml") == "http://m.example/rfcs/rfc-index.xml"
    assert mirror_location("file:///srv/rfcs", "rfc1.txt") == Path("/srv/rfcs/rfc1.txt")
    assert mirror_location("~/rfcs", "rfc1.txt") == tmp_path / "rfcs" / "rfc1.txt"
    source = MirrorSource(_Context({"urls": ["/one", "https://two.example/x/"]}))
    assert source.locate(Reference("rfc", "791"), "pdf") == [
        Path("/one/rfc791.pdf"),
        "https://two.example/x/rfc791.pdf",
    ]
    assert source.locate(RFC_INDEX, "xml") == [Path("/one/rfc-index.xml"), "https://two.example/x/rfc-index.xml"]
    assert source.locate(RFC_INDEX, "txt") == []
    assert source.locate(Reference("draft", "draft-foo", "01"), "txt") == []
    assert source.unavailable() is None
    assert "no mirror configured" in MirrorSource(_Context({})).unavailable()


def _imported(code: str) -> set[str]:
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, check=True)
    lines = result.stderr.decode().splitlines()
    return {line.rsplit("|", 1)[1].strip().split(".")[0] for line in lines if line.startswith("import time:")}


def test_loading_the_plugin_is_cheap():
    # the source is loaded for every mirror fetch: no command line, network stack or progress bar
    assert not _imported("import docfetch_mirror") & {"typer", "rich", "requests", "filelock", "urllib3"}
    # building the command line (any plugin command) costs typer only, which docfetch's CLI has anyway
    commands = _imported("import docfetch_mirror; docfetch_mirror.docfetch_commands()")
    assert "typer" in commands and not commands & {"rich", "requests", "filelock", "urllib3"}


# -- end to end ----------------------------------------------------------------------------------


def test_local_directory_needs_no_network(ietf_world, run_docfetch, fake_web, tmp_path, helpers):
    body = helpers.old_style_text(791)
    ietf_world.add_rfc(791, body)
    mirror = ietf_world.build_mirror(tmp_path / "tree")
    for spelled in (str(mirror), f"file://{mirror}"):
        result = run_docfetch("-s", "mirror", "rfc:791", env_extra={"DOCFETCH_MIRRORS": spelled, **DEAD_PROXY})
        assert result.returncode == 0, result.stderr
        assert result.stdout == body
        run_docfetch("--refresh", "-s", "mirror", "rfc:791", env_extra={"DOCFETCH_MIRRORS": spelled, **DEAD_PROXY})
    home = tmp_path / "home"
    tree(home / "rfcs", {"rfc793.txt": b"RFC 793 from ~/rfcs\n"})
    env = {"HOME": str(home), "DOCFETCH_MIRRORS": "~/rfcs", **DEAD_PROXY}
    assert run_docfetch("-s", "mirror", "rfc:793", env_extra=env).stdout == b"RFC 793 from ~/rfcs\n"
    assert fake_web.requests == []


def test_http_base_and_subseries_from_its_index(sync_world, run_docfetch, fake_web):
    base = sync_world.world.serve_mirror(prefix="/rfcs/")
    fake_web.clear_log()
    env = {"DOCFETCH_MIRRORS": base}
    result = run_docfetch("-s", "mirror", "rfc:10001", env_extra=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == sync_world.files["rfc10001.txt"]
    bcp = run_docfetch("-s", "mirror", "bcp:14", env_extra=env)
    assert bcp.stdout == sync_world.files["rfc2119.txt"] + sync_world.files["rfc8174.txt"]
    assert fake_web.count("127.0.0.1", "/rfcs/rfc-index.xml") == 1
    assert fake_web.count(EDITOR) == 0


def test_dead_mirror_is_skipped(sync_world, run_docfetch, fake_web):
    base = sync_world.world.serve_mirror(prefix="/rfcs/")
    env = {"DOCFETCH_MIRRORS": f"{DEAD_MIRROR},{base}", "NO_PROXY": "127.0.0.1"}  # refused, not a proxy's 502
    result = run_docfetch("--retries", "1", "-s", "mirror", "rfc:791", env_extra=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == sync_world.files["rfc791.txt"]
    assert fake_web.count("127.0.0.1", "/rfcs/rfc791.txt") == 1


def test_all_mirrors_dead_is_a_fetch_failure(run_docfetch):
    env = {"DOCFETCH_MIRRORS": DEAD_MIRROR, "NO_PROXY": "127.0.0.1"}  # straight to the dead port
    result = run_docfetch("--retries", "0", "-s", "mirror", "rfc:791", env_extra=env)
    assert result.returncode == 4 and b"connection refused" in result.stderr and result.stdout == b""


def test_several_mirrors_are_tried_in_order(fake_web, run_docfetch, tmp_path):
    fake_web.host("127.0.0.1")
    fake_web.add_file("127.0.0.1", "/a/rfc791.txt", b"RFC 791 from a\n")
    fake_web.add_file("127.0.0.1", "/b/rfc791.txt", b"RFC 791 from b\n")
    fake_web.add_file("127.0.0.1", "/b/rfc793.txt", b"RFC 793 from b\n")
    a, b = fake_web.local_url("/a/"), fake_web.local_url("/b/")
    empty = tree(tmp_path / "empty", {})

    assert run_docfetch("-s", "mirror", "rfc:791", env_extra={"DOCFETCH_MIRRORS": f"{a},{b}"}).stdout == (
        b"RFC 791 from a\n"
    )
    assert fake_web.count("127.0.0.1", "/b/rfc791.txt") == 0  # found at the first: the second is not asked
    assert run_docfetch("-s", "mirror", "--refresh", "rfc:791", env_extra={"DOCFETCH_MIRRORS": f"{b},{a}"}).stdout == (
        b"RFC 791 from b\n"
    )
    fake_web.clear_log()
    result = run_docfetch("-s", "mirror", "rfc:793", env_extra={"DOCFETCH_MIRRORS": f"{empty},{a},{b}"})
    assert result.stdout == b"RFC 793 from b\n"
    assert fake_web.count("127.0.0.1", "/a/rfc793.txt") == 1 and fake_web.count("127.0.0.1", "/b/rfc793.txt") == 1
    missing = run_docfetch("-s", "mirror", "rfc:9999", env_extra={"DOCFETCH_MIRRORS": f"{a},{b}"})
    assert missing.returncode == 3 and missing.stdout == b""


def test_config_file_urls_and_environment_precedence(run_docfetch, tmp_path):
    one = tree(tmp_path / "one", {"rfc791.txt": b"from one\n"})
    two = tree(tmp_path / "two", {"rfc791.txt": b"from two\n"})
    config = tmp_path / "config.toml"
    config.write_text(f'[sources.mirror]\nurls = ["{tmp_path / "absent"}", "{one}"]\n')
    base = {"DOCFETCH_CONFIG": str(config), **DEAD_PROXY}
    assert run_docfetch("--no-cache", "-s", "mirror", "rfc:791", env_extra=base).stdout == b"from one\n"
    with_env = {**base, "DOCFETCH_MIRRORS": str(two)}
    assert run_docfetch("--no-cache", "-s", "mirror", "rfc:791", env_extra=with_env).stdout == b"from two\n"
    config.write_text(f'[sources.mirror]\nurls = "{two},{one}"\n')
    assert run_docfetch("--no-cache", "-s", "mirror", "rfc:791", env_extra=base).stdout == b"from two\n"
    listing = json.loads(run_docfetch("sources", "--json", env_extra=base).stdout)
    assert {s["name"]: s["status"] for s in listing["sources"]}["mirror"] == "ok"


def test_unconfigured_mirror_is_unavailable(run_docfetch):
    result = run_docfetch("-s", "mirror", "rfc:791")
    assert result.returncode == 2 and b"no mirror configured" in result.stderr
    listing = json.loads(run_docfetch("sources", "--json").stdout)
    mirror = {s["name"]: s for s in listing["sources"]}["mirror"]
    assert mirror["status"] == "unavailable" and "no mirror configured" in mirror["reason"]


@pytest.mark.parametrize("configured", [False, True])
def test_mirror_as_fallback_only_when_configured(sync_world, run_docfetch, fake_web, tmp_path, configured):
    mirror = sync_world.world.build_mirror(tmp_path / "tree")
    fake_web.fault(EDITOR, None, statuses=[503] * 50)  # ietf redirects there too: both fail
    env = {"DOCFETCH_MIRRORS": str(mirror)} if configured else {}
    result = run_docfetch("--retries", "0", "rfc:791", env_extra=env)
    if configured:
        assert result.returncode == 0, result.stderr
        assert result.stdout == sync_world.files["rfc791.txt"]
        assert b"trying mirror" in result.stderr
    else:
        assert result.returncode == 4 and result.stdout == b""
        assert b"mirror" not in result.stderr
