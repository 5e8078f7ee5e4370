"""Make the Arabic copied out of the PDF the Arabic the author wrote.

WeasyPrint writes one `ToUnicode` entry per glyph, taken from the text of the first
cluster the glyph was drawn in: a vowel mark drawn over a letter, or the medial form of
a letter first met inside a ligature, then copies as the wrong letters everywhere else.
This module rewrites each font's `ToUnicode` map after the PDF is written, from the
font itself: a glyph in the font's `cmap` stands for its code point; a glyph made by a
substitution (fontTools reads the font's GSUB) stands for what it replaces: a
positional form or alternate for its base letter, a ligature for its components, the
extra glyphs of a one-to-many substitution (connecting strokes, split-off dots) for
nothing. When a glyph can stand for several texts, the one inside WeasyPrint's own
entry wins (it is the text the glyph was actually drawn for).

WeasyPrint subsets fonts keeping the original glyph ids (HarfBuzz with
`HB_SUBSET_FLAGS_RETAIN_GIDS`, or fontTools with `retain_gids=True` when HarfBuzz's
subsetter is missing; `CIDToGIDMap /Identity`), so the ids in the PDF are the
ids of the font files in `warraq.fonts`; each embedded font is matched to its file by
PostScript name. The result is saved with pikepdf deterministically (same input bytes,
same output bytes).

A limit of any `ToUnicode` map: one glyph has one text in the whole font. Where a font
draws two different letters with the same glyph (some final forms), the copy of the
rarer one comes back as the one first drawn.
"""

from __future__ import annotations

import io
import re
import zlib
from functools import lru_cache
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont

from ..fonts import faces

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_MAX_CANDIDATES = 16


@lru_cache(maxsize=None)
def faces_by_psname() -> dict[str, Path]:
    """Each of warraq's face files by its PostScript name."""
    out = {}
    for face in faces():
        with TTFont(face.path, lazy=True, fontNumber=face.index) as font:
            out.setdefault(font["name"].getDebugName(6) or "", face.path)
    return out


def _lookups(gsub) -> list:
    """Every GSUB subtable, extension subtables unwrapped."""
    out = []
    if gsub is None or not gsub.table.LookupList:
        return out
    for lookup in gsub.table.LookupList.Lookup:
        for sub in lookup.SubTable:
            if lookup.LookupType == 7 or getattr(sub, "ExtSubTable", None) is not None:
                sub = sub.ExtSubTable
            out.append(sub)
    return out


#: `glyph_texts` as this process computed them, by path.
_KNOWN: dict[Path, dict[int, frozenset[str]]] = {}


def known_glyph_texts(path: Path) -> dict[int, frozenset[str]] | None:
    """`glyph_texts(path)` if this process computed it already (`warraq.pdf.warmup`
    does, for warraq's own faces, while the source is read), else None."""
    return _KNOWN.get(path)


def glyph_texts(path: Path) -> dict[int, frozenset[str]]:
    """glyph id -> the texts the glyph can stand for (see the module); computed once a
    process (about 40 ms a face)."""
    if path not in _KNOWN:
        _KNOWN[path] = _glyph_texts(path)
    return _KNOWN[path]


def _glyph_texts(path: Path) -> dict[int, frozenset[str]]:
    font = TTFont(path, lazy=False)
    order = font.getGlyphOrder()
    gid = {name: i for i, name in enumerate(order)}
    texts: dict[str, set[str]] = {}
    for table in font["cmap"].tables:
        if not table.isUnicode():
            continue
        for code, name in table.cmap.items():
            texts.setdefault(name, set()).add(chr(code))
    subtables = _lookups(font["GSUB"] if "GSUB" in font else None)

    def add(name: str, values) -> bool:
        have = texts.setdefault(name, set())
        before = len(have)
        for v in values:
            if len(have) >= _MAX_CANDIDATES:
                break
            have.add(v)
        return len(have) != before

    for _ in range(12):
        changed = False
        for sub in subtables:
            kind = type(sub).__name__
            if kind == "SingleSubst":
                for src, dst in sub.mapping.items():
                    if src in texts:
                        changed |= add(dst, texts[src])
            elif kind == "AlternateSubst":
                for src, alts in sub.alternates.items():
                    if src in texts:
                        for dst in alts:
                            changed |= add(dst, texts[src])
            elif kind == "MultipleSubst":
                for src, seq in sub.mapping.items():
                    if src in texts and seq:
                        changed |= add(seq[0], texts[src])
                        for extra in seq[1:]:
                            changed |= add(extra, [""])
            elif kind == "LigatureSubst":
                for first, ligs in sub.ligatures.items():
                    for lig in ligs:
                        parts = [first] + list(lig.Component)
                        if all(p in texts for p in parts):
                            combos = [""]
                            for p in parts:
                                combos = [c + t for c in combos for t in sorted(texts[p])][
                                    :_MAX_CANDIDATES]
                            changed |= add(lig.LigGlyph, combos)
            elif kind == "ReverseChainSingleSubst":
                for src, dst in zip(sub.Coverage.glyphs, sub.Substitute):
                    if src in texts:
                        changed |= add(dst, texts[src])
        if not changed:
            break
    return {gid[name]: frozenset(values) for name, values in texts.items() if name in gid}


