"""Finding citations of RFCs and Internet-Drafts in text, with the quotations that follow them.

Forms recognised (case-insensitive words; any of them may wrap across a line break and the
comment marker that continues the comment):

- document first: ``RFC 9110, Section 15.5.5``, ``RFC 9110 Section 15.5.5``, ``RFC 9110
  §15.5.5``, ``RFC 9110 § 15.5.5``, ``RFC 9110 Sec. 15.5.5``, ``rfc9110 section 15.5.5``,
  ``[RFC9110], Section 15.5.5``, ``[RFC9110, Section 15.5.5]``, ``RFC 9110 (Section 15.5.5)``,
  ``RFC 9110's Section 3``, ``RFC 9110, Appendix B.1``, ``RFC9110#section-15.5.5``,
  ``RFC 9110, 15.5.5`` (a dotted number right after the document, as Go's net/http writes;
  parts must not be zero and it must not be followed by ``/``, so ``RFC 1918, 10.0.0.0/8`` is
  not one);
- section first: ``Section 15.5.5 of RFC 9110`` (also ``in``, ``from``, ``of the``),
  ``Section 15.5.5 of [RFC9110]``, ``§15.5.5 of RFC 9110``, ``Appendix B.1 of RFC 9110``;
- links to www.rfc-editor.org, datatracker.ietf.org, tools.ietf.org, www.ietf.org and
  httpwg.org, with or without ``https://``: ``/rfc/rfc9110.html#section-15.5.5``,
  ``/rfc/rfc9110#appendix-B.1``, ``/doc/html/rfc9110#section-15.5.5``,
  ``/html/rfc7231#section-6.5.4``, ``/rfc/rfc9110.txt``, ``/doc/html/draft-x-y-34#section-2``,
  ``/archive/id/draft-x-y-34.html#section-2``, ``/doc/draft-x-y/34/``. Fragments
  ``section-N-P`` (a paragraph) cite section N; ``section-appendix.b.1`` cites Appendix B.1;
  ``name-404-not-found`` cites the section with that heading (resolved against titles by the
  check); other fragments (``page-5``, ``section-abstract``) make a bare citation;
- Sphinx roles: ``:rfc:`9110```, ``:rfc:`9110#section-15.5.5```, ``:rfc:`text <9110#section-3>```;
- bare documents: ``RFC 9110``, ``RFC9110``, ``rfc-9110``, ``RFC~9110`` (TeX), ``[RFC9110]``,
  ``RFCs 2119 and 8174``, ``RFCs 7230-7235`` (a range of at most 20 documents is expanded; a longer one gives
  its two ends);
- Internet-Drafts: ``draft-ietf-quic-transport-34`` (revision ``34``),
  ``draft-ietf-quic-transport`` (revision ``None``: the latest), ``[I-D.ietf-quic-transport]``,
  with sections in any of the forms above;
- several sections: ``Sections 3 and 4 of RFC 9110``, ``Sections 3, 4, and 5 of RFC 9110``
  give one citation with several :class:`SectionRef` (each with its own position); ``RFC
  9110, Sections 6.1-6.3`` (also ``–``, ``through``, ``to``) gives one citation with the two
  ends and ``through=True`` (the check expands the range in document order). A "range" whose
  ends have different depths (``15.5.5 to 404``) keeps only its start.

Not citations (noise): ``RFC`` inside identifiers (``RFC3339Nano``, ``time.RFC3339``,
``RFC_3339``, ``parse_rfc822``), in file paths (``docs/rfc9110.txt``) and in links to other
sites (``https://github.com/x/rfc9110``); ``RFC 1.2`` (a version), more than five digits,
``RFC 0``; ``draft-07``, ``draft-js-plugins`` (a draft name from outside the IETF streams
needs a two-digit revision); ``STD 97``/``BCP 14`` (subseries are not checked); ``[HTTP]``
unless the caller passes the reference tags of the document being scanned. A reference tag
echoing the RFC just named (``RFC 9110 [RFC9110]``) is part of that citation. Two citations of
the same document standing next to each other, separated by at most four spaces, brackets,
parentheses, angle brackets or quotation marks (and at most one line break), whose sections
agree or of which one has none, are one citation, at the first of the two, with the sections
of whichever has them: a link's text and target (``[RFC 9110, Section
3](https://...#section-3)``, ``<a href="https://...#section-3">RFC 9110, Section 3</a>``,
reST's ```RFC 9110 <https://...>`_`` across a line break), ``RFC 1738 [2]`` in an RFC's text,
and ``RFC 3339 (Section 5.6 of RFC 3339)``.

Quotations (attached to the citation right before them, never to one further back):

- The quotation opens with ``"`` or ``“`` and may be preceded by ``,``, ``:``, ``;``, a dash,
  a verb (``says``, ``states``, ``reads``, ``defines``, ``specifies``, ``requires``,
  ``notes``, ``mandates``, ``explains``, ``recommends``, ``puts it``, optionally ``which ...``
  and ``that``), a parenthesised remark of at most 80 characters (kept as ``title``), the end
  of a Markdown or HTML link (``)``, ``]``, ``</a>``) or of emphasis, an opening parenthesis.
  Nothing else: a sentence that ends (``.``) before the quotation mark ends the chance.
- It may start on the next line when both lines belong to the same kind of comment (or are
  both plain text), or when a colon or a verb introduces it and the next line is a comment
  or quotation line (``Per RFC 9110, Section 15.5.5:`` then ``> "The 404..."``). One blank
  line (or comment line) may stand between only in that second case: Markdown wants a blank
  line before a block quotation, and a comment often sets a quotation apart the same way.
- The character after the opening mark must not be a space or ``,:;)]}``: a straight quote
  right after a citation that closes a string literal (``{"RFC 9110, Section 3": x}``) is not
  a quotation.
- It ends at the matching closing mark: ``”`` for ``“`` (straight quotes inside are text);
  for ``"``, a ``"`` preceded by a space and followed by a non-space opens an inner quotation
  (``"the "Content-Type" header field"``) and the next ``"`` closes it. Inside a string
  literal (``\\"...\\"``) the escaped marks count. It may wrap over at most 30 lines (2,000
  characters) of the same comment; a blank line, the end of the comment (a line without the
  marker, ``*/``, ``-->``) or the end of the file before the closing mark means no quotation.
- Its text is normalised: comment markers, line breaks and indentation removed, lines joined
  with one space (without one after a line ending in a hyphenated word: ``Content-`` /
  ``Type``), runs of whitespace made one space.

Citations inside an attached quotation (the RFC quoting another) are not reported.
Performance: the text is tested once for ``rfc``/``draft-``/``I-D.`` before anything else, and
every pattern is compiled at import.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping

from docfetch.cite import markers, patterns
from docfetch.cite.model import Citation, SectionRef, section_id
from docfetch.reference import Reference

#: At most this many lines, and characters, in a quotation.
MAX_QUOTE_LINES = 30
MAX_QUOTE_CHARS = 2000
#: A range of more documents than this (RFCs 1-9000) gives its two ends only.
MAX_DOCUMENT_RANGE = 20

_NOT_AFTER_OPEN = frozenset(" \t\r\n,:;)]}\u00a0")
_SECTION_WORD = re.compile(r"(?:Sections?|Secs?\.?|Sects?\.?|§§?|Appendix|Appendices|Annex)", re.IGNORECASE)
_SECTION_NUMBER = re.compile(r"(?-i:[A-Z])(?:\.[0-9]+)*(?![\w])|[0-9]+(?:\.[0-9]+)*", re.ASCII)
_RANGE_BETWEEN = re.compile(r"--|-|–|—|\bthrough\b|\bthru\b|\bto\b", re.IGNORECASE)
_DRAFT_NAME = re.compile(r"(draft-[a-z0-9-]+?)(?:-([0-9]{2}))?", re.ASCII)
_TITLE = re.compile(r"[*_]{0,3}[ \t\u00a0]*\((?P<title>[^()\n\"“”:]{1,80})\)")
_LINK_GLUE = re.compile(r"[\]\[()<>\"' \t]{0,4}(?:\r?\n[ \t]*[\[(<]?)?")
_ESCAPED_QUOTE = re.compile(r'\\(["“”])')


class _Lines:
    """Line and column (1-based, in characters) of offsets into one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer("\n", text))

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def line_of(self, offset: int) -> tuple[str, int]:
        """The text of the line holding ``offset`` (without its newline) and the column of ``offset`` in it."""
        index = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[index]
        end = self.text.find("\n", start)
        return self.text[start : len(self.text) if end < 0 else end], offset - start


