"""Hardening of the network side against misbehaving REAL local servers (no mocks of requests).

Retries with backoff and jitter, Retry-After and its cap, bounded attempts and total time,
read and connect timeouts, a wall-clock deadline for trickling servers, truncated bodies,
resets, bounded redirects, the decoded-size cap (gzip bombs, with bounded memory), and
server-controlled text kept inert on stderr. Most tests run the installed ``docfetch``
command through the local HTTPS proxy; a few drive :class:`docfetch.net.http.HttpClient`
in-process to observe its waits exactly.
"""

from __future__ import annotations

import contextlib
import io
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from email.utils import formatdate
from pathlib import Path

import pytest

from docfetch.config import Settings
from docfetch.errors import FetchError, RefusedContentError
from docfetch.net.http import HttpClient, _retry_after
from docfetch.testing.pytest_plugin import docfetch_command
from tests.helpers import old_style_rfc

IETF, EDITOR = "www.ietf.org", "www.rfc-editor.org"
RFC791 = "/rfc/rfc791.txt"
EDITOR_URL = f"https://{EDITOR}{RFC791}"
MiB = 1024 * 1024


@pytest.fixture
def world(ietf_world):
    """RFC 791 (about 8 KB, no final newline) on the fake RFC Editor, reached through www.ietf.org."""
    ietf_world.add_rfc(791, old_style_rfc(791, final_newline=False))
    return ietf_world


@pytest.fixture
def doc(world) -> bytes:
    return world.docs.rfcs[791]["txt"]


@pytest.fixture
def env_root(tmp_path: Path) -> Path:
    """Where run_docfetch keeps the cache and config of the run (see docfetch.testing.env)."""
    return tmp_path / "docfetch-env"


def write_config(tmp_path: Path, **network: object) -> dict[str, str]:
    """A config file with a ``[network]`` table; returns the env_extra that selects it."""
    lines = ["[network]"] + [
        f"{key} = {value!r}" if isinstance(value, str) else f"{key} = {value}" for key, value in network.items()
    ]
    path = tmp_path / "hardening-config.toml"
    path.write_text("\n".join(lines) + "\n")
    return {"DOCFETCH_CONFIG": str(path)}


def cached_documents(env_root: Path) -> list[Path]:
    """Every file in the cache but lock files and learned redirects: documents, metadata, downloads in progress."""
    cache = env_root / "docfetch-cache"
    return sorted(p for p in cache.rglob("*") if p.is_file() and p.parent.name not in ("locks", "http"))


def timed(run: Callable[..., subprocess.CompletedProcess[bytes]], *args: str, **kwargs: object):
    """Run docfetch; return (result, seconds it took)."""
    start = time.monotonic()
    result = run(*args, **kwargs)
    return result, time.monotonic() - start


def request_times(fake_web, host: str, path: str) -> list[float]:
    return [r.time for r in fake_web.requests if r.host == host and r.path == path]


# -- a raw TCP server for what FakeWeb cannot do (trickling, hostile status lines, black holes) --


