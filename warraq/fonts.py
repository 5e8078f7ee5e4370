"""The fonts warraq sets books in: PyPI font packages (`fontpkg`) and a few Debian ones.

A book face for Latin, Greek and Cyrillic (EB Garamond), a fallback with wider coverage
(Noto Serif), an Arabic face (Amiri), a Hebrew face (Frank Ruhl Libre), one face for each
script authors quote (Devanagari, Bengali, Tamil, Thai, Khmer from `fontpkg-*`; Chinese,
Japanese and Korean from Debian's `fonts-noto-cjk`), a math face (STIX Math, Debian's
`fonts-stix`), a symbol and emoji face (Symbola, `fonts-symbola`: monochrome, which
WeasyPrint draws well, where colour emoji fonts come out poorly) and a monospace face
for code (Source Code Pro). Debian's files are found by path (the Makefile installs them).

A book may choose other faces with Pandoc's keys (`mainfont`, `sansfont`, `monofont`,
`mathfont`, `CJKmainfont`) and `arabicfont`: a `Choice` (role -> family slug) that every
function here takes. `SCRIPT_STACKS` is the order in which the roles are tried.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import fontpkg


@dataclass(frozen=True)
class Face:
    """One font file (one face of it, for a collection), as CSS `@font-face` describes it."""

    family: str          # CSS family name
    package: str         # family slug (fontpkg) or Debian package
    role: str            # text, fallback, arabic, hebrew, devanagari, ..., cjk, math, mono
    path: Path
    weight: str          # "400", or "400 800" for a variable font
    style: str           # normal or italic
    version: str
    license: str
    index: int = 0       # the face's number in a font collection (.ttc)
    licence_path: Path | None = None

    @property
    def license_file(self) -> Path | None:
        if self.licence_path is not None:
            return self.licence_path
        for name in ("LICENSE", "OFL.txt", "LICENSE.txt"):
            candidate = self.path.parent.parent / name
            if candidate.is_file():
                return candidate
        return None

    @property
    def url(self) -> str:
        """The URL stylesheets load it by (a collection's face by its number)."""
        uri = _file_uri(self.path)
        return f"{uri}?face={self.index}" if self.path.suffix.lower() == ".ttc" else uri


@lru_cache(maxsize=256)     # (every print context names every face)
def _file_uri(path: Path) -> str:
    return path.resolve().as_uri()


@dataclass(frozen=True)
class DebianFamily:
    """A family from a Debian package, found by path: (file, weight, style, face index)."""

    name: str
    package: str
    files: tuple[tuple[str, int, str, int], ...]
    license: str = "OFL-1.1"

    def installed(self) -> bool:
        return all(Path(f[0]).is_file() for f in self.files)


_CJK = "/usr/share/fonts/opentype/noto/"
#: slug -> family of Debian's font packages (the Makefile's APT_PACKAGES installs them).
DEBIAN_FAMILIES: dict[str, DebianFamily] = {
    "noto-serif-cjk": DebianFamily("Noto Serif CJK JP", "fonts-noto-cjk", (
        (_CJK + "NotoSerifCJK-Regular.ttc", 400, "normal", 0),
        (_CJK + "NotoSerifCJK-Bold.ttc", 700, "normal", 0))),
    "noto-sans-cjk": DebianFamily("Noto Sans CJK JP", "fonts-noto-cjk", (
        (_CJK + "NotoSansCJK-Regular.ttc", 400, "normal", 0),
        (_CJK + "NotoSansCJK-Bold.ttc", 700, "normal", 0))),
    "stix-math": DebianFamily("STIX Math", "fonts-stix", (
        ("/usr/share/fonts/opentype/stix-word/STIXMath-Regular.otf", 400, "normal", 0),)),
    "stix": DebianFamily("STIX", "fonts-stix", tuple(
        (f"/usr/share/fonts/opentype/stix-word/STIX-{n}.otf", w, s, 0)
        for n, w, s in (("Regular", 400, "normal"), ("Italic", 400, "italic"),
                        ("Bold", 700, "normal"), ("BoldItalic", 700, "italic")))),
    "symbola": DebianFamily("Symbola", "fonts-symbola", (
        ("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf", 400, "normal", 0),),
        license="Symbola (free for any use)"),
}

#: (role, family slug), in fallback order: the faces of a book that chooses none.
FAMILIES: tuple[tuple[str, str], ...] = (
    ("text", "eb-garamond"),
    ("fallback", "noto-serif"),
    ("arabic", "amiri"),
    ("hebrew", "frank-ruhl-libre"),
    ("devanagari", "noto-sans-devanagari"),
    ("bengali", "hind-siliguri"),
    ("tamil", "noto-sans-tamil"),
    ("thai", "noto-sans-thai"),
    ("khmer", "noto-sans-khmer"),
    ("cjk", "noto-serif-cjk"),
    ("math", "stix-math"),
    ("symbols", "symbola"),
    ("mono", "source-code-pro"),
)

#: book.yaml key -> the role it chooses the face of (Pandoc's keys, and one for Arabic).
FONT_KEYS: dict[str, str] = {"mainfont": "text", "sansfont": "sans", "monofont": "mono",
                             "mathfont": "math", "CJKmainfont": "cjk", "arabicfont": "arabic"}

#: The roles' families a book chose: ((role, slug), ...), sorted; () for the defaults.
Choice = tuple[tuple[str, str], ...]

#: What would cover a script none of the families has (the W400 message names it).
SUGGESTIONS: dict[str, str] = {
    "default": "a Noto font for it (Debian's fonts-noto-core or fonts-noto-extra, or a "
               "fontpkg-* package), chosen in book.yaml",
}


def slug_of(value: str) -> str | None:
    """The family slug `value` names (a slug, `fontpkg-<slug>`, or a family name), if it
    is installed; else None."""
    want = fontpkg.slugify(value.removeprefix("fontpkg-"))
    for slug, fam in DEBIAN_FAMILIES.items():
        if want in (slug, fontpkg.slugify(fam.name)) and fam.installed():
            return slug
    try:
        return fontpkg.family(want).slug
    except fontpkg.FontpkgError:
        return None


def installed_slugs() -> list[str]:
    """Every family a book may choose (for the error message of an unknown one)."""
    return sorted({*fontpkg.families(),
                   *(s for s, f in DEBIAN_FAMILIES.items() if f.installed())})


def _roles(choice: Choice) -> tuple[tuple[str, str], ...]:
    chosen = dict(choice)
    out = [(role, chosen.pop(role, slug)) for role, slug in FAMILIES]
    return tuple(out + sorted(chosen.items()))


def _package_faces(role: str, slug: str) -> list[Face]:
    if slug in DEBIAN_FAMILIES:
        fam = DEBIAN_FAMILIES[slug]
        licence = Path("/usr/share/doc") / fam.package / "copyright"
        return [Face(fam.name, fam.package, role, Path(p), str(w), s, _version(Path(p), i),
                     fam.license, i, licence) for p, w, s, i in fam.files]
    fam = fontpkg.family(slug)
    wght = next((a for a in fam.axes if a.tag == "wght"), None)
    files = [f for f in fam.files
             if f.weight is None or f.weight in USED_WEIGHTS] or list(fam.files)
    out = []
    for f in files:
        weight = (f"{int(wght.min)} {int(wght.max)}" if f.weight is None and wght
                  else str(f.weight or 400))
        out.append(Face(fam.name, slug, role, Path(f.path), weight, f.style, fam.version,
                        fam.license))
    return out


@lru_cache(maxsize=None)
def _version(path: Path, index: int) -> str:
    """The face's name ID 5 (with HarfBuzz: fontTools's name table imports in 0.05 s)."""
    import uharfbuzz as hb
    face = hb.Face(hb.Blob.from_file_path(str(path)), index)
    text = face.get_name(hb.OTNameIdPredefined.VERSION_STRING) or ""
    return text.removeprefix("Version ").split(";")[0].strip()


@lru_cache(maxsize=16)
def faces(choice: Choice = ()) -> tuple[Face, ...]:
    """Every font file of every family the book uses (a family chosen for two roles is
    listed once, under its first)."""
    out: list[Face] = []
    seen: set[str] = set()
    for role, slug in _roles(choice):
        found = _package_faces(role, slug)
        if found and found[0].family not in seen:
            seen.add(found[0].family)
            out.extend(found)
    return tuple(out)


def fonts_digest(choice: Choice = ()) -> str:
    """What the faces of a book choosing `choice` are (family, file, weights, version)
    and each file's size and modification time: the fonts' part of a cache key
    (`warraq.cache`; a font package installed again or upgraded changes it)."""
    from .cache import file_stamps, fingerprint
    chosen = faces(choice)
    return fingerprint((chosen, file_stamps(f.path for f in chosen)))


def family_names(choice: Choice = ()) -> tuple[str, ...]:
    return tuple(dict.fromkeys(face.family for face in faces(choice)))


def family_for(role: str, choice: Choice = ()) -> str | None:
    """The family of `role` (None for a role the book has no face for, such as `sans`)."""
    slug = dict(_roles(choice)).get(role)
    if slug is None:
        return None
    return _package_faces(role, slug)[0].family


def font_stack(choice: Choice = ()) -> str:
    """The CSS font-family list of Latin text."""
    return script_stack("latin", choice)


#: The weights the stylesheets use; variable fonts get one `@font-face` per weight.
USED_WEIGHTS = (400, 700)


@dataclass(frozen=True)
class CssFace:
    """One `@font-face` rule: a family, a file URL, one weight and a style."""

    family: str
    url: str
    weight: int
    style: str


def css_faces(choice: Choice = (), families=None) -> tuple[CssFace, ...]:
    """The `@font-face` rules for every face (of `families` only, when given: WeasyPrint
    loads every face a stylesheet declares, and a CJK collection is tens of megabytes),
    variable fonts split into static weights."""
    out = []
    for face in faces(choice):
        if families is not None and face.family not in families:
            continue
        low, _, high = face.weight.partition(" ")
        weights = ([w for w in USED_WEIGHTS if int(low) <= w <= int(high)] if high
                   else [int(low)])
        out.extend(CssFace(face.family, f"{face.url}?wght={w}" if high else face.url, w,
                           face.style) for w in weights)
    return tuple(out)


def pin_weight(wanted, face, weight: int | None) -> None:
    """Have a HarfBuzz subset (`wanted`, a `uharfbuzz.SubsetInput` of `face`) instance a
    variable font: every axis at its default, the weight at `weight` (when given)."""
    axes = {axis.tag for axis in face.axis_infos}
    if axes:
        wanted.pin_all_axes_to_default(face)
        if weight is not None and "wght" in axes:
            wanted.pin_axis_location(face, "wght", weight)


#: The axes a static instance may pin (each to its default but the weight): a font with
#: another axis (`opsz`, which WeasyPrint sets to the font size) stays variable.
STATIC_AXES = frozenset({"wght", "wdth"})


@lru_cache(maxsize=16)
def static_instance(path: Path, weight: int) -> bytes | None:
    """A variable font as a static font of one weight (other axes at their defaults),
    every glyph and table kept; None for a font with an axis outside `STATIC_AXES`.
    HarfBuzz does it in about 10 ms; WeasyPrint would instance the variable font with
    fontTools at every PDF it writes (0.2 s a face after subsetting, 3.5 s whole)."""
    import uharfbuzz as hb
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    axes = {axis.tag for axis in face.axis_infos}
    if "wght" not in axes or not axes <= STATIC_AXES:
        return None
    wanted = hb.SubsetInput()
    wanted.sets(hb.SubsetInputSets.GLYPH_INDEX).update(range(face.glyph_count))
    wanted.sets(hb.SubsetInputSets.NAME_ID).update(range(0, 32768))
    features = wanted.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    features.clear()
    features.invert()                   # every feature kept (not the default few only)
    wanted.flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
    pin_weight(wanted, face, weight)
    instance = hb.subset(face, wanted)
    return None if instance is None else instance.blob.data


def font_paths(choice: Choice = ()) -> frozenset[Path]:
    """The only font files a writer may load (with every book's choice: any installed
    family a book may name)."""
    return frozenset(f.path.resolve() for f in faces(choice))


@lru_cache(maxsize=1)
def known_font_paths() -> frozenset[Path]:
    """Every font file any book may use: warraq's faces and every family a book may
    choose (for a fetcher that does not know the book, such as the cover's)."""
    out = set(font_paths())
    for slug in installed_slugs():
        try:
            out |= {f.path.resolve() for f in _package_faces("text", slug)}
        except Exception:                      # a package without usable files
            continue
    return frozenset(out)


def font_bytes(path: Path, index: int = 0) -> bytes:
    """The bytes of a font file, or of one face of a collection as a font of its own
    (WeasyPrint loads one face per `@font-face`)."""
    if path.suffix.lower() != ".ttc":
        return path.read_bytes()
    return _collection_face(path.resolve(), index)


@lru_cache(maxsize=4)
def _collection_face(path: Path, index: int) -> bytes:
    from fontTools.ttLib import TTFont
    out = io.BytesIO()
    with TTFont(path, lazy=True, fontNumber=index, recalcTimestamp=False) as font:
        font.save(out, reorderTables=False)
    return out.getvalue()


# --- Which font sets which character -------------------------------------------------
#
# The stylesheets give every script its own family order (Arabic-script text starts with
# the Arabic face, Hebrew with the Hebrew face, code with the monospace face, everything
# else with the book face), and WeasyPrint and reading systems take, for each character,
# the first family of that order that has a glyph for it. `family_setting` makes the same
# choice in Python, so the build can refuse a character no family has (W400) before
# anything is written, and the EPUB can embed each family subset to what it sets.

#: The roles after a script's own: every other script's face, then math and symbols.
_REST = ("devanagari", "bengali", "tamil", "thai", "khmer", "math", "cjk", "symbols")

#: script -> roles, in the order the stylesheets list their families.
SCRIPT_STACKS: dict[str, tuple[str, ...]] = {
    "latin": ("text", "fallback", "arabic", "hebrew", *_REST),
    "arabic": ("arabic", "text", "fallback", "hebrew", *_REST),
    "hebrew": ("hebrew", "text", "fallback", "arabic", *_REST),
    "mono": ("mono", "text", "fallback", "arabic", "hebrew", *_REST),
    "sans": ("sans", "text", "fallback", "arabic", "hebrew", *_REST),
    "math": ("math", "text", "fallback", "arabic", "hebrew", *_REST),
}

#: Format characters that draw nothing and need no glyph: soft hyphen, zero-width space
#: and joiners, bidi marks and controls, word joiner, BOM, variation selectors. (Other
#: format characters, such as U+06DD ARABIC END OF AYAH, are drawn and need a glyph.)
_INVISIBLE = frozenset([0x00AD, 0x034F, 0x061C, 0x180E, 0xFEFF, *range(0x200B, 0x2010),
                        *range(0x202A, 0x202F), *range(0x2060, 0x2070), *range(0xFE00, 0xFE10),
                        *range(0xE0100, 0xE01F0)])


@lru_cache(maxsize=None)
def stack_families(script: str, choice: Choice = ()) -> tuple[str, ...]:
    """The family names, in fallback order, for text of `script` (each once)."""
    out: list[str] = []
    for role in SCRIPT_STACKS[script]:
        family = family_for(role, choice)
        if family is not None and family not in out:
            out.append(family)
    return tuple(out)


def script_stack(script: str, choice: Choice = ()) -> str:
    """The CSS font-family list for text of `script`."""
    generic = "monospace" if script == "mono" else "serif"
    return ", ".join(f'"{name}"' for name in stack_families(script, choice)) + f", {generic}"


@lru_cache(maxsize=None)
def _cmap(path: Path, index: int = 0) -> frozenset[int]:
    """The code points the face maps (HarfBuzz: the same set as fontTools'
    `getBestCmap`, in a twentieth of the time)."""
    import uharfbuzz as hb
    return frozenset(hb.Face(hb.Blob.from_file_path(str(path)), index).unicodes)


@lru_cache(maxsize=None)
def family_codepoints(family: str, choice: Choice = ()) -> frozenset[int]:
    """The code points every file of `family` has (every weight and style): a family
    sets a character only if it can in any style, so bold or italic never falls back."""
    sets = [_cmap(f.path, f.index) for f in faces(choice) if f.family == family]
    return frozenset.intersection(*sets) if sets else frozenset()


def needs_glyph(char: str) -> bool:
    """False for characters that are never drawn (controls, ZWJ/ZWNJ, bidi marks)."""
    import unicodedata
    return not (ord(char) in _INVISIBLE or unicodedata.category(char) in ("Cc", "Zl", "Zp"))


def family_setting(char: str, script: str = "latin", choice: Choice = ()) -> str | None:
    """The family that sets `char` in text of `script`, or None if no family has it."""
    code = ord(char)
    for family in stack_families(script, choice):
        if code in family_codepoints(family, choice):
            return family
    return None
