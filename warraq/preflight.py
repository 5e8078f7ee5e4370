"""The preflight: a written PDF, read back and held to its profile's rules.

`check_pdf(data, profile, trim)` opens the bytes with pikepdf (nothing of the writer is
trusted) and returns a `Report`: one `Result` per rule, passed or not, with what it saw.
The build runs it on every PDF before anything is written, and a failed rule stops the
build with error W501 naming the rule; `build.py --check FILE.pdf` runs it on a file.

Rules: `boxes` (MediaBox, TrimBox, BleedBox agree with trim, bleed and marks),
`margins` (no text nearer the trim than the profile's minimum; on the spine side of a
mirrored book, than KDP's gutter for the page count), `fonts-embedded`, `pdfx` (identification and output intent), `colour` (the colour
spaces drawn with are those the profile allows), `page-count` (even, blank last page),
`no-outline`, `no-annotations`, `image-resolution` (300 dpi or more at printed size),
`tagged` (structure tree, /MarkInfo, /Lang, PDF/UA identification).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pikepdf

from .profiles import Profile

#: Points a box may be off by (rounding of lengths given in inches or millimetres).
TOLERANCE = 0.05
MIN_DPI = 300
_TEXT_OPS = {"Tj", "TJ", "'", '"'}


@dataclass(frozen=True)
class Result:
    rule: str
    passed: bool
    detail: str


@dataclass
class Report:
    profile: Profile
    pages: int = 0
    results: list[Result] = field(default_factory=list)
    #: Things worth saying that do not fail the file (e.g. a page count a service refuses).
    notes: list[str] = field(default_factory=list)

    def add(self, rule: str, passed: bool, detail: str) -> None:
        self.results.append(Result(rule, passed, detail))

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.passed]

    @property
    def passed(self) -> bool:
        return not self.failures

    def lines(self) -> list[str]:
        out = [f"profile {self.profile.name}: {self.pages} pages"]
        out += [f"  {'PASS' if r.passed else 'FAIL'} {r.rule}: {r.detail}" for r in self.results]
        out += [f"  NOTE {n}" for n in self.notes]
        return out


def _box(page: pikepdf.Page, name: str) -> tuple[float, ...] | None:
    box = page.obj.get(name)
    if box is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in box)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _grown(box: tuple[float, ...], by: float) -> tuple[float, ...]:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _same(a, b) -> bool:
    return a is not None and b is not None and all(abs(x - y) <= TOLERANCE for x, y in zip(a, b))


def _check_boxes(pdf: pikepdf.Pdf, profile: Profile, trim: tuple[float, float] | None,
                 report: Report) -> None:
    bad = []
    sizes = set()
    for n, page in enumerate(pdf.pages, 1):
        media, trim_box, bleed_box = (_box(page, k) for k in ("/MediaBox", "/TrimBox",
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


def _fonts(pdf: pikepdf.Pdf) -> dict[str, bool]:
    seen: dict[str, bool] = {}

    def visit(resources) -> None:
        if resources is None:
            return
        for font in (resources.get("/Font") or {}).values():
            name = str(font.get("/BaseFont", "?"))
            if font.get("/Subtype") == "/Type3":
                seen[name] = True
                continue
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0] if descendants else font).get("/FontDescriptor")
            seen[name] = desc is not None and any(
                k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for xobj in (resources.get("/XObject") or {}).values():
            if xobj.get("/Subtype") == "/Form":
                visit(xobj.get("/Resources"))

    for page in pdf.pages:
        visit(page.obj.get("/Resources"))
    return seen


def _xmp_text(pdf: pikepdf.Pdf) -> str:
    meta = pdf.Root.get("/Metadata")
    return meta.read_bytes().decode("utf-8", "replace") if meta is not None else ""


def _check_pdfx(pdf: pikepdf.Pdf, profile: Profile, claim: str, report: Report) -> None:
    problems = []
    info = pdf.trailer.get("/Info") or {}
    xmp = _xmp_text(pdf)
    if not claim.startswith("PDF/X-4") and str(info.get("/GTS_PDFXVersion", "")) != claim:
        problems.append(f"Info /GTS_PDFXVersion is not {claim}")
    if f"<pdfxid:GTS_PDFXVersion>{claim}</pdfxid:GTS_PDFXVersion>" not in xmp:
        problems.append(f"XMP pdfxid:GTS_PDFXVersion is not {claim}")
    if str(info.get("/Trapped", "")) not in ("/False", "/True"):
        problems.append("Info /Trapped is not set")
    intents = pdf.Root.get("/OutputIntents") or []
    pdfx = [i for i in intents if i.get("/S") == "/GTS_PDFX"]
    if not pdfx:
        problems.append("no /GTS_PDFX output intent")
    else:
        dest = pdfx[0].get("/DestOutputProfile")
        if dest is None or int(dest.get("/N", 0)) != 4:
            problems.append("the output intent has no CMYK DestOutputProfile")
    limit = "1.6" if claim.startswith("PDF/X-4") else "1.4"
    if pdf.pdf_version > limit:
        problems.append(f"PDF {pdf.pdf_version} is newer than {claim} allows ({limit})")
    if not claim.startswith("PDF/X-4"):
        # X-1a and X-3 allow no transparency: no soft masks, no alpha below 1
        for n, page in enumerate(pdf.pages, 1):
            states = (page.obj.get("/Resources") or {}).get("/ExtGState") or {}
            if any(float(g.get(k, 1)) < 1 for _, g in states.items() for k in ("/ca", "/CA"))\
                    or any(str(g.get("/SMask", "/None")) != "/None"
                           for _, g in states.items()):
                problems.append(f"p.{n} uses transparency")
                break
    name = str(pdfx[0].get("/OutputConditionIdentifier", "")) if pdfx else ""
    report.add("pdfx", not problems, "; ".join(problems) or f"{claim}, output intent {name}")


class _Colours:
    """The colour spaces content draws with: walks page and form streams, following
    `cm`/`q`/`Q` for image sizes."""

    def __init__(self, profile: Profile):
        self.profile = profile
        self.spaces: dict[str, set[int]] = {}
        self.coloured_k: set[int] = set()      # CMYK values with C, M or Y ink
        self.images: list[tuple[int, float, str]] = []   # (page, dpi, colour space)

    def note(self, space: str, page: int) -> None:
        self.spaces.setdefault(space, set()).add(page)

    @staticmethod
    def _space_name(cs, resources) -> str:
        if isinstance(cs, pikepdf.Name):
            name = str(cs)
            if name in ("/DeviceRGB", "/DeviceCMYK", "/DeviceGray", "/Pattern"):
                return name[1:]
            named = (resources.get("/ColorSpace") or {}).get(name) if resources else None
            if named is None:
                return name[1:]
            cs = named
        if isinstance(cs, pikepdf.Array) and len(cs):
            kind = str(cs[0])
            if kind == "/ICCBased":
                n = int(cs[1].get("/N", 0))
                return {1: "ICCBased-Gray", 3: "ICCBased-RGB", 4: "ICCBased-CMYK"}.get(n, "ICC")
            if kind == "/Indexed":
                return "Indexed-" + _Colours._space_name(cs[1], resources)
            return kind[1:]
        return str(cs)

    def walk(self, content, resources, page: int, ctm=(1, 0, 0, 1, 0, 0), depth=0) -> None:
        if depth > 8:
            return
        stack = []
        fill = stroke = "DeviceGray"
        for operands, op in pikepdf.parse_content_stream(content):
            op = str(op)
            if op == "q":
                stack.append((ctm, fill, stroke))
            elif op == "Q" and stack:
                ctm, fill, stroke = stack.pop()
            elif op == "cm":
                a, b, c, d, e, f = (float(v) for v in operands)
                A, B, C, D, E, F = ctm
                ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                       e * A + f * C + E, e * B + f * D + F)
            elif op in ("rg", "RG"):
                self.note("DeviceRGB", page)
            elif op in ("k", "K"):
                self.note("DeviceCMYK", page)
                if any(float(v) for v in operands[:3]):
                    self.coloured_k.add(page)
            elif op in ("g", "G"):
                self.note("DeviceGray", page)
            elif op in ("cs", "CS"):
                space = self._space_name(operands[0], resources)
                if op == "cs":
                    fill = space
                else:
                    stroke = space
            elif op in ("sc", "scn", "SC", "SCN"):
                space = fill if op in ("sc", "scn") else stroke
                self.note(space, page)
                if space.endswith("CMYK") and len(operands) >= 4 and any(
                        float(v) for v in operands[:3]):
                    self.coloured_k.add(page)
            elif op == "Do":
                xobj = (resources.get("/XObject") or {}).get(str(operands[0]))
                if xobj is None:
                    continue
                if xobj.get("/Subtype") == "/Image":
                    self._image(xobj, resources, page, ctm)
                elif xobj.get("/Subtype") == "/Form":
                    matrix = [float(v) for v in xobj.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    a, b, c, d, e, f = matrix
                    A, B, C, D, E, F = ctm
                    inner = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                             e * A + f * C + E, e * B + f * D + F)
                    self.walk(xobj, xobj.get("/Resources") or resources, page, inner,
                              depth + 1)
            elif op == "BI":
                self.note("inline image", page)

    def _image(self, image, resources, page: int, ctm) -> None:
        if image.get("/ImageMask"):
            return
        space = self._space_name(image.get("/ColorSpace", pikepdf.Name("/DeviceGray")),
                                 resources)
        self.note(space, page)
        width_pt = (ctm[0] ** 2 + ctm[1] ** 2) ** 0.5
        height_pt = (ctm[2] ** 2 + ctm[3] ** 2) ** 0.5
        pixels_w, pixels_h = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        if width_pt and height_pt:
            dpi = min(pixels_w / (width_pt / 72), pixels_h / (height_pt / 72))
            self.images.append((page, dpi, space))


def _mul(m, n):
    """The product m x n of two PDF matrices (a, b, c, d, e, f)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _apply(m, x, y):
    return (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])


