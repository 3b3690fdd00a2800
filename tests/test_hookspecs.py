"""Every hookspec of ``docfetch.plugins.hookspecs``: what a plugin may return, and what happens when it fails.

In-process tests go through a real :class:`PluginHost` with plain plugin objects made
discoverable as entry points (the host's own discovery, loading and isolation code runs);
command-line tests run the installed ``docfetch`` with plugins written into ``tmp_path`` and
fake-installed (a ``.dist-info`` on ``PYTHONPATH``). tests/test_plugins.py covers broken imports,
listing and the switches; this file covers each hook's contract.
"""

from __future__ import annotations

import inspect
import sys
import textwrap
from importlib.metadata import EntryPoint, EntryPoints
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest
import typer

from docfetch.errors import PluginError, UsageError
from docfetch.plugins import hookspecs
from docfetch.plugins import host as plugins
from docfetch.plugins.hookspecs import hookimpl
from docfetch.plugins.host import PluginHost
from docfetch.plugins.ietf import IetfSource
from docfetch.plugins.source import Source
from tests.helpers import fake_install

ROOT = Path(__file__).resolve().parents[1]


class Alpha(Source):
    name = "alpha"
    schemes = ("alpha",)
    priority = 40

    def locate(self, ref, fmt):
        return []


class Beta(Source):
    name = "beta"
    schemes = ("alpha", "beta")
    formats = ("txt", "csv")
    priority = 40

    def locate(self, ref, fmt):
        return []


class Nameless(Source):
    schemes = ("x",)


class Schemeless(Source):
    name = "schemeless"


class NotASource:
    name = "impostor"
    schemes = ("rfc",)


class FakeIetf(Source):
    name = "ietf"
    schemes = ("rfc",)
    priority = 1


class SourcesPlugin:
    """A plugin object whose ``docfetch_sources`` returns ``result`` (or raises it)."""

    def __init__(self, result: Any) -> None:
        self.result = result

    @hookimpl
    def docfetch_sources(self) -> Any:
        if isinstance(self.result, BaseException):
            raise self.result
        return self.result


class CommandsPlugin:
    """A plugin object whose ``docfetch_commands`` returns ``result`` (or raises it)."""

    def __init__(self, result: Any) -> None:
        self.result = result
        self.calls = 0

    @hookimpl
    def docfetch_commands(self) -> Any:
        self.calls += 1
        if isinstance(self.result, BaseException):
            raise self.result
        return self.result


@pytest.fixture
def installed(monkeypatch):
    """``installed(name, plugin)``: make ``plugin`` (a module or object) the entry point ``name``."""
    eps: list[EntryPoint] = []

    def install(name: str, plugin: Any) -> None:
        module_name = f"_docfetch_hookspec_test_{name.replace('-', '_')}"
        if isinstance(plugin, ModuleType):
            monkeypatch.setitem(sys.modules, module_name, plugin)
            value = module_name
        else:
            holder = ModuleType(module_name)
            holder.plugin = plugin  # type: ignore[attr-defined]
            monkeypatch.setitem(sys.modules, module_name, holder)
            value = f"{module_name}:plugin"
        eps.append(EntryPoint(name, value, plugins.ENTRY_POINT_GROUP))

    monkeypatch.setattr(plugins, "entry_points", lambda group=None: EntryPoints(eps))
    return install


@pytest.fixture
def warnings() -> list[str]:
    return []


@pytest.fixture
def host(installed, warnings) -> PluginHost:
    """A host that reads no switch from the environment and collects its warnings."""
    return PluginHost(no_plugins=False, disabled=(), strict=False, warn=warnings.append)


# -- docfetch_sources ----------------------------------------------------------------------


def test_docfetch_sources_classes_are_admitted(installed, host, warnings):
    installed("greek", SourcesPlugin([Beta, Alpha]))
    record = host.load("greek")
    assert record is not None and (record.status, record.reason) == ("ok", "")
    assert record.sources == [Beta, Alpha]
    assert host.find_source("alpha") == (Alpha, record)
    assert [cls for cls, _ in host.sources_for_scheme("alpha")] == [Alpha, Beta]  # same priority: by name
    assert [cls for cls, _ in host.sources_for_scheme("rfc")] == [IetfSource]
    assert warnings == []


