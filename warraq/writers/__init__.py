"""The writers: one module per output, each behind `writers.contract.Writer`.

`builtin()` lists the writers a build can select with `--format`. Adding an output is one
module with a writer object (and its templates), listed here; the pipeline knows no
format by name. Each is imported when a build first asks it for more than its name (a
`Deferred`): an EPUB-only build does not import the PDF writer, nor WeasyPrint with it.
"""

from __future__ import annotations

from typing import Callable

from .contract import RenderContext, Rendered, Writer


class Deferred:
    """A writer known by its name until a build selects it: its `needs` and `render`
    are the real writer's, which `load` makes (importing its module) the first time."""

    def __init__(self, name: str, load: Callable[[], Writer]):
        self.name, self._load, self._writer = name, load, None

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            writer = self._load()
            if writer.name != self.name:
                raise ValueError(f"the writer listed as {self.name!r} is {writer.name!r}")
            self._writer = writer
        return self._writer

    @property
    def needs(self) -> tuple[str, ...]:
        return self.writer.needs

    def render(self, context: RenderContext) -> Rendered:
        return self.writer.render(context)


def _epub() -> Writer:
    from .epub import EpubWriter
    return EpubWriter()


def _pdf() -> Writer:
    from ..pdf.writer import PdfWriter
    return PdfWriter()


def builtin() -> tuple[Writer, ...]:
    """The built-in writers, in the order `--format` lists them by default."""
    return (Deferred("epub", _epub), Deferred("pdf", _pdf))
