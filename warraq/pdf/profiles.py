"""PDF profiles: what each kind of PDF must be, declared once, as data.

A profile names the PDF variant WeasyPrint writes, the colour the pages are drawn in,
whether there are printer marks and bleed, bookmarks, links and tags, how the page count
must come out, and which rules the preflight (`warraq.pdf.preflight`) holds the written file
to. The writer, the cover wrap and the preflight read these fields; nothing else in the
code asks "which profile is this?". The README's profile table documents the same data.
Pure data: no WeasyPrint import.
"""

from __future__ import annotations

from dataclasses import dataclass

from .pagesetup import MAX_PAGES

#: The ICC profile a CMYK output intent is made from: Ghostscript's default CMYK
#: profile, from Debian's `libgs-common` (installed by the Makefile). The PDF writer's
#: URL fetcher may read exactly this file.
CMYK_ICC = "/usr/share/color/icc/ghostscript/default_cmyk.icc"


#: The conformance each WeasyPrint `pdf_variant` claims.
_CLAIMS = {"pdf/x-1a": "PDF/X-1a:2003", "pdf/x-3": "PDF/X-3:2003", "pdf/x-4": "PDF/X-4",
           "pdf/ua-1": "PDF/UA-1"}


@dataclass(frozen=True)
class Profile:
    """One kind of PDF. Lengths in inches."""

    name: str
    purpose: str
    #: WeasyPrint's `pdf_variant` (None: a plain PDF 1.7).
    variant: str | None
    #: "rgb", "grey" (every colour K-only CMYK) or "cmyk".
    colour: str
    #: An output intent with `CMYK_ICC` (needed by PDF/X).
    output_intent: bool
    #: Crop marks outside the bleed (the media box grows by `slug`).
    marks: bool
    bleed: float
    bookmarks: bool
    #: Link annotations (contents entries, cross-references).
    links: bool
    #: Tagged PDF (structure tree, /MarkInfo).
    tags: bool
    #: Mirrored margins, gutter from the page count, chapters opening on rectos.
    mirrored: bool
    #: "even-blank-last": pad to an even count whose last page is blank.
    page_count: str | None = None
    #: The smallest margin (inches) any side may have.
    min_margin: float = 0.25
    #: Also make a cover wrap PDF (back, spine, front).
    cover: bool = False
    #: Page counts the service accepts (inclusive); outside them the build warns.
    pages_range: tuple[int, int] | None = None
    #: Made to be printed: images set at their 300 dpi size, and the file held to the
    #: `margins` and `image-resolution` rules (False: for reading on screens).
    for_print: bool = True

    @property
    def pdfx(self) -> bool:
        return bool(self.variant and self.variant.startswith("pdf/x"))

    @property
    def pdfua(self) -> bool:
        return bool(self.variant and self.variant.startswith("pdf/ua"))

    @property
    def claim(self) -> str | None:
        """The PDF/X or PDF/UA conformance the file claims (WeasyPrint's name for the
        variant's identification), None for a plain PDF."""
        return _CLAIMS.get(self.variant or "")

    @property
    def slug(self) -> float:
        """Extra media outside the bleed for the crop marks."""
        return 0.25 if self.marks else 0.0

    def file_name(self, slug: str, part: str = "") -> str:
        """`<slug>.pdf` for `print`, `<slug>.<profile>.pdf` for the others;
        `part` ("cover") makes `<slug>.<profile>.cover.pdf`."""
        stem = slug if self.name == "print" else f"{slug}.{self.name}"
        return f"{stem}.{part}.pdf" if part else f"{stem}.pdf"


PROFILES: dict[str, Profile] = {p.name: p for p in (
    Profile("print", "a general print file: RGB, bookmarks and links, no marks or bleed",
            variant=None, colour="rgb", output_intent=False, marks=False, bleed=0.0,
            bookmarks=True, links=True, tags=False, mirrored=True),
    Profile("kdp", "Amazon KDP paperback interior: black (K) only, no bookmarks or "
            "annotations, no marks, no bleed, gutter by page count",
            variant=None, colour="grey", output_intent=False, marks=False, bleed=0.0,
            bookmarks=False, links=False, tags=False, mirrored=True, cover=True,
            pages_range=(24, MAX_PAGES)),
    Profile("ingram", "IngramSpark interior: PDF/X-1a, black (K) only with a CMYK output "
            "intent, no marks, margins of 0.5 in or more, even page count ending blank",
            variant="pdf/x-1a", colour="grey", output_intent=True, marks=False, bleed=0.0,
            bookmarks=False, links=False, tags=False, mirrored=True,
            page_count="even-blank-last", min_margin=0.5, cover=True,
            pages_range=(18, 1200)),
    Profile("offset", "offset printer: PDF/X-4, CMYK output intent, 0.125 in bleed and "
            "crop marks outside it",
            variant="pdf/x-4", colour="cmyk", output_intent=True, marks=True, bleed=0.125,
            bookmarks=False, links=False, tags=False, mirrored=True),
    Profile("screen", "reading on screens: PDF/UA-1, tagged with /Lang, bookmarks and "
            "links, RGB, single-sided margins",
            variant="pdf/ua-1", colour="rgb", output_intent=False, marks=False, bleed=0.0,
            bookmarks=True, links=True, tags=True, mirrored=False, for_print=False),
)}
DEFAULT_PROFILE = "print"


def parse_profiles(text: str) -> tuple[Profile, ...]:
    """`kdp,screen` -> profiles; raises ValueError naming the unknown ones."""
    names = tuple(dict.fromkeys(n.strip().lower() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in PROFILES]
    if unknown or not names:
        raise ValueError(f"PDF profiles are {', '.join(PROFILES)}")
    return tuple(PROFILES[n] for n in names)
