"""One erratum as docfetch uses it, and the normalisation of its status and type names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Status names as errata.json spells them, by the short key users type (``--status held``).
STATUSES = {
    "verified": "Verified",
    "reported": "Reported",
    "held": "Held for Document Update",
    "rejected": "Rejected",
}
#: Type names as errata.json spells them, by the short key users type (``--type technical``).
TYPES = {"technical": "Technical", "editorial": "Editorial"}

_STATUS_BY_FOLDED = {name.casefold(): name for name in STATUSES.values()} | {
    key: name for key, name in STATUSES.items()
}
_TYPE_BY_FOLDED = {name.casefold(): name for name in TYPES.values()}
_SHORT_STATUS = {name: key for key, name in STATUSES.items()}

ERRATUM_URL = "https://www.rfc-editor.org/errata/eid{id}"


def normalise_status(value: str) -> str:
    """``verified``/``VERIFIED``/``held``/``Held  for document update`` -> the canonical name; others as given.

    Surrounding whitespace is dropped and inner runs of whitespace are read as one space
    when recognising a name; an unexpected value is kept as given (stripped).
    """
    text = value.strip()
    return _STATUS_BY_FOLDED.get(" ".join(text.split()).casefold(), text)


def normalise_type(value: str) -> str:
    """``technical``/``EDITORIAL`` -> ``Technical``/``Editorial``; anything else as given (stripped)."""
    text = value.strip()
    return _TYPE_BY_FOLDED.get(" ".join(text.split()).casefold(), text)


def short_status(status: str) -> str:
    """``Held for Document Update`` -> ``held``, ``Verified`` -> ``verified``; others lower-cased."""
    return _SHORT_STATUS.get(status, status.lower())


@dataclass(frozen=True)
class Erratum:
    """One erratum, normalised: ``number`` is the RFC's, texts use ``\\n`` line ends, missing texts are ``""``.

    ``fields`` is the entry exactly as errata.json gave it (every field, unknown ones too),
    for JSON output. Dates are text as given: they are never parsed (one is ``9999-04-13``).
    """

    id: int
    number: int
    doc_id: str
    status: str
    type: str
    section: str
    orig_text: str
    correct_text: str
    notes: str
    submit_date: str
    submitter_name: str
    verifier_id: str
    verifier_name: str
    update_date: str
    fields: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def url(self) -> str:
        """The erratum's page on the RFC Editor's site."""
        return ERRATUM_URL.format(id=self.id)
