"""warraq.markdown: Pandoc-style Markdown becomes a sanitised, well-formed fragment."""

from warraq.errors import Diagnostics
from warraq.markdown import make_parser, render
from warraq.xhtml import parse_fragment


def go(text):
    diags = Diagnostics()
    return render(make_parser(), text, "ch", "f.md", 2, diags), diags


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
        ("fn-ch-1", "fnref-ch-1", "1"), ("fn-ch-2", "fnref-ch-2", "2")]
    refs = parse_fragment(r.html).findall(".//a")
    assert [a.get("href") for a in refs] == ["#fn-ch-1", "#fn-ch-2"]
    assert "<em>note</em>" in r.footnotes[0].html


def test_undefined_and_unused_footnotes_are_reported_with_lines():
    _, diags = go("Para.[^missing]\n\n[^spare]: never used\n")
    assert [(d.code, d.line) for d in diags.items] == [("W304", 3), ("W305", 5)]


def test_smart_punctuation():
    r, _ = go('"Quoted" -- and \'single\' ...\n')
    assert "“Quoted” – and ‘single’ …" in r.html


def test_raw_html_is_sanitised():
    r, _ = go('<script>alert(1)</script>\n\n<p onclick="x">ok <iframe src="x"></iframe>'
              '<a href="javascript:alert(1)">j</a></p>\n')
    assert "script" not in r.html and "onclick" not in r.html and "iframe" not in r.html
    assert "javascript" not in r.html
    parse_fragment(r.html)


def test_headings_get_unique_ids_and_plain_text():
    r, _ = go("# One *two*\n\n## Same\n\n## Same\n")
    assert [(h.level, h.text, h.id) for h in r.headings] == [
        (1, "One two", "ch-one-two"), (2, "Same", "ch-same"), (2, "Same", "ch-same-2")]


def test_images_are_listed_with_their_lines():
    r, _ = go("Para\n\n![alt text](img/a.png)\n")
    assert r.images == [("img/a.png", 5)]
