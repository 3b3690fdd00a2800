"""The plugin host: built-in sources, entry-point plugins, isolation and lazy loading.

Plugins are found in the entry-point group of the plugin API this docfetch provides,
``docfetch.v1`` (:data:`ENTRY_POINT_GROUP`); the entry point's name is the plugin's name. A plugin
registered for another API version (``docfetch.v2``, or the unversioned ``docfetch`` group of
docfetch 0.1) is recognised without being imported and reported as incompatible, with what to
upgrade. Nothing is imported until it is needed: a built-in source needs no plugin,
``--source NAME`` first tries the entry point called NAME, and only listing or a scheme no
loaded source serves loads them all. Each plugin is loaded and called on its own, so one
that fails to import or raises in a hook is reported and skipped (or raised, when strict).
"""

from __future__ import annotations

import importlib
import os
import re
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from docfetch._version import __version__
from docfetch.errors import PluginError, UsageError
from docfetch.plugins import hookspecs
from docfetch.plugins.source import Source

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

#: The plugin API this docfetch provides; it changes only when a change would break plugins.
PLUGIN_API = 1
ENTRY_POINT_GROUP = f"docfetch.v{PLUGIN_API}"
#: Groups of other API versions: ``docfetch`` (docfetch 0.1, unversioned) and ``docfetch.vN``.
_OTHER_API_GROUP = re.compile(r"docfetch(?:\.v([0-9]{1,4}))?")
BUILTIN_MODULES = ("docfetch.plugins.ietf",)


@dataclass
class PluginRecord:
    """What docfetch knows about one plugin, for listing and for error messages."""

    name: str
    distribution: str
    version: str
    builtin: bool = False
    status: str = "ok"  # ok | broken | disabled | incompatible
    reason: str = ""
    sources: list[type[Source]] = field(default_factory=list)


def entry_points(group: str | None = None) -> Any:
    """The installed entry points (of ``group``); importlib.metadata (~20 ms) loads only when asked."""
    from importlib.metadata import entry_points as installed

    return installed(group=group) if group else installed()


def api_version_of(group: str) -> int | None:
    """The plugin API version an entry-point group stands for (0: unversioned ``docfetch``), or None."""
    match = _OTHER_API_GROUP.fullmatch(group)
    if not match:
        return None
    return int(match.group(1)) if match.group(1) else 0


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no", "off")


def _env_list(name: str) -> frozenset[str]:
    return frozenset(p.strip() for p in os.environ.get(name, "").split(",") if p.strip())


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _is_command(app: Any) -> bool:
    """A named ``typer.Typer`` (or a click command) that can become ``docfetch NAME``."""
    info = getattr(app, "info", None)
    if info is not None:
        return isinstance(getattr(info, "name", None), str) and bool(info.name)
    return isinstance(getattr(app, "name", None), str) and callable(getattr(app, "main", None))


