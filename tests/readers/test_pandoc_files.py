"""Pandoc's own Markdown test files build as Pandoc reads them (issue 10, "Done when").

Each file (tests/third_party/pandoc/, GPL-2.0-or-later, see its README) is read
unchanged: what warraq refuses by design is reported exactly (links to paths of a web
site or to files that are not chapters, a `<script>`, images that are not there, an id
used twice). With those taken out (`pandoc_files.without_refusals`, and the two images
supplied), the file builds; the text of the EPUB is Pandoc's `-t plain` text of the same
file, word for word, and the counts of tables, figures, definition lists, formulas,
notes, code blocks, subscripts and superscripts are those of Pandoc's `-t html5`; the
PDF's text holds every word.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter

import lxml.etree as ET
import pytest
from PIL import Image

from pandoc_files import HERE, pandoc, source_text, without_refusals, words
from readback import NS, Epub, Pdf, epubcheck_problems
from warraq.errors import SourceError
from warraq.pipeline import build
from warraq.readers import read_book

FILES = ["testsuite.txt", "markdown-reader-more.txt", "tables.txt", "pipe-tables.txt",
         "8770-document.md"]
M = "{http://www.w3.org/1998/Math/MathML}"
SITE = "W307"

#: What warraq refuses in each unchanged file, in file order: (code, what it names).
REFUSED = {
    "testsuite.txt": [
        (SITE, "/url"), ("W308", "<script>"), ("W314", "bar"), (SITE, "/url"),
        (SITE, "/url/"), (SITE, "/url/"), (SITE, "/url/"),
        (SITE, "/url/%20%22title%20preceded%20by%20a%20tab%22"), (SITE, "/url/"),
        (SITE, "/url/with_underscore"), (SITE, "/url/"), (SITE, "/url"),
        (SITE, "/script?foo=1&bar=2"), (SITE, "/script?foo=1&bar=2"),
        ("W306", "lalune.jpg"), ("W306", "movie.jpg")],
    "markdown-reader-more.txt": [
        (SITE, "/url"), (SITE, "/bar%20and%20baz"), (SITE, "/bar%20and%20baz"),
        (SITE, "/bar%20and%20baz"), (SITE, "bar%20baz"), (SITE, "/foo%20foo"),
        (SITE, "/foo%20fee"), (SITE, "/foo/zee%20zob"), (SITE, "/bar/测?x=测"),
        (SITE, "/fum"), (SITE, "/fum"), (SITE, "/bat"), (SITE, "/foo"), ("W314", "foobar"),
        (SITE, "/ürl"), (SITE, "/ürl"), (SITE, "/hi(there)"), (SITE, "/hithere)"),
        (SITE, "hi_(there_(nested))"), (SITE, "b"), (SITE, "url")],
    # A chapter needs a title (W303): these two files have no heading.
    "tables.txt": [("W303", "")],
    "pipe-tables.txt": [("W303", "")],
    "8770-document.md": [],
}
#: The lines of testsuite.txt's, checked one by one against the file.
TESTSUITE_LINES = [12, 387, 458, 470, 603, 605, 607, 609, 611, 615, 650, 650, 660, 662,
                   689, 693]
#: markdown-reader-more.txt's, each the line of the link (or of the reference's use),
#: checked against the file: those after its table with a spanning cell (line 290) were
#: 8 to 12 lines late before a table's cells were kept to its own lines.
MORE_LINES = [11, 41, 42, 44, 45, 45, 47, 47, 123, 144, 146, 148, 185, 189, 317, 323,
              329, 331, 333, 339, 366]


def _source(tmp_path, name: str, text: str):
    src = tmp_path / "src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir()
    (src / "ch.md").write_text(text, encoding="utf-8")
    (src / "book.yaml").write_text(f"title: {name}\ncontents: [ch.md]\n", encoding="utf-8")
    return src


@pytest.mark.parametrize("name", FILES)
def test_the_unchanged_file_is_refused_exactly_where_warraq_refuses_by_design(tmp_path, name):
    read = read_book(_source(tmp_path, name, source_text(name)))
    found = sorted(read.diagnostics.items, key=lambda d: d.line or 0)
    named = [(d.code, (re.search(r"`([^`]*)`", d.message) or [None, ""])[1]
              if d.code != "W303" else "") for d in found]
    assert named == REFUSED[name], "\n".join(map(str, found))
    if name == "testsuite.txt":
        assert [d.line for d in found] == TESTSUITE_LINES
        lines = source_text(name).split("\n")
        for d, (code, target) in zip(found, REFUSED[name]):
            if code in ("W308", "W314"):         # the line holds what it names
                assert target.rstrip(">") in lines[d.line - 1], (d, lines[d.line - 1])
    if name == "markdown-reader-more.txt":
        assert [d.line for d in found] == MORE_LINES
    assert read.book is not None or not REFUSED[name]


def _edited_build(tmp_path, name: str, formats):
    text = without_refusals(name, source_text(name))
    src = _source(tmp_path, name, "---\ntitle: From Pandoc\n---\n" + text)
    for image in ("lalune.jpg", "movie.jpg"):
        Image.new("RGB", (40, 30), "grey").save(src / image, "JPEG")
    return text, build(src, tmp_path / "dist", formats=formats)


def _counts_pandoc(text: str) -> Counter:
    html = pandoc(text, "html5", "--mathml")
    notes = html.count('class="footnote-ref"')
    return Counter(table=html.count("<table"), figure=html.count("<figure"),
                   dl=html.count("<dl"), math=html.count("<math"), notes=notes,
                   pre=html.count("<pre"), sub=html.count("<sub>"),
                   sup=html.count("<sup>") - notes)


def _counts_epub(body: ET._Element) -> Counter:
    x = "{" + NS["x"] + "}"
    count = lambda tag: sum(1 for _ in body.iter(x + tag))      # noqa: E731
    return Counter(table=count("table"), figure=count("figure"), dl=count("dl"),
                   math=sum(1 for _ in body.iter(M + "math")),
                   notes=sum(1 for a in body.iter(x + "a") if a.get("class") == "noteref"),
                   pre=count("pre"), sub=count("sub"), sup=count("sup"))


def _text_of(body: ET._Element) -> str:
    """The chapter's text, its added title, note references and labels left out, and each
    formula, subscript and superscript one mark (as `tests/mark-inline.lua` makes them in
    Pandoc's plain text)."""
    x = "{" + NS["x"] + "}"
    title = body.find(".//x:h1", NS)
    if "".join(title.itertext()) == "From Pandoc":      # added: the file opens with no h1
        title.getparent().remove(title)
    for el in list(body.iter(M + "math", x + "sub", x + "sup", x + "a", x + "p")):
        if el.tag == x + "p" and el.get("class") == "note-label":
            el.getparent().remove(el)
        elif el.tag not in (x + "a", x + "p") or el.get("class") == "noteref":
            tail = ("\u00a7" if el.tag != x + "a" else "") + (el.tail or "")
            parent, previous = el.getparent(), el.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
            parent.remove(el)
    return "".join(body.itertext())


#: A list item's marker as Pandoc's plain text writes it (`1.`, `a)`, `(iv)`, `#.`, `(@)`;
#: a capital letter is followed by two spaces, so that "B. Russell" stays text).
_MARKER = re.compile(r"(?m)^[ \t]*(?:\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,5})[.)][ \t]"
                     r"|\(?(?:[A-Z]|[IVXLC]{1,5})[.)](?:[ \t]{2}|\)[ \t])|\(@?\w*\)[ \t]|#\.[ \t])")


def _plain_words(text: str) -> Counter:
    """Pandoc's plain text without what it adds: list markers, note markers, `[image]`."""
    plain = pandoc(text, "plain", "-L", str(HERE.parent.parent / "mark-inline.lua"))
    plain = _MARKER.sub(" ", plain)
    plain = re.sub(r"\[\d+\]", " ", plain)
    return words(plain)


@pytest.mark.slow
@pytest.mark.parametrize("name", FILES)
def test_without_the_refusals_the_file_builds_as_pandoc_reads_it(tmp_path, name):
    text, result = _edited_build(tmp_path, name, ("epub", "pdf"))
    epub = Epub(next(p for p in result.files if p.suffix == ".epub"))
    assert epubcheck_problems(epub.path) == []
    body = ET.fromstring(epub.read("text/ch.xhtml")).find("x:body", NS)
    assert _counts_epub(body) == _counts_pandoc(text)
    ours, theirs = words(_text_of(body)), _plain_words(text)
    missing, extra = theirs - ours, ours - theirs
    # An image's description is its alt text in the EPUB (Pandoc's plain text shows it).
    missing -= Counter({"movie": 1} if name == "testsuite.txt" else {})
    assert not missing and not extra, (missing, extra)
    pdf_text = "".join("".join(Pdf(next(p for p in result.files if p.suffix == ".pdf"))
                               .page_texts()).split())
    pdf_text = re.sub("[-_\u2010]", "", pdf_text)
    absent = [w for w in theirs if len(w) > 2 and w.replace("_", "") not in pdf_text]
    assert not absent, absent


def test_the_third_party_files_are_labelled():
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    for name in FILES + ["COPYRIGHT", "COPYING.md"]:
        assert (HERE / name).is_file() and name in readme
    assert "GPL-2.0-or-later" in readme
    assert "GNU General Public License" in (HERE / "COPYRIGHT").read_text(encoding="utf-8")


def test_a_refused_file_is_not_built(tmp_path):
    with pytest.raises(SourceError) as info:
        build(_source(tmp_path, "t", source_text("testsuite.txt")), tmp_path / "dist",
              formats=("epub",))
    assert {d.code for d in info.value.diagnostics} >= {"W306", "W307", "W308", "W314"}
    assert not (tmp_path / "dist").exists() or not any((tmp_path / "dist").iterdir())
