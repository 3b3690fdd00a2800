"""Searching the RFC index: statuses as people type them, ranked matches as plain data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docfetch.errors import UsageError
from docfetch.knowledge.index import open_index

if TYPE_CHECKING:
    from docfetch.engine.fetcher import Fetcher

#: Short names accepted by ``search --status``.
STATUS_ALIASES = {
    "BCP": "BEST CURRENT PRACTICE",
    "STD": "INTERNET STANDARD",
    "PS": "PROPOSED STANDARD",
    "DS": "DRAFT STANDARD",
    "INFO": "INFORMATIONAL",
    "EXP": "EXPERIMENTAL",
}
#: The statuses the RFC Editor uses (the index may hold others: they are accepted too).
STATUSES = (
    "INTERNET STANDARD",
    "DRAFT STANDARD",
    "PROPOSED STANDARD",
    "BEST CURRENT PRACTICE",
    "INFORMATIONAL",
    "EXPERIMENTAL",
    "HISTORIC",
    "UNKNOWN",
)
MAX_LIMIT = 1000


def resolve_status(text: str, known: list[str]) -> str:
    """``proposed`` -> ``PROPOSED STANDARD``; aliases (``bcp``, ``info``), prefixes, any case."""
    key = " ".join(text.replace("-", " ").replace("_", " ").upper().split())
    key = STATUS_ALIASES.get(key, key)
    if key in known:
        return key
    matches = [status for status in known if status.startswith(key)] if key else []
    if len(matches) == 1:
        return matches[0]
    choices = ", ".join(s.lower() for s in known)
    raise UsageError(f"unknown status {text[:40]!r}", hint=f"use one of {choices} (or bcp, std, ps, ds, info, exp)")


def search(
    fetcher: Fetcher, text: str, *, status: str | None = None, limit: int = 20
) -> tuple[list[dict[str, Any]], str | None]:
    """RFCs matching ``text``, best first, as ``search --json`` prints them; and the status resolved."""
    text = text.strip()
    if not text:
        raise UsageError("search needs words to look for")
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"invalid limit {limit}: expected 1 to {MAX_LIMIT}")
    with open_index(fetcher) as db:
        known = sorted(set(STATUSES) | set(db.statuses()))
        wanted = resolve_status(status, known) if status is not None else None
        hits = db.search(text, status=wanted, limit=limit)
    return [hit.as_dict() for hit in hits], wanted
