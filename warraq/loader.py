"""The loader's old import path: reading the source folder lives in `warraq.readers`."""

from .readers.book import build_date, load_book, read_book
from .readers.chapter import MAX_NESTING, MAX_PARAGRAPH_CHARS
from .readers.checks import MAX_DEPTH
from .readers.folder import MAX_FILE_BYTES
from .readers.images import IMAGE_TYPES, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS

__all__ = ["IMAGE_TYPES", "MAX_DEPTH", "MAX_FILE_BYTES", "MAX_IMAGE_BYTES", "MAX_IMAGE_PIXELS",
           "MAX_NESTING", "MAX_PARAGRAPH_CHARS", "build_date", "load_book", "read_book"]
