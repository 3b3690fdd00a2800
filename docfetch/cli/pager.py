"""Putting documents in front of the user: exact bytes to pipes and files, safe text through a pager.

The pager's modules (shlex, subprocess) load only when a terminal is there to page on.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable
from typing import BinaryIO

from docfetch.terminal import document_text, inert


def copy_bytes(paths: Iterable[str | os.PathLike[str]], out: BinaryIO) -> None:
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


def show_on_terminal(texts: list[bytes], *, use_pager: bool, notes: Callable[[], None] | None = None) -> None:
    """Show documents on a terminal, through the pager unless told not to.

    ``notes`` reports the lines to show before the documents (``docfetch: note: ...``). A pager
    repaints the whole screen, so lines printed on the terminal before it opens vanish under
    the first page: when stderr is that same terminal, they are shown as the pager's first lines
    instead; otherwise (stderr redirected, or no pager) they go to stderr first, as always.
    """
    text = "".join(document_text(data) for data in texts)
    command = pager_command() if use_pager else None
    if notes is not None:
        from docfetch import report

        if command is not None and sys.stderr.isatty():
            lines: list[str] = []
            printer = report.redirect(lines.append)
            try:
                notes()
            finally:
                report.redirect(printer)
            text = "".join(inert(line) + "\n" for line in lines) + ("\n" if lines else "") + text
        else:
            notes()
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
    # Ctrl-C reaches the pager and docfetch alike (one process group): the pager handles it, and
    # docfetch waits for the pager to finish instead of leaving it to fight the shell for the
    # terminal (git does the same). SIGTERM/SIGHUP still end docfetch, and the pager with it.
    import signal

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        try:
            assert pager.stdin is not None
            pager.stdin.write(text.encode("utf-8", errors="replace"))
            pager.stdin.close()
        except BrokenPipeError:
            pass
        pager.wait()
    except BaseException:
        pager.terminate()
        pager.wait()
        raise
    finally:
        signal.signal(signal.SIGINT, previous)


def silence_stdout() -> None:
    """After the reader went away: point stdout at /dev/null so the final flush is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
