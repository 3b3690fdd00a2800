"""The RFC Editor rsync layout (what every mirror shares), as files or as an HTTP tree.

``rfc{n}.{ext}`` and ``rfc-index.*``/``{kind}-index.txt`` flat at the top; ``bcp/ std/ fyi/``
holding multi-RFC bundles as files and single-member entries as symlinks to the RFC file.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docfetch.testing.ietf import Documents
    from docfetch.testing.server import FakeWeb

_DOC_ID = re.compile(r"(RFC|BCP|STD|FYI)0*(\d+)$")


@dataclass
class Layout:
    """Relative path → bytes, and relative path → symlink target (relative to the link)."""

    files: dict[str, bytes] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)


def subseries_members(index_xml: bytes) -> dict[tuple[str, int], list[int]]:
    """``{("bcp", 14): [2119, 8174], ...}`` from an rfc-index.xml (either namespace, padded or not)."""
    members: dict[tuple[str, int], list[int]] = {}
    for _, elem in ET.iterparse(BytesIO(index_xml), events=("end",)):
        tag = elem.tag.rsplit("}", 1)[-1]
        if tag in ("bcp-entry", "std-entry", "fyi-entry"):
            ids = [(e.text or "").strip() for e in elem.iter() if e.tag.rsplit("}", 1)[-1] == "doc-id"]
            parsed = [m for m in (_DOC_ID.match(i) for i in ids) if m]
            if parsed and parsed[0].group(1) != "RFC":
                key = (parsed[0].group(1).lower(), int(parsed[0].group(2)))
                members[key] = [int(m.group(2)) for m in parsed[1:] if m.group(1) == "RFC"]
            elem.clear()
        elif tag in ("rfc-entry", "rfc-not-issued-entry"):
            elem.clear()
    return members


def mirror_layout(docs: Documents) -> Layout:
    """The rsync tree for ``docs``."""
    layout = Layout()
    for number, fmts in sorted(docs.rfcs.items()):
        for fmt, body in fmts.items():
            layout.files[f"rfc{number}.{fmt}"] = body
    if docs.index_xml is not None:
        layout.files["rfc-index.xml"] = docs.index_xml
    if docs.index_txt is not None:
        layout.files["rfc-index.txt"] = docs.index_txt
    for kind, body in docs.subseries_indexes.items():
        layout.files[f"{kind}-index.txt"] = body
        layout.links[f"{kind}/{kind}-index.txt"] = f"../{kind}-index.txt"
    for (kind, number), body in docs.bundles.items():
        layout.files[f"{kind}/{kind}{number}.txt"] = body
    if docs.index_xml is not None:
        for (kind, number), rfcs in subseries_members(docs.index_xml).items():
            rel = f"{kind}/{kind}{number}.txt"
            if len(rfcs) == 1 and rel not in layout.files and f"rfc{rfcs[0]}.txt" in layout.files:
                layout.links[rel] = f"../rfc{rfcs[0]}.txt"
    return layout


def write_tree(layout: Layout, dest: Path) -> Path:
    """Write ``layout`` under ``dest`` (symlinks where the OS allows, copies otherwise)."""
    dest.mkdir(parents=True, exist_ok=True)
    for rel, body in layout.files.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    for rel, target in layout.links.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.exists():
            path.unlink()
        try:
            os.symlink(target, path)
        except OSError:
            path.write_bytes((path.parent / target).read_bytes())
    return dest


def serve_tree(web: FakeWeb, host: str, prefix: str, layout: Layout) -> None:
    """Serve ``layout`` on ``host`` under ``prefix`` (symlinks serve their target's bytes)."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    web.host(host)
    for rel, body in layout.files.items():
        web.add_file(host, prefix + rel, body)
    for rel, target in layout.links.items():
        resolved = os.path.normpath(os.path.join(os.path.dirname(rel), target))
        if resolved in layout.files:
            web.add_file(host, prefix + rel, layout.files[resolved])
