"""Building or refreshing a mirror directory: download what is missing or changed, whole.

:class:`Syncer` fetches the files of a :class:`~docfetch_mirror.plan.Plan` into one directory
with a few threads sharing docfetch's HTTP session (``Fetcher.transfer``: proxies, CA bundles,
retries, forced gzip and the size cap are the core's). Each file is downloaded to a hidden
``.NAME.XXXX.part`` beside its destination, validated, then renamed into place: a reader never
sees a partial file. On Ctrl-C the main thread removes every file in progress and stops the
workers from renaming anything, so what is left is whole, and a new sync fetches the rest.

Published RFC texts, PDFs and XML never change: present means up to date, no request made.
JSON and HTML renderings may change: they are asked for again with the ETag kept in
:mod:`~docfetch_mirror.state` (a 304 costs no body) and replaced only when their bytes differ.
"""

from __future__ import annotations

import filecmp
import queue
import re
import shutil
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from docfetch import (
    Cancelled,
    DocfetchError,
    FetchError,
    Location,
    NotFoundError,
    Reference,
    RefusedContentError,
    Source,
    StagingArea,
    check_body,
    is_immutable,
)
from docfetch_mirror.plan import Task
from docfetch_mirror.source import INDEX_NAME
from docfetch_mirror.state import STATE_NAME, SyncState

LOCK_NAME = ".docfetch-sync.lock"
#: Temporary files this plugin (or docfetch.engine.staging) leaves behind only when killed outright.
_STALE_PART = re.compile(r"\.(?:rfc[0-9]+\.[a-z]+|rfc-index\.xml|\.docfetch-sync\.json)\.[A-Za-z0-9_]{1,32}\.part")

NEW, CHANGED, CURRENT, FAILED = "new", "changed", "current", "failed"


@dataclass
class Outcome:
    """What became of one file: ``new``, ``changed``, ``current`` (up to date) or ``failed``."""

    task: Task
    status: str
    error: DocfetchError | None = None


@dataclass
class Summary:
    """Counts for the closing line; ``interrupted`` when Ctrl-C stopped the sync."""

    total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {NEW: 0, CHANGED: 0, CURRENT: 0, FAILED: 0})
    interrupted: bool = False

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    @property
    def failed(self) -> int:
        return self.counts[FAILED]

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1

    def line(self) -> str:
        """``synced N new, M up to date, K failed`` (N counts every file written, changed ones too)."""
        written = self.counts[NEW] + self.counts[CHANGED]
        return f"synced {written} new, {self.counts[CURRENT]} up to date, {self.failed} failed"


class Reporter(Protocol):
    """Where progress and failures go; called from the main thread only."""

    def start(self, total: int) -> None:
        """The sync of ``total`` files begins."""

    def advance(self, outcome: Outcome) -> None:
        """One file is done (a failure is to be shown, see :func:`failure_line`)."""

    def stop(self) -> None:
        """The sync ended (or was interrupted)."""


def failure_line(outcome: Outcome) -> str:
    """The one line telling the user a file could not be synced."""
    task = outcome.task
    message = outcome.error.message if outcome.error is not None else "unknown error"
    return f"docfetch: error: RFC {task.number} ({task.fmt}) not synced: {message}"


