"""``docfetch mirror sync``: the installed command against a local RFC Editor (HTTPS, proxy, gzip).

Every test runs the real ``docfetch`` in a subprocess, through a forward proxy with a private
CA, with docfetch's default URLs unchanged; documents are compared byte for byte.
"""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from docfetch.testing.pytest_plugin import docfetch_command

EDITOR, IETF = "www.rfc-editor.org", "www.ietf.org"
DEAD_PROXY = "http://127.0.0.1:9"


def doc_paths(fake_web, host=EDITOR):
    """Paths of the RFC files requested from ``host`` (not the index)."""
    return sorted(r.path for r in fake_web.requests if r.host == host and r.path.startswith("/rfc/"))


def summary(result) -> str:
    return result.stdout.decode().strip()


@pytest.fixture
def mirror_dir(tmp_path) -> Path:
    return tmp_path / "mirror"


# -- a fresh sync --------------------------------------------------------------------------


def test_fresh_sync_writes_exactly_what_the_index_lists(
    sync_world, run_docfetch, fake_web, mirror_dir, visible, helpers
):
    result = run_docfetch("mirror", "sync", str(mirror_dir), "--range", "1-20")
    assert result.returncode == 0, result.stderr
    assert summary(result) == f"synced {len(helpers.txt_1_20)} new, 0 up to date, 0 failed"
    assert result.stderr == b""  # not a terminal: no progress bar, no notes
    expected = sync_world.expected(helpers.txt_1_20, "txt") | {"rfc-index.xml": sync_world.index}
    assert visible(mirror_dir) == expected  # exact bytes; nothing else, nothing outside the range
    # not issued (14), no text (4): never asked for; each listed file asked for once
    assert doc_paths(fake_web) == sorted(f"/rfc/rfc{n}.txt" for n in helpers.txt_1_20)
    assert not list(mirror_dir.glob("*.part")) and not list(mirror_dir.glob(".*.part"))


def test_files_are_readable_like_any_file_not_mkstemp_private(sync_world, run_docfetch, mirror_dir):
    assert run_docfetch("mirror", "sync", str(mirror_dir), "-r", "1-3").returncode == 0
    umask = os.umask(0o022)
    os.umask(umask)
    for name in ("rfc1.txt", "rfc-index.xml"):
        assert stat.S_IMODE((mirror_dir / name).stat().st_mode) == 0o666 & ~umask


def test_second_run_fetches_only_what_is_missing(sync_world, run_docfetch, fake_web, mirror_dir, visible, helpers):
    assert run_docfetch("mirror", "sync", str(mirror_dir), "--range", "1-20").returncode == 0
    (mirror_dir / "rfc3.txt").unlink()
    (mirror_dir / "rfc17.txt").write_bytes(b"")  # an empty file is not a document
    before = (mirror_dir / "rfc5.txt").stat()
    fake_web.clear_log()

    result = run_docfetch("mirror", "sync", str(mirror_dir), "--range", "1-20")
    assert result.returncode == 0, result.stderr
    assert summary(result) == f"synced 2 new, {len(helpers.txt_1_20) - 2} up to date, 0 failed"
    assert doc_paths(fake_web) == ["/rfc/rfc17.txt", "/rfc/rfc3.txt"]
    assert fake_web.count(EDITOR, "/rfc/rfc5.txt") == 0
    index_requests = [r for r in fake_web.requests if r.path == "/rfc-index.xml"]
    assert len(index_requests) == 1 and index_requests[0].header("If-None-Match")  # revalidated, not re-sent
    assert (mirror_dir / "rfc5.txt").stat().st_mtime_ns == before.st_mtime_ns  # untouched
    assert visible(mirror_dir) == sync_world.expected(helpers.txt_1_20, "txt") | {"rfc-index.xml": sync_world.index}

    fake_web.clear_log()
    third = run_docfetch("mirror", "sync", str(mirror_dir), "--range", "1-20")
    assert summary(third) == f"synced 0 new, {len(helpers.txt_1_20)} up to date, 0 failed"
    assert doc_paths(fake_web) == []


