"""Learned redirects (docfetch.store.redirects): what HTTP lets a cache keep, siblings, persistence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docfetch.store.redirects import HEURISTIC_LIFETIME, MAX_RULES, RedirectMemory, freshness

IETF = "https://www.ietf.org/rfc/rfc791.txt"
EDITOR = "https://www.rfc-editor.org/rfc/rfc791.txt"
NOW = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


class Headers(dict[str, str]):
    """Response headers looked up without regard to case, as requests' are."""

    def __init__(self, **fields: str) -> None:
        super().__init__({k.replace("_", "-").lower(): v for k, v in fields.items()})

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(name.lower(), default)


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (301, Headers(), HEURISTIC_LIFETIME),  # heuristically cacheable (RFC 9110 15.1)
        (308, Headers(), HEURISTIC_LIFETIME),
        (302, Headers(), 0.0),  # temporary: only with explicit freshness
        (307, Headers(), 0.0),
        (302, Headers(Cache_Control="max-age=600"), 600.0),
        (307, Headers(Cache_Control='private, max-age="90"'), 90.0),
        (301, Headers(Cache_Control="max-age=60"), 60.0),  # explicit beats the heuristic
        (301, Headers(Cache_Control="no-store"), 0.0),
        (301, Headers(Cache_Control="no-cache"), 0.0),
        (301, Headers(Vary="*"), 0.0),
        (301, Headers(Cache_Control="max-age=600", Age="100"), 500.0),
        (301, Headers(Cache_Control="max-age=abc"), 0.0),
        (302, Headers(Expires="Thu, 01 Jan 2026 00:10:00 GMT", Date="Thu, 01 Jan 2026 00:00:00 GMT"), 600.0),
        (301, Headers(Expires="0"), 0.0),  # an invalid Expires means already expired
        (200, Headers(Cache_Control="max-age=600"), 0.0),  # not a redirect
    ],
)
def test_freshness_follows_rfc_9111(status, headers, expected):
    assert freshness(status, headers, NOW) == expected


def test_a_learned_redirect_leads_the_url_and_its_siblings(tmp_path: Path):
    memory = RedirectMemory(str(tmp_path), clock=Clock())
    assert memory.shortcut(IETF) is None
    memory.learn(IETF, 301, Headers(), EDITOR)
    exact = memory.shortcut(IETF)
    assert exact is not None and (exact.url, exact.exact) == (EDITOR, True)
    sibling = memory.shortcut("https://www.ietf.org/rfc/rfc9110.json")
    assert sibling is not None and not sibling.exact
    assert sibling.url == "https://www.rfc-editor.org/rfc/rfc9110.json"
    # not a sibling: another directory, a sub-directory, a query
    for other in ("https://www.ietf.org/id/rfc1.txt", "https://www.ietf.org/rfc/x/rfc1.txt", IETF + "?a=b"):
        assert memory.shortcut(other) is None
    # the guess goes first, the URL itself after it (a failure of the guess falls back)
    assert memory.ahead(["https://www.ietf.org/rfc/rfc1.txt"]) == [
        "https://www.rfc-editor.org/rfc/rfc1.txt",
        "https://www.ietf.org/rfc/rfc1.txt",
    ]
    assert memory.ahead([IETF]) == [EDITOR]  # as a cache keeps a redirect: the URL is not asked
    assert memory.ahead([Path("/srv/rfc1.txt")]) == [Path("/srv/rfc1.txt")]


def test_a_redirect_moving_the_file_name_is_not_generalised(tmp_path: Path):
    memory = RedirectMemory(str(tmp_path), clock=Clock())
    memory.learn("https://www.rfc-editor.org/rfc/rfc0791.txt", 308, Headers(), EDITOR)
    assert memory.shortcut("https://www.rfc-editor.org/rfc/rfc0793.txt") is None


def test_chains_are_followed(tmp_path: Path):
    memory = RedirectMemory(str(tmp_path), clock=Clock())
    memory.learn("http://www.ietf.org/rfc/rfc791.txt", 301, Headers(), IETF)
    memory.learn(IETF, 301, Headers(), EDITOR)
    shortcut = memory.shortcut("http://www.ietf.org/rfc/rfc791.txt")
    assert shortcut is not None and (shortcut.url, shortcut.exact) == (EDITOR, True)
    guess = memory.shortcut("http://www.ietf.org/rfc/rfc1.txt")
    assert guess is not None and (guess.url, guess.exact) == ("https://www.rfc-editor.org/rfc/rfc1.txt", False)


def test_temporary_and_unsafe_redirects_are_not_learned(tmp_path: Path):
    memory = RedirectMemory(str(tmp_path), clock=Clock())
    memory.learn(IETF, 302, Headers(), EDITOR)
    memory.learn(IETF, 301, Headers(), "http://www.rfc-editor.org/rfc/rfc791.txt")  # https -> http
    memory.learn(IETF, 301, Headers(), "ftp://ftp.example/rfc791.txt")
    memory.save()
    assert memory.rules() == [] and not (tmp_path / "http" / "redirects.json").exists()


