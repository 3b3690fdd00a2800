"""docfetch source ``iana``: IANA protocol registries as documents (``iana:http-status-codes``).

A registry ``NAME`` lives at ``https://www.iana.org/assignments/NAME/`` as ``NAME.xml`` (every
registry), ``NAME.txt`` (most), ``NAME.xhtml`` (the web page) and CSV files: ``NAME.csv`` for a
one-table registry, ``NAME-1.csv``, ``NAME-2.csv``... one per table otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

from docfetch import Location, Reference, Source, hookimpl

DEFAULT_BASE = "https://www.iana.org"
#: docfetch format -> the file extension IANA uses for it.
EXTENSIONS = {"txt": "txt", "xml": "xml", "csv": "csv", "html": "xhtml"}


class IanaSource(Source):
    """IANA registries. ``[sources.iana] base_url`` points it at a copy of the site's layout."""

    name = "iana"
    schemes = ("iana",)
    formats = ("txt", "xml", "csv", "html")
    description = "IANA protocol registries (iana:NAME) from www.iana.org/assignments/"
    priority = 50

    @property
    def base(self) -> str:
        """The site root, without a trailing slash."""
        return str(self.context.settings.get("base_url", DEFAULT_BASE)).rstrip("/")

    def resolve(self, ref: Reference) -> Reference:
        """Registry names are lower case on the server (``iana:HTTP-Status-Codes`` works too)."""
        return Reference(ref.scheme, ref.name.lower(), ref.revision) if ref.name != ref.name.lower() else ref

    def locate(self, ref: Reference, fmt: str) -> Sequence[Location]:
        """The registry's file in ``fmt``; for CSV the whole-registry file, then the first table's."""
        if ref.scheme != "iana" or fmt not in EXTENSIONS:
            return []
        folder = f"{self.base}/assignments/{ref.name}/"
        if fmt == "csv":
            return [f"{folder}{ref.name}.csv", f"{folder}{ref.name}-1.csv"]
        return [f"{folder}{ref.name}.{EXTENSIONS[fmt]}"]


@hookimpl
def docfetch_sources() -> list[type[Source]]:
    """The ``iana`` source."""
    return [IanaSource]