@pytest.mark.parametrize("result", [None, [], (), iter([Alpha])], ids=["none", "list", "tuple", "iterator"])
def test_docfetch_sources_any_iterable_or_nothing(installed, host, warnings, result):
    installed("greek", SourcesPlugin(result))
    record = host.load("greek")
    assert record.status == "ok"
    assert record.sources == ([Alpha] if result not in (None, [], ()) else [])
    assert warnings == []


def test_docfetch_sources_module_plugin(installed, host):
    module = ModuleType("plugin_module")

    @hookimpl
    def docfetch_sources():
        return [Alpha]

    module.docfetch_sources = docfetch_sources  # type: ignore[attr-defined]
    installed("as-module", module)
    assert host.find_source("alpha")[1].name == "as-module"


def test_docfetch_sources_is_called_once_and_only_when_loaded(installed, host):
    calls = []

    class Counting:
        @hookimpl
        def docfetch_sources(self):
            calls.append(1)
            return [Alpha]

    installed("counting", Counting())
    assert calls == []  # a host loads nothing up front
    host.find_source("ietf")
    assert calls == []  # a built-in source needs no plugin
    host.find_source("alpha")
    host.load_all()
    host.find_source("alpha")
    assert calls == [1]


@pytest.mark.parametrize(
    "result",
    [["a string"], [Alpha(None)], [NotASource], [Nameless], [Schemeless], [Alpha, "mixed"]],
    ids=["string", "instance", "not-a-source", "no-name", "no-schemes", "mixed"],
)
def test_docfetch_sources_invalid_return_marks_the_plugin_broken(installed, host, warnings, result):
    installed("bad", SourcesPlugin(result))
    installed("good", SourcesPlugin([Beta]))
    host.load_all()
    record = host.records["bad"]
    assert record.status == "broken" and "invalid source" in record.reason
    assert record.sources == []  # nothing half-admitted, not even the valid Alpha of "mixed"
    assert "alpha" not in host.source_classes() and "beta" in host.source_classes()
    [warning] = warnings
    assert "plugin 'bad'" in warning and "invalid source" in warning and warning.endswith("; skipped")
    with pytest.raises(UsageError, match="unknown source 'alpha'"):
        host.find_source("alpha")


def test_docfetch_sources_raising_is_isolated(installed, host, warnings):
    installed("exploding", SourcesPlugin(RuntimeError("no config\nsecond line")))
    installed("good", SourcesPlugin([Alpha]))
    host.load_all()
    record = host.records["exploding"]
    assert record.status == "broken"
    assert record.reason == "raised in docfetch_sources: RuntimeError: no config"
    assert host.records["good"].status == "ok" and host.find_source("alpha")[1].name == "good"
    assert len(warnings) == 1 and "plugin 'exploding'" in warnings[0]
    with pytest.raises(UsageError, match="source 'exploding' is unavailable: plugin 'exploding' raised"):
        host.find_source("exploding")


def test_docfetch_sources_raising_in_strict_mode(installed):
    installed("exploding", SourcesPlugin(RuntimeError("no config")))
    strict = PluginHost(no_plugins=False, disabled=(), strict=True, warn=pytest.fail)
    with pytest.raises(PluginError) as caught:
        strict.load("exploding")
    assert "raised in docfetch_sources: RuntimeError: no config" in caught.value.message
    assert "Traceback" in caught.value.message


@pytest.mark.parametrize(
    "result",
    [
        pytest.param(Alpha, id="bare-class"),
        pytest.param(42, id="number"),
        pytest.param("alpha", id="string"),
        pytest.param((source for source in [Alpha, Beta] if 1 / (source is Alpha)), id="generator-raising"),
    ],
)
def test_docfetch_sources_non_list_return_is_isolated(installed, host, warnings, result):
    installed("careless", SourcesPlugin(result))
    installed("good", SourcesPlugin([Beta]))
    host.load_all()
    assert host.records["careless"].status == "broken" and host.records["careless"].sources == []
    assert host.records["good"].status == "ok" and len(warnings) == 1


def test_docfetch_sources_cannot_take_a_claimed_name(installed, host):
    installed("hijack", SourcesPlugin([FakeIetf]))
    host.load_all()
    assert host.records["hijack"].status == "ok"
    assert host.find_source("ietf")[0] is IetfSource
    assert [cls for cls, _ in host.sources_for_scheme("rfc")] == [IetfSource]


