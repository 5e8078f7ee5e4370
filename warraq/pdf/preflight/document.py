"""Rules on the file as a whole: `page-count` (even, the last page blank) and the
service's page range (a note), `no-outline`, `no-annotations`, and `tagged` (structure
tree, /MarkInfo, /Lang, PDF/UA identification)."""

from __future__ import annotations

import re

import pikepdf

from ..profiles import Profile
from .content import TEXT_OPS, page_steps
from .pdfx import xmp_text
from .report import Report, pages_list


def page_draws(page: pikepdf.Page) -> bool:
    """True if a page shows text or an image (a blank page draws neither)."""
    return any(step.op in TEXT_OPS or step.draws_inline_image or step.draws_image
               for step in page_steps(page))


def check_page_count(pdf: pikepdf.Pdf, profile: Profile, report: Report) -> None:
    if profile.page_count == "even-blank-last":
        problems = []
        if report.pages % 2:
            problems.append(f"{report.pages} pages is odd")
        if report.pages and page_draws(pdf.pages[-1]):
            problems.append("the last page is not blank")
        report.add("page-count", not problems, "; ".join(problems) or
                   f"{report.pages} pages, even, the last one blank")
    if profile.pages_range:
        low, high = profile.pages_range
        if not low <= report.pages <= high:
            report.notes.append(f"{report.pages} pages: the {profile.name} service prints "
                                f"{low} to {high} pages")


def check_no_outline(pdf: pikepdf.Pdf, report: Report) -> None:
    outlines = pdf.Root.get("/Outlines")
    has = outlines is not None and outlines.get("/First") is not None
    report.add("no-outline", not has, "the file has bookmarks (an outline)" if has
               else "no outline")


def check_no_annotations(pdf: pikepdf.Pdf, report: Report) -> None:
    annotated = [n for n, page in enumerate(pdf.pages, 1)
                 if len(page.obj.get("/Annots") or [])]
    report.add("no-annotations", not annotated,
               f"annotations on p.{pages_list(set(annotated))}" if annotated
               else "no annotations")


def check_tagged(pdf: pikepdf.Pdf, profile: Profile, report: Report) -> None:
    problems = []
    mark = pdf.Root.get("/MarkInfo")
    if mark is None or not bool(mark.get("/Marked", False)):
        problems.append("/MarkInfo /Marked is not true")
    if pdf.Root.get("/StructTreeRoot") is None:
        problems.append("no structure tree")
    lang = str(pdf.Root.get("/Lang", "")).strip()
    if not lang:
        problems.append("no /Lang")
    if profile.pdfua and not re.search(r"pdfuaid:part>\s*1|pdfuaid:part=\"1\"",
                                       xmp_text(pdf)):
        problems.append("no PDF/UA identification in the XMP")
    report.add("tagged", not problems, "; ".join(problems) or
               f"tagged, /Lang {lang}, PDF/UA-1 identified")
