"""Links between chapters and ids across the book (issue 10, item 2).

A book of three chapters links to itself every way an author writes it (a chapter's
file, `./`, `../`, `.md#id`, `.html#id`, an id of another chapter, an implicit header
reference, a GitHub-style id, an Arabic heading); the read-back follows every link in
the EPUB (open the file, find the id, compare its text) and in the PDF (each link
annotation's destination page holds the target's text).
"""

from __future__ import annotations

import posixpath
import re

import pikepdf
import pytest

from readback import NS, Epub, Pdf, epubcheck_problems
from warraq.pipeline import build
from warraq.readers import read_book

X = "{" + NS["x"] + "}"
CHAPTERS = {
    "ch01.md": """# Introduction

The method: [Method](part/ch02.md), [Method](./part/ch02.md), [Sources](part/ch02.md#sources),
[Sources](part/ch02.html#sources), [Sources](#sources) and [Appendix A](appendix.md).
The background: [Background] and [Background](#background). Written ids:
[The table](#the-table), and GitHub's: [Why, and how?](#why-and-how).
Arabic: [اللغة العربية](part/ch02.md#اللغة-العربية).[^1]

## Background

Text.

## Why, and how?

Text.

[^1]: A note pointing at [Appendix A](appendix.md#appendix-a).
""",
    "part/ch02.md": """# Method

Back to the [Introduction](../ch01.md) and its [Background](../ch01.md#background).
Ours: [Background] (this chapter's own).

## Background

Text of the second background.

## Sources {#sources}

::: {#the-table}
The table
:::

## اللغة العربية

نص.
""",
    "appendix.md": """# Appendix A

See [Sources](part/ch02.xhtml#sources) and the [Introduction](ch01.md#introduction).
""",
}


def _source(make_source):
    return make_source({"title": "Linked", "author": "A. Writer", "date": "2024-01-01",
                        "contents": ["ch01.md", "part/ch02.md", "appendix.md"]}, CHAPTERS)


def test_ids_are_pandocs_kept_as_written_and_unique_across_the_book(make_source):
    book = read_book(_source(make_source)).book
    ids = [[h.id for h in c.headings] for c in book.chapters]
    assert ids == [["introduction", "background", "why-and-how"],
                   ["method", "background-1", "sources", "اللغة-العربية"], ["appendix-a"]]
    first, second, third = (c.html for c in book.chapters)
    hrefs = re.findall(r'href="([^"]*)"', first)
    assert hrefs[:11] == ["#method", "#method", "#sources", "#sources", "#sources",
                          "#appendix-a", "#background", "#background", "#the-table",
                          "#why-and-how", "#اللغة-العربية"]
    assert re.findall(r'href="([^"]*)"', second) == ["#introduction", "#background",
                                                      "#background-1"]
    assert re.findall(r'href="([^"]*)"', third) == ["#sources", "#introduction"]
    assert 'href="#appendix-a"' in book.chapters[0].footnotes[0].html


@pytest.mark.parametrize("link, code, named", [
    ("[x](part/ch02.md#nowhere)", "W313", "part/ch02.md#nowhere"),
    ("[x](#nowhere)", "W313", "#nowhere"),
    ("[x](notes.txt)", "W307", "notes.txt"),
    ("[x](missing.md)", "W307", "missing.md"),
    ("[x](../outside.md)", "W307", "../outside.md"),
])
def test_a_link_to_nothing_is_an_error_naming_its_target(make_source, link, code, named):
    files = dict(CHAPTERS)
    files["appendix.md"] = "# Appendix A\n\nText.\n\n" + link + "\n"
    read = read_book(make_source({"title": "T", "contents": list(files)}, files))
    found = [(d.file, d.line, d.code) for d in read.diagnostics.items]
    assert found == [("appendix.md", 5, code)]
    assert f"`{named}`" in read.diagnostics.items[0].message


def test_an_id_written_twice_in_the_book_is_refused_and_made_ones_are_not(make_source):
    files = {"a.md": "# Intro\n\n## Same {#same}\n", "b.md": "# Intro\n\n## Same {#same}\n"}
    read = read_book(make_source({"title": "T", "contents": ["a.md", "b.md"]}, files))
    assert [(d.file, d.line, d.code) for d in read.diagnostics.items] == [("b.md", 3, "W314")]
    assert "a.md" in read.diagnostics.items[0].message


def _epub_targets(epub: Epub) -> dict[str, str]:
    """id -> its element's text, over every chapter file."""
    found = {}
    for href, tree in epub.xhtml_documents().items():
        for el in tree.iter():
            if el.get("id"):
                found[el.get("id")] = " ".join("".join(el.itertext()).split())
    return found


@pytest.mark.slow
def test_every_link_leads_to_its_target_in_the_epub_and_the_pdf(make_source, tmp_path):
    result = build(_source(make_source), tmp_path / "dist")
    epub = Epub(next(p for p in result.files if p.suffix == ".epub"))
    assert epubcheck_problems(epub.path) == []
    docs = epub.xhtml_documents()
    followed = 0
    for href, tree in docs.items():
        if not re.search(r"text/(ch01|ch02|appendix)\.xhtml$", href):
            continue
        for a in tree.iter(X + "a"):
            link = a.get("href")
            if a.get("role") == "doc-backlink" or a.get("class") == "noteref":
                continue
            file, _, frag = link.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(href), file)) \
                if file else href
            assert target in docs, (href, link)
            element = next(el for el in docs[target].iter() if el.get("id") == frag)
            text = " ".join("".join(element.itertext()).split())
            assert text == " ".join("".join(a.itertext()).split()), (href, link, text)
            followed += 1
    assert followed == 11 + 1 + 3 + 2
    texts = _epub_targets(epub)
    pdf = pikepdf.open(next(p for p in result.files if p.suffix == ".pdf"))
    names = dict(_names(pdf.Root.Names.Dests))
    pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
    page_texts = Pdf(next(p for p in result.files if p.suffix == ".pdf")).page_texts()
    checked = 0
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            dest = str(annot.get("/Dest", ""))
            if dest in ("", "contents", "ch01", "ch02", "appendix") or dest.startswith("fn-"):
                continue                # the contents page's links, the notes' numbers
            on = pages[names[dest][0].objgen]
            assert texts[dest] in " ".join(page_texts[on].split()), (dest, on)
            checked += 1
    assert checked == followed


def _names(node):
    """(name, destination) pairs of a PDF name tree."""
    if "/Names" in node:
        items = list(node.Names)
        for i in range(0, len(items), 2):
            yield str(items[i]), items[i + 1]
    for kid in node.get("/Kids", []):
        yield from _names(kid)


def test_a_link_to_an_articles_first_part_goes_to_its_start(make_source):
    """An article's first part opens under the title block, with no heading of its own
    (`warraq.titles`): a link to its file goes to the part itself; a link to a part
    that opens with a heading goes to that heading."""
    files = {"talk.md": "Opening words.\n\n## 1.\n\nSee [the close](close.md).\n",
             "close.md": "# Closing words\n\nBack to [the start](talk.md) and [point 1](talk.md#section).\n"}
    book = read_book(make_source({"title": "T", "layout": "article",
                                  "contents": list(files)}, files)).book
    talk, close = book.chapters
    assert [h.level for h in talk.headings] == [2]
    assert re.findall(r'href="([^"]*)"', talk.html) == ["#closing-words"]
    assert re.findall(r'href="([^"]*)"', close.html) == ["#talk", "#section"]
