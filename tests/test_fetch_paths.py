"""The two ways into a fetch agree: the typer command and the typer-free path of __main__."""

import pytest
import typer

from docfetch.cli.fetch import FETCH_FLAGS, parse_fetch_args
from docfetch.cli.typer_app import app
from tests.helpers import clean_env, old_style_rfc, run_cli


def typer_fetch_options():
    command = typer.main.get_command(app).commands["fetch"]
    found = {}
    for param in command.params:
        for flag in (*param.opts, *param.secondary_opts):
            if flag.startswith("-") and flag not in ("--help", "-h"):
                found[flag] = param.name
    return found


def test_flag_table_matches_the_typer_command():
    assert {flag: name for flag, (name, _kind) in FETCH_FLAGS.items()} == typer_fetch_options()


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["sources"],
        ["mirror", "sync", "x"],
        ["rfc:1", "--bogus"],
        ["-j", "0", "rfc:1"],
        ["--timeout", "abc", "rfc:1"],
        ["rfc:1", "-s"],
        ["--quiet=yes", "rfc:1"],
        ["not a reference"],
    ],
)
def test_unusual_lines_are_left_to_typer(args):
    assert parse_fetch_args(args) is None


def test_ordinary_lines_are_parsed():
    parsed = parse_fetch_args(["-s", "mirror", "--format=pdf", "-j", "8", "-q", "rfc:1-3", "bcp:14", "-O", "out"])
    assert parsed is not None
    assert parsed["references"] == ["rfc:1-3", "bcp:14"]
    assert (parsed["source"], parsed["fmt"], parsed["jobs"], parsed["quiet"]) == ("mirror", "pdf", 8, True)
    assert str(parsed["output_dir"]) == "out"


def test_both_paths_give_the_same_bytes_and_errors(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "rfc791.txt").write_bytes(old_style_rfc(791, final_newline=False))
    env = clean_env(tmp_path, DOCFETCH_MIRRORS=str(mirror))
    direct = run_cli("-s", "mirror", "--no-cache", "rfc:791", env=env)
    via_typer = run_cli("-s", "mirror", "--no-cache", "--jobs=4", "rfc:791", "--", env=env)  # "--": typer only
    assert direct.returncode == via_typer.returncode == 0, (direct.stderr, via_typer.stderr)
    assert direct.stdout == via_typer.stdout == (mirror / "rfc791.txt").read_bytes()
    missing = [run_cli("-s", "mirror", *extra, "rfc:792", env=env) for extra in ([], ["--"])]
    assert [m.returncode for m in missing] == [3, 3]
    assert missing[0].stderr == missing[1].stderr