class RawServer:
    """A real TCP (optionally TLS) server on 127.0.0.1 handing every connection to ``serve``."""

    def __init__(self, serve: Callable[[socket.socket, threading.Event], None], tls: ssl.SSLContext | None = None):
        self._serve = serve
        self._tls = tls
        self.stop = threading.Event()
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def url(self, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}/"

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(10)
            if self._tls is not None:
                conn = self._tls.wrap_socket(conn, server_side=True)
            _read_request(conn)
            self._serve(conn, self.stop)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def close(self) -> None:
        self.stop.set()
        self._listener.close()
        self._thread.join(5)


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def trickle(conn: socket.socket, stop: threading.Event) -> None:
    """Announce a 1 MB text body, then send one byte every 0.2 s: never silent long enough to time out."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\nRFC 791\n")
    while not stop.wait(0.2):
        conn.sendall(b"x")


@pytest.fixture
def raw_server() -> Iterator[Callable[..., RawServer]]:
    servers: list[RawServer] = []

    def start(serve: Callable[[socket.socket, threading.Event], None], tls: ssl.SSLContext | None = None):
        server = RawServer(serve, tls)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def mirror_env(base_url: str, **extra: str) -> dict[str, str]:
    """Use the mirror source at ``base_url`` directly (127.0.0.1 is not proxied)."""
    return {"DOCFETCH_MIRRORS": base_url, "NO_PROXY": "127.0.0.1", **extra}


# -- retries -------------------------------------------------------------------------------------


def test_5xx_are_retried_until_the_document_arrives(world, doc, run_docfetch, fake_web):
    fake_web.fault(EDITOR, RFC791, statuses=[503, 500, 502], retry_after=0)
    result = run_docfetch("-s", "rfc-editor", "--retries", "3", "rfc:791")
    assert result.returncode == 0, result.stderr
    assert result.stdout == doc
    assert fake_web.count(EDITOR, RFC791) == 4


def test_429_is_retried(world, doc, run_docfetch, fake_web):
    fake_web.fault(EDITOR, RFC791, statuses=[429], retry_after="0")
    result = run_docfetch("-s", "rfc-editor", "--retries", "1", "rfc:791")
    assert (result.returncode, result.stdout) == (0, doc)
    assert fake_web.count(EDITOR, RFC791) == 2


def test_attempts_are_bounded_by_retries(world, run_docfetch, fake_web, env_root):
    fake_web.fault(EDITOR, RFC791, statuses=[503] * 20, retry_after=0)
    result = run_docfetch("-s", "rfc-editor", "--retries", "2", "rfc:791")
    assert result.returncode == 4 and result.stdout == b""
    assert b"503" in result.stderr and b"Traceback" not in result.stderr
    assert fake_web.count(EDITOR, RFC791) == 3
    assert cached_documents(env_root) == []


def test_retries_zero_means_one_attempt(world, run_docfetch, fake_web):
    fake_web.fault(EDITOR, RFC791, statuses=[500] * 5)
    assert run_docfetch("-s", "rfc-editor", "--retries", "0", "rfc:791").returncode == 4
    assert fake_web.count(EDITOR, RFC791) == 1


def test_retries_from_the_config_file(world, run_docfetch, fake_web, tmp_path):
    fake_web.fault(EDITOR, RFC791, statuses=[503] * 20, retry_after=0)
    result = run_docfetch("-s", "rfc-editor", "rfc:791", env_extra=write_config(tmp_path, retries=1))
    assert result.returncode == 4
    assert fake_web.count(EDITOR, RFC791) == 2
    fake_web.clear_log()
    flag_wins = run_docfetch(
        "-s", "rfc-editor", "--retries", "0", "rfc:791", env_extra=write_config(tmp_path, retries=1)
    )
    assert flag_wins.returncode == 4 and fake_web.count(EDITOR, RFC791) == 1


def test_connection_reset_is_retried(world, doc, run_docfetch, fake_web):
    fake_web.fault(EDITOR, RFC791, reset=True, times=2)
    result = run_docfetch("-s", "rfc-editor", "--retries", "2", "rfc:791")
    assert (result.returncode, result.stdout) == (0, doc)
    assert fake_web.count(EDITOR, RFC791) == 3


def test_connection_reset_every_time_is_a_fetch_failure(world, run_docfetch, fake_web, env_root):
    fake_web.fault(EDITOR, RFC791, reset=True)
    result = run_docfetch("-s", "rfc-editor", "--retries", "1", "rfc:791")
    assert result.returncode == 4 and result.stdout == b""
    assert fake_web.count(EDITOR, RFC791) == 2
    assert cached_documents(env_root) == []


def test_truncated_body_is_retried_and_the_whole_one_kept(world, doc, run_docfetch, fake_web, env_root):
    fake_web.fault(EDITOR, RFC791, truncate=200, times=1)
    result = run_docfetch("-s", "rfc-editor", "--retries", "1", "rfc:791")
    assert (result.returncode, result.stdout) == (0, doc)
    assert fake_web.count(EDITOR, RFC791) == 2
    assert (env_root / "docfetch-cache" / "docs" / "rfc" / "rfc791.txt").read_bytes() == doc


def test_truncated_body_everywhere_is_refused_content_exit_5(world, run_docfetch, fake_web, env_root, tmp_path):
    fake_web.fault(EDITOR, RFC791, truncate=200)
    out = tmp_path / "out.txt"
    result = run_docfetch("--retries", "1", "-o", str(out), "rfc:791")
    assert result.returncode == 5, result.stderr
    assert b"truncated" in result.stderr and b"Traceback" not in result.stderr
    # ietf (redirected to the RFC Editor) then the rfc-editor source, two attempts each
    assert fake_web.count(EDITOR, RFC791) == 4
    assert b"trying rfc-editor" in result.stderr
    assert cached_documents(env_root) == [] and not out.exists()


# -- Retry-After ---------------------------------------------------------------------------------


def test_retry_after_one_second_is_waited(world, doc, run_docfetch, fake_web):
    fake_web.fault(EDITOR, RFC791, statuses=[503], retry_after=1)
    result = run_docfetch("-s", "rfc-editor", "--retries", "1", "rfc:791")
    assert (result.returncode, result.stdout) == (0, doc)
    first, second = request_times(fake_web, EDITOR, RFC791)
    assert second - first >= 1.0


def test_retry_after_over_the_default_cap_gives_up_at_once(world, run_docfetch, fake_web):
    fake_web.fault(EDITOR, RFC791, statuses=[503] * 5, retry_after=120)
    result, seconds = timed(run_docfetch, "-s", "rfc-editor", "--retries", "3", "rfc:791")
    assert result.returncode == 4
    assert fake_web.count(EDITOR, RFC791) == 1
    assert seconds < 10
    assert b"120 s" in result.stderr and b"cap" in result.stderr


def test_retry_after_cap_is_configurable(world, run_docfetch, fake_web, tmp_path):
    fake_web.fault(EDITOR, RFC791, statuses=[429] * 5, retry_after=20)
    env = write_config(tmp_path, retry_after_cap=1)
    result, seconds = timed(run_docfetch, "-s", "rfc-editor", "--retries", "3", "rfc:791", env_extra=env)
    assert result.returncode == 4
    assert fake_web.count(EDITOR, RFC791) == 1 and seconds < 15  # the default 30 s cap would wait 20 s
    assert b"more than the 1 s cap" in result.stderr


def test_retry_after_parsing():
    assert _retry_after("0") == 0.0
    assert _retry_after(" 120 ") == 120.0
    assert _retry_after(None) is None and _retry_after("") is None
    assert _retry_after("soon") is None and _retry_after("-5") is None and _retry_after("1.5") is None
    in_a_minute = _retry_after(formatdate(time.time() + 60, usegmt=True))
    assert in_a_minute is not None and 55 <= in_a_minute <= 61
    assert _retry_after(formatdate(time.time() - 3600, usegmt=True)) == 0.0


# -- backoff and jitter, observed in-process (real server, recorded sleeps) ----------------------


def _failing_download(settings: Settings, fake_web, **fault: object) -> list[float]:
    """Download RFC 791 while the server fails; return the waits the client asked for."""
    fake_web.fault(EDITOR, RFC791, **fault)
    waits: list[float] = []
    client = HttpClient(settings, sleep=waits.append)
    try:
        with pytest.raises(FetchError):
            client.download(EDITOR_URL, io.BytesIO())
    finally:
        client.close()
    return waits


def test_backoff_is_exponential_with_jitter(world, fake_web, docfetch_inprocess_env):
    settings = Settings(timeout=10, retries=3)
    runs = [_failing_download(settings, fake_web, statuses=[503] * 4) for _ in range(4)]
    assert fake_web.count(EDITOR, RFC791) == 16
    for waits in runs:
        assert len(waits) == 3
        first, second, third = waits
        assert 0.25 <= first <= 0.75 and 0.5 <= second <= 1.5 and 1.0 <= third <= 3.0
    assert len({tuple(waits) for waits in runs}) == 4, "the waits must be jittered, not fixed"


def test_backoff_applies_to_connection_errors_too(world, fake_web, docfetch_inprocess_env):
    waits = _failing_download(Settings(timeout=10, retries=2), fake_web, reset=True)
    assert len(waits) == 2 and 0.25 <= waits[0] <= 0.75 and 0.5 <= waits[1] <= 1.5


def test_retry_after_replaces_the_backoff(world, fake_web, docfetch_inprocess_env):
    waits = _failing_download(Settings(timeout=10, retries=2), fake_web, statuses=[503] * 3, retry_after=7)
    assert waits == [7.0, 7.0]


def test_truncation_on_the_last_attempt_is_refused_content(world, fake_web, docfetch_inprocess_env):
    fake_web.fault(EDITOR, RFC791, truncate=100)
    client = HttpClient(Settings(timeout=10, retries=1), sleep=lambda _: None)
    try:
        with pytest.raises(RefusedContentError, match="truncated"):
            client.download(EDITOR_URL, io.BytesIO())
    finally:
        client.close()
    assert fake_web.count(EDITOR, RFC791) == 2


def test_retries_stop_when_the_time_budget_is_spent(world, fake_web, docfetch_inprocess_env):
    """timeout x attempts + retry_after_cap bounds the whole download, waits included."""
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    fake_web.fault(EDITOR, RFC791, statuses=[503] * 50)
    client = HttpClient(Settings(timeout=1, retries=10, retry_after_cap=1), sleep=sleep, clock=lambda: now[0])
    try:
        with pytest.raises(FetchError, match="no time left"):
            client.download(EDITOR_URL, io.BytesIO())
    finally:
        client.close()
    assert sum(waits) <= 12  # 1 s x 11 attempts + 1 s
    assert fake_web.count(EDITOR, RFC791) == len(waits) + 1 < 11


# -- timeouts and the wall-clock deadline --------------------------------------------------------


def test_stalled_server_hits_the_read_timeout(world, run_docfetch, fake_web, env_root):
    fake_web.fault(EDITOR, RFC791, stall=60, stall_after=100)
    result, seconds = timed(run_docfetch, "-s", "rfc-editor", "--timeout", "1", "--retries", "1", "rfc:791")
    assert result.returncode == 4, result.stderr
    assert b"timed out" in result.stderr and b"Traceback" not in result.stderr
    assert fake_web.count(EDITOR, RFC791) == 2
    assert seconds < 15
    assert cached_documents(env_root) == []


def test_timeout_from_the_config_file(world, run_docfetch, fake_web, tmp_path):
    fake_web.fault(EDITOR, RFC791, stall=60, stall_after=100)
    env = write_config(tmp_path, timeout=1, retries=0)
    result, seconds = timed(run_docfetch, "-s", "rfc-editor", "rfc:791", env_extra=env, timeout=30)
    assert result.returncode == 4 and b"timed out" in result.stderr
    assert seconds < 10


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_trickling_server_hits_the_wall_clock_deadline(scheme, raw_server, docfetch_ca, run_docfetch, tmp_path):
    tls = docfetch_ca.server_context([]) if scheme == "https" else None
    server = raw_server(trickle, tls)
    # budget: timeout 1 s x 1 attempt + retry_after_cap 1 s = 2 s; the server would need 55 hours
    env = write_config(tmp_path, timeout=1, retries=0, retry_after_cap=1) | mirror_env(server.url(scheme))
    result, seconds = timed(run_docfetch, "-s", "mirror", "rfc:791", env_extra=env, timeout=30)
    assert result.returncode == 4, result.stderr
    assert b"too slow" in result.stderr and b"Traceback" not in result.stderr
    assert 1.5 <= seconds < 10
    assert cached_documents(tmp_path / "docfetch-env") == []


def test_connect_timeout(run_docfetch, tmp_path):
    listener = socket.create_server(("127.0.0.1", 0), backlog=0)
    port = listener.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port))  # fills the backlog: further SYNs are dropped
    try:
        env = mirror_env(f"http://127.0.0.1:{port}/")
        result, seconds = timed(
            run_docfetch, "-s", "mirror", "--timeout", "1", "--retries", "1", "rfc:791", env_extra=env
        )
    finally:
        filler.close()
        listener.close()
    assert result.returncode == 4, result.stderr
    assert b"timed out" in result.stderr
    assert 2 <= seconds < 10


# -- redirects -----------------------------------------------------------------------------------


def test_redirect_loop_is_bounded(world, run_docfetch, fake_web):
    fake_web.fault(EDITOR, RFC791, redirect=EDITOR_URL)
    result = run_docfetch("-s", "rfc-editor", "rfc:791")
    assert result.returncode == 4 and result.stdout == b""
    assert b"too many redirects" in result.stderr
    assert fake_web.count(EDITOR, RFC791) == 11  # the request and 10 redirects, no retries


def test_two_hop_redirect_loop_is_bounded(world, run_docfetch, fake_web):
    fake_web.fault(EDITOR, "/a", redirect=f"https://{EDITOR}/b")
    fake_web.fault(EDITOR, "/b", redirect=f"https://{EDITOR}/a")
    fake_web.fault(EDITOR, RFC791, redirect=f"https://{EDITOR}/a")
    result = run_docfetch("-s", "rfc-editor", "rfc:791")
    assert result.returncode == 4 and b"too many redirects" in result.stderr
    hops = fake_web.count(EDITOR, RFC791) + fake_web.count(EDITOR, "/a") + fake_web.count(EDITOR, "/b")
    assert hops == 11


@pytest.mark.parametrize(
    "target",
    ["ftp://ftp.rfc-editor.org/in-notes/rfc791.txt", "file:///etc/passwd", "gopher://www.rfc-editor.org/0/rfc791.txt"],
)
def test_redirect_to_a_non_http_scheme_is_refused(world, run_docfetch, fake_web, target):
    fake_web.fault(EDITOR, RFC791, redirect=target)
    result = run_docfetch("-s", "rfc-editor", "rfc:791")
    assert result.returncode == 4 and result.stdout == b""
    assert b"non-HTTP" in result.stderr
    assert fake_web.count(EDITOR, RFC791) == 1


def test_redirect_from_http_up_to_https_is_followed(world, doc, run_docfetch, fake_web, tmp_path):
    fake_web.add_file("plain.example", "/rfc791.txt", b"", etag=False)
    fake_web.fault("plain.example", "/rfc791.txt", redirect=EDITOR_URL)
    result = run_docfetch("-s", "mirror", "rfc:791", env_extra={"DOCFETCH_MIRRORS": "http://plain.example/"})
    assert (result.returncode, result.stdout) == (0, doc), result.stderr


def test_https_down_to_http_is_refused_after_a_cross_host_hop(world, run_docfetch, fake_web):
    fake_web.fault(EDITOR, RFC791, redirect="http://www.rfc-editor.org/rfc/rfc791.txt")
    result = run_docfetch("rfc:791")  # www.ietf.org -> https rfc-editor -> http: refused (both sources)
    assert result.returncode == 4 and b"https down to http" in result.stderr
    assert fake_web.count(EDITOR, RFC791, scheme="http") == 0


# -- size cap ------------------------------------------------------------------------------------


def test_max_size_flag_refuses_larger_documents(world, run_docfetch, fake_web, env_root, tmp_path):
    out = tmp_path / "out.txt"
    result = run_docfetch("-s", "rfc-editor", "--max-size", "1K", "-o", str(out), "rfc:791")
    assert result.returncode == 5 and b"limit" in result.stderr
    assert cached_documents(env_root) == [] and not out.exists()
    assert fake_web.count(EDITOR, RFC791) == 1  # refused content is not retried


def test_max_size_is_counted_on_decoded_bytes(world, doc, run_docfetch, fake_web):
    # The RFC Editor gzips everything: ~1.3 KB on the wire, ~8 KB decoded.
    limit = len(doc) - 1
    result = run_docfetch("-s", "rfc-editor", "--max-size", str(limit), "rfc:791")
    assert result.returncode == 5
    exact = run_docfetch("-s", "rfc-editor", "--max-size", str(len(doc)), "rfc:791")
    assert (exact.returncode, exact.stdout) == (0, doc)


def test_max_size_from_the_config_file(world, run_docfetch, tmp_path):
    result = run_docfetch("-s", "rfc-editor", "rfc:791", env_extra=write_config(tmp_path, max_size="2K"))
    assert result.returncode == 5 and b"limit" in result.stderr


@pytest.mark.parametrize("bad", ["0", "-1", "lots", "1T", ""])
def test_invalid_max_size_is_a_usage_error(world, run_docfetch, bad):
    result = run_docfetch("--max-size", bad, "rfc:791")
    assert result.returncode == 2 and b"Traceback" not in result.stderr


def test_announced_length_over_the_cap_is_refused_before_the_body(world, run_docfetch, fake_web):
    # The body stalls after 10 bytes: only a refusal on the Content-Length header ends this quickly.
    fake_web.add_file("big.example", "/rfc791.txt", b"A" * (3 * MiB))
    fake_web.fault("big.example", "/rfc791.txt", stall=60, stall_after=10)
    env = {"DOCFETCH_MIRRORS": "https://big.example/"}
    result, seconds = timed(
        run_docfetch, "-s", "mirror", "--max-size", "1M", "--timeout", "20", "rfc:791", env_extra=env
    )
    assert result.returncode == 5 and b"limit" in result.stderr
    assert seconds < 10


def _max_rss_mib(
    command: list[str], env: dict[str, str], cwd: Path
) -> tuple[subprocess.CompletedProcess[bytes], float]:
    """Run ``command`` under a small Python parent; return its result and the child's peak RSS (MiB)."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "code = subprocess.run(sys.argv[1:]).returncode\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", wrapper, *command], env=env, cwd=cwd, capture_output=True, timeout=120, check=False
    )
    peak_kib = int(result.stderr.decode().strip().splitlines()[-1])
    return result, peak_kib / 1024