def scan_text(text: str, path: str = "", *, tags: Mapping[str, Reference] | None = None) -> list[Citation]:
    """Every citation in ``text``, in order. ``path`` is copied into each :class:`Citation`.

    ``tags`` maps reference tags (``HTTP`` for ``[HTTP]``) to documents; give it when scanning
    a document with a reference list (:func:`docfetch.cite.reftags.reference_tags`).
    """
    if not patterns.PREFILTER.search(text):
        return []
    pattern = patterns.CITATION_TAGS if tags else patterns.CITATION
    lines = _Lines(text)
    found: list[Citation] = []
    last_end = -1
    pos = 0
    while True:
        match = pattern.search(text, pos)
        if match is None:
            break
        pos = max(match.end(), pos + 1)
        built = _build(match, text, lines, path, tags or {})
        if not built:
            continue
        cites, end = built
        pos = max(pos, end)
        if len(cites) == 1 and found and last_end >= 0:
            merged = _merge_link(found[-1], last_end, cites[0], match.start(), text)
            if merged is not None:
                found[-1] = merged
                cites = []
                last_end = end
        if cites:
            found.extend(cites)
            last_end = end
        if len(cites) <= 1 and found:
            quoted = _attach_quote(found[-1], text, last_end, lines)
            if quoted is not None:
                found[-1], quote_end = quoted
                pos = max(pos, quote_end)
                last_end = -1
    return found


