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

ALLOWED_TAGS = {
    "a", "abbr", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code",
    "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
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

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        refuse = self.audit.refused.append
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
                elif name in ("srcset", "data", "poster", "background", "action",
                              "formaction", "ping", "manifest", "longdesc", "usemap"):
                    refuse(("W307", f"`{name}` on `<{tag}>` would load "
                            f"`{' '.join(value.split())[:60]}`: remove it"))
                else:
                    self.audit.links.append(value)
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


def to_xhtml(html: str) -> str:
    """Parse an HTML fragment as HTML5 would and serialise it as well-formed XML."""
    if not html.strip():
        return ""
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div", parser=_HTML_PARSER)
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
