"""Starting a program that a test will signal, whatever signal state the test runner inherited.

A process started with a signal ignored passes that on to its children: SIGINT under several CI
runners and in every background job of a script, SIGHUP under ``nohup``. Python then leaves SIGINT
ignored instead of raising KeyboardInterrupt, and docfetch (rightly: a user's ``nohup docfetch ...``
must survive the terminal closing) installs no handler for a signal it was started with ignored.
A test that sends such a signal to ``docfetch`` would see nothing happen. The fix belongs to the
test: :func:`with_default_signals` starts the command with SIGINT, SIGTERM and SIGHUP at their
default action and unblocked, as a terminal session gives them.

It wraps the command in a tiny Python launcher that resets the signals and then ``exec``s the
command, rather than using ``preexec_fn`` (not safe in a test process that runs server threads).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

_LAUNCHER = (
    "import os, signal, sys\n"
    "wanted = [getattr(signal, name) for name in ('SIGINT', 'SIGTERM', 'SIGHUP') if hasattr(signal, name)]\n"
    "signal.pthread_sigmask(signal.SIG_UNBLOCK, wanted)\n"
    "for number in wanted:\n"
    "    signal.signal(number, signal.SIG_DFL)\n"
    "os.execvp(sys.argv[1], sys.argv[1:])\n"
)


def with_default_signals(command: Sequence[str]) -> list[str]:
    """``command`` wrapped so that it starts with SIGINT, SIGTERM and SIGHUP at their default action.

    Use it for every process a test interrupts: ``subprocess.Popen(with_default_signals([...]))``.
    The process id is the same (the launcher ``exec``s the command), so ``send_signal`` reaches it.
    """
    if not command:
        raise ValueError("empty command")
    return [sys.executable, "-c", _LAUNCHER, *map(str, command)]
