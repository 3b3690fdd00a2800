"""Section numbers as users type them (``b.1``, ``15.5.5.``, ``Appendix B``, ``§3``), made canonical.

Kept apart from the parser's patterns so that finding a section in a stored outline compiles
only what it needs.
"""

from __future__ import annotations

import re

_ROMAN_DIGITS = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def to_roman(value: int) -> str:
    """``value`` (1 to 39) as a roman numeral."""
    out = []
    for v, s in _ROMAN_DIGITS:
        while value >= v:
            out.append(s)
            value -= v
    return "".join(out)


def canonical_number(text: str) -> str | None:
    """A number as a user may type it (``b.1``, ``15.5.5.``, ``Appendix B``), as sections carry it."""
    t = text.strip().rstrip(".").strip()
    m = re.fullmatch(r"(?i)(?:appendix\s+|app\.?\s*)([a-z0-9]+(?:\.[0-9]+)*)", t)
    if m:
        t = m.group(1)
    m = re.fullmatch(r"(?i)(?:section|sect?\.?|§)\s*([a-z0-9]+(?:\.[0-9]+)*)", t)
    if m:
        t = m.group(1)
    if not re.fullmatch(r"(?i)[a-z0-9]+(?:\.[0-9]+)*", t):
        return None
    head, _, rest = t.partition(".")
    if head.isalpha() and (len(head) == 1 or _is_roman(head.upper())):
        head = head.upper()
    elif head.isdigit():
        head = str(int(head))
    else:
        return None
    parts = [head] + [str(int(p)) for p in rest.split(".")] if rest else [head]
    return ".".join(parts)


def _is_roman(text: str) -> bool:
    """Whether ``text`` is a well-formed roman numeral of I, V and X (up to 39)."""
    return any(to_roman(v) == text for v in range(1, 40))


_PN_APPENDIX = re.compile(r"(?i)#?section-(?:appendix\.([a-z])|([a-z]))((?:\.[0-9]+)*)")


def canonical_id(text: str) -> str | None:
    """The id of today's RFC Editor HTML for an appendix id of older v3 HTML, else None.

    HTML that xml2rfc 3.8 made (RFC 9000, 2021) names appendices by their XML ``pn``:
    ``section-appendix.a``, and their subsections ``section-a.1``; later HTML (RFC 9110)
    and the datatracker's say ``appendix-A``, ``appendix-A.1``. Links of both kinds are pasted.
    """
    m = _PN_APPENDIX.fullmatch(text.strip())
    if not m:
        return None
    letter = (m.group(1) or m.group(2)).upper()
    return f"appendix-{letter}{m.group(3)}"
