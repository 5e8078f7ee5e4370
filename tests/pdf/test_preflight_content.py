"""warraq.pdf.preflight.content: the one walker follows q/Q/cm, colour spaces and forms
(with their matrices) as the rules expect."""

import pikepdf

from warraq.pdf.preflight.colour import check_colour
from warraq.pdf.preflight.pages import drawn
from warraq.pdf.preflight.content import IDENTITY, MAX_DEPTH, page_steps
from warraq.pdf.preflight.document import page_draws
from warraq.pdf.preflight.margins import text_box
from warraq.pdf.preflight.report import Report
from warraq.pdf.profiles import PROFILES


def _page(content: bytes, forms: dict[str, bytes] | None = None, depth_matrix=None):
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    xobjects = pikepdf.Dictionary()
    for name, body in (forms or {}).items():
        form = pikepdf.Stream(pdf, body)
        form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        form.BBox = [0, 0, 200, 200]
        if depth_matrix:
            form.Matrix = depth_matrix
        form.Resources = pikepdf.Dictionary(XObject=xobjects)
        xobjects[f"/{name}"] = form
    page.obj.Resources = pikepdf.Dictionary(XObject=xobjects)
    page.obj.Contents = pikepdf.Stream(pdf, content)
    return pdf, page


def test_the_walker_follows_the_graphics_state_into_forms():
    pdf, page = _page(b"q 2 0 0 2 10 10 cm /DeviceCMYK cs /F1 Do Q 0 0 1 rg",
                      {"F1": b"1 0 0 1 5 5 cm 0 0 0 1 k"}, [1, 0, 0, 1, 1, 1])
    steps = list(page_steps(page))
    assert [(s.op, s.depth) for s in steps] == [("q", 0), ("cm", 0), ("cs", 0), ("Do", 0),
                                               ("cm", 1), ("k", 1), ("Q", 0), ("rg", 0)]
    do, inner, after = steps[3], steps[5], steps[7]
    assert do.draws_form and do.fill == "DeviceCMYK"
    assert inner.ctm == (2, 0, 0, 2, 22, 22)        # (5, 5) in the form, the form at (1, 1)
    assert inner.fill == "DeviceGray"              # a form starts with DeviceGray
    assert after.ctm == IDENTITY


def test_forms_are_followed_only_so_deep():
    pdf, page = _page(b"/F1 Do", {"F1": b"0 g /F1 Do"})   # a form that draws itself
    depths = [s.depth for s in page_steps(page)]
    assert max(depths) == MAX_DEPTH and len(depths) == 1 + 2 * MAX_DEPTH


def test_text_in_a_form_counts_for_the_margins_and_blankness():
    pdf, page = _page(b"/F1 Do", {"F1": b""})
    assert text_box(page) is None and not page_draws(page)
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                              BaseFont=pikepdf.Name.Helvetica, FirstChar=65,
                              Widths=[500])
    pdf, page = _page(b"/F1 Do", {"F1": b"BT /H 10 Tf 1 0 0 1 50 60 Tm (A) Tj ET"})
    page.obj.Resources.XObject.F1.Resources.Font = pikepdf.Dictionary(H=font)
    x0, y0, x1, y1 = text_box(page)
    assert (x0, x1) == (50, 55) and (round(y0), round(y1)) == (58, 68)
    assert page_draws(page)


def test_a_tj_array_read_from_its_unparsed_bytes_gives_the_item_by_item_advance():
    from warraq.pdf.preflight.margins import FontMetrics
    font = FontMetrics(pikepdf.Dictionary(Subtype=pikepdf.Name.Type1, FirstChar=0,
                                          Widths=[100 + 7 * k for k in range(256)]))
    # qpdf writes the first string in hex, the second literal, with escapes
    items = [pikepdf.String(b"a(b)\\c \n\r\t\b\f\x01\xff\xa0"), 3, pikepdf.String(b""),
             pikepdf.String(b"a(b)\\c \n\t x y z w \r\b\f"), -12,
             -35.115195099214276, pikepdf.String(b"\x00\x01 x"), 0, 1.5,
             pikepdf.String(b"plain text")]
    array = pikepdf.Array(items)
    for size in (14.666016, 9.3, 1.0):
        assert font.run_advance(array, size) == font.items_advance(array, size)
    # anything but strings and numbers: the caller walks the array item by item
    assert font.run_advance(pikepdf.Array([pikepdf.Name.X, 1]), 10.0) is None
    assert font.run_advance(pikepdf.Array([pikepdf.Array([1])]), 10.0) is None
    assert font.run_advance(pikepdf.Array([]), 10.0) == 0.0


def test_an_inline_image_draws_and_fails_the_cmyk_and_grey_profiles():
    """pikepdf gives `BI ... ID ... EI` as the operator "INLINE IMAGE", never "BI": the
    rules looked for "BI", so an RGB inline image passed the offset profile's colour rule
    and its page counted as blank."""
    pdf, page = _page(b"q 10 0 0 10 0 0 cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 EI Q")
    assert page_draws(page)
    found = drawn(pdf)
    assert found.spaces == {"inline image": {1}}
    for name in ("offset", "kdp"):
        report = Report(PROFILES[name], 1)
        check_colour(found, PROFILES[name], report)
        [result] = [r for r in report.results if r.rule == "colour"]
        assert not result.passed and "inline images" in result.detail, name
