"""Reading a command line against its declaration (:mod:`docfetch.cli.spec`); suggestions for mistakes.

``--opt value``, ``--opt=value``, ``-o value``, ``-ovalue``, options anywhere among the arguments,
``--`` to end them. Every mistake is a :class:`UsageError` with one line of hint: the closest
option or command ("did you mean '--source'?"), or where to read more. stdlib only.
"""

from __future__ import annotations

from docfetch.cli.spec import PROGRAM, Command, Opt
from docfetch.errors import UsageError
from docfetch.terminal import quoted

_CONVERT = {"int": int, "float": float}
_KIND_WORDS = {"int": "a whole number", "float": "a number"}


def closest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The choice closest to ``word`` (a typo away), or None."""
    from difflib import get_close_matches

    found = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def help_hint(path: str = "") -> str:
    """Where to read more: ``see 'docfetch search --help'``."""
    return f"see '{PROGRAM} {path + ' ' if path else ''}--help'"


def _unknown_option(flag: str, command: Command, path: str) -> UsageError:
    spelled = [f for opt in command.options for f in opt.flags]
    guess = closest(flag.partition("=")[0], [f for f in spelled if f.startswith("--")] or spelled)
    hint = f"did you mean '{guess}'?" if guess else help_hint(path)
    return UsageError(f"no such option {quoted(flag, 40)}", hint=hint)


def _convert(opt: Opt, flag: str, text: str, path: str) -> object:
    if opt.kind == "text":
        return text
    if opt.kind == "path":
        if not text:
            raise UsageError(f"option '{flag}' needs a file name", hint=help_hint(path))
        from pathlib import Path  # only when a path is given: not on the cached fast path

        return Path(text)
    try:
        value = _CONVERT[opt.kind](text)
    except ValueError:
        raise UsageError(
            f"invalid value for '{flag}': {quoted(text, 30)} is not {_KIND_WORDS[opt.kind]}", hint=help_hint(path)
        ) from None
    if isinstance(value, int) and (
        (opt.minimum is not None and value < opt.minimum) or (opt.maximum is not None and value > opt.maximum)
    ):
        raise UsageError(f"invalid value for '{flag}': {value} is not in {opt.minimum} to {opt.maximum}")
    return value


def _match_flag(arg: str, command: Command) -> tuple[Opt, str, str | None] | None:
    """The option ``arg`` spells, the flag as written, and an attached value (``--x=v``, ``-jv``)."""
    if arg.startswith("--"):
        flag, equals, value = arg.partition("=")
        opt = command.option(flag)
        return (opt, flag, value if equals else None) if opt else None
    opt = command.option(arg[:2])
    if opt is None:
        return None
    if len(arg) > 2:
        return (opt, arg[:2], arg[2:]) if opt.takes_value else None
    return opt, arg, None


def parse(command: Command, args: list[str], path: str = "") -> dict[str, object]:
    """The values of ``command``'s options and arguments in ``args`` (defaults filled in).

    ``path`` is how the command is written (``cache info``), for messages.
    """
    values: dict[str, object] = {opt.dest: opt.default for opt in command.options}
    positional: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--":
            positional.extend(args[index:])
            break
        if not arg.startswith("-") or arg == "-" or _looks_negative(arg, command):
            positional.append(arg)
            continue
        matched = _match_flag(arg, command)
        if matched is None:
            raise _unknown_option(arg, command, path)
        opt, flag, attached = matched
        if not opt.takes_value:
            if attached is not None:
                raise UsageError(f"option '{flag}' takes no value", hint=help_hint(path))
            values[opt.dest] = True
            continue
        if attached is None:
            if index >= len(args):
                raise UsageError(f"option '{flag}' needs a value ({opt.metavar})", hint=help_hint(path))
            attached = args[index]
            index += 1
        values[opt.dest] = _convert(opt, flag, attached, path)
    _assign_positional(command, positional, values, path)
    return values


def _looks_negative(arg: str, command: Command) -> bool:
    """``-5`` is a value, not an option (no command has digit flags)."""
    return len(arg) > 1 and arg[1].isdigit()


def _assign_positional(command: Command, positional: list[str], values: dict[str, object], path: str) -> None:
    remaining = list(positional)
    for arg in command.args:
        if arg.many:
            values[arg.dest] = remaining
            if arg.required and not remaining:
                raise UsageError(f"missing {arg.metavar}", hint=help_hint(path))
            remaining = []
        elif remaining:
            values[arg.dest] = remaining.pop(0)
        elif arg.required:
            raise UsageError(f"missing {arg.metavar}", hint=help_hint(path))
        else:
            values[arg.dest] = None
    if remaining:
        raise UsageError(f"unexpected argument {quoted(remaining[0], 40)}", hint=help_hint(path))
