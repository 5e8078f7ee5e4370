"""What every PDF warraq writes (the interior and its cover wrap) shares: the document
context of templates/shared/pdf-head.html and templates/shared/print-fonts.css, and the
book's trim."""

from __future__ import annotations

from .. import __version__
from ..fonts import css_faces, font_stack
from ..transforms.glyphs import families_used
from ..model import Book
from .pagesetup import Trim, parse_trim
from .profiles import CMYK_ICC, Profile


def iso_stamp(when) -> str:
    """`0622-07-19T00:00:00Z`: the year always in four digits (strftime's %Y is not)."""
    return f"{when.year:04d}" + when.strftime("-%m-%dT%H:%M:%SZ")


def document_context(book: Book, profile: Profile) -> dict:
    """The document metadata (pdf-head.html) and the fonts and output intent
    (print-fonts.css) of a PDF of the book."""
    meta = book.meta
    return {
        "meta": meta,
        "authors": meta.authors,
        "keywords": ", ".join(meta.subjects + meta.keywords),
        "created": (meta.date.isoformat() if meta.date else book.build_date.date().isoformat()),
        "modified": iso_stamp(book.build_date),
        "generator": f"warraq {__version__}",
        "cmyk_icc": f"file://{CMYK_ICC}" if profile.output_intent else None,
        "css_faces": css_faces(meta.font_choice, set(families_used(book))),
        "font_stack": font_stack(meta.font_choice),
    }


def book_trim(book: Book) -> Trim:
    """The book's trim size (book.yaml `trim`, checked by the schema)."""
    trim = parse_trim(book.meta.trim)
    assert trim is not None, book.meta.trim
    return trim
