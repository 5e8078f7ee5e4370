"""The front cover: the author's `cover-image`, or one made from the metadata.

A given cover must be a JPEG or PNG at least `MIN_LONG_SIDE` pixels on its long side
(`check_cover_image`; the loader reports W205 otherwise). Without one, warraq makes a
cover from the title, subtitle, series and authors: templates/cover/cover.html (with
the SVG ornament templates/cover/ornament.svg inline) is laid out by WeasyPrint in the
book's own fonts (`warraq.fonts`), so Arabic is shaped by HarfBuzz exactly as in the
print PDF and long titles wrap, then the one-page PDF is rasterised to PNG with PDFium
(`pypdfium2`). Why not an SVG rasteriser: SVG text neither wraps nor, in cairosvg,
shapes Arabic; WeasyPrint already does both with the same fonts, offline.

`front_cover(book)` returns both forms: the HTML/CSS and the PNG (for the EPUB). The
design itself is one fragment, templates/cover/front.html + front.css; `front_panel` gives
the same fragment scaled to a print trim and drawn in the profile's inks (`palette`), for
the print cover wrap (`warraq.pdf.coverwrap`), where WeasyPrint lays it out as vectors.
WeasyPrint is called through `warraq.pdf.render`, never directly.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from markupsafe import Markup

from .cache import NO_CACHE, Cache, Entry
from .fonts import css_faces, font_stack, fonts_digest
from .model import Book, Resource

#: A cover smaller than this on its long side looks blurred in stores and readers.
MIN_LONG_SIDE = 1600
#: The generated cover's size in pixels (2:3, the usual e-book cover ratio).
WIDTH, HEIGHT = 1600, 2400
#: The design's colours (sRGB); `palette` gives them as CMYK or K-only inks for print.
COLOURS = {"ground": "#1d3836", "ink": "#f4ecdb", "accent": "#c8a25a"}
COVER_TYPES = ("image/jpeg", "image/png")


@dataclass(frozen=True)
class Cover:
    """The front cover as an image, plus the HTML/CSS it was made from (if generated)."""

    data: bytes
    media_type: str
    width: int
    height: int
    alt: str
    file_name: str            # its name in the EPUB's images/ folder
    html: str | None = None   # None for an author's cover-image
    css: str | None = None
    #: What WeasyPrint said while setting a generated cover (nothing, normally).
    warnings: tuple[str, ...] = ()

    @property
    def generated(self) -> bool:
        return self.html is not None


def check_cover_image(resource: Resource) -> str | None:
    """Why an author's cover cannot be used (one sentence), or None if it can."""
    if resource.media_type not in COVER_TYPES:
        return f"cover image `{resource.path}` must be a JPEG or PNG file"
    long_side = max(resource.width or 0, resource.height or 0)
    if long_side < MIN_LONG_SIDE:
        return (f"cover image `{resource.path}` is {resource.width}×{resource.height} pixels: "
                f"it needs at least {MIN_LONG_SIDE} pixels on its long side")
    return None


def alt_text(book: Book) -> str:
    meta = book.meta
    text = f"Cover: {meta.title}"
    if meta.subtitle:
        text += f": {meta.subtitle}"
    if meta.authors:
        text += ", by " + _names(meta.authors)
    return text


