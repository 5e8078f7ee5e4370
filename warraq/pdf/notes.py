"""A footnote as inline content, for the print writer's CSS `float: footnote`.

WeasyPrint floats a footnote from the element at its call, which must be inline (a
`<span>` inside the sentence): a block inside it (a second paragraph, a list, a
quotation) splits the span, and all but its first part stay in the body, mid-sentence.
`inline_note` turns every block of a note into a line of inline content: each
paragraph, list item, quotation paragraph or code block a `<span class="note-line">`
(with a class naming what it was: `note-p`, `note-li`, `note-blockquote`, `note-pre`,
...), list items with their marker, the lines separated by `<br/>`, so the whole note
floats to the foot of the page, whole and in order.

The note's white space is collapsed here, as CSS would (`_collapse_white_space`): WeasyPrint
takes a `float: footnote` element out of the box tree before it processes white space,
so a newline left from the note's Markdown source would end the note's line there
however much room it had (the sample's notes wrapped at two thirds of the text width).
"""

from __future__ import annotations

import copy
import re

import lxml.etree as ET

from ..xhtml import parse_fragment, serialise_children

#: Elements that would make a block box inside the note's span.
BLOCKS = frozenset({"p", "div", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd",
                    "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "section",
                    "aside", "header", "footer", "table", "thead", "tbody", "tfoot", "tr",
                    "td", "th", "caption", "hr"})


def _is_block(node) -> bool:
    return isinstance(node.tag, str) and node.tag in BLOCKS


def _line(kind: str, marker: str = "") -> ET._Element:
    line = ET.Element("span", {"class": f"note-line note-{kind}"})
    line.text = marker
    return line


def _append_inline(line: ET._Element, node: ET._Element | None, text: str | None) -> None:
    """Append a text or an inline element (a copy, its tail dropped) to `line`."""
    if node is None:
        if text:
            last = line[-1] if len(line) else None
            if last is not None:
                last.tail = (last.tail or "") + text
            else:
                line.text = (line.text or "") + text
        return
    node = copy.deepcopy(node)
    node.tail = None
    line.append(node)


def _lines(block: ET._Element, kind: str, marker: str = "") -> list[ET._Element]:
    """The lines a block becomes (recursively: a list gives one line per item)."""
    if block.tag in ("ul", "ol"):
        start = int(block.get("start") or 1) if (block.get("start") or "1").isdigit() else 1
        out: list[ET._Element] = []
        items = [c for c in block if isinstance(c.tag, str) and c.tag == "li"]
        for n, item in enumerate(items):
            mark = "• " if block.tag == "ul" else f"{start + n}. "
            out.extend(_lines(item, "li", mark))
        return out
    if block.tag == "hr":
        return []
    out = []
    current: ET._Element | None = None

    def line() -> ET._Element:
        nonlocal current, marker
        if current is None:
            current = _line(kind, marker)
            marker = ""
            out.append(current)
        return current

    if block.text and block.text.strip():
        _append_inline(line(), None, block.text)
    for child in block:
        if _is_block(child):
            current = None
            sub = _lines(child, "quote" if block.tag == "blockquote" else child.tag, marker)
            marker = "" if sub else marker
            out.extend(sub)
        elif isinstance(child.tag, str):
            _append_inline(line(), child, None)
        if child.tail and (child.tail.strip() or current is not None):
            if current is None and not child.tail.strip():
                continue
            _append_inline(line(), None, child.tail)
    return out


#: HTML's white space (not U+00A0): what `white-space: normal` collapses.
_WHITE = re.compile(r"[ \t\n\r\f]+")


def _collapse_white_space(root: ET._Element) -> None:
    """Runs of white space to one space, none where the note or one of its lines begins
    or ends; a code line (`note-pre`) left as it is."""
    pending: list[tuple[ET._Element, str]] = []     # (element, "text" | "tail"), in order

    def walk(el: ET._Element, kept: bool) -> None:
        kept = kept or "note-pre" in (el.get("class") or "").split()
        if not kept:
            pending.append((el, "text"))
        for child in el:
            walk(child, kept)
            if not kept:
                pending.append((child, "tail"))

    def strip_end(last) -> None:
        if last is not None and getattr(*last).endswith(" "):
            setattr(*last, getattr(*last)[:-1] or None)

    walk(root, False)
    space_before, last = True, None
    for el, attr in pending:
        if attr == "text" and el.tag == "br":
            strip_end(last)
            space_before, last = True, None
        value = getattr(el, attr)
        if not value:
            continue
        value = _WHITE.sub(" ", value)
        if space_before and value.startswith(" "):
            value = value[1:]
        if value:
            space_before, last = value.endswith(" "), (el, attr)
        setattr(el, attr, value or None)
    strip_end(last)


def inline_note(html: str) -> str:
    """A footnote's XHTML (paragraphs, lists, ...) as inline lines (see the module)."""
    wrapper = parse_fragment(html)
    wrapper.tag = "div"
    lines = _lines(wrapper, "p")
    out = ET.Element("span")
    for n, line in enumerate(lines):
        if n:
            out.append(ET.Element("br"))
        out.append(line)
    _collapse_white_space(out)
    return serialise_children(out)