def _build(
    match: re.Match[str], text: str, lines: _Lines, path: str, tags: Mapping[str, Reference]
) -> tuple[list[Citation], int] | None:
    """The citations one match makes, and where the last of them ends; ``None`` for none."""
    groups = match.groupdict()
    start, end = match.span()
    line, column = lines.position(start)
    if groups["ourl"] is not None:
        return None
    if groups["url"] is not None:
        return _from_url(match, lines, path)
    if groups["plural"] is not None:
        return _from_plural(match, lines, path), end
    if groups["role"] is not None:
        return _from_role(match, lines, path)
    doc_group = "s_doc" if groups["s_doc"] is not None else "d_doc"
    document = _document(match.group(doc_group), tags)
    if document is None:
        return None
    sections: tuple[SectionRef, ...] = ()
    through = False
    if groups["s_secs"] is not None:
        sections, through = _sections(match, "s_secs", lines)
    elif groups["d_secs"] is not None:
        sections, through = _sections(match, "d_secs", lines)
    elif groups["d_frag"] is not None:
        sections = _fragment(groups["d_frag"], match.start("d_frag"), lines)
    elif groups["d_num"] is not None:
        written = groups["d_num"]
        ident = section_id(written)
        if ident is not None:
            sections = (SectionRef(written, ident, *lines.position(match.start("d_num"))),)
    if (
        document.scheme == "rfc"
        and (echo := patterns.ECHO_TAG.match(text, end))
        and int(echo["n"]) == int(document.name)
    ):
        end = echo.end()
    title = None
    if sections and (remark := _TITLE.match(text, end)):
        title = remark["title"].strip()
    cite = Citation(path, line, column, document, sections, raw=text[start:end], through=through, title=title)
    return [cite], end


def _document(written: str, tags: Mapping[str, Reference]) -> Reference | None:
    parts = patterns.DOC_PARTS.search(written)
    if parts is None:
        return None
    if parts["rfc"] is not None:
        return Reference("rfc", str(int(parts["rfc"])))
    if parts["tag"] is not None:
        tag = parts["tag"][1:-1]
        return tags.get(tag) or tags.get(tag.upper())
    name = parts["draft"] if parts["draft"] is not None else "draft-" + parts["id"]
    return _draft(name)


def _draft(name: str) -> Reference:
    split = _DRAFT_NAME.fullmatch(name.lower())
    assert split is not None
    return Reference("draft", split[1], split[2])


def _sections(match: re.Match[str], group: str, lines: _Lines) -> tuple[tuple[SectionRef, ...], bool]:
    phrase = match.group(group)
    base = match.start(group)
    word = _SECTION_WORD.match(phrase)
    offset = word.end() if word else 0
    refs: list[SectionRef] = []
    through = False
    previous_end = -1
    for number in _SECTION_NUMBER.finditer(phrase, offset):
        ident = section_id(number.group())
        if ident is None:
            continue
        if previous_end >= 0 and _RANGE_BETWEEN.search(phrase, previous_end, number.start()):
            if ident.count(".") != refs[-1].id.count(".") or ident.split("-")[0] != refs[-1].id.split("-")[0]:
                break
            through = True
        refs.append(SectionRef(number.group(), ident, *lines.position(base + number.start())))
        previous_end = number.end()
    return tuple(refs), through and len(refs) == 2


