"""Bulk downloads: ranges and lists, -O DIR, -j N concurrency, failures reported, Ctrl-C safe."""

import signal
import subprocess
import time

from docfetch.testing.signals import with_default_signals
from tests.helpers import docfetch_command, old_style_rfc

EDITOR = "www.rfc-editor.org"


def publish(world, numbers):
    for n in numbers:
        world.add_rfc(n, old_style_rfc(n, pages=1, final_newline=n % 2 == 0))
    return {n: world.docs.rfcs[n]["txt"] for n in numbers}


def test_range_to_directory_concurrently(ietf_world, run_docfetch, tmp_path, fake_web):
    docs = publish(ietf_world, [n for n in range(1, 41) if n != 14])
    out = tmp_path / "out"
    result = run_docfetch("-j", "8", "-O", str(out), "rfc:1-40", "rfc:2616")
    assert result.returncode == 3  # RFC 14 and RFC 2616 are not there; the rest is written
    assert sorted(p.name for p in out.iterdir()) == sorted(f"rfc{n}.txt" for n in docs)
    for n, body in docs.items():
        assert (out / f"rfc{n}.txt").read_bytes() == body
    err = result.stderr.decode()
    assert "RFC 14 not found" in err and "RFC 2616 not found" in err
    assert "39 of 41 documents written" in err and "2 failed" in err
    assert fake_web.count(EDITOR, "/rfc/rfc14.txt") == 1


def test_concurrent_output_keeps_the_order(ietf_world, run_docfetch, fake_web):
    docs = publish(ietf_world, range(100, 120))
    fake_web.latency = 0.05
    result = run_docfetch("-j", "8", "rfc:119", "rfc:100-118")
    assert result.returncode == 0, result.stderr
    assert result.stdout == docs[119] + b"".join(docs[n] for n in range(100, 119))


def test_concurrency_is_faster_than_one_at_a_time(ietf_world, run_docfetch, fake_web, tmp_path):
    publish(ietf_world, range(200, 224))
    fake_web.latency = 0.1
    start = time.monotonic()
    assert run_docfetch("-j", "8", "-O", str(tmp_path / "a"), "rfc:200-223").returncode == 0
    parallel = time.monotonic() - start
    start = time.monotonic()
    assert run_docfetch("--no-cache", "-j", "1", "-O", str(tmp_path / "b"), "rfc:200-223").returncode == 0
    serial = time.monotonic() - start
    assert parallel < serial / 2, (parallel, serial)


def test_interrupt_mid_bulk_leaves_no_partial_file(ietf_world, docfetch_env, tmp_path, fake_web):
    publish(ietf_world, range(300, 316))
    for n in range(300, 316):
        fake_web.fault(EDITOR, f"/rfc/rfc{n}.txt", stall=20, stall_after=50)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        with_default_signals([*docfetch_command(), "-j", "4", "-O", str(out), "rfc:300-315"]),
        env=docfetch_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while fake_web.count(EDITOR) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and (p.suffix == ".part" or p.name.startswith("."))]
    assert leftovers == []
    cache_docs = tmp_path / "docfetch-env"
    for path in cache_docs.rglob("rfc3*.txt"):
        assert path.read_bytes() == ietf_world.docs.rfcs[int(path.stem[3:])]["txt"]


def test_progress_bar_on_a_terminal_and_summary(ietf_world, docfetch_env, tmp_path, fake_web):
    import os
    import pty
    import re
    import select

    publish(ietf_world, range(400, 424))
    fake_web.latency = 0.02
    out = tmp_path / "out"
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*docfetch_command(), "-j", "4", "-O", str(out), "rfc:400-423"],
        env=dict(docfetch_env, COLUMNS="100"),
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    screen = b""
    while select.select([master], [], [], 30)[0]:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        screen += data
    assert proc.wait(30) == 0
    os.close(master)
    text = screen.decode("utf-8", "replace")
    assert re.search(r"\b\d+/24\b", text), text[-500:]  # the bar's "done/total" column
    assert "24 of 24 documents written" in text
    assert len(list(out.iterdir())) == 24
