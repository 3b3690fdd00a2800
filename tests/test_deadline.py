"""One time limit per document, fallbacks included; the backoff cap; the limit while following redirects.

The limit is ``timeout x (retries + 1) + retry_after_cap`` for one document, shared by every
source, location, redirect, retry and wait tried for it (README, "HTTP behaviour"). Servers
that trickle one byte every 0.2 s (never silent long enough for the read timeout) show it with
the installed command; the backoff cap is observed in-process with the client's injectable
sleep and clock.
"""

from __future__ import annotations

import io
import time

import pytest

from docfetch.config import Settings
from docfetch.errors import FetchError
from docfetch.net.deadline import Deadline, document_budget
from docfetch.net.http import BACKOFF_MAX, HttpClient
from tests.helpers import old_style_rfc

EDITOR = "www.rfc-editor.org"
RFC791 = "/rfc/rfc791.txt"
#: timeout 1 s x 1 attempt + retry_after_cap 1 s: a 2 s limit for each document.
TWO_SECONDS = {"DOCFETCH_TIMEOUT": "1", "DOCFETCH_RETRIES": "0"}


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "deadline.toml"
    path.write_text("[network]\nretry_after_cap = 1\n")
    return {"DOCFETCH_CONFIG": str(path), **TWO_SECONDS}


@pytest.fixture
def world(ietf_world):
    ietf_world.add_rfc(791, old_style_rfc(791))
    ietf_world.add_rfc(793, old_style_rfc(793))
    return ietf_world


def mirror_host(fake_web, host: str, *numbers: int, trickle: float | None = 0.2) -> str:
    """An HTTPS mirror at ``host`` holding RFCs ``numbers``, each trickling; returns its base URL."""
    for number in numbers:
        path = f"/rfcs/rfc{number}.txt"
        fake_web.add_file(host, path, old_style_rfc(number))
        if trickle is not None:
            fake_web.fault(host, path, trickle=trickle)
    return f"https://{host}/rfcs/"


def timed(run, *args, **kwargs):
    start = time.monotonic()
    result = run(*args, **kwargs)
    return result, time.monotonic() - start


def test_the_budget_is_documented_arithmetic():
    assert document_budget(Settings()) == 30 * 4 + 30 == 150
    assert document_budget(Settings(timeout=1, retries=0, retry_after_cap=1)) == 2


def test_every_source_of_one_document_shares_one_deadline(world, run_docfetch, fake_web, config):
    # ietf (redirected to the RFC Editor), then rfc-editor, then the mirror: all three trickle.
    fake_web.fault(EDITOR, RFC791, trickle=0.2)
    env = config | {"DOCFETCH_MIRRORS": mirror_host(fake_web, "mirror.example", 791)}
    result, seconds = timed(run_docfetch, "-q", "rfc:791", env_extra=env)
    assert result.returncode == 4 and result.stdout == b""
    err = result.stderr.decode()
    assert "ietf: https://www.ietf.org/rfc/rfc791.txt: too slow: the whole download did not finish within 2 s" in err
    assert (
        "mirror: https://mirror.example/rfcs/rfc791.txt: not tried: the 2 s limit for this document was used up" in err
    )
    assert 1.8 <= seconds < 3.5, seconds  # one limit, not one per source (that took 6 s)
    assert fake_web.count("mirror.example") == 0


def test_every_location_of_one_source_shares_it(world, run_docfetch, fake_web, config):
    first = mirror_host(fake_web, "m1.example", 791)
    second = mirror_host(fake_web, "m2.example", 791)
    env = config | {"DOCFETCH_MIRRORS": f"{first},{second}"}
    result, seconds = timed(run_docfetch, "-q", "-s", "mirror", "rfc:791", env_extra=env)
    assert result.returncode == 4, result.stderr
    assert 1.8 <= seconds < 3.5, seconds
    assert fake_web.count("m1.example") == 1 and fake_web.count("m2.example") == 0