def _fragment(fragment: str, offset: int, lines: _Lines) -> tuple[SectionRef, ...]:
    parts = patterns.FRAGMENT.fullmatch(fragment)
    if parts is None:
        return ()
    if parts["slug"] is not None:
        ident: str | None = parts["slug"].lower()
    else:
        ident = section_id(parts["num"])
    if ident is None:
        return ()
    return (SectionRef(fragment, ident, *lines.position(offset)),)


def _from_url(match: re.Match[str], lines: _Lines, path: str) -> tuple[list[Citation], int] | None:
    url = match.group()
    start = match.start()
    address, _, fragment = url.partition("#")
    host_end = address.find("/", address.find("//") + 2 if "//" in address else 0)
    found = patterns.URL_DOC.search(address, max(host_end, 0))
    if found is None:
        return None
    if found["rfc"] is not None:
        if int(found["rfc"]) == 0:
            return None
        document = Reference("rfc", str(int(found["rfc"])))
    else:
        document = _draft(found["draft"])
        revision = found["rev"] or found["rev2"]
        document = Reference("draft", document.name, revision or document.revision)
    sections: tuple[SectionRef, ...] = ()
    if fragment:
        sections = _fragment(fragment, start + len(address) + 1, lines)
    line, column = lines.position(start)
    return [Citation(path, line, column, document, sections, raw=url)], match.end()


def _from_role(match: re.Match[str], lines: _Lines, path: str) -> tuple[list[Citation], int] | None:
    role = match.group()
    parts = patterns.ROLE_PARTS.search(role)
    if parts is None or int(parts["n"]) == 0:
        return None
    sections: tuple[SectionRef, ...] = ()
    if parts["frag"]:
        sections = _fragment(parts["frag"], match.start() + parts.start("frag"), lines)
    line, column = lines.position(match.start())
    return [Citation(path, line, column, Reference("rfc", str(int(parts["n"]))), sections, raw=role)], match.end()


def _from_plural(match: re.Match[str], lines: _Lines, path: str) -> list[Citation]:
    """One citation per number, at the number, ``raw`` its digits; the documents inside a range
    (``7231`` to ``7234`` in ``7230-7235``) stand at the range, ``raw`` the range."""
    phrase = match.group()
    base = match.start()
    items = list(patterns.PLURAL_ITEMS.finditer(phrase, 4))
    cites: list[Citation] = []
    for index, item in enumerate(items):
        number = int(item["num"])
        if index and item["sep"] is not None:
            before = items[index - 1]
            first = int(before["num"])
            if 0 < number - first <= MAX_DOCUMENT_RANGE:
                line, column = lines.position(base + before.start("num"))
                span = phrase[before.start("num") : item.end("num")]
                cites.extend(
                    Citation(path, line, column, Reference("rfc", str(between)), raw=span)
                    for between in range(first + 1, number)
                )
        if number > 0:
            line, column = lines.position(base + item.start("num"))
            cites.append(Citation(path, line, column, Reference("rfc", str(number)), raw=item["num"]))
    return cites


def _merge_link(previous: Citation, previous_end: int, current: Citation, start: int, text: str) -> Citation | None:
    """One citation for a link whose text and target cite the same thing; ``None`` when they differ."""
    if previous.document != current.document or previous.quote is not None:
        return None
    glue = _LINK_GLUE.fullmatch(text, previous_end, start)
    if glue is None:
        return None
    ids_before = tuple(s.id for s in previous.sections)
    ids_now = tuple(s.id for s in current.sections)
    if ids_before and ids_now and ids_before != ids_now:
        return None
    if ids_before or not ids_now:
        sections, through = previous.sections, previous.through
    else:
        sections, through = current.sections, current.through
    raw = previous.raw + text[previous_end:start] + current.raw
    return Citation(
        previous.path,
        previous.line,
        previous.column,
        previous.document,
        sections,
        raw=raw,
        through=through,
        title=previous.title,
    )


