"""The ``docfetch`` command: ``--version`` at once, everything else through :mod:`docfetch.cli.main`."""

from __future__ import annotations

import contextlib
import sys


def main(argv: list[str] | None = None) -> int:
    """Run docfetch and return its exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["--version"], ["-V"]):
        from docfetch._version import __version__

        print(f"docfetch {__version__}")
        return 0
    from docfetch.cli.main import run

    return run(args)


def entry() -> None:
    """Console-script entry point.

    Ends with ``os._exit`` once everything is flushed: every file is already closed and
    renamed by then (the fetcher cleans up in its ``with`` block), and tearing down the
    interpreter's modules would cost a network fetch about 50 ms more.
    """
    import os

    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError, OSError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
