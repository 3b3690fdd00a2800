"""The sync's memory in the mirror directory: ETags of the files that may change.

``DIR/.docfetch-sync.json`` holds ``{"version": 1, "etags": {"rfc9110.json": "\\"abc\\"", ...}}``.
Only JSON and HTML renderings need it (published RFC texts, PDFs and XML never change). A
missing or unreadable file just means "nothing known": the next sync compares bytes instead.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from docfetch import atomic_writer

STATE_NAME = ".docfetch-sync.json"
STATE_VERSION = 1


class SyncState:
    """ETags by file name, loaded from and saved (atomically) to one JSON file; thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._etags: dict[str, str] = {}
        self._dirty = False
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return
        etags = data.get("etags") if isinstance(data, dict) and data.get("version") == STATE_VERSION else None
        if isinstance(etags, dict):
            self._etags = {str(k): v for k, v in etags.items() if isinstance(v, str)}

    def etag(self, name: str) -> str | None:
        """The ETag the server gave for ``name`` when it was last written or checked."""
        with self._lock:
            return self._etags.get(name)

    def remember(self, name: str, etag: str | None) -> None:
        """Keep ``etag`` for ``name`` (None forgets it)."""
        with self._lock:
            if self._etags.get(name) == etag:
                return
            if etag is None:
                self._etags.pop(name, None)
            else:
                self._etags[name] = etag
            self._dirty = True

    def save(self) -> None:
        """Write the file if anything changed (whole or not at all)."""
        with self._lock:
            if not self._dirty:
                return
            body = json.dumps({"version": STATE_VERSION, "etags": dict(sorted(self._etags.items()))}, indent=1)
            self._dirty = False
        with atomic_writer(self.path) as out:
            out.write(body.encode("utf-8") + b"\n")
