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
