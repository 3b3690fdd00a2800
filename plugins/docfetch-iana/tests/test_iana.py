"""docfetch-iana through the installed ``docfetch`` command, against a local www.iana.org.

Everything goes through the docfetch.testing kit: a real HTTPS server imitating www.iana.org,
reached through a local proxy with a private CA, with the plugin's real default URLs.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from docfetch_iana import IanaSource

from docfetch import Reference

IANA = "www.iana.org"
FOLDER = "/assignments/http-status-codes"

TXT = (
    b"\n\nHypertext Transfer Protocol (HTTP) Status Code Registry\n\n"
    b"Last Updated\n2026-09-01\n\n"
    b"   Value  Description                     Reference \n"
    b"   -----  ------------------------------  ---------\n"
    b"   100    Continue                        [RFC9110, Section 15.2.1]\n"
    b"   418    (Unused)                        [RFC9110, Section 15.5.19]\n"
    b"\x0c\n   \xe2\x80\x94 end \xe2\x80\x94"  # a form feed, UTF-8, no final newline
)
XML = (
    b"<?xml version='1.0' encoding='UTF-8'?>\n<registry xmlns=\"http://www.iana.org/assignments\" "
    b'id="http-status-codes">\r\n  <title>Hypertext Transfer Protocol (HTTP) Status Code Registry</title>\r\n'
    b"  <record><value>100</value><description>Continue</description></record>\r\n</registry>\r\n"
)
CSV_TABLE_1 = b'Value,Description,Reference\r\n100,Continue,"[RFC9110, Section 15.2.1]"\r\n104-199,Unassigned,\r\n'
XHTML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>codes</body></html>\n'
)


@pytest.fixture
def registry(ietf_world):
    """http-status-codes as IANA publishes it: txt, xml, xhtml and one CSV per table (no NAME.csv)."""
    ietf_world.add_iana("http-status-codes", TXT, "txt")
    ietf_world.add_iana("http-status-codes", XML, "xml")
    ietf_world.add_iana("http-status-codes", XHTML, "xhtml")
    ietf_world.web.add_file(IANA, f"{FOLDER}/http-status-codes-1.csv", CSV_TABLE_1, "text/csv")
    return ietf_world


def cache_meta(env_root: Path, name: str, ext: str) -> Path:
    return env_root / "docfetch-cache" / "docs" / "iana" / f"{name}.{ext}.meta"


def test_default_format_is_txt_exact_bytes(registry, run_docfetch, fake_web):
    result = run_docfetch("iana:http-status-codes")
    assert result.returncode == 0, result.stderr
    assert result.stdout == TXT
    assert result.stderr == b""
    assert fake_web.count(IANA, f"{FOLDER}/http-status-codes.txt", scheme="https") == 1
    assert fake_web.count(IANA, f"{FOLDER}/http-status-codes.xml") == 0


@pytest.mark.parametrize(("fmt", "body"), [("xml", XML), ("html", XHTML), ("csv", CSV_TABLE_1), ("txt", TXT)])
def test_every_format_byte_exact_to_a_file(registry, run_docfetch, tmp_path, fmt, body):
    out = tmp_path / f"registry.{fmt}"
    result = run_docfetch("--format", fmt, "-o", str(out), "iana:http-status-codes")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
    assert out.read_bytes() == body


def test_csv_prefers_the_whole_registry_file(registry, run_docfetch, fake_web):
    whole = b"Service Name,Port Number,Transport Protocol\r\nhttp,80,tcp\r\n"
    registry.add_iana("service-names-port-numbers", whole, "csv")
    fake_web.add_file(IANA, "/assignments/service-names-port-numbers/service-names-port-numbers-1.csv", b"x,y\n")
    result = run_docfetch("-f", "csv", "iana:service-names-port-numbers")
    assert (result.returncode, result.stdout) == (0, whole)
    assert fake_web.count(IANA, "/assignments/service-names-port-numbers/service-names-port-numbers-1.csv") == 0


def test_csv_falls_back_to_the_first_table(registry, run_docfetch, fake_web):
    result = run_docfetch("-f", "csv", "iana:http-status-codes")
    assert (result.returncode, result.stdout) == (0, CSV_TABLE_1)
    assert fake_web.count(IANA, f"{FOLDER}/http-status-codes.csv") == 1
    assert fake_web.count(IANA, f"{FOLDER}/http-status-codes-1.csv") == 1


def test_names_are_case_insensitive(registry, run_docfetch, fake_web):
    result = run_docfetch("IANA:HTTP-Status-Codes")
    assert (result.returncode, result.stdout) == (0, TXT), result.stderr
    assert fake_web.count(IANA, f"{FOLDER}/http-status-codes.txt") == 1


def test_unknown_registry_is_exit_3(registry, run_docfetch, fake_web):
    result = run_docfetch("iana:no-such-registry")
    assert result.returncode == 3
    assert result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("docfetch: error: iana:no-such-registry not found")
    assert fake_web.count(IANA, "/assignments/no-such-registry/no-such-registry.txt") == 1  # no retries


def test_missing_format_is_exit_3_even_with_csv_fallback(registry, run_docfetch):
    registry.web.remove_file(IANA, f"{FOLDER}/http-status-codes-1.csv")
    result = run_docfetch("-f", "csv", "iana:http-status-codes")
    assert result.returncode == 3 and result.stdout == b""


def test_unsupported_format_is_usage_error(registry, run_docfetch, fake_web):
    result = run_docfetch("-f", "pdf", "-s", "iana", "iana:http-status-codes")
    assert result.returncode == 2 and b"has no pdf format" in result.stderr
    assert fake_web.requests == []


def test_html_error_page_is_refused(registry, run_docfetch):
    registry.web.fault(IANA, f"{FOLDER}/http-status-codes.txt", html_instead=True)
    result = run_docfetch("iana:http-status-codes")
    assert result.returncode == 5 and result.stdout == b""


def test_cached_then_revalidated_with_etag_after_a_day(registry, run_docfetch, fake_web, docfetch_env):
    env_root = Path(docfetch_env["DOCFETCH_CACHE_DIR"]).parent
    assert run_docfetch("iana:http-status-codes").stdout == TXT
    fake_web.clear_log()
    assert run_docfetch("iana:http-status-codes").stdout == TXT
    assert fake_web.requests == []  # fresh: served from the cache

    meta = cache_meta(env_root, "http-status-codes", "txt")
    etag = json.loads(meta.read_text())["etag"]
    assert etag == fake_web.file(IANA, f"{FOLDER}/http-status-codes.txt").etag
    meta.write_text(json.dumps({"etag": etag, "checked": time.time() - 2 * 86400}))
    again = run_docfetch("iana:http-status-codes")
    assert again.stdout == TXT
    [request] = fake_web.requests
    assert request.header("If-None-Match") == etag  # answered 304: nothing downloaded

    updated = TXT.replace(b"2026-09-01", b"2026-10-15")
    registry.add_iana("http-status-codes", updated, "txt")
    assert run_docfetch("iana:http-status-codes").stdout == TXT  # checked less than a day ago
    meta.write_text(json.dumps({"etag": etag, "checked": 0}))
    assert run_docfetch("iana:http-status-codes").stdout == updated


def test_base_url_setting(registry, run_docfetch, fake_web, tmp_path):
    fake_web.add_file("iana.internal.example", f"{FOLDER}/http-status-codes.txt", b"internal copy\n")
    config = tmp_path / "config.toml"
    config.write_text('[sources.iana]\nbase_url = "https://iana.internal.example/"\n')
    result = run_docfetch("iana:http-status-codes", env_extra={"DOCFETCH_CONFIG": str(config)})
    assert (result.returncode, result.stdout) == (0, b"internal copy\n"), result.stderr
    assert fake_web.count(IANA) == 0


def test_sources_lists_the_scheme(run_docfetch):
    text = run_docfetch("sources")
    assert text.returncode == 0
    row = next(line for line in text.stdout.decode().splitlines() if line.startswith("iana "))
    assert row.split() == ["iana", "docfetch-iana", "0.1.0", "iana*", "txt", "xml", "csv", "html"]
    listing = json.loads(run_docfetch("sources", "--json").stdout)
    [source] = [s for s in listing["sources"] if s["name"] == "iana"]
    assert source["schemes"] == ["iana"] and source["default_for"] == ["iana"]
    assert source["distribution"] == "docfetch-iana" and source["status"] == "ok"
    assert listing["defaults"]["iana"] == "iana"


def test_switched_off_plugin(registry, run_docfetch):
    result = run_docfetch("iana:http-status-codes", env_extra={"DOCFETCH_DISABLE_PLUGINS": "iana"})
    assert result.returncode == 2 and b"unknown scheme 'iana'" in result.stderr


class _Context:
    """The little of a SourceContext that locating needs."""

    settings: dict[str, str] = {}  # noqa: RUF012
    offline = False


def test_locations_in_process():
    source = IanaSource(_Context())  # type: ignore[arg-type]
    ref = Reference("iana", "tls-parameters")
    base = "https://www.iana.org/assignments/tls-parameters/tls-parameters"
    assert source.locate(ref, "txt") == [f"{base}.txt"]
    assert source.locate(ref, "html") == [f"{base}.xhtml"]
    assert source.locate(ref, "csv") == [f"{base}.csv", f"{base}-1.csv"]
    assert source.locate(ref, "pdf") == []
    assert source.locate(Reference("rfc", "791"), "txt") == []
    assert source.resolve(Reference("iana", "TLS-Parameters")) == ref