def test_formats_pdf_xml_follow_the_index(sync_world, run_docfetch, fake_web, mirror_dir, visible, helpers):
    result = run_docfetch("mirror", "sync", str(mirror_dir), "--formats", "pdf,XML")
    assert result.returncode == 0, result.stderr
    pdfs = [n for n, fmts in sorted(helpers.issued.items()) if "PDF" in fmts]
    xmls = [8650, 10001]  # listed for 3 and 8174 too, but XML exists only from 8650 on
    expected = sync_world.expected(pdfs, "pdf") | sync_world.expected(xmls, "xml")
    assert visible(mirror_dir) == expected | {"rfc-index.xml": sync_world.index}
    assert fake_web.count(EDITOR, "/rfc/rfc3.xml") == 0 and fake_web.count(EDITOR, "/rfc/rfc8174.xml") == 0
    assert not any(p.endswith(".txt") for p in doc_paths(fake_web))
    assert summary(result) == f"synced {len(expected)} new, 0 up to date, 0 failed"


def test_json_and_html_are_revalidated_with_etags(sync_world, run_docfetch, fake_web, mirror_dir, visible, helpers):
    issued = [n for n in range(1, 7) if n in helpers.issued]
    args = ("mirror", "sync", str(mirror_dir), "-r", "1-6", "-f", "json,html")
    first = run_docfetch(*args)
    assert first.returncode == 0, first.stderr
    expected = sync_world.expected(issued, "json") | sync_world.expected([5], "html")
    assert visible(mirror_dir) == expected | {"rfc-index.xml": sync_world.index}
    assert summary(first) == f"synced {len(expected)} new, 0 up to date, 0 failed"
    state = (mirror_dir / ".docfetch-sync.json").read_text()
    assert '"rfc5.html"' in state and '"rfc1.json"' in state
    inode = (mirror_dir / "rfc1.json").stat().st_ino

    fake_web.clear_log()
    second = run_docfetch(*args)
    assert summary(second) == f"synced 0 new, {len(expected)} up to date, 0 failed"
    docs = [r for r in fake_web.requests if r.path.startswith("/rfc/")]
    assert len(docs) == len(expected) and all(r.header("If-None-Match") for r in docs)

    sync_world.publish(5, "json", helpers.json_bytes(5, version=2))  # the RFC Editor changed one
    third = run_docfetch(*args)
    assert summary(third) == f"synced 1 new, {len(expected) - 1} up to date, 0 failed"
    assert (mirror_dir / "rfc5.json").read_bytes() == helpers.json_bytes(5, version=2)
    assert (mirror_dir / "rfc1.json").stat().st_ino == inode  # the unchanged ones were not rewritten

    (mirror_dir / ".docfetch-sync.json").unlink()  # no ETags known: bytes are compared instead
    fourth = run_docfetch(*args)
    assert summary(fourth) == f"synced 0 new, {len(expected)} up to date, 0 failed"
    assert (mirror_dir / "rfc1.json").stat().st_ino == inode
    assert '"rfc1.json"' in (mirror_dir / ".docfetch-sync.json").read_text()


# -- failures ------------------------------------------------------------------------------


