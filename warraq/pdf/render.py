"""The one place warraq calls WeasyPrint: HTML + CSS -> laid-out `Document` -> PDF bytes.

Every call goes through `lay_out` (or `galley` and `relay`: a layout that can be mended
in place, `warraq.pdf.relayout`, for the book interior) and `write` (or `to_pdf`, both
at once), with a `warraq.pdf.fetcher.Fetcher`, and collects what WeasyPrint logs at
WARNING or above, so the build can report it: one collector, installed once on
WeasyPrint's logger and fed through a context variable (`collected`), so rendering
changes no global state. Used by
the book interior (`warraq.pdf.book`), the cover wrap (`warraq.pdf.coverwrap`) and the
generated front cover (`warraq.cover`).
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator

from . import weasyload  # noqa: F401  (first: WeasyPrint's libraries)
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from .fetcher import Fetcher
from .relayout import Galley

#: The virtual folder the documents live in (`Fetcher` serves the book's resources there).
BASE_URL = "file:///warraq-book/"


#: Where the messages of the current `collected()` block go (per thread and context).
_SINK: ContextVar[list[str] | None] = ContextVar("warraq_weasyprint_messages", default=None)
#: Who is told of each page laid out in the current `pages_reported()` block.
_PAGES: ContextVar[Callable[[int], None] | None] = ContextVar("warraq_weasyprint_pages",
                                                              default=None)


class _Collect(logging.Handler):
    """Hands WeasyPrint's records to the `collected()` block that is running, if any."""

    def emit(self, record: logging.LogRecord) -> None:
        sink = _SINK.get()
        if sink is not None:
            sink.append(record.getMessage())


class _Pages(logging.Handler):
    """Hands the page numbers of WeasyPrint's "Creating layout - Page N" records to the
    `pages_reported()` block that is running, if any."""

    def emit(self, record: logging.LogRecord) -> None:
        told = _PAGES.get()
        if told is not None and "layout" in str(record.msg) and record.args:
            page = record.args[0] if isinstance(record.args, tuple) else None
            if isinstance(page, int):
                told(page)


# Installed once, when this module is imported: a build changes no logger, only its own
# context variables, so builds in parallel threads each get their own messages. The
# progress logger is WeasyPrint's own step log (INFO); it is kept from propagating so
# that its records reach no handler of the application's but ours.
logging.getLogger("weasyprint").addHandler(_Collect(logging.WARNING))
_PROGRESS = logging.getLogger("weasyprint.progress")
_PROGRESS.addHandler(_Pages(logging.INFO))
_PROGRESS.setLevel(logging.INFO)
_PROGRESS.propagate = False


def keep_own_log() -> None:
    """In a forked worker: WeasyPrint's records go to `collected()` blocks only, not to
    the handlers the worker inherited (a parent worker's pipe, `warraq.pdf.workers`).
    Only this process's own logger changes."""
    logger = logging.getLogger("weasyprint")
    for handler in list(logger.handlers):
        if not isinstance(handler, _Collect):
            logger.removeHandler(handler)
    logger.propagate = False


@contextmanager
def pages_reported(told: Callable[[int], None]) -> Iterator[None]:
    """Within the block, `told(n)` hears of each page WeasyPrint lays out (n from 1;
    a second layout pass counts again from 1)."""
    token = _PAGES.set(told)
    try:
        yield
    finally:
        _PAGES.reset(token)


def page_teller() -> Callable[[int], None]:
    """Who the `pages_reported()` block running is telling of pages (outside one, no one):
    for a layout made of several that tells its pages itself (`warraq.pdf.parts`)."""
    return _PAGES.get() or (lambda n: None)


@contextmanager
def collected() -> Iterator[list[str]]:
    """The messages WeasyPrint logs (WARNING and above) while the block runs."""
    messages: list[str] = []
    token = _SINK.set(messages)
    try:
        yield messages
    finally:
        _SINK.reset(token)


class Stylesheets:
    """The print CSS parsed once for the layouts of one document in one process, by CSS
    text: parsing it and loading its @font-face fonts costs about 0.1 s, and a book is laid
    out many times with the same CSS (each chapter alone for the mending, `warraq.pdf.
    mending`, then whole). What WeasyPrint said while parsing is said again with each
    layout. A forked process starts with none (WeasyPrint's font state is its parent's)."""

    def __init__(self) -> None:
        self._pid = os.getpid()
        self._parsed: dict[tuple[str, str], tuple[CSS, FontConfiguration, dict, list]] = {}

    def clear(self) -> None:
        """Forget every sheet (WeasyPrint removes a font configuration's temporary folder
        when it goes: a worker process, which ends without finalisers, calls this)."""
        self._parsed = {}

    def parsed(self, css: str, fetcher: Fetcher, base_url: str
               ) -> tuple[CSS, FontConfiguration, dict, list[str]]:
        """The stylesheet, its font configuration and colour profiles, and the messages."""
        if self._pid != os.getpid():
            self._pid, self._parsed = os.getpid(), {}
        key = (css, base_url)
        if key not in self._parsed:
            with collected() as messages:
                fonts, profiles = FontConfiguration(), {}
                sheet = CSS(string=css, base_url=base_url, url_fetcher=fetcher,
                            font_config=fonts, color_profiles=profiles)
            self._parsed[key] = (sheet, fonts, profiles, messages)
        return self._parsed[key]


def lay_out(html: str, css: str, fetcher: Fetcher, base_url: str = BASE_URL,
            sheets: Stylesheets | None = None) -> tuple[Document, list[str]]:
    """The laid-out document (pages, boxes) and WeasyPrint's messages; with `sheets`, the
    CSS as parsed there before (for the same text)."""
    sheet, fonts, profiles, said = (sheets or Stylesheets()).parsed(css, fetcher, base_url)
    with collected() as messages:
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=[sheet], font_config=fonts, color_profiles=profiles)
    return document, said + messages


def galley(html: str, css: str, fetcher: Fetcher, base_url: str = BASE_URL,
           sheets: Stylesheets | None = None, keep: frozenset = frozenset()
           ) -> tuple[Galley, Document, list[str]]:
    """As `lay_out`, keeping the words of `keep` whole (`warraq.pdf.breaks`), through a
    `warraq.pdf.relayout.Galley` that can be laid out again keeping more (`relay`)."""
    sheet, fonts, profiles, said = (sheets or Stylesheets()).parsed(css, fetcher, base_url)
    with collected() as messages:
        made = Galley(html, base_url, fetcher, sheet, fonts, profiles)
        document = made.lay_out(keep)
    return made, document, said + messages


def relay(made: Galley, keep: frozenset) -> tuple[Document, list[str]]:
    """The galley laid out again keeping the words of `keep` (more than it kept) whole,
    and what WeasyPrint said meanwhile."""
    with collected() as messages:
        document = made.lay_out(keep)
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