class PluginHost:
    """Loads plugins on demand and keeps a record of each."""

    def __init__(
        self,
        *,
        no_plugins: bool | None = None,
        disabled: Iterable[str] | None = None,
        strict: bool | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.no_plugins = _env_flag("DOCFETCH_NO_PLUGINS") if no_plugins is None else no_plugins
        self.disabled = _env_list("DOCFETCH_DISABLE_PLUGINS") if disabled is None else frozenset(disabled)
        self.strict = _env_flag("DOCFETCH_STRICT_PLUGINS") if strict is None else strict
        self._warn = warn or _report_warning
        self.manager = pluggy.PluginManager("docfetch")
        self.manager.add_hookspecs(hookspecs)
        self.records: dict[str, PluginRecord] = {}
        self._entry_points: dict[str, EntryPoint] | None = None
        self._other_api: dict[str, EntryPoint] = {}
        self._all_loaded = False
        for module_name in BUILTIN_MODULES:
            module = importlib.import_module(module_name)
            short = module_name.rsplit(".", 1)[-1]
            self._admit(PluginRecord(short, "docfetch", __version__, builtin=True), module)

    # -- discovery -------------------------------------------------------------------------

    def entry_points(self) -> dict[str, EntryPoint]:
        """The installed plugins' entry points by name (empty with DOCFETCH_NO_PLUGINS)."""
        if self._entry_points is None:
            found: dict[str, EntryPoint] = {}
            if not self.no_plugins:
                installed = entry_points()  # one scan; .groups and .select work on 3.11 and later alike
                for group in sorted(g for g in installed.groups if api_version_of(g) is not None):
                    for ep in installed.select(group=group):
                        if group == ENTRY_POINT_GROUP:
                            found.setdefault(ep.name, ep)
                        else:
                            self._other_api.setdefault(ep.name, ep)
            self._entry_points = found
        return self._entry_points

    def incompatible(self) -> list[PluginRecord]:
        """Plugins installed for another plugin API version (recognised, never imported)."""
        self.entry_points()
        records = []
        for name, ep in sorted(self._other_api.items()):
            if name in self.entry_points():
                continue  # the same plugin also registers for this API: that one is used
            version = api_version_of(ep.group) or 0
            dist = ep.dist
            record = PluginRecord(name, dist.name if dist else "?", dist.version if dist else "?")
            record.status = "incompatible"
            built_for = f"plugin API v{version}" if version else "docfetch 0.1 (before plugin API versions)"
            upgrade = "upgrade docfetch" if version > PLUGIN_API else f"upgrade {record.distribution}"
            record.reason = (
                f"is built for {built_for}; this docfetch {__version__} provides plugin API v{PLUGIN_API} "
                f"(entry-point group {ENTRY_POINT_GROUP!r}): {upgrade}"
            )
            records.append(record)
        return records

    def load(self, name: str) -> PluginRecord | None:
        """Load the plugin whose entry point is ``name`` (once); None if there is none."""
        if name in self.records:
            return self.records[name]
        ep = self.entry_points().get(name)
        if ep is None:
            return None
        dist = ep.dist
        record = PluginRecord(
            name,
            dist.name if dist is not None else "?",
            dist.version if dist is not None else "?",
        )
        self.records[name] = record
        if name in self.disabled:
            record.status, record.reason = "disabled", "switched off by DOCFETCH_DISABLE_PLUGINS"
            return record
        try:
            loaded = ep.load()
        except Exception as exc:  # a plugin's import error must not take docfetch down
            self._fail(record, f"failed to load: {_describe(exc)}", exc)
            return record
        self._admit(record, loaded)
        return record

    def load_all(self) -> None:
        """Load every installed plugin (for listing, fallbacks and unknown schemes)."""
        if not self._all_loaded:
            for name in sorted(self.entry_points()):
                self.load(name)
            self._all_loaded = True

    # -- registration and isolated hook calls ----------------------------------------------

    def _admit(self, record: PluginRecord, plugin: ModuleType | Any) -> None:
        self.records[record.name] = record
        try:
            self.manager.register(plugin, name=record.name)
            self.manager.check_pending()  # a misspelled hook name is an error, not silence
        except Exception as exc:
            self._fail(record, f"has invalid hooks: {_describe(exc)}", exc)
            return
        results = self.call_hook(record, "docfetch_sources")
        if record.status != "ok":
            return
        for result in results:
            if result is None:
                continue
            if isinstance(result, (type, str, bytes)) or not hasattr(result, "__iter__"):
                self._fail(record, f"returned {result!r} from docfetch_sources (expected a list of Source classes)")
                return
            for source in result or ():
                if not (isinstance(source, type) and issubclass(source, Source) and source.name and source.schemes):
                    self._fail(
                        record, f"returned an invalid source {source!r} (needs a Source subclass with name and schemes)"
                    )
                    return
                record.sources.append(source)

    def call_hook(self, record: PluginRecord, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call one plugin's implementations of a hook, attributing any failure to it."""
        if record.status != "ok":
            return []
        results = []
        for impl in getattr(self.manager.hook, hook_name).get_hookimpls():
            if impl.plugin_name != record.name:
                continue
            try:
                wanted = {k: v for k, v in kwargs.items() if k in impl.argnames}
                result = impl.function(**wanted)
                if result is not None and not isinstance(result, (type, str, bytes)) and hasattr(result, "__iter__"):
                    result = list(result)  # a generator runs here, inside the isolation
                results.append(result)
            except Exception as exc:
                self._fail(record, f"raised in {hook_name}: {_describe(exc)}", exc)
                return []
        return results

    def _fail(self, record: PluginRecord, reason: str, exc: BaseException | None = None) -> None:
        record.status, record.reason = "broken", reason
        record.sources.clear()
        if record.name in self.manager.list_name_plugin() and self.manager.get_plugin(record.name):
            self.manager.unregister(name=record.name)
        if self.strict:
            detail = "".join(traceback.format_exception(exc)) if exc else ""
            raise PluginError(f"plugin {record.name!r} ({record.distribution}) {reason}\n{detail}".rstrip())
        self._warn(f"plugin {record.name!r} ({record.distribution} {record.version}) {reason}; skipped")

    # -- queries ----------------------------------------------------------------------------

    def source_classes(self) -> dict[str, tuple[type[Source], PluginRecord]]:
        """Every source loaded so far, by name (the first plugin to claim a name keeps it)."""
        found: dict[str, tuple[type[Source], PluginRecord]] = {}
        for record in self.records.values():
            for source in record.sources:
                found.setdefault(source.name, (source, record))
        return found

    def find_source(self, name: str) -> tuple[type[Source], PluginRecord]:
        """The source called ``name``, loading as little as possible; UsageError if unusable."""
        found = self.source_classes().get(name)
        if found is None:
            self.load(name)
            found = self.source_classes().get(name)
        if found is None:
            self.load_all()
            found = self.source_classes().get(name)
        if found is not None:
            return found
        record = self.records.get(name)
        if record is not None and record.status == "disabled":
            raise UsageError(f"source {name!r} is switched off (plugin {name!r} is in DOCFETCH_DISABLE_PLUGINS)")
        if record is not None and record.status == "broken":
            raise UsageError(f"source {name!r} is unavailable: plugin {name!r} {record.reason}")
        for other in self.incompatible():
            if other.name == name:
                raise UsageError(
                    f"source {name!r} is unavailable: plugin {name!r} ({other.distribution}) {other.reason}"
                )
        if self.no_plugins and name not in self.source_classes():
            raise UsageError(f"unknown source {name!r}: plugins are switched off (DOCFETCH_NO_PLUGINS)")
        known = ", ".join(sorted(self.source_classes())) or "none"
        raise UsageError(f"unknown source {name!r} (available: {known})")

    def sources_for_scheme(self, scheme: str) -> list[tuple[type[Source], PluginRecord]]:
        """Every loaded source serving ``scheme``, in fallback order (priority, then name)."""
        matches = [pair for pair in self.source_classes().values() if scheme in pair[0].schemes]
        return sorted(matches, key=lambda pair: (pair[0].priority, pair[0].name))

    def sections(self, reference: Any, fmt: str, data: bytes) -> list[Any] | None:
        """The first plugin's answer to ``docfetch_sections`` (loads all plugins); None when none knows the document."""
        from docfetch.sections import Section

        self.load_all()
        for record in list(self.records.values()):
            for result in self.call_hook(record, "docfetch_sections", reference=reference, fmt=fmt, data=data):
                if result is None:
                    continue
                sections = _valid_sections(result, len(data), Section)
                if sections is None:
                    self._fail(record, "returned sections that are not (id, number, title, level, start, end) tuples")
                    break
                return sections
        return None

    def commands(self) -> list[Any]:
        """Every plugin's extra commands (loads all plugins); broken ones contribute none."""
        self.load_all()
        commands = []
        for record in list(self.records.values()):
            for result in self.call_hook(record, "docfetch_commands"):
                if result is None:
                    continue
                if not isinstance(result, list) or not all(_is_command(app) for app in result):
                    self._fail(
                        record,
                        f"returned {result!r} from docfetch_commands (expected a list of named typer.Typer apps)",
                    )
                    break
                commands.extend(result)
        return commands


def _report_warning(message: str) -> None:
    from docfetch import report

    report.warning(message)


def _valid_sections(result: Any, size: int, section_type: Any) -> list[Any] | None:
    """The sections a plugin returned, as ``section_type`` tuples; None when anything is off."""
    if not isinstance(result, list):
        return None
    sections = []
    for item in result:
        try:
            ident, number, title, level, start, end = item
        except (TypeError, ValueError):
            return None
        if not (
            isinstance(ident, str)
            and ident
            and (number is None or isinstance(number, str))
            and isinstance(title, str)
            and isinstance(level, int)
            and level >= 1
            and isinstance(start, int)
            and isinstance(end, int)
            and 0 <= start <= end <= size
        ):
            return None
        sections.append(section_type(ident, number, title, level, start, end))
    return sections