def test_failing_documents_are_reported_and_the_rest_written(
    sync_world, run_docfetch, fake_web, mirror_dir, visible, helpers
):
    fake_web.fault(EDITOR, "/rfc/rfc7.txt", statuses=[500] * 10)
    fake_web.fault(EDITOR, "/rfc/rfc9.txt", html_instead=True)
    result = run_docfetch("mirror", "sync", str(mirror_dir), "-r", "1-20", "--retries", "0")
    assert result.returncode == 4
    assert summary(result) == f"synced {len(helpers.txt_1_20) - 2} new, 0 up to date, 2 failed"
    lines = sorted(result.stderr.decode().splitlines())  # downloads run concurrently: any order
    assert len(lines) == 2, lines
    assert lines[0].startswith("docfetch: error: RFC 7 (txt) not synced: ") and "500" in lines[0]
    assert lines[1].startswith("docfetch: error: RFC 9 (txt) not synced: ") and "HTML" in lines[1]
    good = [n for n in helpers.txt_1_20 if n not in (7, 9)]
    assert visible(mirror_dir) == sync_world.expected(good, "txt") | {"rfc-index.xml": sync_world.index}
    assert not [p for p in mirror_dir.iterdir() if p.name.endswith(".part")]

    fake_web.reset_faults()
    fake_web.clear_log()
    again = run_docfetch("mirror", "sync", str(mirror_dir), "-r", "1-20")
    assert again.returncode == 0, again.stderr
    assert doc_paths(fake_web) == ["/rfc/rfc7.txt", "/rfc/rfc9.txt"]
    assert (mirror_dir / "rfc9.txt").read_bytes() == sync_world.files["rfc9.txt"]


def test_index_listing_a_missing_file_is_a_failure(sync_world, run_docfetch, fake_web, mirror_dir):
    fake_web.remove_file(EDITOR, "/rfc/rfc2.pdf")
    result = run_docfetch("mirror", "sync", str(mirror_dir), "-r", "1-5", "-f", "pdf")
    assert result.returncode == 4
    assert summary(result) == "synced 1 new, 0 up to date, 1 failed"
    assert b"RFC 2 (pdf) not synced" in result.stderr and b"not found" in result.stderr
    assert fake_web.count(EDITOR, "/rfc/rfc2.pdf") == 1  # a 404 is believed: no retries
    assert (mirror_dir / "rfc4.pdf").read_bytes() == sync_world.files["rfc4.pdf"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-r", "20-1"], 2, b"invalid range"),
        (["-r", "1-\u0662"], 2, b"invalid range"),
        (["-f", "txt,docx"], 2, b"unknown format 'docx'"),
        (["-j", "0"], 2, b"invalid value for '--jobs'"),
        (["-j", "17"], 2, b"invalid value for '--jobs'"),
        (["-s", "nope"], 2, b"unknown source 'nope'"),
        (["-s", "mirror"], 2, b"no mirror configured"),
        (["-r", "14"], 3, b"nothing to sync: the RFC index lists no issued RFC in the range 14"),
        (["-r", "4", "-f", "txt"], 3, b"lists no RFC in txt in the range 4"),
        (["-r", "30000-"], 3, b"nothing to sync"),
    ],
)
def test_usage_errors_and_nothing_to_sync(sync_world, run_docfetch, fake_web, mirror_dir, args, code, message):
    result = run_docfetch("mirror", "sync", str(mirror_dir), *args)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert b"Traceback" not in result.stderr
    assert doc_paths(fake_web) == []


def test_directory_that_is_a_file_is_a_usage_error(run_docfetch, tmp_path):
    target = tmp_path / "file"
    target.write_bytes(b"x")
    result = run_docfetch("mirror", "sync", str(target))
    assert result.returncode == 2 and b"not a directory" in result.stderr


def test_index_missing_or_not_xml(sync_world, run_docfetch, fake_web, mirror_dir):
    fake_web.fault(EDITOR, "/rfc-index.xml", html_instead=True)
    refused = run_docfetch("mirror", "sync", str(mirror_dir), "--retries", "0")
    assert refused.returncode == 5 and b"HTML" in refused.stderr
    fake_web.reset_faults()
    fake_web.remove_file(EDITOR, "/rfc-index.xml")
    missing = run_docfetch("mirror", "sync", str(mirror_dir))
    assert missing.returncode == 3 and b"not found" in missing.stderr
    assert doc_paths(fake_web) == []
    assert not (mirror_dir / "rfc-index.xml").exists()


