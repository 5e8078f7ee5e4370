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


def _text_objects(data: bytes) -> list[tuple[float, float, str, str]]:
    """Every text object of a one-page PDF, read by PDFium: (left, top, text, font family
    without the subset tag), top to bottom, left to right."""
    import pypdfium2
    import pypdfium2.raw as raw

    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        textpage = page.get_textpage()
        out = []
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT], max_depth=8):
            left, bottom, right, top = obj.get_bounds()
            text = textpage.get_text_bounded(left, bottom, right, top)
            out.append((left, top, "".join(text.split()),
                        obj.get_font().get_base_name().split("+")[-1]))
    finally:
        document.close()
    return sorted(out, key=lambda o: (-round(o[1]), o[0]))


@pytest.mark.slow
def test_wrap_front_panel_is_the_epub_cover(sample_build):
    """The print cover wrap's front panel and the EPUB's generated cover come from one
    design: read back, they show the same series, title, subtitle and author in the same
    order, in the same fonts; the wrap's front is scaled to the trim, drawn in CMYK inks
    and passes the cover preflight."""
    import lxml.etree as ET

    from warraq.pdf.wrapgeometry import Wrap, cover_profile
    from warraq.pdf.preflight import check_pdf
    from warraq.pdf.profiles import PROFILES
    from warraq.pdf.coverwrap import render_cover_pdf
    from warraq.pdf.document import book_trim

    book = sample_build.book
    cover = front_cover(book)
    # the EPUB cover's text, from its HTML, in document order
    root = ET.fromstring(cover.html.encode(), ET.XMLParser(resolve_entities=False,
                                                           no_network=True))
    parts = [" ".join("".join(e.itertext()).split()) for e in root.iter()
             if e.get("class") in ("series", "title", "subtitle", "author")]
    meta = book.meta
    assert parts == [f"{meta.collection} · {meta.group_position}", meta.title, meta.subtitle,
                     *meta.authors]
    epub_fonts = {font for *_, font in _text_objects(cover_pdf(cover.html, cover.css))}

    profile = PROFILES["kdp"]
    pages = 120                                      # spine text too: it must stay off the front
    data, warnings = render_cover_pdf(book, profile, pages)
    assert not warnings
    trim = book_trim(book)
    wrap = Wrap(trim.width, trim.height, pages, meta.paper)
    front_left = (trim.width + wrap.spine) * 72      # user space: the TrimBox starts at 0
    objects = _text_objects(data)
    front = [o for o in objects if o[0] >= front_left]
    assert "".join(text for _, _, text, _ in front) == "".join("".join(parts).split())
    assert {font for *_, font in front} == epub_fonts
    # scaled to the trim: the author sits as far up the panel, in proportion, as on the EPUB
    # cover (the design's 300 px from the bottom of 2400, plus the line's own height)
    epub_author = next(o for o in _text_objects(cover_pdf(cover.html, cover.css))
                       if o[2] == "".join(meta.authors[0].split()))
    wrap_author = next(o for o in front if o[2] == "".join(meta.authors[0].split()))
    assert wrap_author[1] / (trim.height * 72) == pytest.approx(
        epub_author[1] / (cover.height * 0.75), abs=0.005)
    # the wrap is held to the cover rules (CMYK only, fonts embedded, text in the safe area)
    report = check_pdf(data, cover_profile(profile), wrap.points)
    assert report.passed, report.lines()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.pages[0].contents_coalesce()
        ops = [(str(op), operands) for operands, op in
               pikepdf.parse_content_stream(pdf.pages[0])]
    spaces = {(op, str(operands[0])) for op, operands in ops if op in ("cs", "CS")}
    # fills (ground, lettering) and strokes (the frame) in CMYK, and no RGB or grey anywhere
    assert spaces == {("cs", "/DeviceCMYK"), ("CS", "/DeviceCMYK")}, spaces
    assert not {op for op, _ in ops} & {"rg", "RG", "g", "G"}


def test_palette_gives_the_design_in_each_profiles_inks():
    from warraq.cover import COLOURS, palette

    assert palette("rgb") == COLOURS
    for colour in ("cmyk", "grey"):
        values = palette(colour)
        assert set(values) == set(COLOURS) and all(v.startswith("device-cmyk(")
                                                  for v in values.values())
    grey = {k: [float(x) for x in v[12:-1].split()] for k, v in palette("grey").items()}
    assert all(c == m == y == 0 for c, m, y, _ in grey.values())      # black ink only
    # lightness kept: the ground darker than the accent, the accent darker than the lettering
    assert grey["ground"][3] > grey["accent"][3] > grey["ink"][3]
