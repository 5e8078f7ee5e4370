"""Print profiles made in worker processes (`warraq.background`), for the cores a build
may use: each worker makes one group of profiles the way a one-process build makes them
(`render_group`, given by the writer), the first group's worker also sends the page
map as soon as its first profile is laid out, and what WeasyPrint logs in a worker is
logged again here (so whoever watches WeasyPrint's logger sees it, as in one process).
"""

from __future__ import annotations

import logging
from typing import Callable

from ..background import Background
from ..model import Book
from ..writers.contract import Progress, Rendered
from .pagemap import PageMap
from .profiles import Profile

#: `render_group(book, profiles, progress, on_map) -> [Rendered per profile]`
RenderGroup = Callable[..., list[Rendered]]


class _Forward(logging.Handler):
    """In a worker: WeasyPrint's records go up to the parent."""

    def __init__(self, send):
        super().__init__(logging.WARNING)
        self.send = send

    def emit(self, record: logging.LogRecord) -> None:
        self.send("log", (record.levelno, record.getMessage()))


def _work(send, render_group: RenderGroup, book: Book, profiles: tuple[Profile, ...],
          wants_map: bool) -> list[Rendered]:
    """A worker process. The handler goes on the worker's own logger, which ends with it."""
    logging.getLogger("weasyprint").addHandler(_Forward(send))
    return render_group(book, profiles, lambda stage, detail: send("progress", (
        stage, detail)), (lambda page_map: send("page-map", page_map)) if wants_map else None)


class Workers:
    """One worker per group; `page_map()` waits for the first group's map, `results()`
    for every profile's result, in the groups' order. `cancel()` ends them all."""

    def __init__(self, render_group: RenderGroup, book: Book,
                 groups: list[tuple[Profile, ...]], progress: Progress, wants_map: bool,
                 warm=None):
        self.progress = progress
        # a worker mends its chapters in processes of its own (`warraq.pdf.mending`); the
        # first is the warm process, if there is one (`warraq.background.Warm`)
        self.workers = [Background(_work, render_group, book, group, wants_map and not i,
                                   parents=True, warm=None if i else warm)
                        for i, group in enumerate(groups)]
        self.done: dict[int, list[Rendered]] = {}
        self.map: list[PageMap | None] = []         # [the page map], once it came

    def _next(self, index: int) -> None:
        """Take the worker's next message: a log record or progress is passed on, the
        page map or the result kept."""
        kind, value = self.workers[index].receive()
        if kind == "log":
            logging.getLogger("weasyprint").log(value[0], "%s", value[1])
        elif kind == "progress":
            self.progress(*value)
        elif kind == "page-map":
            self.map.append(value)
        elif kind == "done":
            self.done[index] = value
            if not self.map and index == 0:
                self.map.append(None)      # nothing was laid out: never hang

    def page_map(self) -> PageMap | None:
        try:
            while not self.map:
                self._next(0)
        except BaseException:
            self.cancel()
            raise
        return self.map[0]

    def results(self) -> list[Rendered]:
        try:
            for index in range(len(self.workers)):
                while index not in self.done:
                    self._next(index)
        except BaseException:
            self.cancel()
            raise
        return [result for index in range(len(self.workers)) for result in self.done[index]]

    def cancel(self) -> None:
        for worker in self.workers:
            worker.stop()
