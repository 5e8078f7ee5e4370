"""Formulas drawn for print: each MathML formula of the book becomes an inline SVG.

WeasyPrint has no MathML layout, so before the book is laid out every `<math>` of its
chapters and notes is typeset by `ziamath` (pure Python: it reads the MathML, sets it
with the OpenType MATH table of the book's math face and draws each glyph as a path).
The SVG is sized in `em`, so a formula takes the size of the text around it (a note's
formula the note's size), and an inline one sits on the baseline: it is lowered by its
depth below the baseline. A display formula is a centred block. The TeX stays on the SVG
as its `aria-label`. A formula ziamath cannot set keeps its MathML (the CSS text
fallback of templates/pdf/book.css).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import lxml.etree as ET

from ..fonts import DEBIAN_FAMILIES, Choice, faces
from ..model import Book
from ..svg import in_inks
from ..xhtml import parse_fragment, serialise_children

MATHML = "{http://www.w3.org/1998/Math/MathML}"
SVG = "http://www.w3.org/2000/svg"
#: The size formulas are set at, in SVG units to the em (the SVG is then scaled in em).
SIZE = 100.0
#: Operators drawn large in a display formula (MathML's operator dictionary says so;
#: Pandoc leaves that to the renderer, ziamath wants `largeop` written).
LARGE_OPS = frozenset("∑∏∐∫∬∭∮∯∰⋀⋁⋂⋃⨀⨁⨂⨄⨆")
_PARSER = ET.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@lru_cache(maxsize=8)
def math_font(choice: Choice = ()) -> str:
    """The font file formulas are set in: the book's math face if it has a MATH table,
    else STIX Math (fonts-stix)."""
    from fontTools.ttLib import TTFont
    for face in faces(choice):
        if face.role == "math" and face.path.suffix.lower() in (".otf", ".ttf"):
            with TTFont(face.path, lazy=True) as font:
                if "MATH" in font:
                    return str(face.path)
    return DEBIAN_FAMILIES["stix-math"].files[0][0]


def _own_ids(svg: ET._Element, prefix: str) -> None:
    """ziamath names each glyph's `<symbol>` by the font and glyph: the same in every
    formula, and ids are one in a document. Each is renamed `prefix`-n, each glyph
    drawn in the text's colour (the profile's ink, `warraq.svg.in_inks`)."""
    names = {}
    for el in svg.iter():
        if el.get("id"):
            names[el.get("id")] = f"{prefix}-{len(names) + 1}"
            el.set("id", names[el.get("id")])
    for el in svg.iter(f"{{{SVG}}}use"):
        ref = el.get("href", "").removeprefix("#")
        if ref in names:
            el.set("href", "#" + names[ref])
    for el in svg.iter():
        if el.get("fill") not in (None, "none"):
            el.set("fill", "currentColor")


def _svg(math: ET._Element, font: str, prefix: str, colour: str) -> ET._Element | None:
    """The formula as an SVG element scaled in em (its ids begin with `prefix`), in the
    inks of the profile's `colour` (WeasyPrint draws an SVG's default black and its
    `currentColor` in RGB, which a grey or CMYK profile refuses), or None if ziamath
    cannot set it."""
    import ziamath
    label = math.get("alttext") or ""
    block = math.get("display") == "block"
    plain = ET.Element(f"{MATHML}math")
    style = ET.SubElement(plain, f"{MATHML}mstyle", {"displaystyle": str(block).lower()})
    for child in math:         # Pandoc's <semantics>: the formula, then its TeX
        style.extend(child[:1] if child.tag == f"{MATHML}semantics" else [child])
    for op in style.iter(f"{MATHML}mo") if block else ():
        if (op.text or "").strip() in LARGE_OPS:
            op.set("largeop", "true")
    try:
        drawn = ziamath.Math(ET.tostring(plain, encoding="unicode"), size=SIZE, font=font,
                             margin=0)
        svg = ET.fromstring(drawn.svg().encode(), _PARSER)
    except Exception:       # noqa: BLE001 - ziamath's faults are many; keep the fallback
        return None
    _own_ids(svg, prefix)
    in_inks(svg, colour)
    x, y, width, height = (float(v) for v in svg.get("viewBox").split())
    depth = max(0.0, y + height)           # below the baseline (y = 0)
    for name in ("width", "height"):
        del svg.attrib[name]
    style = f"width:{width / SIZE:.3f}em;height:{height / SIZE:.3f}em"
    if not block:
        style += f";vertical-align:{-depth / SIZE:.3f}em"
    svg.set("style", style)
    svg.set("class", "math-svg")
    svg.set("role", "img")
    if label:
        svg.set("aria-label", label)
    return svg


def drawn_html(html: str, font: str, name: str = "wq-math", colour: str = "rgb") -> str:
    """The fragment with each formula an SVG (see the module) in the inks of `colour`
    (a profile's), the ids of the n-th beginning `name`-n (`name`: one in the book)."""
    if "<math" not in html:
        return html
    wrapper = parse_fragment(html)
    for n, math in enumerate(list(wrapper.iter(f"{MATHML}math")), 1):
        svg = _svg(math, font, f"{name}-{n}", colour)
        if svg is None:
            continue
        if math.get("display") == "block":
            holder = ET.Element("span", {"class": "math-display"})
            holder.append(svg)
            svg = holder
        svg.tail = math.tail
        math.getparent().replace(math, svg)
    return serialise_children(wrapper)


def drawn(book: Book, colour: str = "rgb") -> Book:
    """The book with every formula of its chapters and notes drawn as SVG in the inks of
    `colour` (a profile's)."""
    if not any("<math" in c.html or any("<math" in n.html for n in c.footnotes)
               for c in book.chapters):
        return book
    font = math_font(book.meta.font_choice)
    chapters = tuple(dataclasses.replace(
        c, html=drawn_html(c.html, font, f"wq-math-{c.id}", colour),
        footnotes=tuple(dataclasses.replace(n, html=drawn_html(n.html, font,
                                                               f"wq-math-{n.id}", colour))
                        for n in c.footnotes))
        for c in book.chapters)
    return dataclasses.replace(book, chapters=chapters)

