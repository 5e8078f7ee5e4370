"""The book's PDF joined from its parts (`warraq.pdf.partwrite`) with pikepdf (qpdf), as
WeasyPrint would have written it in one piece:

- the pages in order, each with its own part's content, resources and annotations;
- each font once: the faces the parts drew with are subset again to every glyph the
  book drew (HarfBuzz, as WeasyPrint subsets: glyph ids kept, so the parts' text still
  points at the right glyphs), and WeasyPrint's own `build_fonts_dictionary` makes the
  font objects (widths, ToUnicode, descriptor) from the book's glyphs, which every
  part's resources then name;
- one name tree of destinations for the links (the anchors a part was given for links
  that leave it are left out, so each name goes to the part that holds it);
- the outline WeasyPrint makes of the whole document's bookmarks, made the way its
  `add_outlines` makes it; the first part's catalog and information (metadata, output
  intent, page labels counted over the whole book).
"""

from __future__ import annotations

import io
import types

import pikepdf
import pydyf
import uharfbuzz as hb
from . import weasyload  # noqa: F401  (first: WeasyPrint's libraries)
from weasyprint.pdf import VARIANTS
from weasyprint.pdf.fonts import Font, build_fonts_dictionary

from .fontstamp import modified, restamped
from .partwrite import PartPdf
from .tounicode import fix_fonts

#: The tables WeasyPrint's HarfBuzz subset drops.
_DROPPED = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT",
            "SVG ")


def _tag(name: str) -> int:
    """An OpenType tag as HarfBuzz's integer."""
    return int.from_bytes(name.encode("ascii"), "big")


def _subset(self, to_unicode: dict, hinting: bool) -> None:
    """WeasyPrint's `Font._harfbuzz_subset` through uharfbuzz: the glyphs drawn, at their
    own ids, then the empty glyphs after the last one dropped."""
    if not to_unicode:
        return
    face = hb.Face(hb.Blob(self.file_content), self.index)
    wanted = hb.SubsetInput()
    wanted.sets(hb.SubsetInputSets.GLYPH_INDEX).update(sorted(to_unicode))
    wanted.sets(hb.SubsetInputSets.DROP_TABLE_TAG).update(_tag(t) for t in _DROPPED)
    wanted.flags = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
                    | hb.SubsetFlags.DESUBROUTINIZE)
    kept = _subset_or_fail(face, wanted, self.family)
    wanted.sets(hb.SubsetInputSets.GLYPH_INDEX).update(range(max(to_unicode) + 1))
    wanted.flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE | (
        hb.SubsetFlags(0) if hinting else hb.SubsetFlags.NO_HINTING)
    self.file_content = _subset_or_fail(kept, wanted, self.family).blob.data


def _subset_or_fail(face, wanted, family: str):
    subset = hb.subset(face, wanted)
    if subset is None:
        raise ValueError(f"HarfBuzz could not subset {family}")
    return subset


def _clean(self, to_unicode: dict, hinting: bool) -> None:
    """`Font.clean`, then the build time in a font fontTools re-saved
    (`warraq.pdf.fontstamp`)."""
    original = modified(self.file_content, self.index)
    Font.clean(self, to_unicode, hinting)
    self.file_content = restamped(self.file_content, original, self.seconds)


def _merged(parts: list[PartPdf], faces: dict[str, bytes], seconds: int) -> dict:
    """WeasyPrint fonts with every part's glyphs, in the order the parts first drew them."""
    fonts: dict = {}
    for part in parts:
        for use in part.fonts:
            font = fonts.get(use.key)
            if font is None:
                font = fonts[use.key] = Font.__new__(Font)
                vars(font).update(use.attributes)
                font.file_content, font.hb_face = faces[use.face], None
                font.widths, font.to_unicode, font.seconds = {}, {}, seconds
                font.subset = types.MethodType(_subset, font)
                font.clean = types.MethodType(_clean, font)
            font.widths.update(use.widths)
            font.to_unicode.update(use.to_unicode)
    return fonts


def _font_objects(parts: list[PartPdf], faces: dict[str, bytes], variant: str | None,
                  seconds: int) -> pikepdf.Pdf:
    """A PDF holding only the book's fonts, made by WeasyPrint's code, in its catalog's
    `/WqFonts` (resource name -> font)."""
    version = VARIANTS[variant][1].get("pdf_version") if variant else None
    scratch = pydyf.PDF()
    fonts = build_fonts_dictionary(scratch, _merged(parts, faces, seconds), True, True,
                                   {"hinting": False, "pdf_version": version})
    scratch.add_object(fonts)
    scratch.catalog["WqFonts"] = fonts.reference
    out = io.BytesIO()
    scratch.write(out, version=b"1.7")
    return pikepdf.open(io.BytesIO(out.getvalue()))


