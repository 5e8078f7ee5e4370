"""warraq.readers.book: the only reader of the source folder; confined, complete, immutable."""

import dataclasses
import os

import pytest

from warraq.errors import SourceError
from warraq.readers import load_book


def codes(folder):
    with pytest.raises(SourceError) as info:
        load_book(folder)
    return [(d.code, d.file, d.line) for d in info.value.diagnostics]


def test_book_is_immutable(make_source):
    book = load_book(make_source({"title": "T", "contents": ["a.md"]}, {"a.md": "# A\n\nx\n"}))
    with pytest.raises(dataclasses.FrozenInstanceError):
        book.meta.title = "changed"
    assert isinstance(book.chapters, tuple)


def test_contents_problems_are_all_reported(make_source, tmp_path):
    (tmp_path / "outside.md").write_text("# Out\n\nx\n")
    src = make_source("title: T\ncontents:\n  - a.md\n  - a.md\n  - ../outside.md\n"
                      "  - /etc/hostname\n  - nothere.md\n  - notes.txt\n",
                      {"a.md": "# A\n\nx\n", "notes.txt": "x"})
    assert codes(src) == [("W201", "book.yaml", 4), ("W202", "book.yaml", 5),
                          ("W202", "book.yaml", 6), ("W200", "book.yaml", 7),
                          ("W204", "book.yaml", 8)]


def test_symlink_out_of_the_source_is_refused(make_source, tmp_path):
    (tmp_path / "secret.md").write_text("# Secret\n\nx\n")
    src = make_source("title: T\ncontents: [link.md]\n", {})
    os.symlink(tmp_path / "secret.md", src / "link.md")
    assert codes(src) == [("W202", "book.yaml", 2)]


def test_bom_and_crlf_simply_work(make_source):
    src = make_source({"title": "T", "contents": ["a.md"]}, {
        "a.md": "\ufeff---\r\ntitle: Opening\r\n---\r\n\r\n# Opening\r\n\r\nLine one.\r\n"
                .encode("utf-8")})
    book = load_book(src)
    assert book.chapters[0].title == "Opening"
    assert "\r" not in book.chapters[0].html


def test_not_utf8_names_the_line(make_source):
    src = make_source({"title": "T", "contents": ["a.md"]},
                      {"a.md": "# A\n\nfine\ncaf\xe9\n".encode("latin-1")})
    assert codes(src) == [("W203", "a.md", 4)]


def test_front_matter_and_chapter_problems(make_source):
    src = make_source({"title": "T", "contents": ["a.md", "b.md", "c.md", "d.md"]}, {
        "a.md": "---\ntitle: A\ncolour: red\n---\n\n# A\n\nx\n",
        "b.md": "---\ntitle: B\n---\n\n   \n",
        "c.md": "Just text, no heading.\n",
        "d.md": "---\ntype: novel\n---\n# D\n\nx\n",
    })
    assert codes(src) == [("W301", "a.md", 3), ("W302", "b.md", 4), ("W303", "c.md", 1),
                          ("W300", "d.md", 2)]


def test_front_matter_title_and_type(make_source):
    src = make_source({"title": "T", "contents": ["a.md"]},
                      {"a.md": "---\ntitle: Foreword\ntype: preface\n---\n\nNo heading here.\n"})
    chapter = load_book(src).chapters[0]
    assert (chapter.title, chapter.kind) == ("Foreword", "preface")
    assert chapter.html.startswith('<h1 id="a-title">Foreword</h1>')
    assert [h.text for h in chapter.headings] == ["Foreword"]


def test_images_are_read_into_the_book(make_source):
    import io
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buf, "PNG")
    src = make_source({"title": "T", "contents": ["ch/a.md"]}, {
        "ch/a.md": "# A\n\n![A red box](../img/red.png)\n", "img/red.png": buf.getvalue()})
    book = load_book(src)
    assert [(r.path, r.media_type, r.width) for r in book.resources] == [
        ("img/red.png", "image/png", 20)]
    assert 'src="img/red.png"' in book.chapters[0].html


def test_image_problems(make_source):
    src = make_source({"title": "T", "contents": ["a.md"]}, {
        "a.md": "# A\n\n![x](missing.png)\n\n![y](http://example.org/a.png)\n\n"
                "![z](../../etc/passwd)\n\n![w](fake.png)\n",
        "fake.png": b"not an image"})
    assert codes(src) == [("W306", "a.md", 3), ("W307", "a.md", 5), ("W307", "a.md", 7),
                          ("W306", "a.md", 9)]


def test_an_author_id_used_in_two_chapters_is_refused(make_source):
    """Found by a long fuzz run: the print edition is one HTML document, so `{#x}` in two
    chapters made WeasyPrint warn "Anchor defined twice"."""
    src = make_source({"title": "T", "contents": ["a.md", "b.md"]}, {
        "a.md": "# A\n\n::: {#x}\nOne.\n:::\n", "b.md": "# B\n\nText.\n\n::: {#x}\nTwo.\n:::\n"})
    assert codes(src) == [("W314", "b.md", 5)]


def test_unicode_line_and_paragraph_separators_become_markdown_breaks(make_source):
    """Found by a long fuzz run: no font has U+2028/U+2029, WeasyPrint drew .notdef."""
    src = make_source({"title": "T", "contents": ["a.md"]},
                      {"a.md": "# A\n\nOne\u2028two\u2029Three.\n"})
    html = load_book(src).chapters[0].html
    assert "\u2028" not in html and "\u2029" not in html
    assert html.count("<p>") == 2
