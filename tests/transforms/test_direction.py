"""warraq.transforms.direction: a block's direction from its first strong character, and
Latin runs inside right-to-left blocks isolated in spans that never hold a block."""

from __future__ import annotations

import lxml.etree as ET

from warraq.transforms.direction import orient_fragment


def _tree(xhtml: str) -> ET._Element:
    return ET.fromstring(f"<div>{xhtml}</div>")


def test_a_latin_run_inside_an_arabic_line_is_isolated():
    out = _tree(orient_fragment("<p>قال Qur'an 14:7 هنا</p>", "ltr", "en", "ar"))
    p = out.find("p")
    assert p.get("dir") == "rtl"
    spans = p.findall("span[@dir='ltr']")
    assert [s.text for s in spans] == ["Qur'an 14:7"]


def test_a_list_inside_a_right_to_left_item_is_not_put_in_a_span():
    """Found by the fuzz test (EPUBCheck RSC-005): an Arabic list item whose nested list
    begins in Latin had the list wrapped in `<span dir="ltr">`, which cannot hold it."""
    source = ("<ol><li><p>نص *</p><ul><li>note one</li><li>قال</li></ul>"
              "<p>tail text</p></li></ol>")
    out = _tree(orient_fragment(source, "ltr", "en", "ar"))
    for span in out.iter("span"):
        assert not any(child.tag in ("ul", "p", "li") for child in span.iter()), \
            ET.tostring(span, encoding="unicode")
    item = out.find("ol/li")
    assert item.get("dir") == "rtl"
    nested = item.find("ul")
    assert nested is not None and nested.getparent() is item
    # the nested blocks get their own direction: the English item and paragraph are
    # left to right inside the right-to-left item, the Arabic one right to left
    first, second = nested.findall("li")
    assert first.get("dir") == "ltr" and second.get("dir") in (None, "rtl")
    assert item.findall("p")[1].get("dir") == "ltr"
    assert "".join(out.itertext()) == "".join(_tree(source).itertext())
