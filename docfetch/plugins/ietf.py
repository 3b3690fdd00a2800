"""The built-in default source: RFCs from www.ietf.org, Internet-Drafts from the IETF archive."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from docfetch.errors import FetchError
from docfetch.plugins.hookspecs import hookimpl
from docfetch.plugins.source import RFC_INDEX, Location, Source
from docfetch.reference import Reference

RFC_URL = "https://www.ietf.org/rfc/rfc{number}.{fmt}"
DRAFT_URL = "https://www.ietf.org/archive/id/{name}-{revision}.{fmt}"
DOC_JSON_URL = "https://datatracker.ietf.org/doc/{name}/doc.json"
RFC_INDEX_URL = "https://www.rfc-editor.org/rfc-index.xml"
DRAFT_FORMATS = ("txt", "html", "xml", "pdf")
_REVISION = re.compile(r"[0-9]{2}", re.ASCII)


class IetfSource(Source):
    """www.ietf.org: the default for RFCs (it redirects to the RFC Editor) and for drafts."""

    name = "ietf"
    schemes = ("rfc", "draft", "bcp", "std", "fyi")
    formats = ("txt", "html", "pdf", "xml", "json")
    description = "IETF: RFCs via www.ietf.org/rfc/, drafts from www.ietf.org/archive/id/"
    priority = 10

    def resolve(self, ref: Reference) -> Reference:
        """Find a draft's latest revision through datatracker's doc.json."""
        if ref.scheme != "draft" or ref.revision is not None:
            return ref
        url = DOC_JSON_URL.format(name=ref.name)
        try:
            revision = json.loads(self.context.read(url)).get("rev")
        except (ValueError, AttributeError, RecursionError):  # RecursionError: JSON nested too deeply
            raise FetchError(f"{url}: not the JSON datatracker publishes") from None
        if not isinstance(revision, str) or not _REVISION.fullmatch(revision):
            raise FetchError(f"{url}: no usable revision in doc.json ({str(revision)[:20]!r})")
        return ref.with_revision(revision)

    def locate(self, ref: Reference, fmt: str) -> Sequence[Location]:
        if ref.scheme == "rfc":
            return [RFC_URL.format(number=ref.number, fmt=fmt)]
        if ref.scheme == "draft" and ref.revision is not None and fmt in DRAFT_FORMATS:
            return [DRAFT_URL.format(name=ref.name, revision=ref.revision, fmt=fmt)]
        if ref == RFC_INDEX and fmt == "xml":
            return [RFC_INDEX_URL]
        return []


@hookimpl
def docfetch_sources() -> list[type[Source]]:
    return [IetfSource]