def test_docfetch_sources_with_an_unknown_argument_is_rejected(installed, host, warnings):
    class Greedy:
        @hookimpl
        def docfetch_sources(self, settings):
            return [Alpha]

    installed("greedy", Greedy())
    record = host.load("greedy")
    assert record.status == "broken" and record.reason.startswith("has invalid hooks")
    assert "alpha" not in host.source_classes() and len(warnings) == 1


# -- docfetch_commands ---------------------------------------------------------------------


def _typer_app(name: str) -> typer.Typer:
    app = typer.Typer(name=name)

    @app.command("hello")
    def hello(who: str = "world") -> None:
        print(f"hello {who}")

    return app


def test_docfetch_commands_returns_typer_apps(installed, host, warnings):
    app = _typer_app("greet")
    plugin = CommandsPlugin([app])
    installed("greeter", plugin)
    installed("sources-only", SourcesPlugin([Alpha]))
    assert host.commands() == [app]
    assert plugin.calls == 1
    assert host.records["greeter"].status == "ok" and warnings == []


def test_docfetch_commands_nothing_is_fine(installed, host, warnings):
    installed("quiet", CommandsPlugin(None))
    installed("empty", CommandsPlugin([]))
    assert host.commands() == [] and warnings == []


def test_docfetch_commands_raising_leaves_its_commands_absent(installed, host, warnings):
    good = _typer_app("greet")
    installed("greeter", CommandsPlugin([good]))
    installed("sulky", CommandsPlugin(ValueError("cannot build the app")))
    assert host.commands() == [good]
    record = host.records["sulky"]
    assert (record.status, record.reason) == ("broken", "raised in docfetch_commands: ValueError: cannot build the app")
    [warning] = warnings
    assert "plugin 'sulky'" in warning and "docfetch_commands" in warning


def test_docfetch_commands_bare_app_is_isolated(installed, host, warnings):
    good = _typer_app("greet")
    installed("greeter", CommandsPlugin([good]))
    installed("careless", CommandsPlugin(_typer_app("bare")))
    assert host.commands() == [good]
    assert host.records["careless"].status == "broken" and len(warnings) == 1


def test_docfetch_commands_not_called_for_disabled_plugins(installed, warnings):
    plugin = CommandsPlugin([_typer_app("greet")])
    installed("greeter", plugin)
    host = PluginHost(no_plugins=False, disabled=["greeter"], strict=False, warn=warnings.append)
    assert host.commands() == [] and plugin.calls == 0
    assert host.records["greeter"].status == "disabled"
    off = PluginHost(no_plugins=True, disabled=(), strict=False, warn=warnings.append)
    assert off.commands() == [] and plugin.calls == 0 and warnings == []


# -- through the installed command line ------------------------------------------------------

GREETER = '''
"""A plugin with a source (scheme ``greeting``, local files) and a command group ``greet``."""
import os
from pathlib import Path

import typer

from docfetch import Source, hookimpl

greet = typer.Typer(name="greet", help="Greetings.")


@greet.command("hello")
def hello(name: str = typer.Option("world", "--name")) -> None:
    """Say hello."""
    print(f"hello {name}")


class Greetings(Source):
    name = "greetings"
    schemes = ("greeting",)

    def locate(self, ref, fmt):
        return [Path(os.environ["GREETINGS_DIR"]) / f"{ref.name}.{fmt}"]


@hookimpl
def docfetch_sources():
    return [Greetings]


@hookimpl
def docfetch_commands():
    return [greet]
'''

SULKY = '''
"""A plugin whose source works but whose commands hook raises."""
import os
from pathlib import Path

from docfetch import Source, hookimpl


class Sulky(Source):
    name = "sulky"
    schemes = ("sulky",)

    def locate(self, ref, fmt):
        return [Path(os.environ["GREETINGS_DIR"]) / f"{ref.name}.{fmt}"]


@hookimpl
def docfetch_sources():
    return [Sulky]


@hookimpl
def docfetch_commands():
    raise RuntimeError("sulk: cannot build my commands")
'''

CARELESS = '''
"""A plugin returning its source class bare instead of in a list."""
from docfetch import Source, hookimpl


class Careless(Source):
    name = "careless"
    schemes = ("careless",)


@hookimpl
def docfetch_sources():
    return Careless
'''


