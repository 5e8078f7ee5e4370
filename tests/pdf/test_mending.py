"""warraq.pdf.mending: the words to keep whole found chapter by chapter, in forked
processes and from the build cache, give the PDF a one-process cold build gives, byte
for byte, with no hyphen ladder and no page ending in a broken word; an edit re-mends
only the edited chapter. Read back from the PDF (tests/typeset.py)."""

from __future__ import annotations

import random

import pytest

import typeset
import warraq.pdf.mending as mending
from conftest import write_source
from warraq.pipeline import build

pytestmark = pytest.mark.slow

LONG = ("understanding responsibility characteristically extraordinary unquestionably "
        "misrepresentation considerable international circumstances recommendation "
        "notwithstanding establishment conversation neighbourhood remembrance "
        "acknowledgement correspondence encouragement thankfulness").split()
EPOCH = "1700000000"
META = {"title": "Mended", "lang": "en", "trim": "5 x 8 in",
        "contents": ["a.md", "b.md", "c.md"]}


def _chapter(title: str, seed: int) -> str:
    rng = random.Random(seed)
    paragraphs = [" ".join(rng.choice(LONG) for _ in range(110)).capitalize() + "."
                  for _ in range(3)]
    return f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n"


def _source(folder, edited: bool = False):
    b = _chapter("Second", 2)
    if edited:
        b = b.replace("# Second\n\n", "# Second\n\nAn added opening sentence, then "
                      "understanding.\n\n")
    return write_source(folder, META, {"a.md": _chapter("First", 1), "b.md": b,
                                       "c.md": _chapter("Third", 3)})


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The same book built: in one process without a cache; on two cores into an empty
    cache; again from that cache; and edited (chapter b) into it, beside a cold build of
    the edited book."""
    return _builds(tmp_path_factory)


def _builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("mending")
    src, edited = _source(base / "src"), _source(base / "src-edited", edited=True)
    shared = base / "shared"
    out = {
        "one": build(src, base / "one", ("pdf",), epoch=EPOCH, jobs=1, cache=False),
        "cold": build(src, shared / "cold", ("pdf",), epoch=EPOCH, jobs=2),
        "warm": build(src, shared / "warm", ("pdf",), epoch=EPOCH, jobs=2),
        "edit": build(edited, shared / "edit", ("pdf",), epoch=EPOCH, jobs=2),
        "edit-cold": build(edited, base / "edit-cold", ("pdf",), epoch=EPOCH, jobs=1,
                           cache=False),
    }
    return out


def _pdf(result) -> bytes:
    return next(p for p in result.files if p.suffix == ".pdf").read_bytes()


def test_forked_and_cached_mending_give_the_one_process_pdf(builds):
    assert _pdf(builds["cold"]) == _pdf(builds["one"])
    assert _pdf(builds["warm"]) == _pdf(builds["one"])
    assert _pdf(builds["edit"]) == _pdf(builds["edit-cold"])
    assert _pdf(builds["edit"]) != _pdf(builds["one"])


def test_the_mended_book_has_no_ladder_and_no_broken_word_at_a_page_end(builds):
    for name in ("one", "edit"):
        pages = typeset.pages(next(p for p in builds[name].files if p.suffix == ".pdf"))
        runs = typeset.hyphen_runs(pages)
        assert runs, "the text hyphenates (else the test shows nothing)"
        assert max(len(r) for r in runs) <= 2
        assert typeset.hyphens_at_page_end(pages) == []


def test_each_chapter_is_mended_once_and_an_edit_mends_only_its_chapter(builds):
    kind = mending.KIND
    assert builds["cold"].cache.misses.count(kind) == 3
    assert builds["cold"].cache.hits.count(kind) == 0
    # the whole PDF comes from the cache: the chapters are not even looked at
    assert builds["warm"].cache.hits.count(kind) + builds["warm"].cache.misses.count(kind) == 0
    assert builds["edit"].cache.hits.count(kind) == 2
    assert builds["edit"].cache.misses.count(kind) == 1


def test_a_book_of_one_chapter_is_mended_whole(tmp_path):
    """No chapter is laid out alone (no chapter entry), and it is mended all the same."""
    src = write_source(tmp_path / "src", {**META, "contents": ["a.md"]},
                       {"a.md": _chapter("Only", 1)})
    whole = build(src, tmp_path / "whole", ("pdf",), epoch=EPOCH, jobs=2)
    assert whole.cache.misses.count(mending.KIND) == 0
    pages = typeset.pages(next(p for p in whole.files if p.suffix == ".pdf"))
    assert typeset.hyphen_runs(pages), "the text hyphenates (else the test shows nothing)"
    assert max(len(r) for r in typeset.hyphen_runs(pages)) <= 2
    assert typeset.hyphens_at_page_end(pages) == []


def test_a_damaged_chapter_entry_is_ignored_and_computed_again(tmp_path):
    src = _source(tmp_path / "src")
    first = build(src, tmp_path / "a", ("pdf",), epoch=EPOCH, jobs=1)
    folder = tmp_path / ".warraq-cache"
    entries = sorted(p for p in folder.glob("*/*") if p.is_file())
    assert entries
    for entry in entries:           # the PDF's entry and every chapter's, all damaged
        data = bytearray(entry.read_bytes())
        data[-3] ^= 0xFF
        entry.write_bytes(bytes(data))
    again = build(src, tmp_path / "b", ("pdf",), epoch=EPOCH, jobs=1)
    assert again.cache.misses.count(mending.KIND) == 3
    assert _pdf(again) == _pdf(first)
