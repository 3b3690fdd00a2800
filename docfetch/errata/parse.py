"""Reading ``errata.json`` (bytes) into ``Erratum`` records, whatever shape its entries have.

The file is one JSON array. Each element is read on its own, so an element that cannot be
used (not an object, no usable ``errata_id`` or ``doc-id``, nested absurdly deep, a number
too large for Python) is skipped and counted with its reason while the rest are kept. Only a
file that is not a JSON array at all (not JSON, truncated, an object at the top) is refused
with :class:`ErrataFormatError`: an empty database built from it would wrongly say that no
RFC has errata.

Normalisation: ``doc-id`` ``RFC9110``/``RFC0791``/``rfc 791`` -> the number; statuses and types
to their canonical names (unexpected ones kept as given); ``\\r\\n`` -> ``\\n`` in every text;
``null``/missing -> ``""``; numbers and booleans in text fields -> their JSON text; lists and
objects in text fields -> ``""`` (they are still in ``Erratum.fields`` and in JSON output). Dates
stay text, never parsed. Bytes that are not UTF-8 become U+FFFD.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from docfetch.errata.model import Erratum, normalise_status, normalise_type

#: Reasons an entry is skipped (the keys of ``ParseResult.reasons``).
NOT_AN_OBJECT = "not an object"
NO_ID = "no usable errata_id"
NO_DOC_ID = "no usable doc-id"
DUPLICATE = "duplicate errata_id"
TOO_DEEP = "nested too deeply"
UNREADABLE = "unreadable JSON value"

#: Deepest nesting kept inside an entry (real entries are flat: depth 1).
MAX_DEPTH = 16
#: Largest errata_id and RFC number taken (both fit SQLite's 64-bit integers with room to spare).
MAX_ID = 10**12
MAX_RFC = 10**7

_TEXT_FIELDS = (
    "section",
    "orig_text",
    "correct_text",
    "notes",
    "submit_date",
    "submitter_name",
    "verifier_id",
    "verifier_name",
    "update_date",
)
_WS = re.compile(r"[ \t\n\r]*")
_DOC_ID = re.compile(r"\s*rfc[\s_-]*([0-9]{1,12})\s*", re.IGNORECASE)
_ID = re.compile(r"\s*([0-9]{1,13})\s*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_STRUCTURE = re.compile(r'["\[\]{}]')
_SCALAR = re.compile(r"[^,\]}\s]+")


class ErrataFormatError(ValueError):
    """The file is not a JSON array of errata (not JSON, truncated, or another top-level value)."""


class ParseResult:
    """What a read of errata.json gave: the errata (file order), each one's exact JSON text, and what was skipped."""

    def __init__(self) -> None:
        self.errata: list[Erratum] = []
        #: The exact JSON text of each kept entry, as it stood in the file (same order as ``errata``).
        self.raw: list[str] = []
        self.reasons: Counter[str] = Counter()

    @property
    def skipped(self) -> int:
        """How many entries could not be read."""
        return sum(self.reasons.values())

    def __repr__(self) -> str:
        return f"ParseResult(errata={len(self.errata)}, skipped={self.skipped}, reasons={dict(self.reasons)})"


def parse_errata(data: bytes) -> ParseResult:
    """Read errata.json: every entry that can be used, and the count (by reason) of those that cannot.

    Raises :class:`ErrataFormatError` when the file is not a JSON array.
    """
    text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    pos = _skip_ws(text, 0)
    if pos >= len(text):
        raise ErrataFormatError("errata.json is empty")
    if text[pos] != "[":
        raise ErrataFormatError(f"errata.json is not a JSON list (it starts with {_what(text[pos])})")
    result = ParseResult()
    seen: set[int] = set()
    decoder = json.JSONDecoder(parse_constant=str)  # NaN, Infinity: kept as the strings "NaN", "Infinity"
    pos = _skip_ws(text, pos + 1)
    if text.startswith("]", pos):
        _expect_end(text, pos + 1)
        return result
    while True:
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as error:
            raise ErrataFormatError(f"errata.json is not valid JSON: {error.msg} at character {error.pos}") from None
        except (RecursionError, ValueError):  # nested too deeply for the decoder; an integer too long
            end = _skip_value(text, pos)
            result.reasons[UNREADABLE] += 1
        else:
            _take(value, text[pos:end], result, seen)
        pos = _skip_ws(text, end)
        if text.startswith(",", pos):
            pos = _skip_ws(text, pos + 1)
        elif text.startswith("]", pos):
            _expect_end(text, pos + 1)
            return result
        else:
            raise ErrataFormatError(f"errata.json is not valid JSON: expected ',' or ']' at character {pos}")


