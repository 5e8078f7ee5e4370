"""warraq: one structured source (YAML + Markdown) becomes an EPUB 3 and a print-ready PDF.

The data flows one way: `loader` (source -> `model.Book`), `transforms` (Book -> Book),
then the writers in `writers/` (Book -> bytes), and `pipeline` writes them atomically.
"""

__version__ = "0.1.0"
