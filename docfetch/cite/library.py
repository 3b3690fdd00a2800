"""The document side of a citation check: what the checker asks about documents.

:class:`Library` is a Protocol: docfetch's own implementation (cache, fetching, sections,
metadata, errata) lives elsewhere; tests implement it over texts they write. Methods are
called many times with the same arguments: implementations should fetch each document once
(see :func:`docfetch.cite.check.cited_documents` to prefetch concurrently) and may rely on
the checker to cache sections and texts per document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from docfetch.reference import Reference
from docfetch.sections.heading import Heading

#: A document that exists and was published (an RFC issued, a draft revision posted).
ISSUED = "issued"
#: An RFC number that was assigned but never issued (RFC 14).
NOT_ISSUED = "not-issued"
#: No such document: an RFC number beyond the last, a draft name or revision never posted.
UNKNOWN = "unknown"
#: The document could not be had (network failure, offline and not cached): nothing is reported
#: about its citations, which the check lists as unchecked.
UNAVAILABLE = "unavailable"

_DEFAULT_DETAIL = {
    NOT_ISSUED: "was never issued",
    UNKNOWN: "does not exist",
    UNAVAILABLE: "could not be fetched",
}


@dataclass(frozen=True, slots=True)
class DocStatus:
    """What is known of a document.

    ``detail`` says why in words, completing a sentence that starts with the document's name
    (``"has no revision 99 (the latest is 34)"``); empty for the default wording of the state.
    ``obsoleted_by`` lists the documents that replace it (for a draft: the RFC it became).
    """

    state: str
    obsoleted_by: tuple[Reference, ...] = ()
    detail: str = ""

    @property
    def reason(self) -> str:
        """``detail``, or the default wording of the state."""
        return self.detail or _DEFAULT_DETAIL.get(self.state, "")


#: A section of a document, in document order (``docfetch.sections.Section`` fits as it is): ``id``
#: is the RFC Editor fragment (``section-15.5.5``, ``appendix-B.1``, ``name-acknowledgements``),
#: ``number`` ``15.5.5`` / ``B.1`` or ``None``, ``level`` 1 for top-level sections.
SectionInfo = Heading


@dataclass(frozen=True, slots=True)
class ErratumInfo:
    """A verified erratum placed on a section: its id (``7105``), type (``Technical``) and the
    original text it corrects (may be empty)."""

    id: str
    type: str = ""
    original: str = ""


class Library(Protocol):
    """Where the checker learns about documents.

    Texts are plain text with page furniture removed (or replaced by whitespace).
    ``section_text`` is the section's whole text: its heading, its own paragraphs and its
    subsections' (as ``docfetch.sections`` cuts them). ``errata`` lists the verified errata placed
    on the section or any of its subsections. ``sections``, ``section_text``,
    ``document_text`` and ``errata`` are only called for documents whose status is
    :data:`ISSUED`, and ``section_text``/``errata`` only with ids that ``sections`` listed.
    """

    def status(self, document: Reference) -> DocStatus:
        """Whether the document exists and was issued, and what obsoletes it."""
        ...

    def sections(self, document: Reference) -> Sequence[SectionInfo]:
        """The document's sections, in document order."""
        ...

    def section_text(self, document: Reference, section_id: str) -> str:
        """The text of one section, with its subsections."""
        ...

    def document_text(self, document: Reference) -> str:
        """The whole text of the document."""
        ...

    def errata(self, document: Reference, section_id: str) -> Sequence[ErratumInfo]:
        """The verified errata on that section or its subsections."""
        ...
