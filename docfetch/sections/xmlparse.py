"""parse_xml_sections: the numbered truth of a v3 RFC, from its XML (``pn`` attributes).

v3 XML carries every section's number: ``<section pn="section-15.5.5"><name>404 Not
Found</name>``, appendices ``pn="section-appendix.b.1"`` (early v3 files: ``section-a.1``
for the subsections of an appendix), references ``<references pn="section-19">``, front
matter ``<abstract pn="section-abstract">``, ``section-boilerplate.N``, ``section-toc.1``.
"""

from __future__ import annotations

import re
from collections import namedtuple

_PN = re.compile(r"section-(?:appendix\.)?([a-z]|[0-9]+)((?:\.[0-9]+)*)")


class XmlSection(namedtuple("XmlSection", ("id", "number", "title", "level"))):
    """A section as the XML numbers it: the RFC Editor's HTML id, number (or None), title, level."""

    __slots__ = ()
    id: str
    number: str | None
    title: str
    level: int


def parse_xml_sections(xml: bytes) -> list[XmlSection]:
    """Every section, references section and front-matter section of a v3 XML file, in document order.

    Ids are the ones the RFC Editor's HTML uses: ``section-15.5.5``, ``appendix-B.1``,
    ``section-abstract``, ``section-boilerplate.1``, ``section-toc.1``; unnumbered back
    matter (``numbered="false"``) keeps its appendix id (``appendix-C``) and has no number.
    Titles are the text of ``<name>`` (markup such as xref or tt flattened, white space
    collapsed); the abstract, which has no name, is titled ``Abstract``.
    """
    import xml.etree.ElementTree as ET

    root = ET.fromstring(xml)
    out: list[XmlSection] = []
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag not in ("section", "references", "abstract"):
            continue
        pn = el.get("pn")
        if not pn:
            continue
        name = el.find("name")
        title = " ".join("".join(name.itertext()).split()) if name is not None else ""
        if tag == "abstract":
            out.append(XmlSection(pn, None, title or "Abstract", 1))
            continue
        m = _PN.fullmatch(pn)
        if not m:
            out.append(XmlSection(pn, None, title, 1))  # boilerplate, toc
            continue
        head, rest = m.group(1), m.group(2)
        appendix = head.isalpha()
        number = (head.upper() if appendix else head) + rest
        level = 1 + rest.count(".")
        ident = ("appendix-" if appendix else "section-") + number
        numbered = el.get("numbered", "true") != "false"
        out.append(XmlSection(ident, number if numbered else None, title, level))
    return out
