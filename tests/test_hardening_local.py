"""Hardening on the local side: files, paths, terminals, signals, pipes and concurrent processes.

Every test runs the installed ``docfetch`` command against the real local servers of the
test kit and then looks at the file system: no partial file in the cache, at ``-o`` or
anywhere else; no path outside the cache or output directory, whatever the reference or a
plugin says; no terminal control sequences on a terminal while pipes get exact bytes; Ctrl-C
and closed pipes end quietly.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from docfetch.terminal import document_text as terminal_text
from docfetch.testing.pytest_plugin import docfetch_command
from docfetch.testing.signals import with_default_signals
from tests.helpers import fake_install, old_style_rfc, run_on_pty

EDITOR, IETF = "www.rfc-editor.org", "www.ietf.org"
BIG = 4242  # an RFC big enough to be caught mid-download (about 1.3 MB, compresses poorly)


def big_document() -> bytes:
    lines = [f"RFC {BIG}  line {i:06d}  {hashlib.sha256(str(i).encode()).hexdigest()}\n" for i in range(16000)]
    return "".join(lines).encode("ascii")


@pytest.fixture
def world(ietf_world):
    ietf_world.add_rfc(791, old_style_rfc(791, final_newline=False))
    ietf_world.add_rfc(793, old_style_rfc(793))
    ietf_world.add_rfc(BIG, big_document())
    return ietf_world


def published(world, number: int) -> bytes:
    return world.docs.rfcs[number]["txt"]


def all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def partial_files(root: Path) -> list[Path]:
    """Downloads in progress or atomic-write temporaries left anywhere under ``root``."""
    return sorted(p for p in all_files(root) if p.name.endswith(".part") or p.parent.name == "tmp")


def cache_docs(env_root: Path) -> list[Path]:
    return sorted(p for p in (env_root / "docfetch-cache" / "docs").rglob("*") if p.is_file() and p.suffix != ".meta")


# -- Ctrl-C --------------------------------------------------------------------------------------


def _wait_until(condition: Callable[[], bool], proc: subprocess.Popen[bytes], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(
                f"docfetch ended early: {proc.returncode}, {proc.stderr.read() if proc.stderr else ''}"
            )
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("docfetch never got to the point of being interrupted")
        time.sleep(0.05)


def _downloading(staging: Path) -> Callable[[], bool]:
    """True once a download in progress under ``staging`` holds some bytes (the body has started)."""

    def check() -> bool:
        return any(p.stat().st_size > 0 for p in staging.rglob("*.part") if p.is_file())

    return check


def interrupt_mid_download(
    args: list[str], env: dict[str, str], cwd: Path, staging: Path
) -> subprocess.CompletedProcess[bytes]:
    """Start docfetch, wait until it has part of a body on disk, send SIGINT, collect the outcome."""
    proc = subprocess.Popen(
        with_default_signals([*docfetch_command(), *args]),
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _wait_until(_downloading(staging), proc)
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _stall_big(fake_web) -> None:
    size = len(fake_web.file(EDITOR, f"/rfc/rfc{BIG}.txt").gzipped())
    fake_web.fault(EDITOR, f"/rfc/rfc{BIG}.txt", stall=60, stall_after=size // 2)


def test_ctrl_c_during_a_cache_fetch(world, fake_web, docfetch_env, tmp_path):
    _stall_big(fake_web)
    env_root = tmp_path / "docfetch-env"
    result = interrupt_mid_download([f"rfc:{BIG}"], docfetch_env, tmp_path, env_root / "docfetch-cache")
    assert result.returncode == 130, result.stderr
    assert b"Traceback" not in result.stderr and result.stdout == b""
    assert partial_files(tmp_path) == [] and cache_docs(env_root) == []


def test_ctrl_c_with_output_file(world, fake_web, docfetch_env, tmp_path):
    _stall_big(fake_web)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    args = ["-o", str(out_dir / "both.txt"), "rfc:793", f"rfc:{BIG}"]
    result = interrupt_mid_download(args, docfetch_env, tmp_path, tmp_path / "docfetch-env" / "docfetch-cache")
    assert result.returncode == 130, result.stderr
    assert b"Traceback" not in result.stderr
    assert list(out_dir.iterdir()) == []
    assert partial_files(tmp_path) == []
    # RFC 793 arrived whole before the interrupt and may stay cached; the interrupted one may not.
    assert [p.name for p in cache_docs(tmp_path / "docfetch-env")] == ["rfc793.txt"]


def test_ctrl_c_with_output_file_and_no_cache(world, fake_web, docfetch_env, tmp_path):
    _stall_big(fake_web)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = dict(docfetch_env, TMPDIR=str(scratch))
    out = tmp_path / "rfc.txt"
    result = interrupt_mid_download(["--no-cache", "-o", str(out), f"rfc:{BIG}"], env, tmp_path, scratch)
    assert result.returncode == 130, result.stderr
    assert b"Traceback" not in result.stderr
    assert not out.exists() and all_files(scratch) == set()
    assert partial_files(tmp_path) == []


def test_ctrl_c_while_waiting_to_retry(world, fake_web, docfetch_env, tmp_path):
    fake_web.fault(EDITOR, "/rfc/rfc791.txt", statuses=[503] * 5, retry_after=25)
    proc = subprocess.Popen(
        with_default_signals([*docfetch_command(), "-s", "rfc-editor", "--retries", "2", "rfc:791"]),
        env=docfetch_env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _wait_until(lambda: fake_web.count(EDITOR, "/rfc/rfc791.txt") == 1, proc)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err and out == b""
    assert partial_files(tmp_path) == [] and cache_docs(tmp_path / "docfetch-env") == []


# -- closed pipes --------------------------------------------------------------------------------


def run_into_closed_pipe(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run docfetch with stdout a pipe whose reader is already gone (every write fails with EPIPE)."""
    env = {k: v for k, v in env.items() if k != "PYTHONUNBUFFERED"}  # buffered stdout, as users have it
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [*docfetch_command(), *args], env=env, cwd=cwd, stdout=write_end, stderr=subprocess.PIPE, timeout=60
        )
    finally:
        os.close(write_end)
    return proc


