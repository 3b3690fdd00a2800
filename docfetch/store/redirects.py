"""Redirects learned from servers, kept so that the next run asks the right server first.

A redirect is a response like any other: RFC 9111 lets a cache keep it while it is fresh.
Its freshness comes from ``Cache-Control: max-age`` or ``Expires`` when the server gives one
(any redirect status); without one, only the statuses that are *heuristically cacheable*
(301 and 308, RFC 9110 section 15.1) get a heuristic lifetime (:data:`HEURISTIC_LIFETIME`).
A 302 or 307 without explicit freshness is never learned; ``no-store``, ``no-cache`` and
``Vary: *`` forbid it.

A learned redirect also stands for its *siblings*: ``https://www.ietf.org/rfc/rfc793.txt``
redirecting to ``https://www.rfc-editor.org/rfc/rfc793.txt`` (same file name, another
directory) suggests the same move for every file of that directory. That is a heuristic, not
HTTP: :meth:`RedirectMemory.shortcut` says which kind of answer it gives, and the caller keeps
the original URL as the fallback (see :func:`docfetch.net.redirects.with_shortcuts`).

The rules live in ``<cache>/http/redirects.json`` (a few hundred bytes), written whole by
rename. A memory without a directory (``--no-cache``) learns for the run only. stdlib only,
and cheap to import.
"""

from __future__ import annotations

import os
import threading
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from docfetch.plugins.source import Location

#: Where the rules are kept, under the cache directory.
SUBDIR = "http"
FILE_NAME = "redirects.json"
#: The lifetime given to a 301 or 308 without explicit freshness (RFC 9111 section 4.2.2).
HEURISTIC_LIFETIME = 7 * 24 * 3600.0
#: Redirect statuses that may be kept when the server gives them explicit freshness.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: Redirect statuses that may be kept on a heuristic lifetime ("heuristically cacheable").
HEURISTIC_STATUSES = frozenset({301, 308})
#: At most this many rules are kept (the ones expiring first are dropped).
MAX_RULES = 64
#: A chain of learned redirects is followed for at most this many hops.
MAX_HOPS = 5
#: A rule seen again is written again only when this much lifetime was gained (fewer writes).
REWRITE_AFTER = 3600.0
#: How long a 404 is believed within one run (seconds; never kept across runs).
MISSING_LIFETIME = 60.0


def _directives(value: str) -> dict[str, str]:
    """``Cache-Control`` as ``{name: argument}`` (names lower case, quotes removed)."""
    found: dict[str, str] = {}
    for part in value.split(","):
        name, _, argument = part.strip().partition("=")
        if name:
            found[name.strip().lower()] = argument.strip().strip('"')
    return found


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def freshness(status: int, headers: Mapping[str, str], now: float) -> float:
    """How many more seconds a redirect with ``status`` and ``headers`` may be reused (0: never).

    ``headers`` must look up names case-insensitively (requests' headers do). Explicit
    freshness first (``max-age``, else ``Expires`` minus ``Date``), else the heuristic
    lifetime for 301 and 308; minus the response's ``Age``.
    """
    if status not in REDIRECT_STATUSES:
        return 0.0
    if headers.get("Vary", "").strip() == "*":
        return 0.0
    directives = _directives(headers.get("Cache-Control", ""))
    if "no-store" in directives or "no-cache" in directives:
        return 0.0
    lifetime: float | None = None
    max_age = directives.get("max-age")
    if max_age is not None:
        lifetime = float(max_age) if max_age.isdigit() else 0.0
    elif headers.get("Expires") is not None:
        expires = _http_date(headers.get("Expires"))
        date = _http_date(headers.get("Date")) or now
        lifetime = max(0.0, expires - date) if expires is not None else 0.0  # invalid: already expired
    elif status in HEURISTIC_STATUSES:
        lifetime = HEURISTIC_LIFETIME
    if not lifetime:
        return 0.0
    age = headers.get("Age", "").strip()
    return max(0.0, lifetime - (float(age) if age.isdigit() else 0.0))


def _split(url: str) -> tuple[str, str] | None:
    """``https://h/dir/name`` -> (``https://h/dir/``, ``name``); None when there is no file name."""
    if "?" in url or "#" in url:
        return None
    head, slash, name = url.rpartition("/")
    if not slash or not name or head.count("/") < 2:
        return None
    return head + "/", name


