"""Running the per-book tasks: on a local process pool, or on a Dask cluster.

Both run the same top-level `task.build_book` on the same picklable `BookTask`s and give
back `Outcome`s in the order the tasks were given, calling `on_done(outcome)` as each
one finishes (for progress lines). Locally the pool has one process per core (or
`jobs`); one task, or `jobs=1`, runs in this process. With a scheduler address the tasks
go to that Dask `distributed` cluster, whose workers must see the library and DIST at the
same paths (shared storage) and have warraq installed; no scheduler of our own is run.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable, Sequence

from ..background import cores
from ..errors import source_error
from .task import BookTask, Outcome, build_book

OnDone = Callable[[Outcome], None]


def _fault(task: BookTask, exc: BaseException) -> Outcome:
    text = " ".join(str(exc).split())[:300]
    return Outcome(task.slug, task.inputs, internal=True,
                   errors=(f"{task.slug}: internal error: {type(exc).__name__}: {text}",))


def run_local(tasks: Sequence[BookTask], jobs: int | None = None,
              on_done: OnDone = lambda o: None) -> list[Outcome]:
    """Every task on a pool of `jobs` processes (default: one per core)."""
    workers = max(1, min(jobs or cores(), len(tasks)))
    results: dict[int, Outcome] = {}
    if workers == 1:
        for i, task in enumerate(tasks):
            results[i] = build_book(task)
            on_done(results[i])
        return [results[i] for i in range(len(tasks))]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(build_book, task): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died: that book failed
                results[i] = _fault(tasks[i], exc)
            on_done(results[i])
    return [results[i] for i in range(len(tasks))]


def run_dask(tasks: Sequence[BookTask], address: str,
             on_done: OnDone = lambda o: None, timeout: str = "15s") -> list[Outcome]:
    """Every task on the Dask cluster whose scheduler is at `address` (tcp://HOST:PORT)."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise source_error("--scheduler", None, "W607", "running on a Dask cluster needs "
                           "the `distributed` package: pip install 'warraq[cluster]'") from None
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise source_error("--scheduler", None, "W607", f"cannot reach the Dask scheduler "
                           f"at {address} ({type(exc).__name__}): start one with "
                           "`dask scheduler` and its workers with `dask worker "
                           "tcp://HOST:8786`, then pass that address") from None
    results: dict[int, Outcome] = {}
    try:
        keys = [f"warraq-book-{task.slug}-{task.inputs[:16]}" for task in tasks]
        futures = client.map(build_book, list(tasks), key=keys, pure=False)
        index = {future.key: i for i, future in enumerate(futures)}
        for future in dask_completed(futures, loop=client.loop):
            i = index[future.key]
            try:
                results[i] = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker: that book failed
                results[i] = _fault(tasks[i], exc)
            on_done(results[i])
    finally:
        client.close()
    return [results[i] for i in range(len(tasks))]
