"""docfetch source ``mirror``: RFCs from mirrors laid out like the RFC Editor rsync tree.

Mirrors come from ``DOCFETCH_MIRRORS`` (comma-separated) or ``[sources.mirror] urls`` in the
config file; each is an ``http(s)://`` base URL or a local directory, tried in order.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from docfetch import RFC_INDEX, Location, Reference, Source

#: The file of the RFC index in the rsync layout.
INDEX_NAME = "rfc-index.xml"


def configured_mirrors(settings: Mapping[str, Any] | None = None) -> list[str]:
    """The mirror list: ``DOCFETCH_MIRRORS`` wins over ``urls`` of the config file.

    ``urls`` may be a TOML list or one comma-separated string; blanks are dropped.
    """
    from_env = os.environ.get("DOCFETCH_MIRRORS", "")
    if from_env.strip():
        return [m.strip() for m in from_env.split(",") if m.strip()]
    urls = (settings or {}).get("urls", [])
    if isinstance(urls, str):
        urls = urls.split(",")
    return [str(u).strip() for u in urls if str(u).strip()]


def mirror_location(base: str, relative: str) -> Location:
    """A file of the rsync layout (``rfc791.txt``, ``rfc-index.xml``) under one mirror.

    An ``http(s)://`` base gives a URL; anything else (a path, ``~/rfcs``, ``file:///srv``) a
    local path.
    """
    if base.startswith(("http://", "https://")):
        return base.rstrip("/") + "/" + relative
    if base.startswith("file://"):
        base = base[len("file://") :]
    return Path(base).expanduser() / relative


def rfc_file_name(number: int, fmt: str) -> str:
    """The name of an RFC file in the rsync layout: ``rfc791.txt`` (never zero-padded)."""
    return f"rfc{int(number)}.{fmt}"


class MirrorSource(Source):
    """Your own copies: an internal HTTP server or a local rsync of ``rfc-editor.org::rfcs``."""

    name = "mirror"
    schemes = ("rfc", "bcp", "std", "fyi")
    formats = ("txt", "html", "pdf", "xml", "json")
    description = "Mirrors in the rsync layout (DOCFETCH_MIRRORS: URLs or directories)"
    priority = 30

    def mirrors(self) -> list[str]:
        """The configured mirrors, in the order they are tried."""
        return configured_mirrors(self.context.settings)

    def unavailable(self) -> str | None:
        """Unavailable (and skipped as a fallback) when no mirror is configured."""
        if not self.mirrors():
            return "no mirror configured (set DOCFETCH_MIRRORS or [sources.mirror] urls)"
        return None

    def locate(self, ref: Reference, fmt: str) -> Sequence[Location]:
        """``rfc{n}.{fmt}`` or ``rfc-index.xml`` under every mirror, in order."""
        if ref.scheme == "rfc":
            relative = rfc_file_name(ref.number, fmt)
        elif ref == RFC_INDEX and fmt == "xml":
            relative = INDEX_NAME
        else:
            return []
        return [mirror_location(base, relative) for base in self.mirrors()]
