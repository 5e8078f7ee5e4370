"""The build: source -> Book -> transforms -> writers -> dist, in that order only.

Everything is loaded, checked and rendered in memory first; only when every output
exists as bytes are they written, each atomically, with a SHA-256 checksum file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import pagemap
from .loader import load_book
from .model import Book
from .output import clean_stale_temps, write_atomic
from .transforms import apply_all
from .writers.epub import write_epub
from .writers.pdf import render_pdf

FORMATS = ("epub", "pdf")


@dataclass
class BuildResult:
    """What a build wrote, and what WeasyPrint warned about."""

    book: Book
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def prepare(source: str | Path, epoch: str | None = None) -> Book:
    """Load and transform: the Book every writer receives."""
    return apply_all(load_book(source, epoch))


def render(book: Book, formats: tuple[str, ...]) -> tuple[dict[str, bytes], list[str]]:
    """Every requested output as bytes, keyed by file name, plus renderer warnings."""
    outputs: dict[str, bytes] = {}
    warnings: list[str] = []
    page_map = None
    if "pdf" in formats:
        # The PDF first: where its pages begin becomes the EPUB's page-list.
        maps: list[pagemap.PageMap] = []
        source = f"print edition of “{book.meta.title}” ({book.slug}.pdf)"
        data, warnings = render_pdf(pagemap.numbered(book), on_document=lambda document:
                                    maps.append(pagemap.page_map(document, book, source)))
        outputs[f"{book.slug}.pdf"] = data
        page_map = maps[0] if maps else None
    if "epub" in formats:
        outputs[f"{book.slug}.epub"] = write_epub(book, page_map)
    return outputs, warnings


def checksums(outputs: dict[str, bytes]) -> bytes:
    """`sha256sum`-compatible lines for the outputs."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                   for name, data in sorted(outputs.items())).encode()


def build(source: str | Path, out_dir: str | Path, formats: tuple[str, ...] = FORMATS,
          epoch: str | None = None) -> BuildResult:
    book = prepare(source, epoch)
    outputs, warnings = render(book, formats)
    out = Path(out_dir)
    clean_stale_temps(out)
    result = BuildResult(book, warnings=warnings)
    for name, data in outputs.items():
        write_atomic(out / name, data)
        result.files.append(out / name)
    write_atomic(out / f"{book.slug}.sha256", checksums(outputs))
    result.files.append(out / f"{book.slug}.sha256")
    return result
