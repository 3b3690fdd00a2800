"""docfetch source ``mirror``: RFCs from mirrors laid out like the RFC Editor rsync tree.

Mirrors come from ``DOCFETCH_MIRRORS`` (comma-separated) or ``[sources.mirror] urls`` in the
config file; each is an ``http(s)://`` base URL or a local directory, tried in order.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from docfetch import RFC_INDEX, Location, Reference, Source, hookimpl


def configured_mirrors(settings: dict | None = None) -> list[str]:
    """The mirror list: the environment wins over the config file."""
    from_env = os.environ.get("DOCFETCH_MIRRORS", "")
    if from_env.strip():
        return [m.strip() for m in from_env.split(",") if m.strip()]
    urls = (settings or {}).get("urls", [])
    if isinstance(urls, str):
        urls = urls.split(",")
    return [str(u).strip() for u in urls if str(u).strip()]


def mirror_location(base: str, relative: str) -> Location:
    """A file of the rsync layout (``rfc791.txt``, ``rfc-index.xml``) under one mirror."""
    if base.startswith(("http://", "https://")):
        return base.rstrip("/") + "/" + relative
    if base.startswith("file://"):
        base = base[len("file://") :]
    return Path(base).expanduser() / relative


class MirrorSource(Source):
    """Your own copies: an internal HTTP server or a local rsync of ``rfc-editor.org::rfcs``."""

    name = "mirror"
    schemes = ("rfc", "bcp", "std", "fyi")
    formats = ("txt", "html", "pdf", "xml", "json")
    description = "Mirrors in the rsync layout (DOCFETCH_MIRRORS: URLs or directories)"
    priority = 30

    def mirrors(self) -> list[str]:
        return configured_mirrors(dict(self.context.settings))

    def unavailable(self) -> str | None:
        if not self.mirrors():
            return "no mirror configured (set DOCFETCH_MIRRORS or [sources.mirror] urls)"
        return None

    def locate(self, ref: Reference, fmt: str) -> Sequence[Location]:
        if ref.scheme == "rfc":
            relative = f"rfc{ref.number}.{fmt}"
        elif ref == RFC_INDEX and fmt == "xml":
            relative = "rfc-index.xml"
        else:
            return []
        return [mirror_location(base, relative) for base in self.mirrors()]


@hookimpl
def docfetch_sources() -> list[type[Source]]:
    return [MirrorSource]
