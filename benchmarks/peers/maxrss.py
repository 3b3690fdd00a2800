"""Run a command and report its peak RSS: ``python maxrss.py REPORT_FILE COMMAND...``.

A small launcher process, so that the measured command is not forked from a big parent:
Linux counts the memory of the process a child was forked from in the child's ``ru_maxrss``
(the old address space's high-water mark is kept at ``exec``). stdin, stdout and stderr are
passed through; the peak RSS in KiB goes to REPORT_FILE; the exit code is the command's.
"""

from __future__ import annotations

import os
import subprocess
import sys


def main(argv: list[str]) -> int:
    """Run ``argv[1:]``, write its ``ru_maxrss`` (KiB) to ``argv[0]``, return its exit code."""
    report, command = argv[0], argv[1:]
    proc = subprocess.Popen(command)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    with open(report, "w") as handle:
        handle.write(f"{usage.ru_maxrss}\n")
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
