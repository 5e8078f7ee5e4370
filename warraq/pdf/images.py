"""Images in a profile's colour: what the URL fetcher serves WeasyPrint for a book image."""

from __future__ import annotations

import io


def in_colour(data: bytes, media_type: str, colour: str) -> tuple[bytes, str]:
    """An image in the profile's colour, same pixels and resolution, no metadata (so the
    same bytes each build): "grey" an 8-bit greyscale PNG; "cmyk" a CMYK JPEG (Pillow's
    plain conversion, not colour-managed; greyscale images stay grey); "rgb" as it is."""
    if colour == "rgb" or not media_type.startswith("image/"):
        return data, media_type
    from PIL import Image
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        dpi = img.info.get("dpi")
        extra = {"dpi": dpi} if dpi else {}
        out = io.BytesIO()
        if colour == "grey" or img.mode in ("1", "L", "LA", "I", "I;16"):
            img.convert("LA" if "A" in img.getbands() else "L").save(out, "PNG", **extra)
            return out.getvalue(), "image/png"
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        flat.convert("CMYK").save(out, "JPEG", quality=95, subsampling=0, **extra)
        return out.getvalue(), "image/jpeg"
