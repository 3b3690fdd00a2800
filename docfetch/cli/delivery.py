"""Where fetched documents go: a pipe, a terminal, one file (``-o``) or a directory (``-O``).

Also the progress bar (rich, on a terminal, for several documents) and the closing summary.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from docfetch import report
from docfetch.engine.fetcher import Outcome
from docfetch.errors import EXIT_OK, LocalError, UsageError

#: A summary line closes runs of more documents than this (and every -O run or run with failures).
SUMMARY_FROM = 5


class Delivery:
    """Takes outcomes in order and puts each document where the user asked."""

    def __init__(self, *, output: Path | None, output_dir: Path | None, use_pager: bool, quiet: bool) -> None:
        if output is not None and output_dir is not None:
            raise UsageError("-o/--output and -O/--output-dir cannot be used together")
        self.output = None if output is not None and str(output) == "-" else output
        self.output_dir = output_dir
        self.use_pager = use_pager
        self.quiet = quiet
        self.on_terminal = self.output is None and output_dir is None and sys.stdout.isatty()
        self.kept: list[Path] = []
        self.codes: list[int] = []
        self.cached = 0
        if output_dir is not None:
            try:
                output_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LocalError(f"cannot create {output_dir}: {exc.strerror or exc}") from None

    def run(self, outcomes: Iterable[Outcome], total: int) -> list[int]:
        """Deliver every outcome, with a progress bar when it helps; return the exit codes."""
        if total > 1 and not self.quiet and sys.stderr.isatty() and not self.on_terminal:
            self._with_progress(outcomes, total)
        else:
            for outcome in outcomes:
                self.take(outcome)
        self.finish(total)
        return self.codes

    def _with_progress(self, outcomes: Iterable[Outcome], total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
            previous = report.redirect(lambda line: progress.console.print(line, markup=False, highlight=False))
            try:
                task = progress.add_task("fetching", total=total)
                for outcome in outcomes:
                    self.take(outcome)
                    progress.update(task, advance=1, description=outcome.ref.label())
            finally:
                report.redirect(previous)

    def take(self, outcome: Outcome) -> None:
        """Deliver one outcome (or report its error)."""
        if outcome.error is not None:
            report.error(outcome.error.message, outcome.error.hint)
            self.codes.append(outcome.error.exit_code)
            return
        document = outcome.document
        assert document is not None
        self.codes.append(EXIT_OK)
        self.cached += document.source == "cache"
        if self.output_dir is not None:
            from docfetch.engine.staging import write_concatenation

            target = self.output_dir / f"{document.ref.stem}.{document.fmt}"
            try:
                write_concatenation(target, [document.path])
            except OSError as exc:
                raise LocalError(f"cannot write {target}: {exc.strerror or exc}") from None
        elif self.output is None and not self.on_terminal:
            from docfetch.cli.pager import copy_bytes

            copy_bytes([document.path], sys.stdout.buffer)
        else:
            self.kept.append(document.path)

    def finish(self, total: int) -> None:
        """Page the text, or write ``-o`` whole (only if every document arrived), then sum up."""
        if self.on_terminal and self.kept:
            from docfetch.cli.pager import show_on_terminal

            show_on_terminal([path.read_bytes() for path in self.kept], use_pager=self.use_pager)
        elif self.output is not None:
            if any(code != EXIT_OK for code in self.codes):
                report.error(f"{self.output} not written: not every document could be fetched")
            elif self.kept:
                from docfetch.engine.staging import write_concatenation

                try:
                    write_concatenation(self.output, self.kept)
                except OSError as exc:
                    raise LocalError(f"cannot write {self.output}: {exc.strerror or exc}") from None
        ok = self.codes.count(EXIT_OK)
        failed = len(self.codes) - ok
        if (self.output_dir is not None or len(self.codes) > SUMMARY_FROM or (failed and total > 1)) and not self.quiet:
            where = f" to {self.output_dir}" if self.output_dir is not None else ""
            report.summary(
                f"{ok} of {len(self.codes)} documents written{where} ({self.cached} from the cache)"
                + (f", {failed} failed" if failed else "")
            )
