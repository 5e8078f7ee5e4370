"""The one place warraq calls WeasyPrint: HTML + CSS -> laid-out `Document` -> PDF bytes.

Every call goes through `lay_out` and `write` (or `to_pdf`, both at once), with a
`warraq.pdf.fetcher.Fetcher`, and collects what WeasyPrint logs at WARNING or above (one
collector, `collected`), so the build can report it. Used by the book interior
(`warraq.pdf.book`), the cover wrap (`warraq.pdf.coverwrap`) and the generated front
cover (`warraq.cover`).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Callable, Iterator

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from .fetcher import Fetcher

#: The virtual folder the documents live in (`Fetcher` serves the book's resources there).
BASE_URL = "file:///warraq-book/"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def collected() -> Iterator[list[str]]:
    """The messages WeasyPrint logs (WARNING and above) while the block runs."""
    collect = _Collect()
    wlog = logging.getLogger("weasyprint")
    wlog.addHandler(collect)
    try:
        yield collect.messages
    finally:
        wlog.removeHandler(collect)


def lay_out(html: str, css: str, fetcher: Fetcher, base_url: str = BASE_URL
            ) -> tuple[Document, list[str]]:
    """The laid-out document (pages, boxes) and WeasyPrint's messages."""
    with collected() as messages:
        fonts = FontConfiguration()
        profiles: dict = {}
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=[CSS(string=css, base_url=base_url, url_fetcher=fetcher,
                             font_config=fonts, color_profiles=profiles)],
            font_config=fonts, color_profiles=profiles)
    return document, messages


def write(document: Document, finisher: Callable | None = None, **options
          ) -> tuple[bytes, list[str]]:
    """The document's PDF bytes (compressed; `options` are WeasyPrint's, such as
    `pdf_variant`) and WeasyPrint's messages. `finisher(document, pdf)` edits the pydyf
    PDF before it is serialised."""
    with collected() as messages:
        data = document.write_pdf(finisher=finisher, uncompressed_pdf=False, **options)
    return data, messages


def to_pdf(html: str, css: str, fetcher: Fetcher, base_url: str = BASE_URL,
           finisher: Callable | None = None, **options) -> tuple[bytes, list[str]]:
    """`lay_out` then `write`: the PDF bytes and every message of both."""
    document, laid = lay_out(html, css, fetcher, base_url)
    data, written = write(document, finisher, **options)
    return data, laid + written
