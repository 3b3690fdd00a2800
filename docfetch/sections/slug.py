"""Heading anchors in xml2rfc's style (``name-authors-address``) for unnumbered headings."""

from __future__ import annotations

import re

_DROP = re.compile(r"[^\w\s/-]")
_JOIN = re.compile(r"[-\s/]+")
MAX_LENGTH = 32


def slugify(title: str, taken: set[str]) -> str:
    """``name-`` and the title in lower case, words joined by ``-``, cut to 32 characters as xml2rfc does.

    A slug already in ``taken`` is made longer (up to the whole title), then numbered
    (``-2``, ``-3``...); the slug returned is added to ``taken``.
    """
    base = "name-" + _JOIN.sub("-", _DROP.sub("", title).strip().lower())
    slug = base[:MAX_LENGTH]
    length = MAX_LENGTH
    while slug in taken and length < len(base):
        length += 1
        slug = base[:length]
    stem = slug
    count = 2
    while slug in taken:
        slug = f"{stem}-{count}"
        count += 1
    taken.add(slug)
    return slug
