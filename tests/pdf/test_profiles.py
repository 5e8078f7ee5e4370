"""PDF profiles, read back: the sample and a long generated book (more than 150 pages) are
built once per session in every profile, then opened with pypdf and pikepdf (never with
warraq's own code) and compared with what the profile and the print trade ask for.

The expectations are written out here from the services' rules, not imported: the KDP
gutter table, the paper thicknesses, the trim sizes in points.
"""

from __future__ import annotations

import functools
import io
import random
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import lxml.etree as ET
import pikepdf
import pypdf
import pytest
from conftest import ROOT, SAMPLE, write_source

from warraq.errors import SourceError
from warraq.pipeline import build
from warraq.pdf.profiles import PROFILES

ALL = ("print", "kdp", "ingram", "offset", "screen")
PRINT = ("print", "kdp", "ingram", "offset")      # mirrored, chapters open on rectos
#: KDP's minimum inside margin by page count (inches), written out from KDP's table.
KDP_GUTTER = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875))
#: What warraq adds to the gutter on the spine side (README: inside margin = gutter + 0.25).
INNER_AIR = 0.25
#: Outer margin (inches) for trims narrower than 5.5 in and for the others (README).
OUTER = {"small": 0.5, "large": 0.6}
BLEED = {"print": 0, "kdp": 0, "ingram": 0, "offset": 0.125, "screen": 0}
MARKS = {"offset": 0.25}
PAPER = {"white": 0.002252, "cream": 0.0025}

WORDS = ("river stone patience grateful morning quiet harvest letter window measure "
         "careful promise lantern orchard bridge winter answer market garden thread "
         "season gentle travel reading scholar copyist margin paper ink binding").split()


def _para(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def long_book() -> tuple[dict, dict]:
    """72 chapters: most are one paragraph (so a blank verso follows each), every twelfth
    runs over several pages with a section, a verse and two footnotes. About 175 pages
    in 5 x 8 in, for little text (WeasyPrint's time goes with the lines it sets)."""
    rng = random.Random(5)
    files, contents = {}, []
    for c in range(1, 73):
        long = c % 12 == 1
        body = [f"# Chapter {c}: The {WORDS[c % len(WORDS)].capitalize()}", ""]
        for p in range(14 if long else 1):
            if long and p == 5:
                body += ["## A section", ""]
            text = _para(rng, 90 if long else 60)
            if p in (0, 12):
                text += f"[^n{p}]"
            body += [text, ""]
            if long and p == 8:
                body += ["::: verse", "فَإِنَّ مَعَ الْعُسْرِ يُسْرًا", "",
                         "With hardship comes ease.", ":::", ""]
        body += [f"[^n0]: A note of chapter {c} on the {WORDS[c % 30]}, first.", ""]
        if long:
            body += [f"[^n12]: A note of chapter {c} on the {WORDS[(c + 1) % 30]}, second.", ""]
        files[f"ch{c:02d}.md"] = "\n".join(body)
        contents.append(f"ch{c:02d}.md")
    meta = {"title": "A Long Test Book", "subtitle": "Made in the test", "author": "Test Author",
            "lang": "en", "date": "2024-01-02", "belongs-to-collection": "Long Series",
            "group-position": 2, "paper": "cream", "trim": "5x8",
            "description": "A long generated book to test print profiles.", "contents": contents}
    return meta, files


@pytest.fixture(scope="session")
def long_build(tmp_path_factory):
    """The long book, built once in every profile."""
    folder = tmp_path_factory.mktemp("long-src")
    write_source(folder, *long_book())
    out = tmp_path_factory.mktemp("long-dist")
    return build(folder, out, ("pdf",), profiles=tuple(PROFILES[p] for p in ALL))


@pytest.fixture(scope="session")
def sample_profiles(tmp_path_factory):
    """The sample book, built once in every profile."""
    out = tmp_path_factory.mktemp("sample-profiles")
    return build(SAMPLE, out, ("pdf",), profiles=tuple(PROFILES[p] for p in ALL))


def pdf_file(result, profile: str, cover: bool = False) -> Path:
    stem = result.book.slug if profile == "print" else f"{result.book.slug}.{profile}"
    return next(p for p in result.files if p.name == stem + (".cover" if cover else "") + ".pdf")


def reader(result, profile: str, cover: bool = False) -> pypdf.PdfReader:
    return pypdf.PdfReader(str(pdf_file(result, profile, cover)))


@dataclass
class PageText:
    """A page as poppler's pdftotext reads it: lines top to bottom, and where the text
    block's left edge is (points from the TrimBox's left)."""

    lines: list[str]
    left: float | None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@functools.lru_cache(maxsize=None)
def _read_pages(path: Path) -> tuple[PageText, ...]:
    # pdftotext (poppler-utils, installed by the Makefile) reads 200 pages in a fraction of
    # the time pypdf's text extraction takes.
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], check=True,
                           capture_output=True, timeout=60).stdout
    root = ET.fromstring(xhtml, ET.XMLParser(resolve_entities=False, no_network=True))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    trim_offsets = [float(p.trimbox.left) - float(p.mediabox.left)
                    for p in pypdf.PdfReader(str(path)).pages]
    out = []
    for page, offset in zip(root.iterfind(".//x:page", ns), trim_offsets):
        lines = sorted(page.iterfind(".//x:line", ns),
                       key=lambda l: (round(float(l.get("yMin"))), float(l.get("xMin"))))
        texts = [unicodedata.normalize("NFC", " ".join(w.text or "" for w in
                                                        l.iterfind("x:word", ns)))
                 for l in lines]
        left = min((float(l.get("xMin")) for l in lines), default=None)
        out.append(PageText(texts, None if left is None else left - offset))
    return tuple(out)


