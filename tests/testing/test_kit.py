"""The test kit itself: real local servers imitating the IETF ones, checked with real clients."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import ssl
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import requests

from docfetch.testing import NOT_FOUND, FakeWeb, ForwardProxy, IetfWorld, Raw
from docfetch.testing.env import NETWORK_VARIABLES
from docfetch.testing.pytest_plugin import docfetch_command

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
RFC791 = b"Internet Protocol\n\f\nRFC 791 page 2\n" * 200
RFC9110 = b"\xef\xbb\xbfHTTP Semantics \xe2\x80\x94 UTF-8 text\n" * 100
DRAFT = b"""

Network Working Group                                          M. Kerwin
Internet-Draft                                           August 9, 2019
Intended status: Experimental

                          HTTP/2 Gzipped Data
                   draft-kerwin-http2-encoded-data-%02d

Abstract

   This document introduces a new frame type.

Status of This Memo
"""


@pytest.fixture(autouse=True)
def _no_machine_network_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """These machines set CA bundles and maybe proxies globally: clients here must not see them."""
    for name in NETWORK_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def world(ietf_world: IetfWorld) -> IetfWorld:
    ietf_world.add_rfc(791, RFC791)
    ietf_world.add_rfc(9110, RFC9110)
    ietf_world.add_rfc(9110, b'{"doc_id": "RFC9110"}', "json")
    return ietf_world


@pytest.fixture
def client(forward_proxy: ForwardProxy, docfetch_ca) -> requests.Session:
    """A requests session going through the forward proxy and trusting only the test CA."""
    session = requests.Session()
    session.trust_env = False
    session.proxies = {"http": forward_proxy.url, "https": forward_proxy.url}
    session.verify = str(docfetch_ca.path)
    return session


def direct(web: FakeWeb, host: str, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    """GET straight from the HTTPS server with a chosen Host header (no proxy, no decoding)."""
    ctx = ssl.create_default_context(cafile=web.ca_path)
    conn = http.client.HTTPSConnection("127.0.0.1", web.https_port, context=ctx, timeout=5)
    conn.request("GET", path, headers={"Host": host, **(headers or {})})
    return conn.getresponse()


def urllib_opener(proxy: ForwardProxy, ca_path: str) -> urllib.request.OpenerDirector:
    ctx = ssl.create_default_context(cafile=ca_path)
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": proxy.url, "https": proxy.url}),
        urllib.request.HTTPSHandler(context=ctx),
    )


# -- RFC Editor behaviour --------------------------------------------------------------------
def test_forced_gzip_is_compressed_on_the_wire_and_decodes(world, client, fake_web):
    resp = direct(fake_web, "www.rfc-editor.org", "/rfc/rfc791.txt")  # no Accept-Encoding at all
    raw = resp.read()
    assert resp.status == 200
    assert resp.getheader("Content-Encoding") == "gzip"
    assert int(resp.getheader("Content-Length")) == len(raw) < len(RFC791)
    assert resp.getheader("Content-Type") == "text/plain;charset=utf-8"
    assert gzip.decompress(raw) == RFC791
    r = client.get("https://www.rfc-editor.org/rfc/rfc791.txt")
    assert r.content == RFC791
    assert client.get(world.rfc_url(9110, "json")).headers["Content-Type"] == "application/json;charset=utf-8"


def test_urllib_gets_gzip_bytes_it_did_not_ask_for(world, forward_proxy, fake_web):
    with urllib_opener(forward_proxy, fake_web.ca_path).open("https://www.rfc-editor.org/rfc/rfc9110.txt") as resp:
        assert resp.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(resp.read()) == RFC9110


def test_etag_and_conditional_get(world, client):
    url = "https://www.rfc-editor.org/rfc/rfc791.txt"
    etag = client.get(url).headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 10
    for header in (etag, f"W/{etag}", f'"other", {etag}'):
        r = client.get(url, headers={"If-None-Match": header})
        assert r.status_code == 304 and r.content == b""
    assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_missing_rfc_is_plain_text_404(world, client):
    r = client.get("https://www.rfc-editor.org/rfc/rfc14.txt")
    assert r.status_code == 404
    assert r.content == NOT_FOUND == b"404 - Not found"
    assert r.headers["Content-Type"] == "text/plain;charset=utf-8"
    assert r.headers["Content-Encoding"] == "gzip"


def test_rfc_editor_redirects(world, client):
    r = client.get("https://www.rfc-editor.org/rfc/rfc0791.txt")
    assert [h.status_code for h in r.history] == [302] and r.content == RFC791
    r = client.get("https://www.rfc-editor.org/rfc/rfc791", allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"] == "https://www.rfc-editor.org/info/rfc791/"
    world.add_index(b"<rfc-index/>", b"RFC INDEX\n")
    r = client.get("https://www.rfc-editor.org/rfc/rfc-index.xml")
    assert r.history[0].status_code == 302 and r.url == "https://www.rfc-editor.org/rfc-index.xml"
    assert r.content == b"<rfc-index/>"
    r = client.get("https://www.rfc-editor.org/bcp/bcp14", allow_redirects=False)
    assert r.headers["Location"] == "https://www.rfc-editor.org/info/bcp14/"


# -- www.ietf.org and the proxy ----------------------------------------------------------------
def test_ietf_redirect_through_the_proxy_with_the_test_ca(world, client, forward_proxy, fake_web):
    r = client.get("https://www.ietf.org/rfc/rfc791.txt")
    assert r.status_code == 200 and r.content == RFC791
    assert [h.status_code for h in r.history] == [301]
    assert r.url == "https://www.rfc-editor.org/rfc/rfc791.txt"
    assert forward_proxy.targets == ["www.ietf.org:443", "www.rfc-editor.org:443"]
    assert fake_web.count("www.ietf.org", "/rfc/rfc791.txt") == 1
    world.ietf_redirect_status = 302
    assert client.get("https://www.ietf.org/rfc/rfc791.txt").history[0].status_code == 302


def test_plain_http_absolute_uri_through_the_proxy(world, client, forward_proxy, fake_web):
    r = client.get("http://www.ietf.org/rfc/rfc791.txt")
    assert r.content == RFC791
    assert [(h.status_code, h.url) for h in r.history] == [
        (301, "http://www.ietf.org/rfc/rfc791.txt"),
        (301, "https://www.ietf.org/rfc/rfc791.txt"),
    ]
    assert forward_proxy.records[0].method == "GET"
    assert forward_proxy.targets[0] == "http://www.ietf.org/rfc/rfc791.txt"
    assert [r.scheme for r in fake_web.requests] == ["http", "https", "https"]
    with urllib_opener(forward_proxy, fake_web.ca_path).open("http://www.ietf.org/rfc/rfc9110.txt") as resp:
        assert resp.url == "https://www.rfc-editor.org/rfc/rfc9110.txt"
        assert gzip.decompress(resp.read()) == RFC9110


def test_proxy_keeps_plain_http_connections_alive(fake_web, forward_proxy):
    fake_web.add_file("docs.example.org", "/a.txt", b"A" * 1000)
    conn = http.client.HTTPConnection("127.0.0.1", forward_proxy.port, timeout=5)
    for _ in range(3):
        conn.request("GET", "http://docs.example.org/a.txt")
        assert conn.getresponse().read() == b"A" * 1000
    assert len(forward_proxy.targets) == 3


def test_fake_web_keeps_connections_alive(fake_web):
    fake_web.add_file("127.0.0.1", "/x.txt", b"x" * 10)
    conn = http.client.HTTPConnection("127.0.0.1", fake_web.http_port, timeout=5)
    for _ in range(3):
        conn.request("GET", "/x.txt")
        resp = conn.getresponse()
        assert resp.read() == b"x" * 10 and not resp.will_close


def test_unknown_host(client):
    assert client.get("https://nowhere.example/").status_code == 502


# -- drafts, datatracker, IANA -----------------------------------------------------------------
def test_drafts_archive_id_and_datatracker(world, client):
    name = "draft-kerwin-http2-encoded-data"
    for rev in (9, 10):
        world.add_draft(name, rev, DRAFT % rev)
    assert client.get(f"https://www.ietf.org/archive/id/{name}-09.txt").content == DRAFT % 9
    assert client.get(f"https://www.ietf.org/id/{name}-10.txt").status_code == 200
    assert client.get(f"https://www.ietf.org/id/{name}-09.txt").status_code == 404
    doc = client.get(f"https://datatracker.ietf.org/doc/{name}/doc.json").json()
    assert doc["name"] == name and doc["rev"] == "10" and doc["title"] == "HTTP/2 Gzipped Data"
    assert doc["abstract"] == "This document introduces a new frame type."
    assert [a["name"] for a in doc["authors"]] == ["M. Kerwin"]
    assert [h["rev"] for h in doc["rev_history"]] == ["09", "10"] and doc["state"] == "Active"
    assert client.get(f"https://datatracker.ietf.org/doc/id/{name}.txt").content == DRAFT % 10
    assert client.get(f"https://datatracker.ietf.org/doc/id/{name}-09.txt").content == DRAFT % 9


def test_iana(world, client):
    url = world.add_iana("media-types", b"<registry/>")
    assert url == "https://www.iana.org/assignments/media-types/media-types.xml"
    assert client.get(url).content == b"<registry/>"


# -- faults ------------------------------------------------------------------------------------
def test_status_sequence_with_retry_after(world, client, fake_web):
    fake_web.fault("www.rfc-editor.org", "/rfc/rfc791.txt", statuses=[503, 503, 200], retry_after=7)
    url = world.rfc_url(791)
    first, second, third = (client.get(url) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.headers["Retry-After"] == "7"
    assert third.content == RFC791
    assert fake_web.count("www.rfc-editor.org", "/rfc/rfc791.txt") == 3


def test_truncate(world, client, fake_web, forward_proxy):
    fake_web.fault("www.rfc-editor.org", "/rfc/rfc791.txt", truncate=100, times=1)
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        client.get(world.rfc_url(791))
    assert client.get(world.rfc_url(791)).content == RFC791  # times=1: the retry succeeds
    fake_web.add_file("127.0.0.1", "/plain.txt", b"p" * 5000)
    fake_web.fault("127.0.0.1", "/plain.txt", truncate=1000)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        client.get(fake_web.local_url("/plain.txt"))
    with pytest.raises(http.client.IncompleteRead), urllib.request.urlopen(fake_web.local_url("/plain.txt")) as r:
        r.read()


def test_reset(world, client, fake_web):
    fake_web.fault("www.rfc-editor.org", "/rfc/rfc791.txt", reset=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        client.get(world.rfc_url(791))
    fake_web.fault("127.0.0.1", "/gone", reset=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(fake_web.local_url("/gone"), timeout=5)


def test_delay_before_headers_gives_read_timeout(world, client, fake_web):
    fake_web.fault("www.rfc-editor.org", "/rfc/rfc791.txt", delay=1.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        client.get(world.rfc_url(791), timeout=(5, 0.2))


def test_stall_mid_body(world, client, fake_web):
    fake_web.fault("www.rfc-editor.org", "/rfc/rfc791.txt", stall=5)
    start = time.monotonic()
    r = client.get(world.rfc_url(791), timeout=(5, 0.3), stream=True)
    assert r.status_code == 200  # headers and part of the body arrived
    with pytest.raises(requests.exceptions.ConnectionError) as info:  # requests wraps the read timeout
        r.content  # noqa: B018
    assert "timed out" in str(info.value).lower()
    assert time.monotonic() - start < 3
    fake_web.reset_faults()  # wakes the stalled server thread


def test_gzip_bomb(fake_web, client):
    fake_web.add_file("127.0.0.1", "/bomb.txt", b"small")
    fake_web.fault("127.0.0.1", "/bomb.txt", gzip_bomb=20_000_000)
    r = client.get(fake_web.local_url("/bomb.txt"), stream=True)
    assert r.headers["Content-Encoding"] == "gzip"
    assert int(r.headers["Content-Length"]) < 50_000
    assert sum(len(chunk) for chunk in r.iter_content(1 << 20)) == 20_000_000


def test_html_instead_empty_and_raw(world, client, fake_web):
    fake_web.fault("www.rfc-editor.org", "/rfc/rfc791.txt", html_instead=True)
    r = client.get(world.rfc_url(791))
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert r.content.startswith(b"<!DOCTYPE html>")
    fake_web.fault("www.rfc-editor.org", "/rfc/rfc791.txt", empty=True)
    r = client.get(world.rfc_url(791))
    assert r.status_code == 200 and r.content == b""
    fake_web.fault("www.rfc-editor.org", "/rfc/rfc791.txt", raw=Raw(418, b"\x00teapot", "x-tea/pot", {"X-A": "1"}))
    r = client.get(world.rfc_url(791))
    assert (r.status_code, r.content, r.headers["Content-Type"], r.headers["X-A"]) == (
        418,
        b"\x00teapot",
        "x-tea/pot",
        "1",
    )


def test_redirect_faults(world, client, fake_web):
    url = world.rfc_url(791)
    fake_web.fault("www.rfc-editor.org", "/rfc/rfc791.txt", redirect="http://www.rfc-editor.org/rfc/rfc791.txt")
    r = client.get(url, allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].startswith("http://")
    with pytest.raises(requests.exceptions.TooManyRedirects):  # downgrade, then https upgrade, forever
        client.get(url)
    fake_web.fault("www.rfc-editor.org", "/rfc/rfc791.txt", redirect="ftp://ftp.rfc-editor.org/in-notes/rfc791.txt")
    with pytest.raises(requests.exceptions.InvalidSchema):
        client.get(url)


def test_latency(world, client, fake_web):
    client.get(world.rfc_url(791))
    fake_web.latency = 0.3
    start = time.monotonic()
    client.get(world.rfc_url(791))
    assert time.monotonic() - start >= 0.3
    fake_web.reset_faults()
    assert fake_web.latency == 0


def test_request_log(world, client, fake_web, forward_proxy):
    for _ in range(2):
        client.get(world.rfc_url(791), headers={"User-Agent": "kit-test"})
    client.head(world.rfc_url(9110))
    assert fake_web.count("www.rfc-editor.org") == 3
    assert fake_web.count(path="/rfc/rfc791.txt", method="GET") == 2
    assert fake_web.count(method="HEAD") == 1
    rec = fake_web.requests[0]
    assert (rec.scheme, rec.host, rec.method) == ("https", "www.rfc-editor.org", "GET")
    assert rec.header("user-agent") == "kit-test" and rec.url == world.rfc_url(791)
    fake_web.reset()
    assert fake_web.requests == [] and forward_proxy.records == []


def test_reset_snapshot_and_clear():
    with FakeWeb(https=False) as web:
        web.add_file("127.0.0.1", "/a", b"a")
        snap = web.snapshot()
        web.add_file("127.0.0.1", "/b", b"b")
        web.fault("127.0.0.1", "/a", statuses=[500])
        web.reset()
        assert requests.get(web.local_url("/a"), timeout=5).status_code == 200
        web.restore(snap)
        assert requests.get(web.local_url("/b"), timeout=5).status_code == 404
        web.clear()
        assert web.hosts() == [] and web.requests == []


# -- corpus and mirrors ------------------------------------------------------------------------
@pytest.mark.skipif(not CORPUS.is_dir(), reason="no shared corpus")
def test_from_corpus_and_mirror(tmp_path, forward_proxy):
    with IetfWorld.from_corpus(CORPUS) as world:
        web = world.web
        session = requests.Session()
        session.trust_env = False
        session.verify = web.ca_path
        with ForwardProxy(web) as proxy:
            session.proxies = {"https": proxy.url}
            r = session.get("https://www.ietf.org/rfc/rfc791.txt")
            assert r.content == (CORPUS / "rfc/txt/rfc791.txt").read_bytes()
            doc = session.get("https://datatracker.ietf.org/doc/draft-ietf-appsawg-file-scheme/doc.json").json()
            assert doc["rev"] == "17"
            assert session.get("https://www.rfc-editor.org/rfc-index.xml").content.startswith(b"<?xml")
        root = world.build_mirror(tmp_path / "mirror")
        assert (root / "rfc791.txt").read_bytes() == r.content
        assert (root / "rfc-index.xml").is_file() and (root / "bcp" / "bcp14.txt").is_file()
        assert (root / "std" / "std7.txt").is_symlink()
        assert os.readlink(root / "std" / "std7.txt") == "../rfc9293.txt"
        base = world.serve_mirror()
        assert base == web.local_url("/rfcs/")
        assert session.get(base + "rfc791.txt").content == r.content
        assert session.get(base + "std/std7.txt").content == (CORPUS / "rfc/txt/rfc9293.txt").read_bytes()


def test_serve_mirror_from_added_documents(world, fake_web):
    world.add_index(
        b'<rfc-index xmlns="https://www.rfc-editor.org/rfc-index"><bcp-entry><doc-id>BCP0014</doc-id>'
        b"<is-also><doc-id>RFC0791</doc-id></is-also></bcp-entry></rfc-index>"
    )
    base = world.serve_mirror("127.0.0.1", "/rfcs/")
    r = requests.get(base + "rfc791.txt", timeout=5)
    assert r.content == RFC791 and "Content-Encoding" not in r.headers
    assert requests.get(base + "bcp/bcp14.txt", timeout=5).content == RFC791


# -- the pytest fixtures -----------------------------------------------------------------------
def test_docfetch_env(docfetch_env, forward_proxy, docfetch_ca, monkeypatch):
    assert docfetch_env["HTTPS_PROXY"] == docfetch_env["HTTP_PROXY"] == forward_proxy.url
    assert docfetch_env["REQUESTS_CA_BUNDLE"] == str(docfetch_ca.path) and docfetch_env["NO_PROXY"] == ""
    assert not Path(docfetch_env["DOCFETCH_CONFIG"]).exists()
    assert Path(docfetch_env["DOCFETCH_CACHE_DIR"]).is_dir()
    for name in ("SSL_CERT_FILE", "CURL_CA_BUNDLE", "https_proxy", "ALL_PROXY"):
        assert name not in docfetch_env


def test_inprocess_env_strips_machine_settings(monkeypatch, request):
    monkeypatch.setenv("SSL_CERT_FILE", "/elsewhere.pem")
    monkeypatch.setenv("DOCFETCH_SOURCE", "mirror")
    env = request.getfixturevalue("docfetch_inprocess_env")
    assert "SSL_CERT_FILE" not in os.environ and "DOCFETCH_SOURCE" not in os.environ
    assert os.environ["HTTPS_PROXY"] == env["HTTPS_PROXY"]


def test_run_docfetch_runs_the_command(run_docfetch):
    assert docfetch_command()
    result = run_docfetch("--version", timeout=30)
    assert isinstance(result.stdout, bytes)
    assert result.returncode == 0, result.stderr[-2000:]


def test_doc_json_is_json(world, fake_web):
    world.add_draft("draft-x-y", 0, b"Title\ndraft-x-y-00\n")
    body = fake_web.file("datatracker.ietf.org", "/doc/draft-x-y/doc.json").body
    assert json.loads(body)["rev"] == "00"
