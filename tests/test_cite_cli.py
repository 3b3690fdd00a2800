"""``docfetch cite check`` through the installed command, against the kit's local IETF servers.

The documents, the RFC index (with an obsoleted RFC, a never-issued number and a draft that became
an RFC), errata.json and the trees of files citing them are all made here.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.test_errata_cli import RFC9990, entry

EDITOR = "www.rfc-editor.org"
RFC9980 = (
    b"RFC 9980                  Older Protocol                    March 2020\n\n"
    b"1.  Introduction\n\n   This older protocol moved messages without sequence numbers.\n\n"
    b"2.  Messages\n\n   A message had no sequence number at all in this version.\n"
)
RFC9992 = (
    b"RFC 9992                 Errata-Free Protocol              March 2026\n\n\n"
    b"1.  Introduction\n\n   Fine words.\n\n2.  Security Considerations\n\n   None.\n"
)
DRAFT = "draft-ietf-foo-bar"
DRAFT_TEXT = (
    b"Internet-Draft            Synthetic Protocol              March 2025\n\n1.  Introduction\n\n   Draft text.\n"
)
ERRATA = json.dumps(
    [
        entry(101, "RFC9990", "Verified", "Technical", "2.1", "A message carries a sequence number of sixteen bits"),
        entry(102, "RFC9990", "Reported", "Editorial", "2.2"),
        entry(105, "RFC9990", "Verified", "Editorial", "3"),
    ]
).encode()


def index_xml() -> bytes:
    """An rfc-index.xml: RFC 9980 obsoleted by RFC 9990 (published from the draft), RFC 9970 never issued."""
    entries = [
        "<rfc-entry><doc-id>RFC9980</doc-id><title>Older Protocol</title>"
        "<obsoleted-by><doc-id>RFC9990</doc-id></obsoleted-by></rfc-entry>",
        "<rfc-entry><doc-id>RFC9990</doc-id><title>Synthetic Protocol</title>"
        f"<draft>{DRAFT}-03</draft><obsoletes><doc-id>RFC9980</doc-id></obsoletes></rfc-entry>",
        "<rfc-entry><doc-id>RFC9992</doc-id><title>Errata-Free Protocol</title></rfc-entry>",
        "<rfc-not-issued-entry><doc-id>RFC9970</doc-id></rfc-not-issued-entry>",
    ]
    body = "\n".join(entries)
    return f'<?xml version="1.0"?>\n<rfc-index xmlns="https://www.rfc-editor.org/rfc-index">\n{body}\n</rfc-index>\n'.encode()


@pytest.fixture
def world(ietf_world):
    ietf_world.add_rfc(9980, RFC9980)
    ietf_world.add_rfc(9990, RFC9990)
    ietf_world.add_rfc(9992, RFC9992)
    ietf_world.add_draft(DRAFT, 3, DRAFT_TEXT)
    ietf_world.add_index(index_xml())
    ietf_world.add_errata(ERRATA)
    return ietf_world


#: Every finding code, and a citation that is right; the expected text output, line by line.
TREE = {
    "src/proto.py": (
        '# RFC 9990, Section 2.1: "A message carries a sequence number of sixteen bits and a body\n'
        '# that ends with a blank line."\n'
        "# See Section 2.9 of RFC 9990.\n"
        'x = 1  # RFC 9990 §2.2 "Peers must not trust the sequence number"\n'
    ),
    "docs/notes.md": (
        "Per RFC 9970 and RFC 9999, nothing.\n"
        'RFC 9980, Section 1 says "Peers must not trust the sequence number for anything".\n'
        f"Draft: {DRAFT}-03.\n"
        'RFC 9992, Section 1: "Fine words."\n'
    ),
}
EXPECTED = [
    "docs/notes.md:1:5: error: unknown-document: RFC 9970 was never issued",
    "docs/notes.md:1:18: error: unknown-document: RFC 9999 does not exist",
    "docs/notes.md:2:1: warning: obsolete: RFC 9980 is obsoleted by RFC 9990",
    "docs/notes.md:2:26: error: misquote: quoted text is not in Section 1 of RFC 9980; it is in Section 3 of "
    "RFC 9990, which obsoletes RFC 9980",
    f"docs/notes.md:3:8: warning: obsolete: {DRAFT}-03 is replaced by RFC 9990",
    "src/proto.py:1:21: warning: errata: Section 2.1 of RFC 9990 has verified erratum 101 (changes the quoted text)",
    "src/proto.py:3:15: error: unknown-section: RFC 9990 has no Section 2.9; did you mean Section 2.2 (Replies)?",
    "src/proto.py:4:24: error: misquote: quoted text is in Section 3, not 2.2",
]


def make_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "project", TREE)


def check(run_docfetch, tree: Path, *args: str, **options):
    return run_docfetch("cite", "check", *args, "src", "docs", cwd=tree, **options)


def as_text(finding: dict) -> str:
    """A JSON finding as its text line."""
    where = f"{finding['path']}:{finding['line']}:{finding['column']}"
    return f"{where}: {finding['severity']}: {finding['code']}: {finding['message']}"


def lines(result) -> list[str]:
    return result.stdout.decode().splitlines()


def test_every_code_compiler_style(world, run_docfetch, tree, fake_web):
    result = check(run_docfetch, tree)
    assert lines(result) == EXPECTED, result.stderr.decode()
    assert result.returncode == 1
    assert result.stderr == b"docfetch: 5 errors, 3 warnings in 8 citations (2 files)\n"
    # every document fetched once, the obsoleting one too, the index and errata once
    for path in ("/rfc/rfc9980.txt", "/rfc/rfc9990.txt", "/rfc/rfc9992.txt", "/rfc/rfc9999.txt", "/errata.json"):
        assert fake_web.count(EDITOR, path) == 1, path
    assert fake_web.count(EDITOR, "/rfc/rfc9970.txt") <= 1
    assert fake_web.count("www.ietf.org", f"/archive/id/{DRAFT}-03.txt") == 1


def test_a_second_run_and_offline_need_no_network(world, run_docfetch, tree, fake_web):
    check(run_docfetch, tree)
    before = len(fake_web.requests)
    again = check(run_docfetch, tree)
    assert (again.returncode, lines(again)) == (1, EXPECTED)
    asked = {(r.host, r.path) for r in fake_web.requests[before:]}
    assert asked == {("www.ietf.org", "/rfc/rfc9999.txt"), (EDITOR, "/rfc/rfc9999.txt")}  # a 404 is not kept
    before = len(fake_web.requests)
    offline = check(run_docfetch, tree, "--offline")
    assert len(fake_web.requests) == before
    # offline, RFC 9999 (beyond the cached index: maybe newer) cannot be judged: not checked, said so
    assert (offline.returncode, lines(offline)) == (1, [line for line in EXPECTED if "9999" not in line])
    assert offline.stderr == (
        b"docfetch: error: RFC 9999 is not in the cache (offline): 1 citation not checked\n"
        b"docfetch: 4 errors, 3 warnings in 8 citations (2 files); 1 citation not checked\n"
    )


def test_quiet_and_only_warnings_exit_0_strict_exit_1(world, run_docfetch, tmp_path):
    root = make_tree(tmp_path / "warn", {"a.c": "/* RFC 9980, Section 2 */\n"})
    result = run_docfetch("cite", "check", "-q", ".", cwd=root)
    assert (result.returncode, lines(result), result.stderr) == (
        0,
        ["a.c:1:4: warning: obsolete: RFC 9980 is obsoleted by RFC 9990"],
        b"",
    )
    assert run_docfetch("cite", "check", "--strict", ".", cwd=root).returncode == 1


def test_a_clean_tree_and_no_citations(world, run_docfetch, tmp_path, fake_web):
    clean = make_tree(tmp_path / "clean", {"a.py": '# RFC 9992, Section 1: "Fine words."\n'})
    result = run_docfetch("cite", "check", ".", cwd=clean)
    assert (result.returncode, result.stdout) == (0, b"")
    assert result.stderr == b"docfetch: 0 errors, 0 warnings in 1 citation (1 file)\n"
    nothing = make_tree(tmp_path / "nothing", {"a.py": "print('no citations here')\n", "b.bin": "x\x00y"})
    before = len(fake_web.requests)
    empty = run_docfetch("cite", "check", ".", cwd=nothing)
    assert (empty.returncode, empty.stdout, empty.stderr) == (
        0,
        b"",
        b"docfetch: 0 errors, 0 warnings in 0 citations (1 file)\n",
    )
    assert len(fake_web.requests) == before  # nothing cited: nothing fetched


def test_json_format(world, run_docfetch, tree):
    result = check(run_docfetch, tree, "--format", "json")
    data = json.loads(result.stdout)
    assert result.returncode == 1
    assert [
        f"{d['path']}:{d['line']}:{d['column']}: {d['severity']}: {d['code']}: {d['message']}" for d in data
    ] == EXPECTED
    assert all(list(d) == ["path", "line", "column", "code", "severity", "message"] for d in data)


def test_sarif_format(world, run_docfetch, tree):
    result = check(run_docfetch, tree, "-f", "sarif")
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "docfetch"
    assert [rule["id"] for rule in rules] == ["unknown-document", "unknown-section", "misquote", "obsolete", "errata"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tree.resolve().as_uri() + "/"
    assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]
    results = run["results"]
    assert len(results) == len(EXPECTED)
    for result_, expected in zip(results, EXPECTED, strict=True):
        where, severity, code, message = expected.split(": ", 3)
        path, line, column = where.split(":")
        assert result_["ruleId"] == code and rules[result_["ruleIndex"]]["id"] == code
        assert result_["level"] == severity and result_["message"]["text"] == message
        [location] = result_["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": path, "uriBaseId": "%SRCROOT%"}
        assert physical["region"] == {"startLine": int(line), "startColumn": int(column)}


def test_github_format(world, run_docfetch, tree):
    result = check(run_docfetch, tree, "--format", "github")
    assert (
        lines(result)[2]
        == "::warning file=docs/notes.md,line=2,col=1,title=obsolete::RFC 9980 is obsoleted by RFC 9990"
    )
    assert (
        lines(result)[0] == "::error file=docs/notes.md,line=1,col=5,title=unknown-document::RFC 9970 was never issued"
    )
    assert len(lines(result)) == len(EXPECTED)


def test_bad_format_and_missing_path(world, run_docfetch, tree):
    bad = check(run_docfetch, tree, "--format", "xml")
    assert (bad.returncode, bad.stdout) == (2, b"")
    assert bad.stderr == b"docfetch: error: unknown format 'xml'\ndocfetch: hint: formats: text, json, sarif, github\n"
    missing = run_docfetch("cite", "check", "src", "nowhere", cwd=tree)
    assert missing.returncode == 1  # errors found in src win
    assert b"docfetch: error: cannot read nowhere: " in missing.stderr
    only_missing = run_docfetch("cite", "check", "nowhere", cwd=tree)
    assert (only_missing.returncode, only_missing.stdout) == (2, b"")


def test_a_document_that_cannot_be_fetched_is_reported_exit_4(world, run_docfetch, tmp_path, fake_web):
    root = make_tree(tmp_path / "down", {"a.py": "# RFC 9992, Section 1\n# RFC 9980, Section 9\n"})
    fake_web.fault(EDITOR, "/rfc/rfc9992.txt", statuses=[503] * 20, retry_after=0)
    result = run_docfetch("cite", "check", ".", cwd=root, env_extra={"DOCFETCH_RETRIES": "0"})
    assert result.returncode == 1  # RFC 9980 has no Section 9: an error, certain whatever else happened
    assert b"docfetch: error: RFC 9992 could not be fetched (" in result.stderr
    assert b": 1 citation not checked\n" in result.stderr
    assert result.stderr.endswith(b"docfetch: 1 error, 1 warning in 2 citations (1 file); 1 citation not checked\n")
    (root / "a.py").write_text("# RFC 9992, Section 1\n")
    down = run_docfetch("cite", "check", ".", cwd=root, env_extra={"DOCFETCH_RETRIES": "0"})
    assert (down.returncode, down.stdout) == (4, b"")
    sarif = run_docfetch("cite", "check", "-f", "sarif", ".", cwd=root, env_extra={"DOCFETCH_RETRIES": "0"})
    [invocation] = json.loads(sarif.stdout)["runs"][0]["invocations"]
    assert sarif.returncode == 4 and invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["message"]["text"].startswith("RFC 9992 could not be fetched (")
    github = run_docfetch("cite", "check", "-f", "github", ".", cwd=root, env_extra={"DOCFETCH_RETRIES": "0"})
    assert github.stdout.startswith(b"::error title=not checked::RFC 9992 could not be fetched (")
    assert github.stdout.endswith(b": 1 citation not checked\n") and github.stdout.count(b"\n") == 1


def test_offline_on_an_empty_cache_is_exit_3_and_says_what_is_missing(world, run_docfetch, tree, fake_web):
    result = check(run_docfetch, tree, "--offline")
    assert result.returncode == 3 and result.stdout == b""
    err = result.stderr.decode()
    assert "docfetch: warning: obsolete documents not reported: the RFC index is not in the cache (offline)\n" in err
    assert "docfetch: warning: errata not checked: the errata are not in the cache (offline)\n" in err
    assert "docfetch: error: RFC 9990 is not in the cache (offline): 3 citations not checked\n" in err
    assert len(fake_web.requests) == 0


def test_documents_are_fetched_concurrently(world, run_docfetch, tmp_path, fake_web):
    numbers = range(9000, 9008)
    for number in numbers:
        world.add_rfc(number, RFC9992.replace(b"9992", str(number).encode()))
        fake_web.fault(EDITOR, f"/rfc/rfc{number}.txt", delay=0.5)
    root = make_tree(tmp_path / "many", {"a.md": "".join(f"RFC {n}, Section 1\n" for n in numbers)})
    started = time.monotonic()
    result = run_docfetch("cite", "check", "-j", "8", ".", cwd=root)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 0.5 * len(numbers) / 2, elapsed  # sequential would take 4 s


def test_hostile_paths_and_text_are_inert_in_text_and_escaped_in_json(world, run_docfetch, tmp_path):
    root = make_tree(tmp_path / "evil", {"a\x1b[31m.md": 'RFC 9980, Section 1 "\u202eevil\x1b]0;x\x07"\n'})
    text = run_docfetch("cite", "check", ".", cwd=root)
    assert b"\x1b" not in text.stdout and "\u202e".encode() not in text.stdout
    assert text.stdout.startswith(b"a^[[31m.md:1:1: warning: obsolete:")
    raw = run_docfetch("cite", "check", "--format", "json", ".", cwd=root).stdout
    assert b"\x1b" not in raw and "\u202e".encode() not in raw and b"\\u001b" in raw
    assert json.loads(raw)[0]["path"] == "a\x1b[31m.md"


def test_library_cite_check(world, tree, docfetch_inprocess_env, monkeypatch):
    import docfetch

    monkeypatch.chdir(tree)
    findings = docfetch.cite_check(["src", "docs"])
    assert [
        f"{d['path']}:{d['line']}:{d['column']}: {d['severity']}: {d['code']}: {d['message']}" for d in findings
    ] == (EXPECTED)
    assert docfetch.cite_check("src/proto.py", offline=True)[0]["code"] == "errata"
