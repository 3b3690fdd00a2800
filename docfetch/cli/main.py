"""The command line's dispatcher: which command runs, how its arguments are read, how it ends.

1. ``--help``, ``help``, shell completion and the commands plugins add go to typer
   (:mod:`docfetch.cli.typer_app`, built from the same declaration).
2. A built-in command is read by :mod:`docfetch.cli.argv` against :mod:`docfetch.cli.spec` and
   its handler runs; anything else is a fetch (``docfetch rfc:791``), answered from the cache
   without loading the engine when it can be (:mod:`docfetch.cli.fastpath`).
3. Every error ends here as one line, ``docfetch: error: ...``, at most one hint line, and the
   exit code the README documents; never a traceback (``DOCFETCH_DEBUG=1`` shows it).
"""

from __future__ import annotations

import os
import sys

from docfetch import report
from docfetch.cli import spec
from docfetch.cli.argv import closest, help_hint, parse
from docfetch.errors import EXIT_USAGE, DocfetchError, UsageError

_HELP_FLAGS = ("-h", "--help")
_TYPER_FLAGS = ("--install-completion", "--show-completion")
_COMPLETION_VARIABLE = "_DOCFETCH_COMPLETE"


def run(args: list[str]) -> int:
    """Run one command line and return its exit code (every failure mapped, none raised)."""
    report.to_stderr()
    from docfetch.cli import signals
    from docfetch.cli.stdout import guard

    guard()
    signals.install()
    try:
        code = _dispatch(args)
        _flush_stdout()
        return code
    except DocfetchError as exc:
        report.error(exc.message, exc.hint)
        return exc.exit_code
    except KeyboardInterrupt as exc:  # Ctrl-C, SIGTERM, SIGHUP: everything in progress was removed
        return signals.exit_code(exc)
    except BrokenPipeError:  # the reader went away (| head): every command stops quietly, like cat
        from docfetch.cli.pager import silence_stdout

        silence_stdout()
        return 0
    except Exception as exc:  # a bug: one line, the traceback on request
        if os.environ.get("DOCFETCH_DEBUG", "").strip() not in ("", "0"):
            raise
        report.error(
            f"internal error: {type(exc).__name__}: {exc}".splitlines()[0][:300],
            hint="run again with DOCFETCH_DEBUG=1 to see the traceback, and please report it",
        )
        return 1


def _flush_stdout() -> None:
    """Flush what is buffered now, so that a full disk is an error here, not a silent loss at exit."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        from docfetch.cli.pager import silence_stdout

        silence_stdout()


def _options_part(args: list[str]) -> list[str]:
    """The arguments before ``--`` (after it, everything is an operand)."""
    return args[: args.index("--")] if "--" in args else args


def _dispatch(args: list[str]) -> int:
    if not args:
        return _typer(["--help"], exit_code=EXIT_USAGE)
    head = _options_part(args)
    if os.environ.get(_COMPLETION_VARIABLE) or any(a in _HELP_FLAGS or a in _TYPER_FLAGS for a in head):
        return _typer(args)
    if head and head[0] in ("-V", "--version"):
        from docfetch._version import __version__

        print(f"docfetch {__version__}")
        return 0
    first = args[0]
    builtin = spec.command(first)
    if builtin is not None:
        return run_command(builtin, args[1:], first)
    if _command_like(first):
        return _other_command(first, args)
    return run_command(spec.FETCH, args, "")


def run_command(command: spec.Command, args: list[str], path: str) -> int:
    """Read ``args`` for ``command`` (or one of its sub-commands) and run its handler."""
    if command.subcommands:
        if not args or args[0].startswith("-"):
            raise UsageError(
                f"'{path}' needs a command: {', '.join(c.name for c in command.subcommands)}", hint=help_hint(path)
            )
        sub = command.subcommand(args[0])
        if sub is None:
            guess = closest(args[0], [c.name for c in command.subcommands])
            raise UsageError(
                f"unknown command '{path} {args[0][:40]}'",
                hint=f"did you mean '{path} {guess}'?" if guess else help_hint(path),
            )
        return run_command(sub, args[1:], f"{path} {sub.name}")
    if command is spec.FETCH:
        from docfetch.cli.fastpath import fetch_entry

        return fetch_entry(args)
    values = parse(command, args, path)
    if values.get("quiet"):
        report.to_stderr(quiet=True)
    return call_handler(command, values)


def call_handler(command: spec.Command, values: dict[str, object]) -> int:
    """Import ``command``'s handler and call it with the parsed values; its result is the exit code."""
    import importlib

    module_name, _colon, function = command.handler.partition(":")
    result = getattr(importlib.import_module(module_name), function)(**values)
    return result if isinstance(result, int) else 0


def _command_like(word: str) -> bool:
    """A word shaped like a command name (``mirror``, ``serach``) that is not a reference."""
    if word.startswith("-") or not word.replace("-", "").isalpha():
        return False
    from docfetch.reference import parse_target

    try:
        parse_target(word)
    except UsageError:
        return True
    return False  # a reference, e.g. a bare draft name


def _other_command(word: str, args: list[str]) -> int:
    """A plugin's command (``docfetch mirror sync``), a misspelled command, or a reference after all."""
    from docfetch.cli.typer_app import plugin_command_names

    plugin_commands = plugin_command_names()
    if word in plugin_commands:
        return _typer(args)
    builtin = [c.name for c in spec.COMMANDS if c is not spec.FETCH]
    guess = closest(word, builtin + sorted(plugin_commands))
    if guess is not None:
        raise UsageError(f"unknown command '{word[:40]}'", hint=f"did you mean '{guess}'?")
    return run_command(spec.FETCH, args, "")


def _typer(args: list[str], exit_code: int | None = None) -> int:
    from docfetch.cli.typer_app import run_typer

    code = run_typer(args)
    return exit_code if exit_code is not None and code == 0 else code


def help_command(topic: list[str]) -> int:
    """``docfetch help [COMMAND...]``: the same as ``docfetch [COMMAND...] --help``."""
    if topic and spec.command(topic[0]) is None and topic[0] not in _plugin_names():
        guess = closest(topic[0], [c.name for c in spec.COMMANDS])
        raise UsageError(
            f"no help for {topic[0][:40]!r}: not a command", hint=f"did you mean '{guess}'?" if guess else help_hint()
        )
    return _typer([*topic, "--help"])


def _plugin_names() -> set[str]:
    from docfetch.cli.typer_app import plugin_command_names

    return plugin_command_names()
