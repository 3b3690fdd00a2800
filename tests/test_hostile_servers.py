"""Whatever a server sends, no command crashes and nothing but the document reaches stdout or the cache.

Real local servers (docfetch.testing) send what real ones might: a Content-Encoding docfetch
cannot decode, a proxy asking for credentials (407), an RFC index whose entries hold values
nobody expected, and JSON of any shape or nesting depth. Every test runs the installed
``docfetch`` command and checks the exit code, stdout, stderr and the cache.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import urllib3

from docfetch.testing import ForwardProxy
from tests.helpers import old_style_rfc
from tests.test_indexdb import small_index
from tests.test_metadata import NEW_791, new_shape

EDITOR, IETF, DATATRACKER = "www.rfc-editor.org", "www.ietf.org", "datatracker.ietf.org"
RFC791 = "/rfc/rfc791.txt"
NS = "https://www.rfc-editor.org/rfc-index"
DEEP = 100_000


@pytest.fixture
def world(ietf_world):
    ietf_world.add_rfc(791, old_style_rfc(791))
    ietf_world.add_rfc(2119, old_style_rfc(2119))
    ietf_world.add_rfc(8174, old_style_rfc(8174))
    return ietf_world


def cached(tmp_path: Path) -> list[str]:
    """Names of the documents in the cache of ``run_docfetch`` (no locks, no downloads in progress)."""
    docs = tmp_path / "docfetch-env" / "docfetch-cache" / "docs"
    return sorted(str(p.relative_to(docs)) for p in docs.rglob("*") if p.is_file())


def no_crash(result) -> None:
    assert b"Traceback" not in result.stderr and b"internal error" not in result.stderr, result.stderr


# -- a Content-Encoding docfetch cannot decode ---------------------------------------------------------

DECODABLE = set(urllib3.response.HTTPResponse.CONTENT_DECODERS)


@pytest.mark.parametrize("coding", ["br", "zstd", "x-unknown", "gzip, x-unknown", "compress"])
def test_an_undecodable_content_encoding_is_refused(world, run_docfetch, fake_web, tmp_path, coding):
    if coding in DECODABLE:
        pytest.skip(f"this install decodes {coding}")
    fake_web.fault(EDITOR, RFC791, content_encoding=coding)
    result = run_docfetch("-s", "rfc-editor", "rfc:791")
    no_crash(result)
    assert result.returncode == 5 and result.stdout == b""
    first = coding.split(",")[-1].strip()
    assert f"Content-Encoding docfetch cannot decode: {first}".encode() in result.stderr
    if coding in ("br", "zstd"):
        assert b"needs the" in result.stderr  # says what would decode it
    assert cached(tmp_path) == []
    assert fake_web.count(EDITOR, RFC791) == 1  # the same bytes would come again: not retried


def test_an_undecodable_content_encoding_falls_back_to_the_next_source(world, run_docfetch, fake_web, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "rfc791.txt").write_bytes(world.docs.rfcs[791]["txt"])
    fake_web.fault(EDITOR, RFC791, content_encoding="x-unknown")
    result = run_docfetch("rfc:791", env_extra={"DOCFETCH_MIRRORS": str(mirror)})
    no_crash(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout == world.docs.rfcs[791]["txt"]
    assert b"cannot decode: x-unknown" in result.stderr and b"trying mirror" in result.stderr


# -- a proxy that wants credentials (407) -------------------------------------------------------------


@pytest.fixture
def auth_proxy(fake_web):
    with ForwardProxy(fake_web, auth=("alice", "s3cret")) as proxy:
        yield proxy


def _through(proxy: ForwardProxy, credentials: str = "") -> dict[str, str]:
    url = f"http://{credentials}127.0.0.1:{proxy.port}"
    return {"HTTPS_PROXY": url, "HTTP_PROXY": url}


def test_407_names_the_variable_for_the_credentials(world, run_docfetch, auth_proxy):
    result = run_docfetch("-q", "-s", "ietf", "rfc:791", env_extra=_through(auth_proxy))  # -q: no metadata fetch
    no_crash(result)
    assert result.returncode == 4 and result.stdout == b""
    assert result.stderr.decode() == (
        "docfetch: error: RFC 791: https://www.ietf.org/rfc/rfc791.txt: proxy authentication required (407): "
        "put the credentials in HTTPS_PROXY, http://user:password@proxy:port\n"
    )
    # not retried: at most the early connection opened while requests loads, and requests' own
    assert set(auth_proxy.records) == {type(auth_proxy.records[0])("CONNECT", "www.ietf.org:443")}
    assert len(auth_proxy.records) <= 2


def test_407_with_the_credentials_given_works(world, run_docfetch, auth_proxy):
    result = run_docfetch("-s", "ietf", "rfc:791", env_extra=_through(auth_proxy, "alice:s3cret@"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == world.docs.rfcs[791]["txt"]


def test_407_with_wrong_credentials_says_they_were_refused(world, run_docfetch, auth_proxy, tmp_path):
    result = run_docfetch("-s", "ietf", "rfc:791", env_extra=_through(auth_proxy, "alice:wrong@"))
    no_crash(result)
    assert result.returncode == 4
    assert b"407" in result.stderr and b"refused the user name or password given in HTTPS_PROXY" in result.stderr
    assert b"wrong" not in result.stderr  # the password is never shown
    assert cached(tmp_path) == []


def test_407_on_plain_http_names_http_proxy(fake_web, run_docfetch, auth_proxy):
    fake_web.add_file("mirror.example", "/rfcs/rfc791.txt", old_style_rfc(791))
    env = _through(auth_proxy) | {"DOCFETCH_MIRRORS": "http://mirror.example/rfcs/"}
    result = run_docfetch("-q", "-s", "mirror", "rfc:791", env_extra=env)
    no_crash(result)
    assert result.returncode == 4 and result.stdout == b""
    assert b"proxy authentication required (407): put the credentials in HTTP_PROXY" in result.stderr
    assert auth_proxy.targets == ["http://mirror.example/rfcs/rfc791.txt"]


# -- an RFC index with values nobody expected ---------------------------------------------------------


def hostile_index() -> bytes:
    """The small index with entries that cannot be read, and odd values in readable ones."""
    deep = "<x>" * DEEP + "deep" + "</x>" * DEEP
    bad = [
        "<rfc-entry><doc-id>RFC99999999999999999999</doc-id><title>Too Big To Be</title></rfc-entry>",
        "<rfc-entry><doc-id>RFC" + "7" * 5000 + "</doc-id><title>Five Thousand Digits</title></rfc-entry>",
        "<rfc-entry><title>No Doc-Id At All</title></rfc-entry>",
        "<rfc-entry><doc-id>BCP77</doc-id><title>Wrong Kind</title></rfc-entry>",
        "<rfc-entry/>",
    ]
    odd = [
        # a readable entry with garbage in its fields, unknown elements and deep nesting
        "<rfc-entry><doc-id>RFC4444</doc-id><title>Odd But Readable Avian Entry</title>"
        "<page-count>-3</page-count><date><month>Smarch</month><year>²⁰²⁶</year></date>"
        f"<unknown-element a='1'>{deep}</unknown-element><future><thing/></future>"
        "<obsoleted-by><doc-id>RFC99999999999999999999</doc-id><doc-id>not an id</doc-id>"
        "<doc-id>RFC0791</doc-id></obsoleted-by></rfc-entry>",
        "<bcp-entry><doc-id>BCP99</doc-id><is-also><doc-id>RFC123456789012345678</doc-id>"
        "<doc-id>RFC2119</doc-id></is-also></bcp-entry>",
    ]
    xml = small_index().decode()
    return xml.replace("</rfc-index>", "\n".join(bad + odd) + "\n</rfc-index>").encode()


@pytest.fixture
def hostile_world(world):
    world.add_index(hostile_index())
    return world


SKIPPED_NOTE = b"docfetch: note: the RFC index: 5 entries could not be read and were skipped ("


def test_search_skips_unreadable_entries_and_counts_them(hostile_world, run_docfetch):
    result = run_docfetch("search", "avian")
    no_crash(result)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert sorted(line.split()[1] for line in lines) == ["1149", "4444"]  # both readable avian entries
    assert result.stderr.count(SKIPPED_NOTE) == 1
    assert b"RFC99999999999999999999" in result.stderr  # an example of what was skipped
    again = run_docfetch("search", "wrong kind")
    assert again.returncode == 3 and again.stderr.endswith(b"docfetch: error: no RFC matches 'wrong kind'\n")
    assert SKIPPED_NOTE not in again.stderr  # said once, when the database was built


def test_info_on_an_odd_entry(hostile_world, run_docfetch):
    run_docfetch("search", "avian")  # info reads the index only where it is local (it never downloads it)
    result = run_docfetch("info", "--json", "rfc:4444", env_extra={"DOCFETCH_RETRIES": "0"})
    no_crash(result)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"] == "Odd But Readable Avian Entry"
    assert record["pages"] is None and record["obsoleted_by"] == ["RFC791"]
    assert run_docfetch("info", "rfc:99999999999999999999").returncode == 2  # not a reference


def test_bcp_expansion_keeps_only_readable_members(hostile_world, run_docfetch):
    result = run_docfetch("bcp:99")
    no_crash(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout == hostile_world.docs.rfcs[2119]["txt"]
    assert SKIPPED_NOTE in result.stderr


def test_mirror_sync_on_a_hostile_index(hostile_world, run_docfetch, fake_web, tmp_path):
    mirror = tmp_path / "mirror"
    result = run_docfetch("mirror", "sync", str(mirror), "--range", "1-", "-j", "2")
    no_crash(result)
    # every RFC the index lists that the server has is synced; 4444 is listed but not published
    assert result.returncode == 4, result.stderr  # RFC 4444 cannot be synced: its failure line, the rest whole
    assert (mirror / "rfc791.txt").read_bytes() == hostile_world.docs.rfcs[791]["txt"]
    asked = {r.path for r in fake_web.requests}
    assert not any("9999999999" in path or "7777777777" in path for path in asked)
    assert SKIPPED_NOTE[len("docfetch: note: ") :] in result.stderr


# -- JSON of any shape, size or nesting depth ---------------------------------------------------------

HOSTILE_JSON = {
    "deep list": b"[" * DEEP + b"]" * DEEP,
    "deep object": b'{"doc_id": "RFC791", "authors": ' + b'{"a":' * DEEP + b"1" + b"}" * DEEP + b"}",
    "deep inside a field": new_shape(dict(NEW_791, title=[[[[[[[[[["x"]]]]]]]]]], abstract={"p": [1, 2]})),
    "authors a dict": new_shape(dict(NEW_791, authors={"name": "J. Postel"}, keywords="IP")),
    "numbers for strings": new_shape(
        dict(NEW_791, title=791, authors=[1, None, True, 2.5], pub_date=1981, obsoleted_by=[2, "RFC9999"])
    ),
    "bad counts": new_shape(dict(NEW_791, page_count="9" * 5000, format=123, see_also=None)),
    "unicode digits": new_shape(dict(NEW_791, page_count="٥١")),
    "negative count": new_shape(dict(NEW_791, page_count=-51)),
    "unicode doc_id": new_shape(dict(NEW_791, doc_id="RFC٧٩١")),
    "huge strings": new_shape(dict(NEW_791, title="T" * 2_000_000, abstract="word " * 400_000)),
    "not utf-8": b'{"doc_id": "RFC791", "title": "\xff\xfe"}',
    "an array": b'[{"doc_id": "RFC791"}]',
    "null": b"null",
    "number doc_id": new_shape(dict(NEW_791, doc_id=791)),
}


#: The JSON that is no RFC 791 record at all (the rest is one, with some fields unusable).
NO_RECORD = {"deep list", "deep object", "unicode doc_id", "not utf-8", "an array", "null", "number doc_id"}
#: Their page count, where it is not the published 51.
PAGES = {"bad counts": None, "unicode digits": None, "negative count": None}


@pytest.mark.parametrize(("case", "body"), HOSTILE_JSON.items(), ids=HOSTILE_JSON.keys())
def test_info_survives_any_rfc_json(world, run_docfetch, case, body):
    world.add_index(small_index().replace(b"<doc-id>RFC791</doc-id>", b"<doc-id>RFC7910</doc-id>"))
    world.add_rfc(791, body, "json")  # the index no longer knows RFC 791: the JSON is all there is
    result = run_docfetch("info", "--json", "rfc:791", env_extra={"DOCFETCH_RETRIES": "0"})
    no_crash(result)
    if case in NO_RECORD:
        assert result.returncode == 3 and result.stdout == b""
        assert result.stderr.splitlines()[-1].startswith(b"docfetch: error: RFC 791: no metadata (")
        return
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["number"] == 791 and record["sources"] == ["rfc-json"]
    assert all(isinstance(a, str) for a in record["authors"])
    assert record["pages"] == PAGES.get(case, 51)


@pytest.mark.parametrize("body", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_first_fetch_survives_any_rfc_json(world, run_docfetch, body):
    world.add_rfc(791, body, "json")  # fetched beside the document for the obsolescence note
    result = run_docfetch("rfc:791")
    no_crash(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout == world.docs.rfcs[791]["txt"]


@pytest.mark.parametrize("case", sorted(NO_RECORD - {"null"}))
def test_json_that_is_no_record_raises_value_error_only(case):
    from docfetch.knowledge.metadata import parse_rfc_json

    with pytest.raises(ValueError):  # and nothing else: callers catch ValueError
        parse_rfc_json(HOSTILE_JSON[case])


def test_authors_as_a_dict_and_numbers_for_strings_are_read_as_empty(world, run_docfetch):
    world.add_index(small_index().replace(b"<doc-id>RFC791</doc-id>", b"<doc-id>RFC7910</doc-id>"))
    world.add_rfc(791, HOSTILE_JSON["numbers for strings"], "json")
    record = json.loads(run_docfetch("info", "--json", "rfc:791").stdout)
    assert (record["title"], record["authors"], record["date"]) == ("791", ["1", "2.5"], "1981")
    assert record["obsoleted_by"] == ["RFC9999"]


@pytest.mark.parametrize(
    "doc_json",
    [
        b"[" * DEEP + b"]" * DEEP,
        b'{"name": "draft-x-y", "rev": "01", "rev_history": 5, "authors": {"a": 1}, "group": [1]}',
        b'{"name": "draft-x-y", "rev": ' + b"[" * DEEP + b"]" * DEEP + b"}",
    ],
    ids=["deep", "odd fields", "deep rev"],
)
def test_datatracker_json_of_any_shape(ietf_world, run_docfetch, fake_web, doc_json):
    ietf_world.add_draft("draft-x-y", 1, b"Internet-Draft x y\n\nAbstract\n\n   Text.\n")
    fake_web.add_file(DATATRACKER, "/doc/draft-x-y/doc.json", doc_json, "application/json")
    info = run_docfetch("info", "draft:draft-x-y")
    no_crash(info)
    fetched = run_docfetch("draft:draft-x-y")
    no_crash(fetched)
    assert b"plugin 'ietf'" not in fetched.stderr  # not blamed on the source's code
    if doc_json.startswith(b"{") and b"[[" not in doc_json:
        assert info.returncode == 0, info.stderr
        assert fetched.returncode == 0 and fetched.stdout.startswith(b"Internet-Draft x y")
    else:
        assert info.returncode == 5 and b"not the JSON datatracker publishes" in info.stderr
        assert fetched.returncode == 4 and b"not the JSON datatracker publishes" in fetched.stderr
        assert info.stdout == fetched.stdout == b""
