"""docfetch-rfc-editor through the installed ``docfetch`` command, against a local RFC Editor.

The docfetch.testing kit's IetfWorld imitates www.rfc-editor.org as it is since 2026: gzip forced
on every body, ``404 - Not found`` plain-text bodies, 302 redirects. It is reached with the
plugin's real default URL through a local HTTPS proxy with a private CA.
"""

from __future__ import annotations

import gzip

import pytest
from docfetch_rfc_editor import RfcEditorSource

from docfetch import RFC_INDEX, Reference
from docfetch.testing import NOT_FOUND

EDITOR, IETF = "www.rfc-editor.org", "www.ietf.org"

OLD_TXT = b"RFC 791   Internet Protocol   September 1981\n\n   Page 1 text\n\x0c\nRFC 791   Page 2" * 40
V3_TXT = "\ufeffRFC 9110   HTTP Semantics   June 2022\n   Ünïcödé — 日本\n".encode() * 40
DOCUMENTS = {
    "txt": (791, OLD_TXT),
    "html": (9110, b"<!DOCTYPE html>\n<html lang=en><body><pre>HTTP Semantics</pre></body></html>\n"),
    "pdf": (9114, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n\x00\xff\x1f\x8b\x00binary tail"),
    "xml": (9110, b'<?xml version="1.0" encoding="UTF-8"?>\r\n<rfc number="9110"><front/></rfc>\r\n'),
    "json": (9110, b'{\n  "doc_id": "RFC9110",\n  "title": "HTTP Semantics",\n  "format": ["TEXT"]\n}'),
}
INDEX = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<rfc-index xmlns="https://www.rfc-editor.org/rfc-index">'
    b"<bcp-entry><doc-id>BCP14</doc-id><is-also><doc-id>RFC2119</doc-id><doc-id>RFC8174</doc-id></is-also>"
    b"</bcp-entry></rfc-index>\n"
)


def own_stderr(stderr: bytes) -> list[str]:
    """stderr lines, without warnings about other installed plugins (not this plugin's business)."""
    other = "docfetch: warning: plugin '"
    return [line for line in stderr.decode().splitlines() if not line.startswith(other) or "'rfc-editor'" in line]


@pytest.fixture
def world(ietf_world):
    for fmt, (number, body) in DOCUMENTS.items():
        ietf_world.add_rfc(number, body, fmt)
    ietf_world.add_rfc(9110, V3_TXT)
    return ietf_world


@pytest.mark.parametrize("fmt", sorted(DOCUMENTS))
def test_every_format_byte_exact(world, run_docfetch, fake_web, tmp_path, fmt):
    number, body = DOCUMENTS[fmt]
    out = tmp_path / f"rfc{number}.{fmt}"
    result = run_docfetch("--source", "rfc-editor", "--format", fmt, "-o", str(out), f"rfc:{number}")
    assert result.returncode == 0, result.stderr
    assert (result.stdout, own_stderr(result.stderr)) == (b"", [])
    assert out.read_bytes() == body
    assert fake_web.count(EDITOR, f"/rfc/rfc{number}.{fmt}", scheme="https") == 1
    assert fake_web.count(IETF) == 0


@pytest.mark.parametrize(("number", "body"), [(791, OLD_TXT), (9110, V3_TXT)])
def test_text_piped_exactly(world, run_docfetch, number, body):
    result = run_docfetch("-s", "rfc-editor", f"rfc:{number}")
    assert (result.returncode, result.stdout) == (0, body), result.stderr


def test_forced_gzip_is_decoded(world, run_docfetch, fake_web):
    big = b"".join(b"line %06d of a large RFC, compressed by the server whatever was asked\n" % i for i in range(30000))
    world.add_rfc(8881, big)
    served = fake_web.file(EDITOR, "/rfc/rfc8881.txt")
    assert fake_web.host(EDITOR).forced_gzip and served.gzipped()[:2] == b"\x1f\x8b"
    assert gzip.decompress(served.gzipped()) == big
    result = run_docfetch("-s", "rfc-editor", "rfc:8881")
    assert result.returncode == 0, result.stderr
    assert result.stdout == big  # neither gzip bytes nor a re-encoded text