def test_a_302_now_forgets_what_a_301_taught(tmp_path: Path):
    memory = RedirectMemory(str(tmp_path), clock=Clock())
    memory.learn("https://www.ietf.org/rfc/rfc793.txt", 301, Headers(), "https://www.rfc-editor.org/rfc/rfc793.txt")
    memory.learn(IETF, 302, Headers(), EDITOR)  # the sibling rule predicted it: no longer reusable
    assert memory.shortcut(IETF) is None and memory.rules() == []


def test_expiry_and_persistence(tmp_path: Path):
    clock = Clock()
    memory = RedirectMemory(str(tmp_path), clock=clock)
    memory.learn(IETF, 301, Headers(Cache_Control="max-age=100"), EDITOR)
    memory.save()
    saved = json.loads((tmp_path / "http" / "redirects.json").read_text())
    assert saved["rules"] == [{"from": IETF, "to": EDITOR, "status": 301, "expires": NOW + 100}]
    later = RedirectMemory(str(tmp_path), clock=clock)
    assert later.shortcut(IETF) is not None
    clock.now += 101
    assert later.shortcut(IETF) is None and later.shortcut("https://www.ietf.org/rfc/rfc1.txt") is None


def test_learning_again_extends_the_rule_that_predicted_it(tmp_path: Path):
    clock = Clock()
    memory = RedirectMemory(str(tmp_path), clock=clock)
    memory.learn(IETF, 301, Headers(), EDITOR)
    clock.now += 2 * 86400
    memory.learn("https://www.ietf.org/rfc/rfc1.txt", 301, Headers(), "https://www.rfc-editor.org/rfc/rfc1.txt")
    assert [(r.source, r.expires) for r in memory.rules()] == [(IETF, clock.now + HEURISTIC_LIFETIME)]


def test_a_contradicted_rule_is_dropped(tmp_path: Path):
    memory = RedirectMemory(str(tmp_path), clock=Clock())
    memory.learn(IETF, 301, Headers(), EDITOR)
    elsewhere = "https://rfcs.example.org/rfc1.txt"
    memory.learn("https://www.ietf.org/rfc/rfc1.txt", 301, Headers(), elsewhere)
    assert [r.source for r in memory.rules()] == ["https://www.ietf.org/rfc/rfc1.txt"]
    guess = memory.shortcut("https://www.ietf.org/rfc/rfc2.txt")
    assert guess is not None and guess.url == "https://rfcs.example.org/rfc2.txt"


def test_a_url_served_for_itself_forgets_the_rules_sending_it_elsewhere(tmp_path: Path):
    memory = RedirectMemory(str(tmp_path), clock=Clock())
    memory.learn(IETF, 301, Headers(), EDITOR)
    memory.served("https://www.ietf.org/rfc/rfc800.txt")
    assert memory.rules() == [] and memory.shortcut(IETF) is None


def test_404_is_remembered_for_the_run_only(tmp_path: Path):
    clock = Clock()
    memory = RedirectMemory(str(tmp_path), clock=clock)
    memory.missing(EDITOR, 404)
    assert memory.known_missing(EDITOR) == 404 and memory.known_missing(IETF) is None
    memory.save()
    assert RedirectMemory(str(tmp_path), clock=clock).known_missing(EDITOR) is None
    clock.now += 61
    assert memory.known_missing(EDITOR) is None


def test_no_directory_learns_for_the_run_only(tmp_path: Path):
    memory = RedirectMemory(None, clock=Clock())
    memory.learn(IETF, 301, Headers(), EDITOR)
    memory.save()
    assert memory.shortcut(IETF) is not None and memory.path is None


def test_a_damaged_or_hostile_file_is_only_a_lost_hint(tmp_path: Path):
    (tmp_path / "http").mkdir()
    path = tmp_path / "http" / "redirects.json"
    for content in (b"\x00garbage", b"[]", b'{"rules": [{"from": 1}]}', b'{"rules": "x"}'):
        path.write_bytes(content)
        assert RedirectMemory(str(tmp_path), clock=Clock()).shortcut(IETF) is None
    hostile = {"rules": [{"from": IETF, "to": "http://evil.example/x", "status": 301, "expires": NOW + 99}]}
    path.write_text(json.dumps(hostile))
    assert RedirectMemory(str(tmp_path), clock=Clock()).shortcut(IETF) is None  # never https -> http


def test_at_most_max_rules_are_kept_the_longest_lived_first(tmp_path: Path):
    clock = Clock()
    memory = RedirectMemory(str(tmp_path), clock=clock)
    for n in range(MAX_RULES + 5):
        clock.now = NOW + n
        memory.learn(f"https://h{n}.example/a/f.txt", 301, Headers(), f"https://t{n}.example/b/f.txt")
    memory.save()
    kept = {r.source for r in RedirectMemory(str(tmp_path), clock=clock).rules()}
    assert kept == {f"https://h{n}.example/a/f.txt" for n in range(5, MAX_RULES + 5)}
