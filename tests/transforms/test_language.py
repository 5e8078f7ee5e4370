"""warraq.transforms.language: Markdown written with no markup at all comes out with every
Arabic run in an element with lang="ar" dir="rtl", in the EPUB XHTML and in the HTML
given to WeasyPrint; explicit markup wins; English punctuation stays outside the run."""

import io
import unicodedata
import zipfile

import lxml.etree as ET
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warraq.pipeline import prepare
from warraq.templating import render
from warraq.transforms.language import runs, script_of_char, tag_fragment
from warraq.writers.epub import write_epub
from warraq.pdf.book import PageSetup, context

XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

TEXT = """\
# Words

The Arabic word for it is صبر, and it means patience.

He ended with الحمد لله.

بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ

The year was ١٤٤٥ هـ in the Hijri calendar.

In Hebrew one says שלום עליכם, much the same.

A note follows.[^n]

[^n]: The phrase إن شاء الله ends many promises.
"""

EXPLICIT = """\
# Marked

The Persian [کتاب]{lang=fa} and the Urdu [کتاب]{lang=ur dir=rtl} are marked by hand.

::: {lang=ar-Latn}
Transliterated: al-ḥamdu lillāh, not Arabic script.
:::

::: {lang=ps}
دا پښتو ده
:::
"""


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    def make(name, files, **extra):
        from conftest import write_source
        folder = tmp_path_factory.mktemp(name)
        meta = {"title": "Tagging", "lang": "en", "date": "2023-10-04",
                "contents": list(files)} | extra
        write_source(folder, meta, files)
        return prepare(folder)
    return {"plain": make("plain", {"a.md": TEXT}),
            "explicit": make("explicit", {"b.md": EXPLICIT}),
            "persian": make("persian", {"c.md": "# P\n\nHe wrote دل and left.\n"},
                            **{"arabic-script-lang": "fa"})}


def epub_body(book) -> ET._Element:
    data = write_epub(book)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        name = next(n for n in z.namelist() if n.endswith(f"text/{book.chapters[0].id}.xhtml"))
        return ET.fromstring(z.read(name), ET.XMLParser(resolve_entities=False, no_network=True))


def weasy_body(book) -> ET._Element:
    html = render("pdf/book.html", **context(book, PageSetup()))
    return lxml.html.document_fromstring(html)


def arabic_texts(root) -> list[str]:
    """Every maximal Arabic-script run of the document's text, in order."""
    text = "".join(root.itertext())
    return [text[a:b] for a, b, s in runs(text) if s == "arabic"]


def owner_lang(el) -> tuple[str | None, str | None]:
    """(lang, dir) of the nearest ancestor-or-self with a lang."""
    while el is not None:
        lang = el.get("lang")
        if lang:
            return lang, el.get("dir")
        el = el.getparent()
    return None, None