def pages_of(result, profile: str, cover: bool = False) -> tuple[PageText, ...]:
    return _read_pages(pdf_file(result, profile, cover))


def texts(result, profile: str) -> list[str]:
    return [p.text for p in pages_of(result, profile)]


def openings(result, profile: str) -> list[int]:
    """0-based pages where chapters open: the first page with the chapter's title as a line
    of its own (contents lines carry leaders, and running heads with the title only follow
    the opening)."""
    pages = pages_of(result, profile)
    out = []
    for chapter in result.book.chapters:
        title = " ".join(chapter.headings[0].text.split())
        out.append(next(i for i, p in enumerate(pages) if title in p.lines))
    return out


# Both are whole books laid out in every profile: the slow tier.
@pytest.fixture(params=[pytest.param("sample_profiles", marks=pytest.mark.slow),
                        pytest.param("long_build", marks=pytest.mark.slow)])
def built(request):
    return request.getfixturevalue(request.param)


# --- page boxes -----------------------------------------------------------------------

@pytest.mark.parametrize("profile", ALL)
def test_page_boxes_equal_trim_and_bleed(built, profile):
    trim = {"6x9": (432.0, 648.0), "5x8": (360.0, 576.0)}[built.book.meta.trim]
    bleed = BLEED[profile] * 72
    slug = MARKS.get(profile, 0) * 72
    for page in reader(built, profile).pages:
        t, b, m = page.trimbox, page.bleedbox, page.mediabox
        assert (round(float(t.width), 2), round(float(t.height), 2)) == trim
        assert [round(float(v), 2) for v in (b.left, b.bottom, b.right, b.top)] == [
            round(float(v), 2) for v in (t.left - bleed, t.bottom - bleed, t.right + bleed,
                                         t.top + bleed)]
        assert [round(float(v), 2) for v in (m.left, m.bottom, m.right, m.top)] == [
            round(float(v), 2) for v in (b.left - slug, b.bottom - slug, b.right + slug,
                                         b.top + slug)]


def test_a_trim_from_book_yaml_sets_the_page(tmp_path, make_source):
    src = make_source({"title": "Royal", "trim": "156 x 234 mm", "contents": ["a.md"]},
                      {"a.md": "# A\n\nText.\n"})
    result = build(src, tmp_path / "o", ("pdf",))
    page = pypdf.PdfReader(str(result.files[0])).pages[0]
    assert (round(float(page.trimbox.width), 1), round(float(page.trimbox.height), 1)) == (
        round(156 / 25.4 * 72, 1), round(234 / 25.4 * 72, 1))


# --- gutter, openings, blank pages, labels, contents, footnotes -------------------------

def _gutter(pages: int) -> float:
    return next(g for last, g in KDP_GUTTER if pages <= last)


