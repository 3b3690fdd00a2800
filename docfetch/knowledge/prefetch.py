"""Metadata fetched beside the documents of a first fetch, for the obsolescence notes.

Until the index database exists (``docfetch search``/``info``/``bcp:`` build it), the note
for an RFC comes from its per-RFC JSON (``rfc{n}.json``, about 1 KB). It is fetched in a
background thread while the documents download, and waited for only briefly afterwards: a
slow or missing metadata server never slows a fetch down by more than ``WAIT`` seconds, and
never fails it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from docfetch.reference import Reference
from docfetch.store.layout import cache_root

if TYPE_CHECKING:
    from docfetch.config import Settings
    from docfetch.engine.fetcher import Fetcher, FetchOptions

#: Runs of more RFCs than this fetch no metadata (bulk runs get notes once the index database exists).
MAX_RFCS = 8
#: The longest wait for metadata after the documents arrived, in seconds.
WAIT = 0.5
#: Timeout of the metadata requests themselves (they run in the background).
TIMEOUT = 5.0


class MetadataPrefetch:
    """Starts fetching ``rfc{n}.json`` for the RFCs of a run, unless notes cannot use it."""

    def __init__(
        self, settings: Settings, options: FetchOptions, refs: list[Reference], *, beside: Fetcher | None = None
    ) -> None:
        """``beside``: the run's fetcher, whose HTTP session the metadata requests share."""
        self._thread: threading.Thread | None = None
        self._fetcher: Fetcher | None = None
        self._beside = beside
        numbers = [ref.number for ref in refs if ref.scheme == "rfc"]
        if not numbers or len(numbers) > MAX_RFCS or options.quiet or options.offline or not options.use_cache:
            return  # bulk runs skip it: one more request per document is not worth a note
        if os.path.isfile(os.path.join(cache_root(), "index", "rfc-index.sqlite")):
            return  # the database answers; nothing to fetch
        from docfetch.engine.fetcher import FetchOptions

        quiet_settings = replace(settings, timeout=min(settings.timeout, TIMEOUT), retries=0)
        quiet_options = FetchOptions(source=options.source, quiet=True)
        self._thread = threading.Thread(
            target=self._run, args=(quiet_settings, quiet_options, numbers), daemon=True, name="docfetch-metadata"
        )
        self._thread.start()

    def _run(self, settings: Settings, options: FetchOptions, numbers: list[int]) -> None:
        from docfetch.engine.fetcher import Fetcher

        try:
            with Fetcher(settings, options, silent=True, share_http_with=self._beside) as fetcher:
                self._fetcher = fetcher
                for number in numbers:
                    try:
                        fetcher.fetch(Reference("rfc", str(number)), "json")
                    except Exception:  # no metadata: no note, never an error
                        continue
        except Exception:
            return

    def cancel(self) -> None:
        """On Ctrl-C: remove the metadata download in progress, if any."""
        if self._fetcher is not None:
            self._fetcher.cancel()

    def wait(self) -> None:
        """Give the metadata a moment to arrive (at most ``WAIT`` seconds)."""
        if self._thread is not None:
            self._thread.join(WAIT)
