"""Fixtures for the mirror plugin's tests: a small RFC Editor with a generated index.

Only the docfetch.testing kit is used (its pytest plugin is loaded by the installed docfetch):
real local HTTPS servers behind a proxy, with docfetch's default URLs unchanged.
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest

EDITOR = "www.rfc-editor.org"
NS = "https://www.rfc-editor.org/rfc-index"

#: What the generated index says each issued RFC exists in (``file-format`` values).
ISSUED: dict[int, list[str]] = {
    1: ["ASCII"],  # the pre-2026 spelling of TXT
    2: ["TXT", "PDF"],
    3: ["TXT", "XML"],  # XML listed before 8650: not published, never asked for
    4: ["PDF"],  # no text at all
    5: ["TXT", "HTML"],
    **{n: ["TXT"] for n in (6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20)},
    791: ["ASCII", "PDF"],
    793: ["TXT"],
    2119: ["TXT", "HTML"],
    8174: ["TXT", "HTML", "PDF", "XML"],  # before 8650: XML ignored
    8650: ["TXT", "HTML", "PDF", "XML"],
    10001: ["TXT", "XML"],
}
NOT_ISSUED = (14,)
SUBSERIES = {"BCP14": [2119, 8174], "STD5": [791, 793]}
#: Files a ``--range 1-20`` txt sync must write.
TXT_1_20 = sorted(n for n, fmts in ISSUED.items() if n <= 20 and {"TXT", "ASCII"} & set(fmts))


def old_style_text(number: int, pages: int = 2) -> bytes:
    """Pre-8650 style: ASCII, form feeds between pages, no final newline for odd numbers."""
    page = "\n".join(f"RFC {number:<6} line {i}: the quick brown fox\tjumps." for i in range(30)) + "\n"
    body = "\f\n".join([page] * pages).encode("ascii")
    return body.rstrip(b"\n") if number % 2 else body


def v3_text(number: int) -> bytes:
    """8650+ style: a UTF-8 byte-order mark, UTF-8 text, no form feeds."""
    return ("\ufeff" + f"RFC {number}  Ünïcödé v3 text, 日本\n" * 40).encode("utf-8")


def big_text(number: int, size: int = 400_000) -> bytes:
    """Incompressible text (even gzipped it stays large): lets a transfer be cut half-way."""
    rng = random.Random(number)
    raw = base64.encodebytes(rng.randbytes(size * 3 // 4))
    return f"RFC {number}\n".encode() + raw


def pdf_bytes(number: int) -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + f"1 0 obj <</RFC {number}>> endobj\n".encode() + b"\x00\xff\x00 binary"


def json_bytes(number: int, version: int = 1) -> bytes:
    return json.dumps({"doc_id": f"RFC{number}", "title": f"Document {number}", "v": version}).encode() + b"\n"


def html_bytes(number: int, version: int = 1) -> bytes:
    return f"<!DOCTYPE html><html><body><h1>RFC {number}</h1><p>v{version}</p></body></html>\n".encode()


def index_xml() -> bytes:
    """A 2026-shape rfc-index.xml (some doc-ids zero-padded, element order varied)."""
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<rfc-index xmlns="{NS}">\n']
    for doc_id, members in SUBSERIES.items():
        kind = doc_id.rstrip("0123456789").lower()
        ids = "".join(f"<doc-id>RFC{m}</doc-id>" for m in members)
        parts.append(f"<{kind}-entry><doc-id>{doc_id}</doc-id><is-also>{ids}</is-also></{kind}-entry>\n")
    for number in sorted([*ISSUED, *NOT_ISSUED]):
        doc_id = f"RFC{number:04d}" if number in (1, 2) else f"RFC{number}"
        if number in NOT_ISSUED:
            parts.append(f"<rfc-not-issued-entry><doc-id>{doc_id}</doc-id></rfc-not-issued-entry>\n")
            continue
        formats = "".join(f"<file-format>{f}</file-format>" for f in ISSUED[number])
        fields = [
            f"<doc-id>{doc_id}</doc-id>",
            f"<title>Document {number}</title>",
            f"<format>{formats}</format>",
            "<current-status>INFORMATIONAL</current-status>",
        ]
        if number % 3 == 0:
            fields.reverse()
        parts.append("<rfc-entry>" + "".join(fields) + "</rfc-entry>\n")
    parts.append("</rfc-index>\n")
    return "".join(parts).encode("utf-8")


@dataclass
class SyncWorld:
    """The published bytes, by file name of the rsync layout (``rfc791.txt``)."""

    world: object
    files: dict[str, bytes] = field(default_factory=dict)
    index: bytes = b""

    def publish(self, number: int, fmt: str, body: bytes) -> None:
        self.world.add_rfc(number, body, fmt)  # type: ignore[attr-defined]
        self.files[f"rfc{number}.{fmt}"] = body

    def expected(self, numbers: list[int], fmt: str) -> dict[str, bytes]:
        return {f"rfc{n}.{fmt}": self.files[f"rfc{n}.{fmt}"] for n in numbers}


@pytest.fixture
def sync_world(ietf_world) -> SyncWorld:
    """The RFC Editor publishing :data:`ISSUED` as the index says (and nothing it does not)."""
    sw = SyncWorld(ietf_world)
    for number, listed in ISSUED.items():
        if {"TXT", "ASCII"} & set(listed):
            sw.publish(number, "txt", v3_text(number) if number >= 8650 else old_style_text(number))
        if "PDF" in listed:
            sw.publish(number, "pdf", pdf_bytes(number))
        if "HTML" in listed:
            sw.publish(number, "html", html_bytes(number))
        if "XML" in listed and number >= 8650:
            sw.publish(number, "xml", f'<?xml version="1.0"?>\n<rfc number="{number}"/>\n'.encode())
        sw.publish(number, "json", json_bytes(number))
    sw.index = index_xml()
    ietf_world.add_index(sw.index)
    return sw


def visible_files(directory: Path) -> dict[str, bytes]:
    """The files a mirror serves: every non-hidden file at the top of ``directory``."""
    return {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")}


@pytest.fixture
def visible():
    """``visible(DIR)`` → {name: bytes} of the non-hidden files at the top of DIR."""
    return visible_files


@pytest.fixture
def helpers():
    """The document makers, for tests that publish something of their own."""

    class Helpers:
        old_style_text = staticmethod(old_style_text)
        v3_text = staticmethod(v3_text)
        big_text = staticmethod(big_text)
        json_bytes = staticmethod(json_bytes)
        html_bytes = staticmethod(html_bytes)
        txt_1_20 = TXT_1_20
        issued = ISSUED

    return Helpers
