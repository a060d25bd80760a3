"""Share a large batch of independent work (reading claim files, rendering claim pages) among the machine's cores.

Worker processes are forked, so they start with everything this process has (the claims, the compiled templates)
and only the results travel back. Where forking is not safe (not Linux, or other threads running, as under
`mkdocs serve`), or the batch is small, the work runs here, in order, with the same result. FACTCHECK_WORKERS=1
in the environment keeps all work in one process (on a shared machine, say); a larger number sets how many.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.pool import Pool
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
MIN_ITEMS = 200  # below this, starting processes costs more than it saves
CHUNKS_PER_WORKER = 4  # several chunks each, so a worker slowed by other processes is not left with a big one
_work: tuple[Callable[[Sequence], list], Sequence] | None = None  # what the forked workers run


def workers() -> int:
    if chosen := os.environ.get("FACTCHECK_WORKERS"):
        return max(1, int(chosen))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_chunks(
    function: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    pack: Callable[[R], Any] | None = None,
    unpack: Callable[[Any], R] | None = None,
) -> list[R]:
    """`function(items)`, computed a chunk at a time in forked workers when that is worth it and safe. Between
    processes, each result travels as `pack(result)` and is rebuilt here by `unpack`, when those are given."""
    with Batch(function, items, pack, unpack) as batch:
        return batch.results()


class Batch(Generic[T, R]):
    """Like `map_chunks`, but started at once, so that this process can do other work before asking for the
    results: the work is under way in forked workers, or (when not worth it or not safe) done when asked for."""

    def __init__(
        self,
        function: Callable[[Sequence[T]], list[R]],
        items: Sequence[T],
        pack: Callable[[R], Any] | None = None,
        unpack: Callable[[Any], R] | None = None,
    ) -> None:
        global _work
        self.function, self.items, self.unpack = function, items, unpack
        self.pool: Pool | None = None
        self.chunks: Iterator[list[Any]] = iter(())
        count = workers()
        if len(items) < MIN_ITEMS or count < 2 or sys.platform != "linux" or threading.active_count() > 1:
            return
        assert _work is None, "one batch at a time"
        _work = (lambda chunk: [pack(r) for r in function(chunk)], items) if pack else (function, items)
        size = -(-len(items) // (count * CHUNKS_PER_WORKER))
        bounds = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
        gc.freeze()  # the workers' garbage collector would otherwise touch, and so copy, every object they inherit
        self.pool = multiprocessing.get_context("fork").Pool(count)
        self.chunks = self.pool.imap(_run, bounds)

    def results(self) -> list[R]:
        if self.pool is None:
            return self.function(self.items)
        unpack = self.unpack
        return [unpack(result) if unpack else result for chunk in self.chunks for result in chunk]

    def __enter__(self) -> Batch[T, R]:
        return self

    def __exit__(self, *_: object) -> None:
        global _work
        if self.pool is not None:
            self.pool.terminate()  # finished by now, unless this process failed meanwhile
            self.pool.join()
            self.pool = None
            _work = None
            gc.unfreeze()


def _run(bounds: tuple[int, int]) -> list:
    assert _work is not None
    function, items = _work
    return function(items[bounds[0] : bounds[1]])
