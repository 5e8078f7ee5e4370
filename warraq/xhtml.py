"""XHTML fragments: sanitise author HTML, make it well-formed, parse it safely.

Chapters travel through the model as XHTML fragments (no wrapper element). Raw HTML
from authors goes through `sanitise` (nh3, an allowlist: no script, no event handlers,
no iframes, no javascript: URLs) and `to_xhtml` (HTML5 parsing, XML serialisation),
so every fragment parses as XML. `parse_fragment` reads one back into an lxml tree
with entities and network access off, for transforms and writers.
"""

from __future__ import annotations

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

_XML_PARSER = ET.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=True, remove_blank_text=False)


def sanitise(html: str) -> str:
    """Keep only allowed tags, attributes and URL schemes (script content is dropped)."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)


def to_xhtml(html: str) -> str:
    """Parse an HTML fragment as HTML5 would and serialise it as well-formed XML."""
    if not html.strip():
        return ""
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
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


def text_of(element: ET._Element) -> str:
    """All the text inside an element, with whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())
