"""``docfetch mirror sync DIR``: the command line of the mirror plugin (a typer app).

Importing this module costs typer only (already loaded by docfetch's command line); the sync
machinery, ``requests`` and ``rich`` are imported when the command runs, rich only when
stderr is a terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

EXIT_CODES_HELP = """Exit codes: 0 every file asked for is in DIR; 2 usage error (range, formats,
unknown or unavailable source, DIR not writable); 3 nothing to sync (the source has no RFC
index, or the index lists no issued RFC in the range and formats); 4 some files failed (one
line each, the rest are written), the index could not be fetched, or another sync is running
in DIR; 5 the source's index is not XML; 130 interrupted (files written are whole: run the
same command again to finish)."""

mirror_app = typer.Typer(
    name="mirror",
    help="Build and refresh a local mirror in the RFC Editor rsync layout.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@mirror_app.callback()
def _mirror() -> None:
    """Build and refresh a local mirror in the RFC Editor rsync layout (use it with --source mirror)."""


class PlainReporter:
    """No progress; one stderr line per failed file (also with -q: errors are always shown)."""

    def start(self, total: int) -> None:
        """Nothing to show."""

    def advance(self, outcome: Any) -> None:
        """Print the failure line of a failed file."""
        from docfetch_mirror.sync import FAILED, failure_line

        if outcome.status == FAILED:
            print(failure_line(outcome), file=sys.stderr, flush=True)

    def stop(self) -> None:
        """Nothing to tidy."""


class RichReporter(PlainReporter):
    """A rich progress bar on stderr (a terminal); failure lines printed above it."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True, highlight=False)
        self.progress: Any = None
        self.task_id: Any = None

    def start(self, total: int) -> None:
        """Show the bar."""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("syncing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[last]}"),
            console=self.console,
            transient=True,
        )
        self.task_id = self.progress.add_task("sync", total=total, last="")
        self.progress.start()

    def advance(self, outcome: Any) -> None:
        """Move the bar; a failure is printed above it."""
        from docfetch_mirror.sync import FAILED, failure_line

        if outcome.status == FAILED:
            self.console.print(failure_line(outcome), markup=False, soft_wrap=True)
        if self.progress is not None:
            self.progress.update(self.task_id, advance=1, last=outcome.task.name)

    def stop(self) -> None:
        """Remove the bar."""
        if self.progress is not None:
            self.progress.stop()


def make_reporter(quiet: bool) -> PlainReporter:
    """A progress bar when stderr is a terminal (and not -q); plain failure lines otherwise."""
    if not quiet and sys.stderr.isatty():
        return RichReporter()
    return PlainReporter()


@mirror_app.command("sync", epilog=EXIT_CODES_HELP)
def sync(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="The mirror directory (created if missing).", show_default=False)
    ],
    range_: Annotated[
        str | None,
        typer.Option("--range", "-r", metavar="A-B", help="RFC numbers: A-B, N, or A- (to the last). Default: all."),
    ] = None,
    formats: Annotated[
        str, typer.Option("--formats", "-f", help="Comma-separated: txt, html, pdf, xml, json, or all.")
    ] = "txt",
    source: Annotated[
        str | None,
        typer.Option("--source", "-s", help="Source to download from (default: rfc-editor, else ietf)."),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=16, help="Downloads at a time (1 to 16).")] = 4,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no notes (errors are shown).")] = False,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Seconds to wait to connect and between bytes.")
    ] = None,
    retries: Annotated[int | None, typer.Option("--retries", help="Further attempts after a failed one.")] = None,
) -> None:
    """Download the RFCs the index lists that DIR lacks (or that changed), each file whole.

    DIR gets the rsync layout: rfc{n}.{fmt} flat at the top and rfc-index.xml, so that
    'DOCFETCH_MIRRORS=DIR docfetch --source mirror rfc:791' (and bcp:, std:, fyi:) works offline.
    Nothing is ever deleted. The closing line, on stdout: 'synced N new, M up to date, K failed'.
    """
    from docfetch import EXIT_FETCH_FAILED, EXIT_INTERRUPTED, EXIT_OK, apply_flags, load_settings
    from docfetch_mirror.plan import parse_formats, parse_range
    from docfetch_mirror.runner import sync_mirror

    wanted = parse_range(range_)
    fmts = parse_formats(formats)
    settings = apply_flags(load_settings(), timeout=timeout, retries=retries, max_size=None)
    result = sync_mirror(
        settings, directory, wanted, fmts, source_name=source, jobs=jobs, quiet=quiet, reporter=make_reporter(quiet)
    )
    summary = result.summary
    print(summary.line(), flush=True)
    if summary.interrupted:
        left = summary.total - summary.done
        print(f"docfetch: interrupted: {left} files not synced yet; run the same command again", file=sys.stderr)
        raise typer.Exit(EXIT_INTERRUPTED)
    raise typer.Exit(EXIT_FETCH_FAILED if summary.failed else EXIT_OK)
