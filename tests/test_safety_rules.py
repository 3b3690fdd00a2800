"""Each safety rule has a test that fails without it: body validation, conditional revalidation.

Body validation (docfetch/engine/validate.py): a body still gzip-compressed, NUL bytes in text
(at the start or far into the file), HTML after leading whitespace, the JSON, XML, PDF and HTML
shape checks. Revalidation (docfetch/store/cache.py): documents that can change (JSON, HTML)
are served from the cache for a day, then asked again with ``If-None-Match``, and a 304 keeps
the cached file as it is. Every test runs the installed command against the kit's servers,
which record each request's headers and the status it was answered with.
"""

from __future__ import annotations

import gzip
import json
import os
import time
from pathlib import Path

import pytest

from docfetch.testing import Raw
from tests.helpers import old_style_rfc, v3_rfc
from tests.test_metadata import NEW_791, new_shape

EDITOR = "www.rfc-editor.org"


@pytest.fixture
def world(ietf_world):
    ietf_world.add_rfc(791, old_style_rfc(791))
    return ietf_world


def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "docfetch-env" / "docfetch-cache"


def cached(tmp_path: Path) -> list[str]:
    docs = cache_dir(tmp_path) / "docs"
    return sorted(p.name for p in docs.rglob("*") if p.is_file()) if docs.exists() else []


# -- body validation -------------------------------------------------------------------------------

TEXT = old_style_rfc(791)
HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Log in first</body></html>\n"

BAD_BODIES = {
    # (format, body the server sends with a 200, what the refusal says)
    "gzip left undecoded": ("txt", gzip.compress(TEXT, mtime=0), "body is still gzip-compressed"),
    "NUL in the first bytes": ("txt", TEXT[:100] + b"\x00" + TEXT[100:], "binary data where txt text was asked for"),
    "NUL far into the file": ("txt", TEXT[:5000] + b"\x00" + TEXT[5000:], "binary data where txt text was asked for"),
    "UTF-16 text": ("txt", "RFC 791\n".encode("utf-16"), "binary data where txt text was asked for"),
    "NUL in JSON": ("json", b'{"doc_id": "RFC791", "title": "\x00"}', "binary data where json text was asked for"),
    "HTML after blank lines": ("txt", b"\n\n   \t\r\n" + HTML_PAGE, "got an HTML page where txt was asked for"),
    "HTML after a BOM and spaces": ("txt", b"\xef\xbb\xbf  \n" + HTML_PAGE, "got an HTML page where txt was asked for"),
    "HTML comment first": (
        "txt",
        b"  <!-- maintenance -->\n<p>back soon</p>",
        "got an HTML page where txt was asked for",
    ),
    "JSON that is not JSON": ("json", b"Service temporarily unavailable\n", "not JSON"),
    "JSON that is a string": ("json", b'"RFC791"', "not JSON"),
    "HTML page for JSON": ("json", b"\n" + HTML_PAGE, "got an HTML page where json was asked for"),
    "XML that is not XML": ("xml", b"RFC 9000 is not XML\n", "not XML"),
    "PDF that is not a PDF": ("pdf", b"RFC 791 as text\n", "not a PDF file"),
    "HTML without markup": ("html", b"just some text\n", "not an HTML page"),
}


