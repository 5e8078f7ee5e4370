"""The checks of a rendered chapter, each on its own: a failed one never hides another.

- `references`: links (through `warraq.readers.links`: `#id`, chapters' files, http(s)
  and mailto kept, never fetched; the rest refused, W307/W308/W313), raw HTML (refused
  tags and attributes, CSS `url()`), and the images the chapter names (read by
  `warraq.readers.images`; those a Word file holds by `warraq.readers.docx`);
- `alt_text`: every image describes itself (W309);
- `structure`: elements nest no deeper than `MAX_DEPTH` (W312), the chapter has text
  (W302);
- `nested_notes`: a footnote holds no footnote (W315) (ids and links are the book's:
  `warraq.readers.links`);
- `languages`: every `lang` an author set is a BCP 47 tag (W106).

Every line comes from the chapter context's positions (the walk of the Pandoc AST and the
raw HTML audits), never from searching the text again.
"""

from __future__ import annotations

from typing import Callable

import lxml.etree as ET

from ..model import Resource
from ..xhtml import depth, text_of
from .chapter import ChapterContext
from .docx import media_image
from .folder import SourceFolder
from .images import read_image, split_url
from .values import BCP47

#: How deep a chapter's elements may nest; WeasyPrint overflows Python's stack near 200.
MAX_DEPTH = 100


def _show(text: str) -> str:
    """A URL as a message quotes it: on one line, and not too long."""
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _css_url(ctx: ChapterContext, source: SourceFolder, url: str, line: int) -> None:
    """CSS `url()` in author HTML: never loaded; refused with a note on where it points."""
    split = split_url(url)
    if split is None or split[0] or split[1] or source.inside(ctx.path, split[2]) is None:
        ctx.add(line, "W307", f"CSS `url({_show(url)})` points outside the book: nothing "
                "named in CSS is loaded; remove it")
    else:
        ctx.add(line, "W308", f"CSS `url({_show(url)})` in author HTML is not allowed: put "
                "images in with ![alt text](file.png)")


def references(ctx: ChapterContext, source: SourceFolder, cache: dict[str, Resource],
               link_check: Callable[[str, str, int | None], None]) -> dict[str, str]:
    """Check the links (with `link_check(file, href, line)`: `warraq.readers.links`),
    raw HTML and images of the chapter; return each image's checked path (relative to
    the source folder) by the `src` the chapter wrote."""
    rendered = ctx.rendered
    images = list(rendered.images)
    for href, line in rendered.links:
        link_check(ctx.shown, href, line)
    for audit, line in ctx.audits:
        for code, message in audit.refused:
            ctx.add(line, code, message)
        images += [(src, line + n) for src, n in zip(audit.images, audit.image_lines)]
        for href, n in zip(audit.links, audit.link_lines):
            link_check(ctx.shown, href, line + n)
        for url in audit.css_urls:
            _css_url(ctx, source, url, line)
    mapping = {}
    for src, line in images:
        fixed = (media_image(ctx.shown, src, ctx.media[src], ctx.diags, cache)
                 if src in ctx.media else
                 read_image(source, ctx.path, src, ctx.shown, line, ctx.diags, cache))
        if fixed:
            mapping[src] = fixed
    return mapping


def alt_text(ctx: ChapterContext) -> None:
    """W309 for every image without alternative text, Markdown or raw HTML."""
    places = list(ctx.rendered.no_alt)
    places += [(src, line + within) for audit, line in ctx.audits for src, within in audit.no_alt]
    for src, line in sorted(places, key=lambda p: p[1]):
        ctx.add(line, "W309", f"image `{src}` has no alternative text: describe it between "
                "the brackets, ![what it shows](file)")


def structure(ctx: ChapterContext, tree: ET._Element) -> None:
    """W312 for elements nested past `MAX_DEPTH` (the chapter then goes no further: the
    transforms could not walk it), W302 for a chapter without text."""
    if depth(tree) > MAX_DEPTH:
        ctx.usable = False
        deep = ctx.deep_line or next((line for audit, line in ctx.audits
                                      if audit.depth > MAX_DEPTH // 2), None)
        ctx.add(deep or ctx.offset + 1, "W312", f"elements nest more than {MAX_DEPTH} deep: "
                "flatten the HTML or the lists")
    if not text_of(tree):
        ctx.add(ctx.offset + 1, "W302", "the chapter has no text")


def _places(ctx: ChapterContext, kind: str) -> dict[str, list[int]]:
    """value -> the lines it is at, for `langs` (Markdown and raw HTML)."""
    found: dict[str, list[int]] = {}
    for value, line in getattr(ctx.rendered, kind):
        found.setdefault(value, []).append(line)
    for audit, line in ctx.audits:
        for value, within in getattr(audit, kind):
            found.setdefault(value, []).append(line + within)
    for lines in found.values():
        lines.sort()
    return found


def nested_notes(ctx: ChapterContext) -> None:
    """A footnote holds no footnote (W315). (Ids and links are the book's:
    `warraq.readers.links`.)"""
    for note in ctx.rendered.footnotes:
        if note.id in ctx.rendered.nested_notes or 'class="noteref"' in note.html:
            ctx.add(ctx.rendered.nested_notes.get(note.id), "W315", f"footnote {note.label} "
                    "holds another footnote, which a printed page cannot place: write that "
                    "note's text into it instead")


def languages(ctx: ChapterContext, tree: ET._Element) -> None:
    """Every `lang` an author set (`{lang=..}`, raw HTML) is a BCP 47 tag."""
    places = _places(ctx, "langs")
    for value in dict.fromkeys(el.get("lang") for el in tree.iter() if el.get("lang")):
        if not BCP47.match(value):
            ctx.add(places.get(value, [None])[0], "W106", f"`lang={value}` is not a BCP 47 "
                    "language tag (for example `en`, `ar`, `ar-Latn`)")