def _share_fonts(base: pikepdf.Pdf, scratch: pikepdf.Pdf, texts=None, rebuilt=None
                 ) -> None:
    """Every part's font resources name the book's fonts (their copied text mended as
    `warraq.pdf.tounicode` mends it, with `texts` and `rebuilt`)."""
    book = {name: base.copy_foreign(font) for name, font in scratch.Root.WqFonts.items()}
    fix_fonts(book.values(), texts, rebuilt)
    seen = set()
    for page in base.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font")
        if fonts is None or fonts.objgen in seen:
            continue
        seen.add(fonts.objgen)
        for name in list(fonts.keys()):
            if name in book:
                fonts[name] = book[name]


def _destinations(base: pikepdf.Pdf, parts: list[PartPdf], pdfs: list[pikepdf.Pdf],
                  offsets: list[int]) -> None:
    """One name tree of every part's own destinations (the first of a name wins)."""
    names: dict[bytes, tuple] = {}
    pages = [page.obj for page in base.pages]   # (`base.pages[i]` costs 27 us a call)
    for part, pdf, offset in zip(parts, pdfs, offsets):
        tree = pdf.Root.get("/Names", {}).get("/Dests")
        if tree is None:
            continue
        index = {page.objgen: offset + n for n, page in enumerate(pdf.pages)}
        flat = tree.Names
        for n in range(0, len(flat), 2):
            key, dest = flat[n], flat[n + 1]
            name = bytes(key)
            if str(key) in part.phantoms or name in names:
                continue
            page = pages[index[dest[0].objgen]]
            names[name] = (key, pikepdf.Array([page, pikepdf.Name.XYZ, dest[2], dest[3], 0]))
    if "/Names" in base.Root and "/Dests" in base.Root.Names:
        del base.Root.Names["/Dests"]
    if names:
        if "/Names" not in base.Root:
            base.Root.Names = pikepdf.Dictionary()
        # (one Array of a list: `Array.extend` takes 0.15 ms a call)
        flat = pikepdf.Array([item for name in sorted(names) for item in names[name]])
        base.Root.Names.Dests = base.make_indirect(pikepdf.Dictionary(Names=flat))


def _outline(base: pikepdf.Pdf, bookmarks: list, parent=None) -> tuple[list, int]:
    """WeasyPrint's `add_outlines`, on pikepdf objects."""
    count = len(bookmarks)
    items: list = []
    for title, (page, x, y), children, state in bookmarks:
        item = base.make_indirect(pikepdf.Dictionary(
            Title=pikepdf.String(title),
            Dest=pikepdf.Array([base.pages[page].obj, pikepdf.Name.XYZ, x, y, 0])))
        kids, kid_count = _outline(base, children, item)
        item.Count = -kid_count if state == "closed" else kid_count
        if state != "closed":
            count += kid_count
        if items:
            item.Prev = items[-1]
            items[-1].Next = item
        if kids:
            item.First, item.Last = kids[0], kids[-1]
        if parent is not None:
            item.Parent = parent
        items.append(item)
    if parent is None and items:
        root = base.make_indirect(pikepdf.Dictionary(Count=count, First=items[0],
                                                     Last=items[-1]))
        for item in items:
            item.Parent = root
        base.Root.Outlines = root
    return items, count


def join(parts: list[PartPdf], faces: dict[str, bytes], bookmarks: list | None,
         variant: str | None, seconds: int, texts=None, rebuilt=None) -> bytes:
    """The parts as one PDF (its `ToUnicode` maps mended, `warraq.pdf.tounicode`):
    `bookmarks` is the whole document's bookmark tree
    (`Document.make_bookmark_tree`, None: no outline); `variant` the parts' WeasyPrint
    `pdf_variant`; `seconds` the build time (`warraq.pdf.fontstamp`); `texts`: what each
    glyph of a face may stand for, and `rebuilt` the maps kept (`tounicode.fix_fonts`)."""
    pdfs = [pikepdf.open(io.BytesIO(part.data)) for part in parts]
    base = pdfs[0]
    offsets, total = [], 0
    for pdf in pdfs:
        offsets.append(total)
        total += len(pdf.pages)
    for pdf in pdfs[1:]:
        for page in pdf.pages:      # (not `extend`, which warns of the destinations
            base.pages.append(page)     # that `_destinations` carries itself)
    _share_fonts(base, _font_objects(parts, faces, variant, seconds), texts, rebuilt)
    _destinations(base, parts, pdfs, offsets)
    if "/Outlines" in base.Root:
        del base.Root["/Outlines"]
    if bookmarks:
        _outline(base, bookmarks)
    out = io.BytesIO()
    streams = (pikepdf.ObjectStreamMode.generate if base.pdf_version >= "1.5"
               else pikepdf.ObjectStreamMode.disable)
    base.save(out, deterministic_id=True, compress_streams=True,
              stream_decode_level=pikepdf.StreamDecodeLevel.none, object_stream_mode=streams)
    return out.getvalue()
