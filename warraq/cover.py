"""The front cover: the author's `cover-image`, or one made from the metadata.

A given cover must be a JPEG or PNG at least `MIN_LONG_SIDE` pixels on its long side
(`check_cover_image`; the loader reports W205 otherwise). Without one, warraq makes a
cover from the title, subtitle, series and authors: templates/cover/cover.html (with
the SVG ornament templates/cover/ornament.svg inline) is laid out by WeasyPrint in the
book's own fonts (`warraq.fonts`), so Arabic is shaped by HarfBuzz exactly as in the
print PDF and long titles wrap, then the one-page PDF is rasterised to PNG with PDFium
(`pypdfium2`). Why not an SVG rasteriser: SVG text neither wraps nor, in cairosvg,
shapes Arabic; WeasyPrint already does both with the same fonts, offline.

`front_cover(book)` returns both forms: the HTML/CSS (for the print cover wrap, which
WeasyPrint can lay out as vectors) and the PNG (for the EPUB).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .fonts import css_faces, font_paths, font_stack
from .model import Book, Resource
from .templating import render

#: A cover smaller than this on its long side looks blurred in stores and readers.
MIN_LONG_SIDE = 1600
#: The generated cover's size in pixels (2:3, the usual e-book cover ratio).
WIDTH, HEIGHT = 1600, 2400
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


def context(book: Book, page_width: float | None = None) -> dict:
    """What the cover templates need, shaped in Python. `page_width` (CSS px; 96 to the
    inch) scales the 2:3 design to another page, e.g. a print cover's front panel."""
    meta = book.meta
    series = meta.collection
    if series and meta.group_position:
        series = f"{series} · {meta.group_position}"
    size = _title_size(meta.title)
    scale = 1.0 if page_width is None else page_width / WIDTH
    return {
        "lang": meta.lang, "title": meta.title, "subtitle": meta.subtitle or "",
        "series": series or "", "authors": _names(meta.authors) if meta.authors else "",
        "width": WIDTH, "height": HEIGHT, "colours": COLOURS,
        "scale": _number(scale), "px": lambda v: f"{_number(v * scale)}px",
        "title_size": size, "subtitle_size": max(56, int(size * 0.48)),
        "title_top": 560, "star_y": HEIGHT - 560,
        "corners": [(70, 70), (WIDTH - 70, 70), (70, HEIGHT - 70), (WIDTH - 70, HEIGHT - 70)],
        "css_faces": css_faces(), "font_stack": font_stack(),
    }


def _number(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def cover_html(book: Book, page_width: float | None = None) -> tuple[str, str]:
    """The generated cover as (HTML, CSS): one page of WIDTH × HEIGHT CSS pixels, or
    `page_width` × 1.5 `page_width` (the print cover wrap lays this out as vectors)."""
    ctx = context(book, page_width)
    return render("cover/cover.html", **ctx), render("cover/cover.css", **ctx)


def _fonts_only_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        """Serves warraq's font files and nothing else."""

        def __init__(self):
            super().__init__(fail_on_errors=True)

        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            parts = urlsplit(url)
            path = Path(unquote(parts.path))
            if parts.scheme == "file" and path.resolve() in font_paths():
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/ttf"})
            raise ValueError(f"the cover may load only warraq's fonts, not {url}")
    return Fetcher()


def cover_pdf(html: str, css: str) -> bytes:
    """The cover laid out by WeasyPrint as a one-page PDF (vector; text in the book's
    fonts, shaped by HarfBuzz)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fetcher = _fonts_only_fetcher()
    base = "file:///warraq-cover/"
    return HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=css, base_url=base, url_fetcher=fetcher, font_config=fonts)],
        font_config=fonts)


def rasterise(html: str, css: str, width: int = WIDTH) -> bytes:
    """The cover as PNG bytes `width` pixels wide: `cover_pdf` rendered by PDFium."""
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(cover_pdf(html, css))
    try:
        page = document[0]
        bitmap = page.render(scale=width / page.get_width(), may_draw_forms=False)
        image = bitmap.to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    # Three inks and their anti-aliasing: a 64-colour palette looks the same at a third
    # of the size (about 45 KB instead of 120 KB for the sample).
    image = image.quantize(colors=64, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def front_cover(book: Book) -> Cover:
    """The book's front cover: its `cover-image` if it has one, else a generated one."""
    meta = book.meta
    if meta.cover_image:
        resource = book.resource(meta.cover_image)
        if resource is not None:
            ext = "jpg" if resource.media_type == "image/jpeg" else "png"
            return Cover(resource.data, resource.media_type, resource.width or 0,
                         resource.height or 0, alt_text(book), f"cover.{ext}")
    html, css = cover_html(book)
    return Cover(rasterise(html, css), "image/png", WIDTH, HEIGHT, alt_text(book), "cover.png",
                 html, css)
