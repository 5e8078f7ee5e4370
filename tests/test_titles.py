"""warraq.titles: a chapter opening with a lower-level heading has it raised, not repeated."""

from __future__ import annotations

from warraq.model import Heading
from warraq.titles import chapter_title


def test_an_opening_sub_heading_is_raised_to_the_title_not_said_twice():
    html = '<h2 id="what-remains">What remains</h2>\n<p>Text.</p>\n<h3 id="x">More</h3>'
    headings = (Heading(2, "What remains", "what-remains"), Heading(3, "More", "x"))
    title, out, heads = chapter_title(html, headings, None, "close", "article",
                                      "On Keeping Promises", first=False)
    assert title == "What remains"
    assert out.count("What remains") == 1 and out.startswith('<h1 id="what-remains">')
    assert heads == (Heading(1, "What remains", "what-remains"), Heading(3, "More", "x"))


def test_a_sub_heading_after_text_keeps_its_level_and_a_title_goes_in_front():
    html = '<p>Opening words.</p>\n<h2 id="later">Later</h2>'
    headings = (Heading(2, "Later", "later"),)
    title, out, heads = chapter_title(html, headings, None, "ch", "book", "A Book", first=True)
    assert title == "Later"
    assert out.startswith('<h1 id="ch-title">Later</h1>') and '<h2 id="later">' in out
    assert [h.level for h in heads] == [1, 2]
