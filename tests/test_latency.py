"""Answers at the speed of the network (issue #11), through the installed command and the kit's servers.

Learned redirects (used, forgotten with --refresh and when expired, never from a 302, guesses
that fall back), the first GET sent before the HTTP layer loads, never-issued numbers answered
from the local index, ``info`` without the RFC index, the per-RFC JSON behind a note never
waited for. Every request is counted in the fake web's log.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.helpers import old_style_rfc
from tests.test_indexdb import small_index
from tests.test_metadata import NEW_791, new_shape

IETF, EDITOR = "www.ietf.org", "www.rfc-editor.org"
INDEX = "/rfc-index.xml"
NOTE_791 = b"docfetch: note: RFC 791 is updated by RFC 1349, RFC 2474, RFC 6864\n"


@pytest.fixture
def world(ietf_world):
    for number in (1, 2, 3, 791, 793, 800, 801):
        ietf_world.add_rfc(number, old_style_rfc(number, pages=1))
    return ietf_world


def body(world, number: int, fmt: str = "txt") -> bytes:
    return world.docs.rfcs[number][fmt]


def cache_of(docfetch_env) -> Path:
    return Path(docfetch_env["DOCFETCH_CACHE_DIR"])


def rules(docfetch_env) -> list[dict]:
    path = cache_of(docfetch_env) / "http" / "redirects.json"
    return json.loads(path.read_text())["rules"] if path.exists() else []


def asked(fake_web) -> list[str]:
    return [f"{r.method} {r.url}" for r in fake_web.requests]


# -- learned redirects ------------------------------------------------------------------------


def test_a_permanent_redirect_is_learned_and_used_for_the_siblings(world, run_docfetch, fake_web, docfetch_env):
    first = run_docfetch("-q", "rfc:791")
    assert (first.returncode, first.stdout) == (0, body(world, 791)), first.stderr
    assert asked(fake_web) == [f"GET https://{IETF}/rfc/rfc791.txt", f"GET https://{EDITOR}/rfc/rfc791.txt"]
    [rule] = rules(docfetch_env)
    assert (rule["from"], rule["to"], rule["status"]) == (
        f"https://{IETF}/rfc/rfc791.txt",
        f"https://{EDITOR}/rfc/rfc791.txt",
        301,
    )
    assert 6.9 * 86400 < rule["expires"] - time.time() <= 7 * 86400 + 1  # the heuristic lifetime of a 301
    fake_web.clear_log()
    second = run_docfetch("-q", "rfc:793")
    assert (second.returncode, second.stdout) == (0, body(world, 793)), second.stderr
    assert asked(fake_web) == [f"GET https://{EDITOR}/rfc/rfc793.txt"]  # www.ietf.org not asked at all


def test_refresh_forgets_the_learned_redirect(world, run_docfetch, fake_web, docfetch_env):
    assert run_docfetch("-q", "rfc:791").returncode == 0
    fake_web.clear_log()
    result = run_docfetch("-q", "--refresh", "rfc:793")
    assert (result.returncode, result.stdout) == (0, body(world, 793))
    assert asked(fake_web) == [f"GET https://{IETF}/rfc/rfc793.txt", f"GET https://{EDITOR}/rfc/rfc793.txt"]
    assert len(rules(docfetch_env)) == 1  # learned again: the same rule, still one


def test_an_expired_redirect_is_not_used(world, run_docfetch, fake_web, docfetch_env):
    assert run_docfetch("-q", "rfc:791").returncode == 0
    path = cache_of(docfetch_env) / "http" / "redirects.json"
    data = json.loads(path.read_text())
    data["rules"][0]["expires"] = time.time() - 1
    path.write_text(json.dumps(data))
    fake_web.clear_log()
    assert run_docfetch("-q", "rfc:793").stdout == body(world, 793)
    assert asked(fake_web) == [f"GET https://{IETF}/rfc/rfc793.txt", f"GET https://{EDITOR}/rfc/rfc793.txt"]


def test_a_302_is_followed_every_time_and_never_learned(world, run_docfetch, fake_web, docfetch_env):
    world.ietf_redirect_status = 302
    for number in (791, 793, 791):
        fake_web.clear_log()
        result = run_docfetch("-q", "--refresh", f"rfc:{number}") if number == 791 else run_docfetch("-q", "rfc:793")
        assert (result.returncode, result.stdout) == (0, body(world, number)), result.stderr
        assert fake_web.count(IETF, f"/rfc/rfc{number}.txt") == 1
        assert fake_web.count(EDITOR, f"/rfc/rfc{number}.txt") == 1
    assert rules(docfetch_env) == []


def test_a_guess_that_fails_falls_back_to_the_url_itself(world, run_docfetch, fake_web, docfetch_env):
    # www.ietf.org serves RFC 800 itself; the RFC Editor does not have it: the guess from the
    # learned redirect fails (404), the original URL answers, and the guess is forgotten.
    own = old_style_rfc(800, pages=1) + b"as served by www.ietf.org\n"
    fake_web.add_file(IETF, "/rfc/rfc800.txt", own)
    fake_web.remove_file(EDITOR, "/rfc/rfc800.txt")
    assert run_docfetch("-q", "rfc:791").returncode == 0
    fake_web.clear_log()
    result = run_docfetch("-q", "rfc:800")
    assert (result.returncode, result.stdout) == (0, own), result.stderr
    assert asked(fake_web) == [f"GET https://{EDITOR}/rfc/rfc800.txt", f"GET https://{IETF}/rfc/rfc800.txt"]
    assert rules(docfetch_env) == []
    fake_web.clear_log()
    assert run_docfetch("-q", "rfc:801").stdout == body(world, 801)
    assert fake_web.count(IETF, "/rfc/rfc801.txt") == 1  # nothing guessed any more


def test_a_missing_document_is_asked_once_at_the_guessed_url(world, run_docfetch, fake_web):
    assert run_docfetch("-q", "rfc:791").returncode == 0
    fake_web.clear_log()
    result = run_docfetch("-q", "rfc:4999")
    assert result.returncode == 3 and result.stdout == b""
    # the guess said 404; the fallback's redirect leads there again: believed, not asked twice
    assert asked(fake_web) == [f"GET https://{EDITOR}/rfc/rfc4999.txt", f"GET https://{IETF}/rfc/rfc4999.txt"]


def test_no_cache_neither_reads_nor_keeps_learned_redirects(world, run_docfetch, fake_web, docfetch_env):
    assert run_docfetch("-q", "rfc:791").returncode == 0
    fake_web.clear_log()
    assert run_docfetch("-q", "--no-cache", "rfc:793").stdout == body(world, 793)
    assert fake_web.count(IETF, "/rfc/rfc793.txt") == 1


def test_bulk_learns_once_and_asks_each_document_once(world, run_docfetch, fake_web, tmp_path):
    for number in range(4, 31):
        world.add_rfc(number, old_style_rfc(number, pages=1))
    out = tmp_path / "out"
    result = run_docfetch("-q", "-j", "4", "-O", str(out), "rfc:1-30")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"rfc{n}.txt" for n in range(1, 31))
    assert all((out / f"rfc{n}.txt").read_bytes() == body(world, n) for n in range(1, 31))
    assert all(fake_web.count(EDITOR, f"/rfc/rfc{n}.txt") == 1 for n in range(1, 31))
    assert fake_web.count(IETF) <= 4  # at most the first of each of the 4 workers: then learned


# -- never-issued numbers ---------------------------------------------------------------------


@pytest.fixture
def indexed(world, run_docfetch, fake_web):
    """The RFC index (14 and 26 never issued) downloaded and its database built, as ``search`` does."""
    world.add_index(small_index())
    assert run_docfetch("search", "http").returncode == 0
    fake_web.clear_log()
    return world


def test_a_never_issued_number_asks_no_server(indexed, run_docfetch, fake_web):
    result = run_docfetch("rfc:14")
    assert (result.returncode, result.stdout) == (3, b"")
    assert result.stderr == b"docfetch: error: RFC 14 was never issued (the RFC index lists it as not issued)\n"
    assert fake_web.requests == []
    offline = run_docfetch("--offline", "rfc:26")
    assert offline.returncode == 3 and b"RFC 26 was never issued" in offline.stderr


def test_a_range_skips_never_issued_numbers_and_exits_0(indexed, run_docfetch, fake_web, tmp_path):
    for number in range(4, 31):
        if number not in (14, 26):
            indexed.add_rfc(number, old_style_rfc(number, pages=1))
    out = tmp_path / "out"
    result = run_docfetch("-O", str(out), "rfc:1-30")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"rfc{n}.txt" for n in range(1, 31) if n not in (14, 26))
    assert result.stderr.decode().splitlines()[-1] == (
        f"docfetch: 28 of 28 documents written to {out} (0 from the cache); 2 never issued, skipped"
    )
    assert fake_web.count(path="/rfc/rfc14.txt") == 0 and fake_web.count(path="/rfc/rfc26.txt") == 0


def test_named_alongside_others_a_never_issued_number_is_an_error(indexed, run_docfetch):
    result = run_docfetch("rfc:1", "rfc:14")
    assert result.returncode == 3 and result.stdout == body(indexed, 1)
    assert b"RFC 14 was never issued" in result.stderr


# -- info without the RFC index ---------------------------------------------------------------


def test_info_on_an_empty_cache_asks_one_small_request(world, run_docfetch, fake_web):
    world.add_index(small_index())
    world.add_rfc(791, new_shape(dict(NEW_791, abstract="The DoD Internet Protocol.")), "json")
    result = run_docfetch("info", "rfc:791")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert out.startswith("RFC 791: Internet Protocol\n") and out.endswith("    The DoD Internet Protocol.\n")
    assert asked(fake_web) == [f"GET https://{EDITOR}/rfc/rfc791.json"]
    assert fake_web.count(EDITOR, INDEX) == 0
    fake_web.clear_log()
    assert run_docfetch("info", "rfc:791").stdout == result.stdout  # the JSON is cached for a day
    assert fake_web.requests == []


def test_info_never_issued_from_the_local_index(indexed, run_docfetch, fake_web):
    result = run_docfetch("info", "rfc:14")
    assert result.returncode == 3 and b"RFC 14 was never issued" in result.stderr
    assert fake_web.requests == []


# -- the note's metadata, never waited for ----------------------------------------------------


def test_the_note_metadata_never_holds_the_document_back(world, run_docfetch, fake_web, docfetch_env):
    world.add_rfc(791, new_shape(NEW_791), "json")
    fake_web.fault(EDITOR, "/rfc/rfc791.json", delay=3)
    start = time.monotonic()
    result = run_docfetch("rfc:791")
    assert time.monotonic() - start < 2.5
    assert (result.returncode, result.stdout, result.stderr) == (0, body(world, 791), b"")
    cache = cache_of(docfetch_env)
    assert not (cache / "docs" / "rfc" / "rfc791.json").exists()
    assert [p for p in (cache / "tmp").iterdir()] == []  # nothing left half-written


def test_the_note_when_the_metadata_arrived_first(world, run_docfetch, fake_web, docfetch_env):
    world.add_rfc(791, new_shape(NEW_791), "json")
    fake_web.fault(EDITOR, "/rfc/rfc791.txt", delay=0.3)
    result = run_docfetch("rfc:791")
    assert (result.returncode, result.stdout, result.stderr) == (0, body(world, 791), NOTE_791)
    assert fake_web.count(EDITOR, "/rfc/rfc791.json") == 1
    fake_web.clear_log()
    cached = run_docfetch("rfc:791")
    assert (cached.stdout, cached.stderr, fake_web.requests) == (body(world, 791), NOTE_791, [])


def test_a_range_without_a_local_index_asks_the_index_once_for_its_gaps(world, run_docfetch, fake_web, tmp_path):
    world.add_index(small_index())  # 14 and 26 never issued
    for number in range(4, 31):
        if number not in (14, 26):
            world.add_rfc(number, old_style_rfc(number, pages=1))
    out = tmp_path / "out"
    result = run_docfetch("-j", "4", "-O", str(out), "rfc:1-30")
    assert result.returncode == 0, result.stderr
    assert len(list(out.iterdir())) == 28
    assert result.stderr.decode().splitlines()[-1] == (
        f"docfetch: 28 of 28 documents written to {out} (0 from the cache); 2 never issued, skipped"
    )
    assert fake_web.count(EDITOR, INDEX) == 1  # asked once, at the end, because a range met gaps
    fake_web.clear_log()
    again = run_docfetch("-O", str(tmp_path / "again"), "rfc:10-20")  # the local index answers now
    assert again.returncode == 0 and fake_web.count(path="/rfc/rfc14.txt") == 0


def test_a_range_without_any_index_reports_what_is_missing(world, run_docfetch, fake_web, tmp_path):
    out = tmp_path / "out"
    result = run_docfetch("-O", str(out), "rfc:1-4")
    assert result.returncode == 3
    assert sorted(p.name for p in out.iterdir()) == ["rfc1.txt", "rfc2.txt", "rfc3.txt"]
    lines = result.stderr.decode().splitlines()
    assert lines[0].startswith("docfetch: error: RFC 4 not found")
    assert lines[-1] == f"docfetch: 3 of 4 documents written to {out} (0 from the cache), 1 failed"


def test_info_falls_back_to_the_http_layer_when_the_early_answer_is_not_plain(world, run_docfetch, fake_web):
    world.add_rfc(791, new_shape(dict(NEW_791, abstract="The DoD Internet Protocol.")), "json")
    fake_web.fault(EDITOR, "/rfc/rfc791.json", statuses=[503, 200], retry_after=0)
    result = run_docfetch("info", "rfc:791")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().endswith("    The DoD Internet Protocol.\n")
    assert fake_web.count(EDITOR, "/rfc/rfc791.json") == 2  # the early one (503), then the HTTP layer's retry


def test_info_of_a_missing_rfc_asks_once(world, run_docfetch, fake_web):
    fake_web.host(EDITOR)
    result = run_docfetch("info", "rfc:4999")
    assert result.returncode == 3 and b"RFC 4999: no metadata" in result.stderr
    assert asked(fake_web) == [f"GET https://{EDITOR}/rfc/rfc4999.json"]


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, ("www.rfc-editor.org", 443, None, None)),
        ({"HTTPS_PROXY": "http://proxy.example:3128"}, ("www.rfc-editor.org", 443, "proxy.example", 3128)),
        ({"https_proxy": "proxy.example:8080"}, ("www.rfc-editor.org", 443, "proxy.example", 8080)),
        ({"ALL_PROXY": "http://proxy.example"}, ("www.rfc-editor.org", 443, "proxy.example", 80)),
        ({"HTTPS_PROXY": "http://p.example:1", "NO_PROXY": "rfc-editor.org"}, ("www.rfc-editor.org", 443, None, None)),
        ({"HTTPS_PROXY": "http://p.example:1", "NO_PROXY": "*"}, ("www.rfc-editor.org", 443, None, None)),
        ({"HTTPS_PROXY": "http://p.example:1", "NO_PROXY": "ietf.org"}, ("www.rfc-editor.org", 443, "p.example", 1)),
        ({"HTTPS_PROXY": "http://user:secret@p.example:1"}, None),  # credentials: left to the HTTP layer
        ({"HTTPS_PROXY": "https://p.example:1"}, None),  # TLS to the proxy: left to the HTTP layer
        ({"HTTPS_PROXY": "socks5://p.example:1"}, None),
        ({"HTTPS_PROXY": "http://p.example:1", "NO_PROXY": "10.0.0.0/8"}, None),  # networks: left to requests
    ],
)
def test_which_connection_is_opened_ahead(monkeypatch, environment, expected):
    from docfetch.net.preconnect import _key_for

    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert _key_for("https://www.rfc-editor.org/rfc/rfc791.txt") == expected
    assert _key_for("http://www.rfc-editor.org/rfc/rfc791.txt") is None  # plain HTTP is never opened ahead


def test_the_early_request_is_the_one_requests_sends(world, run_docfetch, fake_web):
    assert run_docfetch("-q", "rfc:791").returncode == 0
    fake_web.clear_log()
    assert run_docfetch("-q", "rfc:793").returncode == 0
    [early] = fake_web.requests
    fake_web.clear_log()
    assert run_docfetch("-q", "--no-cache", "rfc:793").returncode == 0  # no learned redirect: the early GET
    late = next(r for r in fake_web.requests if r.host == EDITOR)  # goes to www.ietf.org; requests follows
    fields = ("user-agent", "accept-encoding", "accept", "connection")
    assert [early.header(f) for f in fields] == [late.header(f) for f in fields]
    assert early.header("user-agent").startswith("docfetch/") and "requests/" in early.header("user-agent")
