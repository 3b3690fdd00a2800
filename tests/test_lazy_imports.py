"""Start-up stays cheap: paths that do not need requests, rich, typer or plugins never import them."""

import subprocess
import sys

import pytest

from tests.helpers import FIXTURES, clean_env, fake_install, old_style_rfc

HEAVY = ("requests", "urllib3", "rich", "pydantic")
PLUGIN_MODULES = ("docfetch_mirror", "docfetch_rfc_editor", "docfetch_iana", "docfetch_localdir")


def imported_modules(code: str, env: dict[str, str]) -> set[str]:
    """Top-level names of every module Python imported while running ``code``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], env=env, capture_output=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    names = set()
    for line in result.stderr.decode().splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


@pytest.fixture
def env(tmp_path):
    site = tmp_path / "site"
    fake_install(site, "docfetch-localdir", "0.1", {"localdir": "docfetch_localdir"})
    return clean_env(tmp_path, PYTHONPATH=f"{site}:{FIXTURES / 'plugins'}")


def _top(names):
    return {n.split(".")[0] for n in names}


def test_import_cli_is_light(env):
    top = _top(imported_modules("import docfetch.cli.typer_app", env))
    assert not top & set(HEAVY), top & set(HEAVY)
    assert not top & set(PLUGIN_MODULES)
    assert "pluggy" not in top


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["fetch", "--help"]])
def test_version_and_help_load_no_network_code(env, argv):
    # --help lists the commands plugins add, so it loads plugins (not their network stack);
    # --version loads nothing but the version.
    # typer 0.29 validates option values with pydantic, so help may load it: help is typer's job.
    code = f"import sys\nfrom docfetch.__main__ import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    top = _top(imported_modules(code, env))
    assert not top & {"requests", "urllib3", "rich"}
    if argv == ["--version"]:
        assert "pydantic" not in top
        assert "typer" not in top and "pluggy" not in top
        assert not top & set(PLUGIN_MODULES)


def test_cached_fetch_imports_no_network_stack(env, tmp_path):
    cached = tmp_path / "cache" / "docs" / "rfc" / "rfc791.txt"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(old_style_rfc(791))
    code = "import sys\nfrom docfetch.__main__ import main\nsys.exit(main(['rfc:791']))"
    top = _top(imported_modules(code, env))
    assert not top & {"requests", "urllib3", "typer", "pluggy", "rich", "platformdirs"}, top


def test_builtin_fetch_imports_no_third_party_plugin(env, tmp_path):
    # ietf fetch with the network unreachable: the plugin host must not import other plugins
    # unless it falls back, and here fallbacks are switched off by an explicit --source.
    code = (
        "import sys\nfrom docfetch.__main__ import main\n"
        "sys.exit(0 if main(['--source', 'ietf', '--offline', 'rfc:791']) == 3 else 1)"
    )
    top = _top(imported_modules(code, env))
    assert not top & set(PLUGIN_MODULES), top & set(PLUGIN_MODULES)


def test_successful_network_fetch_loads_no_plugin(ietf_world, docfetch_env, tmp_path):
    # A first fetch from the default source that succeeds must not import (or even list) the
    # installed plugins: they are fallbacks, loaded only once the default source has failed.
    ietf_world.add_rfc(791, old_style_rfc(791))
    site = tmp_path / "site"
    fake_install(site, "docfetch-localdir", "0.1", {"localdir": "docfetch_localdir"})
    fake_install(site, "docfetch-broken-import", "0.1", {"broken-import": "docfetch_broken_import"})
    env = dict(docfetch_env, PYTHONPATH=f"{site}:{FIXTURES / 'plugins'}")
    code = "import sys\nfrom docfetch.__main__ import main\nsys.exit(main(['--no-pager', 'rfc:791']))"
    top = _top(imported_modules(code, env))
    assert "requests" in top  # it did go to the network
    assert not top & set(PLUGIN_MODULES), top & set(PLUGIN_MODULES)
    assert "docfetch_broken_import" not in top
    assert "filelock" not in top  # the cache lock is one flock(2) call on POSIX
    assert not top & {"typer", "pydantic", "rich"}  # built-in commands run without typer


def test_builtin_commands_run_without_typer(env):
    for argv in (["cache", "path"], ["info", "--offline", "rfc:1"], ["search", "--offline", "x"]):
        code = f"import sys\nfrom docfetch.__main__ import main\nmain({argv!r})"
        top = _top(imported_modules(code, env))
        assert not top & {"typer", "pydantic", "requests", "rich"}, (argv, top & {"typer", "pydantic"})