def test_one_sync_per_directory(sync_world, run_docfetch, mirror_dir):
    from filelock import FileLock

    mirror_dir.mkdir()
    with FileLock(str(mirror_dir / ".docfetch-sync.lock")):
        result = run_docfetch("mirror", "sync", str(mirror_dir), "-r", "1-3")
    assert result.returncode == 4 and b"another docfetch mirror sync is running" in result.stderr
    assert not (mirror_dir / "rfc1.txt").exists()


def test_leftovers_of_a_killed_sync_are_removed(sync_world, run_docfetch, mirror_dir):
    mirror_dir.mkdir()
    stale = mirror_dir / ".rfc3.txt.k2j4h5_q.part"
    stale.write_bytes(b"half a documen")
    mine = mirror_dir / "notes.part"
    mine.write_bytes(b"not ours")
    assert run_docfetch("mirror", "sync", str(mirror_dir), "-r", "1-3").returncode == 0
    assert not stale.exists() and mine.read_bytes() == b"not ours"


# -- interrupted, then resumed ---------------------------------------------------------------


def _wait_for(predicate, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


#: ``docfetch`` with Python's Ctrl-C handler in place even if this process was started with
#: SIGINT ignored (a background job inherits that, and Python then leaves it ignored).
AS_FROM_A_TERMINAL = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler)\n"
    "from docfetch.__main__ import entry; sys.argv[0] = 'docfetch'; entry()"
)


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a subprocess")
def test_ctrl_c_leaves_no_partial_file_and_a_rerun_completes(
    sync_world, docfetch_env, run_docfetch, fake_web, mirror_dir, visible, helpers
):
    # RFCs 19 and 20 are large and incompressible, and the server stalls half-way through both:
    # with -j 2 both workers end up holding half-written temporary files when Ctrl-C comes.
    for number in (19, 20):
        sync_world.publish(number, "txt", helpers.big_text(number))
        fake_web.fault(EDITOR, f"/rfc/rfc{number}.txt", stall=60, stall_after=200_000)
    proc = subprocess.Popen(
        [sys.executable, "-c", AS_FROM_A_TERMINAL, "mirror", "sync", str(mirror_dir), "-r", "1-20", "-j", "2"],
        env=docfetch_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:

        def partials():
            return (
                [p for p in mirror_dir.glob(".rfc*.txt.*.part") if p.stat().st_size > 0] if mirror_dir.exists() else []
            )

        _wait_for(lambda: len(partials()) == 2, what="two half-written downloads")
        assert not (mirror_dir / "rfc19.txt").exists()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert b"interrupted" in err and b"Traceback" not in err
    done = [n for n in helpers.txt_1_20 if n not in (19, 20)]
    assert out.decode().strip() == f"synced {len(done)} new, 0 up to date, 0 failed"
    assert not [p.name for p in mirror_dir.iterdir() if p.name.endswith(".part")]
    assert visible(mirror_dir) == sync_world.expected(done, "txt") | {"rfc-index.xml": sync_world.index}

    fake_web.reset_faults()  # wakes the stalled responses too
    fake_web.clear_log()
    resumed = run_docfetch("mirror", "sync", str(mirror_dir), "-r", "1-20", "-j", "2")
    assert resumed.returncode == 0, resumed.stderr
    assert summary(resumed) == f"synced 2 new, {len(done)} up to date, 0 failed"
    assert doc_paths(fake_web) == ["/rfc/rfc19.txt", "/rfc/rfc20.txt"]
    assert visible(mirror_dir) == sync_world.expected(helpers.txt_1_20, "txt") | {"rfc-index.xml": sync_world.index}


# -- the result: an offline mirror ----------------------------------------------------------


def test_after_sync_the_mirror_works_offline(sync_world, run_docfetch, fake_web, mirror_dir, tmp_path):
    result = run_docfetch("mirror", "sync", str(mirror_dir), "-j", "8")
    assert result.returncode == 0, result.stderr
    fake_web.clear_log()
    offline = {
        "DOCFETCH_MIRRORS": str(mirror_dir),
        "HTTPS_PROXY": DEAD_PROXY,
        "HTTP_PROXY": DEAD_PROXY,
        "DOCFETCH_CACHE_DIR": str(tmp_path / "fresh-cache"),  # the sync cached the index: not that one
    }
    files = sync_world.files
    rfc791 = run_docfetch("--source", "mirror", "rfc:791", env_extra=offline)
    assert rfc791.returncode == 0, rfc791.stderr
    assert rfc791.stdout == files["rfc791.txt"]
    bcp14 = run_docfetch("--source", "mirror", "bcp:14", env_extra=offline)
    assert bcp14.returncode == 0, bcp14.stderr
    assert bcp14.stdout == files["rfc2119.txt"] + files["rfc8174.txt"]
    std5 = run_docfetch("-s", "mirror", "std:5", env_extra=offline)
    assert std5.stdout == files["rfc791.txt"] + files["rfc793.txt"]
    v3 = run_docfetch("-s", "mirror", "rfc:10001", env_extra=offline)
    assert v3.stdout == files["rfc10001.txt"] and v3.stdout.startswith(b"\xef\xbb\xbf")
    assert fake_web.requests == []


# -- other sources, concurrency, the terminal --------------------------------------------------


def test_sync_from_another_mirror_over_http(sync_world, run_docfetch, fake_web, mirror_dir, visible, helpers):
    base = sync_world.world.serve_mirror(prefix="/upstream/")
    fake_web.clear_log()
    result = run_docfetch(
        "mirror", "sync", str(mirror_dir), "-r", "1-20", "--source", "mirror", env_extra={"DOCFETCH_MIRRORS": base}
    )
    assert result.returncode == 0, result.stderr
    assert visible(mirror_dir) == sync_world.expected(helpers.txt_1_20, "txt") | {"rfc-index.xml": sync_world.index}
    assert fake_web.count(EDITOR) == 0
    assert fake_web.count("127.0.0.1", "/upstream/rfc-index.xml") == 1
    assert fake_web.count("127.0.0.1", "/upstream/rfc1.txt") == 1


def test_sync_through_the_ietf_source(sync_world, run_docfetch, fake_web, mirror_dir):
    result = run_docfetch("mirror", "sync", str(mirror_dir), "-r", "1-3", "-s", "ietf")
    assert result.returncode == 0, result.stderr
    assert fake_web.count(IETF, "/rfc/rfc1.txt") == 1 and fake_web.count(EDITOR, "/rfc/rfc1.txt") == 1
    assert (mirror_dir / "rfc1.txt").read_bytes() == sync_world.files["rfc1.txt"]


@pytest.mark.parametrize("jobs", [1, 4])
def test_jobs_run_downloads_side_by_side(sync_world, run_docfetch, fake_web, mirror_dir, jobs):
    fake_web.latency = 0.3  # every answer takes 0.3 s: one at a time, requests are that far apart
    result = run_docfetch("mirror", "sync", str(mirror_dir), "-r", "5-10", "-j", str(jobs))
    assert result.returncode == 0, result.stderr
    starts = sorted(r.time for r in fake_web.requests if r.path.startswith("/rfc/"))
    assert len(starts) == 6
    first_four_within = starts[3] - starts[0]
    if jobs == 1:
        assert first_four_within >= 3 * 0.3
    else:
        assert first_four_within < 0.25


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal(sync_world, docfetch_env, fake_web, mirror_dir):
    import pty

    leader, follower = pty.openpty()
    chunks: list[bytes] = []

    def drain():
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    env = dict(docfetch_env, COLUMNS="100", TERM="xterm")
    fake_web.latency = 0.05  # slow enough for the bar to be drawn
    proc = subprocess.run(
        [*docfetch_command(), "mirror", "sync", str(mirror_dir), "-r", "1-20"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=follower,
        timeout=60,
        check=False,
    )
    os.close(follower)
    reader.join(timeout=5)
    os.close(leader)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "syncing" in shown and re.search(r"\d+/18", shown), shown[-500:]
    assert proc.stdout.decode().strip().startswith("synced 18 new")
