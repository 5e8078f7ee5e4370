"""Word manuscripts: a `contents` entry may be a `.docx` file, read by Pandoc's docx reader.

warraq reads the file itself (confined like any file of the book, at most
`MAX_DOCX_BYTES`), looks into the archive before Pandoc does (at most `MAX_MEMBERS`
members and `MAX_UNPACKED_BYTES` unpacked: no zip bomb reaches Pandoc), and hands its
bytes to Pandoc's reader, which runs sandboxed. The images the file holds come back as
bytes and are checked like any image (`images.image_resource`: the size limit, SVG
sanitised, the others decoded whole within the pixel limit), each named `<file>/<its path in the archive>`; an image the
file only links to is a path like any other, confined to the source folder. A Word
file has no lines, so its errors name the file alone.

What Word's styles become (Pandoc's docx reader, as the README lists): Heading 1 to 6
are the headings (Heading 1 the chapter's title), Title the title of a file with no
heading; footnotes, lists, tables, hyperlinks and bookmarks, equations, italic, bold,
underline, strikethrough, small caps, super- and subscript come through; Arabic is
found by its script, as in Markdown (Word's right-to-left marks are dropped).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import Diagnostics
from ..model import Resource
from .images import MAX_IMAGE_BYTES, image_resource

SUFFIX = ".docx"
MAX_DOCX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 10_000


def read_docx(path: Path, shown: str, diags: Diagnostics) -> bytes | None:
    """The bytes of a Word file, or None (W206 reported: unreadable, too large, not a
    Word document, or more inside than a manuscript holds)."""
    try:
        if path.stat().st_size > MAX_DOCX_BYTES:
            diags.add(shown, None, "W206", f"the Word file is larger than "
                      f"{MAX_DOCX_BYTES // 2**20} MB: make its images smaller")
            return None
        data = path.read_bytes()
    except OSError as exc:
        diags.add(shown, None, "W206", f"the Word file cannot be read: {exc.strerror}")
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            unpacked = sum(m.file_size for m in members)
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, OSError, ValueError):
        members, unpacked, names = [], 0, set()
    if "word/document.xml" not in names:
        diags.add(shown, None, "W206", "the file is not a Word document (.docx): save it "
                  "again from Word as a Word Document")
        return None
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        diags.add(shown, None, "W206", f"the Word file unpacks to more than "
                  f"{MAX_UNPACKED_BYTES // 2**20} MB or {MAX_MEMBERS:,} parts, more than a "
                  "manuscript holds: save it again without what is embedded in it")
        return None
    return data


def media_image(shown: str, src: str, data: bytes, diags: Diagnostics,
                cache: dict[str, Resource]) -> str | None:
    """An image a Word file holds, checked like any image; its key (`<file>/<src>`)."""
    key = f"{shown}/{src}"
    if key in cache:
        return key
    if len(data) > MAX_IMAGE_BYTES:
        diags.add(shown, None, "W306", f"image `{src}` is larger than "
                  f"{MAX_IMAGE_BYTES // 2**20} MB: make it smaller")
        return None
    return image_resource(key, data, src, shown, None, diags, cache, Path(src))
