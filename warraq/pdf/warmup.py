"""What a print process pays once, paid before its work arrives (`prime`).

The PDF writer's first process is forked before the source is read
(`warraq.background.Warm`) and waits on the other core while the main process reads.
Its first layout then pays costs that any layout pays once per process: cffi parsing
the C types Pango and HarfBuzz calls take, fontconfig's set-up, pyphen reading its
dictionary, HarfBuzz making static instances of the variable faces
(`warraq.fonts.static_instance`), fontTools importing the table modules subsetting
needs. `prime` lays out and writes a page of warraq's own fonts, in Latin (bold and
italic too, hyphenated in the language it is given) and in Arabic, and throws it away:
those costs are then paid while the main process reads. What it leaves behind is only
what those caches keep of pure functions (the same bytes whatever asked for them): a
PDF made after it is the same as one made without it (tests/pdf/test_warmup.py).
"""

from __future__ import annotations

import html

from ..fonts import css_faces, script_stack, stack_families
from .fetcher import Fetcher
from .render import Stylesheets, lay_out, write

#: Latin long enough to hyphenate at a narrow measure, and Arabic to shape.
_TEXT = ("Typographically, incomprehensibilities notwithstanding, the copyist's "
         "characteristically conscientious transcription reconciles unintelligible "
         "manuscripts.")
_ARABIC = "بسم الله الرحمن الرحيم، والحمد لله رب العالمين"


def _css() -> str:
    # the first family of each stack only (every face declared is loaded: a CJK
    # collection is tens of megabytes)
    families = {stack_families("latin")[0], stack_families("arabic")[0]}
    faces = "\n".join(
        f'@font-face {{ font-family: "{face.family}"; src: url("{face.url}"); '
        f"font-weight: {face.weight}; font-style: {face.style}; }}"
        for face in css_faces(families=families))
    return (faces + "\n@page { size: 3in 4in; margin: 0.3in; }\n"
            f"body {{ font-family: {script_stack('latin')}; font-size: 10pt; "
            "hyphens: auto; text-align: justify; }\n"
            f"[dir=rtl] {{ font-family: {script_stack('arabic')}; }}\n")


def prime(lang: str = "en") -> None:
    """Lay out and write a page of warraq's fonts (Latin in `lang`, and Arabic), for
    nothing but the once-per-process costs; any failure is left to the real work."""
    lang = html.escape(lang or "en", quote=True)
    page = (f'<html lang="{lang}"><body><p>{_TEXT}</p><p><b>{_TEXT}</b> <i>{_TEXT}</i></p>'
            f'<p dir="rtl" lang="ar">{_ARABIC}</p></body></html>')
    try:
        document, _ = lay_out(page, _css(), Fetcher.fonts_only(), sheets=Stylesheets())
        write(document)
    except Exception:   # noqa: BLE001 - a primer that fails only leaves the costs in place
        return
