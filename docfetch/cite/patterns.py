"""The regular expressions that find citations, compiled once at import.

One pattern (:data:`CITATION`) finds every form in a single left-to-right pass; small ones
take a match apart. The forms, and what is deliberately not a citation, are listed in the
docstring of :mod:`docfetch.cite.scan`.

Between the words of a citation there may be spaces, or one line break followed by
indentation and the comment marker that continues the comment (``Section 3 of\\n   // RFC
9110``). Group names tell the forms apart: ``url`` (a link to a known site), ``ourl`` (any
other link: consumed so that nothing inside it is taken for a citation), ``s_*`` (section
first: ``Section 3 of RFC 9110``), ``d_*`` (document first: ``RFC 9110, Section 3``,
``RFC9110#section-3``, ``RFC 9110, 15.5.5``, bare ``RFC 9110``), ``plural`` (``RFCs 2119
and 8174``).
"""

from __future__ import annotations

import re

from docfetch.cite.markers import MARKER

_SP = r"[ \t\u00a0]"
#: Spaces, or one line break with the next line's indentation and comment marker.
W = rf"(?:{_SP}+|{_SP}*\r?\n{_SP}*(?:{MARKER}{_SP}*)?)"
WO = rf"(?:{W})?"

# --- documents ------------------------------------------------------------------------------
# "RFC 9110", "RFC9110", "rfc-9110", "[RFC9110]", "RFC~9110" (TeX), "RFC\n   9110"; not inside identifiers
# (RFC3339Nano, time.RFC3339, RFC_3339, parse_rfc822) nor paths (docs/rfc9110.txt), not
# "RFC 1.2" (a version), at most five digits, never RFC 0.
_RFC = (
    rf"(?<![\w$.@/\\#])\[?RFC(?:{_SP}{{0,3}}|-|~|{_SP}*\r?\n{_SP}*(?:{MARKER}{_SP}*)?)0*[1-9][0-9]{{0,4}}"
    r"(?![0-9])(?![\w$]|\.(?!(?:txt|html?|pdf|xml|json)\b)\w)\]?"
)
# Internet-Drafts: names of the IETF, IRTF, IAB, IESG and RFC Editor streams with or without a
# revision; any other "draft-x-y" only with a two-digit revision (so draft-js-plugins, JSON
# Schema's draft-07 and draft-2019-09 are not citations).
_DRAFT = (
    r"(?<![\w.\-/@])draft-(?:(?:ietf|irtf|iab|iesg|rfc-editor)(?:-[a-z0-9]+)+"
    r"|[a-z][a-z0-9]*(?:-[a-z0-9]+)*?-[0-9]{2})(?![\w-])"
)
# RFC-style reference tags of drafts: [I-D.ietf-quic-transport].
_IDTAG = r"(?<![\w.\-/])\[?I-D\.(?:draft-)?[a-z0-9]+(?:-[a-z0-9]+)+(?![\w-])\]?"
# Any other reference tag, [HTTP]: a citation only where the document's reference list says
# what it names (see :func:`docfetch.cite.reftags.reference_tags`).
_TAG = r"(?<![\w\]])\[(?:[A-Za-z][\w.+/-]{0,30}|[0-9]{1,3})\](?!\()"

# --- sections -------------------------------------------------------------------------------
_NUMERIC = r"(?:[0-9]{1,3}(?:\.[0-9]{1,3}){0,7}|(?-i:[A-Z])(?:\.[0-9]{1,3}){1,7})(?![\w])(?!\.[0-9])"
_LETTERED = r"(?-i:[A-Z])(?:\.[0-9]{1,3}){0,7}(?![\w])(?!\.[0-9])"
_SECWORD = r"(?:Sections?|Secs?\.?|Sects?\.?|§§?)"
_APPWORD = r"(?:Appendix|Appendices|Annex)"


def _list(item: str) -> str:
    """One item, or a list ("3, 4, and 5", "3 or 4"), or a range ("6.1-6.3", "3 through 5")."""
    return (
        rf"{item}(?:(?:{_SP}*,{_SP}*{item})*{_SP}*,?{W}(?:and|or){W}{item}"
        rf"|{_SP}*(?:--|-|–|—){_SP}*{item}|{W}(?:through|thru|to){W}{item})?"
    )


_SECPHRASE = rf"(?:{_SECWORD}{WO}{_list(_NUMERIC)}|{_APPWORD}{W}{_list(_LETTERED)})"
# A fragment: section-15.5.5, section-15.5.5-3 (a paragraph), appendix-B.1, section-appendix.b.1,
# name-404-not-found (a heading), page-5.
_FRAG = r"(?:section|sec|appendix)-[A-Za-z0-9.\-]*[A-Za-z0-9]|name-[a-z0-9\-]*[a-z0-9]|page-[0-9]+"
# "RFC 9110, 15.5.5" (Go's net/http writes it so): dotted, no part zero, not an address or prefix.
_DOTTED = r"[1-9][0-9]{0,2}(?:\.[1-9][0-9]{0,2}){1,5}(?![\w/]|\.[0-9])"

# --- links ----------------------------------------------------------------------------------
_URLCHAR = r"[^\s\"'<>()\[\]{}`|\\^“”‘’]"
_HOSTS = r"(?:rfc-editor\.org|datatracker\.ietf\.org|tools\.ietf\.org|ietf\.org|httpwg\.org)"
_URL = rf"(?<![\w.@\-/])(?:https?://)?(?:www\.)?{_HOSTS}(?::[0-9]+)?/{_URLCHAR}*(?<![.,;:!?*])"
_OTHER_URL = rf"(?<![\w.@\-])(?:https?|ftp|file)://{_URLCHAR}+"