def test_closed_pipe_on_a_network_fetch_is_quiet(world, fake_web, docfetch_env, tmp_path):
    result = run_into_closed_pipe(["rfc:791", "rfc:793"], docfetch_env, tmp_path)
    assert result.stderr == b"", result.stderr
    assert result.returncode == 0  # documented: a reader going away is not an error
    assert partial_files(tmp_path) == []


def test_closed_pipe_on_a_cached_fetch_is_quiet(world, run_docfetch, docfetch_env, tmp_path):
    assert run_docfetch("rfc:791").returncode == 0
    result = run_into_closed_pipe(["rfc:791"], docfetch_env, tmp_path)
    assert result.stderr == b"", result.stderr
    assert result.returncode == 0


def test_head_closing_early_is_quiet(world, docfetch_env, tmp_path):
    command = " ".join(docfetch_command()) + f" rfc:{BIG} rfc:791 | head -c 10"
    env = {k: v for k, v in docfetch_env.items() if k != "PYTHONUNBUFFERED"}
    result = subprocess.run(["bash", "-c", command], env=env, cwd=tmp_path, capture_output=True, timeout=60)
    assert result.stdout == published(world, BIG)[:10]
    assert b"Traceback" not in result.stderr and b"Exception ignored" not in result.stderr, result.stderr
    assert result.stderr == b""


# -- concurrent processes, one cache -------------------------------------------------------------