def choose(candidates: frozenset[str], drawn: str) -> str:
    """The text a glyph stands for, given what it can stand for and WeasyPrint's entry
    (the text of the cluster it was first drawn in)."""
    if not candidates or drawn in candidates:
        return drawn
    inside = [c for c in candidates if c and c in drawn]
    if inside:
        return sorted(inside, key=lambda c: (-len(c), c))[0]
    non_empty = sorted(c for c in candidates if c)
    if not non_empty:
        return ""
    return sorted(non_empty, key=lambda c: (len(c), c))[0]


def _parse(data: bytes) -> dict[int, str]:
    out = {}
    for m in _BFCHAR.finditer(data.split(b"beginbfchar", 1)[-1] if b"beginbfchar" in data
                              else b""):
        out[int(m.group(1), 16)] = bytes.fromhex(m.group(2).decode()).decode("utf-16-be")
    return out


def _cmap_stream(mapping: dict[int, str]) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0",
             b">> def", b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(mapping.items())
    for i in range(0, len(items), 100):
        batch = items[i:i + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        for glyph, text in batch:
            # an empty destination is not allowed: a glyph standing for nothing maps to
            # U+200B ZERO WIDTH SPACE, which text extraction drops
            hexed = (text or "\u200b").encode("utf-16-be").hex()
            lines.append(f"<{glyph:04x}> <{hexed}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _font_path(font: pikepdf.Dictionary) -> Path | None:
    try:
        descendant = font.DescendantFonts[0]
        if str(descendant.get("/CIDToGIDMap", "/Identity")) != "/Identity":
            return None
        data = descendant.FontDescriptor.FontFile2.read_bytes()
    except (AttributeError, KeyError, IndexError, TypeError):
        return None
    with TTFont(io.BytesIO(data), lazy=True) as embedded:
        psname = embedded["name"].getDebugName(6) or ""
    return faces_by_psname().get(psname)


def fix_fonts(fonts, texts=None, rebuilt=None) -> None:
    """Rebuild, in place, the `ToUnicode` of each Type0 font dictionary of `fonts`
    (pikepdf objects; any other object is passed over); `texts(path)`: `glyph_texts`,
    or the same from somewhere it is kept (`warraq.pdf.written.Shelf.glyph_texts`);
    `rebuilt(path, stream, make)`: what `make()` gives for that face's stream (the
    compressed map, None if it stays), or the same from where it is kept
    (`Shelf.rebuilt`)."""
    texts = texts or glyph_texts
    done: set[tuple[int, int]] = set()
    for obj in fonts:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font" \
                or obj.get("/Subtype") != "/Type0" or "/ToUnicode" not in obj:
            continue
        stream = obj.ToUnicode
        if stream.objgen in done:
            continue
        done.add(stream.objgen)
        path = _font_path(obj)
        if path is None:
            continue
        data = stream.read_bytes()

        def make(path=path, data=data) -> bytes | None:
            can = texts(path)
            old = _parse(data)
            new = {g: choose(can.get(g, frozenset()), drawn) for g, drawn in old.items()}
            return None if new == old else zlib.compress(_cmap_stream(new), 9)
        made = rebuilt(path, data, make) if rebuilt is not None else make()
        if made is not None:
            stream.write(made, filter=pikepdf.Name.FlateDecode)


def fix_to_unicode(pdf_bytes: bytes) -> bytes:
    """The PDF with every font's `ToUnicode` rebuilt from the font (see the module)."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        fix_fonts(pdf.objects)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()
