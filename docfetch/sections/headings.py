"""Finding the numbered headings of a text document: candidates, then the best numbering sequence.

Every line that starts with a number and follows a blank line (or a page break) is a
candidate: a heading, or a numbered list item, a table row, a line of ABNF... Each gets a
weight from what it looks like (a blank line after it, a title that is not a sentence, an
entry with the same number and title in the document's own table of contents, the
indentation the document gives headings of that depth). Then the candidates that form the
best sequence are kept: section numbers follow each other (the next heading is the next
sibling, the first child, or the next sibling of an ancestor), so a dynamic programme picks
the chain of candidates with the highest total weight, where a step that breaks the sequence
costs a penalty and a small gap (a missing number) costs less.
"""

from __future__ import annotations

import re
from collections import namedtuple

from docfetch.sections.numbering import APPENDIX, NUMERIC, ROMAN, Numbered, join_wrapped, parse_numbered
from docfetch.sections.pages import CONTENT, Lines
from docfetch.sections.toc import Toc, TocEntry, by_number, same_title

_RUN_IN = re.compile(rb"([A-Z][A-Za-z0-9 -]{0,28}[A-Za-z0-9])   +[A-Za-z(\"]")
_SENTENCE = re.compile(rb"[.,;:]\s|[.,;:]$")
_INNER_GAP = re.compile(rb"[^.:?!]  \S")
_LETTER_TITLE = re.compile(rb"([ \t]*)([A-Z])[ \t]+(\S.*)")

#: What a step that breaks the numbering sequence costs (forward: 3.4 then 5; backward: 3.4 then 1,
#: which real documents never do), and a step over one missing number (3.4 then 3.6).
INVALID_STEP = 4.0
BACKWARD_STEP = 12.0
GAP_STEP = 1.5
#: How many earlier candidates a forward step that breaks the sequence may come from.
LOOK_BACK = 24
LINE_WIDTH = 72


class Candidate(namedtuple("Candidate", ("line", "last", "num", "title", "weight", "listed"))):
    """A line that may be a numbered heading: its line index, its last line (a wrapped title), its number."""

    __slots__ = ()
    line: int
    last: int
    num: Numbered
    title: str
    weight: float
    listed: bool


def heading_title(lines: Lines, i: int, first: bytes, title_col: int) -> tuple[str, int, int]:
    """The title starting with ``first`` on line ``i``, joined with the lines it wrapped onto.

    Returns the title, the index of its last line, and how many lines of text follow the
    heading before the next blank line (0 for a heading followed by a blank line).
    """
    text, kind = lines.text, lines.kind
    parts = [first]
    last = i
    j = i + 1
    while j < len(text) and kind[j] == CONTENT and j - i <= 2:
        line = text[j]
        indent = len(line) - len(line.lstrip())
        word = line.split(None, 1)[0]
        if indent != title_col or len(text[j - 1].rstrip()) + 1 + len(word) <= LINE_WIDTH - 4:
            break
        parts.append(line.strip())
        last = j
        j += 1
    if j < len(text) and kind[j] == CONTENT and is_underline(text[j]):
        last = j  # "Introduction" over "------------"
        j += 1
    following = 0
    while j < len(text) and kind[j] == CONTENT and following < 3:
        following += 1
        j += 1
    title = " ".join(join_wrapped(parts).decode("utf-8", "replace").split())
    return title, last, following


def _indent(text: list[bytes], i: int) -> int:
    line = text[i] if i < len(text) else b""
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())


def is_underline(line: bytes) -> bool:
    """Whether a line only underlines the one above it (``-----`` or ``=====``)."""
    s = line.strip()
    return len(s) >= 3 and (not s.strip(b"-") or not s.strip(b"="))


def _listed_letter(line: bytes, listed: dict[tuple[int, tuple[int, ...]], TocEntry]) -> Numbered | None:
    """``A Table of Timer Values``: a letter and one space, an appendix only when the table lists it so."""
    m = _LETTER_TITLE.match(line)
    if not m:
        return None
    entry = listed.get((APPENDIX, (m.group(2)[0] - 64,)))
    title = m.group(3).strip()
    if entry is None or not same_title(entry.title, title.decode("utf-8", "replace")):
        return None
    return Numbered(APPENDIX, entry.comps, entry.number, title, len(m.group(1)), m.start(3), False, False)


def _title_below(lines: Lines, i: int) -> tuple[str, int, int]:
    """The title of ``CHAPTER 1`` or ``APPENDIX A`` standing alone: the next line, after at most two blank ones."""
    text, kind = lines.text, lines.kind
    j = i + 1
    while j < len(text) and j <= i + 3 and kind[j] != CONTENT:
        j += 1
    if j >= len(text) or j > i + 3 or len(text[j].strip()) > 70 or parse_numbered(text[j]) is not None:
        return "", i, 0
    title, last, following = heading_title(lines, j, text[j].strip(), len(text[j]) - len(text[j].lstrip()))
    if following or last > j + 1:
        return "", i, 0  # a paragraph, not a title
    return title, last, following


