"""Book -> Book transforms, run in this order before any writer (never in templates).

Each transform takes the immutable `Book` and returns a new one. To add one, write a
module here with a function `transform(book) -> Book` and list it in `TRANSFORMS`.
"""

from __future__ import annotations

from typing import Callable

from ..model import Book
from . import blocks, conventions, dates, direction, glyphs, language, quotations

#: The transforms, in the order they run.
TRANSFORMS: tuple[tuple[str, Callable[[Book], Book]], ...] = (
    ("dates", dates.transform),
    ("conventions", conventions.transform),
    ("quotations", quotations.transform),
    ("language", language.transform),
    ("direction", direction.transform),
    ("blocks", blocks.transform),
    ("verse references", conventions.references),
    # last: checks that every character the outputs will show has a glyph
    ("glyphs", glyphs.transform),
)


def apply_all(book: Book) -> Book:
    """Run every transform of `TRANSFORMS` in order."""
    for _name, transform in TRANSFORMS:
        book = transform(book)
    return book
