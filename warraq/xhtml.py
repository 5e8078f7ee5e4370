"""XHTML fragments: sanitise author HTML, make it well-formed, parse it safely.

Chapters travel through the model as XHTML fragments (no wrapper element). Raw HTML
from authors goes through `sanitise` (nh3, an allowlist: no script, no event handlers,
no iframes, no javascript: URLs) and `to_xhtml` (HTML5 parsing, XML serialisation),
so every fragment parses as XML. `parse_fragment` reads one back into an lxml tree
with entities and network access off, for transforms and writers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import lxml.etree as ET
import lxml.html
import nh3

#: `wbr` is left out: libxml2's HTML parser does not know it is empty and nests the text
#: after it inside it (found by the fuzz test).
ALLOWED_TAGS = {
    "a", "abbr", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code",
    "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "lang", "dir", "title", "role", "aria-label", "data-line"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto"}
#: The only CSS property author HTML keeps (Markdown tables write `text-align`); no other
#: property, so no `url()`, reaches a writer.
STYLE_PROPERTIES = {"text-align"}

#: Elements refused in author HTML: they run code, embed other documents or load files.
REFUSED_TAGS = {
    "applet", "audio", "base", "embed", "form", "frame", "frameset", "iframe", "link",
    "meta", "noscript", "object", "picture", "portal", "script", "source", "style", "svg",
    "template", "track", "video",
}
#: Attributes whose value is a URL.
URL_ATTRIBUTES = {
    "action", "background", "cite", "data", "formaction", "href", "longdesc", "manifest",
    "ping", "poster", "src", "srcset", "usemap", "xlink:href",
}
#: URL schemes that run code: refused outright (W308).
SCRIPT_SCHEMES = {"javascript", "vbscript", "livescript", "data"}
_CSS_URL = re.compile(r"""(?:url|image|image-set)\s*\(\s*(['"]?)(.*?)\1\s*\)""", re.I | re.S)
_CSS_RISKY = re.compile(r"@import|expression\s*\(|\\|behavior\s*:|-moz-binding", re.I)
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")

_XML_PARSER = ET.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=True, remove_blank_text=False)
# libxml2's HTML parser silently drops what lies deeper than 256 elements unless told
# `huge_tree`; the loader refuses such depths itself (W312) with a line number.
_HTML_PARSER = lxml.html.HTMLParser(huge_tree=True, no_network=True, remove_comments=True)


def sanitise(html: str) -> str:
    """Keep only allowed tags, attributes and URL schemes (script content is dropped)."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True,
                     filter_style_properties=STYLE_PROPERTIES)


def url_scheme(url: str) -> str:
    """The scheme of a URL as a browser would read it (spaces and controls ignored), or ''."""
    try:
        return urlsplit(_URL_NOISE.sub("", url)).scheme.lower()
    except ValueError:
        return "?"


@dataclass
class RawHtmlAudit:
    """What a piece of author HTML asks for, before it is sanitised.

    `refused`: (code, what to change) for what runs code or loads files; `images`: the
    `src` of each `<img>`; `links`: other URL attributes (`href`, `cite`, ...);
    `css_urls`: the targets of CSS `url()` in `style` attributes.
    """

    refused: list[tuple[str, str]] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    css_urls: list[str] = field(default_factory=list)
    depth: int = 0
    #: (value, line within the HTML, from 0) of every `id`, every `lang`, and the `src` of
    #: every `<img>` without alternative text: where the loader's checks point.
    ids: list[tuple[str, int]] = field(default_factory=list)
    langs: list[tuple[str, int]] = field(default_factory=list)
    no_alt: list[tuple[str, int]] = field(default_factory=list)
    #: The line within the HTML (from 0) of each of `images` and of `links`, in order.
    image_lines: list[int] = field(default_factory=list)
    link_lines: list[int] = field(default_factory=list)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _Auditor(HTMLParser):
    def __init__(self, audit: RawHtmlAudit):
        super().__init__(convert_charrefs=True)
        self.audit = audit
        self.level = 0

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.level = max(0, self.level - 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.level += 1
            self.audit.depth = max(self.audit.depth, self.level)
        self._tag(tag, attrs)

    def _place(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, found = self.getpos()[0] - 1, dict(attrs)
        if found.get("id"):
            self.audit.ids.append((found["id"], line))
        if found.get("lang"):
            self.audit.langs.append((found["lang"], line))
        if tag == "img" and not (found.get("alt") or "").strip():
            self.audit.no_alt.append((found.get("src") or "", line))

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        refuse = self.audit.refused.append
        self._place(tag, attrs)
        if tag in REFUSED_TAGS:
            refuse(("W308", f"`<{tag}>` is not allowed in a book (it runs code or loads "
                    "other files): remove it"))
            return
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                refuse(("W308", f"the event handler `{name}` on `<{tag}>` runs code: "
                        "remove it"))
            elif name in URL_ATTRIBUTES:
                if url_scheme(value) in SCRIPT_SCHEMES:
                    shown = " ".join(value.split())[:40]
                    refuse(("W308", f"`{name}=\"{shown}\"` on `<{tag}>` runs code or "
                            "embeds data: remove it"))
                elif tag == "img" and name == "src":
                    self.audit.images.append(value)
                    self.audit.image_lines.append(self.getpos()[0] - 1)
                elif name in ("srcset", "data", "poster", "background", "action",
                              "formaction", "ping", "manifest", "longdesc", "usemap"):
                    refuse(("W307", f"`{name}` on `<{tag}>` would load "
                            f"`{' '.join(value.split())[:60]}`: remove it"))
                else:
                    self.audit.links.append(value)
                    self.audit.link_lines.append(self.getpos()[0] - 1)
            elif name == "style":
                self.audit.css_urls.extend(m.group(2) for m in _CSS_URL.finditer(value))
                if _CSS_RISKY.search(value):
                    refuse(("W308", f"the `style` on `<{tag}>` uses CSS warraq does not "
                            "allow (@import, escapes, expression): remove it"))


def audit_raw_html(html: str) -> RawHtmlAudit:
    """Read author HTML as a tokenizer (no tree, no DTD, no entity files) and report it."""
    audit = RawHtmlAudit()
    parser = _Auditor(audit)
    parser.feed(html)
    parser.close()
    return audit


#: Elements whose content may only be phrasing (inline) content.
PHRASING_ONLY = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "a", "abbr", "b", "bdi",
                 "bdo", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s",
                 "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}
#: Elements that are not phrasing content (they may not stand inside the ones above).
NOT_PHRASING = {"address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt",
                "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
                "hr", "li", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
                "th", "thead", "tr", "ul", "caption"}
#: Elements that belong only inside a given parent.
PARENTS = {"li": {"ol", "ul"}, "dt": {"dl"}, "dd": {"dl"}, "tr": {"table", "thead", "tbody",
           "tfoot"}, "td": {"tr"}, "th": {"tr"}, "thead": {"table"}, "tbody": {"table"},
           "tfoot": {"table"}, "caption": {"table"}}


def _misplaced(el: ET._Element, wrapper: ET._Element) -> bool:
    parent = el.getparent()
    if not isinstance(el.tag, str) or parent is None:
        return False
    if parent is wrapper:
        return el.tag in PARENTS
    return ((el.tag in NOT_PHRASING and parent.tag in PHRASING_ONLY)
            or (el.tag in PARENTS and parent.tag not in PARENTS[el.tag])
            or (el.tag == "a" and any(a.tag == "a" for a in el.iterancestors())))


#: Lists and the only children they may have; anything else moves into the item before it.
LIST_ITEMS = {"ol": ("li", {"li"}), "ul": ("li", {"li"}), "dl": ("dd", {"dt", "dd", "div"})}


def _tidy_lists(wrapper: ET._Element) -> None:
    """Put stray children and text of `ol`, `ul` and `dl` into the item before them (or a
    new item), as a browser shows them."""
    for lst in [e for e in wrapper.iter() if e.tag in LIST_ITEMS]:
        item_tag, allowed = LIST_ITEMS[lst.tag]
        if (lst.text or "").strip():
            item = lst.makeelement(item_tag, {})
            item.text, lst.text = lst.text, None
            lst.insert(0, item)
        for child in list(lst):
            stray_tail = (child.tail or "").strip()
            if child.tag in allowed and not stray_tail:
                continue
            previous = child.getprevious() if child.tag not in allowed else child
            if previous is None or previous.tag not in allowed:
                previous = lst.makeelement(item_tag, {})
                child.addprevious(previous)
            if child.tag not in allowed:
                previous.append(child)          # moves it, with its tail
            else:
                last = previous[-1] if len(previous) else None
                if last is not None:
                    last.tail = (last.tail or "") + child.tail
                else:
                    previous.text = (previous.text or "") + child.tail
                child.tail = None


def repair_content_model(wrapper: ET._Element) -> None:
    """Unwrap elements that stand where HTML does not allow them (a `<div>` inside `<em>`,
    an `<li>` outside a list), keeping their text: raw HTML in Markdown can build such
    trees, which parse but which EPUBCheck rejects (RSC-005). Each pass unwraps every
    misplaced element found; unwrapping can misplace a child, hence the passes."""
    _tidy_lists(wrapper)
    while True:
        found = [el for el in wrapper.iter() if _misplaced(el, wrapper)]
        if not found:
            return
        for el in reversed(found):
            if el.getparent() is None:
                continue
            target = _to_unwrap(el, wrapper)
            if target.tag == "hr":
                target.drop_tree()
            else:
                target.drop_tag()


HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
#: Inline formatting that may be unwrapped to keep a heading it wraps.
INLINE_FORMATTING = PHRASING_ONLY - HEADINGS - {"p", "dt", "pre", "a"}


def _to_unwrap(el: ET._Element, wrapper: ET._Element) -> ET._Element:
    """Which of a misplaced element and its parent to unwrap: the element, unless it is a
    heading or has an id (which the contents and the outline point at) and stands in
    inline formatting (`<b><h2 id=..>`): then the formatting goes."""
    parent = el.getparent()
    if (el.tag in NOT_PHRASING and parent is not wrapper and parent.tag in INLINE_FORMATTING
            and not parent.get("id") and (el.tag in HEADINGS or el.get("id"))):
        return parent
    return el


def to_xhtml(html: str) -> str:
    """Parse an HTML fragment as HTML5 would and serialise it as well-formed XML whose
    elements stand where HTML allows them."""
    if not html.strip():
        return ""
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div", parser=_HTML_PARSER)
    repair_content_model(wrapper)
    return serialise_children(wrapper)


def serialise_children(wrapper: ET._Element) -> str:
    """The XML of a wrapper element's content, without the wrapper."""
    out = [_escape(wrapper.text or "")]
    for child in wrapper:
        out.append(ET.tostring(child, method="xml", encoding="unicode", with_tail=True))
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def parse_fragment(xhtml: str) -> ET._Element:
    """An XHTML fragment as the children of a `<div>` (entities and network off)."""
    return ET.fromstring(f"<div>{xhtml}</div>".encode(), _XML_PARSER)


def depth(element: ET._Element) -> int:
    """How many elements deep the tree under `element` goes (`element` itself not counted)."""
    deepest, stack = 0, [(element, 0)]
    while stack:
        el, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for child in el)
    return deepest


def text_of(element: ET._Element) -> str:
    """All the text inside an element, with whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())