def _take(value: Any, raw: str, result: ParseResult, seen: set[int]) -> None:
    """Add one decoded element to ``result``, or count why it is skipped."""
    if not isinstance(value, dict):
        result.reasons[NOT_AN_OBJECT] += 1
        return
    if _depth(value) > MAX_DEPTH:
        result.reasons[TOO_DEEP] += 1
        return
    erratum = erratum_from(value)
    if isinstance(erratum, str):
        result.reasons[erratum] += 1
        return
    if erratum.id in seen:
        result.reasons[DUPLICATE] += 1
        return
    seen.add(erratum.id)
    result.errata.append(erratum)
    result.raw.append(raw)


def erratum_from(entry: dict[str, Any]) -> Erratum | str:
    """The normalised erratum for one errata.json object, or the reason it cannot be used."""
    errata_id = parse_errata_id(entry.get("errata_id"))
    if errata_id is None:
        return NO_ID
    number = parse_doc_id(entry.get("doc-id"))
    if number is None:
        return NO_DOC_ID
    texts = {name: text_of(entry.get(name)) for name in _TEXT_FIELDS}
    return Erratum(
        id=errata_id,
        number=number,
        doc_id=text_of(entry.get("doc-id")).strip(),
        status=normalise_status(text_of(entry.get("errata_status_code"))),
        type=normalise_type(text_of(entry.get("errata_type_code"))),
        fields=entry,
        **texts,
    )


def parse_doc_id(value: object) -> int | None:
    """``RFC9110``, ``RFC0791``, ``rfc 791`` (or the integer 791) -> the RFC number; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and (match := _DOC_ID.fullmatch(value)):
        number = int(match.group(1))
    else:
        return None
    return number if 0 < number < MAX_RFC else None


def parse_errata_id(value: object) -> int | None:
    """``"7109"`` (or the integer 7109) -> 7109; None for anything else (negative, fractional, huge, text)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and (match := _ID.fullmatch(value)):
        number = int(match.group(1))
    else:
        return None
    return number if 0 <= number < MAX_ID else None


def text_of(value: object) -> str:
    """A field as text: strings with ``\\n`` line ends; null -> ""; numbers and booleans -> JSON text; else ""."""
    if isinstance(value, str):
        text = value.replace("\r\n", "\n")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate written as an escape (\ud800): not text
            text = _SURROGATE.sub("\ufffd", text)
        return text
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return ""


def _depth(value: Any) -> int:
    """How deeply ``value`` nests lists and objects (1 for a flat object), counted without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return depth
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _skip_ws(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _expect_end(text: str, pos: int) -> None:
    if _skip_ws(text, pos) != len(text):
        raise ErrataFormatError(f"errata.json is not valid JSON: extra data at character {_skip_ws(text, pos)}")


def _skip_value(text: str, pos: int) -> int:
    """The end of the JSON value at ``pos`` that the decoder refused, found without recursion."""
    if text[pos] not in "[{":
        match = _SCALAR.match(text, pos)
        return match.end() if match else pos + 1
    depth = 0
    while True:
        match = _STRUCTURE.search(text, pos)
        if match is None:
            raise ErrataFormatError("errata.json is not valid JSON: it ends inside a list or object")
        char, pos = match.group(), match.start()
        if char == '"':
            string = _STRING.match(text, pos)
            if string is None:
                raise ErrataFormatError("errata.json is not valid JSON: it ends inside a string")
            pos = string.end()
            continue
        depth += 1 if char in "[{" else -1
        pos += 1
        if depth == 0:
            return pos


def _what(char: str) -> str:
    if char == "{":
        return "an object"
    if char == '"':
        return "a string"
    if char in "-0123456789":
        return "a number"
    return f"{char!r}"
