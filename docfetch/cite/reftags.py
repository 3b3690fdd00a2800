"""The reference tags of an RFC or Internet-Draft: what ``[HTTP]`` or ``[4]`` names in its reference list.

RFCs cite by tag (``Section 15.5.5 of [HTTP]``) and say in their references what each tag is::

   [HTTP]     Fielding, R., Ed., Nottingham, M., Ed., and J. Reschke,
              Ed., "HTTP Semantics", STD 97, RFC 9110,
              DOI 10.17487/RFC9110, June 2022,
              <https://www.rfc-editor.org/info/rfc9110>.

An entry names an RFC by ``DOI 10.17487/RFCn``, an ``/info/rfcn`` link or ``RFC n`` outside
its quoted title, or an Internet-Draft by its name (``draft-ietf-quic-recovery-34``). Entries
are looked for after the first ``References`` heading at the start of a line (the table of
contents is indented), else after the last indented one, else anywhere; one per tag at the
start of a line indented by at most six spaces, up to the next blank line.
"""

from __future__ import annotations

import re

from docfetch.reference import Reference

_HEADING = re.compile(
    r"^[ \t]*(?:[0-9A-Z]+(?:\.[0-9]+)*\.?[ \t]+)?(?:Normative[ \t]+|Informative[ \t]+)?References[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_ENTRY = re.compile(r"^ {0,6}\[(?P<tag>[^\]\s]{1,40})\][ \t]*(?P<body>(?:.+\n?)+)", re.MULTILINE)
_TITLE = re.compile(r"\"[^\"]*\"|“[^”]*”")
_DOI = re.compile(r"10\.17487/RFC0*([1-9][0-9]{0,4})\b", re.IGNORECASE)
_INFO = re.compile(r"rfc-editor\.org/(?:info|rfc)/rfc0*([1-9][0-9]{0,4})\b", re.IGNORECASE)
_RFC = re.compile(r"\bRFC\s?0*([1-9][0-9]{0,4})\b")
_DRAFT = re.compile(r"\b(draft-[a-z0-9]+(?:-[a-z0-9]+)+?)(?:-([0-9]{2}))?\b(?!-)")


def reference_tags(text: str) -> dict[str, Reference]:
    """Each tag of the document's reference list and the RFC or draft it names (tags naming neither are left out)."""
    headings = list(_HEADING.finditer(text))
    flush = [heading for heading in headings if not heading.group()[:1].isspace()]
    start = flush[0].end() if flush else headings[-1].end() if headings else 0
    tags: dict[str, Reference] = {}
    for entry in _ENTRY.finditer(text, start):
        document = _document(entry["body"])
        if document is not None:
            tags.setdefault(entry["tag"], document)
    return tags


def _document(body: str) -> Reference | None:
    for pattern in (_DOI, _INFO):
        found = pattern.search(body)
        if found:
            return Reference("rfc", found[1])
    untitled = _TITLE.sub(" ", body)
    found = _RFC.search(untitled)
    if found:
        return Reference("rfc", found[1])
    draft = _DRAFT.search(untitled)
    if draft:
        return Reference("draft", draft[1], draft[2])
    return None
