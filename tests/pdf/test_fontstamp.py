"""warraq.pdf.fontstamp: fonts WeasyPrint re-saves with fontTools carry the book's build
time, as they would with SOURCE_DATE_EPOCH, and the environment is never touched."""

import io
import os

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import _h_e_a_d

from warraq.fonts import faces
from warraq.pdf.fontstamp import modified, stamped

#: the print-finish and fuzz checks take seconds each: the full suite runs them
pytestmark = pytest.mark.slow

EPOCH_1904 = 2082844800


def _saved_at(font_path, seconds: int, monkeypatch) -> bytes:
    """The font as fontTools saves it when `timestampNow()` is `seconds` (since 1970)."""
    monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda: seconds + EPOCH_1904)
    out = io.BytesIO()
    TTFont(font_path).save(out)
    return out.getvalue()


@pytest.mark.parametrize("family", ["EBGaramond[wght]", "Amiri-Regular"])
def test_stamped_is_what_fonttools_writes_for_that_time(family, monkeypatch):
    path = next(f.path for f in faces() if f.path.stem == family)
    then, now = 1696377600, 1764547200
    expected = _saved_at(path, then, monkeypatch)
    later = _saved_at(path, now, monkeypatch)
    assert later != expected and modified(later) == now + EPOCH_1904
    assert stamped(later, then) == expected
    assert modified(expected) == then + EPOCH_1904


def _embedded_modified(pdf_path) -> dict[str, int]:
    out = {}
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                stream = obj.get("/FontFile2")
                if stream is not None:
                    out[str(obj.FontName)] = modified(stream.read_bytes())
    return out


def test_the_pdf_fonts_carry_their_files_dates_and_the_environment_is_untouched(sample_build):
    """The sample builds without SOURCE_DATE_EPOCH: no embedded font says the time of the
    build. The variable fonts (EB Garamond, ...) reach WeasyPrint as static instances
    HarfBuzz made (`warraq.fonts.static_instance`), which keep their file's `modified`,
    as Amiri, a static font HarfBuzz subsets, keeps its own (a font WeasyPrint still
    instances with fontTools is stamped with the book's date: `restamp_fonts`)."""
    assert "SOURCE_DATE_EPOCH" not in os.environ
    pdf = next(p for p in sample_build.files if p.suffix == ".pdf")
    stamps = _embedded_modified(pdf)
    own = {f.path.stem: modified(f.path.read_bytes()) for f in faces()}
    garamond = {n: s for n, s in stamps.items() if "Garamond" in n}
    assert garamond and set(garamond.values()) <= {
        own["EBGaramond[wght]"], own["EBGaramond-Italic[wght]"]}
    amiri = {s for n, s in stamps.items() if "Amiri" in n}
    assert amiri == {own["Amiri-Regular"]}
    assert "SOURCE_DATE_EPOCH" not in os.environ
