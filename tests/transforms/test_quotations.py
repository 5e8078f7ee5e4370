"""warraq.transforms.quotations: a closing dash line becomes the quotation's footer."""

import dataclasses

from rendering import render
from warraq.model import Book, Chapter, Metadata
from warraq.transforms import quotations
from warraq.xhtml import parse_fragment


def book_with(markdown: str) -> Book:
    html = render(markdown).html
    meta = Metadata(title="T", lang="en", identifier="x", layout="book", contents=("c.md",))
    return Book(meta=meta, chapters=(Chapter("c.md", "c", "chapter", "T", html),))


def test_dash_line_becomes_footer():
    book = quotations.transform(book_with(
        "> Words worth keeping.\n>\n> — Ruqayya Salim, *Letters*, 14 March 1998\n"))
    quote = parse_fragment(book.chapters[0].html).find("blockquote")
    assert [c.tag for c in quote] == ["p", "footer"]
    footer = quote.find("footer")
    assert footer.get("class") == "attribution"
    assert footer.get("role") == "none"          # not a contentinfo landmark (Ace)
    assert "".join(footer.itertext()) == "— Ruqayya Salim, Letters, 14 March 1998"
    assert footer.find("em").text == "Letters"


def test_double_hyphen_attribution_after_smart_punctuation():
    book = quotations.transform(book_with("> Said.\n>\n> -- Someone, 2001\n"))
    assert "<footer" in book.chapters[0].html


def test_quotes_without_attribution_are_untouched():
    for text in ("> One paragraph only — with a dash inside.\n",
                 "> First.\n>\n> Second, no dash.\n"):
        book = book_with(text)
        assert quotations.transform(book).chapters[0].html == book.chapters[0].html


def test_book_is_a_new_value():
    book = book_with("> A.\n>\n> — B\n")
    assert quotations.transform(book) is not book
    assert dataclasses.is_dataclass(book)
