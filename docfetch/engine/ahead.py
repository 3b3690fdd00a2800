"""Where a run's first requests will go, worked out before they are made, to open connections ahead.

The answer is a guess the fetch itself does not depend on: the first location the first source
gives for each of the first documents not in the cache at all (where they lead, by the redirects
learned so far, is for the caller to find out: :mod:`docfetch.net.preconnect`). Nothing here
reports or raises; plugin code that fails is simply not asked again, and the fetch meets (and
reports) the same failure itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docfetch.reference import SUBSERIES_SCHEMES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from docfetch.engine.fetcher import Fetcher
    from docfetch.reference import Reference


def first_urls(fetcher: Fetcher, refs: Iterable[Reference], *, limit: int, fmt: str | None = None) -> list[str]:
    """The URL of each of the first ``limit`` documents of ``refs`` (in ``fmt``) that are not in the cache at all.

    A plain GET of each is what the fetch will send first (a cached document is served, or
    revalidated with its ETag: not a plain GET).
    """
    options = fetcher.options
    if options.offline or limit <= 0:
        return []
    urls: list[str] = []
    for ref in refs:
        if len(urls) >= limit:
            break
        if ref.scheme in SUBSERIES_SCHEMES:
            break  # the RFC index comes first, and the members are not known yet
        try:
            url = _first_url(fetcher, ref, fmt)
        except Exception:  # a guess only: the fetch meets and reports any failure itself
            break
        if url is not None:
            urls.append(url)
    return urls


def _first_url(fetcher: Fetcher, ref: Reference, fmt: str | None) -> str | None:
    if fetcher.never_issued(ref):
        return None  # answered from the local index, asking no server
    fmt = fmt or fetcher.plan_format(ref.scheme)
    if fetcher.options.use_cache and fetcher.cache.lookup(ref, fmt) is not None:
        return None  # served from the cache, or asked for with its ETag: nothing to send ahead
    candidate = next(iter(fetcher.selection.candidates(ref.scheme, fmt)), None)
    if candidate is None:
        return None
    locations = list(candidate.source.locate(ref, fmt) or ())
    first = locations[0] if locations else None  # the one the fetch asks first (a local copy: no request)
    return first if isinstance(first, str) and first.startswith(("https://", "http://")) else None
