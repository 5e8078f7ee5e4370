"""The writers: one module per output, each behind `writers.contract.Writer`.

`builtin()` lists the writers a build can select with `--format`. Adding an output is one
module with a writer object (and its templates), listed here; the pipeline knows no
format by name.
"""

from __future__ import annotations

from .contract import Writer


def builtin() -> tuple[Writer, ...]:
    """The built-in writers, in the order `--format` lists them by default."""
    from .epub import EpubWriter
    from .print_edition import PdfWriter
    return (EpubWriter(), PdfWriter())