def find_candidates(lines: Lines, first_line: int, roman: bool, toc: Toc | None) -> list[Candidate]:
    """Every line from ``first_line`` on, outside the table of contents, that may be a numbered heading.

    Each comes with its weight.
    """
    text, kind = lines.text, lines.kind
    listed = by_number(toc)
    listed_levels: set[tuple[int, int]] = {(k, len(c)) for k, c in listed}
    listed_parents: set[tuple[int, tuple[int, ...]]] = {(k, c[:-1]) for k, c in listed if len(c) > 1}
    out: list[Candidate] = []
    skip = range(toc.heading, toc.end) if toc is not None else range(0)
    for i in range(first_line, len(text)):
        if kind[i] != CONTENT or (i > 0 and kind[i - 1] == CONTENT) or i in skip:
            continue
        line = text[i]
        if not (line[:1] in b" \tA" or line[:1].isdigit() or line[:1].isupper()):
            continue
        num = parse_numbered(line, roman=roman) or _listed_letter(line, listed)
        if num is None or (not num.title and not num.explicit):
            continue
        runin = _RUN_IN.match(num.title) if num.title else None
        if runin:
            # "1. MUST   This word, or the terms ..." (RFC 2119): a heading run into its first line.
            title, last = runin.group(1).decode("utf-8", "replace"), i
            following = 0 if _indent(text, i + 1) >= num.title_col or kind[i + 1] != CONTENT else 2
        elif num.title:
            title, last, following = heading_title(lines, i, num.title, num.title_col)
        else:
            title, last, following = _title_below(lines, i)
            if not title:
                entry = listed.get((num.kind, num.comps))
                title = entry.title if entry is not None else ""
        weight = 1.0
        if following == 0:
            weight += 1.0
        elif len(title) <= 40 and _indent(text, last + 1) > num.indent and not _SENTENCE.search(title.encode()):
            weight -= 0.3  # "1. Command name and code" over its indented text: an old style of heading
        else:
            weight -= 1.0 if following == 1 else 1.5
        if title.endswith((".", ",", ";")) and not title.endswith(".."):
            weight -= 1.0
        if title[:1].islower():
            weight -= 0.5
        if runin:
            weight -= 0.8  # as likely a row of a table
        elif len(title) > 80 or b"   " in num.title or b"\t" in num.title:
            weight -= 1.0
        elif _INNER_GAP.search(num.title):
            weight -= 0.5  # "NCC TIP  [1130-1430]": two spaces inside a title, not after a sentence: a table
        if num.kind == APPENDIX and not num.explicit and len(num.comps) == 1:
            weight -= 1.0  # "A. Title" without the word Appendix: as often a lettered list
        if (
            num.kind == NUMERIC
            and not num.dot
            and len(num.comps) == 1
            and num.title_col - num.indent - len(num.number) < 2
        ):
            weight -= 0.3  # "5 BBN IMP": a number and one space, the shape of a table row
        entry = listed.get((num.kind, num.comps))
        if entry is not None:
            weight += 4.0 if same_title(entry.title, title) else -3.0
        elif len(num.comps) == 1 and ((num.kind, 1) in listed_levels if num.explicit else len(listed) >= 5):
            weight -= 3.0  # a table that lists top-level sections lists them all
        elif (num.kind, num.comps[:-1]) in listed_parents:
            weight -= 2.0  # the table lists other subsections of the same parent, not this one
        elif (num.kind, len(num.comps)) in listed_levels:
            weight -= 0.5
        out.append(Candidate(i, last, num, title, weight, entry is not None and weight > 3.0))
    return out


def _start_cost(num: Numbered) -> float:
    """What starting a sequence with this number costs (nothing for 1 or Appendix A)."""
    if all(c == 1 for c in num.comps):
        return 0.0 if len(num.comps) == 1 else 1.0
    if len(num.comps) == 1 and num.comps[0] in (0, 2):
        return 1.0
    if len(num.comps) == 1 and num.comps[0] == 3:
        return 3.0
    return 8.0  # a document does not start at section 40 (RFC 638's schedule lists host numbers)


def _order(num: Numbered) -> tuple[int, tuple[int, ...]]:
    """Where a number sorts in a document: sections (arabic or roman) first, then appendices."""
    return (1 if num.kind == APPENDIX else 0, num.comps)