class _FontMetrics:
    """Glyph widths (and ascent/descent) of a PDF font, per character code, in 1/1000 em."""

    def __init__(self, font):
        self.two_byte = font.get("/Subtype") == "/Type0"
        self.widths: dict[int, float] = {}
        if self.two_byte:
            cid_font = font.DescendantFonts[0]
            self.default = float(cid_font.get("/DW", 1000))
            w = list(cid_font.get("/W", []))
            i = 0
            while i < len(w):
                first = int(w[i])
                if isinstance(w[i + 1], pikepdf.Array):
                    for k, v in enumerate(w[i + 1]):
                        self.widths[first + k] = float(v)
                    i += 2
                else:
                    for cid in range(first, int(w[i + 1]) + 1):
                        self.widths[cid] = float(w[i + 2])
                    i += 3
            desc = cid_font.get("/FontDescriptor")
        else:
            self.default = 0.0
            first = int(font.get("/FirstChar", 0))
            for k, v in enumerate(font.get("/Widths", [])):
                self.widths[first + k] = float(v)
            desc = font.get("/FontDescriptor")
        self.ascent = float(desc.get("/Ascent", 800)) if desc is not None else 800.0
        self.descent = float(desc.get("/Descent", -200)) if desc is not None else -200.0

    def advance(self, data: bytes) -> float:
        if self.two_byte:
            codes = [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
        else:
            codes = list(data)
        return sum(self.widths.get(c, self.default) for c in codes)


def _text_box(pdf_page: pikepdf.Page) -> tuple[float, float, float, float] | None:
    """The box (x0, y0, x1, y1, in default user space) every glyph drawn on the page lies
    in, from the text and transformation matrices and the fonts' widths and heights."""
    box = [float("inf"), float("inf"), float("-inf"), float("-inf")]
    metrics: dict = {}

    def glyphs(ctm, tm, font, size, advance):
        m = _mul(tm, ctm)
        for x, y in ((0, font.descent / 1000 * size), (advance, font.ascent / 1000 * size)):
            px, py = _apply(m, x, y)
            box[0], box[1] = min(box[0], px), min(box[1], py)
            box[2], box[3] = max(box[2], px), max(box[3], py)

    def walk(content, resources, ctm, depth=0):
        stack, tm, tlm, font, size, leading = [], None, None, None, 0.0, 0.0
        fonts = resources.get("/Font") or {}
        for operands, op in pikepdf.parse_content_stream(content):
            op = str(op)
            if op == "q":
                stack.append(ctm)
            elif op == "Q" and stack:
                ctm = stack.pop()
            elif op == "cm":
                ctm = _mul(tuple(float(v) for v in operands), ctm)
            elif op == "BT":
                tm = tlm = (1, 0, 0, 1, 0, 0)
            elif op == "Tm":
                tm = tlm = tuple(float(v) for v in operands)
            elif op in ("Td", "TD"):
                tx, ty = (float(v) for v in operands)
                if op == "TD":
                    leading = -ty
                tm = tlm = _mul((1, 0, 0, 1, tx, ty), tlm)
            elif op == "TL":
                leading = float(operands[0])
            elif op == "T*":
                tm = tlm = _mul((1, 0, 0, 1, 0, -leading), tlm)
            elif op == "Tf":
                ref = fonts.get(str(operands[0]))
                if ref is not None:
                    key = ref.objgen if ref.is_indirect else id(ref)
                    if key not in metrics:
                        metrics[key] = _FontMetrics(ref)
                    font = metrics[key]
                size = float(operands[1])
            elif op in ("Tj", "TJ", "'", '"') and font is not None and tm is not None:
                items = operands[0] if op == "TJ" else [operands[-1]]
                advance = 0.0
                for item in items:
                    if isinstance(item, pikepdf.String):
                        advance += font.advance(bytes(item)) / 1000 * size
                    else:
                        advance -= float(item) / 1000 * size
                glyphs(ctm, tm, font, size, advance)
                tm = _mul((1, 0, 0, 1, advance, 0), tm)
            elif op == "Do" and depth < 8:
                xobj = (resources.get("/XObject") or {}).get(str(operands[0]))
                if xobj is not None and xobj.get("/Subtype") == "/Form":
                    matrix = tuple(float(v) for v in xobj.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                    walk(xobj, xobj.get("/Resources") or resources, _mul(matrix, ctm),
                         depth + 1)

    walk(pdf_page, pdf_page.obj.get("/Resources") or pikepdf.Dictionary(),
         (1, 0, 0, 1, 0, 0))
    return tuple(box) if box[0] != float("inf") else None


def _check_margins(pdf: pikepdf.Pdf, profile: Profile, report: Report) -> None:
    """No text nearer the trim than the profile's minimum margin; on the spine side of a
    mirrored book, no nearer than KDP's gutter for the page count."""
    from .pagesetup import gutter_for
    inside = gutter_for(report.pages) if profile.mirrored else profile.min_margin
    prefs = pdf.Root.get("/ViewerPreferences")
    # a right-to-left book is bound on the right: its rectos have the spine on the right
    rtl = prefs is not None and str(prefs.get("/Direction", "")) == "/R2L"
    bad = []
    for n, page in enumerate(pdf.pages, 1):
        box = _text_box(page)
        trim = _box(page, "/TrimBox") or _box(page, "/MediaBox")
        if box is None or trim is None:
            continue
        left, right = box[0] - trim[0], trim[2] - box[2]
        bottom, top = box[1] - trim[1], trim[3] - box[3]
        recto = (n % 2 == 1) != rtl      # the spine is on the left of this page
        need = {"left": inside if (profile.mirrored and recto) else profile.min_margin,
                "right": inside if (profile.mirrored and not recto) else profile.min_margin,
                "top": profile.min_margin, "bottom": profile.min_margin}
        have = {"left": left, "right": right, "top": top, "bottom": bottom}
        for side, inches in need.items():
            if have[side] < inches * 72 - 0.5:
                bad.append(f"p.{n} text {have[side] / 72:.3f} in from the {side} edge "
                           f"(needs {inches} in)")
    report.add("margins", not bad, "; ".join(bad[:3]) + (" ..." if len(bad) > 3 else "")
               or f"text at least {profile.min_margin} in from the trim"
               + (f", {inside} in on the spine side" if profile.mirrored else ""))


ALLOWED = {
    "rgb": None,  # anything
    "grey": {"DeviceGray", "DeviceCMYK", "ICCBased-Gray", "Pattern"},
    "cmyk": {"DeviceGray", "DeviceCMYK", "ICCBased-Gray", "ICCBased-CMYK", "Separation",
             "DeviceN", "Pattern"},
}


def _pages_list(pages: set[int]) -> str:
    return ",".join(str(p) for p in sorted(pages)[:8]) + ("..." if len(pages) > 8 else "")


def _page_draws(pdf: pikepdf.Pdf, page: pikepdf.Page) -> bool:
    """True if a page shows text or an image (a blank page draws neither)."""
    def walk(content, resources, depth=0) -> bool:
        for operands, op in pikepdf.parse_content_stream(content):
            op = str(op)
            if op in _TEXT_OPS or op == "BI":
                return True
            if op == "Do" and depth < 8:
                xobj = (resources.get("/XObject") or {}).get(str(operands[0]))
                if xobj is None:
                    continue
                if xobj.get("/Subtype") == "/Image":
                    return True
                if walk(xobj, xobj.get("/Resources") or resources, depth + 1):
                    return True
        return False
    return walk(page, page.obj.get("/Resources") or pikepdf.Dictionary())


def check_pdf(data: bytes, profile: Profile, trim: tuple[float, float] | None = None,
              claim: str | None = None) -> Report:
    """Hold the PDF's bytes to the profile's rules. `trim` (points) is the size the pages
    must be trimmed to (None: any size, as long as every page has the same);
    `claim` the PDF/X conformance the file must make (from the profile's variant)."""
    from .writers.pdf import conformance
    claim = claim or conformance(profile)
    report = Report(profile)
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        report.add("readable", False, f"the file is not a PDF pikepdf can open ({exc})")
        return report
    with pdf:
        report.pages = len(pdf.pages)
        _check_boxes(pdf, profile, trim, report)

        if profile.name != "screen":
            _check_margins(pdf, profile, report)

        fonts = _fonts(pdf)
        missing = [n for n, ok in fonts.items() if not ok]
        report.add("fonts-embedded", not missing,
                   f"not embedded: {', '.join(missing)}" if missing
                   else f"{len(fonts)} fonts, all embedded")

        if profile.pdfx:
            _check_pdfx(pdf, profile, claim or "", report)

        colours = _Colours(profile)
        for n, page in enumerate(pdf.pages, 1):
            colours.walk(page, page.obj.get("/Resources") or pikepdf.Dictionary(), n)
        allowed = ALLOWED[profile.colour]
        used = {s: p for s, p in colours.spaces.items() if s != "inline image"}
        if allowed is not None:
            wrong = {s: p for s, p in used.items() if s not in allowed}
            problems = [f"{s} on p.{_pages_list(p)}" for s, p in sorted(wrong.items())]
            if profile.colour == "grey" and colours.coloured_k:
                problems.append(f"CMYK with C, M or Y ink on p.{_pages_list(colours.coloured_k)}")
            if "inline image" in colours.spaces:
                problems.append("inline images")
            report.add("colour", not problems,
                       "; ".join(problems) + f" (the {profile.name} profile allows "
                       f"{profile.colour} only)" if problems
                       else f"{', '.join(sorted(used)) or 'nothing drawn'}")

        if profile.page_count == "even-blank-last":
            problems = []
            if report.pages % 2:
                problems.append(f"{report.pages} pages is odd")
            if report.pages and _page_draws(pdf, pdf.pages[-1]):
                problems.append("the last page is not blank")
            report.add("page-count", not problems, "; ".join(problems) or
                       f"{report.pages} pages, even, the last one blank")
        if profile.pages_range:
            low, high = profile.pages_range
            if not low <= report.pages <= high:
                report.notes.append(f"{report.pages} pages: the {profile.name} service prints "
                                    f"{low} to {high} pages")

        if not profile.bookmarks:
            outlines = pdf.Root.get("/Outlines")
            has = outlines is not None and outlines.get("/First") is not None
            report.add("no-outline", not has, "the file has bookmarks (an outline)" if has
                       else "no outline")
        if not profile.links:
            annotated = [n for n, page in enumerate(pdf.pages, 1)
                         if len(page.obj.get("/Annots") or [])]
            report.add("no-annotations", not annotated,
                       f"annotations on p.{_pages_list(set(annotated))}" if annotated
                       else "no annotations")

        if profile.name != "screen":
            low = [(p, d) for p, d, _ in colours.images if d < MIN_DPI - 0.5]
            report.add("image-resolution", not low,
                       "; ".join(f"p.{p} image at {d:.0f} dpi" for p, d in low[:4])
                       + f" (print needs {MIN_DPI} dpi)" if low
                       else f"{len(colours.images)} image(s), all {MIN_DPI} dpi or more")

        if profile.tags:
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
                                               _xmp_text(pdf)):
                problems.append("no PDF/UA identification in the XMP")
            report.add("tagged", not problems, "; ".join(problems) or
                       f"tagged, /Lang {lang}, PDF/UA-1 identified")
    return report
