"""warraq.fancy_lists: ordered lists keep the numbering the author wrote."""

import pytest

from warraq.errors import Diagnostics
from warraq.fancy_lists import roman_value
from warraq.markdown import make_parser, render


def html(text):
    return render(make_parser(), text, "c", "f.md", 0, Diagnostics()).html


@pytest.mark.parametrize("marker,type_", [("a.", "a"), ("A.", "A"), ("i.", "i"), ("I.", "I"),
                                          ("a)", "a")])
def test_list_types(marker, type_):
    out = html(f"{marker} one\n{marker[:-1].replace('a', 'b').replace('A', 'B').replace('i', 'ii').replace('I', 'II')}{marker[-1]} two\n")
    assert f'<ol type="{type_}">' in out
    assert out.count("<li>") == 2


def test_lettered_sub_points_inside_numbered_points():
    out = html("1. First\n   a. one\n   b. two\n2. Second\n")
    assert out.index("<ol>") < out.index('<ol type="a">') < out.index("Second")
    assert out.count("<li>") == 4


def test_start_value_is_kept():
    assert 'start="3"' in html("c. third\nd. fourth\n")
    assert 'start="4"' in html("iv. four\nv. five\n")


def test_decimal_lists_are_unchanged():
    assert html("1. a\n2. b\n") == "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n"


def test_initials_stay_text():
    assert "<ol" not in html("B. Russell wrote it.\n")


def test_roman_values():
    assert [roman_value(x) for x in ("i", "iv", "ix", "xiv", "MCM")] == [1, 4, 9, 14, 1900]
    assert roman_value("abc") is None