def best_sequence(cands: list[Candidate], weights: list[float] | None = None, strict: bool = False) -> list[int]:
    """Indices of the candidates forming the highest-weight numbering sequence, in order."""
    n = len(cands)
    if weights is None:
        weights = [c.weight for c in cands]
    gap = GAP_STEP * (2.0 if strict else 1.0)
    orders = [_order(c.num) for c in cands]
    score = [0.0] * n
    pred = [-1] * n
    exact: dict[tuple[int, tuple[int, ...]], int] = {}
    prefix: dict[tuple[int, tuple[int, ...]], int] = {}
    best_all = -1
    best_main = -1  # best chain ending on a NUMERIC or ROMAN heading (what appendices follow)
    for i, c in enumerate(cands):
        kind, comps = c.num.kind, c.num.comps
        w = weights[i]
        if w <= 0:
            score[i] = float("-inf")  # looks more like anything else than a heading: never one
            continue
        options: list[tuple[float, int]] = [(w - _start_cost(c.num) * (3.0 if strict else 1.0), -1)]
        last = comps[-1]
        parent = comps[:-1]
        if last == 1 and parent:
            j = exact.get((kind, parent), -1)
            if j >= 0:
                options.append((score[j] + w, j))
        if last > 1:
            j = prefix.get((kind, (*parent, last - 1)), -1)
            if j >= 0:
                options.append((score[j] + w, j))
        if last > 2:
            j = prefix.get((kind, (*parent, last - 2)), -1)
            if j >= 0:
                options.append((score[j] + w - gap, j))
        if last == 2 and parent:
            j = exact.get((kind, parent), -1)
            if j >= 0:
                options.append((score[j] + w - gap, j))
        if kind == APPENDIX and comps[0] == 1 and best_main >= 0:
            options.append((score[best_main] + w - (0.0 if len(comps) == 1 else 1.0), best_main))
        order = orders[i]
        if best_all >= 0:
            back = orders[best_all] >= order
            if back and c.listed and kind != APPENDIX and cands[best_all].num.kind == APPENDIX:
                back = False  # "7.  References" after the appendices (RFC 5322), as its table says
            options.append((score[best_all] + w - (BACKWARD_STEP if back else INVALID_STEP), best_all))
        for j in range(max(0, i - LOOK_BACK), i):
            if orders[j] < order and score[j] > float("-inf"):
                options.append((score[j] + w - INVALID_STEP, j))
        s, p = max(options)
        score[i], pred[i] = s, p
        key = (kind, comps)
        if exact.get(key, -1) < 0 or score[exact[key]] < s:
            exact[key] = i
        for k in range(1, len(comps) + 1):
            pk = (kind, comps[:k])
            if prefix.get(pk, -1) < 0 or score[prefix[pk]] < s:
                prefix[pk] = i
        if best_all < 0 or score[best_all] < s:
            best_all = i
        if kind != APPENDIX and (best_main < 0 or score[best_main] < s):
            best_main = i
    if best_all < 0 or score[best_all] <= 0 or (strict and pred[best_all] < 0):
        return []  # without a table of contents, one lone numbered line is not a numbering
    chain = []
    i = best_all
    while i >= 0:
        chain.append(i)
        i = pred[i]
    chain.reverse()
    return chain


def select_headings(cands: list[Candidate], has_toc: bool = True) -> list[Candidate]:
    """The candidates that are headings: the best sequence, refined by the indentation headings use.

    Without a table of contents (``has_toc`` false) the sequence must hold together better:
    starting elsewhere than at 1 and skipping numbers cost more.

    A first pass finds the sequence; the indentation most of its headings of each depth share
    then counts for (or against) every candidate of that depth, and the sequence is chosen again.
    """
    chain = best_sequence(cands, strict=not has_toc)
    if len(chain) < 3:
        return [cands[i] for i in chain]
    usual: dict[int, dict[int, int]] = {}
    for i in chain:
        c = cands[i]
        if c.weight < 2.0:
            continue  # only the clearest headings say where headings stand
        counts = usual.setdefault(len(c.num.comps), {})
        counts[c.num.indent] = counts.get(c.num.indent, 0) + 1
    weights = []
    for c in cands:
        counts = usual.get(len(c.num.comps), {})
        w = c.weight
        total = sum(counts.values())
        if total >= 3:
            share = counts.get(c.num.indent, 0) / total
            if share >= 0.5:
                w += 0.5
            elif share == 0:
                w -= 1.5
        weights.append(w)
    chain = best_sequence(cands, weights, strict=not has_toc)
    return [cands[i] for i in chain]


__all__ = ["APPENDIX", "NUMERIC", "ROMAN", "Candidate", "best_sequence", "find_candidates", "select_headings"]
