"""Formulas in the PDF (issue 10, item 1): drawn as SVG by ziamath, sized in em and set
on the baseline; in the PDF they are vector paths, not text."""

import subprocess

import pikepdf
import pytest

from warraq.pdf.maths import drawn_html, math_font
from warraq.pipeline import build

M = 'xmlns="http://www.w3.org/1998/Math/MathML"'
INLINE = (f'<p>a <math {M} display="inline" alttext="x_i^2"><semantics><mrow><msubsup>'
          '<mi>x</mi><mi>i</mi><mn>2</mn></msubsup></mrow><annotation encoding="application/'
          'x-tex">x_i^2</annotation></semantics></math> b</p>')


def test_a_formula_becomes_an_svg_on_the_baseline_with_its_tex_as_label():
    html = drawn_html(INLINE + INLINE, math_font(), "wq-math-c")
    assert "<math" not in html and html.count("<svg") == 2
    assert 'aria-label="x_i^2"' in html and "x-tex" not in html
    assert "vertical-align:-0." in html and "width:" in html and "em;" in html
    assert html.startswith("<p>a <svg") and html.endswith("</svg> b</p>")
    # the glyphs' ids are the formula's own: two formulas never share one
    first, second = html.split("</svg>")[:2]
    assert 'id="wq-math-c-1-1"' in first and 'id="wq-math-c-2-1"' in second
    assert 'href="#wq-math-c-2-1"' in second and 'fill="currentColor"' in html


def test_a_formula_is_drawn_in_the_ink_it_is_given_never_in_weasyprints_rgb_black():
    html = drawn_html(INLINE, math_font(), "wq-math-c", colour="cmyk")
    assert 'fill="black"' not in html and 'color="black"' not in html
    # the root's fill and colour (what `currentColor` and unpainted shapes take) are ink
    root = html.split("<svg", 1)[1].split(">", 1)[0]
    assert 'fill="device-cmyk(0 0 0 1)"' in root and 'color="device-cmyk(0 0 0 1)"' in root


def test_a_display_formula_is_a_centred_block():
    html = drawn_html(INLINE.replace('"inline"', '"block"'), math_font())
    assert '<span class="math-display"><svg' in html and "vertical-align" not in html


def test_a_formula_ziamath_cannot_set_keeps_its_mathml():
    broken = f'<p><math {M} display="inline"><mfrac><mi>x</mi></mfrac></math></p>'
    out = drawn_html(broken, math_font())
    assert "<math" in out or "<svg" in out      # never lost, never an exception


def _operators(page) -> dict[str, int]:
    """How often each content-stream operator is used on the page and its XObjects."""
    counts: dict[str, int] = {}

    def count(obj, resources):
        for _operands, op in pikepdf.parse_content_stream(obj):
            counts[str(op)] = counts.get(str(op), 0) + 1
        for xobj in (resources.get("/XObject") or {}).values():
            if xobj.get("/Subtype") == "/Form":
                count(xobj, xobj.get("/Resources") or {})
    count(page, page.obj.get("/Resources") or {})
    return counts


@pytest.mark.slow
def test_formulas_are_vector_paths_in_the_pdf(make_source, tmp_path):
    src = make_source({"title": "Sums", "date": "2024-01-01", "contents": ["a.md"]},
                      {"a.md": "# Sums\n\nThe sum $\\sum_{i=1}^n x_i \\in \\mathbb{R}$ is real."
                               "\n\n$$\\int_0^1 \\frac{a+b}{\\sqrt{c}}\\,dx$$\n\nAfter.\n"})
    result = build(src, tmp_path / "out")
    pdf = next((tmp_path / "out").glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "The sum" in text and "is real" in text and "After." in text
    assert "\\sum" not in text and "mathbb" not in text and "∈" not in text
    assert "∫" not in text and "√" not in text
    with pikepdf.open(pdf) as doc:
        page = next(p for p in doc.pages
                    if "The sum" in subprocess.run(
                        ["pdftotext", "-f", str(doc.pages.index(p) + 1), "-l",
                         str(doc.pages.index(p) + 1), str(pdf), "-"],
                        capture_output=True, text=True).stdout)
        ops = _operators(page)
    # the glyphs' outlines: curves and fills, many of them
    assert ops.get("c", 0) > 20 and ops.get("f", 0) + ops.get("f*", 0) > 8
    assert result is not None


@pytest.mark.slow
def test_formulas_pass_a_black_only_press_profile(make_source, tmp_path):
    from warraq.pdf.profiles import PROFILES
    src = make_source({"title": "Roots", "date": "2024-01-01", "contents": ["a.md"]},
                      {"a.md": "# Roots\n\nThe root $\\sqrt{a}$ and\n\n"
                               "$$\\frac{a+b}{c} = \\sum_{i=1}^n x_i$$\n"})
    # the kdp profile's preflight refuses any DeviceRGB: the build passing is its verdict
    result = build(src, tmp_path / "out", formats=("pdf",), profiles=(PROFILES["kdp"],))
    pdf = next(p for p in result.files if p.suffix == ".pdf")
    with pikepdf.open(pdf) as doc:
        streams = b"".join(page.Contents.read_bytes() for page in doc.pages)
        ops = _operators(doc.pages[-1])
    assert b" rg" not in streams and b"0 0 0 1 scn" in streams
    assert ops.get("c", 0) > 20        # the formulas are there, drawn
