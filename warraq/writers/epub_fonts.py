"""The fonts the EPUB carries: the print faces, subset to the characters the book uses.

A reader without an Arabic font must still see the Arabic, in the face the PDF uses.
For every family that sets at least one character of the book
(`warraq.transforms.glyphs.family_usage`), each of its files is subset with HarfBuzz
(`uharfbuzz`) to exactly the characters that family sets (its OpenType layout kept, so
Arabic still joins and vowel marks still sit), variable fonts are instanced in the same
pass to the static weights the stylesheets use (400 and 700; other axes at their
defaults), and each is stored as TrueType (`.ttf`, `font/ttf`) or, for a font with
PostScript outlines, OpenType (`.otf`, `font/otf`), with the family's licence file beside
it: Kindle (and calibre's AZW3) keeps only these, not WOFF, and the EPUB's zip compresses
them as WOFF would. The bytes are the same on every run (no timestamps are changed).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from fontTools.ttLib import TTFont

from ..cache import NO_CACHE, Cache, Entry, file_stamps
from ..fonts import SCRIPT_STACKS, USED_WEIGHTS, Choice, faces, pin_weight, script_stack
from ..model import Book
from ..transforms.language import arabic_selector

FONT_DIR = "fonts"
#: sfnt version -> (file extension, media type, CSS format): TrueType outlines or CFF.
KINDS = {"OTTO": ("otf", "font/otf", "opentype")}
TRUETYPE = ("ttf", "font/ttf", "truetype")


@dataclass(frozen=True)
class EmbeddedFont:
    """One font file of the EPUB and the `@font-face` rule that loads it."""

    family: str
    weight: int
    style: str
    file_name: str       # relative to the OPF, e.g. fonts/Amiri-400-normal.ttf
    data: bytes

    @property
    def kind(self) -> tuple[str, str, str]:
        """(extension, media type, CSS format) of the file."""
        return font_kind(self.data)


def font_kind(data: bytes) -> tuple[str, str, str]:
    """(extension, media type, CSS format) of an sfnt font's bytes."""
    return KINDS.get(data[:4].decode("latin-1"), TRUETYPE)


@dataclass(frozen=True)
class LicenseFile:
    family: str
    file_name: str
    data: bytes


def _file_stem(family: str, weight: int, style: str) -> str:
    return f"{re.sub(r'[^A-Za-z0-9]+', '', family)}-{weight}-{style}"


#: Name records kept: fontTools' and HarfBuzz's default 0-6, plus the licence (13, 14).
NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)


@lru_cache(maxsize=64)
def subset_font(path: Path, weight: int | None, chars: frozenset[str], index: int = 0) -> bytes:
    """`path` subset to `chars` (layout kept), instanced at `weight` if variable (other
    axes at their defaults), as a TrueType or OpenType file. HarfBuzz subsets and
    instances in one pass (its default layout features are the ones shaping needs: Arabic
    joining forms, rlig, marks, kerning, ligatures, not small caps or swashes); fontTools
    only writes the result out (table checksums and `head`'s checksum adjustment)."""
    face = hb.Face(hb.Blob.from_file_path(str(path)), index)   # of a collection: one face
    wanted = hb.SubsetInput()
    wanted.sets(hb.SubsetInputSets.UNICODE).update(ord(c) for c in chars)
    wanted.sets(hb.SubsetInputSets.NAME_ID).update(NAME_IDS)
    wanted.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    pin_weight(wanted, face, weight)
    subset = hb.subset(face, wanted)
    if subset is None:
        raise RuntimeError(f"HarfBuzz could not subset {path.name}")
    font = TTFont(io.BytesIO(subset.blob.data), recalcTimestamp=False)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cached_subset(cache: Cache, path: Path, weight: int | None, chars: frozenset[str],
                   index: int = 0) -> bytes:
    """`subset_font`, kept in `cache` by the font file (path, size, time), the face, the
    weight, the characters and the name records kept."""
    return cache.remember(
        "epub-font", (file_stamps([path]), index, weight, "".join(sorted(chars)), NAME_IDS),
        lambda: subset_font(path, weight, chars, index),
        lambda data: Entry(None, {"font": data}), lambda entry: entry.blobs["font"])


