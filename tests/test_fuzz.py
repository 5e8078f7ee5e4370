"""Fuzzing: generated Markdown either builds (XHTML that parses, an EPUB that EPUBCheck
accepts, a PDF) or fails with a warraq `SourceError`, never another exception.

CI runs a fixed seed (`derandomize`) and a bounded number of examples; set
WARRAQ_FUZZ_EXAMPLES for a longer run (EPUB path only; EPUBCheck and the PDF run once,
on one book made of a sample of the generated chapters).
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from io import BytesIO
from unittest import mock
from pathlib import Path

import lxml.etree as ET
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_source
from readback import Epub, Pdf, epubcheck_problems
from warraq.errors import CODES, SourceError
from warraq.pipeline import build, prepare
from warraq.cover import Cover
from warraq.writers import epub_fonts
from warraq.writers.epub import write_epub

EXAMPLES = int(os.environ.get("WARRAQ_FUZZ_EXAMPLES", "60"))
PARSER = ET.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)

LATIN = ["river", "Patience", "gratitude", "the", "of", "Field", "notes", "B.", "i.", "—",
         "'quoted'", '"double"', "...", "--", "a & b", "<tag>", "x < y", "1.", "*", "_", "`",
         "[", "]", "{", "}", ":::", "#", "\\", "|", "~~gone~~", "http://example.org/x"]
ARABIC = ["الصبر", "الشكر", "بِسْمِ اللَّهِ", "قال", "رسول", "١٤٤٥", "هـ", "سورة البقرة",
          "وَبَشِّرِ الصَّابِرِينَ", "في", "من", "«نص»", "؟", "،"]
ODD = ["e\u0301", "\u0651", "\u064b\u064c", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c",
       "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200d", "\u200c",
       "\u00a0", "\u2009", "\ufeff", "\u05e9\u05dc\u05d5\u05dd", "\u0301", "\uFDFD",
       "\u2028", "\u0600", "\u061c", "\t", "&amp;", "&#0;", "&#x202E;",
       "&nbsp;"]
#: Characters no font of warraq's has (emoji, Devanagari, private use, unassigned): they
#: must give W400 with their place, never a box. Rare, so most examples still build.
UNCOVERED = ["\U0001F44D\U0001F3FD", "\U0001F468\u200d\U0001F469\u200d\U0001F467",
             "\u0915\u094d\u200d", "\ud7ff", "\ue000", "\U0010FFFF"]
#: Raw HTML: mostly harmless (kept or stripped by the sanitiser), rarely refused (W308).
HTML = ["<b>", "</b>", "<em>x</em>", "<br>", "<br/>", '<span lang="ar">نص</span>', "<sup>2</sup>",
        '<abbr title="a &amp; b">AB</abbr>', "<center>", "</div>", "<div>", "<!-- note -->",
        "<bdi>", "</bdi>", '<q cite="https://example.org/">q</q>', "<wbr>", "&lt;script&gt;",
        "<p>", "<unknown-tag>", "<", "<<>>", '<a href="https://example.org/">w</a>']
#: Characters XML cannot hold: rare, and they must give W207, not a crash.
FORBIDDEN = ["\x00", "\x0b", "\x0c", "\x1b", "\uffff", "\ufffe", "\u0085", "\x9b"]

#: Any text at all: mostly outside warraq's fonts, so a rare draw (it must give W400).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=4)


def _rare(n: int):
    """One draw in 300 a forbidden character, one in 60 any text, one in 60 an uncovered
    character; otherwise Latin words."""
    if n == 0:
        return st.sampled_from(FORBIDDEN)
    if n <= 5:
        return ANY_TEXT
    if n <= 10:
        return st.sampled_from(UNCOVERED)
    return st.sampled_from(LATIN)


words = st.one_of(
    st.sampled_from(LATIN), st.sampled_from(ARABIC), st.sampled_from(ARABIC),
    st.sampled_from(HTML), st.sampled_from(ODD), st.integers(0, 300).flatmap(_rare))


@st.composite
def inline(draw, depth=0, notes=True):
    """Inline Markdown. Inside a note (`notes=False`) another note is rare (W315)."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        word = draw(words)
        kind = draw(st.integers(0, 12 if depth < 2 else 5))
        if kind in (10, 12) and not notes and draw(st.integers(0, 30)):
            kind = 0
        if kind <= 5:
            parts.append(word)
        elif kind == 6:
            parts.append(f"*{draw(inline(depth + 1, notes))}*")
        elif kind == 7:
            parts.append(f"**{draw(inline(depth + 1, notes))}**")
        elif kind == 8:
            lang = draw(st.sampled_from(["ar", "en", "fa", "he", "ar-Latn", ""]))
            if draw(st.integers(0, 30)) == 0:
                lang = draw(st.sampled_from(["x", "1", "en_GB"]))      # W106
            parts.append(f"[{draw(inline(depth + 1, notes))}]{{lang={lang}}}" if lang
                         else f"[{word}]{{dir=rtl}}")
        elif kind == 9:
            parts.append(f"`{word}`")
        elif kind == 10:
            parts.append(f"^[{draw(inline(depth + 1, notes=False))}]")
        elif kind == 11:
            target = draw(st.sampled_from(["https://example.org/a?b=1&c=2", "mailto:a@b.example",
                                           "http://example.org/", "https://example.org/#x",
                                           "https://example.org/%20a"]))
            if draw(st.integers(0, 40)) == 0:
                target = "#nowhere"                 # W313
            parts.append(f"[{word}]({target})")
        else:
            parts.append(f"[^{draw(st.integers(1, 3))}]")
    return " ".join(parts)