@pytest.fixture
def cli_site(tmp_path):
    """Write plugin modules into tmp_path, fake-install them; ``env`` for run_docfetch's env_extra."""
    site = tmp_path / "site"
    site.mkdir()
    docs = tmp_path / "greetings"
    docs.mkdir()
    (docs / "morning.txt").write_bytes(b"good\r\nmorning\x0c")

    class CliSite:
        env: ClassVar[dict[str, str]] = {"PYTHONPATH": str(site), "GREETINGS_DIR": str(docs)}

        def install(self, name: str, module: str, source: str) -> None:
            (site / f"{module}.py").write_text(textwrap.dedent(source))
            fake_install(site, f"docfetch-{name}", "0.1", {name: module})

    return CliSite()


def test_cli_docfetch_commands_adds_a_working_command(cli_site, run_docfetch):
    cli_site.install("greeter", "docfetch_greeter", GREETER)
    result = run_docfetch("greet", "hello", "--name", "Ada", env_extra=cli_site.env)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"hello Ada\n", b"")
    helped = run_docfetch("greet", "--help", env_extra=cli_site.env)
    assert helped.returncode == 0 and b"hello" in helped.stdout and b"Say hello." in helped.stdout
    fetched = run_docfetch("greeting:morning", env_extra=cli_site.env)
    assert (fetched.returncode, fetched.stdout) == (0, b"good\r\nmorning\x0c")


def test_cli_broken_commands_hook_is_reported_never_fatal(cli_site, run_docfetch):
    cli_site.install("greeter", "docfetch_greeter", GREETER)
    cli_site.install("sulky", "docfetch_sulky", SULKY)
    result = run_docfetch("greet", "hello", env_extra=cli_site.env)
    assert (result.returncode, result.stdout) == (0, b"hello world\n")
    warning = result.stderr.decode()
    assert "warning: plugin 'sulky' (docfetch-sulky 0.1) raised in docfetch_commands" in warning
    assert "sulk: cannot build my commands" in warning and "Traceback" not in warning

    absent = run_docfetch("sulk", env_extra=cli_site.env)
    assert absent.returncode == 2 and absent.stdout == b""
    assert b"docfetch_commands" in absent.stderr and b"Traceback" not in absent.stderr

    # the same plugin's source is untouched by its broken commands hook
    fetched = run_docfetch("sulky:morning", env_extra=cli_site.env)
    assert (fetched.returncode, fetched.stdout, fetched.stderr) == (0, b"good\r\nmorning\x0c", b"")


def test_cli_broken_commands_hook_in_strict_mode(cli_site, run_docfetch):
    cli_site.install("sulky", "docfetch_sulky", SULKY)
    result = run_docfetch("sulk", env_extra={**cli_site.env, "DOCFETCH_STRICT_PLUGINS": "1"})
    assert result.returncode not in (0, 2)
    assert b"Traceback" in result.stderr and b"sulk: cannot build my commands" in result.stderr


def test_cli_fetch_does_not_call_docfetch_commands(cli_site, run_docfetch):
    cli_site.install("sulky", "docfetch_sulky", SULKY)
    result = run_docfetch("sulky:morning", env_extra=cli_site.env)
    assert (result.returncode, result.stderr) == (0, b"")


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["-q", "sulky:morning"], id="short-option"),
        pytest.param(["--source", "sulky", "sulky:morning"], id="long-option"),
        pytest.param(["draft-ietf-quic-transport", "--offline"], id="bare-draft"),
    ],
)
def test_cli_fetch_with_an_option_first_does_not_call_docfetch_commands(cli_site, run_docfetch, args):
    cli_site.install("sulky", "docfetch_sulky", SULKY)
    result = run_docfetch(*args, env_extra=cli_site.env)
    assert b"docfetch_commands" not in result.stderr and b"warning" not in result.stderr
    assert result.returncode == (3 if "--offline" in args else 0)


def test_cli_bare_class_from_docfetch_sources_is_reported(cli_site, run_docfetch):
    cli_site.install("careless", "docfetch_careless", CARELESS)
    result = run_docfetch("sources", env_extra=cli_site.env)
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert b"careless" in result.stderr


# -- docfetch_sections ------------------------------------------------------------------------------

DATA = b"# One\nbody\n# Two\nmore\n"


class SectionsPlugin:
    """A plugin object whose ``docfetch_sections`` returns ``result`` (or raises it)."""

    def __init__(self, result: Any, schemes: tuple[str, ...] = ("note",)) -> None:
        self.result = result
        self.schemes = schemes
        self.seen: list[tuple[Any, ...]] = []

    @hookimpl
    def docfetch_sections(self, reference: Any, fmt: str, data: bytes) -> Any:
        self.seen.append((reference, fmt, data))
        if reference.scheme not in self.schemes:
            return None
        if isinstance(self.result, BaseException):
            raise self.result
        return self.result


