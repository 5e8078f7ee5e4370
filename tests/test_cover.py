"""warraq.cover: a given cover is checked, a generated one is set from the metadata in
the book's own fonts (Arabic included) and comes out as a PNG of the promised size."""

import dataclasses
import io

import pikepdf
import pytest
from PIL import Image

from warraq.cover import (MIN_LONG_SIDE, alt_text, check_cover_image, cover_html, cover_pdf,
                          front_cover)
from warraq.fonts import family_for
from warraq.model import Resource


@pytest.mark.parametrize("media_type,size,ok", [
    ("image/png", (1600, 2400), True), ("image/jpeg", (2400, 1600), True),
    ("image/jpeg", (1000, 1599), False), ("image/gif", (1600, 2400), False),
])
def test_given_cover_is_checked(media_type, size, ok):
    problem = check_cover_image(Resource("c", media_type, b"", *size))
    assert (problem is None) == ok
    if not ok:
        assert "JPEG or PNG" in problem or str(MIN_LONG_SIDE) in problem


def pdf_fonts(data: bytes) -> set[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        return {str(f.get("/BaseFont")).split("+")[-1]
                for _, f in page.Resources.get("/Font", {}).items()}


def test_arabic_title_is_set_in_the_arabic_face(sample_build):
    book = sample_build.book
    book = dataclasses.replace(book, meta=dataclasses.replace(
        book.meta, title="الصبر والشكر: Patience and Gratitude"))
    html, css = cover_html(book)
    assert "الصبر والشكر" in html
    fonts = {f.replace("-", "").replace(" ", "") for f in pdf_fonts(cover_pdf(html, css))}
    for role in ("arabic", "text"):
        family = family_for(role).replace(" ", "")
        assert any(f.startswith(family) for f in fonts), (role, fonts)


def test_generated_cover_png(sample_build):
    cover = front_cover(sample_build.book)
    assert cover.generated and cover.media_type == "image/png"
    with Image.open(io.BytesIO(cover.data)) as im:
        assert im.format == "PNG" and im.size == (cover.width, cover.height)
        assert max(im.size) >= MIN_LONG_SIDE
    assert cover.alt == alt_text(sample_build.book)
    # Reproducible: the same bytes as the cover the sample build put in its EPUB.
    import zipfile
    epub = next(p for p in sample_build.files if p.suffix == ".epub")
    with zipfile.ZipFile(epub) as z:
        assert z.read("EPUB/images/cover.png") == cover.data


def test_cover_scales_to_a_print_front_panel(sample_build):
    """6 in wide (576 CSS px): the same design on a 6 × 9 in page, text still vector."""
    html, css = cover_html(sample_build.book, page_width=576)
    data = cover_pdf(html, css)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert len(pdf.pages) == 1 and box == [0, 0, 432, 648]      # points: 6 × 9 in
    assert pdf_fonts(data)                                         # text, not a picture
    import pypdf
    text = " ".join(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    meta = sample_build.book.meta
    for part in (meta.title, meta.subtitle, *meta.authors):
        assert part in text, part                                  # nothing cut off