@pytest.mark.parametrize("profile", PRINT)
def test_gutter_follows_the_page_count_band(built, profile):
    r = reader(built, profile)
    width = float(r.pages[0].trimbox.width) / 72
    outer = OUTER["small" if width < 5.5 else "large"]
    inner = _gutter(len(r.pages)) + INNER_AIR
    body = openings(built, profile)[0]
    read = pages_of(built, profile)
    pages = [i for i in range(body, len(r.pages)) if read[i].lines]
    assert len(pages) > 5
    for i in pages:
        edge = read[i].left / 72
        expected = inner if i % 2 == 0 else outer      # index 0 is page 1, a recto
        assert abs(edge - expected) < 0.01, (i + 1, edge, expected)
    if built.book.meta.trim == "5x8":
        assert 150 < len(r.pages) <= 300 and inner == 0.5 + INNER_AIR


def test_screen_margins_are_not_mirrored(built):
    body = openings(built, "screen")[0]
    edges = {round(p.left, 1) for p in pages_of(built, "screen")[body:] if p.lines}
    assert len(edges) == 1


@pytest.mark.parametrize("profile", PRINT)
def test_chapters_open_on_odd_pages_and_blank_pages_are_empty(built, profile):
    r = reader(built, profile)
    starts = openings(built, profile)
    assert all(i % 2 == 0 for i in starts)               # page i + 1 is odd
    pages = texts(built, profile)
    blanks = [i for i in range(starts[0], len(pages)) if not pages[i].strip()]
    for i in blanks:
        content = r.pages[i].get_contents()
        ops = content.get_data() if content is not None else b""
        assert not re.search(rb"\bT[Jj]\b", ops), f"p.{i + 1} draws text"
    # every blank page in the body is a verso before an opening, or the ingram end page
    for i in blanks:
        assert i + 1 in starts or (profile == "ingram" and i >= len(pages) - 2), i + 1
    if built.book.meta.trim == "5x8":
        assert len(blanks) > 50


@pytest.mark.parametrize("profile", ALL)
def test_page_labels_are_roman_then_arabic(built, profile):
    r = reader(built, profile)
    labels = r.page_labels
    first = openings(built, profile)[0]
    roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
    assert labels[:first] == roman[:first]
    assert labels[first:] == [str(n) for n in range(1, len(labels) - first + 1)]


@pytest.mark.parametrize("profile", ALL)
def test_contents_numbers_are_where_chapters_start(built, profile):
    r = reader(built, profile)
    pages, labels = texts(built, profile), r.page_labels
    first = openings(built, profile)[0]
    toc = "\n".join(pages[:first])
    listed = {" ".join(t.split()): n for t, n in
              re.findall(r"^(.+?)(?: ?\.){3,}\s*(\d+)\s*$", toc, re.M)}
    chapters = [c.title for c in built.book.chapters]
    assert list(listed) == chapters
    starts = openings(built, profile)
    if PROFILES[profile].bookmarks:
        outline = [r.get_destination_page_number(o) for o in r.outline
                   if not isinstance(o, list)]
        assert outline == starts
    assert [listed[t] for t in chapters] == [labels[i] for i in starts]
    # the folio printed on the opening page is the same number
    for title, i in zip(chapters[:5], starts):
        assert pages[i].strip().splitlines()[-1].strip() == listed[title]


def _squash(text: str) -> str:
    return re.sub(r"[\s\u00ad\u2010-]+", "", unicodedata.normalize("NFC", text))


@pytest.mark.slow
def test_footnotes_sit_on_the_page_of_their_reference(long_build):
    pages = [_squash(t) for t in texts(long_build, "kdp")]
    checked = 0
    for chapter in long_build.book.chapters:
        for note in chapter.footnotes:
            before = re.search(r"([^<>]{20})<a class=\"noteref\"[^>]*href=\"#" + note.id,
                               chapter.html).group(1)
            note_text = _squash(re.sub("<[^>]+>", "", note.html))
            note_pages = [i for i, t in enumerate(pages) if note_text in t]
            ref_pages = [i for i, t in enumerate(pages) if _squash(before) in t]
            assert len(note_pages) == 1 and note_pages[0] in ref_pages, note.id
            checked += 1
    assert checked == 72 + 6
    # numbered per chapter: every chapter's first note is 1, the second 2
    lines = [line for page in pages_of(long_build, "kdp") for line in page.lines]
    firsts = [line for line in lines if re.match(r"^\d+\. A note of chapter \d+ .*first", line)]
    seconds = [line for line in lines if re.match(r"^\d+\. A note of chapter \d+ .*second",
                                                  line)]
    assert len(firsts) == 72 and all(line.startswith("1. ") for line in firsts)
    assert len(seconds) == 6 and all(line.startswith("2. ") for line in seconds)


# --- what each service asks for --------------------------------------------------------

