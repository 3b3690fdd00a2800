"""The fetch command's body: settings and options from the flags, the engine, delivery, notes."""

from __future__ import annotations

import sys
from pathlib import Path

from docfetch.errors import EXIT_OK, UsageError, worst_exit_code
from docfetch.reference import Target
from docfetch.store.layout import cache_root

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from docfetch.cli.shaping import Piece
    from docfetch.engine.fetcher import Fetcher, Outcome
    from docfetch.knowledge.errata import SectionErrata

#: Formats that are not text: never written to a terminal.
BINARY_FORMATS = frozenset({"pdf"})


def check_format(fmt: str | None) -> str | None:
    """The format in lower case, or UsageError when docfetch does not know it."""
    from docfetch.plugins.source import KNOWN_FORMATS

    if fmt is None:
        return None
    fmt = fmt.lower()
    if fmt not in KNOWN_FORMATS:
        raise UsageError(f"unknown format {fmt[:20]!r}", hint=f"known formats: {', '.join(KNOWN_FORMATS)}")
    return fmt


def refuse_binary_on_terminal(fmt: str | None, output: Path | None, output_dir: Path | None) -> None:
    """PDF bytes would wreck a terminal: ask for a file instead (as curl does). ``-o -`` insists."""
    if fmt in BINARY_FORMATS and output is None and output_dir is None and sys.stdout.isatty():
        raise UsageError(
            f"not writing {fmt} (binary) to the terminal",
            hint=f"use -o FILE to save it, or pipe it: docfetch -f {fmt} REF > FILE (-o - writes it here anyway)",
        )


def run_fetch(
    targets: list[Target],
    *,
    source: str | None = None,
    fmt: str | None = None,
    output: Path | None = None,
    output_dir: Path | None = None,
    jobs: int = 4,
    no_pager: bool = False,
    no_page_breaks: bool = False,
    as_json: bool = False,
    errata: bool = False,
    quiet: bool = False,
    offline: bool = False,
    refresh: bool = False,
    no_cache: bool = False,
    timeout: float | None = None,
    retries: int | None = None,
    max_size: str | None = None,
) -> int:
    """Fetch the documents and deliver them; return the exit code (raises DocfetchError)."""
    from docfetch.cli.delivery import Delivery
    from docfetch.config import apply_flags, load_settings
    from docfetch.engine.fetcher import Fetcher, FetchOptions
    from docfetch.knowledge.errata_notes import report_errata_notes
    from docfetch.knowledge.notes import noting, report_notes
    from docfetch.knowledge.prefetch import MetadataPrefetch

    if offline and refresh:
        raise UsageError("--offline and --refresh contradict each other")
    fmt = check_format(fmt)
    refuse_binary_on_terminal(fmt, output, output_dir)
    settings = apply_flags(load_settings(), timeout=timeout, retries=retries, max_size=max_size)
    options = FetchOptions(source, fmt, offline, refresh, not no_cache, quiet)
    section_errata = _section_errata(lambda: fetcher) if errata else None  # the run's fetcher, made below
    shaper = (
        _shaper(not no_page_breaks, as_json, None if no_cache else cache_root(), section_errata)
        if (no_page_breaks or any(target.section for target in targets))
        else None
    )
    delivery = Delivery(
        output=output, output_dir=output_dir, use_pager=not no_pager, quiet=quiet, shaper=shaper, as_json=as_json
    )
    refs = [target.ref for target in targets]
    fetched: list[int] = []  # RFCs that arrived, for the obsolescence notes
    with Fetcher(settings, options) as fetcher:
        metadata = MetadataPrefetch(settings, options, refs, beside=fetcher)
        try:
            codes = delivery.run(noting(fetcher.fetch_many(targets, jobs=jobs), fetched), total=len(targets))
        except KeyboardInterrupt:
            fetcher.cancel()
            metadata.cancel()
            raise
        except BrokenPipeError:  # the reader went away (| head): stop quietly, like cat
            fetcher.cancel()
            metadata.cancel()
            from docfetch.cli.pager import silence_stdout

            silence_stdout()
            return EXIT_OK
        if not quiet:
            metadata.wait()
        metadata.cancel()  # whatever has not arrived by now is dropped, leaving nothing half-written
    if section_errata is not None:
        section_errata.close()
    if not quiet:
        report_notes(fetched, build_missing=True)
        if not errata:  # with --errata they are shown
            report_errata_notes(fetched)
    return worst_exit_code(codes)


def _section_errata(fetcher: Callable[[], Fetcher]) -> SectionErrata:
    """``--errata``: the errata database, current with errata.json (fetched or revalidated once, when first
    needed, through the run's fetcher)."""
    from docfetch.knowledge.errata import SectionErrata, open_errata

    return SectionErrata(lambda: open_errata(fetcher()))


def _shaper(
    page_breaks: bool, as_json: bool, root: str | None, errata: SectionErrata | None = None
) -> Callable[[Outcome], Piece]:
    """Cut each fetched document as asked (its section, without page breaks, with its errata)."""
    from docfetch.cli.shaping import shape

    def cut(outcome: Outcome) -> Piece:
        document = outcome.document
        assert document is not None
        return shape(
            document.ref,
            document.fmt,
            document.path,
            outcome.section,
            page_breaks=page_breaks,
            as_json=as_json,
            root=root,
            errata=errata,
        )

    return cut