def _acceptable(source: str, target: str) -> bool:
    """A rule may only lead from http(s) to http(s), and never from https down to http."""
    schemes = ("http://", "https://")
    if not source.startswith(schemes) or not target.startswith(schemes):
        return False
    return not (source.startswith("https://") and target.startswith("http://"))


class Rule:
    """One learned redirect: ``source`` answered ``status`` to ``target``, reusable until ``expires``."""

    __slots__ = ("expires", "source", "status", "target")

    def __init__(self, source: str, target: str, status: int, expires: float) -> None:
        self.source, self.target, self.status, self.expires = source, target, status, expires

    def sibling(self, url: str) -> str | None:
        """Where the same move takes ``url``, a file in the same directory as ``source``; else None."""
        mine, theirs = _split(self.source), _split(self.target)
        if mine is None or theirs is None or mine[1] != theirs[1] or mine[0] == theirs[0]:
            return None
        other = _split(url)
        if other is None or other[0] != mine[0]:
            return None
        return theirs[0] + other[1]

    def as_dict(self) -> dict[str, object]:
        """The rule as kept in ``redirects.json``."""
        return {"from": self.source, "to": self.target, "status": self.status, "expires": round(self.expires, 1)}


class Shortcut:
    """Where a URL is expected to lead: ``exact`` from a redirect of that very URL, else from a sibling's."""

    __slots__ = ("exact", "url")

    def __init__(self, url: str, exact: bool) -> None:
        self.url, self.exact = url, exact

    def __repr__(self) -> str:
        return f"Shortcut({self.url!r}, exact={self.exact})"


