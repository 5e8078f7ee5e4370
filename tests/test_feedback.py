"""The progress a build reports and how `warraq.feedback` shows it: each stage as a line,
the running count within it (EPUB chapters, PDF pages laid out) on a terminal only."""

from __future__ import annotations

import io

import pytest

from readback import Pdf
from warraq import pipeline
from warraq.feedback import Feedback
from warraq.writers.contract import COUNT

BOOK = {"title": "Counting Pages", "author": "A. Writer", "date": "2024-05-01",
        "identifier": "urn:uuid:0f2b6f9e-8d4c-4a7e-9a51-2f1d3c4b5a60",
        "contents": ["one.md", "two.md", "three.md"]}


def _chapter(n: int) -> str:
    return f"# Chapter {n}\n\n" + ("A sentence that fills some of the page. " * 60 + "\n\n") * 6


@pytest.mark.slow
def test_a_build_reports_every_chapter_made_and_every_page_laid_out(make_source, tmp_path):
    source = make_source(BOOK, {f"{w}.md": _chapter(n)
                                for n, w in enumerate(("one", "two", "three"), 1)})
    told: list[tuple[str, str]] = []
    pipeline.build(source, tmp_path / "out", progress=lambda s, d: told.append((s, d)))
    stages = [s for s, _ in told if s != COUNT]
    assert stages == ["load", "pdf", "epub", "write"]
    # The count follows the stage it belongs to: pages while the PDF is laid out, chapters
    # while the EPUB is made.
    pdf_at, epub_at = stages_at(told, "pdf"), stages_at(told, "epub")
    counts = [d for s, d in told[pdf_at:epub_at] if s == COUNT]
    pages = [int(d.split()[1]) for d in counts if d.endswith(" laid out")]
    laid_out = len(Pdf(tmp_path / "out" / "counting-pages.pdf").reader.pages)
    assert laid_out > 5 and max(pages) == laid_out and pages[:3] == [1, 2, 3]
    # before the book is laid out its chapters are mended, each told once, in two
    # processes (warraq.pdf.mending): their layouts count no pages
    mended = [d for d in counts if not d.endswith(" laid out")]
    assert mended == ["1 of 3 chapters mended", "2 of 3 chapters mended",
                      "3 of 3 chapters mended"]
    assert counts[:3] == mended
    chapters = [d for s, d in told[epub_at:] if s == COUNT]
    assert chapters == ["chapter 1 of 3", "chapter 2 of 3", "chapter 3 of 3"]


def stages_at(told: list[tuple[str, str]], stage: str) -> int:
    return next(i for i, (s, _) in enumerate(told) if s == stage)


def test_plain_output_prints_stages_not_counts_and_the_display_shows_both():
    err = io.StringIO()
    feedback = Feedback(err=err, out=io.StringIO(), environ={})
    feedback.progress("pdf", "x.pdf")
    feedback.progress(COUNT, "page 7 laid out")
    feedback.progress(COUNT, "page 8 laid out")
    assert err.getvalue().count("\n") == 1 and err.getvalue().endswith("pdf: x.pdf\n")
    assert feedback.__rich__().plain.startswith("pdf: x.pdf, page 8 laid out  (")
    feedback.progress("epub", "x.epub")           # a new stage clears the count
    assert feedback.__rich__().plain.startswith("epub: x.epub  (")
