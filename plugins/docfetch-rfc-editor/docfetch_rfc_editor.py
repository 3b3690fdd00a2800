"""docfetch source ``rfc-editor``: RFCs (txt, html, pdf, xml, json) from the RFC Editor."""

from __future__ import annotations

from collections.abc import Sequence

from docfetch import RFC_INDEX, Location, Reference, Source, hookimpl

DEFAULT_BASE = "https://www.rfc-editor.org"


class RfcEditorSource(Source):
    """The canonical home of RFCs. ``[sources.rfc-editor] base_url`` points it elsewhere."""

    name = "rfc-editor"
    schemes = ("rfc", "bcp", "std", "fyi")
    formats = ("txt", "html", "pdf", "xml", "json")
    description = "RFC Editor: every RFC format from www.rfc-editor.org/rfc/"
    priority = 20

    @property
    def base(self) -> str:
        return str(self.context.settings.get("base_url", DEFAULT_BASE)).rstrip("/")

    def locate(self, ref: Reference, fmt: str) -> Sequence[Location]:
        if ref.scheme == "rfc":
            return [f"{self.base}/rfc/rfc{ref.number}.{fmt}"]
        if ref == RFC_INDEX and fmt == "xml":
            return [f"{self.base}/rfc-index.xml"]
        return []


@hookimpl
def docfetch_sources() -> list[type[Source]]:
    return [RfcEditorSource]
