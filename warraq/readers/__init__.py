"""The readers: the only code that reads the source folder (see `book.read_book`).

`folder` (confinement, reading files, limits), `schema` and `values` (book.yaml and front
matter), `chapter` (a Markdown chapter and its context), `checks` (links, raw HTML,
ids, anchors, languages, structure), `images`, `volume` (a volume's articles: the book
folders of its library its contents names), and `book` (the whole folder).
"""

from .book import Read, build_date, load_book, read_book

__all__ = ["Read", "build_date", "load_book", "read_book"]
