"""The fetch command's body: settings and options from the flags, the engine, delivery, notes."""

from __future__ import annotations

import sys
from pathlib import Path

from docfetch.errors import EXIT_OK, UsageError, worst_exit_code
from docfetch.reference import RangeTarget, Target
from docfetch.store.layout import cache_root

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from docfetch.cli.shaping import Piece
    from docfetch.engine.fetcher import Fetcher, Outcome
    from docfetch.knowledge.errata import SectionErrata
    from docfetch.reference import Reference

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
    from docfetch.knowledge.prefetch import MetadataPrefetch, wanted

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
    refs = [target.ref for target in targets]
    fetched: list[int] = []  # RFCs that arrived, for the obsolescence notes
    with Fetcher(settings, options) as fetcher:
        noted = False

        def notes() -> None:
            """The notes on what was fetched: once, before a pager opens or else at the end."""
            nonlocal noted
            if noted or quiet:
                return
            noted = True
            metadata.cancel()  # never waited for: what has not arrived is dropped, leaving nothing half-written
            report_notes(fetched, build_missing=True)
            if not errata:  # with --errata they are shown
                report_errata_notes(fetched)

        delivery = Delivery(
            output=output,
            output_dir=output_dir,
            use_pager=not no_pager,
            quiet=quiet,
            shaper=shaper,
            as_json=as_json,
            before_pager=notes,
            in_ranges=frozenset(target.ref for target in targets if isinstance(target, RangeTarget)),
        )
        delivery.gaps = _gaps(fetcher) if delivery.in_ranges else None
        notes_from = wanted(options, refs)  # RFCs whose JSON is asked for beside, for their notes
        _open_ahead(fetcher, refs, jobs, notes_from)
        metadata = MetadataPrefetch(fetcher, notes_from)
        try:
            codes = delivery.run(noting(fetcher.fetch_many(targets, jobs=jobs), fetched), total=len(targets))
        except BrokenPipeError:  # the reader went away (| head): stop quietly, like cat
            fetcher.cancel()
            from docfetch.cli.pager import silence_stdout

            silence_stdout()
            return EXIT_OK
        except BaseException:  # Ctrl-C, SIGTERM, a full disk: nothing half-written stays behind
            fetcher.cancel()
            raise
        finally:
            metadata.cancel()  # never waited for: what has not arrived is dropped, leaving nothing half-written
            _close_ahead()
        notes()
    if section_errata is not None:
        section_errata.close()
    return worst_exit_code(codes)


def _open_ahead(fetcher: Fetcher, refs: list[Reference], jobs: int, metadata: list[int]) -> None:
    """Open the first connections and send the first GETs while the network stack is being imported.

    One for each of the first ``jobs`` documents, and one for the per-RFC JSON behind the notes
    (``metadata``; its answer is read by :mod:`docfetch.knowledge.prefetch`), each with its GET.
    """
    from docfetch.engine.ahead import first_urls
    from docfetch.net.preconnect import PRECONNECTOR
    from docfetch.reference import Reference

    urls = first_urls(fetcher, refs, limit=max(1, min(jobs, len(refs))))
    if urls and metadata:  # the JSON first: small, it has a chance to arrive before the document
        urls[:0] = first_urls(fetcher, [Reference("rfc", str(number)) for number in metadata[:1]], limit=1, fmt="json")
    memory = None if fetcher.options.refresh else fetcher.redirects  # --refresh: the URLs themselves
    if PRECONNECTOR.start(urls, timeout=fetcher.settings.timeout, memory=memory, early=len(urls)):
        PRECONNECTOR.wait_sent()  # importing the network stack then overlaps the round trips


def _gaps(fetcher: Fetcher) -> Callable[[list[int]], set[int]] | None:
    """With no local index: which RFC numbers of a range no server has were never issued.

    Asked once, at the end, only when a range met such numbers: the RFC index is downloaded
    then (and its database built, for the notes of later runs too), as ``mirror sync`` does.
    """
    from docfetch.knowledge.index import never_issued

    if fetcher.options.offline or not fetcher.options.use_cache or never_issued(str(fetcher.cache.root)):
        return None  # offline, or the local index answered already

    def gaps(numbers: list[int]) -> set[int]:
        from dataclasses import replace

        from docfetch.engine.fetcher import Fetcher
        from docfetch.errors import DocfetchError
        from docfetch.knowledge.index import open_index

        options = replace(fetcher.options, fmt=None, refresh=False)
        try:  # the run's fetcher is done (its downloads closed); another, on the same session
            with (
                Fetcher(fetcher.settings, options, host=fetcher.host, share_http_with=fetcher) as index_fetcher,
                open_index(index_fetcher) as db,
            ):
                return {number for number in numbers if db.not_issued(number)}
        except DocfetchError:
            return set()  # no index: they stay "not found"

    return gaps


def _close_ahead() -> None:
    """Close the connections opened ahead and not used (a library caller's process goes on)."""
    import sys

    preconnect = sys.modules.get("docfetch.net.preconnect")
    if preconnect is not None:
        preconnect.PRECONNECTOR.close()


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
