"""The fonts warraq sets books in, all from PyPI font packages through `fontpkg`.

A book face for Latin text (EB Garamond), a fallback with wider coverage (Noto Serif:
the ˹ ˺ brackets of Qur'an translations, rare diacritics), an Arabic face (Amiri) and a
Hebrew face (Frank Ruhl Libre). `FONT_STACK` is the order in which they are tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import fontpkg


@dataclass(frozen=True)
class Face:
    """One font file, as CSS `@font-face` describes it."""

    family: str          # CSS family name
    package: str         # fontpkg family slug
    role: str            # text, fallback, arabic, hebrew
    path: Path
    weight: str          # "400", or "400 800" for a variable font
    style: str           # normal or italic
    version: str
    license: str

    @property
    def license_file(self) -> Path | None:
        for name in ("LICENSE", "OFL.txt", "LICENSE.txt"):
            candidate = self.path.parent.parent / name
            if candidate.is_file():
                return candidate
        return None


#: (fontpkg family, role), in fallback order.
FAMILIES: tuple[tuple[str, str], ...] = (
    ("eb-garamond", "text"),
    ("noto-serif", "fallback"),
    ("amiri", "arabic"),
    ("frank-ruhl-libre", "hebrew"),
)


@lru_cache(maxsize=1)
def faces() -> tuple[Face, ...]:
    """Every font file of every family warraq uses."""
    out = []
    for slug, role in FAMILIES:
        fam = fontpkg.family(slug)
        wght = next((a for a in fam.axes if a.tag == "wght"), None)
        for f in fam.files:
            weight = (f"{int(wght.min)} {int(wght.max)}" if f.weight is None and wght
                      else str(f.weight or 400))
            out.append(Face(fam.name, slug, role, Path(f.path), weight, f.style, fam.version,
                            fam.license))
    return tuple(out)


def fonts_digest() -> str:
    """A digest of every face (family, file, weights, version) and its file's bytes: the
    fonts' part of a cache key (`warraq.cache`)."""
    from .cache import files_digest, fingerprint
    return fingerprint((faces(), files_digest(f.path for f in faces())))


def family_names() -> tuple[str, ...]:
    seen: list[str] = []
    for face in faces():
        if face.family not in seen:
            seen.append(face.family)
    return tuple(seen)


def family_for(role: str) -> str:
    return next(f.family for f in faces() if f.role == role)


def font_stack() -> str:
    """The CSS font-family list, every family quoted, in fallback order."""
    return ", ".join(f'"{name}"' for name in family_names()) + ", serif"


#: The weights the stylesheets use; variable fonts get one `@font-face` per weight.
USED_WEIGHTS = (400, 700)


@dataclass(frozen=True)
class CssFace:
    """One `@font-face` rule: a family, a file URL, one weight and a style."""

    family: str
    url: str
    weight: int
    style: str


def css_faces() -> tuple[CssFace, ...]:
    """The `@font-face` rules for every face, variable fonts split into static weights."""
    out = []
    for face in faces():
        low, _, high = face.weight.partition(" ")
        weights = ([w for w in USED_WEIGHTS if int(low) <= w <= int(high)] if high
                   else [int(low)])
        out.extend(CssFace(face.family, face.path.resolve().as_uri(), w, face.style)
                   for w in weights)
    return tuple(out)


def font_paths() -> frozenset[Path]:
    """The only font files a writer may load."""
    return frozenset(f.path.resolve() for f in faces())


# --- Which font sets which character -------------------------------------------------
#
# The stylesheets give every script its own family order (Arabic-script text starts with
# the Arabic face, Hebrew with the Hebrew face, everything else with the book face), and
# WeasyPrint and reading systems take, for each character, the first family of that order
# that has a glyph for it. `family_setting` makes the same choice in Python, so the build
# can refuse a character no family has (W400) before anything is written, and the EPUB can
# embed each family subset to exactly the characters it sets.

#: script -> roles, in the order the stylesheets list their families.
SCRIPT_STACKS: dict[str, tuple[str, ...]] = {
    "latin": ("text", "fallback", "arabic", "hebrew"),
    "arabic": ("arabic", "text", "fallback", "hebrew"),
    "hebrew": ("hebrew", "text", "fallback", "arabic"),
}

#: Format characters that draw nothing and need no glyph: soft hyphen, zero-width space
#: and joiners, bidi marks and controls, word joiner, BOM, variation selectors. (Other
#: format characters, such as U+06DD ARABIC END OF AYAH, are drawn and need a glyph.)
_INVISIBLE = frozenset([0x00AD, 0x034F, 0x061C, 0x180E, 0xFEFF, *range(0x200B, 0x2010),
                        *range(0x202A, 0x202F), *range(0x2060, 0x2070), *range(0xFE00, 0xFE10),
                        *range(0xE0100, 0xE01F0)])


def stack_families(script: str) -> tuple[str, ...]:
    """The family names, in fallback order, for text of `script`."""
    return tuple(family_for(role) for role in SCRIPT_STACKS[script])


def script_stack(script: str) -> str:
    """The CSS font-family list for text of `script`."""
    return ", ".join(f'"{name}"' for name in stack_families(script)) + ", serif"


@lru_cache(maxsize=None)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=None)
def family_codepoints(family: str) -> frozenset[int]:
    """The code points every file of `family` has (every weight and style): a family
    sets a character only if it can in any style, so bold or italic never falls back."""
    sets = [_cmap(f.path) for f in faces() if f.family == family]
    return frozenset.intersection(*sets) if sets else frozenset()


def needs_glyph(char: str) -> bool:
    """False for characters that are never drawn (controls, ZWJ/ZWNJ, bidi marks)."""
    import unicodedata
    return not (ord(char) in _INVISIBLE or unicodedata.category(char) in ("Cc", "Zl", "Zp"))


def family_setting(char: str, script: str = "latin") -> str | None:
    """The family that sets `char` in text of `script`, or None if no family has it."""
    code = ord(char)
    for family in stack_families(script):
        if code in family_codepoints(family):
            return family
    return None