def test_gzip_bomb_hits_the_default_cap(world, run_docfetch, fake_web, env_root):
    fake_web.fault(EDITOR, RFC791, gzip_bomb=80 * MiB)
    result = run_docfetch("-s", "rfc-editor", "rfc:791")
    assert result.returncode == 5 and b"67108864 byte limit" in result.stderr
    assert cached_documents(env_root) == []


def test_gzip_bomb_is_streamed_with_bounded_memory(world, fake_web, docfetch_env, tmp_path):
    # 160 MiB of zeros in 160 KiB of gzip; a 120 MiB cap. Buffering would need 120 MiB or more.
    fake_web.fault(EDITOR, RFC791, gzip_bomb=160 * MiB)
    command = [*docfetch_command(), "-s", "rfc-editor", "--max-size", "120M", "rfc:791"]
    result, peak = _max_rss_mib(command, docfetch_env, tmp_path)
    assert result.returncode == 5, result.stderr
    assert b"125829120 byte limit" in result.stderr
    assert peak < 100, f"docfetch peaked at {peak:.0f} MiB"
    assert cached_documents(tmp_path / "docfetch-env") == []


# -- validation failures and fallback ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "said"),
    [({"html_instead": True}, b"HTML"), ({"empty": True}, b"empty"), ({"truncate": 300}, b"truncated")],
)
def test_bad_bodies_fall_back_to_the_next_source(world, doc, run_docfetch, fake_web, tmp_path, fault, said):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "rfc791.txt").write_bytes(doc)
    fake_web.fault(EDITOR, RFC791, **fault)
    result = run_docfetch("--retries", "0", "rfc:791", env_extra={"DOCFETCH_MIRRORS": str(mirror)})
    assert result.returncode == 0, result.stderr
    assert result.stdout == doc
    assert said in result.stderr and b"trying mirror" in result.stderr


