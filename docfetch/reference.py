"""Turning what a user typed (``rfc:791``, ``RFC0791``, ``draft-foo-03``, ``bcp:14``) into references.

The parser never raises anything but :class:`UsageError`, whatever the input: it is the
boundary between untrusted text and file names, URLs and cache paths.
"""

from __future__ import annotations

import re
from collections import namedtuple

from docfetch.errors import UsageError

#: Schemes whose names are numbers; ``bcp``, ``std`` and ``fyi`` are expanded to RFCs.
NUMBERED_SCHEMES = ("rfc", "bcp", "std", "fyi")
SUBSERIES_SCHEMES = ("bcp", "std", "fyi")
#: How many documents one range may name (``rfc:1-20000``).
MAX_RANGE = 20_000

_COMPACT = re.compile(r"(rfc|bcp|std|fyi) ?([0-9]+(?:-[0-9]+)?)", re.ASCII | re.IGNORECASE)
_SCHEMED = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,31}):(.*)", re.ASCII | re.DOTALL)
_NUMBER = re.compile(r"([0-9]{1,12})(?:-([0-9]{1,12}))?", re.ASCII)
_DRAFT = re.compile(r"(draft-[a-z0-9]+(?:-[a-z0-9]+)*?)(?:-([0-9]{2}))?", re.ASCII)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}", re.ASCII)


class Reference(namedtuple("Reference", ("scheme", "name", "revision"), defaults=(None,))):
    """One document: a scheme (``rfc``, ``draft``, a plugin's own) and a name within it.

    ``name`` is canonical: RFC numbers without leading zeros, draft names in lower case
    without the revision, which is kept apart in ``revision`` (``None``: the latest).
    Immutable and hashable (a named tuple: cheaper to import than a dataclass).
    """

    __slots__ = ()
    scheme: str
    name: str
    revision: str | None

    @property
    def number(self) -> int:
        """The number of a numbered document (``rfc``, ``bcp``, ``std``, ``fyi``)."""
        return int(self.name)

    @property
    def stem(self) -> str:
        """The file name without extension, as in the RFC Editor rsync tree (``rfc791``)."""
        if self.scheme in NUMBERED_SCHEMES:
            return f"{self.scheme}{self.name}"
        if self.revision is not None:
            return f"{self.name}-{self.revision}"
        return self.name

    def with_revision(self, revision: str) -> Reference:
        """The same document at an exact revision."""
        return Reference(self.scheme, self.name, revision)

    def __str__(self) -> str:
        return f"{self.scheme}:{self.stem if self.scheme == 'draft' else self.name}"

    def label(self) -> str:
        """How people write it: ``RFC 791``, ``BCP 14``, ``draft-foo-03``, ``iana:ports``."""
        if self.scheme in NUMBERED_SCHEMES:
            return f"{self.scheme.upper()} {self.name}"
        if self.scheme == "draft":
            return self.stem
        return str(self)


def shown(text: str, limit: int = 60) -> str:
    """A safe, printable, bounded rendering of untrusted input for error messages."""
    cut = text if len(text) <= limit else text[:limit] + "..."
    if cut.isprintable() and cut.isascii():
        return repr(cut)
    return ascii(cut)


def _numbers(scheme: str, text: str, original: str) -> list[Reference]:
    match = _NUMBER.fullmatch(text)
    if not match:
        raise UsageError(f"invalid reference {shown(original)}: {scheme.upper()} numbers are ASCII digits")
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) is not None else first
    if first == 0 or last == 0:
        raise UsageError(f"invalid reference {shown(original)}: {scheme.upper()} numbers start at 1")
    if last < first:
        raise UsageError(f"invalid reference {shown(original)}: range {first}-{last} is backwards")
    if last - first + 1 > MAX_RANGE:
        raise UsageError(f"invalid reference {shown(original)}: a range may name at most {MAX_RANGE} documents")
    return [Reference(scheme, str(n)) for n in range(first, last + 1)]


def _draft(text: str, original: str) -> Reference:
    name = text.lower()
    if not name.startswith("draft-"):
        name = "draft-" + name
    match = _DRAFT.fullmatch(name)
    if not match or len(name) > 200:
        raise UsageError(f"invalid reference {shown(original)}: not an Internet-Draft name")
    return Reference("draft", match.group(1), match.group(2))


def parse_references(text: str) -> list[Reference]:
    """Parse one argument into the references it names (a range names several).

    Raises :class:`UsageError` for anything that is not a valid reference.
    """
    if not isinstance(text, str):
        raise UsageError("invalid reference: not text")
    stripped = text.strip()
    if not stripped:
        raise UsageError("invalid reference '': empty")
    compact = _COMPACT.fullmatch(stripped)
    if compact:
        return _numbers(compact.group(1).lower(), compact.group(2), text)
    if stripped[:6].lower() == "draft-":
        return [_draft(stripped, text)]
    schemed = _SCHEMED.fullmatch(stripped)
    if not schemed:
        raise UsageError(f"invalid reference {shown(text)}: expected SCHEME:NAME, e.g. rfc:791")
    scheme, rest = schemed.group(1).lower(), schemed.group(2).strip()
    if scheme in NUMBERED_SCHEMES:
        return _numbers(scheme, rest, text)
    if scheme == "draft":
        return [_draft(rest, text)]
    if not _NAME.fullmatch(rest) or ".." in rest:
        raise UsageError(f"invalid reference {shown(text)}: names are letters, digits, '.', '_' and '-'")
    return [Reference(scheme, rest)]


def parse_reference(text: str) -> Reference:
    """Parse an argument that must name exactly one document."""
    refs = parse_references(text)
    if len(refs) != 1:
        raise UsageError(f"invalid reference {shown(text)}: names {len(refs)} documents, expected one")
    return refs[0]
