"""warraq.pdf.document: the print stylesheet declares `@font-face` only for the families
the book sets text in (WeasyPrint writes every declared face to a file of its own and
scans it; a collection's face of Chinese, Japanese and Korean is over 20 MB)."""

from conftest import SAMPLE, write_source

from warraq.pdf.document import document_context
from warraq.pdf.profiles import PROFILES
from warraq.pipeline import prepare
from warraq.transforms.glyphs import families_used


def declared(book) -> set[str]:
    return {face.family for face in document_context(book, PROFILES["print"])["css_faces"]}


def test_the_sample_declares_only_the_families_it_uses():
    book = prepare(SAMPLE)
    assert declared(book) == set(families_used(book))
    assert not {"Noto Serif CJK JP", "STIX Math", "Symbola"} & declared(book)


def test_a_quotation_in_japanese_declares_the_cjk_face(tmp_path):
    src = write_source(tmp_path, {"title": "T", "contents": ["a.md"]},
                       {"a.md": "# A\n\nIt reads 日本語.\n"})
    faces = document_context(prepare(src), PROFILES["print"])["css_faces"]
    cjk = [f for f in faces if f.family == "Noto Serif CJK JP"]
    assert cjk and all(f.url.endswith(".ttc?face=0") for f in cjk)
