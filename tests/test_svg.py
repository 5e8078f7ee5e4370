"""SVG images (issue 10, item 3): sanitised (no scripts, event handlers, entities,
external references, foreignObject), kept as SVG in the EPUB, drawn as vectors in the PDF;
only a file that is not SVG at all is refused (W311)."""

import zipfile

import pikepdf
import pytest

from warraq.pipeline import build
from warraq.svg import SvgRefused, sanitise_svg

from readback import Epub, Pdf, epubcheck_problems

HOSTILE = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/hostname"><!ENTITY lol "lol">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     width="200" height="100" viewBox="0 0 200 100" onload="alert(1)" inkscape:version="1">
  <script>alert(document.cookie)</script>
  <style>@import url(https://example.org/x.css); rect { fill: red }</style>
  <style>.box { fill: url(#grad); stroke: black }</style>
  <defs><linearGradient id="grad"><stop offset="0" stop-color="#000"/></linearGradient></defs>
  <rect class="box" x="10" y="10" width="80" height="80" onclick="alert(2)"
        style="fill: url(https://example.org/track.png)"/>
  <circle cx="150" cy="50" r="40" fill="url(#grad)"/>
  <image href="https://example.org/x.png" width="10" height="10"/>
  <image xlink:href="file:///etc/passwd" width="10" height="10"/>
  <use xlink:href="https://example.org/sprite.svg#a"/>
  <use href="#grad"/>
  <foreignObject width="100" height="100"><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>
  <a href="javascript:alert(3)"><text x="10" y="95">Label &lol; &secret;</text></a>
  <animate attributeName="href" to="javascript:alert(4)"/>
  <set attributeName="onclick" to="alert(5)"/>
</svg>
"""


def test_sanitise_keeps_the_drawing_and_removes_everything_that_acts():
    clean, removed, size = sanitise_svg(HOSTILE)
    text = clean.decode()
    for gone in ("script", "alert", "onload", "onclick", "example.org", "/etc/", "foreignObject",
                 "<image", "@import", "animate", "<set", "DOCTYPE", "ENTITY", "inkscape",
                 "javascript", "<a ", "secret"):
        assert gone not in text, gone
    for kept in ("<rect", "<circle", 'fill="url(#grad)"', "linearGradient", "Label",
                 'href="#grad"', ".box { fill: url(#grad)"):
        assert kept in text, kept
    assert size == (200, 100)
    assert "script" in removed and "foreignObject" in removed


@pytest.mark.parametrize("data", [b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>",
                                  b"<html/>", b"<svg/>",      # no SVG namespace
                                  b"\x1f\x8bnot gzip"])
def test_what_is_not_svg_is_refused(data):
    with pytest.raises(SvgRefused):
        sanitise_svg(data)


def test_billion_laughs_is_not_expanded():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            + b"".join(b'<!ENTITY %c "&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;">'
                       % (c, p, p, p, p, p, p, p, p, p, p)
                       for c, p in zip(b"bcdefghij", b"abcdefghi"))
            + b']><svg xmlns="http://www.w3.org/2000/svg"><text>&j;</text></svg>')
    try:
        clean, _, _ = sanitise_svg(bomb)
    except SvgRefused as exc:                  # libxml2 notices the amplification itself
        assert "amplification" in str(exc)
    else:
        assert len(clean) < 500 and b"aaaa" not in clean


@pytest.fixture(scope="module")
def svg_build(tmp_path_factory):
    from conftest import write_source
    root = tmp_path_factory.mktemp("svg")
    src = write_source(root / "src", {"title": "Diagrams", "contents": ["a.md"]}, {
        "a.md": "# Diagrams\n\nA figure:\n\n![Two shapes](fig.svg)\n", "fig.svg": HOSTILE})
    return build(src, root / "out")


@pytest.mark.slow
def test_the_epub_with_an_svg_figure_is_epubcheck_clean(svg_build):
    assert epubcheck_problems(next(p for p in svg_build.files if p.suffix == ".epub")) == []


def test_an_svg_figure_is_kept_in_the_epub_and_drawn_as_vectors_in_the_pdf(svg_build):
    result = svg_build
    epub_path = next(p for p in result.files if p.suffix == ".epub")
    epub = Epub(epub_path)
    items = [i for i in epub.manifest().values() if i.get("href", "").endswith("fig.svg")]
    assert [i.get("media-type") for i in items] == ["image/svg+xml"]
    with zipfile.ZipFile(epub_path) as z:
        name = next(n for n in z.namelist() if n.endswith("fig.svg"))
        data = z.read(name).decode()
    assert "<circle" in data and "script" not in data and "example.org" not in data
    pdf_path = next(p for p in result.files if p.suffix == ".pdf")
    with pikepdf.open(pdf_path) as pdf:
        subtypes = [str(o.get("/Subtype")) for o in pdf.objects
                    if isinstance(o, pikepdf.Stream) and o.get("/Type") == "/XObject"]
    assert "/Image" not in subtypes             # no raster image: the SVG is drawn as vectors
    assert "Label" in "".join(Pdf(pdf_path).page_texts())


def test_in_black_only_print_an_svg_is_grey_ink_and_its_text_in_the_book_face(make_source,
                                                                             tmp_path):
    from warraq.pdf.profiles import PROFILES
    drawing = (b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120">'
               b'<rect width="100" height="100" fill="#336"/><circle cx="200" cy="50" r="40" '
               b'style="fill: rgb(200, 30, 30); stroke: red"/>'
               b'<text x="120" y="110" font-family="Arial">Label</text></svg>')
    src = make_source({"title": "Grey", "contents": ["a.md"]},
                      {"a.md": "# Grey\n\n![A drawing](fig.svg)\n", "fig.svg": drawing})
    result = build(src, tmp_path / "out", formats=("pdf",), profiles=(PROFILES["kdp"],))
    pdf_path = next(p for p in result.files if p.name == "grey.kdp.pdf")   # colour rule passed
    names = {f["name"] for f in Pdf(pdf_path).fonts()}
    assert not any("Liberation" in n or "DejaVu" in n for n in names), names
    with pikepdf.open(pdf_path) as pdf:
        streams = b"".join(page.Contents.read_bytes() for page in pdf.pages)
    assert b" rg" not in streams and b" re" in streams   # K-only ink, drawn as vectors