@pytest.mark.parametrize(("fmt", "body", "said"), BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_a_body_that_is_not_the_document_is_refused(world, run_docfetch, fake_web, tmp_path, fmt, body, said):
    number = 9000 if fmt == "xml" else 791
    path = f"/rfc/rfc{number}.{fmt}"
    fake_web.fault(EDITOR, path, raw=Raw(200, body, "text/plain"))
    result = run_docfetch("-q", "-s", "rfc-editor", "--format", fmt, f"rfc:{number}")
    assert result.returncode == 5, result.stderr
    assert result.stdout == b""
    assert result.stderr.decode() == f"docfetch: error: RFC {number}: https://{EDITOR}{path}: {said}\n"
    assert cached(tmp_path) == []


@pytest.mark.parametrize(
    ("fmt", "body"),
    [
        ("txt", TEXT),
        ("txt", v3_rfc(9000)),  # a BOM, then text
        ("json", b"  \n" + new_shape(NEW_791)),  # JSON after whitespace
        ("json", b"[]"),
        ("xml", b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?>\n<rfc/>\n'),
        ("html", b"\n" + HTML_PAGE),
        ("pdf", b"%PDF-1.7\n\x00\x01binary is fine in a PDF\n%%EOF\n"),
    ],
    ids=["txt", "v3 txt", "json after whitespace", "json array", "xml with a BOM", "html", "pdf with NULs"],
)
def test_the_documents_themselves_pass(world, run_docfetch, fake_web, fmt, body):
    path = f"/rfc/rfc791.{fmt}"
    fake_web.fault(EDITOR, path, raw=Raw(200, body, "text/plain"))
    result = run_docfetch("-q", "-s", "rfc-editor", "--format", fmt, "rfc:791")
    assert result.returncode == 0, result.stderr
    assert result.stdout == body


# -- revalidation of documents that can change ---------------------------------------------------------


def age(tmp_path: Path, name: str, days: float = 2) -> None:
    """Make the cache believe ``docs/rfc/<name>`` was last checked ``days`` ago."""
    meta = cache_dir(tmp_path) / "docs" / "rfc" / f"{name}.meta"
    data = json.loads(meta.read_text())
    data["checked"] = time.time() - days * 86400
    meta.write_text(json.dumps(data))


def requests_for(fake_web, path: str) -> list:
    return [r for r in fake_web.requests if r.host == EDITOR and r.path == path]


@pytest.mark.parametrize("fmt", ["json", "html"])
def test_a_changing_document_is_revalidated_with_its_etag_after_a_day(world, run_docfetch, fake_web, tmp_path, fmt):
    first_body = new_shape(NEW_791) if fmt == "json" else HTML_PAGE
    world.add_rfc(791, first_body, fmt)
    etag = fake_web.file(EDITOR, f"/rfc/rfc791.{fmt}").etag
    path = f"/rfc/rfc791.{fmt}"
    args = ("-q", "-s", "rfc-editor", "--format", fmt, "rfc:791")
    first = run_docfetch(*args)
    assert (first.returncode, first.stdout) == (0, first_body), first.stderr
    assert requests_for(fake_web, path)[0].header("If-None-Match") is None
    stored = cache_dir(tmp_path) / "docs" / "rfc" / f"rfc791.{fmt}"
    inode = stored.stat().st_ino

    # within the day: from the cache, no request
    assert run_docfetch(*args).stdout == first_body
    assert len(requests_for(fake_web, path)) == 1

    # after a day: asked again with its ETag; the server says 304 and the cached file stays as it is
    age(tmp_path, f"rfc791.{fmt}")
    again = run_docfetch(*args)
    assert (again.returncode, again.stdout) == (0, first_body), again.stderr
    revalidation = requests_for(fake_web, path)[-1]
    assert len(requests_for(fake_web, path)) == 2
    assert revalidation.header("If-None-Match") == etag
    assert revalidation.status == 304
    assert stored.stat().st_ino == inode  # confirmed, not downloaded and stored again
    assert run_docfetch(*args).stdout == first_body and len(requests_for(fake_web, path)) == 2  # fresh again

    # changed on the server: after a day the new bytes replace the old
    second_body = new_shape(dict(NEW_791, title="Internet Protocol, Revised")) if fmt == "json" else HTML_PAGE * 2
    world.add_rfc(791, second_body, fmt)
    assert run_docfetch(*args).stdout == first_body  # still within the day
    age(tmp_path, f"rfc791.{fmt}")
    changed = run_docfetch(*args)
    assert (changed.returncode, changed.stdout) == (0, second_body), changed.stderr
    assert requests_for(fake_web, path)[-1].status == 200
    assert requests_for(fake_web, path)[-1].header("If-None-Match") == etag
    assert stored.read_bytes() == second_body


def test_a_published_rfc_text_is_never_revalidated(world, run_docfetch, fake_web, tmp_path):
    assert run_docfetch("-q", "rfc:791").returncode == 0
    stored = cache_dir(tmp_path) / "docs" / "rfc" / "rfc791.txt"
    old = time.time() - 400 * 86400
    os.utime(stored, (old, old))
    fake_web.clear_log()
    assert run_docfetch("-q", "rfc:791").stdout == world.docs.rfcs[791]["txt"]
    assert fake_web.requests == []
