"""The print finish (issue 11, item 5), read back from the PDFs of the sample, the
article case and a long generated book (benchmarks/genbook.py, slow): footnotes as wide
as the text, at most two hyphenated lines in a row, three letters at least on each side
of a break, no page ending in a broken word, no widow or orphan, and no page of a chapter
with room for more than two lines at its foot unless a chapter opens on the next page.
Lines are read with pdfium (tests/typeset.py)."""

from __future__ import annotations

import importlib.util

import pytest

import typeset
from conftest import ROOT, write_source
from warraq.pipeline import build


def _pdf(result):
    return next(p for p in result.files if p.suffix == ".pdf")


@pytest.fixture(scope="module")
def sample_pages(sample_build):
    return typeset.pages(_pdf(sample_build))


@pytest.fixture(scope="module")
def article_pages(tmp_path_factory):
    result = build(ROOT / "tests" / "cases" / "article" / "source",
                   tmp_path_factory.mktemp("article-finish"), ("pdf",))
    return typeset.pages(_pdf(result))


#: A note written over several source lines, as authors wrap their Markdown.
NOTE = ("This note runs over several lines of its source file,\nthe way an author wraps "
        "Markdown at seventy\ncolumns, and it is long enough to need\nthree or four lines "
        "at the foot of the page\nso that every line but its last\ncan be measured "
        "against the width of the text\nblock above it.")


@pytest.fixture(scope="module")
def note_pages(tmp_path_factory):
    src = write_source(tmp_path_factory.mktemp("note-src"),
                       {"title": "Notes", "lang": "en", "layout": "article",
                        "contents": ["a.md"]},
                       {"a.md": "A paragraph with a long note.[^a] And a short one.[^b]\n\n"
                                f"[^a]: {NOTE}\n\n[^b]: Short,\n  on two lines.\n"})
    return typeset.pages(_pdf(build(src, tmp_path_factory.mktemp("note-dist"), ("pdf",))))


def _note_lines(pages):
    return [l for p in pages for l in p.notes]


# --- footnotes ---------------------------------------------------------------------------

def test_a_note_written_over_source_lines_fills_its_lines(note_pages):
    lines = _note_lines(note_pages)
    assert [l.text.split()[0] for l in lines if l.text[0].isdigit()] == ["1.", "2."]
    assert len(lines) >= 4 and lines[-1].text == "2. Short, on two lines."
    assert typeset.narrow_footnote_lines(note_pages) == []
    left, right = typeset.text_block(note_pages)[0]
    assert lines[0].width > 0.9 * (right - left)


def test_sample_notes_are_as_wide_as_the_text(sample_pages):
    lines = _note_lines(sample_pages)
    assert len(lines) >= 4                  # three notes, at least one over two lines
    assert typeset.narrow_footnote_lines(sample_pages) == []


# --- hyphenation -------------------------------------------------------------------------

def test_sample_hyphenation(sample_pages):
    assert any(l.text.endswith(typeset.AUTO_HYPHEN) for p in sample_pages for l in p.body)
    assert max(len(r) for r in typeset.hyphen_runs(sample_pages)) <= 2
    assert typeset.short_fragments(sample_pages) == []
    assert typeset.hyphens_at_page_end(sample_pages) == []


# --- pages -------------------------------------------------------------------------------

def test_sample_pages_are_full(sample_pages):
    assert typeset.short_pages(sample_pages) == []
    assert typeset.widows_and_orphans(sample_pages) == []


def test_article_pages(article_pages):
    assert len(article_pages) == 1       # the closing part runs on below the first
    assert typeset.short_pages(article_pages) == []
    assert typeset.hyphens_at_page_end(article_pages) == []


# --- a long generated book (slow) --------------------------------------------------------

@pytest.fixture(scope="module")
def long_pages(tmp_path_factory):
    """benchmarks/genbook.py's book of 20,000 words in 8 chapters (as identity.sh)."""
    spec = importlib.util.spec_from_file_location("genbook", ROOT / "benchmarks" / "genbook.py")
    genbook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(genbook)
    folder = tmp_path_factory.mktemp("genbook")
    genbook.book(folder, 20000, 8)
    return typeset.pages(_pdf(build(folder, tmp_path_factory.mktemp("genbook-dist"),
                                    ("pdf",))))


@pytest.mark.slow
def test_long_book_hyphenation(long_pages):
    hyphenated = sum(l.text.endswith(typeset.AUTO_HYPHEN) for p in long_pages for l in p.lines)
    assert len(long_pages) > 60 and hyphenated > 200
    assert max(len(r) for r in typeset.hyphen_runs(long_pages)) == 2
    assert typeset.short_fragments(long_pages) == []
    assert typeset.hyphens_at_page_end(long_pages) == []


@pytest.mark.slow
def test_long_book_pages(long_pages):
    assert sum(bool(p.notes) for p in long_pages) > 10
    assert typeset.narrow_footnote_lines(long_pages) == []
    assert typeset.short_pages(long_pages) == []
    assert typeset.widows_and_orphans(long_pages) == []
