"""Reproducible font timestamps, without touching the environment.

When WeasyPrint instances a variable font (or subsets a font with fontTools), fontTools
saves it and stamps its `head.modified` with `timestampNow()`: the current time, unless
the process's `SOURCE_DATE_EPOCH` says otherwise. warraq never sets that variable;
instead the finisher (`restamp_fonts`, called before the PDF is serialised) finds each
embedded font whose `modified` is no longer its file's, and writes the book's build time
there, with the checksums fontTools would have written. Fonts WeasyPrint embeds as they
are (subset by HarfBuzz, which keeps `modified`) are left alone, and so are the variable
fonts `warraq.fonts.static_instance` gives WeasyPrint as static fonts (HarfBuzz keeps the
file's `modified`): only a font with another axis (`opsz`) is still instanced here.
"""

from __future__ import annotations

import struct

import pydyf
from . import weasyload  # noqa: F401  (first: WeasyPrint's libraries)
from weasyprint.text.fonts import get_hb_object_data

#: Seconds from 1904-01-01 (OpenType's epoch) to 1970-01-01.
_EPOCH_DIFF = 2082844800
_MODIFIED = 28          # offset of head.modified (LONGDATETIME) in the head table
_ADJUSTMENT = 8         # offset of head.checkSumAdjustment


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _directory(data: bytes, index: int) -> tuple[int, int]:
    """(offset of the sfnt header, number of tables) of font `index` (in a collection)."""
    start = 0
    if data[:4] == b"ttcf":
        start = struct.unpack_from(">I", data, 12 + 4 * index)[0]
    return start, struct.unpack_from(">H", data, start + 4)[0]


def _head(data: bytes, index: int) -> tuple[int, int] | None:
    """(offset of the head table, offset of its directory record), or None."""
    start, count = _directory(data, index)
    for n in range(count):
        record = start + 12 + 16 * n
        if data[record:record + 4] == b"head":
            return struct.unpack_from(">I", data, record + 8)[0], record
    return None


def modified(data: bytes, index: int = 0) -> int | None:
    """The font's `head.modified` (seconds since 1904), None without a head table."""
    head = _head(data, index)
    return None if head is None else struct.unpack_from(">Q", data, head[0] + _MODIFIED)[0]


def stamped(data: bytes, seconds: int) -> bytes:
    """The single (non-collection) font with `head.modified` set to `seconds` since 1970,
    the head checksum and `checkSumAdjustment` recomputed as fontTools computes them."""
    out = bytearray(data)
    head, record = _head(data, 0)
    # OpenType's dates start in 1904: an earlier build time stamps 1904-01-01
    struct.pack_into(">Q", out, head + _MODIFIED, max(0, seconds + _EPOCH_DIFF))
    struct.pack_into(">I", out, head + _ADJUSTMENT, 0)
    length = struct.unpack_from(">I", out, record + 12)[0]
    struct.pack_into(">I", out, record + 4, _checksum(bytes(out[head:head + length])))
    _, count = _directory(data, 0)
    sums = [struct.unpack_from(">I", out, 12 + 16 * n + 4)[0] for n in range(count)]
    total = (sum(sums) + _checksum(bytes(out[:12 + 16 * count]))) & 0xFFFFFFFF
    struct.pack_into(">I", out, head + _ADJUSTMENT, (0xB1B0AFBA - total) & 0xFFFFFFFF)
    return bytes(out)


def restamped(data: bytes, original: int | None, seconds: int) -> bytes:
    """The font `data` with the build time `seconds` in it if fontTools re-saved it (its
    `modified` is no longer `original`, the file's), else as it is (and a collection as
    it is)."""
    if data[:4] != b"ttcf" and modified(data) not in (None, original):
        return stamped(data, seconds)
    return data


def restamp_fonts(document, pdf: pydyf.PDF, seconds: int) -> None:
    """Give every font WeasyPrint re-saved with fontTools (its `modified` differs from its
    file's) the timestamp `seconds` (since 1970), in the font streams of `pdf`."""
    fonts = {id(font.file_content): font for font in document.fonts.values()}
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream) or len(obj.stream) != 1:
            continue
        font = fonts.get(id(obj.stream[0]))
        if font is not None:
            original = modified(get_hb_object_data(font.hb_face), font.index)
            obj.stream[0] = restamped(obj.stream[0], original, seconds)