def test_a_fallback_after_a_quick_failure_gets_the_time_left(world, run_docfetch, fake_web, config):
    fake_web.fault(EDITOR, RFC791, statuses=[503] * 5)
    env = config | {"DOCFETCH_MIRRORS": mirror_host(fake_web, "mirror.example", 791, trickle=None)}
    result = run_docfetch("rfc:791", env_extra=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == world.docs.rfcs[791]["txt"]


def test_each_document_of_a_bulk_run_has_its_own(world, run_docfetch, fake_web, config):
    env = config | {"DOCFETCH_MIRRORS": mirror_host(fake_web, "mirror.example", 791, 793)}
    result, seconds = timed(run_docfetch, "-q", "-s", "mirror", "-j", "1", "rfc:791", "rfc:793", env_extra=env)
    assert result.returncode == 4
    assert result.stderr.count(b"too slow: the whole download did not finish within 2 s") == 2
    assert b"not tried" not in result.stderr
    assert 3.6 <= seconds < 7, seconds


def test_the_deadline_holds_while_following_redirects(world, run_docfetch, fake_web, config):
    # nine hops of 0.4 s each before the document: the 2 s limit falls in the middle of them
    host = "slow-redirects.example"
    fake_web.add_file(host, "/rfcs/rfc791.txt", old_style_rfc(791))
    fake_web.fault(host, "/rfcs/rfc791.txt", delay=0.4, redirect=f"https://{host}/hop/1")
    for hop in range(1, 9):
        fake_web.fault(host, f"/hop/{hop}", delay=0.4, redirect=f"https://{host}/hop/{hop + 1}")
    fake_web.fault(host, "/hop/9", delay=0.4, redirect=f"https://{host}/final/rfc791.txt")
    fake_web.add_file(host, "/final/rfc791.txt", old_style_rfc(791))
    env = config | {"DOCFETCH_MIRRORS": f"https://{host}/rfcs/"}
    result, seconds = timed(run_docfetch, "-q", "-s", "mirror", "rfc:791", env_extra=env)
    assert result.returncode == 4 and result.stdout == b""
    assert b"gave up at the time limit while following redirects" in result.stderr, result.stderr
    assert 1.8 <= seconds < 3.5, seconds
    assert 4 <= fake_web.count(host) <= 7
    assert fake_web.count(host, "/final/rfc791.txt") == 0


# -- in-process: the client's waits, on its own clock ---------------------------------------------


class FakeTime:
    """A clock that only moves when the client sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def test_backoff_is_capped(world, fake_web, docfetch_inprocess_env):
    fake = FakeTime()
    fake_web.fault(EDITOR, RFC791, statuses=[503] * 20)
    client = HttpClient(Settings(timeout=30, retries=9), sleep=fake.sleep, clock=fake.clock)
    try:
        with pytest.raises(FetchError, match="503"):
            client.download(f"https://{EDITOR}{RFC791}", io.BytesIO())
    finally:
        client.close()
    assert len(fake.waits) == 9 and fake_web.count(EDITOR, RFC791) == 10
    for attempt, wait in enumerate(fake.waits):
        base = min(BACKOFF_MAX, 0.5 * 2**attempt)
        assert 0.5 * base <= wait <= 1.5 * base, (attempt, wait)
    assert max(fake.waits) <= 1.5 * BACKOFF_MAX == 12  # uncapped, the seventh wait alone would be 16 s or more


def test_no_redirect_is_followed_after_the_deadline(world, fake_web, docfetch_inprocess_env):
    """A clock that moves 0.7 s each time it is read: the deadline (2 s) passes after the first hop."""
    now = [0.0]

    def clock() -> float:
        now[0] += 0.7
        return now[0]

    host = "fast-redirects.example"
    for hop in range(10):
        fake_web.fault(host, f"/hop/{hop}", redirect=f"https://{host}/hop/{hop + 1}")
    fake_web.add_file(host, "/hop/10", old_style_rfc(791))
    client = HttpClient(Settings(timeout=1, retries=0, retry_after_cap=1), sleep=lambda _: None, clock=clock)
    try:
        with pytest.raises(FetchError, match="gave up at the time limit while following redirects"):
            client.download(f"https://{host}/hop/0", io.BytesIO())
    finally:
        client.close()
    assert fake_web.count(host) == 1


def test_a_deadline_already_passed_asks_nothing(world, fake_web, docfetch_inprocess_env):
    fake = FakeTime()
    deadline = Deadline(5, clock=fake.clock)
    fake.now += 6
    client = HttpClient(Settings(), sleep=fake.sleep, clock=fake.clock)
    try:
        with pytest.raises(FetchError, match="not tried: the 5 s limit for this document was used up"):
            client.download(f"https://{EDITOR}{RFC791}", io.BytesIO(), deadline=deadline)
    finally:
        client.close()
    assert fake_web.count(EDITOR) == 0


def test_a_shared_deadline_limits_the_retries_of_the_next_download(world, fake_web, docfetch_inprocess_env):
    fake = FakeTime()
    fake_web.fault(EDITOR, RFC791, statuses=[503] * 50)
    settings = Settings(timeout=1, retries=10, retry_after_cap=1)  # 12 s for the document
    client = HttpClient(settings, sleep=fake.sleep, clock=fake.clock)
    deadline = Deadline(document_budget(settings), clock=fake.clock)
    try:
        for _ in range(2):
            with pytest.raises(FetchError):
                client.download(f"https://{EDITOR}{RFC791}", io.BytesIO(), deadline=deadline)
    finally:
        client.close()
    assert sum(fake.waits) <= 12  # both downloads together, not 12 s each
