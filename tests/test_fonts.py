"""warraq.fonts: a variable face is given to WeasyPrint as a static font of each weight
the stylesheets use (HarfBuzz), the same font fontTools' instancer makes of it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

from warraq import fonts
from warraq.pdf.fetcher import Fetcher


def _variable(name: str):
    return next(f for f in fonts.faces(()) if f.path.name.startswith(name))


def _features(font: TTFont) -> dict[str, set[str]]:
    return {t: {r.FeatureTag for r in font[t].table.FeatureList.FeatureRecord}
            for t in ("GSUB", "GPOS") if t in font}


@pytest.mark.parametrize("weight", [400, 700])
def test_a_static_instance_is_fonttools_instance_of_that_weight(weight):
    face = _variable("FrankRuhlLibre[")           # small: fontTools instances it quickly
    static = TTFont(io.BytesIO(fonts.static_instance(face.path.resolve(), weight)))
    reference = instantiateVariableFont(TTFont(face.path), {"wght": weight}, static=True)
    assert "fvar" not in static and "gvar" not in static
    assert static["OS/2"].usWeightClass == weight
    # by glyph id (HarfBuzz keeps the ids, not the `post` table's glyph names)
    ids = {cp: static.getGlyphID(name) for cp, name in static.getBestCmap().items()}
    assert ids == {cp: reference.getGlyphID(n) for cp, n in reference.getBestCmap().items()}
    assert _features(static) == _features(reference) == _features(TTFont(face.path))
    ours, theirs = static.getGlyphOrder(), reference.getGlyphOrder()
    assert len(ours) == len(theirs)
    assert [static["hmtx"][n][0] for n in ours] == [reference["hmtx"][n][0] for n in theirs]
    for cp in map(ord, "Aag"):  # the outlines are the weight's (not the default's)
        a, b = static["glyf"][static.getBestCmap()[cp]], reference["glyf"][
            reference.getBestCmap()[cp]]
        a.recalcBounds(static["glyf"])
        b.recalcBounds(reference["glyf"])
        assert abs(a.xMax - b.xMax) <= 1 and abs(a.yMax - b.yMax) <= 1


def test_a_font_with_an_axis_it_cannot_pin_stays_variable(monkeypatch):
    monkeypatch.setattr(fonts, "STATIC_AXES", frozenset({"wdth"}))
    face = _variable("FrankRuhlLibre[")
    assert fonts.static_instance.__wrapped__(face.path.resolve(), 700) is None


def test_the_stylesheets_ask_for_each_weight_and_the_fetcher_serves_it_static():
    variable = _variable("EBGaramond[")
    rules = [f for f in fonts.css_faces(()) if f.family == variable.family
             and f.style == "normal"]
    assert {r.weight for r in rules} == {400, 700}
    fetcher = Fetcher.fonts_only()
    for rule in rules:
        assert rule.url.endswith(f"?wght={rule.weight}")
        served = fetcher.fetch(rule.url)
        font = TTFont(io.BytesIO(served.read()))
        assert "fvar" not in font and font["OS/2"].usWeightClass == rule.weight
    static = next(f for f in fonts.css_faces(()) if f.family == "Amiri")
    assert "?" not in static.url and Path(static.url.removeprefix("file://")).is_file()


def test_the_code_points_of_every_face_are_those_of_its_best_cmap():
    """HarfBuzz reads a face's code points for the glyph check; fontTools' best cmap is
    the reference."""
    from warraq.fonts import _cmap, faces
    known = list(faces(()))
    assert len(known) > 10
    for face in known:
        with TTFont(face.path, lazy=True, fontNumber=face.index) as font:
            assert _cmap(face.path, face.index) == frozenset(font.getBestCmap()), face.path
