"""One ``docfetch mirror sync``: choose the source, fetch the index, plan, sync, summarise.

Usable as a library too::

    from docfetch import load_settings
    from docfetch_mirror.plan import parse_range
    from docfetch_mirror.runner import sync_mirror

    result = sync_mirror(load_settings(), Path("~/rfcs").expanduser(), parse_range("1-100"), ("txt",))
    print(result.summary.line())
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from docfetch import RFC_INDEX, FetchError, NotFoundError, RefusedContentError, UsageError
from docfetch_mirror.plan import RfcRange, make_plan
from docfetch_mirror.sync import LOCK_NAME, Reporter, Summary, Syncer, remove_stale_parts

#: Where ``sync`` downloads from without ``--source``: the RFC Editor itself (no redirect per
#: file), else the built-in ``ietf`` source. ``[defaults] rfc`` is not used on purpose: it often
#: names the mirror being built.
DEFAULT_SOURCES = ("rfc-editor", "ietf")


@dataclass
class SyncResult:
    """What a sync did: the counts, the source used, whether ``rfc-index.xml`` was (re)written."""

    summary: Summary
    source: str
    index_updated: bool


def default_source_name(fetcher: Any) -> str:
    """The first of :data:`DEFAULT_SOURCES` that is installed and not switched off."""
    for name in DEFAULT_SOURCES:
        if fetcher.has_source(name):
            return name
    return DEFAULT_SOURCES[-1]


def prepare_directory(directory: Path) -> Path:
    """Create the mirror directory if needed; UsageError when that is impossible."""
    directory = directory.expanduser()
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} exists and is not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {directory}: {exc.strerror or exc}") from None
    return directory


@contextmanager
def directory_lock(directory: Path) -> Iterator[None]:
    """One sync per directory at a time (``.docfetch-sync.lock``); FetchError when busy."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(directory / LOCK_NAME), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise FetchError(f"another docfetch mirror sync is running in {directory}") from None
    except OSError as exc:
        raise UsageError(f"cannot write in {directory}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


def sync_mirror(
    settings: Any,
    directory: Path,
    wanted: RfcRange,
    formats: Sequence[str],
    *,
    source_name: str | None = None,
    jobs: int = 4,
    quiet: bool = False,
    reporter: Reporter | None = None,
) -> SyncResult:
    """Bring ``directory`` up to date with the source for RFCs in ``wanted`` and ``formats``.

    Raises a DocfetchError when nothing could be synced: UsageError (source, directory),
    NotFoundError (no index at the source, or nothing in the range), FetchError (index not
    fetched, directory busy), RefusedContentError (the index is not XML). Per-file failures do
    not raise: they are counted in the summary and shown through ``reporter``.
    """
    from docfetch import Fetcher, FetchOptions

    directory = prepare_directory(directory)
    with Fetcher(settings, FetchOptions(quiet=quiet)) as probe:
        name = source_name or default_source_name(probe)
    # refresh: the index is revalidated (a conditional GET) on every sync, not served for a day.
    options = FetchOptions(source=name, refresh=True, quiet=quiet)
    with Fetcher(settings, options) as fetcher:
        source = fetcher.open_source(name, "rfc", tuple(formats))
        with directory_lock(directory):
            remove_stale_parts(directory)
            index = fetcher.fetch(RFC_INDEX, "xml", scheme="rfc")
            try:
                plan = make_plan(index.path, wanted, formats)
            except ParseError as exc:
                raise RefusedContentError(f"the RFC index from {name} is not valid XML ({exc})") from None
            syncer = Syncer(fetcher, source, directory, jobs=jobs, reporter=reporter)
            index_updated = syncer.install_index(index.path)
            if not plan.tasks:
                what = "no issued RFC" if not plan.issued else f"no RFC in {', '.join(formats)}"
                raise NotFoundError(f"nothing to sync: the RFC index lists {what} in the range {wanted}")
            if reporter is not None:
                reporter.start(len(plan.tasks))
            try:
                summary = syncer.run(plan.tasks)
            finally:
                if reporter is not None:
                    reporter.stop()
    return SyncResult(summary, name, index_updated)
