"""Which sources to ask for a document, in which order, and plugin code kept in its box.

``--source NAME`` wins and has no fallback; otherwise the scheme's configured default, else the
source with the lowest priority serving the scheme, then the others in priority order when the
first fails for network or server reasons. Plugins load lazily: never while the first source of
a built-in scheme answers. Every call into a source (constructor, ``unavailable``, ``resolve``,
``locate``) is guarded: a bug in a plugin becomes one message naming it, not a crash.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator, Mapping
from io import BytesIO
from typing import Any

from docfetch import report
from docfetch.errors import DocfetchError, FetchError, PluginError, UsageError
from docfetch.plugins.host import PluginHost, PluginRecord
from docfetch.plugins.source import Location, Source

SourcePair = tuple[type[Source], PluginRecord]


class UnknownScheme(UsageError):
    """No installed source serves the scheme; ``close`` is a known scheme one typo away, if any."""

    def __init__(self, scheme: str, known: list[str], close: str | None) -> None:
        hint = f"did you mean {close}:?" if close else f"known schemes: {', '.join(known)}"
        super().__init__(f"unknown scheme {scheme!r}: no installed source serves {scheme}: references", hint=hint)
        self.close = close

    def for_name(self, name: str) -> UnknownScheme:
        """The same error, its hint completed with the name (``did you mean rfc:791?``)."""
        if self.close:
            self.hint = f"did you mean {self.close}:{name}?"
        return self


class Candidate:
    """A source to try: its instance, its plugin, and whether it is a fallback."""

    __slots__ = ("fallback", "record", "source")

    def __init__(self, source: Source, record: PluginRecord, fallback: bool) -> None:
        self.source, self.record, self.fallback = source, record, fallback


class LentContext:
    """The :class:`docfetch.SourceContext` lent to one source of a run."""

    def __init__(self, settings: Mapping[str, Any], offline: bool, read: Callable[[Location, int], bytes]) -> None:
        self.settings = settings
        self.offline = offline
        self._read = read

    def read(self, location: Location, *, max_size: int = 4 * 1024 * 1024) -> bytes:
        """A small auxiliary document (metadata) through the run's HTTP session."""
        return self._read(location, max_size)

    def note(self, message: str) -> None:
        """Tell the user something (a note on stderr on the command line)."""
        report.note(message)


class Selection:
    """The sources of one run: choosing them, instantiating each once, guarding their code."""

    def __init__(
        self,
        host: PluginHost,
        settings: Any,
        *,
        explicit: str | None,
        offline: bool,
        transfer: Callable[..., Any],
        silent: bool = False,
    ) -> None:
        self.host = host
        self.settings = settings
        self.explicit = explicit
        self.offline = offline
        self.silent = silent
        self._transfer = transfer
        self._instances: dict[str, Source] = {}
        self._lock = threading.RLock()

    # -- plugin code, guarded ------------------------------------------------------------------

    def guard(self, record: PluginRecord, call: Callable[[], Any]) -> Any:
        """Run plugin code; a bug in it becomes a FetchError naming the plugin, not a crash."""
        try:
            return call()
        except DocfetchError:
            raise
        except Exception as exc:
            if self.host.strict:
                raise PluginError(
                    f"plugin {record.name!r} ({record.distribution}) raised {type(exc).__name__}: {exc}"
                ) from exc
            message = (
                f"plugin {record.name!r} ({record.distribution} {record.version}) raised {type(exc).__name__}: {exc}"
            )
            if not self.silent:
                report.warning(message)
            raise FetchError(message) from None

    def instance(self, cls: type[Source], record: PluginRecord) -> Source:
        """The one instance of a source for this run."""
        with self._lock:
            if cls.name not in self._instances:
                context = LentContext(self.settings.source_settings(cls.name), self.offline, self._read)
                self._instances[cls.name] = self.guard(record, lambda: cls(context))
            return self._instances[cls.name]

    def _read(self, location: Location, max_size: int) -> bytes:
        buffer = BytesIO()
        self._transfer(location, buffer, max_size=max_size)
        return buffer.getvalue()

    # -- choosing --------------------------------------------------------------------------------

    def find(self, name: str) -> SourcePair:
        """The source called ``name``, loading as few plugins as possible (UsageError if unusable)."""
        return self.host.find_source(name)

    def checked(self, name: str, scheme: str, formats: tuple[str, ...] = ()) -> SourcePair:
        """The source ``name``, checked to serve ``scheme`` in every one of ``formats``."""
        cls, record = self.find(name)
        if scheme not in cls.schemes:
            raise UsageError(
                f"source {name!r} does not serve {scheme}: references (it serves {', '.join(cls.schemes)})"
            )
        missing = [fmt for fmt in formats if fmt not in cls.formats]
        if missing:
            raise UsageError(f"source {name!r} has no {', '.join(missing)} format (it has {', '.join(cls.formats)})")
        return cls, record

    def open(self, name: str, scheme: str, formats: tuple[str, ...] = ()) -> Source:
        """The available instance of source ``name`` for ``scheme`` and ``formats`` (UsageError if not)."""
        cls, record = self.checked(name, scheme, formats)
        source = self.instance(cls, record)
        reason = self.guard(record, source.unavailable)
        if reason:
            raise UsageError(f"source {name!r} is unavailable: {reason}")
        return source

    def default(self, scheme: str) -> SourcePair:
        """The scheme's configured default source, else the first source serving it."""
        configured = self.settings.defaults.get(scheme)
        if configured:
            return self.find(configured)
        serving = self.host.sources_for_scheme(scheme)
        if not serving:
            self.host.load_all()
            serving = self.host.sources_for_scheme(scheme)
        if not serving:
            raise self._unknown_scheme(scheme)
        return serving[0]

    def _unknown_scheme(self, scheme: str) -> UnknownScheme:
        from difflib import get_close_matches

        known = sorted({s for cls, _record in self.host.source_classes().values() for s in cls.schemes})
        close = get_close_matches(scheme, known, n=1, cutoff=0.6)
        return UnknownScheme(scheme, known, close[0] if close else None)

    def plan_format(self, scheme: str, fmt: str | None) -> str:
        """The format to fetch: the one asked for, else txt where the first source has it."""
        if self.explicit:
            cls = self.checked(self.explicit, scheme, (fmt,) if fmt else ())[0]
        else:
            cls = self.default(scheme)[0]
        if fmt:
            return fmt
        return "txt" if "txt" in cls.formats else cls.formats[0]

    def candidates(self, scheme: str, fmt: str) -> Iterator[Candidate]:
        """The sources to try for ``scheme`` in ``fmt``, in order (fallbacks load plugins lazily)."""
        if self.explicit:
            yield Candidate(self.open(self.explicit, scheme, (fmt,)), self.find(self.explicit)[1], False)
            return
        tried: set[str] = set()
        for cls, record in itertools.chain([self.default(scheme)], self._fallbacks(scheme)):
            if cls.name in tried or fmt not in cls.formats:
                continue
            tried.add(cls.name)
            try:
                source = self.instance(cls, record)
                reason = self.guard(record, source.unavailable)
            except FetchError:
                continue
            if reason:
                continue
            yield Candidate(source, record, len(tried) > 1)

    def _fallbacks(self, scheme: str) -> Iterator[SourcePair]:
        with self._lock:
            self.host.load_all()
            fallbacks = self.host.sources_for_scheme(scheme)
        yield from fallbacks
