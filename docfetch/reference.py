"""Turning what a user typed into references: ``rfc:791``, ``791``, ``RFC 791``, links, sections.

Accepted, case-insensitively: ``rfc:791``, ``rfc:0791``, ``RFC791``, ``rfc-791``, ``RFC 791`` (one
argument or two, see :func:`parse_targets`), a bare number (an RFC), ranges (``rfc:1-10``,
``1-10``), file names (``rfc791.txt``), ``bcp:14``/``std:5``/``fyi:1``, drafts (``draft:NAME``,
``draft:NAME-NN``, ``draft-NAME-NN``), a plugin's ``scheme:name``, and the links people paste
(RFC Editor, datatracker, the retired tools.ietf.org, the IETF archive). A ``#fragment``
(``rfc9110#section-15.5.5``, ``#15.5.5``, ``#appendix-B.1``) names a section.

The parser never raises anything but :class:`UsageError`, whatever the input: it is the
boundary between untrusted text and file names, URLs and cache paths. stdlib ``re`` only.
"""

from __future__ import annotations

import re
from collections import namedtuple

from docfetch.errors import UsageError
from docfetch.terminal import quoted

#: Schemes whose names are numbers; ``bcp``, ``std`` and ``fyi`` are expanded to RFCs.
NUMBERED_SCHEMES = ("rfc", "bcp", "std", "fyi")
SUBSERIES_SCHEMES = ("bcp", "std", "fyi")
#: The schemes the core itself knows (plugins add more).
CORE_SCHEMES = ("rfc", "bcp", "std", "fyi", "draft")
#: How many documents one range may name (``rfc:1-20000``).
MAX_RANGE = 20_000
#: File extensions a file name or link may carry; they name the document, not the format.
EXTENSIONS = ("txt", "html", "htm", "pdf", "xml", "json")

_COMPACT = re.compile(r"(rfc|bcp|std|fyi)[ _-]?([0-9]+(?:-[0-9]+)?)", re.ASCII | re.IGNORECASE)
_BARE_NUMBER = re.compile(r"[0-9]{1,12}(?:-[0-9]{1,12})?", re.ASCII)
_SCHEMED = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,31}):(.*)", re.ASCII | re.DOTALL)
_NUMBER = re.compile(r"([0-9]{1,12})(?:-([0-9]{1,12}))?", re.ASCII)
_DRAFT = re.compile(r"(draft-[a-z0-9]+(?:-[a-z0-9]+)*?)(?:-([0-9]{2}))?", re.ASCII)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}", re.ASCII)
_FRAGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+-]{0,119}", re.ASCII)
_EXTENSION = re.compile(r"\.(?:" + "|".join(EXTENSIONS) + r")$", re.IGNORECASE)
_LINK = re.compile(r"(?:https?://)?(?P<host>[a-z0-9.-]+\.(?:org|net))(?P<path>/[^?#]*)?(?:\?[^#]*)?", re.IGNORECASE)
#: Paths of the links people paste, by what they name (the host is checked separately).
_LINK_PATHS = (
    re.compile(r"/(?:rfc|info|doc|doc/html|html|errata)/(?P<doc>(?:rfc|bcp|std|fyi)[0-9]+)/?", re.IGNORECASE),
    re.compile(r"/rfc/(?:inline-errata/)?(?P<doc>rfc[0-9]+)/?", re.IGNORECASE),
    re.compile(r"/(?P<series>bcp|std|fyi)/(?P<doc>(?:bcp|std|fyi)[0-9]+)/?", re.IGNORECASE),
    re.compile(r"/doc/(?:html/|id/|pdf/)?(?P<doc>draft-[a-z0-9-]+?)/?", re.IGNORECASE),
    re.compile(r"/(?:archive/id|id|internet-drafts)/(?P<doc>draft-[a-z0-9-]+)", re.IGNORECASE),
)
_LINK_HOSTS = (
    "www.rfc-editor.org",
    "rfc-editor.org",
    "datatracker.ietf.org",
    "tools.ietf.org",
    "www.ietf.org",
    "ietf.org",
    "errata.rfc-editor.org",
)


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


class Target(namedtuple("Target", ("ref", "section"), defaults=(None,))):
    """What one argument asks for: a document, and maybe one of its sections (``15.5.5``, ``section-2``)."""

    __slots__ = ()
    ref: Reference
    section: str | None


class RangeTarget(Target):
    """A document asked for as one of a range (``rfc:1-50``): a number never issued there is skipped, not an error."""

    __slots__ = ()


def shown(text: str, limit: int = 60) -> str:
    """A safe, printable, bounded rendering of untrusted input for error messages."""
    return quoted(text, limit)


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


