"""``docfetch sources``: every source and plugin, their schemes, formats and status."""

from __future__ import annotations

import json
from typing import Any

from docfetch.config import Settings
from docfetch.plugins.host import PluginHost


class _Lister:
    """Availability checks need a context; listing lends a minimal offline one."""

    def __init__(self, settings: Settings, name: str) -> None:
        self.settings = settings.source_settings(name)
        self.offline = True

    def read(self, location: Any, *, max_size: int = 0) -> bytes:
        raise RuntimeError("no network while listing")

    def note(self, message: str) -> None:
        pass


def collect(settings: Settings, host: PluginHost | None = None) -> dict[str, Any]:
    """Everything ``docfetch sources`` shows, as plain data (the ``--json`` form)."""
    host = host or PluginHost()
    host.load_all()
    pairs = host.source_classes()
    defaults: dict[str, str] = {}
    for cls, _record in sorted(pairs.values(), key=lambda p: (p[0].priority, p[0].name)):
        for scheme in cls.schemes:
            defaults.setdefault(scheme, cls.name)
    defaults.update({k: v for k, v in settings.defaults.items()})
    sources = []
    for cls, record in sorted(pairs.values(), key=lambda p: (p[0].priority, p[0].name)):
        try:
            reason = cls(_Lister(settings, cls.name)).unavailable()  # type: ignore[arg-type]
        except Exception as exc:
            reason = f"raised {type(exc).__name__}: {exc}"
        sources.append(
            {
                "name": cls.name,
                "description": cls.description,
                "plugin": record.name,
                "distribution": record.distribution,
                "version": record.version,
                "builtin": record.builtin,
                "schemes": list(cls.schemes),
                "formats": list(cls.formats),
                "priority": cls.priority,
                "default_for": [s for s in cls.schemes if defaults.get(s) == cls.name],
                "status": "ok" if not reason else "unavailable",
                "reason": reason or "",
            }
        )
    plugins = [
        {
            "name": r.name,
            "distribution": r.distribution,
            "version": r.version,
            "builtin": r.builtin,
            "status": r.status,
            "reason": r.reason,
            "sources": [s.name for s in r.sources],
        }
        for r in sorted([*host.records.values(), *host.incompatible()], key=lambda r: (not r.builtin, r.name))
    ]
    return {"defaults": dict(sorted(defaults.items())), "sources": sources, "plugins": plugins}


def render_sources(settings: Settings, *, as_json: bool = False, host: PluginHost | None = None) -> str:
    """The listing as text for people, or as JSON."""
    data = collect(settings, host)
    if as_json:
        return json.dumps(data, indent=2) + "\n"
    rows = [("SOURCE", "FROM", "SCHEMES", "FORMATS")]
    for s in data["sources"]:
        origin = "built-in" if s["builtin"] else f"{s['distribution']} {s['version']}"
        schemes = " ".join(f"{x}*" if x in s["default_for"] else x for x in s["schemes"])
        rows.append((s["name"], origin, schemes, " ".join(s["formats"])))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip() for r in rows]
    lines.append("")
    lines.append("* default source for the scheme")
    for s in data["sources"]:
        if s["status"] != "ok":
            lines.append(f"{s['name']}: unavailable: {s['reason']}")
    for p in data["plugins"]:
        if p["status"] != "ok":
            lines.append(f"plugin {p['name']} ({p['distribution']} {p['version']}): {p['status']}: {p['reason']}")
    return "\n".join(lines) + "\n"


def sources_command(as_json: bool = False) -> int:
    """List the sources: plugin distribution and version, schemes, formats, defaults."""
    from docfetch.config import load_settings

    print(render_sources(load_settings(), as_json=as_json), end="")
    return 0
