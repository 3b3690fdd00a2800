"""Sections of RFCs and Internet-Drafts: find every section of a published text, exactly.

``parse_text(data)`` gives the :class:`Outline` of a document (computed once, stored as
JSON beside the cached document); ``find(outline, query)`` answers ``section-15.5.5``,
``15.5.5``, ``B.1``, ``Appendix B`` or ``404 Not Found``; ``strip_furniture`` removes page
breaks from a slice; ``parse_xml_sections`` reads the section numbers of v3 XML.
"""

from __future__ import annotations

from docfetch.sections.model import FORMAT_VERSION, Outline, PageBreak, Section, SectionNotFound
from docfetch.sections.textparse import parse_text

__all__ = ["FORMAT_VERSION", "Outline", "PageBreak", "Section", "SectionNotFound", "parse_text"]
