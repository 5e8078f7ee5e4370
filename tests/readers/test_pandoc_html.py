"""warraq.readers.pandoc_html: Pandoc's Markdown becomes a sanitised, well-formed
fragment with its headings, notes and the lines of what the checks report on."""

from rendering import render, render_all
from warraq.errors import Diagnostics
from warraq.xhtml import parse_fragment


def go(text, marks="“”‘’"):
    diags = Diagnostics()
    return render(text, diags, offset=2, marks=marks), diags


def test_fenced_divs_and_spans_carry_author_attributes():
    r, _ = go("::: {.verse lang=ar dir=rtl onclick=x}\nنص\n:::\n\n::: invocation\nx\n:::\n\n"
              "A [word]{lang=ar .q} here.\n")
    root = parse_fragment(r.html)
    verse, invocation = root.findall("div")
    assert verse.get("class") == "verse" and verse.get("lang") == "ar"
    assert verse.get("dir") == "rtl" and verse.get("onclick") is None
    assert invocation.get("class") == "invocation"
    span = root.find(".//span")
    assert span.get("lang") == "ar" and span.text == "word"


def test_footnotes_are_split_out_with_matching_ids():
    r, diags = go("Text.[^a] More.[^b]\n\n[^a]: First *note*.\n[^b]: Second.\n")
    assert not diags
    assert [(f.id, f.ref_id, f.label) for f in r.footnotes] == [
        ("fn-c1-1", "fnref-c1-1", "1"), ("fn-c1-2", "fnref-c1-2", "2")]
    refs = parse_fragment(r.html).findall(".//a")
    assert [a.get("href") for a in refs] == ["#fn-c1-1", "#fn-c1-2"]
    assert "<em>note</em>" in r.footnotes[0].html


def test_undefined_and_unused_footnotes_are_reported_with_lines():
    _, diags = go("Para.[^missing]\n\n[^spare]: never used\n")
    assert [(d.code, d.line) for d in diags.items] == [("W304", 3), ("W305", 5)]


def test_smart_punctuation_in_the_books_quotation_marks():
    text = '"Quoted" -- and \'single\' ...\n'
    assert "“Quoted” – and ‘single’ …" in go(text)[0].html
    assert "«Quoted» – and ‹single› …" in go(text, marks="«»‹›")[0].html
    heading = go('# The "word"\n', marks="«»‹›")[0].headings[0]
    assert heading.text == "The «word»"          # the contents list says what the text says


def test_a_paragraphs_lines_stay_lines():
    """The conventions read a paragraph's lines (a dateline on two lines, a reference on
    the last line of a translation): Pandoc writes them as the author broke them."""
    r, _ = go("10 Dhul-Hijjah 1445 AH\n16 June 2024 CE\n")
    assert r.html == "<p>10 Dhul-Hijjah 1445 AH\n16 June 2024 CE</p>"


def test_raw_html_is_sanitised():
    r, _ = go('<script>alert(1)</script>\n\n<p onclick="x">ok <iframe src="x"></iframe>'
              '<a href="javascript:alert(1)">j</a></p>\n')
    assert "script" not in r.html and "onclick" not in r.html and "iframe" not in r.html
    assert "javascript" not in r.html
    parse_fragment(r.html)


def test_headings_get_pandocs_ids_unique_across_the_book_and_plain_text():
    one, two = render_all(["# One *two*\n\n## Same\n\n## Same\n", "# Same\n\n## 1.\n"])
    assert [(h.level, h.text, h.id) for h in one.headings] == [
        (1, "One two", "one-two"), (2, "Same", "same"), (2, "Same", "same-1")]
    assert [(h.level, h.text, h.id) for h in two.headings] == [
        (1, "Same", "same-2"), (2, "1.", "section")]


def test_images_are_listed_with_their_lines():
    r, _ = go("Para\n\n![alt text](img/a.png)\n")
    assert r.images == [("img/a.png", 5)]
