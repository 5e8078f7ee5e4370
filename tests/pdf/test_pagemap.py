"""warraq.pdf.pagemap, read back: the EPUB's page-list is where the printed PDF's pages
begin. The PDF is read with pypdf, the EPUB as XML; nothing trusts warraq's own map."""

import random
import re
import unicodedata

import pytest

from readback import NS, Epub, Pdf, xml
from warraq.pdf.pagemap import _find, number_blocks
from warraq.xhtml import parse_fragment


def squash(text: str) -> str:
    """Letters and digits only (pypdf and XHTML differ in spaces, hyphens, quotes)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ch.isalnum()).casefold()


def outputs(result):
    return (Epub(next(p for p in result.files if p.suffix == ".epub")),
            Pdf(next(p for p in result.files if p.suffix == ".pdf")))


def page_list(epub: Epub) -> list[tuple[str, str]]:
    nav = xml(epub.read(epub.nav_href()))
    pl = next(n for n in nav.iter(f"{{{NS['x']}}}nav")
              if n.get(f"{{{NS['epub']}}}type") == "page-list")
    return [(a.text, a.get("href")) for a in pl.iter(f"{{{NS['x']}}}a")]


def text_after(root, marker, n: int = 24) -> str:
    """The first `n` letters/digits that follow `marker` in document order."""
    out, started = [], False
    for el in root.iter():
        if el is marker:
            started = True
            out.append(el.tail or "")
            continue
        if started and isinstance(el.tag, str):
            if marker in el.iterancestors():
                continue
            out.append(el.text or "")
            out.append(el.tail or "")
        if started and len(squash("".join(out))) >= n:
            break
    if not started:
        raise AssertionError("marker not in document")
    # text of later elements' descendants comes in order through iter(); tails of the
    # ancestors of the marker follow naturally.
    return squash("".join(out))[:n]


def _long_text(seed: int, paragraphs: int) -> str:
    """Deterministic filler prose: long paragraphs, some emphasis, a list, a note."""
    rng = random.Random(seed)
    words = ("river stone light water the a of and field wind salt morning evening road "
             "hand door key relief ease letter student promise bridge lamp "
             "understanding extraordinary responsibilities").split()

    def sentence(n):
        s = " ".join(rng.choice(words) for _ in range(n))
        return s[0].upper() + s[1:] + "."
    out = []
    for k in range(paragraphs):
        if k % 4 == 0:
            out += [f"## Part {k // 4 + 1}", ""]
        out += [" ".join(sentence(rng.randint(8, 20)) for _ in range(rng.randint(6, 12)))
                + (f"[^n{k}]" if k % 5 == 2 else ""), ""]
        if k % 6 == 3:
            out += ["1. " + sentence(30), "   a. " + sentence(25), "   b. " + sentence(40), ""]
        if k % 7 == 5:
            out += ["> *" + sentence(12)[:-1] + "* " + sentence(50), ""]
        if k % 5 == 2:
            out += [f"[^n{k}]: " + sentence(30), ""]
    return "\n".join(out)


@pytest.fixture(scope="module")
def long_build(tmp_path_factory):
    """A book of about ten printed pages whose pages mostly begin inside paragraphs."""
    from conftest import write_source
    from warraq.pipeline import build
    folder = tmp_path_factory.mktemp("long-src")
    meta = {"title": "Page Numbers at Length", "author": "Test Author", "lang": "en",
            "identifier": "urn:uuid:4a1b2c3d-1111-4a1a-9c1c-2f0e6d1a9b02",
            "date": "2024-01-01", "layout": "book", "contents": ["one.md", "two.md"]}
    write_source(folder, meta, {"one.md": "# One\n\n" + _long_text(1, 14),
                                "two.md": "# Two\n\n" + _long_text(2, 10)})
    return build(folder, tmp_path_factory.mktemp("long-dist"))


@pytest.mark.slow
def test_long_book_pages_begin_inside_paragraphs(long_build):
    epub, pdf = outputs(long_build)
    inside = 0
    for label, href in page_list(epub):
        file, _, frag = href.partition("#")
        root = xml(epub.read(file))
        marker = next(e for e in root.iter() if e.get("id") == frag)
        if marker.getprevious() is not None or (marker.getparent().text or "").strip():
            inside += 1
    assert len(pdf.page_texts()) >= 10 and inside >= 4
    # Markers inside paragraphs, list items and emphasis keep the EPUB valid.
    from readback import epubcheck_problems
    assert epubcheck_problems(epub.path) == []


@pytest.mark.parametrize("which", ["sample_build", "second_build",
                                   pytest.param("long_build", marks=pytest.mark.slow)])
def test_page_list_points_at_the_top_of_each_printed_page(which, request):
    result = request.getfixturevalue(which)
    epub, pdf = outputs(result)
    entries = page_list(epub)
    # The PDF's own page labels (pypdf falls back to 1, 2, 3... when it has none).
    printed = list(pdf.reader.page_labels)
    indexes = [printed.index(label) for label, _ in entries]
    assert indexes == sorted(indexes) and len(set(indexes)) == len(indexes)
    texts = pdf.page_texts()
    # Every PDF page from the first chapter's bookmark on that has text has an entry
    # (blank versos have none); no page before it (title, copyright, contents) has one.
    first = next(page for _, title, page in pdf.outline()
                 if title == result.book.chapters[0].title)
    expected = [i for i, t in enumerate(texts) if i + 1 >= first and squash(t)]
    assert indexes == expected
    docs = {}
    for (label, href), index in zip(entries, indexes):
        file, _, frag = href.partition("#")
        root = docs.setdefault(file, xml(epub.read(file)))
        marker = next((e for e in root.iter() if e.get("id") == frag), None)
        assert marker is not None, href
        assert marker.get(f"{{{NS['epub']}}}type") == "pagebreak"
        assert marker.get("role") == "doc-pagebreak" and marker.get("aria-label") == label
        assert not "".join(marker.itertext())          # invisible: no text of its own
        top = squash(texts[index])[:16]
        after = text_after(root, marker, 40)
        if not after.startswith(top):
            # A word the print edition hyphenated across the pages: the marker stands
            # before the word, whose first part ends the previous page with a hyphen.
            cut = after.find(top)
            assert 0 < cut <= 20, (label, top, after)
            assert re.search(re.escape(after[:cut]) + "[-\u2010]\\s", texts[index - 1],
                             re.I), (label, after[:cut])


def test_markers_are_in_reading_order(sample_build):
    epub, _ = outputs(sample_build)
    spine = epub.spine_hrefs()
    positions = []
    for label, href in page_list(epub):
        file, _, frag = href.partition("#")
        root = xml(epub.read(file))
        ids = [e.get("id") for e in root.iter() if e.get("id")]
        positions.append((spine.index(file), ids.index(frag)))
    assert positions == sorted(positions)


def test_epub_alone_has_no_page_list(tmp_path):
    from conftest import SECOND_FILES, SECOND_META, write_source
    from warraq.pipeline import build
    src = write_source(tmp_path / "src", SECOND_META, SECOND_FILES)
    epub = Epub(next(p for p in build(src, tmp_path / "out", formats=("epub",)).files
                     if p.suffix == ".epub"))
    nav = xml(epub.read(epub.nav_href()))
    assert not [n for n in nav.iter(f"{{{NS['x']}}}nav")
                if n.get(f"{{{NS['epub']}}}type") == "page-list"]
    for root in epub.xhtml_documents().values():
        assert not [e for e in root.iter() if e.get("role") == "doc-pagebreak"]
    assert epub.meta("pageBreakSource") == []


def test_block_numbering_is_the_same_on_both_sides():
    html = ('<p>One <em>two</em></p><ol><li>a<ol><li>b</li></ol></li></ol>'
            '<table><tr><td>c</td></tr></table>')
    numbered = parse_fragment(number_blocks(html, "ch"))
    keys = [e.get("data-wq-block") for e in numbered.iter() if e.get("data-wq-block")]
    assert keys == [f"ch:{n}" for n in range(len(keys))]
    assert [e.tag for e in numbered.iter() if e.get("data-wq-block")] == [
        "p", "ol", "li", "ol", "li", "table", "td"]


def test_find_prefers_the_occurrence_nearest_the_expected_place():
    text = "the cat and the dog and the bird"
    assert _find(text, "the", 0) == 0
    assert _find(text, "the", 14) == 12
    assert _find(text, "the bi‐", 30) == 24          # a hyphenated line end
    assert _find(text, "nowhere at all", 3) is None


def test_page_labels_are_the_printed_folios():
    """Roman front matter and a body that restarts at 1: the labels are what is printed."""
    from weasyprint import HTML
    from warraq.pdf.pagemap import page_labels
    css = ("@page { size: 300px 300px; @bottom-center { content: counter(page); } }"
           "@page front { @bottom-center { content: counter(page, lower-roman); } }"
           "@page :nth(1 of body) { counter-reset: page 1; }"
           "@page bare { @bottom-center { content: none; } }"
           ".front { page: front; break-after: page; } .body { page: body; }"
           ".bare { page: bare; break-before: page; }")
    html = (f"<style>{css}</style><div class='front'>i</div><div class='front'>ii</div>"
            "<div class='body'><p>one</p><p style='break-before: page'>two</p></div>"
            "<div class='bare'>no folio</div>")
    assert page_labels(HTML(string=html).render()) == ["i", "ii", "1", "2", "3"]


def test_block_numbers_leave_the_pdf_unchanged(sample_build):
    """The PDF is laid out from the numbered book; its bytes are those of the plain one."""
    from conftest import SAMPLE
    from warraq.pipeline import prepare
    from warraq.pdf.book import render_pdf
    plain, _ = render_pdf(prepare(SAMPLE))
    assert plain == next(p for p in sample_build.files if p.suffix == ".pdf").read_bytes()


def test_text_the_template_adds_before_or_after_a_chapter():
    """A page that opens in a title block (before the chapter's text) or in a dateline
    (after it) gets its marker before or after the chapter's text."""
    from weasyprint import HTML
    from warraq.model import Book, Chapter, Metadata
    from warraq.pdf.pagemap import AFTER, BEFORE, page_map
    book = Book(Metadata("T", "en", "urn:x", "article", ("c.md",)),
                (Chapter("c.md", "c1", "chapter", "One", "<p>Body text.</p>"),))
    html = ("<style>@page { size: 300px 300px }</style><section id='c1'>"
            "<header>Title block</header>"
            "<p data-wq-block='c1:0' style='break-before: page'>Body text.</p>"
            "<p style='break-before: page'>A dateline</p></section>")
    starts = page_map(HTML(string=html).render(), book, "print").pages
    assert [(s.label, s.block) for s in starts] == [("1", BEFORE), ("2", 0), ("3", AFTER)]
    from warraq.writers.epub import _chapter_context
    ctx = _chapter_context(book, book.chapters[0], list(starts))
    assert 'id="page-1"' in ctx["lead_markers"] and 'id="page-3"' in ctx["trail_markers"]
    assert ctx["body"].startswith('<p><span epub:type="pagebreak"')
