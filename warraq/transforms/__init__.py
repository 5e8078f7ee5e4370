"""Book -> Book transforms, run in this order before any writer (never in templates).

Each transform takes the immutable `Book` and returns a new one. To add one, write a
module here with a function `transform(book) -> Book` and list it in `TRANSFORMS`.
A volume's articles each go through `ARTICLE_TRANSFORMS` with their own metadata
(`volume`), then the volume as a whole through the rest.
"""

from __future__ import annotations

from functools import partial
from typing import Callable

from ..model import Book
from . import (blocks, conventions, dates, direction, glyphs, language, quotations,
               verse_index, volume)

#: The transforms every book, and each article of a volume, goes through.
ARTICLE_TRANSFORMS: tuple[tuple[str, Callable[[Book], Book]], ...] = (
    ("dates", dates.transform),
    ("conventions", conventions.transform),
    ("quotations", quotations.transform),
    ("language", language.transform),
    ("direction", direction.transform),
    ("blocks", blocks.transform),
    ("verse references", conventions.references),
)

#: The transforms, in the order they run.
TRANSFORMS: tuple[tuple[str, Callable[[Book], Book]], ...] = ARTICLE_TRANSFORMS + (
    ("volume", partial(volume.transform, steps=ARTICLE_TRANSFORMS)),
    ("verse index", verse_index.transform),
    # last: checks that every character the outputs will show has a glyph
    ("glyphs", glyphs.transform),
)


def apply_all(book: Book) -> Book:
    """Run every transform of `TRANSFORMS` in order."""
    for _name, transform in TRANSFORMS:
        book = transform(book)
    return book
