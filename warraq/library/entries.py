"""A built book's catalogue entry: its metadata, its files (size, SHA-256, media type,
page count), and its cover and thumbnail, taken out of its EPUB.

The entry is plain JSON data (it is stored in the library's state and sent back from
worker processes or a Dask cluster): every href is relative to DIST, with `/`.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import zipfile
from pathlib import Path

from lxml import etree
from PIL import Image

from ..model import Book
from ..output import publish
from ..transforms.language import script_of_char, script_of_lang

MEDIA_TYPES = {".epub": "application/epub+zip", ".pdf": "application/pdf",
               ".azw3": "application/x-mobi8-ebook",
               ".sha256": "text/plain", ".png": "image/png", ".jpg": "image/jpeg",
               ".jpeg": "image/jpeg"}
#: The thumbnail's width in pixels.
THUMB_WIDTH = 240
#: Entities and network off: the EPUB is ours, but no XML is read any other way.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
_OPF_NS = {"c": "urn:oasis:names:tc:opendocument:xmlns:container",
           "opf": "http://www.idpf.org/2007/opf"}


def text_direction(text: str, book_lang: str, script_lang: str = "ar") -> tuple[str, str]:
    """(lang, dir) for a title or summary: Arabic or Hebrew letters only -> that language,
    rtl; no right-to-left letters -> the book's language (or `en`), ltr; mixed -> auto."""
    scripts = {script_of_char(c) or "latin" for c in text if c.isalpha()}
    book_script = script_of_lang(book_lang, script_lang)
    if scripts == {"arabic"}:
        return (book_lang if book_script == "arabic" else script_lang), "rtl"
    if scripts == {"hebrew"}:
        return (book_lang if book_script == "hebrew" else "he"), "rtl"
    if scripts <= {"latin"}:
        return (book_lang if book_script == "latin" else "en"), "ltr"
    return book_lang, "auto"


def _file_role(slug_file: str, book_slug: str) -> tuple[str, str]:
    """(role, title) of an output file from its name `<book slug>[.<profile>][.cover].ext`."""
    name = posixpath.basename(slug_file)
    parts = name[len(book_slug):].split(".")[1:] if name.startswith(book_slug) else (
        name.split(".")[1:])
    ext = parts[-1] if parts else ""
    if ext == "epub":
        return "epub", "EPUB"
    if ext == "pdf":
        if len(parts) >= 3 and parts[-2] == "cover":
            return "cover-wrap", f"PDF cover wrap ({parts[-3]})"
        profile = parts[-2] if len(parts) >= 2 else "print"
        return "pdf", f"PDF ({profile})"
    if ext == "azw3":
        return "azw3", "Kindle (AZW3)"
    if ext == "sha256":
        return "checksums", "SHA-256 checksums"
    return "other", name


def _pages(data: bytes) -> int | None:
    import pikepdf
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except Exception:  # noqa: BLE001 - a count we cannot read is left out, not fatal
        return None


def file_record(dist: Path, href: str, role: str, title: str) -> dict:
    data = (dist / href).read_bytes()
    record = {"href": href, "role": role, "title": title,
              "type": MEDIA_TYPES.get(Path(href).suffix.lower(), "application/octet-stream"),
              "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if href.endswith(".pdf"):
        pages = _pages(data)
        if pages is not None:
            record["pages"] = pages
    return record


def epub_cover(data: bytes) -> tuple[bytes, str] | None:
    """The cover image of an EPUB (the manifest item with `cover-image`) and its type."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        container = etree.fromstring(zf.read("META-INF/container.xml"), _PARSER)
        opf_path = container.xpath("//c:rootfile/@full-path", namespaces=_OPF_NS)[0]
        opf = etree.fromstring(zf.read(opf_path), _PARSER)
        items = opf.xpath("//opf:manifest/opf:item[contains(concat(' ', @properties, ' '),"
                          " ' cover-image ')]", namespaces=_OPF_NS)
        if not items:
            return None
        href = posixpath.normpath(posixpath.join(posixpath.dirname(opf_path),
                                                 items[0].get("href")))
        return zf.read(href), items[0].get("media-type")


def cover_files(epub: bytes) -> dict[str, bytes]:
    """`cover.png|jpg` (the EPUB's own cover bytes) and `cover-thumb.png|jpg`."""
    found = epub_cover(epub)
    if found is None:
        return {}
    data, media_type = found
    ext = "jpg" if media_type == "image/jpeg" else "png"
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        height = max(1, round(image.height * THUMB_WIDTH / image.width))
        thumb = image.convert("RGB").resize((THUMB_WIDTH, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if ext == "jpg":
        thumb.save(out, "JPEG", quality=85, optimize=True)
    else:
        thumb.save(out, "PNG", optimize=True)
    return {f"cover.{ext}": data, f"cover-thumb.{ext}": out.getvalue()}


def _image_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def make_entry(book: Book, slug: str, dist: Path, written: list[Path]) -> dict:
    """The catalogue entry of `book`, built into `dist/slug/` as `written`; writes the
    cover and thumbnail there first."""
    out = dist / slug
    epubs = [p for p in written if p.suffix == ".epub"]
    covers = cover_files(epubs[0].read_bytes()) if epubs else {}
    if covers:
        publish(out, covers)
    files = []
    for path in sorted(written, key=lambda p: p.name):
        role, title = _file_role(path.name, book.slug)
        files.append(file_record(dist, f"{slug}/{path.name}", role, title))
    images = {}
    for name in sorted(covers):
        role = "thumbnail" if "-thumb." in name else "cover"
        record = file_record(dist, f"{slug}/{name}", role, role.title())
        record["width"], record["height"] = _image_size(out / name)
        files.append(record)
        images[role] = record["href"]
    meta, dates = book.meta, book.dates
    title_lang, title_dir = text_direction(meta.title, meta.lang, meta.script_lang)
    summary_lang, summary_dir = text_direction(meta.description or "", meta.lang,
                                               meta.script_lang)
    return {
        "slug": slug, "title": meta.title, "subtitle": meta.subtitle,
        "title_lang": title_lang, "title_dir": title_dir,
        "authors": list(meta.authors), "lang": meta.lang, "publisher": meta.publisher,
        "identifier": meta.identifier, "description": meta.description,
        "summary_lang": summary_lang, "summary_dir": summary_dir,
        "date": meta.date.isoformat() if meta.date else None,
        "date_text": (dates.gregorian_text or None) if dates else None,
        "hijri_date": dates.hijri_iso if dates else None,
        "hijri_text": dates.hijri_text if dates else None,
        "updated": book.build_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "series": meta.collection, "position": meta.group_position,
        "files": files, "cover": images.get("cover"), "thumbnail": images.get("thumbnail"),
    }
