"""Bounded fuzzing of untrusted input: references, the command line, document bytes on a terminal.

The command line is driven in-process (``docfetch.cli.main.run``) with random argument lists made of
real flags, real and broken references and random text, against the local fake IETF servers;
whatever it is given it must return an exit code and never raise. The whole module stays
well under 20 seconds.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from docfetch.engine.validate import unsafe_reference
from docfetch.errors import UsageError
from docfetch.reference import parse_references
from docfetch.terminal import document_text as terminal_text
from tests.helpers import old_style_rfc, rfc_index_xml

#: Exit codes the README documents (1: a pipe closed under us, which cannot happen here).
DOCUMENTED = {0, 2, 3, 4, 5, 6}

SCHEMES = ["rfc", "RFC", "bcp", "std", "fyi", "draft", "note", "iana", "x.y", "a/b", "..", "", "rfc ", "Ω"]
NAMES = [
    "791",
    "0791",
    "1-3",
    "5-1",
    "٧٩١",
    "1/../../x",
    "../x",
    "..",
    ".",
    "a..b",
    "-01",
    "draft-x-01",
    "\x00",
    "\x1b]0;t\x07",
]


@st.composite
def reference_like(draw: st.DrawFn) -> str:
    """Strings shaped like references (``scheme:name``, ``rfcNNN``, ``draft-...``) and near misses."""
    scheme = draw(st.sampled_from(SCHEMES) | st.text(max_size=6))
    name = draw(st.sampled_from(NAMES) | st.text(max_size=12))
    form = draw(st.sampled_from(["{s}:{n}", "{s}{n}", "{s} {n}", " {s}:{n} ", "draft-{n}", "{n}"]))
    return form.format(s=scheme, n=name)


@settings(max_examples=400, deadline=None)
@given(st.one_of(reference_like(), st.text(max_size=40)))
def test_parser_never_raises_and_only_makes_safe_references(text):
    try:
        refs = parse_references(text)
    except UsageError as exc:
        assert "\n" not in exc.message and "\x1b" not in exc.message
        return
    assert refs
    for ref in refs[:50]:
        assert unsafe_reference(ref) is None, (text, ref)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_terminal_text_never_lets_a_control_through(data):
    shown = terminal_text(data)
    assert not [c for c in shown if (ord(c) < 0x20 and c not in "\t\n\r\f") or 0x7F <= ord(c) <= 0x9F]


# -- the command line, in-process ------------------------------------------------------------------

FLAGS = [
    "-s", "--source", "-f", "--format", "-o", "--output", "-O", "--output-dir", "-j", "--jobs", "--no-pager",
    "-q", "--quiet", "--offline", "--refresh", "--no-cache", "--timeout", "--retries", "--max-size",
    "--help", "-h", "--version", "-V", "--bogus", "-x", "--", "-", "--source=", "--jobs=0", "-j99",
]  # fmt: skip
COMMANDS = ["fetch", "sources", "--json", "help"]
REFERENCES = [
    "rfc:791", "RFC791", "rfc:14", "rfc:1-2", "bcp:14", "std:9999", "draft:draft-ietf-example-protocol",
    "draft-ietf-example-protocol-01", "note:hello", "rfc:٧٩١", "rfc:1/../../x", "draft:../../x", "a/b:x",
    "", " ", "\x1b[2J", "rfc:99999999999999", "rfc:1-999999",
]  # fmt: skip
VALUES = [
    "ietf", "rfc-editor", "mirror", "nope", "txt", "pdf", "html", "json", "docx", "TXT",
    "0", "1", "-1", "1.5", "0.0001", "nan", "inf", "1e309", "101", "64M", "1K", "0K", "abc", "9G",
    "out.txt", "sub/dir/out.txt", ".", "..", "-",
]  # fmt: skip
#: Random text never holds "/" (so never an absolute path to write to) nor NUL (not allowed in argv).
RANDOM = st.text(alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), max_size=10)
TOKENS = st.one_of(st.sampled_from(FLAGS + COMMANDS + REFERENCES + VALUES), RANDOM)
GOOD_VALUES = {
    "-s": ["ietf", "rfc-editor", "mirror", "nope"],
    "-f": ["txt", "TXT", "pdf", "html", "docx"],
    "-o": ["out.txt", "sub/dir/out.txt", "-", "."],
    "-O": ["outdir", "."],
    "-j": ["1", "2", "4"],
    "--timeout": ["5", "2.5"],
    "--retries": ["0", "1"],
    "--max-size": ["64M", "1K", "100"],
}
SWITCHES = ["--no-pager", "-q", "--offline", "--refresh", "--no-cache"]
VALID_REFERENCES = [
    "rfc:791", "RFC791", "rfc:2119", "rfc:14", "rfc:1-2", "bcp:14", "std:9999", "draft:draft-ietf-example-protocol",
    "draft-ietf-example-protocol-01", "note:hello",
]  # fmt: skip


@st.composite
def plausible_command_lines(draw: st.DrawFn) -> list[str]:
    """Mostly well-formed: options with mostly good values, switches, then mostly valid references."""
    args: list[str] = []
    for option in draw(st.lists(st.sampled_from(sorted(GOOD_VALUES)), max_size=3)):
        good = draw(st.integers(0, 9)) > 0
        args += [option, draw(st.sampled_from(GOOD_VALUES[option])) if good else draw(st.sampled_from(VALUES) | RANDOM)]
    args += draw(st.lists(st.sampled_from(SWITCHES), max_size=2))
    for _ in range(draw(st.integers(1, 3))):
        good = draw(st.integers(0, 9)) > 0
        args.append(draw(st.sampled_from(VALID_REFERENCES)) if good else draw(reference_like()))
    return draw(st.permutations(args)) if draw(st.integers(0, 3)) == 0 else args


COMMAND_LINES = st.one_of(plausible_command_lines(), st.lists(TOKENS, max_size=7))


@pytest.fixture
def cli_world(ietf_world, docfetch_inprocess_env, monkeypatch, tmp_path):
    """The fake IETF with a few documents; HOME, the cache, the config and the cwd all under tmp_path."""
    ietf_world.add_rfc(791, old_style_rfc(791))
    ietf_world.add_rfc(2119, old_style_rfc(2119, pages=1))
    ietf_world.add_index(rfc_index_xml({"BCP14": [2119]}))
    ietf_world.add_draft("draft-ietf-example-protocol", 1, b"Internet-Draft  Example  revision 01\n\nAbstract\n")
    config = tmp_path / "fuzz-config.toml"
    config.write_text("[network]\ntimeout = 5\nretries = 0\nretry_after_cap = 1\n")
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("DOCFETCH_CONFIG", str(config))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("SHELL", "/bin/sh")
    monkeypatch.setenv("PAGER", "cat")
    monkeypatch.chdir(work)
    return work


def _run_cli(args: list[str]) -> int:
    from docfetch.cli.main import run

    return run(args)


def test_cli_smoke(cli_world, capsysbinary):
    assert _run_cli(["rfc:791"]) == 0
    assert capsysbinary.readouterr().out == old_style_rfc(791)
    assert _run_cli(["rfc:1/../../x"]) == 2


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(COMMAND_LINES)
def test_cli_returns_an_exit_code_whatever_the_arguments(cli_world, capsysbinary, args):
    code = _run_cli(list(args))
    _out, err = capsysbinary.readouterr()
    event(f"exit {code}")
    assert isinstance(code, int) and code in DOCUMENTED, (args, code, err[-500:])
    assert b"Traceback" not in err, (args, err[-2000:])
    for line in err.decode("utf-8", "replace").splitlines():
        assert "\x1b" not in line, (args, line)
