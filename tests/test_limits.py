"""Big and deep sources build in bounded time and memory, or stop with a documented code
(W310 a paragraph too long to typeset, W312 nesting too deep, W206 a file over 20 MB);
nothing deep is ever silently dropped. BOM and CRLF simply work."""

from __future__ import annotations

import zipfile

import pytest

import typeset
from conftest import write_source
from readback import NS, Epub, xml
from warraq.errors import SourceError
from warraq.readers.chapter import MAX_NESTING, MAX_PARAGRAPH_CHARS
from warraq.readers.folder import MAX_FILE_BYTES
from warraq.pipeline import build

KINDS = ["1.", "a.", "i.", "-", "A.", "I.", "*"]


def nested_lists(levels: int) -> str:
    """Lists inside one another, each item indented to its parent's text; as in Pandoc's
    Markdown, a capital letter and a period are followed by two spaces (`A.  level`)."""
    out, column = [], 0
    for d in range(levels):
        marker = KINDS[d % len(KINDS)] + ("  " if KINDS[d % len(KINDS)][0] in "AI" else " ")
        out.append(" " * column + marker + f"level {d}\n")
        column += len(marker)
    return "".join(out)


def test_lists_and_quotations_at_the_limit_build_with_nothing_dropped(tmp_path):
    lists = MAX_NESTING // 2
    text = ("# Deep\n\n" + nested_lists(lists) + "\nBetween.\n\n" + "> " * MAX_NESTING
            + "the deepest quotation\n")
    src = write_source(tmp_path / "src", {"title": "Deep", "contents": ["a.md"]},
                       {"a.md": text.encode()})
    result = build(src, tmp_path / "dist")
    epub = Epub(next(p for p in result.files if p.suffix == ".epub"))
    body = xml(epub.read("text/a.xhtml")).find("x:body", NS)
    items = [" ".join("".join(li.itertext()).split()) for li in body.iter(f"{{{NS['x']}}}li")]
    assert items[-1] == f"level {lists - 1}"
    deepest = max(len(list(li.iterancestors(f"{{{NS['x']}}}ol", f"{{{NS['x']}}}ul")))
                  for li in body.iter(f"{{{NS['x']}}}li"))
    assert deepest == lists
    quotes = max(len(list(q.iterancestors(f"{{{NS['x']}}}blockquote"))) + 1
                 for q in body.iter(f"{{{NS['x']}}}blockquote"))
    assert quotes == MAX_NESTING
    assert "the deepest quotation" in "".join(body.itertext())
    # read in reading order, without running heads and folios: the deepest quotation, a
    # few letters wide, may run over a page (tests/typeset.py)
    pages = typeset.pages(next(p for p in result.files if p.suffix == ".pdf"))
    pdf_text = " ".join(line.text for page in pages for line in page.body)
    squashed = "".join(pdf_text.split()).replace("\u2010", "")          # lines break narrow
    assert f"level{lists - 1}" in squashed and "thedeepestquotation" in squashed


@pytest.mark.slow
def test_a_five_megabyte_chapter_of_paragraphs_builds(tmp_path):
    paragraph = ("Words of a long book, set one after another without end. " * 60).strip()
    count = 5 * 1024 * 1024 // (len(paragraph) + 2) + 1
    text = "# Long\n\n" + "\n\n".join([paragraph] * count) + "\n"
    assert 5 * 1024 * 1024 < len(text) < MAX_FILE_BYTES
    src = write_source(tmp_path / "src", {"title": "Long", "contents": ["a.md"]},
                       {"a.md": text.encode()})
    result = build(src, tmp_path / "dist", ("epub",))
    epub = next(p for p in result.files if p.suffix == ".epub")
    with zipfile.ZipFile(epub) as zf:
        xhtml = zf.read("EPUB/text/a.xhtml").decode()
    assert xhtml.count("<p>") == count


def test_one_paragraph_too_long_is_refused_not_hung(tmp_path):
    text = "# Long\n\nFine.\n\n" + "x" * (MAX_PARAGRAPH_CHARS + 1) + "\n\nFine again.\n"
    src = write_source(tmp_path / "src", {"title": "Long", "contents": ["a.md"]},
                       {"a.md": text.encode()})
    with pytest.raises(SourceError) as info:
        build(src, tmp_path / "dist")
    assert [(d.code, d.line) for d in info.value.diagnostics] == [("W310", 5)]
    ok = "# Long\n\n" + ("x" * 99 + " ") * (MAX_PARAGRAPH_CHARS // 100) + "\n"   # words
    (src / "a.md").write_text(ok)
    build(src, tmp_path / "dist", ("epub",))


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    src = write_source(tmp_path / "src", {"title": "Big", "contents": ["a.md"]}, {})
    with open(src / "a.md", "wb") as handle:
        handle.write(b"# Big\n\n")
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(SourceError) as info:
        build(src, tmp_path / "dist")
    assert [(d.code, d.file) for d in info.value.diagnostics] == [("W206", "a.md")]


def test_bom_and_crlf_give_the_same_book_as_plain_lf(tmp_path):
    text = "---\ntitle: Opening\n---\n\n# Opening\n\nLine one,\nline two.[^n]\n\n[^n]: A note.\n"
    meta = {"title": "Endings", "contents": ["a.md"], "date": "2024-01-02"}
    plain = write_source(tmp_path / "lf", meta, {"a.md": text.encode()})
    windows = write_source(tmp_path / "crlf", meta,
                           {"a.md": ("\ufeff" + text.replace("\n", "\r\n")).encode()})
    (windows / "book.yaml").write_bytes(b"\xef\xbb\xbf" + (windows / "book.yaml").read_bytes()
                                        .replace(b"\n", b"\r\n"))
    a = build(plain, tmp_path / "a", ("epub",))
    b = build(windows, tmp_path / "b", ("epub",))
    assert a.files[0].read_bytes() == b.files[0].read_bytes()
    assert a.book.chapters[0].title == "Opening"