# Sphinx's role: :rfc:`9110`, :rfc:`9110#section-15.5.5`, :rfc:`the text <9110#section-3>`.
_ROLE = r":rfc:`(?:[^`<>\n]{0,80}<)?[0-9]{1,5}(?:#[A-Za-z0-9.\-]+)?>?`"

_PLURAL = (
    rf"(?<![\w$.@/\\#])RFCs{_SP}+[0-9]{{1,5}}(?:(?:{_SP}*,{_SP}*(?:(?:and|or){_SP}+)?|{_SP}+(?:and|or){_SP}+"
    rf"|{_SP}*[-–]{_SP}*|{_SP}+(?:through|to){_SP}+)(?:RFC{_SP}?)?[0-9]{{1,5}}(?![\w.][0-9]))+"
)


def _citation(tags: bool) -> re.Pattern[str]:
    doc = f"(?:{_RFC}|{_DRAFT}|{_IDTAG}" + (f"|{_TAG})" if tags else ")")
    section_first = rf"(?<![\w$.\-/])(?P<s_secs>{_SECPHRASE}){W}(?:of|in|from){W}(?:the{W})?(?P<s_doc>{doc})"
    doc_first = (
        rf"(?P<d_doc>{doc})(?:['’]s)?(?:"
        rf"(?:{_SP}*(?:[,:(]|[-–—](?={_SP})))?{WO}(?P<d_secs>{_SECPHRASE})(?!{W}(?:of|in)\b)"
        rf"|#(?P<d_frag>{_FRAG})"
        rf"|{_SP}*,?{_SP}+(?P<d_num>{_DOTTED}))?"
    )
    pattern = (
        rf"(?P<url>{_URL})|(?P<ourl>{_OTHER_URL})|(?P<role>{_ROLE})|{section_first}|(?P<plural>{_PLURAL})|{doc_first}"
    )
    # No form starts inside a word, and every form starts with one of these characters: most
    # positions of a text fail these two cheap tests before any alternative is tried (4x faster).
    return re.compile(rf"(?<![A-Za-z0-9_])(?=[hwrdtifsa:\[§])(?:{pattern})", re.IGNORECASE | re.ASCII)


#: Every citation form, in one pattern.
CITATION = _citation(tags=False)
#: The same, with named reference tags ([HTTP]) as documents.
CITATION_TAGS = _citation(tags=True)
#: Cheap test of whether a text may hold any citation at all.
PREFILTER = re.compile(r"rfc|draft-|i-d\.", re.IGNORECASE)

# --- taking a match apart -------------------------------------------------------------------
#: The document in a matched document phrase.
DOC_PARTS = re.compile(
    r"(?P<tag>\[(?!RFC|I-D\.)[^\]]+\])|I-D\.(?:draft-)?(?P<id>[a-z0-9-]+)|RFC\D{0,12}?0*(?P<rfc>[0-9]+)|(?P<draft>draft-[a-z0-9-]+)",
    re.IGNORECASE | re.ASCII,
)
#: The numbers of a plural citation (RFCs 2119 and 8174; RFCs 7230-7235).
PLURAL_ITEMS = re.compile(r"(?P<sep>[-–]|\bthrough\b|\bto\b)?\s*(?:RFC\s?)?(?P<num>[0-9]{1,5})", re.IGNORECASE)
#: The document in a link's path: /rfc/rfc9110.html, /doc/html/draft-x-y-34, /doc/draft-x-y/34/.
URL_DOC = re.compile(
    r"/(?:rfc(?P<rfc>[0-9]{1,5})|(?P<draft>draft-[a-z0-9-]+?)(?:-(?P<rev>[0-9]{2}))?)"
    r"(?:\.(?:txt|html?|pdf|xml|json))?(?=[/#?]|$)(?:/(?P<rev2>[0-9]{2})(?=[/#?]|$))?",
    re.IGNORECASE | re.ASCII,
)
#: A section fragment, taken apart.
FRAGMENT = re.compile(
    r"(?:section|sec|appendix)-(?:appendix[.-])?(?P<num>[0-9]+(?:\.[0-9]+)*|[A-Za-z](?:\.[0-9]+)*)(?:-[0-9]+)?"
    r"|(?P<slug>name-[a-z0-9-]+)",
    re.IGNORECASE | re.ASCII,
)
#: The parts of a Sphinx role.
ROLE_PARTS = re.compile(r"(?P<n>[0-9]{1,5})(?:#(?P<frag>[A-Za-z0-9.\-]+))?>?`$")
#: An RFC reference tag right after an RFC's name: "RFC 9110 [RFC9110]" is one citation.
ECHO_TAG = re.compile(r"[ \t\u00a0]*\[RFC[ -]?0*(?P<n>[0-9]{1,5})\]", re.IGNORECASE)
#: What may stand between a citation and its quotation.
GAP = re.compile(
    r"(?:</[A-Za-z]+>|[*_\])>]){0,3}"  # the end of a link (Markdown, HTML) or of emphasis
    rf"(?:{_SP}*\((?P<title>[^()\n\"“”]{{1,80}})\))?"  # (404 Not Found)
    rf"{_SP}*(?P<punct>[,:;]|--|-|–|—)?"
    rf"(?:{_SP}+(?:which{_SP}+)?(?P<verb>says|say|states|state|reads|read|defines|specifies|requires|notes"
    rf"|mandates|explains|recommends|puts{_SP}+it)(?:{_SP}+that)?)?"
    rf"{_SP}*(?P<colon>:)?"
    rf"(?P<nl>{_SP}*\r?\n(?P<blank>{_SP}*(?:{MARKER}{_SP}*)?\r?\n)?{_SP}*(?P<mark>{MARKER})?)?"
    rf"{_SP}*\(?\\?"
    r"(?P<open>[\"“])",
    re.IGNORECASE,
)
