"""Shared helpers for the test suite: documents we make ourselves, fake installs, the CLI."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"

_CLEARED = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "PAGER",
)


def old_style_rfc(number: int, pages: int = 3, final_newline: bool = True) -> bytes:
    """An RFC in the pre-8650 style: ASCII, form feeds between pages, maybe no final newline."""
    body = []
    for page in range(1, pages + 1):
        lines = [f"RFC {number}            Synthetic Test Document            Page {page}", ""]
        lines += [f"   Line {i} of page {page}: the quick brown fox, tab\there." for i in range(40)]
        body.append("\n".join(lines) + "\n")
    text = "\f\n".join(body).encode("ascii")
    return text if final_newline else text.rstrip(b"\n")


def v3_rfc(number: int) -> bytes:
    """An RFC in the 8650+ style: a UTF-8 byte-order mark, UTF-8 text, no form feeds."""
    return ("\ufeff" + f"RFC {number}  Synthetic v3 document\n\n   Authors: Ünïcödé Ñame, 日本\n" * 30).encode("utf-8")


def rfc_index_xml(subseries: dict[str, list[int]], rfcs: dict[int, dict] | None = None, https: bool = True) -> bytes:
    """A small rfc-index.xml in the 2026 shape: subseries entries first, RFC entries after."""
    ns = "https://www.rfc-editor.org/rfc-index" if https else "http://www.rfc-editor.org/rfc-index"
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<rfc-index xmlns="{ns}">']
    for doc_id, members in subseries.items():
        kind = doc_id.rstrip("0123456789").lower()
        ids = "".join(f"<doc-id>RFC{m}</doc-id>" for m in members)
        parts.append(f"<{kind}-entry><doc-id>{doc_id}</doc-id><is-also>{ids}</is-also></{kind}-entry>")
    for number, fields in (rfcs or {}).items():
        title = fields.get("title", f"Document {number}")
        parts.append(f"<rfc-entry><doc-id>RFC{number}</doc-id><title>{title}</title></rfc-entry>")
    parts.append("</rfc-index>\n")
    return "".join(parts).encode("utf-8")


def fake_install(site: Path, dist: str, version: str, entry_points: dict[str, str], group: str = "docfetch.v1") -> None:
    """Make ``dist`` look installed (a .dist-info with entry points) in the directory ``site``."""
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    lines = [f"[{group}]"] + [f"{name} = {target}" for name, target in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    """os.environ without proxies, CA overrides, pagers or DOCFETCH_*; cache and config in ``tmp``."""
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED and not k.startswith("DOCFETCH_")}
    env.update(
        DOCFETCH_CACHE_DIR=str(tmp / "cache"),
        DOCFETCH_CONFIG=str(tmp / "config.toml"),
        XDG_CONFIG_HOME=str(tmp / "xdg-config"),
        XDG_CACHE_HOME=str(tmp / "xdg-cache"),
    )
    env.update(extra)
    return env


def docfetch_command() -> list[str]:
    """The installed console script next to this interpreter."""
    script = Path(sys.executable).parent / "docfetch"
    return [str(script)] if script.exists() else [sys.executable, "-m", "docfetch"]


def run_cli(
    *args: str, env: dict[str, str], timeout: float = 60, input: bytes | None = None
) -> subprocess.CompletedProcess:
    """Run the installed ``docfetch`` with ``args``; stdout and stderr as bytes."""
    return subprocess.run(
        [*docfetch_command(), *args], env=env, capture_output=True, timeout=timeout, input=input, check=False
    )


def run_on_pty(args: list[str], env: dict[str, str], timeout: float = 30) -> tuple[int, bytes, bytes]:
    """Run the installed ``docfetch`` with a pseudo-terminal as stdout: (exit code, screen, stderr)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*docfetch_command(), *args], stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    chunks = []
    while select.select([master], [], [], timeout)[0]:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout)
    os.close(master)
    assert proc.stderr is not None
    return proc.returncode, b"".join(chunks), proc.stderr.read()
