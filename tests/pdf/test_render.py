"""warraq.pdf.render: the stylesheet parsed once for many layouts, its messages kept."""

from __future__ import annotations

import os

import pytest

from warraq.pdf import render
from warraq.pdf.fetcher import Fetcher

CSS = "@page { size: 100mm 150mm } p { font-size: 12pt }"
BAD = CSS + " p { colour: red }"        # a property WeasyPrint warns of


@pytest.fixture
def parses(monkeypatch):
    """How many times WeasyPrint's CSS parser ran."""
    count = [0]
    real = render.CSS

    def counting(*args, **kwargs):
        count[0] += 1
        return real(*args, **kwargs)
    monkeypatch.setattr(render, "CSS", counting)
    return count


def _text(document) -> str:
    return " ".join(box.text for page in document.pages
                    for box in _boxes(page._page_box) if hasattr(box, "text"))


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


@pytest.mark.allow_weasyprint_warnings
def test_layouts_with_the_same_css_parse_it_once_and_each_reports_its_warning(parses):
    sheets = render.Stylesheets()
    fetcher = Fetcher.fonts_only()
    first, said_first = render.lay_out("<p>one</p>", BAD, fetcher, sheets=sheets)
    second, said_second = render.lay_out("<p>two</p><p>three</p>", BAD, fetcher,
                                         sheets=sheets)
    assert parses[0] == 1
    assert "one" in _text(first) and "three" in _text(second)
    for said in (said_first, said_second):
        assert any("colour" in m for m in said), said


def test_another_css_text_is_parsed_anew(parses):
    sheets = render.Stylesheets()
    fetcher = Fetcher.fonts_only()
    render.lay_out("<p>one</p>", CSS, fetcher, sheets=sheets)
    render.lay_out("<p>one</p>", CSS + " h1 { margin: 0 }", fetcher, sheets=sheets)
    assert parses[0] == 2


def test_a_forked_process_parses_its_own(parses):
    """A child of the process the sheet was parsed in does not use its parent's."""
    sheets = render.Stylesheets()
    fetcher = Fetcher.fonts_only()
    render.lay_out("<p>one</p>", CSS, fetcher, sheets=sheets)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:        # the child: parse count must go up by one
        try:
            render.lay_out("<p>two</p>", CSS, fetcher, sheets=sheets)
            os.write(write, str(parses[0]).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 16) == b"2"
