"""The preflight: a written PDF, read back and held to its profile's rules.

`check_pdf(data, profile, trim)` opens the bytes with pikepdf (nothing of the writer is
trusted) and returns a `Report` (`report`): one `Result` per rule, passed or not, with
what it saw. The build runs it on every PDF before anything is written, and a failed rule
stops the build with error W501 naming the rule; `build.py --check FILE.pdf` runs it on a
file.

Rules, one module per concern: `boxes` (MediaBox, TrimBox, BleedBox agree with trim,
bleed and marks), `margins` (no text nearer the trim than the profile's minimum; on the
spine side of a mirrored book, than KDP's gutter for the page count), `fonts`
(`fonts-embedded`), `pdfx` (identification and output intent), `colour` (the colour
spaces drawn with are those the profile allows; `image-resolution`, 300 dpi or more at
printed size), `document` (`page-count`, `no-outline`, `no-annotations`, `tagged`).
The rules that read what pages draw share one content-stream walker, `content`.
"""

from __future__ import annotations

import io

import pikepdf

from ..profiles import Profile
from .boxes import check_boxes
from .colour import check_colour, check_image_resolution
from .document import check_no_annotations, check_no_outline, check_page_count, check_tagged
from .fonts import check_fonts
from .margins import check_margins
from .pages import PageDraw, page_draws, replay
from .pdfx import check_pdfx
from .report import Report, Result

__all__ = ["Report", "Result", "check_pdf"]


def _check(pdf: pikepdf.Pdf, profile: Profile, trim, claim: str, report: Report,
           draws: list[PageDraw] | None = None) -> None:
    """Every rule of the profile, in the report's order (`draws`: what each page draws,
    if it is known, `pages`)."""
    check_boxes(pdf, profile, trim, report)
    if draws is None or len(draws) != len(pdf.pages):
        draws = page_draws(pdf, boxes=profile.for_print)
    if profile.for_print:
        check_margins(pdf, profile, report, [d.box for d in draws])
    found = replay(draws)
    check_fonts(pdf, report)
    if profile.pdfx:
        check_pdfx(pdf, claim, report)
    check_colour(found, profile, report)
    check_page_count(pdf, profile, report)
    if not profile.bookmarks:
        check_no_outline(pdf, report)
    if not profile.links:
        check_no_annotations(pdf, report)
    if profile.for_print:
        check_image_resolution(found, report)
    if profile.tags:
        check_tagged(pdf, profile, report)


def check_pdf(data: bytes, profile: Profile, trim: tuple[float, float] | None = None,
              claim: str | None = None, draws: list[PageDraw] | None = None) -> Report:
    """Hold the PDF's bytes to the profile's rules. `trim` (points) is the size the pages
    must be trimmed to (None: any size, as long as every page has the same);
    `claim` the PDF/X conformance the file must make (default: the profile's); `draws`
    what each page draws, walked before (a PDF joined from parts: its parts' pages)."""
    report = Report(profile)
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        report.add("readable", False, f"the file is not a PDF pikepdf can open ({exc})")
        return report
    with pdf:
        report.pages = len(pdf.pages)
        _check(pdf, profile, trim, claim or profile.claim or "", report, draws)
    return report
