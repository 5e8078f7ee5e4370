"""warraq.pdf.breaks: WeasyPrint (no `hyphenate-limit-lines`) sets ladders of hyphenated
lines and ends pages in a broken word; laid out again with those words kept whole, the
book has at most two hyphenated lines in a row and no page ending in a hyphen, with the
same text. Read back from the PDF (tests/typeset.py); how the words are kept whole:
tests/pdf/test_relayout.py."""

from __future__ import annotations

import random

import pytest

import typeset
import warraq.pdf.book as print_book
from conftest import write_source
from warraq.pipeline import build

#: the print-finish and fuzz checks take seconds each: the full suite runs them
pytestmark = pytest.mark.slow

LONG = ("understanding responsibility characteristically extraordinary unquestionably "
        "misrepresentation considerable international circumstances recommendation "
        "notwithstanding establishment conversation neighbourhood remembrance "
        "acknowledgement correspondence encouragement thankfulness").split()


def _text(seed: int = 7, paragraphs: int = 4, words: int = 150) -> str:
    rng = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        chosen = [rng.choice(LONG) for _ in range(words)]
        out.append(" ".join(chosen).capitalize() + ".")
    return "\n\n".join(out)


#: Both builds carry one date and keep no cache: a build in the same second as the
#: other (a fast machine) would otherwise take the other's PDF from the cache.
EPOCH = "1700000000"


@pytest.fixture(scope="module")
def ladders(tmp_path_factory):
    """Long words on a 5 x 8 in page: laid out once (no mending) and mended."""
    src = write_source(tmp_path_factory.mktemp("ladder-src"),
                       {"title": "Ladders", "lang": "en", "trim": "5 x 8 in",
                        "contents": ["a.md"]}, {"a.md": "# Ladders\n\n" + _text() + "\n"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(print_book, "MENDING_PASSES", 1)
        raw = build(src, tmp_path_factory.mktemp("raw"), ("pdf",), epoch=EPOCH, cache=False)
    mended = build(src, tmp_path_factory.mktemp("mended"), ("pdf",), epoch=EPOCH, cache=False)
    return typeset.pages(raw.files[0]), typeset.pages(mended.files[0])


def _words(pages) -> list[str]:
    """The text read back, words broken at a line's end joined again."""
    text = ""
    for page in pages:
        for line in page.body:
            text += line.text[:-1] if line.text.endswith(typeset.AUTO_HYPHEN) else (
                line.text + " ")
    return text.split()


def test_weasyprint_alone_sets_ladders_and_breaks_words_over_pages(ladders):
    raw, _ = ladders
    assert len(typeset.hyphen_runs(raw)[0]) > 3
    assert typeset.hyphens_at_page_end(raw)


def test_at_most_two_hyphenated_lines_in_a_row(ladders):
    _, mended = ladders
    runs = typeset.hyphen_runs(mended)
    assert runs and max(len(r) for r in runs) == 2


def test_no_page_ends_in_a_broken_word(ladders):
    _, mended = ladders
    assert typeset.hyphens_at_page_end(mended) == []


def test_three_letters_at_least_on_each_side_of_a_break(ladders):
    for pages in ladders:
        assert sum(l.text.endswith(typeset.AUTO_HYPHEN) for p in pages for l in p.body) > 50
        assert typeset.short_fragments(pages) == []


def test_mending_changes_no_word(ladders):
    raw, mended = ladders
    assert _words(raw) == _words(mended)
    text = _text().split()
    assert _words(mended)[-len(text):] == text