def _suggest_scheme(text: str) -> str | None:
    """``rcf:791`` or ``rcf791`` -> ``rfc:791``: a core scheme one typo away, with the rest kept."""
    schemed = _SCHEMED.fullmatch(text)
    if schemed:
        word, rest = schemed.group(1), schemed.group(2)
    else:
        head = re.match(r"([A-Za-z]{2,6})[ _-]?([0-9][0-9-]*)$", text)
        if not head:
            return None
        word, rest = head.group(1), head.group(2)
    from difflib import get_close_matches

    close = get_close_matches(word.lower(), CORE_SCHEMES, n=1, cutoff=0.6)
    if not close or close[0] == word.lower():
        return None
    return f"{close[0]}:{rest.strip()}"


def _link(text: str) -> tuple[list[Reference], str] | None:
    """A pasted link: the references it names and the rest (``#fragment`` stripped later); None if not a link."""
    match = _LINK.fullmatch(text)
    if not match or match.group("host").lower() not in _LINK_HOSTS:
        return None
    path = _EXTENSION.sub("", match.group("path") or "/")
    for pattern in _LINK_PATHS:
        found = pattern.fullmatch(path)
        if found:
            doc = found.group("doc")
            return parse_references(doc), doc
    raise UsageError(
        f"invalid reference {shown(text)}: a link docfetch cannot read",
        hint="links to an RFC or a draft work, e.g. https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5",
    )


def _split_fragment(text: str) -> tuple[str, str | None]:
    """``rfc9110#section-15.5.5`` -> (``rfc9110``, ``section-15.5.5``); no ``#``: the fragment is None."""
    base, hash_sign, fragment = text.partition("#")
    if not hash_sign:
        return text, None
    fragment = fragment.strip()
    if not _FRAGMENT.fullmatch(fragment):
        raise UsageError(
            f"invalid section {shown(fragment)} in {shown(text)}",
            hint="a section is a number or an id: #15.5.5, #section-15.5.5, #appendix-B.1",
        )
    return base, fragment


def parse_references(text: str) -> list[Reference]:
    """Parse one argument into the references it names (a range names several).

    A ``#fragment`` is not allowed here (see :func:`parse_target`). Raises :class:`UsageError`
    for anything that is not a valid reference.
    """
    if not isinstance(text, str):
        raise UsageError("invalid reference: not text")
    stripped = text.strip()
    if not stripped:
        raise UsageError("invalid reference '': empty")
    if "#" in stripped:
        raise UsageError(f"invalid reference {shown(text)}: a section is not a document")
    if "/" in stripped:
        linked = _link(stripped)
        if linked is not None:
            return linked[0]
    name = _EXTENSION.sub("", stripped) if "." in stripped else stripped
    compact = _COMPACT.fullmatch(name)
    if compact:
        return _numbers(compact.group(1).lower(), compact.group(2), text)
    if _BARE_NUMBER.fullmatch(name):
        return _numbers("rfc", name, text)
    if name[:6].lower() == "draft-":
        return [_draft(name, text)]
    schemed = _SCHEMED.fullmatch(stripped)
    if not schemed:
        suggestion = _suggest_scheme(stripped)
        raise UsageError(
            f"invalid reference {shown(text)}: expected SCHEME:NAME, e.g. rfc:791",
            hint=f"did you mean {suggestion}?" if suggestion else None,
        )
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


def parse_target(text: str) -> list[Target]:
    """One argument as targets: every document it names, each with the section its ``#fragment`` names."""
    if not isinstance(text, str):
        raise UsageError("invalid reference: not text")
    base, fragment = _split_fragment(text.strip())
    refs = parse_references(base)
    if fragment is not None and len(refs) != 1:
        raise UsageError(f"invalid reference {shown(text)}: a section belongs to one document, not {len(refs)}")
    kind = RangeTarget if len(refs) > 1 else Target
    return [kind(ref, fragment) for ref in refs]


def parse_one_target(text: str) -> Target:
    """Parse an argument that must name exactly one document (with its ``#section``, if any)."""
    targets = parse_target(text)
    if len(targets) != 1:
        raise UsageError(f"invalid reference {shown(text)}: names {len(targets)} documents, expected one")
    return targets[0]


def join_words(args: list[str]) -> list[str]:
    """``["RFC", "791"]`` -> ``["RFC 791"]``: a scheme word followed by its number, as people type it."""
    joined: list[str] = []
    index = 0
    while index < len(args):
        word = args[index]
        following = args[index + 1] if index + 1 < len(args) else None
        if (
            following is not None
            and word.lower() in NUMBERED_SCHEMES
            and _NUMBER.fullmatch(following.partition("#")[0].strip())
        ):
            joined.append(f"{word} {following.strip()}")
            index += 2
            continue
        joined.append(word)
        index += 1
    return joined


def parse_targets(args: list[str]) -> list[Target]:
    """Every argument as targets, in order (``RFC`` ``791`` as two words counts as one reference)."""
    return [target for text in join_words(args) for target in parse_target(text)]
