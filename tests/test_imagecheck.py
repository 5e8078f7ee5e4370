"""warraq.imagecheck: an image is decoded whole before it is accepted, even after
WeasyPrint (imported) has switched Pillow to accept truncated images."""

import io

import weasyprint  # noqa: F401  (sets ImageFile.LOAD_TRUNCATED_IMAGES = True)
from PIL import Image, ImageFile

from hostile.corpus import jpeg_cut_in_half, png_bad_zlib
from warraq.imagecheck import decode_problem


def _save(img, fmt):
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def test_damaged_images_are_refused_and_sound_ones_kept():
    assert ImageFile.LOAD_TRUNCATED_IMAGES          # as WeasyPrint leaves it
    for data in (png_bad_zlib("adler"), png_bad_zlib("middle"), jpeg_cut_in_half()):
        assert decode_problem(data)
    good = Image.radial_gradient("L").convert("RGB")
    for fmt in ("PNG", "JPEG", "GIF"):
        assert decode_problem(_save(good, fmt)) is None
    assert ImageFile.LOAD_TRUNCATED_IMAGES          # set back after the check


def test_a_png_with_data_after_its_zlib_stream_or_cut_short_is_refused():
    data = _save(Image.new("L", (64, 64), 7), "PNG")
    end = data.rindex(b"IEND") - 4
    assert decode_problem(data[:end - 20] + data[end:])     # IDAT cut (its CRC wrong too)
