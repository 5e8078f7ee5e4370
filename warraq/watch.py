"""`--watch`: rebuild whenever the book's source or warraq's templates change.

`watch` starts watching (with `watchfiles`, which uses inotify and batches a burst of
writes into one set of changes), then runs one build, and rebuilds once per batch of
changes; a change made while a build runs (the first one included) is kept for the next
batch, never lost. A build that fails prints its errors like any build and the watch
goes on; the next change that fixes the source rebuilds. Changes to the output folder,
the build cache (`.warraq-cache/`), temporary files and editor swap files are ignored,
so a build never triggers itself.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Iterable

import watchfiles

from .cache import FOLDER as CACHE_FOLDER

#: File names an editor or warraq itself writes beside the real ones.
_IGNORED_PREFIXES = (".warraq-tmp-", ".#", "#")
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp")


class _Filter(watchfiles.DefaultFilter):
    """watchfiles' default filter (VCS folders, caches) less warraq's own outputs."""

    def __init__(self, out_dir: Path | None):
        super().__init__()
        self.out_dir = out_dir.resolve() if out_dir else None

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        name = Path(path).name
        if name.startswith(_IGNORED_PREFIXES) or name.endswith(_IGNORED_SUFFIXES):
            return False
        if self.out_dir and Path(path).resolve().is_relative_to(self.out_dir):
            return False
        if CACHE_FOLDER in Path(path).parts:
            return False
        return super().__call__(change, path)


def watch(paths: Iterable[Path], rebuild: Callable[[], int], *, out_dir: Path | None = None,
          stop: threading.Event | None = None, on_change: Callable[[set], None] | None = None,
          debounce_ms: int = 300) -> int:
    """Build, then rebuild on every batch of changes under `paths` until `stop` is set
    (or Ctrl-C). Returns the status of the last build. `rebuild()` returns an exit
    status and prints its own errors; `on_change` hears each batch first."""
    folders = [Path(p) for p in paths if Path(p).exists()]
    status: int | None = None
    try:
        # The watcher runs from its first (empty, timed-out) batch on: the first build
        # is made then, so that an edit saved while it runs, or just after, is seen.
        for changes in watchfiles.watch(*folders, watch_filter=_Filter(out_dir),
                                        debounce=debounce_ms, stop_event=stop,
                                        raise_interrupt=False, rust_timeout=200,
                                        yield_on_timeout=True):
            if status is None:
                status = rebuild()
                continue
            if not changes:
                continue
            if on_change:
                on_change(changes)
            status = rebuild()
    except KeyboardInterrupt:       # pragma: no cover  (a person stops the watch)
        pass
    return 0 if status is None else status
