"""The ``docfetch`` command: fast paths first, then the full command line.

``--version`` and a fully cached fetch to a pipe are answered here without importing typer,
pluggy or requests; everything else goes to :mod:`docfetch.cli.typer_app`.
"""

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
    from docfetch.cli.fastpath import serve_from_cache

    served = serve_from_cache(args)
    if served is not None:
        return served
    from docfetch.cli.fetch import parse_fetch_args

    fetch_args = parse_fetch_args(args[1:] if args[:1] == ["fetch"] else args)
    try:
        if fetch_args is not None:
            return _fetch_without_typer(fetch_args)
        from docfetch.cli.typer_app import run

        return run(args)
    except KeyboardInterrupt:
        return 130


def _fetch_without_typer(fetch_args: dict) -> int:
    """A plain fetch, with the same error handling as ``docfetch.cli.typer_app.run``."""
    from docfetch.cli.fetch import run_fetch
    from docfetch.errors import DocfetchError

    try:
        return run_fetch(**fetch_args)
    except DocfetchError as exc:
        print(f"docfetch: error: {exc.message}", file=sys.stderr)
        return exc.exit_code


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
