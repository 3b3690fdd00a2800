"""The command line (typer): ``docfetch REF...`` plus sub-commands such as ``docfetch sources``.

Importing this module loads typer but no plugin code, ``requests`` or ``rich``: those come
only with the commands that need them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from docfetch._version import __version__
from docfetch.errors import EXIT_OK, DocfetchError

EXIT_CODES_HELP = """Exit codes: 0 ok; 2 usage error or invalid reference; 3 not found;
4 could not fetch (network or server failure); 5 refused content (e.g. HTML where text
was asked for, over --max-size); 130 interrupted. With several references, the worst."""

DEFAULT_COMMAND = "fetch"
_PASS_THROUGH = ("--help", "-h", "--version", "-V", "--install-completion", "--show-completion")


class DefaultCommandGroup(TyperGroup):
    """Runs ``fetch`` when the first word is not a command, so ``docfetch rfc:791`` works.

    A first word that is not a built-in command but names a plugin's command loads the
    plugins' commands; broken plugins contribute none and are reported.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        first = args[0] if args else None
        is_command = not first or first in self.commands or first.startswith(_PASS_THROUGH)
        if not is_command and not self._add_plugin_command(first):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)

    def _add_plugin_command(self, name: str) -> bool:
        if name.startswith("-") or not name.replace("-", "").isalpha():
            return False
        from docfetch.errors import UsageError as _NotAReference
        from docfetch.reference import parse_references

        try:
            parse_references(name)
            return False  # a reference (e.g. a bare draft name), not a command
        except _NotAReference:
            pass
        from docfetch.plugins.host import PluginHost

        host = PluginHost()
        if not host.entry_points():
            return False
        for app in host.commands():
            group = typer.main.get_group(app) if isinstance(app, typer.Typer) else app
            command_name = (getattr(app, "info", None) and app.info.name) or getattr(group, "name", None)
            if command_name and command_name not in self.commands:
                self.add_command(group, command_name)
        return name in self.commands


app = typer.Typer(
    cls=DefaultCommandGroup,
    name="docfetch",
    help="Fetch standards documents (RFCs, Internet-Drafts, BCP/STD/FYI, plugin kinds) and print them.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        print(f"docfetch {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", "-V", help="Show the version and exit.", callback=_show_version, is_eager=True)
    ] = False,
) -> None:
    """Fetch standards documents and print them exactly as published."""


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


def _error(message: str) -> None:
    print(f"docfetch: error: {message}", file=sys.stderr)


@app.command(DEFAULT_COMMAND, epilog=EXIT_CODES_HELP)
def fetch(
    references: Annotated[
        list[str],
        typer.Argument(
            help="rfc:791, RFC791, rfc:1-10, draft:NAME[-NN], draft-NAME, bcp:14, std:5, fyi:1, or a plugin's scheme.",
            show_default=False,
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option("--source", "-s", help="Source to use (see 'docfetch sources').", autocompletion=_source_names),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="txt, html, pdf, xml, json or csv, where the source has it.",
            autocompletion=_format_names,
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE (whole or not at all) instead of stdout.")
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option("--output-dir", "-O", help="Write one file per document into DIR (rfc791.txt, ...)."),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=32, help="Concurrent downloads.")] = 4,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="On a terminal, print instead of paging.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No notes on stderr (errors are still shown).")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Never touch the network; only the cache.")] = False,
    refresh: Annotated[bool, typer.Option("--refresh", help="Fetch again even when cached.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    timeout: Annotated[float | None, typer.Option("--timeout", help="Seconds to connect and between bytes.")] = None,
    retries: Annotated[int | None, typer.Option("--retries", help="Further attempts after a failed one.")] = None,
    max_size: Annotated[str | None, typer.Option("--max-size", help="Refuse documents over SIZE (e.g. 64M).")] = None,
) -> None:
    """Fetch documents and print them (the default command: 'docfetch rfc:791')."""
    from docfetch.cli.fetch import run_fetch

    code = run_fetch(
        references,
        source=source,
        fmt=fmt,
        output=output,
        output_dir=output_dir,
        jobs=jobs,
        no_pager=no_pager,
        quiet=quiet,
        offline=offline,
        refresh=refresh,
        no_cache=no_cache,
        timeout=timeout,
        retries=retries,
        max_size=max_size,
    )
    raise typer.Exit(code)


@app.command("sources")
def sources(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List the sources: plugin distribution and version, schemes, formats, defaults."""
    from docfetch.cli.sources import render_sources
    from docfetch.config import load_settings

    print(render_sources(load_settings(), as_json=as_json), end="")


def run(argv: list[str]) -> int:
    """Run the command line; map every outcome to an exit code (no tracebacks for users)."""
    from docfetch.errors import EXIT_INTERRUPTED, EXIT_USAGE

    try:
        result = app(args=argv, prog_name="docfetch", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except DocfetchError as exc:
        _error(exc.message)
        return exc.exit_code
    except typer.Abort:
        print("docfetch: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        click_exit = getattr(exc, "exit_code", None)
        if hasattr(exc, "show") and isinstance(click_exit, int):
            exc.show()
            return click_exit if click_exit else EXIT_USAGE
        raise
    return result if isinstance(result, int) else EXIT_OK


from docfetch.knowledge.commands_tmp import register as _register_knowledge  # noqa: E402

_register_knowledge(app)
