"""Real published documents (../shared/corpus), served by the local IETF world, fetched byte for byte."""

import hashlib
import re

import pytest

pytestmark = pytest.mark.corpus


def _sha256_table(corpus):
    table = {}
    for line in (corpus / "SOURCES.md").read_text().splitlines():
        match = re.match(r"\| `(rfc/[a-z]+/rfc[0-9]+\.[a-z]+)` \| [0-9]+ \| `([0-9a-f]{64})`", line)
        if match:
            table[match.group(1)] = match.group(2)
    return table


def test_every_corpus_rfc_text_is_fetched_exactly(corpus, ietf_world, run_docfetch, tmp_path):
    ietf_world.load_corpus(corpus)
    expected = _sha256_table(corpus)
    texts = sorted((corpus / "rfc" / "txt").glob("rfc*.txt"))
    assert len(texts) > 20
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    refs = [f"rfc:{p.stem[3:]}" for p in texts]
    result = run_docfetch(*refs, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == b"".join(p.read_bytes() for p in texts)
    for path in texts:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == expected[f"rfc/txt/{path.name}"]


def test_corpus_properties_survive(corpus, ietf_world, run_docfetch):
    ietf_world.load_corpus(corpus)
    for number in (768, 1149):  # no final newline
        body = run_docfetch(f"rfc:{number}").stdout
        assert body == (corpus / "rfc" / "txt" / f"rfc{number}.txt").read_bytes() and not body.endswith(b"\n")
    v3 = run_docfetch("rfc:9110").stdout
    assert v3.startswith(b"\xef\xbb\xbf") and b"\f" not in v3


@pytest.mark.parametrize(("fmt", "number"), [("pdf", 9114), ("html", 791), ("json", 2616)])
def test_corpus_other_formats(corpus, ietf_world, run_docfetch, tmp_path, fmt, number):
    ietf_world.load_corpus(corpus)
    out = tmp_path / f"x.{fmt}"
    result = run_docfetch("-s", "rfc-editor", "-f", fmt, "-o", str(out), f"rfc:{number}")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (corpus / "rfc" / fmt / f"rfc{number}.{fmt}").read_bytes()


def test_bcp_14_from_the_full_generated_index(corpus, ietf_world, run_docfetch):
    ietf_world.load_corpus(corpus)
    ietf_world.add_index((corpus / "index" / "rfc-index.xml").read_bytes())
    result = run_docfetch("-q", "bcp:14")
    assert result.returncode == 0, result.stderr
    txt = corpus / "rfc" / "txt"
    assert result.stdout == (txt / "rfc2119.txt").read_bytes() + (txt / "rfc8174.txt").read_bytes()
