"""The checks of a rendered chapter, each on its own: a failed one never hides another.

- `references`: links (`#anchor`, http(s) and mailto kept, never fetched; the rest
  refused, W307/W308), raw HTML (refused tags and attributes, CSS `url()`), and the
  images the chapter names (read by `warraq.readers.images`);
- `alt_text`: every image describes itself (W309);
- `structure`: elements nest no deeper than `MAX_DEPTH` (W312), the chapter has text
  (W302);
- `ids_and_anchors`: no id used twice in the chapter or the book (W314), a footnote
  holds no footnote (W315), every `#anchor` names an id of the chapter (W313);
- `languages`: every `lang` an author set is a BCP 47 tag (W106).

Every line comes from the chapter context's positions (markdown-it's token map and the
raw HTML audits), never from searching the text again.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import unquote

import lxml.etree as ET

from ..model import Resource
from ..xhtml import SCRIPT_SCHEMES, URL_SCHEMES, depth, parse_fragment, text_of
from .chapter import ChapterContext
from .folder import SourceFolder
from .images import read_image, split_url
from .values import BCP47

#: How deep a chapter's elements may nest; WeasyPrint overflows Python's stack near 200.
MAX_DEPTH = 100


def _show(text: str) -> str:
    """A URL as a message quotes it: on one line, and not too long."""
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _link(ctx: ChapterContext, source: SourceFolder, href: str, line: int) -> None:
    """A link is not loaded by either writer, but a `file:` or `../` link would point the
    reader at the author's disk and a link to another file breaks the EPUB."""
    if not href.strip() or href.strip().startswith("#"):
        return
    split = split_url(href)
    scheme = split[0] if split else "?"
    if scheme in SCRIPT_SCHEMES:
        ctx.add(line, "W308", f"the link `{_show(href)}` runs code or embeds data "
                f"(`{scheme}:`): remove it")
    elif scheme in URL_SCHEMES:
        return
    elif split is None or scheme or split[1]:
        ctx.add(line, "W307", f"the link `{_show(href)}` is not a web page: links are "
                "http(s)://, mailto: or #anchor")
    elif bad := source.problem(source.url_relative(ctx.path, split[2])):
        ctx.add(line, bad[0], f"the link `{_show(href)}` {bad[1]}")
    elif source.inside(ctx.path, split[2]) is None:
        ctx.add(line, "W307", f"the link `{_show(href)}` leads outside the source folder: "
                "remove it or link to a web page")
    else:
        ctx.add(line, "W307", f"the link `{_show(href)}` names a file, which is not part of "
                "the book: link to a heading (#id) or a web page")


def _css_url(ctx: ChapterContext, source: SourceFolder, url: str, line: int) -> None:
    """CSS `url()` in author HTML: never loaded; refused with a note on where it points."""
    split = split_url(url)
    if split is None or split[0] or split[1] or source.inside(ctx.path, split[2]) is None:
        ctx.add(line, "W307", f"CSS `url({_show(url)})` points outside the book: nothing "
                "named in CSS is loaded; remove it")
    else:
        ctx.add(line, "W308", f"CSS `url({_show(url)})` in author HTML is not allowed: put "
                "images in with ![alt text](file.png)")


def references(ctx: ChapterContext, source: SourceFolder, cache: dict[str, Resource]
               ) -> dict[str, str]:
    """Check the links, raw HTML and images of the chapter; return each image's checked
    path (relative to the source folder) by the `src` the chapter wrote."""
    rendered = ctx.rendered
    images = list(rendered.images)
    for href, line in rendered.links:
        _link(ctx, source, href, line)
    for audit, line in ctx.audits:
        for code, message in audit.refused:
            ctx.add(line, code, message)
        images += [(src, line + n) for src, n in zip(audit.images, audit.image_lines)]
        for href, n in zip(audit.links, audit.link_lines):
            _link(ctx, source, href, line + n)
        for url in audit.css_urls:
            _css_url(ctx, source, url, line)
    mapping = {}
    for src, line in images:
        fixed = read_image(source, ctx.path, src, ctx.shown, line, ctx.diags, cache)
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
        deep = next((line for audit, line in ctx.audits if audit.depth > MAX_DEPTH // 2), None)
        ctx.add(deep or ctx.offset + 1, "W312", f"elements nest more than {MAX_DEPTH} deep: "
                "flatten the HTML or the lists")
    if not text_of(tree):
        ctx.add(ctx.offset + 1, "W302", "the chapter has no text")


def _places(ctx: ChapterContext, kind: str) -> dict[str, list[int]]:
    """value -> the lines it is at, for `ids` or `langs` (Markdown and raw HTML)."""
    found: dict[str, list[int]] = {}
    title_id = [(f"{ctx.chapter_id}-title", ctx.offset + 1)] if kind == "ids" else []
    for value, line in title_id + getattr(ctx.rendered, kind):
        found.setdefault(value, []).append(line)
    for audit, line in ctx.audits:
        for value, within in getattr(audit, kind):
            found.setdefault(value, []).append(line + within)
    for lines in found.values():
        lines.sort()
    return found


def ids_and_anchors(ctx: ChapterContext, tree: ET._Element, book_ids: dict[str, str]) -> None:
    """No id twice in the chapter (one XHTML file of the EPUB) or in the book (the print
    edition is one document; `book_ids` maps the ids of earlier chapters to their file),
    no footnote in a footnote, and every `#anchor` names an id of the chapter."""
    notes = ctx.rendered.footnotes
    ids = Counter(el.get("id") for el in tree.iter() if el.get("id"))
    for note in notes:
        ids[note.id] += 1
        ids.update(el.get("id") for el in parse_fragment(note.html).iter() if el.get("id"))
    places = _places(ctx, "ids")
    for note in notes:
        if 'class="noteref"' in note.html:
            ctx.add(ctx.rendered.nested_notes.get(note.id), "W315", f"footnote {note.label} "
                    "holds another footnote, which a printed page cannot place: write that "
                    "note's text into it instead")
    twice = sorted(i for i, n in ids.items() if n > 1)
    for ident in twice:
        lines = places.get(ident, [None])
        ctx.add(lines[1] if len(lines) > 1 else lines[0], "W314", f"the id `{ident}` is used "
                "more than once in this chapter: give each `{#id}` a different name")
    for ident in sorted(i for i in ids if i in book_ids and i not in twice):
        ctx.add(places.get(ident, [None])[0], "W314", f"the id `{ident}` is also used in "
                f"{book_ids[ident]}: ids must differ across the whole book (the print edition "
                "is one document)")
    book_ids.update((i, ctx.shown) for i in ids if i not in book_ids)
    hrefs = list(ctx.rendered.links)
    hrefs += [(h, line + n) for audit, line in ctx.audits
              for h, n in zip(audit.links, audit.link_lines)]
    for href, line in hrefs:
        href = href.strip()
        if href.startswith("#") and unquote(href[1:]) not in ids:
            ctx.add(line, "W313", f"the link `{_show(href)}` names no heading or element of "
                    "this chapter: give the target `{#" + _show(href[1:]) + "}` or fix the link")


def languages(ctx: ChapterContext, tree: ET._Element) -> None:
    """Every `lang` an author set (`{lang=..}`, raw HTML) is a BCP 47 tag."""
    places = _places(ctx, "langs")
    for value in dict.fromkeys(el.get("lang") for el in tree.iter() if el.get("lang")):
        if not BCP47.match(value):
            ctx.add(places.get(value, [None])[0], "W106", f"`lang={value}` is not a BCP 47 "
                    "language tag (for example `en`, `ar`, `ar-Latn`)")
