"""Running work on several threads while handing results back in the order asked."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def ordered_map(
    items: list[Item],
    work: Callable[[Item], Result],
    *,
    jobs: int,
    stopped: threading.Event,
    on_error: Callable[[Item, Exception], Result],
) -> Iterator[Result]:
    """``work(item)`` for every item on ``jobs`` daemon threads; results yielded in the order of ``items``.

    Each result is yielded as soon as it and every one before it are done. Workers stop taking
    items once ``stopped`` is set. An exception from ``work`` becomes ``on_error(item, exc)``, unless
    ``stopped`` is set by then (the work was being torn down: a worker's files vanish under it).
    Daemon threads: a worker stuck on a stalled server never keeps the process alive after Ctrl-C.
    """
    results: list[Result | None] = [None] * len(items)
    ready = [threading.Event() for _ in items]
    queue: deque[int] = deque(range(len(items)))

    def worker() -> None:
        while not stopped.is_set():
            try:
                index = queue.popleft()
            except IndexError:
                return
            try:
                results[index] = work(items[index])
            except BaseException as exc:
                if stopped.is_set():
                    return
                if not isinstance(exc, Exception):
                    raise
                results[index] = on_error(items[index], exc)
            ready[index].set()

    for _ in range(max(1, min(jobs, len(items)))):
        threading.Thread(target=worker, daemon=True, name="docfetch-worker").start()
    for index in range(len(items)):
        while not ready[index].wait(0.2):
            if stopped.is_set():
                return
        result = results[index]
        assert result is not None
        yield result