def test_kdp_has_no_outline_and_no_annotations(built):
    path = pdf_file(built, "kdp")
    with pikepdf.open(path) as pdf:
        assert "/Outlines" not in pdf.Root
        assert all("/Annots" not in page.obj for page in pdf.pages)
    assert b"/Annot" not in path.read_bytes()
    # the print file, from the same book, has both
    with pikepdf.open(pdf_file(built, "print")) as pdf:
        assert "/Outlines" in pdf.Root
        assert any("/Annots" in page.obj for page in pdf.pages)


def test_ingram_is_pdfx1a_even_and_ends_blank(built):
    path = pdf_file(built, "ingram")
    with pikepdf.open(path) as pdf:
        version = str(pdf.trailer.Info.GTS_PDFXVersion)
        assert re.match(r"PDF/X-(1a|3):", version)
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert f"<pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>" in xmp
        assert "<dc:title>" in xmp                      # warraq's own XMP, merged
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX" and int(intent.DestOutputProfile.N) == 4
        assert len(pdf.pages) % 2 == 0
        last = pdf.pages[-1]
        assert not [op for _, op in pikepdf.parse_content_stream(last)
                    if str(op) in ("Tj", "TJ", "Do")]
        # black only: every colour set is K-only CMYK, no RGB anywhere
        for page in pdf.pages:
            for operands, op in pikepdf.parse_content_stream(page):
                assert str(op) not in ("rg", "RG", "sc", "SC")
                if str(op) in ("scn", "k") and len(operands) == 4:
                    assert [float(v) for v in operands[:3]] == [0, 0, 0]


def test_offset_is_pdfx4_with_bleed_and_crop_marks(built):
    with pikepdf.open(pdf_file(built, "offset")) as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
        assert "xmp.did:" in xmp
        page = pdf.pages[0]
        # four corners, two strokes each, outside the bleed box
        strokes = [ops for ops, op in pikepdf.parse_content_stream(page) if str(op) == "m"]
        bleed = [float(v) for v in page.BleedBox]
        outside = [(float(x), float(y)) for x, y in strokes
                   if not (bleed[0] <= float(x) <= bleed[2] and bleed[1] <= float(y) <= bleed[3])]
        assert len(outside) >= 8


def test_screen_is_tagged_with_lang(built):
    with pikepdf.open(pdf_file(built, "screen")) as pdf:
        assert bool(pdf.Root.MarkInfo.Marked)
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == built.book.meta.lang
        assert "<pdfuaid:part>1</pdfuaid:part>" in pdf.Root.Metadata.read_bytes().decode()
        assert "/Outlines" in pdf.Root


# --- cover wrap ------------------------------------------------------------------------

@pytest.mark.parametrize("profile", ["kdp", "ingram"])
def test_cover_wrap_width_is_two_trims_spine_and_bleed(built, profile):
    pages = len(reader(built, profile).pages)
    trim_w, trim_h = {"6x9": (6, 9), "5x8": (5, 8)}[built.book.meta.trim]
    spine = pages * PAPER[built.book.meta.paper]
    cover = reader(built, profile, cover=True)
    assert len(cover.pages) == 1
    page = cover.pages[0]
    assert float(page.mediabox.width) == pytest.approx((2 * trim_w + spine + 2 * 0.125) * 72,
                                                       abs=0.05)
    assert float(page.mediabox.height) == pytest.approx((trim_h + 2 * 0.125) * 72, abs=0.05)
    assert float(page.trimbox.width) == pytest.approx((2 * trim_w + spine) * 72, abs=0.05)
    # lines joined: the front panel (the EPUB cover's design) may wrap the title
    text = " ".join(pages_of(built, profile, cover=True)[0].text.split())
    title = built.book.meta.title
    # the front panel always; the spine only from 80 pages up
    assert text.count(title) == (2 if pages >= 80 else 1)
    assert built.book.meta.subtitle in text and built.book.meta.authors[0] in text


# --- preflight -------------------------------------------------------------------------

