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
