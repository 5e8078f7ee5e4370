"""The book.yaml schema's old import path: it lives in `warraq.readers.schema` (the key
tables and their machinery) and `warraq.readers.values` (how each value is checked)."""

from .readers.schema import (BOOK, CHAPTER_TYPES, FIELDS, FRONT_MATTER, Field, Schema,
                             parse_metadata, read_metadata)
from .readers.values import BCP47, LAYOUTS, MARC_RELATORS, PAPERS, isbn_valid

__all__ = ["BCP47", "BOOK", "CHAPTER_TYPES", "FIELDS", "FRONT_MATTER", "Field", "LAYOUTS",
           "MARC_RELATORS", "PAPERS", "Schema", "isbn_valid", "parse_metadata", "read_metadata"]