def _names(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _title_size(title: str) -> int:
    """A font size (px) that keeps the title to about four lines at most."""
    n = len(title)
    return 150 if n <= 24 else 126 if n <= 48 else 104 if n <= 80 else 84


def palette(colour: str = "rgb") -> dict[str, str]:
    """`COLOURS` as CSS colours in a profile's inks: "rgb" as designed, "cmyk" as
    `device-cmyk()` (a plain, uncalibrated conversion, as the PDF writer does for images),
    "grey" as K-only `device-cmyk()` from each colour's luminance (for black-only print)."""
    out = {}
    for name, value in COLOURS.items():
        r, g, b = (int(value[i:i + 2], 16) / 255 for i in (1, 3, 5))
        if colour == "rgb":
            out[name] = value
        elif colour == "grey":
            out[name] = f"device-cmyk(0 0 0 {_number(1 - (0.299 * r + 0.587 * g + 0.114 * b))})"
        else:
            k = 1 - max(r, g, b)
            c, m, y = ((0.0 if k >= 1 else (1 - v - k) / (1 - k)) for v in (r, g, b))
            out[name] = "device-cmyk({})".format(" ".join(_number(v) for v in (c, m, y, k)))
    return out


def context(book: Book, page_width: float | None = None, page_height: float | None = None,
            colour: str = "rgb") -> dict:
    """What the cover templates need, shaped in Python. `page_width` (CSS px; 96 to the
    inch) scales the design to another page, e.g. a print cover's front panel;
    `page_height` (CSS px) makes the design that much taller or shorter than 2:3 (the
    frame and the lower ornament follow the bottom edge); `colour` picks the `palette`."""
    meta = book.meta
    series = meta.collection
    if series and meta.group_position:
        series = f"{series} · {meta.group_position}"
    size = _title_size(meta.title)
    scale = 1.0 if page_width is None else page_width / WIDTH
    height = HEIGHT if page_height is None else round(page_height / scale, 3)
    return {
        "lang": meta.lang, "title": meta.title, "subtitle": meta.subtitle or "",
        "series": series or "", "authors": _names(meta.authors) if meta.authors else "",
        "width": WIDTH, "height": height, "colours": palette(colour),
        "scale": _number(scale), "px": lambda v: f"{_number(v * scale)}px",
        "title_size": size, "subtitle_size": max(56, int(size * 0.48)),
        "title_top": 560, "star_y": height - 560,
        "corners": [(70, 70), (WIDTH - 70, 70), (70, height - 70), (WIDTH - 70, height - 70)],
        "css_faces": css_faces(meta.font_choice, _cover_families(book)),
        "font_stack": font_stack(meta.font_choice),
    }


def _cover_families(book: Book) -> set[str]:
    """The families that set the cover's text (title, subtitle, series, authors)."""
    from .fonts import family_setting
    from .transforms.language import script_of_lang
    meta = book.meta
    script = script_of_lang(meta.lang, meta.script_lang)
    text = "".join(filter(None, (meta.title, meta.subtitle, meta.collection, *meta.authors,
                                 "0123456789 ·")))
    found = {family_setting(c, script, meta.font_choice) for c in text}
    found |= {family_setting(c, "arabic", meta.font_choice) for c in text}
    return {f for f in found if f}


def _number(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def cover_html(book: Book, page_width: float | None = None) -> tuple[str, str]:
    """The generated cover as (HTML, CSS): one page of WIDTH × HEIGHT CSS pixels, or
    `page_width` × 1.5 `page_width` (the print cover wrap lays this out as vectors)."""
    ctx = context(book, page_width)
    from .templating import render      # (here: a build that reads needs no Jinja yet)
    return render("cover/cover.html", **ctx), render("cover/cover.css", **ctx)


def front_panel(book: Book, width: float, height: float, colour: str) -> tuple[Markup, str]:
    """The generated cover's design as an HTML fragment and its CSS (no @page, no
    @font-face: the page that shows it supplies them), `width` x `height` inches, drawn in
    the `palette` for `colour`: the print cover wrap's front panel."""
    ctx = context(book, width * 96, height * 96, colour)
    from .templating import render
    return Markup(render("cover/front.html", **ctx)), render("cover/front.css", **ctx)


def _cover_pdf(html: str, css: str) -> tuple[bytes, list[str]]:
    from .pdf.fetcher import Fetcher
    from .pdf.render import to_pdf
    return to_pdf(html, css, Fetcher.fonts_only(), base_url="file:///warraq-cover/")


def cover_pdf(html: str, css: str) -> bytes:
    """The cover laid out by WeasyPrint (`warraq.pdf.render`, loading only warraq's font
    files) as a one-page PDF (vector; text in the book's fonts, shaped by HarfBuzz)."""
    return _cover_pdf(html, css)[0]


def rasterise(html: str, css: str, width: int = WIDTH) -> tuple[bytes, list[str]]:
    """The cover as PNG bytes `width` pixels wide (`cover_pdf` rendered by PDFium), and
    WeasyPrint's messages."""
    import pypdfium2
    from PIL import Image

    pdf, messages = _cover_pdf(html, css)
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        bitmap = page.render(scale=width / page.get_width(), may_draw_forms=False)
        image = bitmap.to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    # Three inks and their anti-aliasing: a 64-colour palette looks the same at a third
    # of the size (about 45 KB instead of 120 KB for the sample). The fast octree finds
    # it in 0.03 s (median cut, Pillow's default for RGB: 0.19 s), no channel of a pixel
    # more than 17 levels from median cut's.
    image = image.quantize(colors=64, method=Image.Quantize.FASTOCTREE,
                           dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue(), messages


def _kept(value: tuple[bytes, list[str]]) -> Entry:
    return Entry({"messages": list(value[1])}, {"png": value[0]})


def _taken(entry: Entry) -> tuple[bytes, list[str]]:
    return entry.blobs["png"], [str(m) for m in entry.meta["messages"]]


def front_cover(book: Book, cache: Cache = NO_CACHE) -> Cover:
    """The book's front cover: its `cover-image` if it has one, else a generated one
    (kept in `cache` by its HTML, CSS and fonts: the rasterising is the costly part)."""
    meta = book.meta
    if meta.cover_image:
        resource = book.resource(meta.cover_image)
        if resource is not None:
            ext = "jpg" if resource.media_type == "image/jpeg" else "png"
            return Cover(resource.data, resource.media_type, resource.width or 0,
                         resource.height or 0, alt_text(book), f"cover.{ext}")
    html, css = cover_html(book)
    png, messages = cache.remember("cover", (html, css, WIDTH,
                                             fonts_digest(book.meta.font_choice)),
                                   lambda: rasterise(html, css), _kept, _taken)
    return Cover(png, "image/png", WIDTH, HEIGHT, alt_text(book), "cover.png", html, css,
                 tuple(messages))
