"""The images a book uses: checked, read whole into `Resource`s, never fetched.

Only files under the source folder are read; a URL is refused without being fetched. SVG
is accepted sanitised (`warraq.svg`: no scripts, event handlers, entities, external
references or `foreignObject` survive); a file that cannot be read as SVG is W311. PNG,
JPEG and GIF are opened by Pillow, header first: dimensions past `MAX_IMAGE_PIXELS` (a
decompression bomb) are refused before decoding; then the whole image is decoded
(`warraq.imagecheck`: a PNG's zlib stream to its end, a JPEG to its end-of-image
marker), so a damaged file is refused rather than embedded. The cover image gets the
same checks and then the cover's own.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path
from urllib.parse import urlsplit

from ..cover import check_cover_image
from ..errors import Diagnostics
from ..imagecheck import decode_problem
from ..model import Resource
from ..svg import SvgRefused, sanitise_svg
from ..xhtml import url_scheme
from .folder import SourceFolder

MAX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}


def split_url(url: str) -> tuple[str, str, str] | None:
    """(scheme, netloc, path) of a URL, or None when it cannot be parsed."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url_scheme(url), parts.netloc, parts.path


def _is_svg(path: Path, head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (path.suffix.lower() in (".svg", ".svgz") or start.startswith((b"<?xml", b"<svg"))
            or (start.startswith(b"<!") and b"<svg" in head.lower())
            or head.startswith(b"\x1f\x8b") and path.suffix.lower() == ".svgz")


def read_image(source: SourceFolder, document: Path, src: str, shown: str, line: int | None,
               diags: Diagnostics, cache: dict[str, Resource]) -> str | None:
    """Check an image a chapter names; return its path relative to the source folder.

    Only files under the source folder are read; a URL is refused without being
    fetched. SVG is parsed without entities, DTD or network and sanitised
    (`warraq.svg`); one that is not SVG at all is W311. PNG, JPEG and GIF are opened by
    Pillow, header first: dimensions past `MAX_IMAGE_PIXELS` (a decompression bomb) are
    refused before decoding, then decoded whole (`warraq.imagecheck`)."""
    split = split_url(src)
    if split is None or split[0] or split[1] or not split[2]:
        diags.add(shown, line, "W307", f"image `{src}` is not a file of the book: images must "
                  "be files under the source folder (nothing is fetched)")
        return None
    bad = source.problem(source.url_relative(document, split[2]))
    if bad:
        diags.add(shown, line, bad[0], f"image `{src}` {bad[1]}")
        return None
    path = source.inside(document, split[2])
    if path is None:
        diags.add(shown, line, "W307", f"image `{src}` is outside the source folder: copy it "
                  "into the source folder")
        return None
    key = source.relative(path)
    if key in cache:
        return key
    if not path.is_file():
        diags.add(shown, line, "W306", f"image `{src}` does not exist")
        return None
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            diags.add(shown, line, "W306", f"image `{src}` is larger than "
                      f"{MAX_IMAGE_BYTES // 2**20} MB: make it smaller")
            return None
        with path.open("rb") as handle:
            head = handle.read(512)
            data = head + handle.read()
    except OSError as exc:
        diags.add(shown, line, "W206", f"image `{src}` cannot be read: {exc.strerror}")
        return None
    return image_resource(key, data, src, shown, line, diags, cache, path)


def image_resource(key: str, data: bytes, src: str, shown: str, line: int | None,
                   diags: Diagnostics, cache: dict[str, Resource], path: Path) -> str | None:
    """An image's bytes (within the size limit; `path` its name) into `cache` as `key`:
    SVG sanitised, the others opened by Pillow, header first, then decoded whole. The
    key, or None (W311, W306 reported)."""
    if _is_svg(path, data[:512]):
        return _read_svg(src, key, data, shown, line, diags, cache)
    return _raster(key, data, src, shown, line, diags, cache)


def _raster(key: str, data: bytes, src: str, shown: str, line: int | None,
            diags: Diagnostics, cache: dict[str, Resource]) -> str | None:
    too_big = (f"image `{src}` has more than {MAX_IMAGE_PIXELS:,} pixels (a decompression "
               "bomb, or far too large for a book): make it smaller")
    from PIL import Image               # (here: a book without images needs no Pillow)
    try:
        # Only the decoders of the accepted formats are tried (no EPS, no Ghostscript).
        with Image.open(io.BytesIO(data), formats=list(IMAGE_TYPES)) as img:
            kind, (width, height) = img.format, img.size
            if width * height > MAX_IMAGE_PIXELS:
                diags.add(shown, line, "W306", too_big)
                return None
            img.verify()
    except Image.DecompressionBombError:
        diags.add(shown, line, "W306", too_big)
        return None
    except Image.UnidentifiedImageError:
        diags.add(shown, line, "W306", f"image `{src}` is not a PNG, JPEG or GIF image: "
                  "save it as PNG or JPEG")
        return None
    except (OSError, ValueError, SyntaxError, struct.error) as exc:
        diags.add(shown, line, "W306", f"image `{src}` is damaged ({exc}): save it again as "
                  "PNG or JPEG")
        return None
    broken = decode_problem(data)       # every pixel, to the last byte (`imagecheck`)
    if broken:
        diags.add(shown, line, "W306", f"image `{src}` is damaged: {broken}; save it again "
                  "as PNG or JPEG")
        return None
    cache[key] = Resource(key, IMAGE_TYPES[kind], data, width, height)
    return key


def _read_svg(src: str, key: str, data: bytes, shown: str, line: int | None,
              diags: Diagnostics, cache: dict[str, Resource]) -> str | None:
    try:
        clean, _removed, (width, height) = sanitise_svg(data, MAX_IMAGE_BYTES)
    except SvgRefused as exc:
        diags.add(shown, line, "W311", f"image `{src}` cannot be read as SVG: {exc}; save it "
                  "again as plain SVG (or PNG)")
        return None
    cache[key] = Resource(key, "image/svg+xml", clean, width, height)
    return key


def read_cover(source: SourceFolder, cover_image: str, line: int | None, diags: Diagnostics,
               cache: dict[str, Resource]) -> None:
    """Check book.yaml's `cover-image` (W205) and read it into `cache`."""
    bad = source.problem(cover_image)
    if bad:
        diags.add("book.yaml", line, bad[0], f"cover image `{cover_image}` {bad[1]}")
        return
    path = source.resolve(cover_image)
    if path is None or not path.is_file():
        diags.add("book.yaml", line, "W205", f"cover image `{cover_image}` does not exist "
                  "under the source folder")
        return
    key = read_image(source, source.root / "book.yaml", cover_image, "book.yaml", line, diags,
                     cache)
    problem = check_cover_image(cache[key]) if key else None
    if problem:
        diags.add("book.yaml", line, "W205", problem)
