"""warraq.readers.checks and the whole read: every check runs whatever another found, each
error once, in file order (book.yaml, then the chapters in reading order), at the line
the walk of Pandoc's AST or the raw HTML audit gives."""

import pytest

from warraq.errors import SourceError
from warraq.pipeline import prepare
from warraq.readers import load_book, read_book


def found(folder, run=prepare):
    with pytest.raises(SourceError) as info:
        run(folder)
    return [(d.code, d.file, d.line) for d in info.value.diagnostics], info.value


def test_one_run_reports_book_yaml_markdown_link_and_glyph_errors(make_source):
    """Issue 10, item 8: before, only the W103 was shown, and the W400 only once the W307
    was fixed."""
    src = make_source("title: T\ncolour: red\ncontents: [b.md, a.md]\n", {
        "b.md": "# B\n\nA note.[^gone]\n\nSee [notes](notes.txt).\n",
        "a.md": "# A\n\nA hieroglyph: \U00013000.\n",
        "notes.txt": "x"})
    got, err = found(src)
    assert got == [("W103", "book.yaml", 2), ("W304", "b.md", 3), ("W307", "b.md", 5),
                   ("W400", "a.md", 3)]                    # reading order, not a.md first
    assert err.report()[-1] == "4 errors: nothing was written."


def test_the_checks_of_a_chapter_do_not_hide_each_other(make_source):
    """Before, the first failed check of a chapter (here W303) hid all the others."""
    src = make_source({"title": "T", "contents": ["a.md"]}, {"a.md": (
        "Text without a heading [and]{lang=english_UK} a [link](#nowhere).\n\n"
        "[one]{#same} and\n[two]{#same}\n\n"
        "![](pic.png)\n")})
    got, _ = found(src, load_book)
    assert got == [("W303", "a.md", 1), ("W313", "a.md", 1), ("W106", "a.md", 1),
                   ("W314", "a.md", 4), ("W306", "a.md", 6), ("W309", "a.md", 6)]


def test_lines_inside_paragraphs_and_raw_html_come_from_the_source(make_source):
    src = make_source({"title": "T", "contents": ["a.md"]}, {"a.md": (
        "---\ntitle: A\n---\n# A\n\n"
        "First line,\nsecond [x]{lang=bad_tag} line,\nthird [y](../up.txt).\n\n"
        '<div id="d">\n<p id="d">two</p>\n<img src="p.png">\n</div>\n')})
    got, _ = found(src, load_book)
    assert got == [("W106", "a.md", 7), ("W307", "a.md", 8), ("W314", "a.md", 11),
                   ("W306", "a.md", 12), ("W309", "a.md", 12)]


def test_a_footnote_in_an_inline_note_points_at_the_reference(make_source):
    src = make_source({"title": "T", "contents": ["a.md"]}, {"a.md": (
        "# A\n\nText.\n\nMore^[an inline note with a [link](../x.txt)].\n")})
    assert found(src, load_book)[0] == [("W307", "a.md", 5)]


def test_without_a_contents_list_the_report_says_the_chapters_were_not_read(make_source):
    src = make_source("title: T\ncontents: a.md\n", {"a.md": "# A\n\n\U00013000\n"})
    got, err = found(src)
    assert got == [("W105", "book.yaml", 2)]
    assert "the chapters were not read" in "\n".join(err.report())


def test_a_broken_book_yaml_still_has_its_chapters_read(make_source):
    src = make_source("title: T\ndate: 2023-13-45\ncontents: [a.md]\n",
                      {"a.md": "# A\n\n[x](#nowhere)\n"})
    read = read_book(src)
    assert [(d.code, d.file) for d in read.diagnostics.items] == [
        ("W107", "book.yaml"), ("W313", "a.md")]
    assert [c.title for c in read.book.chapters] == ["A"]


def test_a_control_character_does_not_stop_the_rest_of_the_file_being_checked(make_source):
    src = make_source({"title": "T", "contents": ["a.md"]},
                      {"a.md": "# A\n\nA form feed \x0c here.\n\n[x](#nowhere)\n"})
    assert found(src, load_book)[0] == [("W207", "a.md", 3), ("W313", "a.md", 5)]
