"""Settings precedence (defaults < file < environment < flags) and the cache location."""

import sys

import pytest

from docfetch.config import apply_flags, cache_dir, load_settings, parse_size
from docfetch.errors import UsageError


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("DOCFETCH_CONFIG", str(path))
    for name in ("DOCFETCH_TIMEOUT", "DOCFETCH_RETRIES", "DOCFETCH_MAX_SIZE", "DOCFETCH_DEFAULT_SOURCES"):
        monkeypatch.delenv(name, raising=False)
    return path


def test_file_then_environment_then_flags(config_file, monkeypatch):
    config_file.write_text('[network]\ntimeout = 7\nretries = 1\nmax_size = "1M"\n[defaults]\nrfc = "mirror"\n')
    settings = load_settings()
    assert (settings.timeout, settings.retries, settings.max_size) == (7.0, 1, 1024**2)
    assert settings.defaults == {"rfc": "mirror"}
    monkeypatch.setenv("DOCFETCH_TIMEOUT", "3")
    monkeypatch.setenv("DOCFETCH_DEFAULT_SOURCES", "rfc=rfc-editor, draft=ietf")
    settings = load_settings()
    assert settings.timeout == 3.0 and settings.defaults == {"rfc": "rfc-editor", "draft": "ietf"}
    settings = apply_flags(settings, timeout=1.5, retries=0, max_size="2K")
    assert (settings.timeout, settings.retries, settings.max_size) == (1.5, 0, 2048)


def test_source_sections_reach_their_source(config_file):
    config_file.write_text('[sources.mirror]\nurls = ["/srv/rfcs", "https://m.example/"]\n')
    assert load_settings().source_settings("mirror") == {"urls": ["/srv/rfcs", "https://m.example/"]}
    assert load_settings().source_settings("other") == {}


@pytest.mark.parametrize(
    "content", ["[network\n", "[network]\ntimeout = -1\n", "[network]\nretries = 'x'\n", "defaults = 3\n"]
)
def test_bad_config_is_a_one_line_usage_error(config_file, content):
    config_file.write_text(content)
    with pytest.raises(UsageError) as caught:
        load_settings()
    assert str(config_file) in caught.value.message


def test_sizes():
    assert parse_size("64M") == 64 * 1024**2
    assert parse_size("10k") == 10240 and parse_size("1GiB") == 1024**3 and parse_size("512") == 512
    for bad in ("", "M", "-1", "1T", "0"):
        with pytest.raises(UsageError):
            parse_size(bad)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG shortcut is Linux-only")
@pytest.mark.parametrize("xdg", [None, "", "/tmp/xdg-cache-test"])
def test_cache_dir_matches_platformdirs(monkeypatch, xdg):
    import platformdirs

    monkeypatch.delenv("DOCFETCH_CACHE_DIR", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache_dir() == platformdirs.user_cache_path("docfetch")