def embedded_fonts(usage: dict[str, frozenset[str]],
                   styles: dict[str, frozenset[tuple[int, str]]] | None = None,
                   choice: Choice = (), cache: Cache = NO_CACHE
                   ) -> list[EmbeddedFont]:
    """The font files for `usage` (family -> characters), in a stable order: for each
    family, the files of the (weight, style) pairs in `styles` (all when None); each file
    has every character the family sets (a reader may still show any text in any style)."""
    out = []
    for face in faces(choice):
        chars = usage.get(face.family)
        if not chars:
            continue
        low, _, high = face.weight.partition(" ")
        if high:
            weights = [w for w in USED_WEIGHTS if int(low) <= w <= int(high)]
        else:
            weights = [int(low)]
        if styles is not None:
            used = styles.get(face.family, frozenset())
            weights = [w for w in weights if (w, face.style) in used]
        for w in weights:
            data = _cached_subset(cache, face.path, w if high else None, chars, face.index)
            stem = _file_stem(face.family, w, face.style)
            name = f"{FONT_DIR}/{stem}.{font_kind(data)[0]}"
            out.append(EmbeddedFont(face.family, w, face.style, name, data))
    return out


def license_files(usage: dict[str, frozenset[str]], choice: Choice = ()) -> list[LicenseFile]:
    out = []
    seen = set()
    for face in faces(choice):
        if face.family in usage and face.family not in seen and face.license_file:
            seen.add(face.family)
            stem = re.sub(r"[^A-Za-z0-9]+", "", face.family)
            out.append(LicenseFile(face.family, f"text/warraq_licence-{stem.lower()}.xhtml",
                                   face.license_file.read_bytes()))
    return out


#: Characters of the copyright page's own wording that `glyphs.TEMPLATE_TEXT` (the
#: template text every build checks and subsets) lacks: "Set in X 1.0 (licence)".
COPYRIGHT_TEXT = "()"


def own_pages_usage(usage: dict[str, frozenset[str]], choice: Choice = ()
                    ) -> dict[str, frozenset[str]]:
    """`usage` plus the characters of warraq's own pages, the copyright page and the
    licences, each given to the family that sets it in Latin text (only families the
    book embeds anyway: these pages never add a font of their own)."""
    from ..fonts import family_setting, needs_glyph
    extra = set(COPYRIGHT_TEXT)
    for lic in license_files(usage, choice):
        extra.update(lic.data.decode("utf-8", "replace"))
    out = dict(usage)
    for char in filter(needs_glyph, extra):
        family = family_setting(char, "latin", choice)
        if family in out:
            out[family] = out[family] | {char}
    return out


def book_fonts(book: Book, cache: Cache = NO_CACHE) -> list[EmbeddedFont]:
    """The font files the book's EPUB embeds, subset to the book's text and warraq's own
    pages (the costly step: call it once; `cache` keeps the subsets)."""
    from ..transforms.glyphs import family_styles, family_usage
    choice = book.meta.font_choice
    return embedded_fonts(own_pages_usage(family_usage(book), choice), family_styles(book),
                          choice, cache)


def manifest_items(fonts: list[EmbeddedFont]) -> list[tuple[str, str, str, bytes]]:
    """(id, file name, media type, bytes) of every font file to add."""
    return [(f"font-{_file_stem(f.family, f.weight, f.style).lower()}", f.file_name,
             f.kind[1], f.data) for f in fonts]


def licences(book: Book) -> list[LicenseFile]:
    """The licence of every family the EPUB embeds; the writer sets each as an XHTML page
    (linked from the copyright page: EPUBCheck wants every manifest item referenced, and
    plain text is not a content document)."""
    from ..transforms.glyphs import family_usage
    return license_files(family_usage(book), book.meta.font_choice)


def css_context(book: Book, fonts: list[EmbeddedFont]) -> dict:
    """What templates/epub/book.css needs: the `@font-face` rules and the stacks."""
    return {
        "font_faces": [{"family": f.family, "url": "../" + f.file_name, "weight": f.weight,
                        "style": f.style, "format": f.kind[2]} for f in fonts],
        "stacks": {s: script_stack(s, book.meta.font_choice) for s in SCRIPT_STACKS},
        "arabic_selector": arabic_selector(book.meta.script_lang),
        "code_colour": True,
    }

