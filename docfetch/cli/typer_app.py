"""The typer application, built from the one declaration (:mod:`docfetch.cli.spec`).

It renders ``--help`` (``docfetch [OPTIONS] REFERENCE...``, the fetch options, examples, every
command including those plugins add, the exit codes), drives shell completion, and runs the
commands plugins contribute through the ``docfetch_commands`` hook. Built-in commands are run
by :mod:`docfetch.cli.main` without typer; here their callbacks call the same handlers, so the
typer application is a complete command line too (``typer.testing.CliRunner`` works on it).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from docfetch._version import __version__
from docfetch.cli import spec
from docfetch.errors import EXIT_USAGE, DocfetchError

_PLUGIN_COMMANDS: dict[str, Any] | None = None


# -- completion of option values --------------------------------------------------------------


def _source_names(incomplete: str) -> list[str]:
    """Shell completion for --source: every source of every installed plugin."""
    from docfetch.plugins.host import PluginHost

    host = PluginHost(warn=lambda _message: None)
    host.load_all()
    return [name for name in sorted(host.source_classes()) if name.startswith(incomplete)]


def _format_names(incomplete: str) -> list[str]:
    """Shell completion for --format."""
    from docfetch.plugins.source import KNOWN_FORMATS

    return [name for name in KNOWN_FORMATS if name.startswith(incomplete)]


_COMPLETERS = {"sources": _source_names, "formats": _format_names}
_TYPES: dict[str, Any] = {"flag": bool, "text": str | None, "path": Path | None, "float": float | None}


# -- commands from the declaration ----------------------------------------------------------


def _parameter(opt: spec.Opt) -> inspect.Parameter:
    kind: Any = _TYPES.get(opt.kind, int if opt.default is not None else int | None)
    info = typer.Option(
        *opt.flags,
        help=opt.help,
        metavar=opt.metavar,
        min=opt.minimum,
        max=opt.maximum,
        autocompletion=_COMPLETERS.get(opt.complete or ""),
        show_default=opt.kind == "int" and opt.default is not None,
    )
    return inspect.Parameter(
        opt.dest, inspect.Parameter.KEYWORD_ONLY, default=opt.default, annotation=Annotated[kind, info]
    )


def _argument(arg: spec.Arg) -> inspect.Parameter:
    kind: Any = list[str] if arg.many else str
    if not arg.required:
        kind = list[str] | None if arg.many else str | None
    info = typer.Argument(metavar=arg.metavar, help=arg.help, show_default=False)
    default: Any = ... if arg.required else None
    return inspect.Parameter(
        arg.dest, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[kind, info]
    )


def _callback(command: spec.Command) -> Any:
    """A function typer can read: the declared parameters, calling the declared handler."""

    def callback(**values: Any) -> None:
        from docfetch.cli.fastpath import fetch_values
        from docfetch.cli.main import call_handler

        if command is spec.FETCH:
            raise typer.Exit(fetch_values(values))
        for arg in command.args:
            if arg.many and values.get(arg.dest) is None:
                values[arg.dest] = []
        raise typer.Exit(call_handler(command, values))

    parameters = [_argument(arg) for arg in command.args] + [_parameter(opt) for opt in command.options]
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__annotations__ = {p.name: p.annotation for p in parameters}
    callback.__name__ = command.name.replace("-", "_")
    callback.__doc__ = command.help
    return callback


def _add(group: typer.Typer, command: spec.Command) -> None:
    if command.subcommands:
        sub = typer.Typer(
            name=command.name,
            help=command.help,
            no_args_is_help=True,
            rich_markup_mode=None,
            context_settings={"help_option_names": ["-h", "--help"]},
        )
        for child in command.subcommands:
            _add(sub, child)
        group.add_typer(sub, name=command.name)
        return
    group.command(command.name, help=command.help, short_help=command.summary, epilog=command.epilog or None)(
        _callback(command)
    )


# -- the root: fetch by default, the whole picture in --help ---------------------------------


class DocfetchGroup(TyperGroup):
    """Runs ``fetch`` when the first word is not a command, and writes docfetch's own ``--help``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        first = args[0] if args else None
        own = ("-h", "--help", "--install-completion", "--show-completion")
        if first is not None and first not in self.commands and not first.startswith(own):
            args = [spec.DEFAULT.name, *args]
        return super().parse_args(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage("docfetch", "[OPTIONS] REFERENCE...", "Usage: ")
        formatter.write_text(f"   or: docfetch COMMAND [ARGS]...   (docfetch {__version__})")
        formatter.write_paragraph()
        formatter.write_text(spec.FETCH.help)
        with formatter.section("Examples"):
            formatter.write_dl(spec.EXAMPLES)
        fetch = self.commands[spec.DEFAULT.name]
        params = [p for p in fetch.get_params(ctx) if p.param_type_name == "option" and p.name != "help"]
        params += [p for p in self.get_params(ctx) if p.param_type_name == "option"]
        records = [p.get_help_record(ctx) for p in params]
        records.insert(-1, ("-V, --version", "Show the version and exit."))
        with formatter.section("Options"):
            formatter.write_dl([r for r in records if r])
        rows = [(name, cmd.get_short_help_str(70)) for name, cmd in self.commands.items() if name != spec.DEFAULT.name]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
        with formatter.section("Exit codes"):
            formatter.write_dl([(str(code), text) for code, text in spec.EXIT_CODES])
        formatter.write_paragraph()
        formatter.write_text("'docfetch help COMMAND' explains a command. With several references, the worst code.")


def build_app() -> typer.Typer:
    """The typer application of the built-in commands (plugins' commands: :func:`build_command`)."""
    app = typer.Typer(
        cls=DocfetchGroup,
        name="docfetch",
        help=spec.FETCH.help,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    for command in spec.COMMANDS:
        _add(app, command)
    return app


def build_command(*, with_plugins: bool = True) -> Any:
    """The click group typer builds, with every installed plugin's commands added to it."""
    group = typer.main.get_command(build_app())
    if with_plugins:
        for name, plugin_app in plugin_commands().items():
            command = typer.main.get_group(plugin_app) if isinstance(plugin_app, typer.Typer) else plugin_app
            group.add_command(command, name)  # type: ignore[attr-defined]
    return group


def plugin_commands() -> dict[str, Any]:
    """Every installed plugin's commands by name (loads the plugins once); broken ones contribute none."""
    global _PLUGIN_COMMANDS
    if _PLUGIN_COMMANDS is None:
        from docfetch.plugins.host import PluginHost

        found: dict[str, Any] = {}
        host = PluginHost()
        if host.entry_points():
            builtin = {command.name for command in spec.COMMANDS}
            for app in host.commands():
                name = (getattr(app, "info", None) and app.info.name) or getattr(app, "name", None)
                if name and name not in builtin and name not in found:
                    found[name] = app
        _PLUGIN_COMMANDS = found
    return _PLUGIN_COMMANDS


def plugin_command_names() -> set[str]:
    """The names of the commands installed plugins add (``mirror``)."""
    return set(plugin_commands())


def run_typer(args: list[str]) -> int:
    """Run ``args`` through typer (help, completion, plugin commands); errors in docfetch's style."""
    from docfetch import report

    group = build_command()
    try:
        result = group.main(args=args, prog_name="docfetch", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except DocfetchError:
        raise
    except typer.Abort:
        return 130
    except Exception as exc:
        click_exit = getattr(exc, "exit_code", None)
        if hasattr(exc, "format_message") and isinstance(click_exit, int):
            message, hint = _click_error(exc)
            report.error(message, hint=hint)
            return click_exit if click_exit else EXIT_USAGE
        raise
    return result if isinstance(result, int) else 0


def _click_error(exc: Any) -> tuple[str, str]:
    """A click usage error in docfetch's words: one message line, one hint line."""
    command_path = getattr(getattr(exc, "ctx", None), "command_path", "docfetch")
    hint = f"see '{command_path} --help'"
    name = getattr(exc, "option_name", None)
    if name is not None and hasattr(exc, "possibilities"):  # no such option
        possibilities = sorted(getattr(exc, "possibilities", None) or ())
        if possibilities:
            hint = f"did you mean '{possibilities[0]}'?"
        return f"no such option '{name}'", hint
    message = exc.format_message().strip().splitlines()[0] if exc.format_message().strip() else "usage error"
    return message[:1].lower() + message[1:], hint
