"""An image is accepted only when it decodes, whole, to its last byte.

Pillow's `verify()` checks a PNG's chunk CRCs but not its zlib stream, and reads no JPEG
data at all; a JPEG cut in half, or a PNG whose compressed data is corrupt under valid
CRCs, would be embedded as it is and break in the reader or the printer. So, after the
header checks (size, pixel count), `decode_problem`
- decodes every pixel with Pillow (`load()`, every frame of a GIF), with
  `ImageFile.LOAD_TRUNCATED_IMAGES` False so a short file is an error (WeasyPrint sets
  that switch True for the whole process when it is imported; it is False here for the
  decode only, and set back after);
- for PNG, inflates the whole IDAT stream with zlib, which must end exactly, its Adler-32
  checksum correct (streamed, so memory stays small);
- for JPEG, requires the end-of-image marker after the scan data.
"""

from __future__ import annotations

import io
import struct
import zlib

#: How many frames of a GIF are decoded (and so accepted).
MAX_FRAMES = 1000


def _png_stream_problem(data: bytes) -> str | None:
    pos, inflater, ended = 8, zlib.decompressobj(), False
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind != b"IDAT":
            continue
        if ended:
            return "data follows the end of its compressed stream"
        try:
            while body:
                inflater.decompress(body, 1 << 20)         # at most 1 MB at a time
                body = inflater.unconsumed_tail
        except zlib.error as exc:
            return f"its compressed data is corrupt ({exc})"
        ended = inflater.eof
    if not ended:
        return "its compressed data ends too soon"
    return None


def decode_problem(data: bytes) -> str | None:
    """Why `data` (a PNG, JPEG or GIF whose header was checked) does not decode whole,
    or None when it does."""
    from PIL import Image, ImageFile, ImageSequence     # (a book without images: none)
    truncated_ok, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(io.BytesIO(data)) as img:
            kind = img.format
            for n, frame in enumerate(ImageSequence.Iterator(img)):
                if n == MAX_FRAMES:
                    return f"it has more than {MAX_FRAMES} frames"
                frame.load()
    except (OSError, ValueError, SyntaxError, struct.error, EOFError,
            Image.DecompressionBombError) as exc:
        return f"it does not decode ({exc})"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_ok
    if kind == "PNG":
        return _png_stream_problem(data)
    if kind == "JPEG":
        scan = data.find(b"\xff\xda")
        if scan < 0 or data.rfind(b"\xff\xd9") < scan:
            return "it is cut short (no end-of-image marker after its data)"
    return None