def _attach_quote(cite: Citation, text: str, end: int, lines: _Lines) -> tuple[Citation, int] | None:
    """The citation with the quotation that follows it (and where the quotation ends), or ``None``."""
    gap = patterns.GAP.match(text, end)
    if gap is None:
        return None
    open_pos = gap.start("open")
    after = text[open_pos + 1 : open_pos + 2]
    if not after or after in _NOT_AFTER_OPEN or after in '"“”':
        return None
    escaped = text[open_pos - 1 : open_pos] == "\\" if open_pos > 0 else False
    line_text, column = lines.line_of(open_pos)
    if gap["nl"] is not None:
        cited_line, cited_column = lines.line_of(end)
        cited_family = markers.family_at(cited_line, cited_column)
        quote_family = markers.family(gap["mark"] or "")
        introduced = gap["colon"] is not None or gap["verb"] is not None or gap["punct"] == ":"
        if gap["blank"] is not None and not (introduced and quote_family):
            return None
        if cited_family != quote_family and not (introduced and quote_family):
            return None
    family = markers.family_at(line_text, column)
    _, marker_column = markers.leading(line_text)
    read = _read_quote(text, open_pos, gap["open"], family, marker_column, escaped)
    if read is None:
        return None
    quote, quote_end = read
    quote_line, quote_column = lines.position(open_pos)
    title = cite.title
    if title is None and cite.sections and gap["title"]:
        title = gap["title"].strip()
    updated = Citation(
        cite.path,
        cite.line,
        cite.column,
        cite.document,
        cite.sections,
        quote=quote,
        quote_line=quote_line,
        quote_column=quote_column,
        raw=cite.raw,
        through=cite.through,
        title=title,
    )
    return updated, quote_end


def _read_quote(
    text: str, open_pos: int, opener: str, family: str, marker_column: int, escaped: bool
) -> tuple[str, int] | None:
    """The normalised text of the quotation opening at ``open_pos``, and the offset past its close."""
    curly = opener == "“"
    comment_end = {"*": "*/", "<!--": "-->"}.get(family)
    pieces: list[str] = []
    depth = 0
    total = 0
    pos = open_pos + 1
    for _ in range(MAX_QUOTE_LINES):
        newline = text.find("\n", pos)
        line_end = len(text) if newline < 0 else newline
        segment = text[pos:line_end]
        close = _find_close(segment, curly, escaped, depth)
        if close is None:
            return None
        if isinstance(close, int):
            if comment_end and comment_end in segment[:close]:
                return None
            pieces.append(segment[:close])
            quote = _join(pieces, escaped)
            if not any(ch.isalnum() for ch in quote):
                return None
            return quote, pos + close + 1 + escaped
        if comment_end and comment_end in segment:
            return None
        depth = close[0]
        pieces.append(segment)
        total += len(segment)
        if newline < 0 or total > MAX_QUOTE_CHARS:
            return None
        next_end = text.find("\n", newline + 1)
        next_line = text[newline + 1 : len(text) if next_end < 0 else next_end]
        rest = markers.strip_marker(next_line, family, marker_column)
        if rest is None or not rest.strip():
            return None
        pos = newline + 1 + len(next_line) - len(rest)
    return None


def _find_close(segment: str, curly: bool, escaped: bool, depth: int) -> int | tuple[int] | None:
    """The index of the closing mark in ``segment``; ``(depth,)`` (inner quotations still open) if
    there is none; ``None`` when an escaped quotation meets the end of its string literal."""
    for index, char in enumerate(segment):
        if curly:
            if char == "“":
                depth += 1
            elif char == "”":
                if not depth:
                    return index
                depth -= 1
            continue
        if char != '"':
            continue
        mark = index
        if escaped:
            slashes = index - len(segment[:index].rstrip("\\"))
            if slashes % 2 == 0:
                return None
            mark = index - 1
        before = segment[mark - 1] if mark else " "
        after = segment[index + 1 : index + 2] or " "
        if (before.isspace() or before in "([{") and not after.isspace():
            depth += 1
        elif depth:
            depth -= 1
        else:
            return mark
    return (depth,)


def _join(pieces: list[str], escaped: bool) -> str:
    joined = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if joined and not (joined[-1] == "-" and len(joined) > 1 and joined[-2].isalnum() and piece[0].isalpha()):
            joined += " "
        joined += piece
    if escaped:
        joined = _ESCAPED_QUOTE.sub(r"\1", joined)
    return " ".join(joined.split())
