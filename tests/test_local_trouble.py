"""Trouble on the user's machine, started for real: damaged, read-only, full or missing caches, stdout that
cannot be written, signals, leftovers of a killed process, the pager.

Read-only and full file systems are made with a private mount namespace (``unshare -Urm``: a
read-only bind mount, a 64 KiB tmpfs), which works for root and ordinary users alike where
unprivileged user namespaces are allowed; the tests skip, saying why, where they are not.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docfetch.testing.pytest_plugin import docfetch_command
from docfetch.testing.signals import with_default_signals
from tests.helpers import old_style_rfc, rfc_index_xml, run_on_pty

EDITOR = "www.rfc-editor.org"
DOC = old_style_rfc(791, pages=4)


@pytest.fixture
def world(ietf_world):
    from tests.test_sections_cli import OLD

    ietf_world.add_rfc(9990, OLD)
    ietf_world.add_rfc(791, DOC)
    ietf_world.add_rfc(793, old_style_rfc(793))
    ietf_world.add_rfc(2616, b'{"doc_id": "RFC2616", "obsoleted_by": ["RFC7230"]}', fmt="json")
    ietf_world.add_rfc(2616, old_style_rfc(2616))
    ietf_world.add_index(rfc_index_xml({}, {791: {"title": "Internet Protocol"}}))
    return ietf_world


@pytest.fixture
def cache(docfetch_env) -> Path:
    return Path(docfetch_env["DOCFETCH_CACHE_DIR"])


def cached(cache: Path, name: str = "rfc791.txt") -> Path:
    return cache / "docs" / "rfc" / name


def stderr_lines(result) -> list[str]:
    return result.stderr.decode().splitlines()


def _unshare_works() -> str | None:
    if not shutil.which("unshare"):
        return "unshare is not installed"
    probe = subprocess.run(["unshare", "-Urm", "true"], capture_output=True, check=False)
    return None if probe.returncode == 0 else "unprivileged mount namespaces are not allowed here"


UNSHARE = _unshare_works()


def in_namespace(setup: str, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """Run docfetch ``args`` after the shell ``setup`` (mounts) in a private user and mount namespace."""
    script = f"{setup} && exec {shlex.join([*docfetch_command(), *args])}"
    return subprocess.run(
        ["unshare", "-Urm", "sh", "-c", script], env=env, capture_output=True, timeout=60, check=False
    )


# -- a cache that heals itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:100]), id="truncated"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes().replace(b"quick", b"QUICK", 1)), id="altered"),
        pytest.param(lambda p: p.write_bytes(b""), id="emptied"),
    ],
)
@pytest.mark.parametrize("path", [[], ["-s", "ietf"]], ids=["fast-path", "engine"])
def test_a_damaged_entry_is_noticed_and_fetched_again(world, run_docfetch, fake_web, cache, damage, path):
    assert run_docfetch("rfc:791").stdout == DOC
    damage(cached(cache))
    fake_web.clear_log()
    result = run_docfetch(*path, "rfc:791")
    assert (result.returncode, result.stdout) == (0, DOC)  # never the damaged bytes
    [note] = stderr_lines(result)
    assert note.startswith("docfetch: note: the cached RFC 791 is damaged (") and note.endswith("fetching it again")
    assert fake_web.count(EDITOR, "/rfc/rfc791.txt") == 1
    assert cached(cache).read_bytes() == DOC
    healed = run_docfetch("rfc:791")
    assert (healed.stdout, healed.stderr) == (DOC, b"")


def test_a_damaged_entry_offline_is_a_clear_error(world, run_docfetch, cache):
    run_docfetch("rfc:791")
    cached(cache).write_bytes(DOC[:-1])
    result = run_docfetch("--offline", "rfc:791")
    assert (result.returncode, result.stdout) == (3, b"")
    assert stderr_lines(result) == [
        f"docfetch: error: the cached RFC 791 is damaged ({len(DOC) - 1} bytes where {len(DOC)} were stored)",
        "docfetch: hint: run without --offline to fetch it again",
    ]


def test_cache_verify_and_repair(world, run_docfetch, fake_web, cache):
    run_docfetch("rfc:791")
    run_docfetch("rfc:793")
    whole = run_docfetch("cache", "verify")
    assert whole.returncode == 0 and stderr_lines(whole) == ["docfetch: 2 cached documents checked, 0 damaged"]
    cached(cache).write_bytes(b"not RFC 791\n")
    found = run_docfetch("cache", "verify", "--json")
    assert found.returncode == 6
    report = json.loads(found.stdout)
    assert report["checked"] == 2 and [Path(d["path"]).name for d in report["damaged"]] == ["rfc791.txt"]
    assert cached(cache).read_bytes() == b"not RFC 791\n"  # verify alone changes nothing
    repaired = run_docfetch("cache", "verify", "--repair")
    assert repaired.returncode == 0, repaired.stderr
    assert cached(cache).read_bytes() == DOC
    assert run_docfetch("cache", "verify").returncode == 0


def test_an_entry_without_a_record_is_adopted(world, run_docfetch, cache):
    legacy = cached(cache)
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(DOC)  # as docfetch 0.1 left it: no record beside it
    assert run_docfetch("rfc:791").stdout == DOC
    record = json.loads(legacy.with_name("rfc791.txt.meta").read_bytes())
    assert record["size"] == len(DOC) and len(record["sha256"]) == 64
    legacy.write_bytes(DOC[:50])
    assert run_docfetch("rfc:791").stdout == DOC  # from now on it is verified


# -- an unusable cache never stops a fetch ----------------------------------------------------------


def test_cache_dir_that_is_a_file(world, run_docfetch, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_bytes(b"")
    result = run_docfetch("rfc:791", env_extra={"DOCFETCH_CACHE_DIR": str(blocker)})
    assert (result.returncode, result.stdout) == (0, DOC)
    [note] = stderr_lines(result)
    assert note.startswith(f"docfetch: note: the cache {blocker} cannot be used (") and "going on without it" in note
    info = run_docfetch("info", "rfc:2616", env_extra={"DOCFETCH_CACHE_DIR": str(blocker)})
    assert info.returncode == 0 and b"RFC 7230" in info.stdout


@pytest.mark.skipif(UNSHARE is not None, reason=str(UNSHARE))
def test_read_only_cache(world, docfetch_env, cache):
    cache.mkdir(parents=True, exist_ok=True)
    where = shlex.quote(str(cache))
    setup = f"mount --bind {where} {where} && mount -o remount,ro,bind {where}"
    result = in_namespace(setup, ["rfc:791"], docfetch_env)
    assert (result.returncode, result.stdout) == (0, DOC), result.stderr
    [note] = stderr_lines(result)
    assert "cannot be used (Read-only file system)" in note
    search = in_namespace(setup, ["search", "internet"], docfetch_env)  # the index database, built privately
    assert search.returncode == 0 and search.stdout.startswith(b"RFC 791 "), search.stderr


@pytest.mark.skipif(UNSHARE is not None, reason=str(UNSHARE))
def test_full_cache_disk(world, docfetch_env, cache):
    cache.mkdir(parents=True, exist_ok=True)
    where = shlex.quote(str(cache))
    setup = f"mount -t tmpfs -o size=64k tmpfs {where} && head -c 60000 /dev/zero > {where}/filler"
    big = old_style_rfc(791, pages=12)  # bigger than what is left on the disk
    world.add_rfc(791, big)
    result = in_namespace(setup, ["rfc:791"], docfetch_env)
    assert (result.returncode, result.stdout) == (0, big), result.stderr
    assert any("cannot be used" in line and "No space left on device" in line for line in stderr_lines(result))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere: the read-only mount test covers it")
def test_cache_owned_by_someone_else(world, run_docfetch, cache):
    cache.mkdir(parents=True, exist_ok=True)
    cache.chmod(0o555)
    try:
        result = run_docfetch("rfc:791")
        assert (result.returncode, result.stdout) == (0, DOC)
        assert "cannot be used (Permission denied)" in result.stderr.decode()
    finally:
        cache.chmod(0o755)


# -- output that cannot be written ------------------------------------------------------------------


def shell(command: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["bash", "-c", command], env=env, cwd=cwd, capture_output=True, timeout=60, check=False)


@pytest.mark.parametrize(
    ("redirect", "reason"),
    [("> /dev/full", "No space left on device"), (">&-", "it is closed")],
    ids=["full", "closed"],
)
@pytest.mark.parametrize(
    "args", ["rfc:791", "-s ietf rfc:791", "rfc9990#2", "toc rfc:9990"], ids=["fast", "engine", "section", "toc"]
)
def test_stdout_that_cannot_be_written(world, run_docfetch, docfetch_env, tmp_path, redirect, reason, args):
    run_docfetch("rfc:791")  # cached, so both paths are tried
    run_docfetch("rfc:9990")
    command = shlex.join(docfetch_command()) + f" {args} {redirect}"
    result = shell(command, docfetch_env, tmp_path)
    assert result.returncode == 6
    assert stderr_lines(result) == [f"docfetch: error: cannot write to standard output: {reason}"]


def test_a_reader_that_leaves_early_ends_docfetch_quietly(world, docfetch_env, tmp_path):
    for number in range(1, 31):
        world.add_rfc(number, old_style_rfc(number, pages=30))
    command = shlex.join(docfetch_command()) + " -j 8 rfc:1-30 | head -c 100 > /dev/null; echo ${PIPESTATUS[0]} >&2"
    for _ in range(12):
        result = shell(command, docfetch_env, tmp_path)
        assert result.stderr == b"0\n", result.stderr
    assert not list((Path(docfetch_env["DOCFETCH_CACHE_DIR"]) / "tmp").glob("*.part"))


# -- signals and what a killed process leaves ------------------------------------------------------


def slow_start(world, fake_web, env: dict[str, str], args: list[str]) -> subprocess.Popen[bytes]:
    """Start docfetch on a download that stalls half-way; return once the body is flowing."""
    words = [os.urandom(6).hex() for _ in range(40000)]  # text that does not compress: it flows at once
    big = ("\n".join(" ".join(words[i : i + 8]) for i in range(0, len(words), 8)) + "\n").encode()
    world.add_rfc(9999, big)
    fake_web.fault(EDITOR, "/rfc/rfc9999.txt", stall=30)
    command = with_default_signals([*docfetch_command(), *args])  # whatever the runner ignores
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    parts = Path(env["DOCFETCH_CACHE_DIR"]) / "tmp"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(p.stat().st_size for p in parts.glob("*.part")):
        time.sleep(0.05)
    assert any(parts.glob("*.part")), "the download never started"
    return proc


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["TERM", "HUP", "INT"])
def test_signals_leave_nothing_partial(world, fake_web, docfetch_env, tmp_path, signum):
    out = tmp_path / "out.txt"
    proc = slow_start(world, fake_web, docfetch_env, ["-o", str(out), "rfc:9999"])
    proc.send_signal(signum)
    _stdout, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 128 + signum
    assert b"Traceback" not in stderr
    cache = Path(docfetch_env["DOCFETCH_CACHE_DIR"])
    assert not out.exists() and not list(tmp_path.glob(".out.txt.*"))
    assert not list((cache / "tmp").glob("*.part")) and not cached(cache, "rfc9999.txt").exists()


def test_what_sigkill_leaves_is_never_served_and_is_swept(world, fake_web, docfetch_env, run_docfetch):
    proc = slow_start(world, fake_web, docfetch_env, ["rfc:9999"])
    proc.kill()
    proc.wait(timeout=20)
    parts = list((Path(docfetch_env["DOCFETCH_CACHE_DIR"]) / "tmp").glob("*.part"))
    assert parts  # a SIGKILL cannot clean up
    fake_web.reset()
    again = run_docfetch("rfc:9999")
    assert again.stdout == world.docs.rfcs[9999]["txt"]  # the leftover is never served
    assert all(p.exists() for p in parts)  # recent: another process may still be writing it
    old = time.time() - 7200
    for part in parts:
        os.utime(part, (old, old))
    run_docfetch("-s", "ietf", "--refresh", "rfc:793")  # any later download sweeps what is stale
    assert not any(p.exists() for p in parts)


# -- the pager ----------------------------------------------------------------------------------------

PAGER = """import signal, sys, time, pathlib
signal.signal(signal.SIGINT, lambda *a: pathlib.Path(sys.argv[1]).with_suffix('.int').write_text('seen'))
data = sys.stdin.read()
pathlib.Path(sys.argv[1]).write_text(data)
time.sleep(1.5)  # the reader is still reading when Ctrl-C comes
pathlib.Path(sys.argv[1]).with_suffix('.done').write_text('done')
"""


def test_ctrl_c_while_paging_leaves_the_terminal_to_the_pager(world, run_docfetch, docfetch_env, tmp_path):
    run_docfetch("rfc:2616")
    run_docfetch("-f", "json", "rfc:2616")  # the per-RFC JSON cached: the note is certain
    script = tmp_path / "pager.py"
    script.write_text(PAGER)
    paged = tmp_path / "paged.txt"
    env = dict(docfetch_env, PAGER=f"{sys.executable} {script} {paged}")
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*docfetch_command(), "rfc:2616"], stdout=slave, stderr=subprocess.PIPE, env=env, start_new_session=True
    )
    os.close(slave)
    deadline = time.monotonic() + 20
    while not paged.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground process group
    time.sleep(0.3)
    assert proc.poll() is None  # docfetch waits for the pager
    _out, err = proc.communicate(timeout=20)
    os.close(master)
    assert proc.returncode == 0
    assert paged.with_suffix(".done").exists() and paged.with_suffix(".int").exists()
    assert err.decode().splitlines() == ["docfetch: note: RFC 2616 is obsoleted by RFC 7230"]


def test_notes_come_before_the_pager_opens(world, run_docfetch, docfetch_env, tmp_path):
    run_docfetch("rfc:2616")
    run_docfetch("-f", "json", "rfc:2616")
    order = tmp_path / "order.log"
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\necho pager-opened >> {order}\ncat > /dev/null\n")
    pager.chmod(0o755)
    env = dict(docfetch_env, PAGER=str(pager))
    code, _screen, err = run_on_pty(["rfc:2616"], env)
    assert code == 0
    assert err == b"docfetch: note: RFC 2616 is obsoleted by RFC 7230\n"
    assert order.read_text() == "pager-opened\n"  # and the note was already written: stderr is unbuffered


# -- the unexpected ----------------------------------------------------------------------------------


def test_an_internal_error_is_one_line_and_debug_shows_the_traceback(monkeypatch, capsys):
    # A bug cannot be provoked on purpose from outside; one is put into the fetch command's entry.
    from docfetch.cli import fastpath, main

    def broken(_args: list[str]) -> int:
        raise RuntimeError("a bug\nwith a second line")

    monkeypatch.setattr(fastpath, "fetch_entry", broken)
    monkeypatch.delenv("DOCFETCH_DEBUG", raising=False)
    assert main.run(["rfc:791"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "docfetch: error: internal error: RuntimeError: a bug",
        "docfetch: hint: run again with DOCFETCH_DEBUG=1 to see the traceback, and please report it",
    ]
    monkeypatch.setenv("DOCFETCH_DEBUG", "1")
    with pytest.raises(RuntimeError, match="a bug"):
        main.run(["rfc:791"])


def test_a_record_of_the_wrong_shape_is_no_record(world, run_docfetch, cache):
    run_docfetch("rfc:791")
    meta = cached(cache).with_name("rfc791.txt.meta")
    meta.write_text(json.dumps({"size": len(DOC), "sha256": 7}))
    result = run_docfetch("-s", "ietf", "rfc:791")
    assert (result.returncode, result.stdout, result.stderr) == (0, DOC, b"")
    assert isinstance(json.loads(meta.read_text())["sha256"], str)  # adopted again


def test_notes_are_the_pagers_first_lines_when_stderr_is_the_terminal(world, run_docfetch, docfetch_env, tmp_path):
    # A pager paints over what was printed before it: with stderr on the same terminal, the note
    # would vanish under the first page. It is shown at the top of the paged text instead, once.
    import pty

    run_docfetch("rfc:2616")
    run_docfetch("-f", "json", "rfc:2616")
    paged = tmp_path / "paged.txt"
    env = dict(docfetch_env, PAGER=f"tee {paged}")
    master, slave = pty.openpty()
    proc = subprocess.run(
        [*docfetch_command(), "rfc:2616"], stdout=slave, stderr=slave, env=env, timeout=30, check=False
    )
    os.close(slave)
    screen = b""
    with contextlib.suppress(OSError):
        while chunk := os.read(master, 1 << 16):
            screen += chunk
    os.close(master)
    assert proc.returncode == 0
    note = "docfetch: note: RFC 2616 is obsoleted by RFC 7230\n"
    assert paged.read_text("utf-8") == note + "\n" + world.docs.rfcs[2616]["txt"].decode()
    assert screen.count(b"RFC 2616 is obsoleted by RFC 7230") == 1  # in the pager only, not printed twice


def test_every_command_stops_quietly_when_its_reader_goes_away(ietf_world, run_docfetch, docfetch_env, tmp_path):
    # Output larger than a pipe's buffer, to a reader that is gone: a write fails with EPIPE.
    ietf_world.add_index(rfc_index_xml({}, {n: {"title": f"Protocol number {n}"} for n in range(1, 1500)}))
    run_docfetch("search", "protocol")  # the index database, built once
    command = shlex.join([*docfetch_command(), "search", "--json", "--limit", "1000", "protocol"])
    result = shell(f"{command} | true; echo ${{PIPESTATUS[0]}} >&2", docfetch_env, tmp_path)
    assert result.stderr == b"0\n"