GOOD_SECTIONS = [("one", None, "One", 1, 0, 11), ("two", "2", "Two", 1, 11, 21)]


def test_docfetch_sections_first_answer_wins_and_none_passes(installed, host, warnings):
    from docfetch import Reference, Section

    silent = SectionsPlugin(None)
    installed("a-silent", silent)
    installed("b-notes", SectionsPlugin(GOOD_SECTIONS))
    found = host.sections(Reference("note", "x"), "txt", DATA)
    assert found == [Section(*item) for item in GOOD_SECTIONS] and all(isinstance(s, Section) for s in found)
    assert silent.seen == [(Reference("note", "x"), "txt", DATA)]  # asked with the document's bytes
    assert host.sections(Reference("spec", "x"), "txt", DATA) is None  # nobody knows it: the core reads it
    assert warnings == []


@pytest.mark.parametrize(
    "result",
    [
        pytest.param("one", id="string"),
        pytest.param([("one", None, "One", 1, 0, 999)], id="past-the-end"),
        pytest.param([("one", None, "One", 0, 0, 5)], id="level-zero"),
        pytest.param([("", None, "One", 1, 0, 5)], id="no-id"),
        pytest.param([("one", 2, "One", 1, 0, 5)], id="number-not-text"),
        pytest.param([("one", None, "One", 1, 6, 5)], id="backwards"),
        pytest.param([("one", None, "One")], id="short-tuple"),
    ],
)
def test_docfetch_sections_invalid_answer_marks_the_plugin_broken(installed, host, warnings, result):
    from docfetch import Reference

    installed("bad", SectionsPlugin(result))
    assert host.sections(Reference("note", "x"), "txt", DATA) is None
    assert host.records["bad"].status == "broken" and "sections" in host.records["bad"].reason
    assert len(warnings) == 1 and "'bad'" in warnings[0]


def test_docfetch_sections_raising_is_isolated(installed, host, warnings):
    from docfetch import Reference

    installed("a-exploding", SectionsPlugin(RuntimeError("cannot read\nsecond line")))
    installed("b-notes", SectionsPlugin(GOOD_SECTIONS))
    assert [s.id for s in host.sections(Reference("note", "x"), "txt", DATA) or []] == ["one", "two"]
    assert host.records["a-exploding"].status == "broken"
    assert len(warnings) == 1 and "RuntimeError: cannot read" in warnings[0] and "second line" not in warnings[0]


def test_docfetch_sections_not_asked_for_rfcs(installed, host, tmp_path, monkeypatch):
    # RFC-style text is the core's: a plugin cannot change what rfc:/draft: sections are.
    from docfetch import Reference
    from docfetch.knowledge.outlines import outline_of

    greedy = SectionsPlugin(GOOD_SECTIONS, schemes=("rfc", "draft"))
    installed("greedy", greedy)
    data = b"1.  Introduction\n\n   Text.\n"
    from docfetch.sections import parse_text

    outline = outline_of(Reference("rfc", "1"), "txt", data, root=None, host=host)
    assert greedy.seen == [] and outline == parse_text(data)


# -- every hookspec is tested here and documented --------------------------------------------


def _hookspecs() -> dict[str, Any]:
    return {name: fn for name, fn in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(fn, "docfetch_spec")}


def test_every_hookspec_is_tested_and_documented():
    specs = _hookspecs()
    assert set(specs) == {"docfetch_sources", "docfetch_commands", "docfetch_sections"}  # new hooks: tests first
    tests = [name for name in globals() if name.startswith("test_")]
    contributing = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    for name, fn in specs.items():
        assert sum(name in test for test in tests) >= 3, f"{name} needs its own tests in this file"
        doc = inspect.getdoc(fn) or ""
        for part in ("Signature:", "When it is called:", "What to return:"):
            assert part in doc, f"{name}'s docstring lacks {part!r}"
        for parameter in inspect.signature(fn).parameters:  # every argument is named in the documented signature
            assert f"{parameter}:" in doc.split("Signature:", 1)[1].split("\n\n", 1)[0], (name, parameter)
        assert f"### `{name}" in contributing, f"CONTRIBUTING.md needs a section on {name}"
