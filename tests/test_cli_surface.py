"""What a new user meets first: help, natural references, suggestions, one error style, binary output.

Everything runs the installed ``docfetch``; fetches go to the kit's local IETF world through its
proxy, with the real default URLs.
"""

from __future__ import annotations

import re

import pytest

from docfetch.cli import spec
from tests.helpers import clean_env, old_style_rfc, run_cli, run_on_pty

IETF, EDITOR = "www.ietf.org", "www.rfc-editor.org"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n\x00\xff\x00binary"


@pytest.fixture
def world(ietf_world):
    ietf_world.add_rfc(791, old_style_rfc(791, final_newline=False))
    ietf_world.add_rfc(9110, old_style_rfc(9110))
    ietf_world.add_rfc(9114, PDF, fmt="pdf")
    return ietf_world


def lines(result) -> list[str]:
    return result.stderr.decode().splitlines()


# -- help ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["help"]])
def test_help_shows_fetch_usage_options_commands_and_exit_codes(tmp_path, args):
    result = run_cli(*args, env=clean_env(tmp_path))
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert text.startswith("Usage: docfetch [OPTIONS] REFERENCE...")
    for opt in spec.FETCH.options:  # every fetch option, as declared
        assert all(flag in text for flag in opt.flags), opt.flags
    for command in ("info", "search", "cache", "sources", "help", "mirror"):  # mirror: a plugin's command
        assert re.search(rf"^  {command}\s", text, re.MULTILINE), command
    flat = " ".join(text.split())
    for code, meaning in spec.EXIT_CODES:
        assert f"{code} {' '.join(meaning.split())}" in flat
    assert "docfetch rfc:791" in text  # examples


def test_help_for_one_command(tmp_path):
    env = clean_env(tmp_path)
    for args in (["help", "search"], ["search", "--help"]):
        result = run_cli(*args, env=env)
        assert result.returncode == 0 and result.stdout.startswith(b"Usage: docfetch search")
        assert b"--status" in result.stdout and b"--limit" in result.stdout
    plugin = run_cli("help", "mirror", env=env)
    assert plugin.returncode == 0 and b"sync" in plugin.stdout
    unknown = run_cli("help", "serch", env=env)
    assert unknown.returncode == 2 and lines(unknown) == [
        "docfetch: error: no help for 'serch': not a command",
        "docfetch: hint: did you mean 'search'?",
    ]


# -- natural forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["791"],
        ["rfc-791"],
        ["RFC", "791"],
        ["rfc", "0791"],
        ["rfc791.txt"],
        ["RFC 791"],
        ["https://www.rfc-editor.org/rfc/rfc791.html"],
        ["https://www.rfc-editor.org/rfc/rfc791.txt"],
        ["https://datatracker.ietf.org/doc/html/rfc791"],
        ["https://tools.ietf.org/html/rfc791"],
        ["https://www.ietf.org/rfc/rfc791.txt"],
        ["www.rfc-editor.org/info/rfc791"],
    ],
)
def test_natural_forms_name_rfc_791(world, run_docfetch, args):
    result = run_docfetch(*args)
    assert (result.returncode, result.stdout, result.stderr) == (0, world.docs.rfcs[791]["txt"], b"")


def test_two_words_then_more_references_keep_their_order(world, run_docfetch):
    result = run_docfetch("RFC", "9110", "rfc", "791")
    assert result.returncode == 0, result.stderr
    assert result.stdout == world.docs.rfcs[9110]["txt"] + world.docs.rfcs[791]["txt"]


