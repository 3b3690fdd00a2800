"""End to end: the installed ``docfetch`` command, its real default URLs, a local HTTPS world.

Every test goes through a real forward proxy to real local HTTP(S) servers imitating
www.ietf.org, www.rfc-editor.org and datatracker.ietf.org (forced gzip, cross-host redirects,
``404 - Not found`` bodies), trusting a private CA: the corporate-network set-up.
"""

import pytest

from tests.helpers import old_style_rfc, rfc_index_xml, v3_rfc

IETF, EDITOR, TRACKER = "www.ietf.org", "www.rfc-editor.org", "datatracker.ietf.org"


@pytest.fixture
def world(ietf_world):
    ietf_world.add_rfc(791, old_style_rfc(791, final_newline=False))
    ietf_world.add_rfc(793, old_style_rfc(793))
    ietf_world.add_rfc(9110, v3_rfc(9110))
    ietf_world.add_rfc(2119, old_style_rfc(2119, pages=1))
    ietf_world.add_rfc(8174, v3_rfc(8174))
    ietf_world.add_rfc(10001, v3_rfc(10001))
    ietf_world.add_rfc(9114, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n\x00\xff\x00binary", fmt="pdf")
    ietf_world.add_rfc(9110, b'{"doc_id": "RFC9110", "title": "HTTP Semantics"}\n', fmt="json")
    ietf_world.add_rfc(9110, b"<!DOCTYPE html><html><body>HTTP Semantics</body></html>\n", fmt="html")
    ietf_world.add_index(rfc_index_xml({"BCP14": [2119, 8174], "STD5": [791, 793], "FYI1": [10001]}))
    return ietf_world


def published(world, number, fmt="txt"):
    return world.docs.rfcs[number][fmt]


def test_rfc_791_exact_bytes_through_proxy_and_redirect(world, run_docfetch, fake_web, forward_proxy):
    result = run_docfetch("rfc:791")
    assert result.returncode == 0, result.stderr
    assert result.stdout == published(world, 791)
    assert not result.stdout.endswith(b"\n") and b"\f" in result.stdout
    assert result.stderr == b""
    assert fake_web.count(IETF, "/rfc/rfc791.txt") == 1
    assert fake_web.count(EDITOR, "/rfc/rfc791.txt") == 1
    assert "www.ietf.org:443" in forward_proxy.targets


def test_bom_kept_when_piped(world, run_docfetch):
    result = run_docfetch("rfc:9110")
    assert result.returncode == 0
    assert result.stdout.startswith(b"\xef\xbb\xbf") and result.stdout == published(world, 9110)


@pytest.mark.parametrize("form", ["rfc:0791", "RFC791", "rfc791", "RFC:791"])
def test_reference_forms(world, run_docfetch, form):
    result = run_docfetch(form)
    assert (result.returncode, result.stdout) == (0, published(world, 791))


def test_five_digit_rfc(world, run_docfetch):
    assert run_docfetch("rfc:10001").stdout == published(world, 10001)


def test_not_issued_is_exit_3_one_line(world, run_docfetch, fake_web):
    result = run_docfetch("rfc:14")
    assert result.returncode == 3
    assert result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("docfetch: error: RFC 14 not found")
    assert fake_web.count(EDITOR, "/rfc/rfc14.txt") == 1  # believed: no retries, no fallback


def test_invalid_reference_is_exit_2(run_docfetch):
    result = run_docfetch("rfc:٧٩١")
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode().count("\n") == 1 and "Traceback" not in result.stderr.decode()


def test_second_fetch_is_served_from_cache_without_network(world, run_docfetch, fake_web):
    first = run_docfetch("rfc:793")
    fake_web.clear_log()
    second = run_docfetch("rfc:793")
    assert second.stdout == first.stdout == published(world, 793)
    assert fake_web.requests == []
    offline = run_docfetch("--offline", "rfc:793")
    assert offline.stdout == published(world, 793)


def test_offline_not_cached_is_exit_3_and_silent_network(world, run_docfetch, fake_web):
    result = run_docfetch("--offline", "rfc:791")
    assert result.returncode == 3 and b"not in the cache" in result.stderr
    assert fake_web.requests == []


def test_refresh_and_no_cache(world, run_docfetch, fake_web, tmp_path):
    run_docfetch("rfc:791")
    fake_web.clear_log()
    assert run_docfetch("--refresh", "rfc:791").stdout == published(world, 791)
    assert fake_web.count(EDITOR, "/rfc/rfc791.txt") == 1
    fake_web.clear_log()
    env = {"DOCFETCH_CACHE_DIR": str(tmp_path / "other-cache")}
    assert run_docfetch("--no-cache", "rfc:791", env_extra=env).stdout == published(world, 791)
    assert not (tmp_path / "other-cache" / "docs").exists()


def test_several_references_in_order_and_worst_exit_code(world, run_docfetch):
    result = run_docfetch("rfc:793", "rfc:14", "rfc:791")
    assert result.returncode == 3
    assert result.stdout == published(world, 793) + published(world, 791)
    assert b"RFC 14" in result.stderr


def test_rfc_editor_source(world, run_docfetch, fake_web):
    result = run_docfetch("--source", "rfc-editor", "rfc:791")
    assert result.stdout == published(world, 791)
    assert fake_web.count(IETF) == 0 and fake_web.count(EDITOR, "/rfc/rfc791.txt") == 1


@pytest.mark.parametrize("fmt", ["pdf", "json", "html"])
def test_formats_untouched(world, run_docfetch, fmt, tmp_path):
    out = tmp_path / f"rfc.{fmt}"
    number = 9114 if fmt == "pdf" else 9110
    result = run_docfetch("-s", "rfc-editor", "--format", fmt, "-o", str(out), f"rfc:{number}")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
    assert out.read_bytes() == published(world, number, fmt)


def test_unknown_format_and_unknown_source_are_usage_errors(world, run_docfetch):
    assert run_docfetch("--format", "docx", "rfc:791").returncode == 2
    result = run_docfetch("--source", "nope", "rfc:791")
    assert result.returncode == 2 and b"unknown source 'nope'" in result.stderr


def test_output_file_is_whole_or_absent(world, run_docfetch, tmp_path):
    out = tmp_path / "out.txt"
    assert run_docfetch("-o", str(out), "rfc:791").returncode == 0
    assert out.read_bytes() == published(world, 791)
    missing = tmp_path / "missing.txt"
    assert run_docfetch("-o", str(missing), "rfc:791", "rfc:14").returncode == 3
    assert not missing.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bcp_expands_to_members_from_the_index(world, run_docfetch, fake_web):
    result = run_docfetch("bcp:14")
    assert result.returncode == 0, result.stderr
    assert result.stdout == published(world, 2119) + published(world, 8174)
    assert fake_web.count(EDITOR, "/rfc-index.xml") == 1
    assert fake_web.count(EDITOR, "/bcp/bcp14.txt") == 0
    std = run_docfetch("std:5")
    assert std.stdout == published(world, 791) + published(world, 793)
    assert run_docfetch("FYI1").stdout == published(world, 10001)


def test_unknown_bcp_is_not_found(world, run_docfetch):
    result = run_docfetch("bcp:9999")
    assert result.returncode == 3 and b"BCP 9999" in result.stderr


def test_drafts_latest_exact_and_bare(ietf_world, run_docfetch, fake_web):
    name = "draft-ietf-example-protocol"
    old = b"Internet-Draft  Example Protocol  revision 03\n\nAbstract\n\n   Old.\n"
    new = b"Internet-Draft  Example Protocol  revision 04\n\nAbstract\n\n   New.\n"
    ietf_world.add_draft(name, 3, old)
    ietf_world.add_draft(name, 4, new)
    latest = run_docfetch(f"draft:{name}")
    assert latest.returncode == 0, latest.stderr
    assert latest.stdout == new
    assert fake_web.count(TRACKER, f"/doc/{name}/doc.json") == 1
    assert run_docfetch(f"draft:{name}-03").stdout == old
    assert run_docfetch(f"{name}-03").stdout == old
    assert run_docfetch("draft:draft-does-not-exist").returncode == 3


def test_fallback_to_rfc_editor_when_ietf_fails(world, run_docfetch, fake_web):
    fake_web.fault(IETF, "/rfc/rfc791.txt", statuses=[503] * 10)
    result = run_docfetch("--retries", "0", "rfc:791")
    assert result.returncode == 0, result.stderr
    assert result.stdout == published(world, 791)
    assert b"ietf failed" in result.stderr and b"trying rfc-editor" in result.stderr


def test_explicit_source_never_falls_back(world, run_docfetch, fake_web):
    fake_web.fault(IETF, "/rfc/rfc791.txt", statuses=[503] * 10)
    result = run_docfetch("--retries", "0", "--source", "ietf", "rfc:791")
    assert result.returncode == 4 and result.stdout == b""
    assert b"503" in result.stderr and fake_web.count(EDITOR, "/rfc/rfc791.txt") == 0


def test_html_instead_of_text_is_refused_and_not_cached(world, run_docfetch, fake_web, tmp_path):
    fake_web.fault(EDITOR, "/rfc/rfc791.txt", html_instead=True)
    result = run_docfetch("-s", "rfc-editor", "rfc:791")
    assert result.returncode == 5 and result.stdout == b""
    assert b"HTML" in result.stderr
    assert not list((tmp_path / "docfetch-env").rglob("rfc791.txt"))


def test_https_to_http_redirect_is_refused(world, run_docfetch, fake_web):
    fake_web.fault(EDITOR, "/rfc/rfc791.txt", redirect="http://www.rfc-editor.org/rfc/rfc791.txt")
    result = run_docfetch("-s", "rfc-editor", "rfc:791")
    assert result.returncode == 4 and b"https down to http" in result.stderr


def test_untrusted_certificate_is_a_clear_error(world, run_docfetch):
    result = run_docfetch("--retries", "0", "-s", "ietf", "rfc:791", env_extra={"REQUESTS_CA_BUNDLE": None})
    assert result.returncode == 4
    assert b"certificate" in result.stderr and b"Traceback" not in result.stderr
    assert len(result.stderr.decode().splitlines()) == 1


def test_ssl_cert_file_is_honoured(world, run_docfetch, docfetch_ca):
    env = {"REQUESTS_CA_BUNDLE": None, "SSL_CERT_FILE": str(docfetch_ca.path)}
    result = run_docfetch("rfc:791", env_extra=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == published(world, 791)


def test_mirror_over_http_and_dead_mirror_skipped(world, run_docfetch, tmp_path):
    base = world.serve_mirror()
    dead = "http://127.0.0.1:9/rfcs/"
    result = run_docfetch("-s", "mirror", "rfc:791", env_extra={"DOCFETCH_MIRRORS": f"{dead},{base}"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == published(world, 791)


def test_mirror_local_directory_and_subseries(world, run_docfetch, tmp_path):
    tree = world.build_mirror(tmp_path / "tree")
    env = {"DOCFETCH_MIRRORS": str(tree), "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    assert run_docfetch("-s", "mirror", "rfc:791", env_extra=env).stdout == published(world, 791)
    assert run_docfetch("-s", "mirror", "bcp:14", env_extra=env).stdout == published(world, 2119) + published(
        world, 8174
    )


def test_mirror_without_configuration_is_usage_error(run_docfetch):
    result = run_docfetch("-s", "mirror", "rfc:791")
    assert result.returncode == 2 and b"no mirror configured" in result.stderr


def test_sources_listing(run_docfetch):
    result = run_docfetch("sources")
    assert result.returncode == 0
    text = result.stdout.decode()
    for name in ("ietf", "rfc-editor", "mirror", "docfetch-rfc-editor", "docfetch-mirror", "rfc*"):
        assert name in text


def test_library_api(world, docfetch_inprocess_env):
    import docfetch

    assert docfetch.fetch("rfc:791") == published(world, 791)
    assert docfetch.fetch("bcp:14") == published(world, 2119) + published(world, 8174)
    with pytest.raises(docfetch.NotFoundError):
        docfetch.fetch("rfc:14")


LEGACY_2616_JSON = (
    b'{"draft":"draft-ietf-http-v11-spec-rev-06","doc_id":"RFC2616","title":"Hypertext Transfer Protocol -- HTTP/1.1 ",'
    b'"obsoletes":["RFC2068"],"obsoleted_by":["RFC7230","RFC7231"],"updates":[],"updated_by":["RFC2817"],'
    b'"format":["ASCII","PS","PDF","HTML"],"page_count":"176","status":"DRAFT STANDARD"}'
)
NOTE_2616 = b"docfetch: note: RFC 2616 is obsoleted by RFC 7230, RFC 7231\n"


def test_first_fetch_notes_obsolescence(ietf_world, run_docfetch, fake_web):
    ietf_world.add_rfc(2616, old_style_rfc(2616))
    ietf_world.add_rfc(2616, LEGACY_2616_JSON, fmt="json")
    # The JSON is asked for beside the document and never waited for: the note shows when it
    # arrived first, as it does here (the document takes 0.3 s longer).
    fake_web.fault(EDITOR, "/rfc/rfc2616.txt", delay=0.3)
    first = run_docfetch("rfc:2616")
    assert first.returncode == 0 and first.stdout == ietf_world.docs.rfcs[2616]["txt"]
    assert first.stderr == NOTE_2616
    cached = run_docfetch("rfc:2616")  # the fast path, from the cached JSON
    assert cached.stdout == first.stdout and cached.stderr == NOTE_2616
    quiet = run_docfetch("-q", "rfc:2616")
    assert quiet.stdout == first.stdout and quiet.stderr == b""


def test_first_fetch_and_its_metadata_share_one_session(
    ietf_world, fake_web, docfetch_inprocess_env, monkeypatch, capfdbinary
):
    # The metadata prefetch runs beside the document fetch without a second HTTP session: a
    # second session would load the CA bundle again (25-45 ms for a full one) on every first fetch.
    from docfetch.cli.main import run
    from docfetch.net.http import HttpClient

    ietf_world.add_rfc(2616, old_style_rfc(2616))
    ietf_world.add_rfc(2616, LEGACY_2616_JSON, fmt="json")
    fake_web.fault(EDITOR, "/rfc/rfc2616.txt", delay=0.3)  # the JSON (never waited for) arrives first
    sessions = []
    real_init = HttpClient.__init__

    def counting_init(self, *args, **kwargs):
        sessions.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(HttpClient, "__init__", counting_init)
    assert run(["rfc:2616", "--no-pager"]) == 0
    out, err = capfdbinary.readouterr()
    assert out == ietf_world.docs.rfcs[2616]["txt"] and err == NOTE_2616
    assert len(sessions) == 1


def test_a_fetcher_sharing_a_session_keeps_its_own_limits(world, docfetch_inprocess_env):
    from dataclasses import replace

    from docfetch import Fetcher, Reference, load_settings

    settings = load_settings()
    with Fetcher(settings) as main:
        with Fetcher(replace(settings, retries=0, timeout=2.0), share_http_with=main) as side:
            assert side.http.session is main.http.session
            assert (side.http.settings.retries, side.http.settings.timeout) == (0, 2.0)
            assert main.http.settings.retries == settings.retries
            assert side.fetch(Reference("rfc", "793")).path.read_bytes() == published(world, 793)
        # the side fetcher is closed: the run's fetcher goes on
        assert main.fetch(Reference("rfc", "791")).path.read_bytes() == published(world, 791)


def test_missing_or_slow_metadata_never_fails_or_slows_a_fetch(ietf_world, run_docfetch, fake_web):
    import time

    ietf_world.add_rfc(2616, old_style_rfc(2616))
    fake_web.fault(EDITOR, "/rfc/rfc2616.json", stall=10, stall_after=0)
    start = time.monotonic()
    result = run_docfetch("rfc:2616")
    assert time.monotonic() - start < 5
    assert result.returncode == 0 and result.stderr == b""
    assert result.stdout == ietf_world.docs.rfcs[2616]["txt"]


def test_unresolvable_host_fails_fast_without_retries(run_docfetch, tmp_path):
    import time

    config = tmp_path / "dns.toml"
    config.write_text('[sources.rfc-editor]\nbase_url = "https://rfc-editor.invalid"\n')
    env = {"DOCFETCH_CONFIG": str(config), "HTTPS_PROXY": None, "HTTP_PROXY": None}
    start = time.monotonic()
    result = run_docfetch("--retries", "10", "-s", "rfc-editor", "rfc:791", env_extra=env)
    assert time.monotonic() - start < 10  # ten retries with backoff would wait 28 s at the very least
    assert result.returncode == 4
    assert result.stderr.decode().splitlines() == [
        "docfetch: error: RFC 791: https://rfc-editor.invalid/rfc/rfc791.txt: host name could not be resolved"
    ]


def test_every_failed_source_is_named(world, run_docfetch, fake_web):
    fake_web.fault(IETF, "/rfc/rfc791.txt", statuses=[503] * 10)
    fake_web.fault(EDITOR, "/rfc/rfc791.txt", statuses=[502] * 10)
    result = run_docfetch("--retries", "0", "rfc:791")
    assert result.returncode == 4 and result.stdout == b""
    error = result.stderr.decode().splitlines()[-1]
    assert error.startswith("docfetch: error: RFC 791: every source failed (ietf: ")
    assert "503" in error and "rfc-editor: " in error and "502" in error


def test_unreachable_proxy_fails_fast_without_retries(world, run_docfetch):
    import time

    dead = "http://127.0.0.1:9"
    start = time.monotonic()
    result = run_docfetch("--retries", "10", "rfc:791", env_extra={"HTTPS_PROXY": dead, "HTTP_PROXY": dead})
    assert time.monotonic() - start < 10  # ten retries with backoff would wait 28 s per source at least
    assert result.returncode == 4 and b"proxy refused or unreachable" in result.stderr
