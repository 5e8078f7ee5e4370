"""The build: source -> Book -> transforms -> writers -> dist, in that order only.

Everything is loaded, checked and rendered in memory first; only when every output
exists as bytes are they written (`output.publish`: checked, atomic, one build at a time),
with a SHA-256 checksum file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import pagemap
from .fetcher import RefusedURL, refused_error
from .loader import load_book
from .model import Book
from .output import checksums, publish
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
        try:
            data, warnings = render_pdf(pagemap.numbered(book), on_document=lambda document:
                                        maps.append(pagemap.page_map(document, book, source)))
        except RefusedURL as refused:      # WeasyPrint asked for a URL outside the book
            raise refused_error(refused) from None
        outputs[f"{book.slug}.pdf"] = data
        page_map = maps[0] if maps else None
    if "epub" in formats:
        outputs[f"{book.slug}.epub"] = write_epub(book, page_map)
    return outputs, warnings


__all__ = ["FORMATS", "BuildResult", "build", "checksums", "prepare", "render"]


def build(source: str | Path, out_dir: str | Path, formats: tuple[str, ...] = FORMATS,
          epoch: str | None = None) -> BuildResult:
    book = prepare(source, epoch)
    outputs, warnings = render(book, formats)
    result = BuildResult(book, warnings=warnings)
    result.files = publish(Path(out_dir), outputs, f"{book.slug}.sha256")
    return result
