"""``docfetch info``, ``search``, ``cache`` and the obsolescence notes, through the real command.

The first tests run on a cache the test fills itself (no network at all); the later ones go
through the docfetch.testing kit's local HTTPS servers and proxy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import clean_env, old_style_rfc, run_cli, v3_rfc
from tests.test_indexdb import small_index
from tests.test_metadata import NEW_791, new_shape

NOTE_2616 = b"docfetch: note: RFC 2616 is obsoleted by RFC 7230, RFC 7231\n"
NOTE_2119 = b"docfetch: note: RFC 2119 is updated by RFC 8174\n"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """A cache holding three RFCs and the (fresh) RFC index; no database yet."""
    root = tmp_path / "cache"
    docs = root / "docs" / "rfc"
    docs.mkdir(parents=True)
    (docs / "rfc2616.txt").write_bytes(old_style_rfc(2616))
    (docs / "rfc2119.txt").write_bytes(old_style_rfc(2119, final_newline=False))
    (docs / "rfc8174.txt").write_bytes(v3_rfc(8174))
    (docs / "rfc9110.txt").write_bytes(v3_rfc(9110))
    (root / "docs" / "index").mkdir()
    (root / "docs" / "index" / "rfc-index.xml").write_bytes(small_index())
    return root


@pytest.fixture
def env(tmp_path: Path, cache: Path) -> dict[str, str]:
    return clean_env(tmp_path, DOCFETCH_RETRIES="0", DOCFETCH_TIMEOUT="2")


def database(cache: Path) -> Path:
    return cache / "index" / "rfc-index.sqlite"


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return run_cli(*args, env=env)


# -- obsolescence notes -----------------------------------------------------------------------


def test_fast_path_notes_only_once_the_database_exists(env, cache):
    published = (cache / "docs" / "rfc" / "rfc2616.txt").read_bytes()
    first = cli(env, "rfc:2616")
    assert (first.returncode, first.stdout, first.stderr) == (0, published, b"")
    assert not database(cache).exists()  # the fast path never builds it

    assert cli(env, "search", "--offline", "http").returncode == 0  # builds the database
    second = cli(env, "rfc:2616")
    assert (second.returncode, second.stdout, second.stderr) == (0, published, NOTE_2616)
    for flag in ("-q", "--quiet"):
        quiet = cli(env, flag, "rfc:2616")
        assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, published, b"")


def test_fast_path_note_without_the_command_line(env, cache):
    assert cli(env, "search", "--offline", "http").returncode == 0
    code = "import sys\nfrom docfetch.__main__ import main\nsys.exit(main(['rfc:2616']))"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], env=env, capture_output=True, check=False, timeout=60
    )
    assert result.returncode == 0 and result.stdout == (cache / "docs" / "rfc" / "rfc2616.txt").read_bytes()
    notes = [line for line in result.stderr.splitlines() if not line.startswith(b"import time:")]
    imported = {line.rsplit(b"|", 1)[1].strip().decode() for line in result.stderr.splitlines() if b"|" in line}
    assert notes == [NOTE_2616.rstrip(b"\n")]
    assert "sqlite3" in imported and not {"typer", "requests", "pluggy", "rich"} & imported


def test_engine_path_builds_the_database_from_the_cached_index(env, cache):
    cached = cli(env, "fetch", "rfc:2616")  # answered from the cache: never pays for a database build
    assert (cached.returncode, cached.stderr) == (0, b"") and not database(cache).exists()
    result = cli(env, "fetch", "-s", "ietf", "rfc:2616")  # through the engine (the cached copy still serves)
    assert (result.returncode, result.stderr) == (0, NOTE_2616)
    assert result.stdout == (cache / "docs" / "rfc" / "rfc2616.txt").read_bytes()
    assert database(cache).is_file()
    again = cli(env, "fetch", "rfc:2616")  # now the cached path has the database for its note
    assert (again.returncode, again.stderr) == (0, NOTE_2616)
    quiet = cli(env, "fetch", "-q", "rfc:2616")
    assert (quiet.returncode, quiet.stderr) == (0, b"")


def test_full_command_quiet_neither_notes_nor_builds(env, cache):
    result = cli(env, "fetch", "--quiet", "rfc:2616")
    assert (result.returncode, result.stderr) == (0, b"")
    assert not database(cache).exists()


@pytest.mark.parametrize("command", [[], ["fetch"]])
def test_updated_by_note_and_no_note(env, cache, command):
    cli(env, "search", "--offline", "x")
    updated = cli(env, *command, "rfc:2119")
    assert (updated.returncode, updated.stderr) == (0, NOTE_2119)
    assert updated.stdout == (cache / "docs" / "rfc" / "rfc2119.txt").read_bytes()
    current = cli(env, *command, "rfc:9110")
    assert (current.returncode, current.stderr) == (0, b"")
    both = cli(env, *command, "rfc:2119", "rfc:8174")  # what updates 2119 is being read too
    assert both.stdout == v3_rfc(8174)[:0] + old_style_rfc(2119, final_newline=False) + v3_rfc(8174)
    assert b"note" not in both.stderr


def test_no_database_no_index_no_note(env, cache):
    (cache / "docs" / "index" / "rfc-index.xml").unlink()
    result = cli(env, "fetch", "rfc:2616")
    assert (result.returncode, result.stderr) == (0, b"")


def test_a_broken_database_never_fails_the_fetch(env, cache):
    database(cache).parent.mkdir()
    database(cache).write_bytes(b"\x00garbage" * 500)
    for command in ([], ["fetch"]):
        result = cli(env, *command, "rfc:2616")
        assert (result.returncode, result.stderr) == (0, b"")
        assert result.stdout == (cache / "docs" / "rfc" / "rfc2616.txt").read_bytes()


# -- info, offline ------------------------------------------------------------------------------

INFO_2616 = """\
RFC 2616: Hypertext Transfer Protocol -- HTTP/1.1
  Authors:      R. Fielding, J. Gettys, J. Mogul
  Date:         June 1999
  Status:       DRAFT STANDARD
  Pages:        176
  Formats:      TXT, PS, PDF, HTML
  Obsoletes:    RFC 2068
  Obsoleted by: RFC 7230, RFC 7231
  Updated by:   RFC 2817
  DOI:          10.17487/RFC2616
  Errata:       https://www.rfc-editor.org/errata/rfc2616 (counts: 'docfetch errata rfc:2616' downloads them)
