"""Citations (issue 10, item 1): book.yaml's `bibliography` and `csl`, Pandoc's citeproc
in the reader's Pandoc run, the bibliography as the book's last chapter in both outputs;
a key with no entry is W318 at its line; the files are confined to the source folder."""

import re
import subprocess
import zipfile

import pytest

from warraq.errors import SourceError
from warraq.pipeline import build
from warraq.readers.book import read_book

BIB = """@book{doe2020,
  author = {Doe, Jane},
  title = {A Book of Things},
  publisher = {Kestrel Press},
  year = {2020}
}
@article{roe2019,
  author = {Roe, Richard},
  title = {On Quiet Lines},
  journal = {Journal of Small Matters},
  volume = {7},
  pages = {1--20},
  year = {2019}
}
"""
CSL_JSON = ('[{"id": "doe2020", "type": "book", "title": "A Book of Things", "author": '
            '[{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2020]]}, '
            '"publisher": "Kestrel Press"}]')
META = {"title": "Cited", "date": "2024-01-01", "bibliography": "refs.bib",
        "contents": ["a.md", "b.md"]}
CHAPTERS = {"a.md": "# One\n\nAs has been argued [@doe2020].\n",
            "b.md": "# Two\n\nSome text.\n\nAgain [@doe2020, p. 3], and see @roe2019.\n",
            "refs.bib": BIB}


def _codes(src):
    return [(d.code, d.file, d.line) for d in read_book(src).diagnostics.items]


@pytest.mark.slow
def test_a_book_with_citations_shows_them_and_its_bibliography_in_both_outputs(
        make_source, tmp_path):
    src = make_source(META, CHAPTERS)
    build(src, tmp_path / "out")
    pdf = next((tmp_path / "out").glob("*.pdf"))
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.epub"))) as epub:
        xhtml = {n: epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml")}
    bib = next(v for v in xhtml.values() if "csl-entry" in v)
    assert 'epub:type="bibliography"' in bib and 'role="doc-bibliography"' in bib
    words = " ".join(re.sub(r"<[^>]+>", "", v) for v in xhtml.values())
    words = " ".join(words.split())
    for out in (text, words):
        assert "As has been argued (Doe 2020)." in out
        assert "Again (Doe 2020, 3), and see Roe (2019)." in out
        assert "References" in out and "@doe2020" not in out
    assert "Doe, Jane. 2020. A Book of Things. Kestrel Press." in text
    assert "Roe, Richard. 2019. “On Quiet Lines.” Journal of Small Matters 7: 1–20." in text
    assert text.index("Again (Doe 2020") < text.rindex("Doe, Jane. 2020.")
    assert "Doe, Jane. 2020. <em>A Book of Things</em>. Kestrel Press." in " ".join(bib.split())


def test_the_bibliography_is_the_last_chapter(make_source):
    book = read_book(make_source(META, CHAPTERS)).book
    assert [c.kind for c in book.chapters] == ["chapter", "chapter", "bibliography"]
    last = book.chapters[-1]
    assert last.title == "References" and last.source == "refs.bib"
    assert last.html.count('class="csl-entry"') == 2
    assert "(Doe 2020, 3)" in book.chapters[1].html


def test_csl_json_and_a_csl_style(make_source):
    style = _numeric_style()
    src = make_source({**META, "bibliography": "refs.json", "csl": "styles/num.csl"},
                      {**CHAPTERS, "refs.json": CSL_JSON, "styles/num.csl": style,
                       "b.md": "# Two\n\nAgain [@doe2020].\n"})
    book = read_book(src).book
    assert "[1]" in book.chapters[0].html and "[1]" in book.chapters[1].html


def test_a_missing_key_is_w318_at_its_line(make_source):
    src = make_source(META, {**CHAPTERS, "b.md": "# Two\n\nText.\n\nSee [@nobody, p. 2].\n"})
    assert ("W318", "b.md", 5) in _codes(src)
    with pytest.raises(SourceError, match="nobody"):
        build(src, src.parent / "out")


def test_a_bibliography_outside_the_source_is_refused(make_source, tmp_path):
    (tmp_path / "secret.bib").write_text(BIB)
    src = make_source({**META, "bibliography": "../secret.bib"}, CHAPTERS)
    assert ("W202", "book.yaml", 3) in _codes(src)
    src = make_source({**META, "bibliography": "/etc/passwd"}, CHAPTERS, name="src2")
    assert [c for c in _codes(src) if c[0] == "W202"]
    (src / "link.bib").symlink_to(tmp_path / "secret.bib")
    src3 = make_source({**META, "bibliography": "link.bib"}, {**CHAPTERS}, name="src3")
    (src3 / "link.bib").symlink_to(tmp_path / "secret.bib")
    assert ("W202", "book.yaml", 3) in _codes(src3)


def test_a_bibliography_pandoc_cannot_read_is_w319(make_source):
    src = make_source(META, {**CHAPTERS, "refs.bib": "@book{broken,\n"})
    assert ("W319", "book.yaml", 3) in _codes(src)


def test_a_missing_bibliography_file_is_w200(make_source):
    src = make_source({**META, "bibliography": "nope.bib"}, CHAPTERS)
    assert ("W200", "book.yaml", 3) in _codes(src)


def _numeric_style() -> str:
    return """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Numeric test</title><id>warraq-test-numeric</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="[" suffix="]" delimiter=", ">
    <text variable="citation-number"/></layout></citation>
  <bibliography><layout><text variable="citation-number" prefix="[" suffix="] "/>
    <text variable="title"/></layout></bibliography>
</style>
"""
