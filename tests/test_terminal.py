"""On a terminal: UTF-8 text without BOM, through the pager, with escape sequences made inert."""

import subprocess

import pytest

from docfetch.terminal import document_text as terminal_text
from tests.helpers import docfetch_command, run_on_pty

HOSTILE = "\ufeffTitle\n\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b31m\x07 tab\tend\f\nÜber 日本\n".encode()


def test_terminal_text_neutralises_controls():
    shown = terminal_text(HOSTILE)
    assert "\ufeff" not in shown and "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert "^[]0;pwned^G^[[2J" in shown
    assert "\t" in shown and "\f" in shown and "Über 日本" in shown


@pytest.fixture
def hostile_doc(docfetch_env, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "rfc9999.txt").write_bytes(HOSTILE)
    return dict(docfetch_env, DOCFETCH_MIRRORS=str(mirror))


def test_no_pager_output_on_terminal_is_safe(hostile_doc):
    code, screen, err = run_on_pty(["-s", "mirror", "--no-pager", "rfc:9999"], hostile_doc)
    assert code == 0, err
    assert b"\x1b" not in screen and b"\xef\xbb\xbf" not in screen
    assert "Über 日本".encode() in screen and b"^[]0;pwned" in screen


def test_pager_receives_the_text(hostile_doc, tmp_path):
    captured = tmp_path / "paged.txt"
    env = dict(hostile_doc, PAGER=f"tee {captured}")
    code, _screen, err = run_on_pty(["-s", "mirror", "rfc:9999"], env)
    assert code == 0, err
    assert captured.read_text("utf-8") == terminal_text(HOSTILE)


def test_piped_output_stays_byte_exact(hostile_doc):
    result = subprocess.run(
        [*docfetch_command(), "-s", "mirror", "rfc:9999"], env=hostile_doc, capture_output=True, check=False
    )
    assert result.stdout == HOSTILE
