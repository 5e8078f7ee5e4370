"""Long runs get break opportunities in the print layout, so its time stays linear in
the text's length (measured on a budget), and the EPUB keeps the text as written."""

import time
import zipfile

import pytest

from conftest import write_source
from readback import Pdf
from warraq.linebreaks import BREAK_EVERY, break_long_runs
from warraq.pipeline import build
from warraq.yamlguard import MAX_WORD_CHARS


def test_only_long_runs_of_text_get_breaks_never_attributes_or_arabic():
    plain = '<p>Short words, <a href="https://example.org/' + "p" * 200 + '">a link</a>.</p>'
    assert break_long_runs(plain) == plain
    out = break_long_runs("<p>" + "x" * 100 + " <em>" + "y" * 41 + "</em></p>")
    assert out.count("\u200b") == 3 and out.replace("\u200b", "") == (
        "<p>" + "x" * 100 + " <em>" + "y" * 41 + "</em></p>")
    arabic = "<p>" + "ب" * 100 + "</p>"
    assert break_long_runs(arabic) == arabic
    assert all(len(part) <= BREAK_EVERY for part in
               break_long_runs("<p>" + "z" * 999 + "</p>")[3:-4].split("\u200b"))


def _build_seconds(tmp_path, name: str, paragraph: str, formats=("pdf",)):
    src = write_source(tmp_path / name, {"title": "Words", "contents": ["a.md"]},
                       {"a.md": "# Words\n\n" + paragraph + "\n"})
    start = time.monotonic()
    result = build(src, tmp_path / f"{name}-dist", formats)
    return time.monotonic() - start, result


@pytest.mark.slow          # two print layouts of 40 000 characters
def test_a_paragraph_of_words_at_the_limit_lays_out_as_fast_as_ordinary_words(tmp_path):
    """Forty words of MAX_WORD_CHARS characters (40 000): without the breaks WeasyPrint
    took some 20 times as long as for ordinary words of the same total length (the square
    of each word's length); with them, about as long. Compared in the same run, so a
    loaded machine slows both alike."""
    long_words = " ".join(f"{n:03d}" + "x" * (MAX_WORD_CHARS - 3) for n in range(40))
    ordinary = " ".join(["words"] * (len(long_words) // 6))
    plain, _ = _build_seconds(tmp_path, "plain", ordinary)
    seconds, result = _build_seconds(tmp_path, "long", long_words, ("epub", "pdf"))
    assert seconds < 3 * plain + 10, (seconds, plain)
    pdf = Pdf(next(p for p in result.files if p.suffix == ".pdf"))
    text = "".join("".join(pdf.page_texts()).split()).replace("\u200b", "")
    assert "039" + "x" * 20 in text
    with zipfile.ZipFile(next(p for p in result.files if p.suffix == ".epub")) as zf:
        xhtml = zf.read("EPUB/text/a.xhtml").decode()
    assert "\u200b" not in xhtml and "039" + "x" * (MAX_WORD_CHARS - 3) in xhtml
