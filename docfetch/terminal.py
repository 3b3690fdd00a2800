"""Putting documents in front of the user: exact bytes to pipes and files, safe text to terminals.

The pager's modules (shlex, subprocess) load only when a terminal is there to page on.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

BOM = "\ufeff"
# C0 controls except TAB, LF, FF, CR; DEL; C1 controls (0x9B is a one-byte CSI).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f]")


def _caret(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return "^" + chr(code + 64)
    if code == 0x7F:
        return "^?"
    return f"<U+{code:04X}>"


def terminal_text(data: bytes) -> str:
    """Document bytes as text fit for a terminal: UTF-8, no BOM, control sequences shown inert.

    ESC and other controls are rendered in caret notation (``^[``), so a hostile document
    cannot retitle the window, move the cursor or clear the screen.
    """
    text = data.decode("utf-8", errors="replace").replace(BOM, "")
    return _UNSAFE.sub(_caret, text)


def copy_bytes(paths: Iterable[Path], out: BinaryIO) -> None:
    """Write the files' exact bytes to ``out``, one after the other."""
    for path in paths:
        with open(path, "rb") as handle:
            shutil.copyfileobj(handle, out, 1024 * 1024)
    out.flush()


def pager_command() -> list[str] | None:
    """``$DOCFETCH_PAGER``, else ``$PAGER``, else ``less``; None to print directly."""
    chosen = os.environ.get("DOCFETCH_PAGER", os.environ.get("PAGER"))
    if chosen is not None:
        import shlex

        chosen = chosen.strip()
        if chosen in ("", "cat"):
            return None
        try:
            words = shlex.split(chosen)
        except ValueError:
            return None
        return words if words and shutil.which(words[0]) else None
    return ["less"] if shutil.which("less") else None


def show_on_terminal(paths: list[Path], *, use_pager: bool) -> None:
    """Show documents on a terminal, through the pager unless told not to."""
    text = "".join(terminal_text(path.read_bytes()) for path in paths)
    command = pager_command() if use_pager else None
    if command is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LESSCHARSET", "utf-8")
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        assert pager.stdin is not None
        pager.stdin.write(text.encode("utf-8", errors="replace"))
        pager.stdin.close()
    except BrokenPipeError:
        pass
    pager.wait()


def silence_stdout() -> None:
    """After the reader went away: point stdout at /dev/null so the final flush is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