def test_forced_gzip_on_binary_formats(world, run_docfetch, tmp_path):
    out = tmp_path / "rfc9114.pdf"
    assert run_docfetch("-s", "rfc-editor", "-f", "pdf", "-o", str(out), "rfc:9114").returncode == 0
    assert out.read_bytes() == DOCUMENTS["pdf"][1]  # the PDF holds gzip magic bytes itself: untouched


def test_not_found_is_exit_3_without_retry_or_fallback(world, run_docfetch, fake_web):
    result = run_docfetch("--source", "rfc-editor", "rfc:14")
    assert result.returncode == 3
    assert result.stdout == b""
    lines = own_stderr(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("docfetch: error: RFC 14 not found")
    assert fake_web.count(EDITOR, "/rfc/rfc14.txt") == 1
    assert fake_web.count(IETF) == 0


def test_not_found_body_is_never_printed(world, run_docfetch, tmp_path):
    out = tmp_path / "rfc14.json"
    result = run_docfetch("-s", "rfc-editor", "-f", "json", "-o", str(out), "rfc:14")
    assert result.returncode == 3 and NOT_FOUND not in result.stdout + result.stderr
    assert not out.exists()


def test_base_url_from_the_config_file(world, run_docfetch, fake_web, tmp_path):
    internal = b"RFC 791 from the internal copy\n\x0c\n"
    fake_web.add_file("rfc.internal.example", "/rfc/rfc791.txt", internal)
    config = tmp_path / "config.toml"
    config.write_text('[sources.rfc-editor]\nbase_url = "https://rfc.internal.example/"\n')
    result = run_docfetch("-s", "rfc-editor", "rfc:791", env_extra={"DOCFETCH_CONFIG": str(config)})
    assert (result.returncode, result.stdout) == (0, internal), result.stderr
    assert fake_web.count("rfc.internal.example", "/rfc/rfc791.txt", scheme="https") == 1
    assert fake_web.count(EDITOR) == 0


def test_base_url_plain_http_with_a_path_and_the_index(world, run_docfetch, fake_web, tmp_path):
    host = "mirror.corp.example"
    fake_web.add_file(host, "/ietf/rfc-index.xml", INDEX)
    fake_web.add_file(host, "/ietf/rfc/rfc2119.txt", b"RFC 2119 key words\n")
    fake_web.add_file(host, "/ietf/rfc/rfc8174.txt", b"\xef\xbb\xbfRFC 8174 ambiguity\n")
    config = tmp_path / "config.toml"
    config.write_text(f'[sources.rfc-editor]\nbase_url = "http://{host}/ietf"\n')
    result = run_docfetch("-s", "rfc-editor", "bcp:14", env_extra={"DOCFETCH_CONFIG": str(config)})
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"RFC 2119 key words\n\xef\xbb\xbfRFC 8174 ambiguity\n"
    assert fake_web.count(host, "/ietf/rfc-index.xml", scheme="http") == 1
    assert fake_web.count(EDITOR) == 0


def test_fallback_when_ietf_fails(world, run_docfetch, fake_web):
    fake_web.fault(IETF, "/rfc/rfc791.txt", statuses=[503] * 10, retry_after=0)
    result = run_docfetch("rfc:791", env_extra={"DOCFETCH_RETRIES": "0"})
    assert (result.returncode, result.stdout) == (0, OLD_TXT), result.stderr
    assert b"trying rfc-editor" in result.stderr
    assert fake_web.count(EDITOR, "/rfc/rfc791.txt") == 1


class _Context:
    """The little of a SourceContext that locating needs."""

    def __init__(self, **settings: str) -> None:
        self.settings = settings
        self.offline = False


def test_locations_in_process():
    source = RfcEditorSource(_Context())  # type: ignore[arg-type]
    assert source.locate(Reference("rfc", "791"), "pdf") == ["https://www.rfc-editor.org/rfc/rfc791.pdf"]
    assert source.locate(RFC_INDEX, "xml") == ["https://www.rfc-editor.org/rfc-index.xml"]
    assert source.locate(RFC_INDEX, "txt") == []
    assert source.locate(Reference("draft", "draft-foo", "01"), "txt") == []
    moved = RfcEditorSource(_Context(base_url="https://x.example/base/"))  # type: ignore[arg-type]
    assert moved.locate(Reference("rfc", "10001"), "txt") == ["https://x.example/base/rfc/rfc10001.txt"]