def run_check(*args):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--check", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_check_passes_good_files_and_fails_a_broken_one(sample_profiles, tmp_path):
    good = pdf_file(sample_profiles, "ingram")
    proc = run_check(str(good), str(pdf_file(sample_profiles, "kdp")))
    assert proc.returncode == 0, proc.stderr
    assert "PASS page-count" in proc.stdout and "FAIL" not in proc.stdout
    # break it: drop the blank last page (odd count), add a link, turn text red, and
    # move the text into the margin
    broken = tmp_path / "broken.ingram.pdf"
    with pikepdf.open(good) as pdf:
        del pdf.pages[-1]
        page = pdf.pages[0]
        page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10]))]))
        page.contents_add(pdf.make_stream(b"1 0 0 rg"), prepend=True)
        for each in pdf.pages:                  # and push every page 40 pt to the left
            each.contents_add(pdf.make_stream(b"1 0 0 1 -40 0 cm"), prepend=True)
        pdf.save(broken)
    proc = run_check(str(broken))
    assert proc.returncode == 2
    errors = [l for l in proc.stderr.splitlines() if " error W501: " in l]
    rules = {re.search(r"rule `([a-z-]+)`", l).group(1) for l in errors}
    assert rules == {"page-count", "no-annotations", "colour", "margins"}
    assert "from the left edge (needs 0.5 in)" in proc.stderr
    assert all(l.startswith(str(broken)) for l in errors)
    assert "Traceback" not in proc.stderr


def test_a_build_whose_pdf_fails_its_profile_writes_nothing(tmp_path, make_source,
                                                            monkeypatch):
    """The preflight is the build's last gate: a writer fault that loses the blank last
    page of an ingram file stops the build with W501 naming the rule, and neither the PDF
    nor the EPUB is written."""
    import warraq.pdf.book as pdf_writer
    real = pdf_writer.render_pdf

    def faulty(book, profile, hint=1, on_document=None, mending=None, draws=None):
        data, warnings = real(book, profile, hint, on_document, mending)   # (pages walked)
        with pikepdf.open(io.BytesIO(data)) as pdf:
            del pdf.pages[-1]
            out = io.BytesIO()
            pdf.save(out)
        return out.getvalue(), warnings
    monkeypatch.setattr(pdf_writer, "render_pdf", faulty)
    src = make_source({"title": "Gate", "contents": ["a.md"]}, {"a.md": "# A\n\nText.\n"})
    out = tmp_path / "dist"
    with pytest.raises(SourceError) as err:
        build(src, out, ("pdf", "epub"), profiles=(PROFILES["ingram"],))
    [diag] = err.value.diagnostics
    assert diag.code == "W501" and "`page-count`" in diag.message and "odd" in diag.message
    assert diag.file == "gate.ingram.pdf"
    assert not out.exists()


def _image_widths(page) -> list[float]:
    """The width in points of every image a page draws (following q, Q and cm)."""
    ctm, stack, widths = (1, 0, 0, 1, 0, 0), [], []
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            A, B, C, D, E, F = ctm
            ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                   e * A + f * C + E, e * B + f * D + F)
        elif op == "Do":
            widths.append((ctm[0] ** 2 + ctm[1] ** 2) ** 0.5)
    return widths


@pytest.mark.slow
def test_images_are_set_at_300_dpi_in_the_profile_colour(tmp_path, make_source):
    """A 900 x 300 px RGB image: 3 in wide in print (300 dpi), greyscale for the black-only
    profiles, CMYK for offset, RGB for screen; every preflight passes."""
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (900, 300), (200, 30, 30)).save(buf, "PNG")
    src = make_source({"title": "Pictures", "contents": ["a.md"]},
                      {"a.md": "# A\n\n![a red block](red.png)\n", "red.png": buf.getvalue()})
    result = build(src, tmp_path / "o", ("pdf",),
                   profiles=tuple(PROFILES[p] for p in ("kdp", "offset", "screen")))
    expected = {"kdp": "/DeviceGray", "offset": "/DeviceCMYK", "screen": "/DeviceRGB"}
    for profile, space in expected.items():
        with pikepdf.open(pdf_file(result, profile)) as pdf:
            images = {str(k): v for page in pdf.pages
                      for k, v in (page.Resources.get("/XObject") or {}).items()
                      if v.get("/Subtype") == "/Image"}
            assert [str(v.ColorSpace) for v in images.values()] == [space]
            if profile != "screen":
                widths = [w for page in pdf.pages for w in _image_widths(page)]
                assert widths == [pytest.approx(216, abs=0.5)]      # 3 in
    assert all(r.passed for r in result.reports.values())


@pytest.mark.slow
def test_profiles_are_reproducible(sample_profiles, tmp_path):
    again = build(SAMPLE, tmp_path, ("pdf",), profiles=(PROFILES["offset"], PROFILES["ingram"]))
    for path in again.files:
        if path.suffix == ".pdf":
            first = next(p for p in sample_profiles.files if p.name == path.name)
            assert path.read_bytes() == first.read_bytes(), path.name


