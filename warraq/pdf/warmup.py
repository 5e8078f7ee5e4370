"""What a print process pays once, paid before its work arrives (`prime`).

The PDF writer's first process is forked before the source is read
(`warraq.background.Warm`) and waits on another core while the main process reads. Its
work then pays costs that any process pays once: pyphen reading its dictionary, HarfBuzz
making static instances of the variable faces (`warraq.fonts.static_instance`), cffi
parsing the C types of the Pango and HarfBuzz calls, fontconfig's set-up, Jinja
compiling the print templates, fontTools
importing the table modules subsetting needs, and each face's glyph closure for the
`ToUnicode` maps (`warraq.pdf.tounicode.glyph_texts`, about 40 ms a face). `prime` pays
them for warraq's own Latin and Arabic faces, one step at a time, the cheapest and most
certainly needed first, until it is told the work has come: a page of those faces laid
out and written (bold and italic too, hyphenated in the language given, and Arabic
shaped), then thrown away. What stays behind is only what the caches of pure functions
keep (the same bytes whatever asked for them): a PDF made after it is the same as one
made without it (tests/pdf/test_warmup.py).
"""

from __future__ import annotations

import html
from typing import Callable, Iterator

from ..fonts import css_faces, faces, script_stack, stack_families
from .fetcher import Fetcher
from .render import Stylesheets, lay_out, write
from .tounicode import faces_by_psname, glyph_texts

#: Latin long enough to hyphenate at a narrow measure, and Arabic to shape.
_TEXT = ("Typographically, incomprehensibilities notwithstanding, the copyist's "
         "characteristically conscientious transcription reconciles unintelligible "
         "manuscripts.")
_ARABIC = "بسم الله الرحمن الرحيم، والحمد لله رب العالمين"


def _families() -> set[str]:
    # the first family of each stack only (every face declared is loaded: a CJK
    # collection is tens of megabytes)
    return {stack_families("latin")[0], stack_families("arabic")[0]}


def _css() -> str:
    rules = "\n".join(
        f'@font-face {{ font-family: "{face.family}"; src: url("{face.url}"); '
        f"font-weight: {face.weight}; font-style: {face.style}; }}"
        for face in css_faces(families=_families()))
    return (rules + "\n@page { size: 3in 4in; margin: 0.3in; }\n"
            f"body {{ font-family: {script_stack('latin')}; font-size: 10pt; "
            "hyphens: auto; text-align: justify; }\n"
            f"[dir=rtl] {{ font-family: {script_stack('arabic')}; }}\n")


def _hyphenation(lang: str) -> None:
    import pyphen
    if pyphen.language_fallback(lang):
        pyphen.Pyphen(lang=lang)


def _templates() -> None:
    from ..templating import environment, templates_dir
    env = environment()
    for group in ("pdf", "shared"):     # (the print templates, and what they include)
        for path in sorted((templates_dir() / group).glob("*.*")):
            env.get_template(f"{group}/{path.name}")


def _steps(lang: str) -> Iterator[Callable[[], object]]:
    yield _templates
    yield lambda: _hyphenation(lang)
    fetcher = Fetcher.fonts_only()
    yield lambda: [fetcher.fetch(face.url) for face in css_faces(families=_families())]
    lang = html.escape(lang, quote=True)
    page = (f'<html lang="{lang}"><body><p>{_TEXT}</p><p><b>{_TEXT}</b> <i>{_TEXT}</i></p>'
            f'<p dir="rtl" lang="ar">{_ARABIC}</p></body></html>')
    laid: list = []
    yield lambda: laid.append(lay_out(page, _css(), Fetcher.fonts_only(),
                                      sheets=Stylesheets())[0])
    yield lambda: write(laid.pop())
    yield faces_by_psname
    for path in dict.fromkeys(f.path for f in faces() if f.family in _families()):
        yield lambda path=path: glyph_texts(path)


def prime(stop: Callable[[], bool] = lambda: False, lang: str = "en") -> None:
    """Pay the once-per-process costs of laying out and writing warraq's faces (Latin in
    `lang`, and Arabic), step by step while `stop()` is false; a step that fails ends
    it (the work pays that cost itself, and says what went wrong)."""
    for step in _steps(lang or "en"):
        if stop():
            return
        try:
            step()
        except Exception:   # noqa: BLE001 - a primer that fails leaves the costs in place
            return
