"""Test helper: a small HTML body laid out in a `warraq.pdf.relayout.Galley`, and the text
boxes of WeasyPrint's box tree read back with their `hyphens`."""

from __future__ import annotations

from weasyprint.formatting_structure import boxes

from warraq.pdf import render as weasy
from warraq.pdf.fetcher import Fetcher

CSS = ".footnote { float: footnote } p { hyphens: auto }"


def galley(body: str):
    made, _, _ = weasy.galley(f'<html lang="en"><body>{body}</body></html>', CSS,
                              Fetcher.fonts_only())
    return made


def texts(box, out=None) -> list[tuple[str, str]]:
    """(text, hyphens) of every text box under `box`, in order."""
    out = [] if out is None else out
    if isinstance(box, boxes.TextBox):
        out.append((box.text, box.style["hyphens"]))
    for child in getattr(box, "children", ()):
        texts(child, out)
    return out


def all_texts(made) -> list[tuple[str, str]]:
    """(text, hyphens) of every text box of the galley's tree and its footnotes."""
    out = texts(made.root)
    for note in made.notes:
        texts(note, out)
    return out