# --- article layout ----------------------------------------------------------------------

def test_article_layout_title_block_then_running_heads(tmp_path, make_source):
    rng = random.Random(3)
    text = "\n\n".join(_para(rng, 80) for _ in range(14))
    src = make_source({"title": "An Essay Printed", "author": "A. Writer", "date": "2024-03-01",
                       "belongs-to-collection": "Essay Series", "group-position": 3,
                       "layout": "article", "contents": ["one.md", "two.md"]},
                      {"one.md": "# First part\n\n" + text, "two.md": "# Second part\n\n" + text})
    result = build(src, tmp_path / "o", ("pdf",))
    r = pypdf.PdfReader(str(result.files[0]))
    pages = texts(result, "print")
    assert len(pages) >= 3
    first = pages[0]
    for expected in ("Essay Series · 3", "An Essay Printed", "A. Writer", "1 March 2024",
                     "First part"):
        assert expected in first
    assert first.find("An Essay Printed") < first.find("First part")
    assert "Contents" not in " ".join(pages)
    assert r.page_labels == [str(n) for n in range(1, len(pages) + 1)]
    # running heads from page 2: the book title on versos, the part's title on rectos
    assert pages[1].strip().startswith("An Essay Printed")
    assert pages[2].strip().startswith(("First part", "Second part"))
    # the second part follows on the same page as the end of the first
    assert any("Second part" in p and not p.strip().startswith("Second part") for p in pages)


# --- book typography ---------------------------------------------------------------------

@pytest.mark.slow
def test_running_heads_folios_and_typography(long_build):
    """Versos carry the book's title, rectos the chapter's, both a folio; a heading never
    ends a page; a verse is never split; words are hyphenated at line ends."""
    pages = pages_of(long_build, "kdp")
    labels = reader(long_build, "kdp").page_labels
    starts = set(openings(long_build, "kdp"))
    chapter_of = {}
    current = None
    for i, page in enumerate(pages):
        if i in starts:
            current = next(c.title for c in long_build.book.chapters
                           if c.title in page.lines)
        chapter_of[i] = current
    checked = 0
    for i, page in enumerate(pages):
        if i < min(starts) or i in starts or not page.lines:
            continue
        head, folio = page.lines[0], page.lines[-1]
        assert head == (long_build.book.meta.title if i % 2 else chapter_of[i]), i + 1
        assert folio == labels[i]
        checked += 1
    assert checked > 20
    for i, page in enumerate(pages):
        body = [l for l in page.lines[:-1] if not re.match(r"^\d+\. A note", l)]
        if body:
            assert body[-1] != "A section", f"p.{i + 1} ends with a heading"
    verse = [i for i, p in enumerate(pages) if "With hardship comes ease." in p.lines]
    assert len(verse) == 6
    for i in verse:
        assert any("\u0627" <= ch <= "\u06ff" for ch in pages[i].text)   # the Arabic line too
    assert sum(l.endswith(("\u2010", "-")) for p in pages for l in p.lines) > 20


@pytest.mark.slow
def test_cli_builds_several_profiles_and_reports_the_check(tmp_path, make_source):
    src = make_source({"title": "Cli Profiles", "contents": ["a.md"]},
                      {"a.md": "# A\n\nText.[^1]\n\n[^1]: A note.\n"})
    out = tmp_path / "o"
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), str(src), "--out", str(out),
                           "--format", "pdf", "--pdf-profile", "kdp,screen", "--check"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    wrote = [l.removeprefix("wrote ") for l in proc.stdout.splitlines() if l.startswith("wrote")]
    assert [Path(p).name for p in wrote] == ["cli-profiles.kdp.pdf",
                                             "cli-profiles.kdp.cover.pdf",
                                             "cli-profiles.screen.pdf", "cli-profiles.sha256"]
    assert "  profile kdp:" in proc.stdout and "PASS no-annotations" in proc.stdout
    assert "PASS tagged" in proc.stdout
    # a kdp book under 24 pages is printed, with a warning saying why KDP will refuse it
    assert "the kdp service prints 24 to 828 pages" in proc.stderr
    bad = subprocess.run([sys.executable, str(ROOT / "build.py"), str(src), "--pdf-profile",
                          "kdp,poster"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "PDF profiles are print, kdp, ingram, offset, screen" in bad.stderr
