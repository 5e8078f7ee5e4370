"""Ordered lists keep the numbering the author wrote (Pandoc's `fancy_lists`, as Pandoc
reads them): `a.`, `A.`, `i.`, `I.`, `a)`, `(1)`, `#.` and example lists `(@)`; decimal
lists are HTML's own `<ol>`; initials stay text."""

import pytest

from rendering import render, render_all
from warraq.xhtml import parse_fragment

CASES = [("a. one\nb. two\n", "a"), ("A.  one\nB.  two\n", "A"), ("i. one\nii. two\n", "i"),
         ("I.  one\nII.  two\n", "I"), ("a) one\nb) two\n", "a"), ("(a) one\n(b) two\n", "a")]


def html(text):
    return render(text).html


def test_list_types():
    for (text, type_), out in zip(CASES, render_all([t for t, _ in CASES])):
        ol = parse_fragment(out.html).find("ol")
        assert ol is not None and ol.get("type") == type_, (text, out.html)
        assert [li.text for li in ol] == ["one", "two"]


def test_lettered_sub_points_inside_numbered_points():
    out = html("1. First\n   a. one\n   b. two\n2. Second\n")
    outer = parse_fragment(out).find("ol")
    assert outer.get("type") is None and len(outer) == 2
    inner = outer[0].find("ol")
    assert inner.get("type") == "a" and [li.text for li in inner] == ["one", "two"]
    assert outer[1].text == "Second"


def test_lettered_points_after_a_paragraph_under_a_heading():
    """The article's shape (`## 1.`, a paragraph, then `a.` points)."""
    out = html("## 1.\n\nThe speech.\n\na. He praises.\nb. He promises.\n")
    root = parse_fragment(out)
    assert [el.tag for el in root] == ["h2", "p", "ol"]
    assert root.find("ol").get("type") == "a" and len(root.find("ol")) == 2


@pytest.mark.parametrize("text, start, type_", [("c. third\nd. fourth\n", "3", "a"),
                                                ("iv. four\nv. five\n", "4", "i"),
                                                ("xiv. a\nxv. b\n", "14", "i"),
                                                ("3. three\n4. four\n", "3", None)])
def test_start_value_is_kept(text, start, type_):
    ol = parse_fragment(html(text)).find("ol")
    assert (ol.get("start"), ol.get("type")) == (start, type_)


def test_decimal_lists_are_htmls_own():
    assert html("1. a\n2. b\n") == "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"
    for text in ("#. a\n#. b\n", "(1) a\n(2) b\n", "1) a\n2) b\n"):
        assert html(text).startswith("<ol>\n<li>a</li>"), text


def test_example_lists_number_on_across_the_text():
    root = parse_fragment(html("(@) one\n(@) two\n\nText.\n\n(@) three\n"))
    first, second = root.findall("ol")
    assert len(first) == 2 and second.get("start") == "3"


def test_initials_stay_text():
    for text in ("B. Russell wrote it.\n", "A. Smith and\nB. Jones wrote.\n"):
        assert "<ol" not in html(text)