class _Sink:
    """A file for ``HttpClient.download`` that stops the transfer once the sync is cancelled."""

    def __init__(self, handle: BinaryIO, area: StagingArea) -> None:
        self._handle = handle
        self._area = area

    def write(self, data: bytes) -> int:
        if self._area.cancelled:
            raise Cancelled
        return self._handle.write(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._handle.seek(offset, whence)

    def truncate(self, size: int | None = None) -> int:
        return self._handle.truncate(size)

    def flush(self) -> None:
        self._handle.flush()


def remove_stale_parts(directory: Path) -> int:
    """Delete temporary files a killed sync left in ``directory``; returns how many."""
    removed = 0
    for path in directory.iterdir():
        if _STALE_PART.fullmatch(path.name) and path.is_file():
            with suppress(OSError):
                path.unlink()
                removed += 1
    return removed


class Syncer:
    """Downloads plan tasks into ``directory`` from ``source``, ``jobs`` at a time.

    ``fetcher`` is a :class:`docfetch.Fetcher`; only its public ``transfer`` is used, so every
    download goes through the run's one HTTP session. Files are staged in a
    :class:`docfetch.StagingArea`: whole or not at all, and all removed on :meth:`cancel`.
    """

    def __init__(
        self,
        fetcher: Any,
        source: Source,
        directory: Path,
        *,
        jobs: int = 4,
        reporter: Reporter | None = None,
        state: SyncState | None = None,
    ) -> None:
        self.fetcher = fetcher
        self.source = source
        self.directory = directory
        self.jobs = max(1, jobs)
        self.reporter = reporter
        self.state = state or SyncState(directory / STATE_NAME)
        self.area = StagingArea()

    def cancel(self) -> None:
        """Stop: remove every file in progress; no worker renames anything after this."""
        self.area.cancel()

    # -- the index ------------------------------------------------------------------------------

    def install_index(self, index: Path) -> bool:
        """Copy the RFC index into the mirror (``rfc-index.xml``) unless it is already there."""
        dest = self.directory / INDEX_NAME
        if dest.is_file() and filecmp.cmp(index, dest, shallow=False):
            return False
        try:
            with self.area.file(self.directory, dest.name) as staged, open(index, "rb") as src:
                shutil.copyfileobj(src, staged.handle, 1024 * 1024)
                self.area.commit(staged, dest)
        except OSError as exc:
            raise FetchError(f"cannot write {dest}: {exc.strerror or exc}") from None
        return True

    # -- one file -------------------------------------------------------------------------------

    def _locations(self, task: Task, dest: Path) -> list[Location]:
        """Where the source says the file is, minus the destination itself (a mirror of DIR)."""
        ref = Reference("rfc", str(task.number))
        try:
            found = list(self.source.locate(ref, task.fmt) or ())
        except DocfetchError:
            raise
        except Exception as exc:
            raise FetchError(f"source {self.source.name!r} raised {type(exc).__name__}: {exc}") from None
        return [location for location in found if not _same_file(location, dest)]

    def sync_one(self, task: Task) -> Outcome:
        """Make ``DIR/rfc{n}.{fmt}`` present and current; never raises a DocfetchError."""
        dest = self.directory / task.name
        immutable = is_immutable(Reference("rfc", str(task.number)), task.fmt)
        present = dest.is_file() and dest.stat().st_size > 0
        if present and immutable:
            return Outcome(task, CURRENT)
        etag = self.state.etag(task.name) if present and not immutable else None
        try:
            locations = self._locations(task, dest)
        except DocfetchError as exc:
            return Outcome(task, FAILED, exc)
        failures: list[DocfetchError] = []
        misses: list[NotFoundError] = []
        for location in locations:
            try:
                return self._download(task, dest, location, etag, present, immutable)
            except NotFoundError as exc:
                misses.append(exc)
            except (FetchError, RefusedContentError) as exc:
                failures.append(exc)
            except OSError as exc:  # writing the mirror failed: another location will not help
                return Outcome(task, FAILED, FetchError(f"cannot write {dest}: {exc.strerror or exc}"))
        if failures:
            return Outcome(task, FAILED, max(failures, key=lambda error: error.exit_code))
        if misses:
            return Outcome(task, FAILED, misses[0])
        return Outcome(task, FAILED, NotFoundError(f"source {self.source.name!r} has no location for it"))

    def _download(
        self, task: Task, dest: Path, location: Location, etag: str | None, present: bool, immutable: bool
    ) -> Outcome:
        with self.area.file(self.directory, dest.name) as staged:
            result = self.fetcher.transfer(location, _Sink(staged.handle, self.area), etag=etag)
            staged.handle.flush()
            if result is not None and result.not_modified:
                return Outcome(task, CURRENT)
            check_body(staged.path, task.fmt, str(result.url if result is not None else location))
            new_etag = result.etag if result is not None else None
            if present and filecmp.cmp(staged.path, dest, shallow=False):
                status = CURRENT
            else:
                self.area.commit(staged, dest)
                status = CHANGED if present else NEW
        if not immutable:
            self.state.remember(task.name, new_etag)
        return Outcome(task, status)

    # -- many files -----------------------------------------------------------------------------

    def _work(self, pending: queue.SimpleQueue[Task], results: queue.SimpleQueue[Outcome]) -> None:
        while not self.area.cancelled:
            try:
                task = pending.get_nowait()
            except queue.Empty:
                return
            try:
                outcome = self.sync_one(task)
            except Cancelled:
                return
            except Exception as exc:  # a bug must cost one file, not the sync
                outcome = Outcome(task, FAILED, FetchError(f"{type(exc).__name__}: {exc}"))
            results.put(outcome)

    def run(self, tasks: list[Task]) -> Summary:
        """Sync every task; on Ctrl-C return early with ``interrupted`` set (nothing partial left)."""
        summary = Summary(total=len(tasks))
        pending: queue.SimpleQueue[Task] = queue.SimpleQueue()
        results: queue.SimpleQueue[Outcome] = queue.SimpleQueue()
        for task in tasks:
            pending.put(task)
        report: Callable[[Outcome], None] = self.reporter.advance if self.reporter else lambda _outcome: None
        try:
            # Daemon threads: a worker stuck on a stalled server must not keep the process alive
            # after Ctrl-C (a ThreadPoolExecutor would be joined at exit).
            workers = [
                threading.Thread(target=self._work, args=(pending, results), name=f"docfetch-sync-{i}", daemon=True)
                for i in range(min(self.jobs, len(tasks)))
            ]
            for worker in workers:
                worker.start()
            while summary.done < len(tasks):
                try:
                    outcome = results.get(timeout=0.1)
                except queue.Empty:
                    if not any(worker.is_alive() for worker in workers) and results.empty():
                        break
                    continue
                summary.add(outcome)
                report(outcome)
        except KeyboardInterrupt:
            self.cancel()
            summary.interrupted = True
        except BaseException:
            self.cancel()
            raise
        finally:
            self.state.save()
        return summary


def _same_file(location: Location, dest: Path) -> bool:
    """True when a local location is ``dest`` itself (syncing a mirror from its own directory)."""
    text = str(location)
    if text.startswith(("http://", "https://")):
        return False
    path = Path(text[len("file://") :] if text.startswith("file://") else text).expanduser()
    try:
        return path.resolve() == dest.resolve()
    except OSError:
        return False
