"""Sections of RFCs and Internet-Drafts: find every section of a published text, exactly.

``parse_text(data)`` gives the :class:`Outline` of a document (computed once, kept as JSON
beside the cached document: ``outline.to_json()``, ``Outline.from_json()``);
``find(outline, query)`` answers ``section-15.5.5``, ``15.5.5``, ``B.1``, ``Appendix B`` or
``404 Not Found``; ``children``/``subsections``/``parent`` walk the outline;
``strip_furniture`` removes page breaks from a slice; ``parse_xml_sections`` reads the
section numbers of v3 XML. Importing this package costs little (``re`` and the project's
errors): the parser's own modules load only when ``parse_text`` is called.
"""

from __future__ import annotations

from docfetch.sections.furniture import section_bytes, strip_furniture
from docfetch.sections.model import FORMAT_VERSION, Outline, PageBreak, Section, SectionNotFound
from docfetch.sections.query import children, find, format_toc, label, parent, section_at, subsections, suggest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from docfetch.sections.xmlparse import XmlSection


def parse_text(data: bytes) -> Outline:
    """Every section of RFC-style text; see :func:`docfetch.sections.textparse.parse_text`."""
    from docfetch.sections.textparse import parse_text as parse

    return parse(data)


def parse_xml_sections(xml: bytes) -> list[XmlSection]:
    """Every section of v3 XML; see :func:`docfetch.sections.xmlparse.parse_xml_sections`."""
    from docfetch.sections.xmlparse import parse_xml_sections as parse

    return parse(xml)


__all__ = [
    "FORMAT_VERSION",
    "Outline",
    "PageBreak",
    "Section",
    "SectionNotFound",
    "children",
    "find",
    "format_toc",
    "label",
    "parent",
    "parse_text",
    "parse_xml_sections",
    "section_at",
    "section_bytes",
    "strip_furniture",
    "subsections",
    "suggest",
]