# -- suggestions and one error style ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["serach", "x"], ["docfetch: error: unknown command 'serach'", "docfetch: hint: did you mean 'search'?"]),
        (["sourcs"], ["docfetch: error: unknown command 'sourcs'", "docfetch: hint: did you mean 'sources'?"]),
        (["mirorr", "sync"], ["docfetch: error: unknown command 'mirorr'", "docfetch: hint: did you mean 'mirror'?"]),
        (["cache", "clera"], ["docfetch: error: unknown command 'cache clera'", "docfetch: hint: did you mean 'cache clear'?"]),
        (
            ["rcf791"],
            ["docfetch: error: invalid reference 'rcf791': expected SCHEME:NAME, e.g. rfc:791", "docfetch: hint: did you mean rfc:791?"],
        ),
        (["--sorce", "x", "rfc:1"], ["docfetch: error: no such option '--sorce'", "docfetch: hint: did you mean '--source'?"]),
        (["search", "--limt", "3", "x"], ["docfetch: error: no such option '--limt'", "docfetch: hint: did you mean '--limit'?"]),
        (["-j", "x", "rfc:1"], ["docfetch: error: invalid value for '-j': 'x' is not a whole number", "docfetch: hint: see 'docfetch --help'"]),
        (["rfc:1", "-o"], ["docfetch: error: option '-o' needs a value (FILE)", "docfetch: hint: see 'docfetch --help'"]),
        (["info"], ["docfetch: error: missing REFERENCE", "docfetch: hint: see 'docfetch info --help'"]),
        (["cache"], ["docfetch: error: 'cache' needs a command: path, info, clear, verify", "docfetch: hint: see 'docfetch cache --help'"]),
        (["rfc:1#"], ["docfetch: error: invalid section '' in 'rfc:1#'", "docfetch: hint: a section is a number or an id: #15.5.5, #section-15.5.5, #appendix-B.1"]),
    ],
)  # fmt: skip
def test_mistakes_get_one_error_line_and_one_hint(tmp_path, args, expected):
    result = run_cli(*args, env=clean_env(tmp_path))
    assert (result.returncode, result.stdout) == (2, b"")
    assert lines(result) == expected


def test_misspelled_scheme_is_suggested_with_the_name(world, run_docfetch, fake_web):
    result = run_docfetch("rcf:791")
    assert result.returncode == 2 and lines(result) == [
        "docfetch: error: unknown scheme 'rcf': no installed source serves rcf: references",
        "docfetch: hint: did you mean rfc:791?",
    ]
    assert fake_web.requests == []


def test_plugin_command_option_errors_have_docfetch_style(tmp_path):
    result = run_cli("mirror", "sync", "--bogus", env=clean_env(tmp_path))
    assert result.returncode == 2
    missing = run_cli("mirror", "sync", env=clean_env(tmp_path))
    assert missing.returncode == 2 and lines(missing) == [
        "docfetch: error: missing argument 'DIR'.",
        "docfetch: hint: see 'docfetch mirror sync --help'",
    ]
    assert lines(result) == [
        "docfetch: error: no such option '--bogus'",
        "docfetch: hint: did you mean '--jobs'?",
    ]


def test_no_arguments_is_the_help_with_exit_2(tmp_path):
    result = run_cli(env=clean_env(tmp_path))
    assert result.returncode == 2 and result.stdout.startswith(b"Usage: docfetch [OPTIONS] REFERENCE...")


# -- binary formats never go to a terminal ---------------------------------------------------------


def test_pdf_is_refused_on_a_terminal_and_exact_in_a_pipe(world, docfetch_env, run_docfetch, fake_web, tmp_path):
    code, screen, err = run_on_pty(["-f", "pdf", "rfc:9114"], docfetch_env)
    assert code == 2 and screen == b""
    assert err.decode().splitlines() == [
        "docfetch: error: not writing pdf (binary) to the terminal",
        "docfetch: hint: use -o FILE to save it, or pipe it: docfetch -f pdf REF > FILE (-o - writes it here anyway)",
    ]
    assert fake_web.requests == []  # refused before anything was fetched
    piped = run_docfetch("-f", "pdf", "rfc:9114")
    assert (piped.returncode, piped.stdout) == (0, PDF)
    out = tmp_path / "x.pdf"
    assert run_docfetch("-f", "pdf", "-o", str(out), "rfc:9114").returncode == 0 and out.read_bytes() == PDF
    code, screen, err = run_on_pty(["-f", "pdf", "-o", "-", "rfc:9114"], docfetch_env)
    assert code == 0, err  # asked for explicitly


def test_the_typer_app_runs_the_same_fetch(tmp_path, monkeypatch):
    # typer renders help and completion; given a command line it runs the same fetch as the dispatcher.
    from typer.testing import CliRunner

    from docfetch.cli.typer_app import build_app

    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "rfc1.txt").write_bytes(b"RFC 1\x0c\nno final newline")
    for name, value in clean_env(tmp_path, DOCFETCH_MIRRORS=str(mirror)).items():
        monkeypatch.setenv(name, value)
    for args in (["-s", "mirror", "rfc:1"], ["fetch", "-j", "2", "-s", "mirror", "--", "1"]):
        result = CliRunner().invoke(build_app(), args)
        assert (result.exit_code, result.stdout_bytes) == (0, b"RFC 1\x0c\nno final newline"), args