def test_six_processes_fetch_one_document_into_one_cache(world, fake_web, docfetch_env, tmp_path):
    fake_web.fault(EDITOR, "/rfc/rfc791.txt", delay=1.0)
    procs = [
        subprocess.Popen(
            [*docfetch_command(), "rfc:791"],
            env=docfetch_env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(6)
    ]
    outcomes = [(proc.communicate(timeout=60), proc.returncode) for proc in procs]
    for (out, err), code in outcomes:
        assert code == 0, err
        assert out == published(world, 791)
    env_root = tmp_path / "docfetch-env"
    assert (env_root / "docfetch-cache" / "docs" / "rfc" / "rfc791.txt").read_bytes() == published(world, 791)
    assert [p.name for p in cache_docs(env_root)] == ["rfc791.txt"]
    assert partial_files(tmp_path) == []
    assert fake_web.count(EDITOR, "/rfc/rfc791.txt") == 1, "the file lock lets one process download"
    # each process that found nothing cached sent its first GET early, before taking the lock
    assert 1 <= fake_web.count(IETF, "/rfc/rfc791.txt") <= 6


# -- references never become paths outside the cache or output directory -------------------------


@pytest.mark.parametrize(
    "reference",
    [
        "rfc:1/../../x",
        "rfc:../../x",
        "draft:../../x",
        "draft-../../x",
        "draft:draft-a/../../../x",
        "note:../../x",
        "note:..",
        "note:.",
        "note:a/b",
        "note:/etc/passwd",
        "note:..\\..\\x",
        "a/b:x",
        "..:x",
        "x.y:../z",
        "x/../../y:z",
        "rfc:791%00/../x",
    ],
)
def test_unsafe_references_write_nothing_anywhere(world, run_docfetch, tmp_path, reference):
    work = tmp_path / "a" / "b" / "c"
    work.mkdir(parents=True)
    before = all_files(tmp_path)
    result = run_docfetch(reference, "-o", "out.txt", cwd=work)
    assert result.returncode == 2, result.stderr
    assert b"Traceback" not in result.stderr and result.stdout == b""
    assert all_files(tmp_path) == before


@pytest.mark.parametrize(
    "ref",
    [("rfc", "1/../../x"), ("../..", "x"), ("draft", "../x"), ("note", ".."), ("note", "a\\b"), ("x/y", "z")],
)
def test_library_references_built_by_hand_are_checked(docfetch_inprocess_env, tmp_path, ref):
    from docfetch.config import Settings
    from docfetch.engine.fetcher import Fetcher, FetchOptions
    from docfetch.errors import UsageError
    from docfetch.reference import Reference

    before = all_files(tmp_path)
    with Fetcher(Settings(), FetchOptions(quiet=True)) as fetcher, pytest.raises(UsageError, match="unsafe"):
        fetcher.fetch(Reference(*ref), "txt")
    assert all_files(tmp_path) == before


PLUGIN = '''
"""A source whose resolve() names a file outside the cache (a buggy or hostile plugin)."""

import os
from pathlib import Path

from docfetch import Reference, Source, hookimpl


class Escape(Source):
    name = "escape"
    schemes = ("esc",)
    formats = ("txt",)

    def resolve(self, ref):
        return Reference(os.environ.get("ESCAPE_SCHEME", ref.scheme), os.environ["ESCAPE_NAME"])

    def locate(self, ref, fmt):
        return [Path(os.environ["ESCAPE_FILE"])]


@hookimpl
def docfetch_sources():
    return [Escape]
'''


@pytest.mark.parametrize(
    ("scheme", "name"),
    [
        (None, "../../../../escaped"),
        (None, "../../../../escaped-dir/x"),
        ("../../../..", "escaped"),
        ("x/../../../..", "escaped"),
        (None, "/absolute-escaped"),
        (None, ".."),
    ],
)
@pytest.mark.parametrize("cache", [True, False])
def test_plugin_cannot_resolve_to_a_path_outside(run_docfetch, tmp_path, tmp_path_factory, scheme, name, cache):
    # The plugin lives outside the tree watched below: importing it may write __pycache__ files there.
    site = tmp_path_factory.mktemp("site")
    (site / "docfetch_escape.py").write_text(PLUGIN)
    fake_install(site, "docfetch-escape", "0.1", {"escape": "docfetch_escape"})
    document = tmp_path / "doc.txt"
    document.write_bytes(b"A harmless note.\n")
    deep = tmp_path / "deep" / "a" / "b" / "c"
    (deep / "cache").mkdir(parents=True)
    (deep / "tmp").mkdir()
    env = {
        "PYTHONPATH": str(site),
        "ESCAPE_NAME": name,
        "ESCAPE_FILE": str(document),
        "DOCFETCH_CACHE_DIR": str(deep / "cache"),
        "TMPDIR": str(deep / "tmp"),
        "ESCAPE_SCHEME": scheme,
    }
    before = all_files(tmp_path)
    args = ["esc:note"] if cache else ["--no-cache", "esc:note"]
    result = run_docfetch(*args, env_extra=env, cwd=deep)
    assert result.returncode != 0 and result.stdout == b""
    assert b"Traceback" not in result.stderr
    assert b"escape" in result.stderr  # names the plugin at fault
    created = all_files(tmp_path) - before
    inside = [p for p in created if (deep / "cache") in p.parents and "locks" not in p.parts]
    assert inside == [], "nothing cached for an unsafe name"
    assert [p for p in created if "locks" not in p.parts] == []
    assert not any("escaped" in str(p) for p in created)


# -- terminals: control sequences made inert; pipes and files byte-exact -------------------------

HOSTILE = (
    "RFC 9999\n"
    "\x1b]52;c;cHduZWQ=\x07"  # OSC 52: write the clipboard (ESC form, BEL terminated)
    "\x1b]52;p;cHduZWQ=\x1b\\"  # the same, ST terminated
    "\u009d52;c;cHduZWQ=\u009c"  # OSC and ST as C1 code points (UTF-8 encoded)
    "\u009b2J\u0090qdcs\u009c\u009fapc\u009c\u0085nel\u008e"  # CSI, DCS, APC, NEL, SS2
    "\x1bP1$r\x1b\\\x1b[6n\x1b[?1049h\x05"  # DCS, cursor report request, alternate screen, ENQ
    "\nÜber 日本\n"
).encode() + b"raw 8-bit: \x9b2J \x9d52;c;x\x9c end\n"


def test_terminal_text_neutralises_c1_and_osc52():
    shown = terminal_text(HOSTILE)
    assert not any(0x80 <= ord(c) <= 0x9F for c in shown)
    assert not any(ord(c) < 0x20 and c not in "\t\n\f\r" for c in shown)
    assert "\x7f" not in shown
    assert "^[]52;c;cHduZWQ=^G" in shown and "<U+009D>52;c;" in shown and "<U+009B>2J" in shown
    assert "Über 日本" in shown


@pytest.fixture
def hostile_env(docfetch_env, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "rfc9999.txt").write_bytes(HOSTILE)
    return dict(docfetch_env, DOCFETCH_MIRRORS=str(mirror))


def _inert(screen: bytes) -> None:
    """Valid UTF-8 (so no raw 8-bit C1 byte) without C0 or C1 controls other than tab, newline, CR, FF."""
    text = screen.decode("utf-8")
    bad = [c for c in text if (ord(c) < 0x20 and c not in "\t\n\r\f") or 0x7F <= ord(c) <= 0x9F]
    assert bad == [], f"control characters reached the terminal: {bad!r}"


def test_terminal_gets_no_osc52_or_c1_controls(hostile_env):
    code, screen, err = run_on_pty(["-s", "mirror", "--no-pager", "rfc:9999"], hostile_env)
    assert code == 0, err
    _inert(screen)
    assert "Über 日本".encode() in screen and b"52;c;cHduZWQ=" in screen


def test_pager_gets_no_osc52_or_c1_controls(hostile_env, tmp_path):
    captured = tmp_path / "paged.txt"
    code, _screen, err = run_on_pty(["-s", "mirror", "rfc:9999"], dict(hostile_env, PAGER=f"tee {captured}"))
    assert code == 0, err
    _inert(captured.read_bytes())


def test_pipe_and_output_file_stay_byte_exact(hostile_env, tmp_path):
    piped = subprocess.run(
        [*docfetch_command(), "-s", "mirror", "rfc:9999"], env=hostile_env, capture_output=True, check=False
    )
    assert piped.stdout == HOSTILE
    out = tmp_path / "hostile.txt"
    written = subprocess.run(
        [*docfetch_command(), "-s", "mirror", "-o", str(out), "rfc:9999"],
        env=hostile_env,
        capture_output=True,
        check=False,
    )
    assert written.returncode == 0 and out.read_bytes() == HOSTILE