@pytest.mark.parametrize(
    ("fault", "said"),
    [({"html_instead": True}, b"HTML"), ({"empty": True}, b"empty"), ({"truncate": 300}, b"truncated")],
)
def test_bad_bodies_with_no_source_left_are_exit_5(world, run_docfetch, fake_web, env_root, tmp_path, fault, said):
    out = tmp_path / "out.txt"
    out.write_bytes(b"previous contents\n")
    fake_web.fault(EDITOR, RFC791, **fault)
    result = run_docfetch("--retries", "0", "-o", str(out), "rfc:791")
    assert result.returncode == 5, result.stderr
    assert said in result.stderr and b"Traceback" not in result.stderr
    assert out.read_bytes() == b"previous contents\n"
    assert cached_documents(env_root) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_explicit_source_with_a_bad_body_does_not_fall_back(world, doc, run_docfetch, fake_web, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "rfc791.txt").write_bytes(doc)
    fake_web.fault(EDITOR, RFC791, html_instead=True)
    result = run_docfetch("-s", "rfc-editor", "rfc:791", env_extra={"DOCFETCH_MIRRORS": str(mirror)})
    assert result.returncode == 5 and result.stdout == b""


# -- server-controlled text on stderr ------------------------------------------------------------


def hostile_status(conn: socket.socket, stop: threading.Event) -> None:
    """A 500 whose reason phrase writes the clipboard (OSC 52) and retitles the terminal."""
    conn.sendall(b"HTTP/1.1 500 \x1b]52;c;cHduZWQ=\x07\x1b]0;pwned\x07\x9b2J\r\nContent-Length: 0\r\n\r\n")


def hostile_redirect(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: ftp://x/\x1b]52;c;cHduZWQ=\x07\r\nContent-Length: 0\r\n\r\n")


@pytest.mark.parametrize("serve", [hostile_status, hostile_redirect])
def test_server_text_in_errors_cannot_drive_the_terminal(serve, raw_server, run_docfetch):
    server = raw_server(serve)
    result = run_docfetch("-s", "mirror", "--retries", "0", "rfc:791", env_extra=mirror_env(server.url()))
    assert result.returncode == 4, result.stderr
    assert b"\x1b" not in result.stderr and b"\x07" not in result.stderr and b"\x9b" not in result.stderr
    assert b"\xc2\x9b" not in result.stderr
    assert b"52;c;" in result.stderr  # shown, inert