"""


def test_info_human(env):
    result = cli(env, "info", "--offline", "RFC2616")
    assert (result.returncode, result.stderr.decode(), result.stdout.decode()) == (0, "", INFO_2616)


def test_info_abstract_is_wrapped(env):
    out = cli(env, "info", "--offline", "rfc:9110").stdout.decode()
    assert "  Is also:      STD 97\n" in out and "  Group:        httpbis\n" in out
    assert "  Abstract:\n    The Hypertext Transfer Protocol (HTTP) is a stateless application-level\n" in out
    assert out.endswith("\n\n    This document updates RFC 3864 and obsoletes RFCs 2818, 7231 and 7230.\n")


def test_info_json(env):
    result = cli(env, "info", "--json", "--offline", "rfc:2119")
    data = json.loads(result.stdout)
    assert result.returncode == 0
    assert data["doc_id"] == "RFC2119" and data["number"] == 2119
    assert data["is_also"] == ["BCP14"] and data["updated_by"] == ["RFC8174"] and data["obsoleted_by"] == []
    assert data["status"] == "BEST CURRENT PRACTICE" and data["sources"] == ["index"]


def test_info_subseries(env):
    result = cli(env, "info", "--offline", "bcp:14")
    assert result.returncode == 0
    assert result.stdout.decode() == (
        "BCP 14: 2 RFCs\n"
        "  RFC 2119   Key words for use in RFCs to Indicate Requirement Levels (BEST CURRENT PRACTICE, March 1997)\n"
        "  RFC 8174   Ambiguity of Uppercase vs Lowercase in RFC 2119 Key Words (BEST CURRENT PRACTICE, May 2017)\n"
    )
    data = json.loads(cli(env, "info", "--offline", "--json", "std:5").stdout)
    assert data["doc_id"] == "STD5" and [m["number"] for m in data["members"]] == [791, 792]
    assert cli(env, "info", "--offline", "bcp:1").stdout == b"BCP 1: no RFCs (not in use)\n"
    missing = cli(env, "info", "--offline", "fyi:999")
    assert (missing.returncode, missing.stderr) == (3, b"docfetch: error: FYI 999 is not in the RFC index\n")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["rfc:14"], 3, "RFC 14 was never issued"),
        (["rfc:99999"], 3, "RFC 99999: no metadata"),
        (["draft-ietf-foo-bar"], 3, "draft-ietf-foo-bar: not in the cache (offline)"),
        (["iana:ports"], 2, "info knows rfc:, bcp:, std:, fyi: and draft: references"),
        (["rfc:abc"], 2, "invalid reference"),
        (["rfc:1-3"], 2, "names 3 documents, expected one"),
    ],
)
def test_info_errors(env, args, code, message):
    result = cli(env, "info", "--offline", *args)
    assert result.returncode == code and result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("docfetch: error: ") and message in lines[0], lines


def test_info_without_any_index_offline(env, cache):
    (cache / "docs" / "index" / "rfc-index.xml").unlink()
    result = cli(env, "info", "--offline", "rfc:2616")
    assert result.returncode == 3 and b"RFC 2616: no metadata" in result.stderr
    assert b"the RFC index is not in the cache (offline)" in result.stderr


# -- search, offline ------------------------------------------------------------------------------


def test_search_human(env):
    result = cli(env, "search", "--offline", "hypertext", "transfer", "protocol", "--limit", "3")
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 0 and len(lines) == 3
    assert lines[0] == "RFC 2616   Hypertext Transfer Protocol -- HTTP/1.1  (DRAFT STANDARD, June 1999, obsoleted)"
    assert "RFC 9110   HTTP Semantics  (INTERNET STANDARD, June 2022)" in lines


def test_search_json_status_and_limit(env):
    result = cli(env, "search", "--offline", "--json", "--status", "proposed", "hypertext transfer protocol")
    hits = json.loads(result.stdout)
    assert result.returncode == 0
    assert {h["number"] for h in hits} == {2068, 7230, 7231}
    assert all(h["status"] == "PROPOSED STANDARD" for h in hits)
    assert set(hits[0]) >= {"number", "doc_id", "title", "status", "date", "year", "obsoleted_by", "score"}
    std = json.loads(cli(env, "search", "--offline", "--json", "-S", "std", "protocol").stdout)
    assert [h["number"] for h in std] == [791, 792, 9110]
    one = json.loads(cli(env, "search", "--offline", "--json", "-n", "1", "protocol").stdout)
    assert len(one) == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--status", "standard", "http"], 2, "unknown status 'standard'"),
        (["--limit", "0", "http"], 2, "invalid value for '--limit': 0 is not in 1 to 1000"),
        (["--limit", "5000", "http"], 2, "invalid value for '--limit': 5000 is not in 1 to 1000"),
        (["   "], 2, "search needs words"),
        (["zeppelin"], 3, "no RFC matches 'zeppelin'"),
        (["--status", "historic", "http"], 3, "no RFC with status historic matches"),
    ],
)
def test_search_errors(env, args, code, message):
    result = cli(env, "search", "--offline", *args)
    assert result.returncode == code, result.stderr
    assert message in result.stderr.decode() and result.stderr.decode().startswith("docfetch: error: ")


def test_search_offline_without_index(env, cache):
    (cache / "docs" / "index" / "rfc-index.xml").unlink()
    result = cli(env, "search", "--offline", "http")
    assert (result.returncode, result.stdout) == (3, b"")
    assert (
        result.stderr == b"docfetch: error: the RFC index is not in the cache (offline)\n"
        b"docfetch: hint: run once without --offline to download it\n"
    )


def test_search_uses_the_last_database_when_the_index_file_is_gone(env, cache):
    assert cli(env, "search", "--offline", "http").returncode == 0
    (cache / "docs" / "index" / "rfc-index.xml").unlink()
    result = cli(env, "search", "--offline", "key", "words")
    assert result.returncode == 0 and result.stdout.startswith(b"RFC 2119 ")
    assert b"using the last RFC index database" in result.stderr
    assert cli(env, "search", "-q", "--offline", "key", "words").stderr == b""


# -- cache ----------------------------------------------------------------------------------------


def test_cache_path_info_clear(env, cache):
    assert cli(env, "cache", "path").stdout.decode() == f"{cache}\n"
    info = json.loads(cli(env, "cache", "info", "--json").stdout)
    assert (info["path"], info["documents"], info["database"]) == (str(cache), 5, None)
    assert info["index"]["bytes"] == len(small_index())
    assert "Database:   not built yet" in cli(env, "cache", "info").stdout.decode()

    cli(env, "search", "--offline", "http")
    info = json.loads(cli(env, "cache", "info", "--json").stdout)
    assert info["database"]["rfcs"] == 12 and info["database"]["current"] is True
    assert "(current)" in cli(env, "cache", "info").stdout.decode()

    (cache / "locks").mkdir(exist_ok=True)
    (cache / "locks" / "rfc-rfc791.txt.lock").touch()
    cleared = cli(env, "cache", "clear")
    assert cleared.returncode == 0
    assert not (cache / "locks").exists()
    assert cleared.stdout.decode().startswith("Removed 5 cached files (") and str(cache) in cleared.stdout.decode()
    assert "RFC index database" in cleared.stdout.decode()
    assert not (cache / "docs").exists() and not database(cache).exists()
    after = json.loads(cli(env, "cache", "info", "--json").stdout)
    assert (after["documents"], after["index"], after["database"]) == (0, None, None)
    assert cli(env, "cache", "clear", "-q").stdout == b""


def test_cache_info_sees_a_stale_database(env, cache):
    cli(env, "search", "--offline", "http")
    index = cache / "docs" / "index" / "rfc-index.xml"
    index.write_bytes(small_index().replace(b"HTTP Semantics", b"HTTP Semantics 2"))
    index.with_name(index.name + ".meta").unlink()  # as a re-download leaves it: a new file (no stale record)
    assert json.loads(cli(env, "cache", "info", "--json").stdout)["database"]["current"] is False
    result = cli(env, "search", "--offline", "--json", "semantics")
    assert next(h["title"] for h in json.loads(result.stdout)) == "HTTP Semantics 2"


def test_help_lists_the_commands(env):
    out = cli(env, "--help").stdout.decode()
    assert all(name in out for name in ("info", "search", "cache"))
    assert cli(env, "cache").returncode in (0, 2)


def test_importing_the_command_line_stays_light(env):
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import docfetch.cli.typer_app"],
        env=env,
        capture_output=True,
        check=False,
        timeout=60,
    )
    names = {line.rsplit("|", 1)[1].strip() for line in result.stderr.decode().splitlines() if "|" in line}
    assert "docfetch.cli.spec" in names
    assert not {"sqlite3", "requests", "rich", "json", "docfetch.store.indexdb", "docfetch.knowledge.metadata"} & names


# -- through the network (docfetch.testing: local HTTPS servers and a proxy) ----------------------

INDEX_PATH = "/rfc-index.xml"
EDITOR = "www.rfc-editor.org"


@pytest.fixture
def world(ietf_world):
    ietf_world.add_index(small_index())
    ietf_world.add_rfc(791, old_style_rfc(791))
    ietf_world.add_rfc(791, new_shape(dict(NEW_791, abstract="This is the DoD\r\nInternet Protocol.")), "json")
    return ietf_world


def _cache(docfetch_env) -> Path:
    return Path(docfetch_env["DOCFETCH_CACHE_DIR"])


def test_info_online_enriches_from_the_rfc_json(world, run_docfetch, fake_web):
    assert run_docfetch("search", "protocol").returncode == 0  # the index, which info never downloads
    result = run_docfetch("info", "rfc:791")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert out.startswith("RFC 791: Internet Protocol\n") and "  Is also:      STD 5\n" in out
    assert out.endswith("  Abstract:\n    This is the DoD Internet Protocol.\n")
    assert fake_web.count(EDITOR, INDEX_PATH) == 1 and fake_web.count(EDITOR, "/rfc/rfc791.json") == 1
    data = json.loads(run_docfetch("info", "--json", "rfc:791").stdout)
    assert data["sources"] == ["index", "rfc-json"] and data["abstract"] == "This is the DoD Internet Protocol."
    assert fake_web.count(EDITOR, INDEX_PATH) == 1 and fake_web.count(EDITOR, "/rfc/rfc791.json") == 1  # cached


def test_info_online_index_has_the_abstract_no_json_asked(world, run_docfetch, fake_web):
    assert run_docfetch("search", "protocol").returncode == 0  # the index, which info never downloads
    result = run_docfetch("info", "rfc:9110")
    assert result.returncode == 0 and b"stateless application-level" in result.stdout
    assert fake_web.count(EDITOR, "/rfc/rfc9110.json") == 0


def test_info_online_missing_json_is_only_a_note(world, run_docfetch):
    assert run_docfetch("search", "protocol").returncode == 0  # the index, which info never downloads
    result = run_docfetch("info", "rfc:2616")
    assert (result.returncode, result.stdout.decode()) == (0, INFO_2616)
    assert b"no abstract: could not read the RFC 2616 JSON metadata" in result.stderr
    assert run_docfetch("info", "-q", "rfc:2616").stderr == b""


def test_info_for_an_rfc_newer_than_the_index(world, run_docfetch):
    world.add_rfc(10050, new_shape(dict(NEW_791, doc_id="RFC10050", title="Brand New", abstract="")), "json")
    data = json.loads(run_docfetch("info", "--json", "rfc:10050").stdout)
    assert (data["title"], data["sources"]) == ("Brand New", ["rfc-json"])


def test_search_online_fetches_the_index_once(world, run_docfetch, fake_web, docfetch_env):
    first = run_docfetch("search", "key", "words")
    assert first.returncode == 0 and first.stdout.startswith(b"RFC 2119 "), first.stderr
    second = run_docfetch("search", "avian")
    assert second.stdout.startswith(b"RFC 1149 ")
    assert fake_web.count(EDITOR, INDEX_PATH) == 1
    assert (_cache(docfetch_env) / "index" / "rfc-index.sqlite").is_file()


def _age_index(cache: Path, days: float = 2) -> None:
    meta = cache / "docs" / "index" / "rfc-index.xml.meta"
    data = json.loads(meta.read_text())
    data["checked"] = time.time() - days * 86400
    meta.write_text(json.dumps(data))


def test_changed_index_is_downloaded_after_a_day_and_rebuilt(world, run_docfetch, fake_web, docfetch_env):
    cache = _cache(docfetch_env)
    assert run_docfetch("search", "semantics").stdout.startswith(b"RFC 9110   HTTP Semantics ")
    db = cache / "index" / "rfc-index.sqlite"
    built = db.stat().st_ino
    _age_index(cache)
    assert run_docfetch("search", "semantics").returncode == 0  # revalidated: 304, same database
    assert fake_web.count(EDITOR, INDEX_PATH) == 2 and db.stat().st_ino == built
    revalidation = [r for r in fake_web.requests if r.path == INDEX_PATH][-1]
    assert revalidation.header("If-None-Match") == fake_web.file(EDITOR, INDEX_PATH).etag
    assert revalidation.status == 304

    world.add_index(small_index().replace(b"HTTP Semantics", b"HTTP Semantics, Second Edition"))
    assert run_docfetch("search", "semantics").stdout.startswith(b"RFC 9110   HTTP Semantics ")  # still fresh
    _age_index(cache)
    result = run_docfetch("search", "semantics")
    assert result.stdout.startswith(b"RFC 9110   HTTP Semantics, Second Edition "), result.stderr
    assert db.stat().st_ino != built


def test_index_failure_falls_back_to_the_last_copy(world, run_docfetch, fake_web, docfetch_env):
    assert run_docfetch("search", "avian").returncode == 0
    _age_index(_cache(docfetch_env))
    fake_web.fault(EDITOR, INDEX_PATH, statuses=[503] * 10)
    result = run_docfetch("search", "avian", env_extra={"DOCFETCH_RETRIES": "0"})
    assert result.returncode == 0 and result.stdout.startswith(b"RFC 1149 ")
    assert b"using the cached copy" in result.stderr


def test_no_index_anywhere_is_a_fetch_error(world, run_docfetch, fake_web):
    fake_web.fault(EDITOR, INDEX_PATH, statuses=[503] * 10)
    result = run_docfetch("search", "avian", env_extra={"DOCFETCH_RETRIES": "0"})
    assert result.returncode == 4 and result.stdout == b""
    last = result.stderr.decode().splitlines()[-1]
    assert last.startswith("docfetch: error: the RFC index is not available: ") and "503" in last


def test_bcp_fetch_then_notes_from_the_built_database(world, run_docfetch, docfetch_env):
    world.add_rfc(2119, old_style_rfc(2119))
    world.add_rfc(8174, v3_rfc(8174))
    both = run_docfetch("bcp:14")
    assert both.returncode == 0 and both.stdout == old_style_rfc(2119) + v3_rfc(8174)
    assert b"note" not in both.stderr
    alone = run_docfetch("fetch", "rfc:2119")
    assert (alone.returncode, alone.stdout, alone.stderr) == (0, old_style_rfc(2119), NOTE_2119)
    fast = run_docfetch("rfc:2119")
    assert (fast.returncode, fast.stdout, fast.stderr) == (0, old_style_rfc(2119), NOTE_2119)


DRAFT = "draft-ietf-example-widgets"


def _draft_text(rev: int) -> bytes:
    return (
        f"Network Working Group                                          A. Person\n"
        f"Internet-Draft                                                 Example\n"
        f"Intended status: Standards Track                         1 March 2026\n\n\n"
        f"                     Widgets for the Internet\n                   {DRAFT}-{rev:02d}\n\n"
        f"Abstract\n\n   This document specifies widgets.\n\n"
    ).encode()


def test_info_for_a_draft(world, run_docfetch, fake_web):
    world.add_draft(DRAFT, 0, _draft_text(0), title="Widgets for the Internet", authors=["A. Person"])
    world.add_draft(DRAFT, 1, _draft_text(1), title="Widgets for the Internet", authors=["A. Person"])
    result = run_docfetch("info", f"{DRAFT}-00")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert out.startswith(f"{DRAFT}: Widgets for the Internet\n")
    assert "  Revision:     01 (latest; you asked for 00)\n" in out and "  Authors:      A. Person\n" in out
    data = json.loads(run_docfetch("info", "--json", f"draft:{DRAFT}").stdout)
    assert (data["kind"], data["revision"], data["status"]) == ("draft", "01", "Active")
    assert [r["rev"] for r in data["revisions"]] == ["00", "01"]
    assert fake_web.count("datatracker.ietf.org", f"/doc/{DRAFT}/doc.json") == 1  # cached for a day
    offline = run_docfetch("info", "--offline", DRAFT)
    assert offline.returncode == 0 and offline.stdout.decode().startswith(f"{DRAFT}: Widgets")


def test_info_for_an_unknown_draft(world, run_docfetch):
    result = run_docfetch("info", "draft-nobody-nothing")
    assert result.returncode == 3 and result.stderr.startswith(b"docfetch: error: ")


@pytest.mark.skipif(os.name != "posix", reason="POSIX paths")
def test_cache_path_follows_xdg(tmp_path: Path):
    env = clean_env(tmp_path)
    env.pop("DOCFETCH_CACHE_DIR")
    assert run_cli("cache", "path", env=env).stdout.decode() == f"{tmp_path / 'xdg-cache' / 'docfetch'}\n"


def test_hostile_metadata_cannot_drive_the_terminal(world, run_docfetch):
    title = "Evil \x1b]52;c;ZWNobyBoaQ==\x07Title \x9b31m\u202ereversed\x7f"
    world.add_rfc(10060, new_shape(dict(NEW_791, doc_id="RFC10060", title=title, abstract="a\x1b[2Jb")), "json")
    human = run_docfetch("info", "rfc:10060")
    assert human.returncode == 0, human.stderr
    assert not any(byte < 0x20 and byte != 0x0A for byte in human.stdout)
    text = human.stdout.decode()
    assert not any("\x7f" <= c <= "\x9f" or c == "\u202e" for c in text)
    assert text.startswith("RFC 10060: Evil ^[]52;c;ZWNobyBoaQ==^GTitle <U+009B>31m<U+202E>reversed^?\n")
    raw = run_docfetch("info", "--json", "rfc:10060").stdout
    assert not any(byte < 0x20 and byte != 0x0A for byte in raw)
    assert b"\xc2\x9b" not in raw and "\u202e".encode() not in raw and b"\x7f" not in raw
    assert json.loads(raw)["title"] == title  # the data intact, only escaped
