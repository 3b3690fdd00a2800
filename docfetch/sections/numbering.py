"""Section numbers as RFCs write them: ``15.5.5.``, ``14.23``, ``B.1.``, ``Appendix A:``, ``IV.``.

:func:`parse_numbered` reads the number at the start of a line (a heading or a table of
contents entry) and gives its kind, its components as integers (for checking that numbers
follow each other), the number as the RFC Editor writes it, and where the title starts.
"""

from __future__ import annotations

import re
from collections import namedtuple

from docfetch.sections.labels import to_roman

NUMERIC, APPENDIX, ROMAN = 0, 1, 2

_NUMBERED = re.compile(
    rb"([ \t]*)((?:0|[1-9][0-9]{0,2})(?:\.[0-9]{1,3})*|[A-Z](?:\.[0-9]{1,3})+|[A-Z](?=\.))(\.?)([ \t]+)(\S.*)"
)
_APPENDIX = re.compile(
    rb"([ \t]*)(?:APPENDIX|Appendix)[ \t]+([A-Z]|[0-9]{1,2})((?:\.[0-9]{1,3})*)(?![A-Za-z0-9])"
    rb"[ \t]*(\.|:|--?|\xe2\x80\x94)?([ \t]*)(.*)"
)
_CHAPTER = re.compile(rb"([ \t]*)(?:CHAPTER|Chapter)[ \t]+([1-9][0-9]?)\.?[ \t]*")
_ROMAN = re.compile(rb"([ \t]*)([IVX]{1,5})\.([ \t]+)(\S.*)")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


class Numbered(namedtuple("Numbered", ("kind", "comps", "number", "title", "indent", "title_col", "dot", "explicit"))):
    """A number read at the start of a line.

    ``kind`` NUMERIC, APPENDIX or ROMAN; ``comps`` the components as integers (``B.1`` is
    ``(2, 1)``); ``number`` as written, without a trailing dot (``B.1``, ``14.23``, ``IV``);
    ``title`` the rest of the line (bytes, stripped); ``indent`` and ``title_col`` columns;
    ``dot`` whether the number ended with a dot; ``explicit`` whether the word Appendix was there.
    """

    __slots__ = ()
    kind: int
    comps: tuple[int, ...]
    number: str
    title: bytes
    indent: int
    title_col: int
    dot: bool
    explicit: bool


def roman_value(text: str) -> int | None:
    """The value of a roman numeral made of I, V and X (``None`` if it is not well formed)."""
    if not text or any(c not in _ROMAN_VALUES for c in text):
        return None
    total = 0
    values = [_ROMAN_VALUES[c] for c in text]
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    if total <= 0 or to_roman(total) != text:
        return None
    return total


def _columns(line: bytes, upto: int) -> int:
    """The display column of byte ``upto`` of ``line`` (tabs expand to multiples of 8)."""
    head = line[:upto]
    return len(head.expandtabs(8)) if b"\t" in head else upto


def parse_numbered(line: bytes, *, roman: bool = False) -> Numbered | None:
    """The number at the start of ``line``, or ``None`` when it does not start with one."""
    m = _APPENDIX.match(line)
    if m:
        first = m.group(2).decode()
        rest = m.group(3).decode()
        comps: tuple[int, ...] = (ord(first) - 64 if first.isalpha() else int(first),)
        comps += tuple(int(c) for c in rest.split(".")[1:])
        title = m.group(6).strip()
        if title.isdigit():
            title = b""  # "APPENDIX A      10": a page number, the title is on the next line
        return Numbered(
            APPENDIX,
            comps,
            first + rest,
            title,
            _columns(line, m.end(1)),
            _columns(line, m.start(6)),
            m.group(4) == b".",
            True,
        )
    m = _CHAPTER.fullmatch(line)
    if m:
        return Numbered(NUMERIC, (int(m.group(2)),), m.group(2).decode(), b"", _columns(line, m.end(1)), 0, False, True)
    if roman:
        m = _ROMAN.match(line)
        if m:
            value = roman_value(m.group(2).decode())
            if value is not None:
                return Numbered(
                    ROMAN,
                    (value,),
                    m.group(2).decode(),
                    m.group(4).strip(),
                    _columns(line, m.end(1)),
                    _columns(line, m.start(4)),
                    True,
                    False,
                )
    m = _NUMBERED.match(line)
    if not m:
        return None
    number = m.group(2).decode()
    parts = number.split(".")
    comps2: tuple[int, ...]
    if parts[0].isalpha():
        kind = APPENDIX
        comps2 = (ord(parts[0]) - 64, *(int(p) for p in parts[1:]))
    else:
        kind = NUMERIC
        comps2 = tuple(int(p) for p in parts)
    return Numbered(
        kind,
        comps2,
        number,
        m.group(5).strip(),
        _columns(line, m.end(1)),
        _columns(line, m.start(5)),
        bool(m.group(3)),
        False,
    )


def join_wrapped(parts: list[bytes]) -> bytes:
    """Lines of one wrapped title joined: with a space, or with none after a hyphen (``IS-`` ``IS``)."""
    out = b""
    for part in parts:
        part = part.strip()
        if not out:
            out = part
        elif out.endswith(b"-") and len(out) > 1 and out[-2:-1].isalnum():
            out += part
        else:
            out += b" " + part
    return out
