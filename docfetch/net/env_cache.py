"""A requests session that reads the environment once per host and run, not once per request.

``requests`` looks up proxies (``HTTPS_PROXY``, ``NO_PROXY``...) and CA variables in the
environment for every request it sends: about half a millisecond each, which a bulk download
of hundreds of documents pays hundreds of times. The environment does not change during a run,
so the answer is kept per scheme and host (and per explicit arguments); the rules applied are
requests' own (:meth:`requests.Session.merge_environment_settings`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests


class EnvCachingSession(requests.Session):
    """:class:`requests.Session` whose environment settings are looked up once per scheme and host."""

    def __init__(self) -> None:
        super().__init__()
        self._settings: dict[tuple[Any, ...], dict[str, Any]] = {}

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any) -> Any:
        """requests' own answer, computed once per scheme, host and arguments."""
        parts = urlsplit(str(url))
        try:
            key = (parts.scheme, parts.netloc, tuple(sorted((proxies or {}).items())), stream, verify, cert)
            hash(key)
        except TypeError:  # unhashable arguments: no caching
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        found = self._settings.get(key)
        if found is None:
            found = super().merge_environment_settings(url, proxies, stream, verify, cert)
            self._settings[key] = found
        return {**found, "proxies": dict(found.get("proxies") or {})}
