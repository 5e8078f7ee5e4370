"""The `boxes` rule: MediaBox, TrimBox and BleedBox agree with trim, bleed and marks."""

from __future__ import annotations

import pikepdf

from ..profiles import Profile
from .report import Report

#: Points a box may be off by (rounding of lengths given in inches or millimetres).
TOLERANCE = 0.05


def box(page: pikepdf.Page, name: str) -> tuple[float, ...] | None:
    """The page's box `name` (`/TrimBox`, ...) as (x0, y0, x1, y1), or None."""
    found = page.obj.get(name)
    if found is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in found)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _grown(b: tuple[float, ...], by: float) -> tuple[float, ...]:
    return (b[0] - by, b[1] - by, b[2] + by, b[3] + by)


def _same(a, b) -> bool:
    return a is not None and b is not None and all(abs(x - y) <= TOLERANCE for x, y in zip(a, b))


def check_boxes(pdf: pikepdf.Pdf, profile: Profile, trim: tuple[float, float] | None,
                report: Report) -> None:
    bad = []
    sizes = set()
    for n, page in enumerate(pdf.pages, 1):
        media, trim_box, bleed_box = (box(page, k) for k in ("/MediaBox", "/TrimBox",
                                                              "/BleedBox"))
        if trim_box is None or bleed_box is None:
            bad.append(f"p.{n} has no {'TrimBox' if trim_box is None else 'BleedBox'}")
            continue
        size = (round(trim_box[2] - trim_box[0], 2), round(trim_box[3] - trim_box[1], 2))
        sizes.add(size)
        if trim and not _same(size, trim):
            bad.append(f"p.{n} TrimBox is {size[0]} x {size[1]} pt, not {trim[0]} x {trim[1]}")
        if not _same(bleed_box, _grown(trim_box, profile.bleed * 72)):
            bad.append(f"p.{n} BleedBox is not the TrimBox + {profile.bleed} in")
        if not _same(media, _grown(bleed_box, profile.slug * 72)):
            bad.append(f"p.{n} MediaBox is not the BleedBox + {profile.slug} in")
    if len(sizes) > 1:
        bad.append(f"pages have {len(sizes)} different trim sizes")
    size = next(iter(sizes), (0, 0))
    report.add("boxes", not bad, "; ".join(bad[:3]) or
               f"TrimBox {size[0]} x {size[1]} pt, bleed {profile.bleed} in, "
               f"marks {'yes' if profile.marks else 'no'} on every page")
