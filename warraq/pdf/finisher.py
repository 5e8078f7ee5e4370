"""What warraq does to the PDF WeasyPrint made, before it is serialised (pydyf objects).

`finisher(book, finish)` gives WeasyPrint's `finisher(document, pdf)` callable, which runs
the steps below in order (the order fixes the object numbers, so the bytes):
`metadata` (warraq's XMP packet in place of WeasyPrint's, the Producer), `drop_links`
(profiles without links), `drop_outline` (without bookmarks), `drop_unused_colour_spaces`
(PDF/X), `page_labels` (i, ii, ... then 1, 2, ...), `page_boxes` (TrimBox, BleedBox, crop
marks) and `restamp_fonts` (the build time in re-saved fonts, `warraq.pdf.fontstamp`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pydyf

from .. import __version__, furniture
from ..model import Book
from .fontstamp import restamp_fonts
from .profiles import PROFILES, Profile
from .xmp import xmp


@dataclass
class Finish:
    """What the finisher adds after WeasyPrint: page boxes, marks, labels, clean-ups."""

    profile: Profile
    #: The trim size in points (None: leave WeasyPrint's boxes as they are).
    trim: tuple[float, float] | None
    #: Index of the first arabic-numbered page (None: every page arabic from 1).
    body_start: int | None = None
    page_labels: bool = True
    #: False for a part of a book written in parts: the join makes the outline
    #: (`warraq.pdf.join`).
    outline: bool = True


def page_dicts(pdf: pydyf.PDF) -> list:
    """The page dictionaries pydyf holds (its page list keeps references)."""
    return [obj for obj in pdf.objects
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"]


def metadata(pdf: pydyf.PDF, book: Book, profile: Profile) -> None:
    """warraq's XMP in place of WeasyPrint's own (PDF/X and PDF/UA variants), overwritten
    in place so its random X-4 DocumentID and local-time dates do not stay in the file."""
    stream = next((obj for obj in pdf.objects if isinstance(obj, pydyf.Stream)
                   and obj.extra.get("Type") == "/Metadata"), None)
    if stream is None:
        stream = pydyf.Stream([], {"Type": "/Metadata", "Subtype": "/XML"})
        pdf.add_object(stream)
    stream.stream = [xmp(book, profile)]
    stream.compress = False
    pdf.catalog["Metadata"] = stream.reference
    pdf.info["Producer"] = pydyf.String(f"warraq {__version__} (WeasyPrint)")
    if furniture.direction(book.meta.lang) == "rtl":
        # bound on the right: viewers show the spreads right to left
        # (beside WeasyPrint's DisplayDocTitle, which PDF/UA needs)
        prefs = pdf.catalog.get("ViewerPreferences")
        if not isinstance(prefs, pydyf.Dictionary):
            prefs = pdf.catalog["ViewerPreferences"] = pydyf.Dictionary()
        prefs["Direction"] = "/R2L"


def drop_links(pdf: pydyf.PDF) -> None:
    """Link annotations (contents entries, footnote calls) emptied, not just unlisted, so
    no /Annot object is left in the file; named destinations go with them."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Annot":
            obj.clear()
    for page in page_dicts(pdf):
        page.pop("Annots", None)
    names = pdf.catalog.get("Names")
    if isinstance(names, pydyf.Dictionary):
        names.pop("Dests", None)
        if not names:
            del pdf.catalog["Names"]


def drop_outline(pdf: pydyf.PDF) -> None:
    pdf.catalog.pop("Outlines", None)


def drop_unused_colour_spaces(pdf: pydyf.PDF) -> None:
    """WeasyPrint lists Lab and ICC-based colour spaces on every page whether or not they
    are drawn with; a PDF/X file keeps to DeviceCMYK/DeviceGray (the output intent still
    holds the ICC profile). The preflight fails if one was used."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and "lab-d50" in obj:
            for key in [k for k in obj if k in ("lab-d50", "lab-d65", "device-cmyk")]:
                del obj[key]


def page_labels(pdf: pydyf.PDF, body_start: int | None) -> None:
    """Lower-case roman labels before `body_start`, arabic from it."""
    nums = pydyf.Array()
    if body_start:
        nums.extend([0, pydyf.Dictionary({"S": "/r"})])
    nums.extend([body_start or 0, pydyf.Dictionary({"S": "/D"})])
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})


def crop_marks(width: float, height: float, bleed: float, slug: float) -> bytes:
    """Crop marks at the four trim corners, in the slug outside the bleed, drawn in
    registration (all four inks) at 0.25 pt."""
    gap = bleed + 3
    reach = bleed + slug
    ops = ["q", "1 1 1 1 K", "0.25 w", "0 J"]
    for x, sx in ((0, -1), (width, 1)):
        for y, sy in ((0, -1), (height, 1)):
            ops.append(f"{x + sx * gap:.3f} {y:.3f} m {x + sx * reach:.3f} {y:.3f} l S")
            ops.append(f"{x:.3f} {y + sy * gap:.3f} m {x:.3f} {y + sy * reach:.3f} l S")
    ops.append("Q")
    return "\n".join(ops).encode()


def page_boxes(pdf: pydyf.PDF, trim: tuple[float, float], profile: Profile) -> None:
    """TrimBox and BleedBox on every page; with marks, the crop marks around the page's
    content (which WeasyPrint already placed inside the bleed and slug)."""
    width, height = trim
    bleed = profile.bleed * 72
    for page in page_dicts(pdf):
        page["TrimBox"] = pydyf.Array([0, 0, width, height])
        page["BleedBox"] = pydyf.Array([-bleed, -bleed, width + bleed, height + bleed])
        if profile.marks:
            before = pydyf.Stream([b"q"])
            after = pydyf.Stream([b"Q\n" + crop_marks(width, height, bleed, profile.slug * 72)])
            pdf.add_object(before)
            pdf.add_object(after)
            page["Contents"] = pydyf.Array([before.reference, page["Contents"],
                                            after.reference])


def finisher(book: Book, finish: Finish | None = None) -> Callable:
    """WeasyPrint's `finisher(document, pdf)` for the book and `finish`."""
    finish = finish or Finish(PROFILES["print"], None, page_labels=False)
    profile = finish.profile

    def finish_pdf(document, pdf: pydyf.PDF) -> None:
        metadata(pdf, book, profile)
        if not profile.links:
            drop_links(pdf)
        if not profile.bookmarks or not finish.outline:
            drop_outline(pdf)
        if profile.pdfx:
            drop_unused_colour_spaces(pdf)
        if finish.page_labels:
            page_labels(pdf, finish.body_start)
        if finish.trim is not None:
            page_boxes(pdf, finish.trim, profile)
        restamp_fonts(document, pdf, int(book.build_date.timestamp()))
    return finish_pdf