MARKERS = ["1.", "1)", "a.", "A.", "i.", "I.", "ii.", "-", "*", "+", "3.", "B)"]


@st.composite
def block(draw, depth=0):
    kind = draw(st.integers(0, 9 if depth < 3 else 3))
    if kind <= 2:
        return draw(inline())
    if kind == 3:
        return "#" * draw(st.integers(1, 6)) + " " + draw(inline())
    if kind in (4, 5):
        marker = draw(st.sampled_from(MARKERS))
        items = []
        for _ in range(draw(st.integers(1, 4))):
            body = draw(inline())
            if draw(st.booleans()) and depth < 3:
                sub = draw(block(depth + 1)).replace("\n", "\n" + " " * (len(marker) + 1))
                body += "\n" + " " * (len(marker) + 1) + sub
            items.append(f"{marker} {body}")
        return "\n".join(items)
    if kind == 6:
        return "\n".join("> " + line for line in draw(block(depth + 1)).split("\n"))
    if kind == 7:
        attrs = draw(st.sampled_from(["verse", "{.verse lang=ar dir=rtl}", "{lang=ar}",
                                      "{.quote}", "{#x .y}", "note {dir=ltr}"]))
        return f"::: {attrs}\n{draw(block(depth + 1))}\n:::"
    if kind == 8:
        return "```\n" + draw(inline()) + "\n```"
    return draw(st.sampled_from([
        "---", "***", "| a | b |\n|---|--:|\n| 1 | 2 |", "Term\n: Definition",
        '<div class="verse" dir="rtl">\n\nنص\n\n</div>', "<table><tr><td>1</td></tr></table>",
        '<aside lang="ar">قال</aside>']))


@st.composite
def documents(draw):
    blocks = ["# " + draw(inline())] if draw(st.integers(0, 9)) else []
    blocks += draw(st.lists(block(), min_size=1, max_size=8))
    text = "\n\n".join(blocks)
    for n in (1, 2, 3):          # define every referenced note (and only those)
        if f"[^{n}]" in text:
            text += f"\n\n[^{n}]: {draw(inline(notes=False))}"
    ending = draw(st.sampled_from(["\n", "\r\n", ""]))
    return text.replace("\n", ending) if ending else text


def _source(folder: Path, texts: list[str]) -> Path:
    names = [f"c{i}.md" for i in range(len(texts))]
    return write_source(folder, {"title": "Fuzz", "contents": names},
                        {n: t.encode("utf-8", "surrogatepass") for n, t in zip(names, texts)})


PLAIN_COVER = Cover(data=b"\x89PNG\r\n\x1a\n", media_type="image/png", width=1600,
                    height=2400, alt="Cover", file_name="cover.png")


def check_one(text: str) -> bool:
    """True if the text built an EPUB whose XHTML parses; False on a SourceError."""
    with tempfile.TemporaryDirectory() as folder:
        src = _source(Path(folder), [text])
        try:
            book = prepare(src)
        except SourceError as err:
            assert err.diagnostics and all(d.code in CODES for d in err.diagnostics)
            return False
        # Subsetting fonts and drawing the cover cost ~1 s an example and are tested on
        # their own; the one book built from a sample of the chapters at the end has both.
        with mock.patch.object(epub_fonts, "book_fonts", return_value=[]):
            data = write_epub(book, cover=PLAIN_COVER)
    with zipfile.ZipFile(BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                ET.fromstring(zf.read(name), PARSER)
    return True


@pytest.mark.slow
def test_generated_markdown_builds_or_fails_cleanly(tmp_path):
    built: list[str] = []
    refused = [0]

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(documents())
    def run(text):
        if check_one(text):
            built.append(text)
        else:
            refused[0] += 1
    run()
    assert len(built) >= EXAMPLES // 5, (len(built), refused[0])   # the generator is sane

    # One book of a sample of the chapters that built: EPUBCheck and the PDF, once.
    distinct = sorted(set(built), key=lambda t: (len(t), t))     # same order in every run
    # The richest chapters that also load together (an `{#id}` may be used by two of them,
    # which the book refuses, W314): then the whole build, PDF included, must succeed.
    sample: list[str] = []
    for n, text in enumerate(reversed(distinct)):
        try:
            prepare(_source(tmp_path / f"try{n}", sample + [text]))
        except SourceError:
            continue
        sample.append(text)
        if len(sample) == 10:
            break
    src = _source(tmp_path / "src", sample)
    try:
        result = build(src, tmp_path / "dist")
    except SourceError as err:       # they loaded together: rendering must not refuse them
        pytest.fail(f"chapters that load together did not build:\n{err}")
    epub = next(p for p in result.files if p.suffix == ".epub")
    problems = epubcheck_problems(epub)
    assert problems == []
    assert len(Epub(epub).spine_hrefs()) >= len(sample)
    pdf = Pdf(next(p for p in result.files if p.suffix == ".pdf"))
    assert len(pdf.page_texts()) >= 2
    # The glyph check (W400) refuses characters no font has before WeasyPrint runs, so
    # WeasyPrint has nothing to warn about.
    assert result.warnings == []