class RedirectMemory:
    """The learned redirects of one cache directory (``directory`` None: this run only). Thread-safe."""

    def __init__(self, directory: str | None, *, clock: Callable[[], float] = time.time) -> None:
        self.directory = directory
        self._clock = clock
        self._lock = threading.Lock()
        self._rules: dict[str, Rule] | None = None  # loaded on first use
        self._dirty = False
        self._missing: dict[str, tuple[float, int]] = {}  # URLs that answered 404 or 410 in this run: when, which

    @property
    def path(self) -> str | None:
        """The file holding the rules, if they are kept."""
        return os.path.join(self.directory, SUBDIR, FILE_NAME) if self.directory else None

    # -- reading ------------------------------------------------------------------------------

    def _load(self) -> dict[str, Rule]:
        if self._rules is not None:
            return self._rules
        rules: dict[str, Rule] = {}
        path = self.path
        if path is not None:
            rules = self._read(path)
        self._rules = rules
        return rules

    @staticmethod
    def _read(path: str) -> dict[str, Rule]:
        try:
            with open(path, "rb") as handle:
                raw = handle.read(1 << 20)
        except OSError:
            return {}
        import json

        try:
            data = json.loads(raw)
            rules = {}
            for entry in data.get("rules", []):
                source, target = str(entry["from"]), str(entry["to"])
                if _acceptable(source, target) and source != target:
                    rules[source] = Rule(source, target, int(entry["status"]), float(entry["expires"]))
            return rules
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return {}  # a damaged file is only a lost hint

    def _step(self, url: str, now: float) -> tuple[str, bool] | None:
        """One hop: (where ``url`` leads, whether a rule of that very URL says so), or None."""
        rules = self._load()
        rule = rules.get(url)
        if rule is not None and rule.expires > now:
            return rule.target, True
        for other in rules.values():
            if other.expires > now:
                target = other.sibling(url)
                if target is not None:
                    return target, False
        return None

    def shortcut(self, url: str) -> Shortcut | None:
        """Where ``url`` leads by the fresh rules (chains followed), or None when nothing is known."""
        now = self._clock()
        with self._lock:
            current, exact = url, True
            for _ in range(MAX_HOPS):
                step = self._step(current, now)
                if step is None or step[0] == url:
                    break
                current, exact = step[0], exact and step[1]
        return Shortcut(current, exact) if current != url else None

    def rules(self) -> list[Rule]:
        """Every rule kept, fresh or not (for tests and ``cache info``)."""
        with self._lock:
            return list(self._load().values())

    # -- learning -----------------------------------------------------------------------------

    def learn(self, source: str, status: int, headers: Mapping[str, str], target: str) -> None:
        """``source`` answered ``status`` with ``Location`` ``target``: keep it while HTTP allows."""
        if source == target or not _acceptable(source, target):
            return
        now = self._clock()
        lifetime = freshness(status, headers, now)
        with self._lock:
            rules = self._load()
            if lifetime <= 0:  # not reusable: neither this rule nor what its siblings suggest
                stale = [r.source for r in rules.values() if r.source == source or r.sibling(source) is not None]
                for old in stale:
                    del rules[old]
                changed = bool(stale)
            else:
                changed = self._keep(rules, Rule(source, target, status, now + lifetime), now)
            self._dirty = self._dirty or changed

    def _keep(self, rules: dict[str, Rule], new: Rule, now: float) -> bool:
        """Add ``new``, or only extend the rule that already predicts it; drop rules it contradicts."""
        exact = rules.get(new.source)
        if exact is not None and exact.expires > now and exact.target == new.target:
            return self._extend(exact, new.expires)
        for rule in list(rules.values()):
            if rule.expires <= now or rule.source == new.source:
                continue
            predicted = rule.sibling(new.source)
            if predicted == new.target and rule.status == new.status:
                return self._extend(rule, new.expires)
            if predicted is not None:
                del rules[rule.source]  # its siblings move elsewhere now
        rules[new.source] = new
        return True

    @staticmethod
    def _extend(rule: Rule, expires: float) -> bool:
        if expires - rule.expires < REWRITE_AFTER:
            return False
        rule.expires = expires
        return True

    def served(self, url: str) -> None:
        """``url`` answered without a redirect: forget every rule that would send it elsewhere."""
        with self._lock:
            rules = self._load()
            stale = [r.source for r in rules.values() if r.source == url or r.sibling(url) is not None]
            for source in stale:
                del rules[source]
            self._dirty = self._dirty or bool(stale)

    def missing(self, url: str, status: int) -> None:
        """``url`` answered ``status`` (404 or 410), kept for this run only (see :meth:`known_missing`)."""
        with self._lock:
            self._missing[url] = (self._clock(), status)

    def known_missing(self, url: str) -> int | None:
        """The 404 or 410 ``url`` answered less than :data:`MISSING_LIFETIME` seconds ago in this run, or None.

        A 404 is heuristically cacheable too (RFC 9110 section 15.1): asking the URL a learned
        redirect went to, then the URL itself (the fallback), must not ask the first twice.
        """
        with self._lock:
            seen = self._missing.get(url)
        return seen[1] if seen is not None and self._clock() - seen[0] < MISSING_LIFETIME else None

    def ahead(self, locations: Sequence[Location]) -> list[Location]:
        """``locations`` with each URL's learned destination put first.

        A destination learned from that very URL replaces it, as a cached redirect would; one
        guessed from a sibling goes first with the URL itself kept after it, so that a failure
        of the guess falls back to asking the URL.
        """
        result: list[Location] = []
        for location in locations:
            shortcut = self.shortcut(location) if isinstance(location, str) else None
            if shortcut is None:
                result.append(location)
            elif shortcut.exact:
                result.append(shortcut.url)
            else:
                result.extend((shortcut.url, location))
        return list(dict.fromkeys(result))

    def save(self) -> None:
        """Write what was learned, if anything (fresh rules only, at most :data:`MAX_RULES`), by rename."""
        path = self.path
        with self._lock:
            if not self._dirty or path is None or self._rules is None:
                return
            rules, now = self._rules, self._clock()
            self._dirty = False
            kept = sorted((r for r in rules.values() if r.expires > now), key=lambda r: r.expires, reverse=True)
            kept = kept[:MAX_RULES]
        import json
        from pathlib import Path

        from docfetch.engine.staging import Cancelled, atomic_writer

        body = json.dumps({"version": 1, "rules": [rule.as_dict() for rule in kept]}, indent=1).encode()
        try:
            with atomic_writer(Path(path)) as handle:
                handle.write(body)
        except (OSError, Cancelled):
            pass  # a hint not kept costs one redirect next time, never the fetch
