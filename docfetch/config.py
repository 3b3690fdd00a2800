"""Settings: built-in defaults, then the TOML config file, then the environment, then flags.

The file is ``config.toml`` in the user config directory (``$XDG_CONFIG_HOME/docfetch`` on
Linux), or the file named by ``DOCFETCH_CONFIG``. See the README for every key.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docfetch.errors import UsageError

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
DEFAULT_MAX_SIZE = 64 * 1024 * 1024
DEFAULT_RETRY_AFTER_CAP = 30.0

#: The tables of the config file, and the keys docfetch reads in each one it checks: ``[defaults]``
#: names schemes (plugins add their own) and ``[sources.NAME]`` belongs to the source NAME.
TABLES = ("defaults", "network", "sources")
KNOWN_KEYS = {"network": ("timeout", "retries", "max_size", "retry_after_cap")}

_SIZE = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([kmg]?)(?:i?b)?", re.ASCII | re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(text: str | int) -> int:
    """``64M`` -> 67108864. Plain bytes or K/M/G (binary multiples, optional ``B``/``iB``)."""
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        match = _SIZE.fullmatch(str(text).strip())
        if not match:
            raise UsageError(f"invalid size {str(text)[:40]!r}: use bytes or K/M/G, e.g. 64M")
        value = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if value <= 0:
        raise UsageError(f"invalid size {text!r}: must be positive")
    return value


def _positive_float(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UsageError(f"invalid {what} {str(value)[:40]!r}: expected a number of seconds") from None
    if not number > 0 or number != number or number == float("inf"):
        raise UsageError(f"invalid {what} {value!r}: must be a positive number of seconds")
    return number


def _count(value: Any, what: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise UsageError(f"invalid {what} {str(value)[:40]!r}: expected a whole number") from None
    if number < 0 or number > 100:
        raise UsageError(f"invalid {what} {value!r}: expected 0 to 100")
    return number


def config_path() -> Path:
    """Where the config file is read from."""
    named = os.environ.get("DOCFETCH_CONFIG")
    if named:
        return Path(named).expanduser()
    if sys.platform.startswith("linux"):  # the XDG rule, as platformdirs applies it (a test checks)
        xdg = os.environ.get("XDG_CONFIG_HOME", "").strip()
        return Path(xdg if xdg else os.path.expanduser("~/.config")) / "docfetch" / "config.toml"
    from platformdirs import user_config_path

    return user_config_path("docfetch") / "config.toml"


def cache_dir() -> Path:
    """The cache directory (see :func:`docfetch.store.layout.cache_root`)."""
    from docfetch.store.layout import cache_root

    return Path(cache_root())


@dataclass
class Settings:
    """Everything configurable, after file and environment have been applied."""

    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    max_size: int = DEFAULT_MAX_SIZE
    retry_after_cap: float = DEFAULT_RETRY_AFTER_CAP
    defaults: dict[str, str] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path | None = None

    def source_settings(self, name: str) -> dict[str, Any]:
        """The ``[sources.NAME]`` table of the file (empty when absent)."""
        return self.sources.get(name, {})


def _read_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UsageError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    import tomllib

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"invalid config file {path}: {exc}") from None


def _shown(key: object) -> str:
    """A key from the file, quoted and safe on one terminal line."""
    text = str(key)[:60]
    return repr(text) if text.isprintable() else ascii(text)


def unknown_keys(data: dict[str, Any], path: Path) -> list[str]:
    """One warning for each key of the file docfetch does not know, naming the closest known one.

    ``[sources.NAME]`` tables are the sources' own and ``[defaults]`` keys are schemes: not checked.
    """

    def closest(word: str, known: tuple[str, ...], form: str = "'{}'") -> str:
        from difflib import get_close_matches  # only when a key is unknown

        match = get_close_matches(word.lower(), known, n=1, cutoff=0.6)
        return f" (did you mean {form.format(match[0])}?)" if match else ""

    warnings = []
    for key, value in data.items():
        key = str(key)
        if key in TABLES:
            continue
        table_of = next((table for table, keys in KNOWN_KEYS.items() if key in keys), None)
        if table_of is not None:
            warnings.append(f"unknown key {_shown(key)} at the top of {path} (did you mean it in [{table_of}]?)")
        elif isinstance(value, dict):
            warnings.append(f"unknown table [{_shown(key)[1:-1]}] in {path}{closest(key, TABLES, '[{}]')}")
        else:
            warnings.append(f"unknown key {_shown(key)} in {path}{closest(key, TABLES, '[{}]')}")
    for table, keys in KNOWN_KEYS.items():
        section = data.get(table)
        if not isinstance(section, dict):
            continue
        for key in section:
            if key not in keys:
                warnings.append(f"unknown key {_shown(key)} in [{table}] of {path}{closest(str(key), keys)}")
    return warnings


_warned: set[str] = set()


def _warn_unknown_keys(data: dict[str, Any], path: Path) -> None:
    """Report :func:`unknown_keys` as warnings, each once per process (settings may be read twice)."""
    if not data:
        return
    from docfetch import report

    for message in unknown_keys(data, path):
        if message not in _warned:
            _warned.add(message)
            report.warning(message)


def _parse_defaults(text: str) -> dict[str, str]:
    pairs = {}
    for item in text.split(","):
        if not item.strip():
            continue
        scheme, sep, source = item.partition("=")
        if not sep or not scheme.strip() or not source.strip():
            raise UsageError(f"invalid DOCFETCH_DEFAULT_SOURCES item {item.strip()!r}: expected SCHEME=SOURCE")
        pairs[scheme.strip().lower()] = source.strip()
    return pairs


def load_settings() -> Settings:
    """Read the config file and the environment (flags are applied by the caller)."""
    path = config_path()
    data = _read_file(path)
    settings = Settings(path=path)
    _warn_unknown_keys(data, path)
    network = data.get("network", {})
    if not isinstance(network, dict):
        raise UsageError(f"invalid config file {path}: [network] must be a table")
    if "timeout" in network:
        settings.timeout = _positive_float(network["timeout"], f"network.timeout in {path}")
    if "retries" in network:
        settings.retries = _count(network["retries"], f"network.retries in {path}")
    if "max_size" in network:
        try:
            settings.max_size = parse_size(network["max_size"])
        except UsageError as exc:
            raise UsageError(f"{exc.message} (network.max_size in {path})") from None
    if "retry_after_cap" in network:
        settings.retry_after_cap = _positive_float(network["retry_after_cap"], f"network.retry_after_cap in {path}")
    defaults = data.get("defaults", {})
    sources = data.get("sources", {})
    if not isinstance(defaults, dict) or not isinstance(sources, dict):
        raise UsageError(f"invalid config file {path}: [defaults] and [sources.NAME] must be tables")
    settings.defaults = {str(k).lower(): str(v) for k, v in defaults.items()}
    settings.sources = {str(k): v for k, v in sources.items() if isinstance(v, dict)}

    env = os.environ
    if env.get("DOCFETCH_TIMEOUT"):
        settings.timeout = _positive_float(env["DOCFETCH_TIMEOUT"], "DOCFETCH_TIMEOUT")
    if env.get("DOCFETCH_RETRIES"):
        settings.retries = _count(env["DOCFETCH_RETRIES"], "DOCFETCH_RETRIES")
    if env.get("DOCFETCH_MAX_SIZE"):
        settings.max_size = parse_size(env["DOCFETCH_MAX_SIZE"])
    if env.get("DOCFETCH_DEFAULT_SOURCES"):
        settings.defaults.update(_parse_defaults(env["DOCFETCH_DEFAULT_SOURCES"]))
    return settings


def apply_flags(settings: Settings, *, timeout: float | None, retries: int | None, max_size: str | None) -> Settings:
    """Flags override file and environment."""
    if timeout is not None:
        settings.timeout = _positive_float(timeout, "--timeout")
    if retries is not None:
        settings.retries = _count(retries, "--retries")
    if max_size is not None:
        settings.max_size = parse_size(max_size)
    return settings
