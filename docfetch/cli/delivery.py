"""Where fetched documents go: a pipe, a terminal, one file (``-o``) or a directory (``-O``).

Also the progress bar (rich, on a terminal, for several documents) and the closing summary.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from docfetch import report
from docfetch.cli.shaping import Piece
from docfetch.engine.fetcher import Outcome
from docfetch.errors import EXIT_OK, DocfetchError, LocalError, NotFoundError, UsageError
from docfetch.knowledge.index import NeverIssuedError
from docfetch.reference import Reference

#: A summary line closes runs of more documents than this (and every -O run or run with failures).
SUMMARY_FROM = 5


class Delivery:
    """Takes outcomes in order and puts each document where the user asked."""

    def __init__(
        self,
        *,
        output: Path | None,
        output_dir: Path | None,
        use_pager: bool,
        quiet: bool,
        shaper: Callable[[Outcome], Piece] | None = None,
        as_json: bool = False,
        before_pager: Callable[[], None] | None = None,
        in_ranges: frozenset[Reference] = frozenset(),
        gaps: Callable[[list[int]], set[int]] | None = None,
    ) -> None:
        """``shaper`` cuts each document (a section, no page breaks); ``as_json`` prints records at the end;
        ``before_pager`` reports the notes, which the reader must see first: before the pager opens, or as
        its first lines when it would paint over them (see :func:`docfetch.cli.pager.show_on_terminal`).

        ``in_ranges``: the documents asked for as part of a range (``rfc:1-50``), whose numbers
        the RFC index lists as never issued are skipped and counted rather than reported.
        ``gaps``: with no local index, which of the RFC numbers of a range that no server has
        were never issued (asked once, at the end, for all of them).
        """
        if output is not None and output_dir is not None:
            raise UsageError("-o/--output and -O/--output-dir cannot be used together")
        self.output = None if output is not None and str(output) == "-" else output
        self.output_dir = output_dir
        self.use_pager = use_pager
        self.quiet = quiet
        self.on_terminal = self.output is None and output_dir is None and sys.stdout.isatty()
        self.kept: list[Piece] = []
        self.records: list[object] = []
        self.shaper = shaper
        self.as_json = as_json
        self.before_pager = before_pager
        self.codes: list[int] = []
        self.cached = 0
        self.in_ranges = in_ranges
        self.never_issued = 0  # numbers of ranges skipped: never issued
        self.gaps = gaps
        self.held: list[Outcome] = []  # range numbers no server has, until ``gaps`` tells
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
        self._settle_held()
        self.finish(total)
        return self.codes

    def _settle_held(self) -> None:
        """The range numbers no server had: never issued (counted) or missing (reported)."""
        if not self.held or self.gaps is None:
            return
        never = self.gaps([outcome.ref.number for outcome in self.held])
        for outcome in self.held:
            if outcome.ref.number in never:
                self.never_issued += 1
            else:
                self.take(outcome, settled=True)

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

    def take(self, outcome: Outcome, *, settled: bool = False) -> None:
        """Deliver one outcome (or report its error)."""
        if outcome.ref in self.in_ranges and isinstance(outcome.error, NeverIssuedError):
            self.never_issued += 1  # a gap of the range, as mirror sync skips it
            return
        if (
            not settled
            and self.gaps is not None
            and outcome.ref in self.in_ranges
            and outcome.ref.scheme == "rfc"
            and type(outcome.error) is NotFoundError
        ):
            self.held.append(outcome)  # never issued, or missing? the index tells, at the end
            return
        if outcome.error is not None:
            report.error(outcome.error.message, outcome.error.hint)
            self.codes.append(outcome.error.exit_code)
            return
        document = outcome.document
        assert document is not None
        try:
            piece = self.shaper(outcome) if self.shaper is not None else Piece(path=document.path)
        except DocfetchError as exc:
            report.error(exc.message, exc.hint)
            self.codes.append(exc.exit_code)
            return
        self.codes.append(EXIT_OK)
        self.cached += document.source == "cache"
        if piece.record is not None:
            self.records.append(piece.record)
        elif self.output_dir is not None:
            self._write(self.output_dir / f"{document.ref.stem}{piece.suffix}.{document.fmt}", [piece])
        elif self.output is None and not self.on_terminal:
            out = sys.stdout.buffer
            if piece.data is not None:
                out.write(piece.data)
                out.flush()
            else:
                from docfetch.cli.pager import copy_bytes

                assert piece.path is not None
                copy_bytes([piece.path], out)
        else:
            self.kept.append(piece)

    def _print_records(self) -> None:
        """``--json``: one object for one section, a list for several; to stdout or to ``-o``."""
        from docfetch.terminal import json_text

        if not self.records:
            return
        text = json_text(self.records[0] if len(self.records) == 1 and len(self.codes) == 1 else self.records) + "\n"
        if self.output is not None:
            if all(code == EXIT_OK for code in self.codes):
                self._write(self.output, [Piece(data=text.encode("utf-8"))])
            return
        sys.stdout.write(text)
        sys.stdout.flush()

    @staticmethod
    def _write(target: Path, pieces: list[Piece]) -> None:
        """Write ``pieces`` one after the other to ``target``, whole or not at all."""
        import shutil

        from docfetch.engine.staging import atomic_writer

        try:
            with atomic_writer(target) as out:
                for piece in pieces:
                    if piece.data is not None:
                        out.write(piece.data)
                        continue
                    assert piece.path is not None
                    with open(piece.path, "rb") as handle:
                        shutil.copyfileobj(handle, out, 1024 * 1024)
        except OSError as exc:
            raise LocalError(f"cannot write {target}: {exc.strerror or exc}") from None

    def finish(self, total: int) -> None:
        """Page the text, or write ``-o`` whole (only if every document arrived), then sum up."""
        if self.as_json:
            self._print_records()
        if self.on_terminal and self.kept:
            from docfetch.cli.pager import show_on_terminal

            show_on_terminal([piece.read() for piece in self.kept], use_pager=self.use_pager, notes=self.before_pager)
        elif self.output is not None:
            if any(code != EXIT_OK for code in self.codes):
                report.error(f"{self.output} not written: not every document could be fetched")
            elif self.kept:
                self._write(self.output, self.kept)
        ok = self.codes.count(EXIT_OK)
        failed = len(self.codes) - ok
        wanted = self.output_dir is not None or len(self.codes) > SUMMARY_FROM or (failed and total > 1)
        if (wanted or self.never_issued) and not self.quiet:
            where = f" to {self.output_dir}" if self.output_dir is not None else ""
            report.summary(
                f"{ok} of {len(self.codes)} documents written{where} ({self.cached} from the cache)"
                + (f", {failed} failed" if failed else "")
                + (f"; {self.never_issued} never issued, skipped" if self.never_issued else "")
            )