def text_elements(root):
    """(element, text) for every text and tail in document order."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text:
            yield el, el.text
        if el.tail and el.getparent() is not None:
            yield el.getparent(), el.tail


@pytest.mark.parametrize("output", ["epub", "weasyprint"])
def test_every_arabic_run_is_in_an_rtl_element(books, output):
    root = (epub_body if output == "epub" else weasy_body)(books["plain"])
    found = 0
    for el, text in text_elements(root):
        for ch in text:
            script = script_of_char(ch)
            if script:
                lang, direction = owner_lang(el)
                assert (lang, direction) == (("ar" if script == "arabic" else "he"), "rtl"), text
                found += 1
    assert found > 60
    # the English full stop follows the phrase, outside its element, in document order
    phrase = next(el for el in root.iter() if isinstance(el.tag, str)
                  and el.tag.split("}")[-1] == "span" and el.text == "الحمد لله")
    assert phrase.tail == ".\n" or phrase.tail == "."
    if output == "epub":
        for el in root.iter():
            if isinstance(el.tag, str) and el.get("lang"):
                assert el.get(XML_LANG) == el.get("lang")


def test_full_stop_and_comma_stay_after_the_phrase(books):
    html = books["plain"].chapters[0].html
    assert '<span lang="ar" dir="rtl">الحمد لله</span>.' in html
    assert '<span lang="ar" dir="rtl">صبر</span>, and it means' in html


def test_a_block_of_arabic_alone_is_tagged_on_the_block(books):
    root = ET.fromstring(f"<div>{books['plain'].chapters[0].html}</div>")
    block = next(p for p in root.iter("p") if "بِسْمِ" in "".join(p.itertext()))
    assert (block.get("lang"), block.get("dir")) == ("ar", "rtl")
    assert block.find("span") is None


def test_arabic_indic_digits_stay_with_their_run(books):
    html = books["plain"].chapters[0].html
    assert '<span lang="ar" dir="rtl">١٤٤٥ هـ</span> in the Hijri' in html


def test_footnotes_are_tagged_too(books):
    note = books["plain"].chapters[0].footnotes[0].html
    assert '<span lang="ar" dir="rtl">إن شاء الله</span> ends' in note


def test_hebrew_is_found_the_same_way(books):
    assert '<span lang="he" dir="rtl">שלום עליכם</span>, much' in books["plain"].chapters[0].html


def test_explicit_markup_wins(books):
    html = books["explicit"].chapters[0].html
    assert '<span lang="fa" dir="rtl">کتاب</span>' in html       # dir added to an RTL lang
    assert '<span lang="ur" dir="rtl">کتاب</span>' in html
    assert 'lang="ar"' not in html                                # nothing re-tagged
    root = ET.fromstring(f"<div>{html}</div>")
    ps = root.find(".//div[@lang='ps']")
    assert ps.get("dir") == "rtl" and ps.find(".//span") is None


def test_arabic_script_lang_sets_the_language_of_runs(books):
    assert '<span lang="fa" dir="rtl">دل</span> and left' in books["persian"].chapters[0].html


def test_neutrals_join_a_run_only_between_arabic_words():
    text = "say “قال الله: سبحانه” (twice) and ٢٣ times."
    assert [text[a:b] for a, b, _ in runs(text)] == ["قال الله: سبحانه", "٢٣"]
    # an inline element whose letters are all Arabic is marked itself, not wrapped
    assert tag_fragment("<p>A <em>صبر</em>.</p>") == '<p>A <em lang="ar" dir="rtl">صبر</em>.</p>'
    # presentation forms and marks are Arabic script
    assert all(script_of_char(c) == "arabic" for c in "\ufdf2\ufefb\u064b\u0670\u06dd")
    assert unicodedata.normalize("NFC", "لا") == "لا"


def _reference_runs(text):
    """The definition of a run, one character at a time (what `runs` did before it was
    written with regular expressions): a character of the script, then while the text
    goes on, characters of that script or marks right after them (both taken), and
    bridges (taken only if the script follows)."""
    def is_bridge(char):
        cat = unicodedata.category(char)
        return cat[0] in "ZPSM" or cat in ("Nd", "Cf") or char in "\t\n"
    out, i = [], 0
    while i < len(text):
        script = script_of_char(text[i])
        if script is None:
            i += 1
            continue
        start = end = j = i
        while j < len(text):
            s = script_of_char(text[j])
            if s == script or (s is None and unicodedata.category(text[j])[0] == "M"
                               and j == end + 1):
                end = j
            elif not (s is None and is_bridge(text[j])):
                break
            j += 1
        out.append((start, end + 1, script))
        i = end + 1
    return out


#: Arabic and Hebrew letters and marks, neutrals of every kind, Latin, combining marks,
#: Arabic-Indic digits, controls, private use, unassigned and astral characters.
_ALPHABET = ("بسمالله\u064e\u0651\u0670ـ؟،١٢\ufdf2\U0001EE00שלום\u05b8\u05bc"
             " \t\n\u00a0,.:;()“”—-'_abcXYZ12²½\u0301\u0308\u200c\u200d\u200f\u2066\u2069"
             "\ufeff\x0b\r\ue000\u0378\U0001F600\u0300")


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40) | st.text(max_size=40))
def test_runs_match_their_definition_on_any_text(text):
    assert runs(text) == _reference_runs(text)


def _old_script_of_char(char):
    from warraq.transforms.language import ARABIC_RANGES, HEBREW_RANGES
    code = ord(char)
    if any(lo <= code <= hi for lo, hi in ARABIC_RANGES):
        return "arabic"
    if any(lo <= code <= hi for lo, hi in HEBREW_RANGES):
        return "hebrew"
    return None


@pytest.mark.slow
def test_the_quick_script_tests_agree_with_the_character_by_character_ones():
    """`script_of_char`'s shortcut, `has_rtl_script` and `arabic_letters_only` (regular
    expression and translate table) say what the plain definitions say, for every code
    point, alone and among letters of other scripts."""
    from warraq.transforms.language import arabic_letters_only, has_rtl_script
    for code in range(0x110000):
        char = chr(code)
        script = _old_script_of_char(char)
        assert script_of_char(char) == script
        assert has_rtl_script("ab" + char + "c") == (script is not None)
    for text in ("", "123 ,.", "صبر", "صبر, ١٢٣.", "صبر x", "שלום", "صبر שלום", "ـ",
                 "\u064b\u0651", "صبر\u200d", "الحمد لله (1)", "é صبر"):
        letters = [ch for ch in text if unicodedata.category(ch)[0] == "L"]
        expected = bool(letters) and all(script_of_char(ch) == "arabic" for ch in letters)
        assert arabic_letters_only(text) == expected, text
