"""Starting a program that a test will interrupt, whatever signal state the test runner inherited.

A process started with SIGINT ignored (a background job of a non-interactive shell, ``nohup``-style
wrappers, several CI runners) passes that on to its children, and Python then leaves SIGINT ignored
instead of raising KeyboardInterrupt: a test that sends SIGINT to ``docfetch`` would see nothing
happen. That is right for users (a background job is not meant to get the terminal's Ctrl-C), so
the fix belongs to the test: :func:`with_default_sigint` starts the command with SIGINT's default
action and unblocked, as a terminal gives it.

It wraps the command in a tiny Python launcher that resets SIGINT and then ``exec``s the command,
rather than using ``preexec_fn`` (not safe in a test process that runs server threads).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

_LAUNCHER = (
    "import os, signal, sys\n"
    "signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})\n"
    "signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
    "os.execvp(sys.argv[1], sys.argv[1:])\n"
)


def with_default_sigint(command: Sequence[str]) -> list[str]:
    """``command`` wrapped so that it starts with SIGINT at its default action (Ctrl-C works).

    Use it for every process a test interrupts: ``subprocess.Popen(with_default_sigint([...]))``.
    The process ids are the same (the launcher ``exec``s the command), so ``send_signal`` reaches it.
    """
    if not command:
        raise ValueError("empty command")
    return [sys.executable, "-c", _LAUNCHER, *map(str, command)]
