"""The command line's own surface: --version, --help with exit codes, shell completion."""

import re

from docfetch._version import __version__
from tests.helpers import clean_env, run_cli


def test_version(tmp_path):
    for flag in ("--version", "-V"):
        result = run_cli(flag, env=clean_env(tmp_path))
        assert (result.returncode, result.stdout) == (0, f"docfetch {__version__}\n".encode())


def test_help_documents_exit_codes(tmp_path):
    for args in (["--help"], ["fetch", "--help"]):
        text = run_cli(*args, env=clean_env(tmp_path)).stdout.decode()
        flat = " ".join(text.split())
        for code in (
            "0 ok",
            "2 usage error",
            "3 not found",
            "4 could not fetch",
            "5 refused content",
            "130 interrupted",
        ):
            assert code in flat, (args, code)
    fetch_help = run_cli("fetch", "--help", env=clean_env(tmp_path)).stdout.decode()
    for option in ("--source", "--format", "--output", "--output-dir", "--jobs", "--offline", "--max-size"):
        assert option in fetch_help


def test_no_arguments_shows_help(tmp_path):
    result = run_cli(env=clean_env(tmp_path))
    assert b"Usage" in result.stdout + result.stderr and result.returncode in (0, 2)


def complete(tmp_path, words, cword):
    env = clean_env(tmp_path, COMP_WORDS=words, COMP_CWORD=str(cword), _DOCFETCH_COMPLETE="complete_bash")
    return run_cli(env=env).stdout.decode().split()


def test_shell_completion_of_commands_sources_and_formats(tmp_path):
    assert "sources" in complete(tmp_path, "docfetch so", 1)
    assert set(complete(tmp_path, "docfetch rfc:1 --source ", 3)) >= {"ietf", "rfc-editor", "mirror"}
    assert complete(tmp_path, "docfetch -s rfc", 2) == ["rfc-editor"]
    assert complete(tmp_path, "docfetch rfc:1 --format p", 3) == ["pdf"]


def test_show_completion_script(tmp_path):
    result = run_cli("--show-completion", "bash", env=clean_env(tmp_path, SHELL="/bin/bash"))
    assert result.returncode == 0 and re.search(rb"_docfetch_completion", result.stdout)


def test_unknown_option_is_usage_error_without_traceback(tmp_path):
    result = run_cli("rfc:791", "--bogus", env=clean_env(tmp_path))
    assert result.returncode == 2 and b"Traceback" not in result.stderr and b"--bogus" in result.stderr
