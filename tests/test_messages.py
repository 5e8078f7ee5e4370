"""Messages print values escaped and shortened, in one place (`errors.safe_message`): a
source cannot forge a `file:line: error` line, hide text behind a bidi override, or crash
the printing with a lone surrogate."""

from warraq.errors import MAX_MESSAGE, Diagnostic, SourceError, escaped, safe_message, warning


def test_newlines_controls_and_bidi_controls_are_escaped():
    d = Diagnostic("book.yaml", 2, None, "W108", "`x\nbook.yaml:1: error W104: forged` "
                   "\u202eevil\u2066 \x1b[31mred \ud800")
    text = str(d)
    assert "\n" not in text and "\x1b" not in text and "\u202e" not in text
    assert "\\n" in text and "\\u202e" in text and "\\u2066" in text and "\\ud800" in text
    assert text.encode("utf-8")                       # printable: no lone surrogate left
    assert SourceError([d]).report()[0] == text


def test_a_long_value_is_shortened_and_the_advice_kept():
    message = "`" + "y" * 10_000 + "` is not a BCP 47 language tag: use `en`"
    out = safe_message(message)
    assert len(out) < 150 and out.endswith("is not a BCP 47 language tag: use `en`")
    assert len(safe_message("z " * 1000)) == MAX_MESSAGE


def test_a_file_name_with_a_newline_is_escaped_too():
    d = Diagnostic("a\nb.md", 1, None, "W302", "empty")
    assert str(d) == "a\\nb.md:1: error W302: empty"


def test_ordinary_text_is_unchanged():
    for text in ["`title` is required", "قال `الصبر`", "e\u0301 and ZWJ \u200d kept"]:
        assert escaped(text) == text


def test_spaces_other_than_the_space_are_shown_as_escapes():
    """A value of one no-break space would print as ` `, indistinguishable from a space."""
    text = str(Diagnostic("book.yaml", 1, 9, "W109", "`layout` must be one of book, article, "
                          "not `\u00a0`"))
    assert text.endswith("not `\\u00a0`") and text.isprintable()
    assert escaped("a\u2003b\u3000c d") == "a\\u2003b\\u3000c d"


def test_warnings_are_escaped_and_shortened_like_errors():
    """A warning quotes the source too (W316: the closing dates as written)."""
    line = warning("a\nb.md", 3, "W316", "the closing dates (`" + "9" * 500 + "\n"
                   "book.yaml:1: error W104: forged`) are not the book's date")
    assert line.startswith("a\\nb.md:3: W316: ") and "\n" not in line
    assert len(line) < 200 and line.isprintable()
