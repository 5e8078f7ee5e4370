"""SVG images, sanitised: what is left draws shapes and text and can do nothing else.

An SVG is an XML document that can carry scripts, event handlers, entity declarations,
references to other files and whole HTML documents (`foreignObject`). `sanitise_svg`
parses it with lxml without resolving entities, loading a DTD or touching the network,
and writes back only an allowlist: SVG's drawing elements (shapes, paths, text,
gradients, patterns, clip paths, masks, markers, filters, `use` of its own ids), their
presentation attributes, and `<style>` / `style` whose CSS points at nothing outside
the file. Removed: the DOCTYPE and every entity, comments and processing instructions,
`script`, `foreignObject`, `image`, animation, elements and attributes of other
namespaces (editor metadata), event handlers (`on*`), every `href` not to a `#id` of the
file, every `url()` not to `#id`; links (`<a>`) are unwrapped, keeping what they hold.

`for_print` gives the print writer the drawing with its text in the book's fonts and, for
black-only and CMYK profiles, its colours as `device-cmyk` inks.

The only refusal (`SvgRefused`, W311) is for a file that is not SVG: not well-formed
XML, not an `<svg>` root, nested deeper than libxml2 allows, or a `.svgz` that does
not decompress within the image size limit.
"""

from __future__ import annotations

import gzip
import re
import zlib

import lxml.etree as ET

SVG_NS = "http://www.w3.org/2000/svg"
SVG_TYPE = "image/svg+xml"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

#: SVG elements kept (everything that draws or describes a drawing, nothing that runs,
#: loads or embeds).
ELEMENTS = frozenset("""
svg g defs symbol use switch title desc metadata
path rect circle ellipse line polyline polygon text tspan textPath
linearGradient radialGradient stop pattern clipPath mask marker style
filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB
feFuncG feFuncR feGaussianBlur feMerge feMergeNode feMorphology feOffset fePointLight
feSpecularLighting feSpotLight feTile feTurbulence
""".split())
#: Elements unwrapped: removed, their children kept.
UNWRAP = frozenset({"a"})
_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_CSS_RISKY = re.compile(r"@import|expression\s*\(|behavior\s*:|-moz-binding|javascript:|"
                        r"@font-face|\\", re.I)


class SvgRefused(ValueError):
    """The file cannot be read as SVG (the message says why)."""


def _parser() -> ET.XMLParser:
    return ET.XMLParser(resolve_entities=False, no_network=True, dtd_validation=False,
                        load_dtd=False, remove_comments=True, remove_pis=True,
                        huge_tree=False, remove_blank_text=False)


def _css_safe(css: str) -> bool:
    """CSS that loads nothing: every `url()` names an `#id` of the file."""
    if _CSS_RISKY.search(css):
        return False
    return all(m.group(2).strip().startswith("#") for m in _URL.finditer(css))


def _local(name: str) -> tuple[str | None, str]:
    qname = ET.QName(name)
    return qname.namespace, qname.localname


def _clean_attributes(el: ET._Element, removed: list[str]) -> None:
    for name in list(el.attrib):
        ns, local = _local(name)
        value = el.attrib[name]
        keep = ns is None or ns == XML_NS or (ns == XLINK_NS and local == "href")
        if keep and local.lower().startswith("on"):
            keep = False
        if keep and local == "href":
            keep = value.strip().startswith("#")
        if keep and ("url(" in value.lower() or local == "style"):
            keep = _css_safe(value)
        if not keep:
            removed.append(f"{local}=")
            del el.attrib[name]


def _clean(el: ET._Element, removed: list[str]) -> None:
    for child in list(el):
        if not isinstance(child.tag, str):          # an entity reference left unresolved
            _drop(child, removed, "entity")
            continue
        ns, local = _local(child.tag)
        if ns != SVG_NS or local not in ELEMENTS or (
                local == "style" and not _css_safe("".join(child.itertext()))):
            _drop(child, removed, local)
            continue
        _clean_attributes(child, removed)
        _clean(child, removed)


def _drop(child: ET._Element, removed: list[str], what: str) -> None:
    removed.append(what)
    parent = child.getparent()
    if child.tail:
        prev = child.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _unwrap(child: ET._Element) -> None:
    parent, index = child.getparent(), child.getparent().index(child)
    for n, grandchild in enumerate(list(child)):
        parent.insert(index + n, grandchild)
    text = (child.text or "") + (child.tail or "")
    prev = child.getprevious()
    if text:
        if prev is not None:
            prev.tail = (prev.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
    parent.remove(child)


def _decompress(data: bytes, limit: int) -> bytes:
    try:
        stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = stream.decompress(data, limit + 1)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise SvgRefused(f"it does not decompress ({exc})") from None
    if len(out) > limit:
        raise SvgRefused(f"it is larger than {limit // 2**20} MB once decompressed")
    return out


def sanitise_svg(data: bytes, limit: int = 30 * 2**20) -> tuple[bytes, list[str], tuple]:
    """(the sanitised SVG as UTF-8 XML, what was removed, (width, height) in CSS px or
    None each); `SvgRefused` if the file cannot be read as SVG."""
    if data[:2] == b"\x1f\x8b":
        data = _decompress(data, limit)
    try:
        root = ET.fromstring(data, _parser())
    except ET.XMLSyntaxError as exc:
        raise SvgRefused(f"it is not well-formed XML ({exc})") from None
    if _local(root.tag) != (SVG_NS, "svg"):
        raise SvgRefused("its root element is not `<svg>` in the SVG namespace")
    removed: list[str] = []
    for link in list(root.iter(*(f"{{{SVG_NS}}}{name}" for name in UNWRAP))):
        removed.append("a")
        _unwrap(link)
    _clean_attributes(root, removed)
    _clean(root, removed)
    ET.cleanup_namespaces(root, top_nsmap={None: SVG_NS, "xlink": XLINK_NS})
    out = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out, sorted(set(removed)), _size(root)


_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|pt|mm|cm|in|)\s*$")
_PX = {"px": 1.0, "": 1.0, "pt": 96 / 72, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


def _size(root: ET._Element) -> tuple[int | None, int | None]:
    """The drawing's size in CSS px from `width`/`height` (absolute units), else from
    the `viewBox`; None where neither says."""
    out: list[int | None] = []
    box = (root.get("viewBox") or "").replace(",", " ").split()
    for n, name in enumerate(("width", "height")):
        m = _LENGTH.match(root.get(name) or "")
        if m:
            out.append(round(float(m.group(1)) * _PX[m.group(2)]))
        elif len(box) == 4:
            try:
                out.append(round(float(box[2 + n])))
            except ValueError:
                out.append(None)
        else:
            out.append(None)
    return out[0], out[1]


# --- For print -----------------------------------------------------------------------

_COLOUR_PROPS = ("fill", "stroke", "stop-color", "flood-color", "lighting-color", "color")
_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
_RGB = re.compile(r"rgba?\(\s*([0-9.]+%?)\s*[, ]\s*([0-9.]+%?)\s*[, ]\s*([0-9.]+%?)"
                  r"(?:\s*[,/]\s*[0-9.]+%?)?\s*\)", re.I)


def _channel(text: str) -> float:
    return float(text[:-1]) / 100 if text.endswith("%") else float(text) / 255


def _device_cmyk(r: float, g: float, b: float, colour: str) -> str:
    """`device-cmyk(...)` of an sRGB colour: K only ("grey", from its luminance) or a
    plain conversion ("cmyk"), as `warraq.pdf.images` converts images."""
    if colour == "grey":
        k = 1 - (0.299 * r + 0.587 * g + 0.114 * b)
        return f"device-cmyk(0 0 0 {k:.3f})"
    k = 1 - max(r, g, b)
    if k >= 1:
        return "device-cmyk(0 0 0 1)"
    c, m, y = ((1 - x - k) / (1 - k) for x in (r, g, b))
    return f"device-cmyk({c:.3f} {m:.3f} {y:.3f} {k:.3f})"


def _recolour_value(value: str, colour: str) -> str:
    from PIL import ImageColor

    def hexed(m: re.Match) -> str:
        r, g, b = ImageColor.getrgb(m.group(0))[:3]
        return _device_cmyk(r / 255, g / 255, b / 255, colour)

    value = _HEX.sub(hexed, value)
    value = _RGB.sub(lambda m: _device_cmyk(*(_channel(m.group(i)) for i in (1, 2, 3)),
                                            colour), value)
    word = value.strip().lower()
    if word in ImageColor.colormap and word not in ("transparent",):
        r, g, b = ImageColor.getrgb(word)[:3]
        return _device_cmyk(r / 255, g / 255, b / 255, colour)
    return value


def _recolour_css(css: str, colour: str) -> str:
    def one(m: re.Match) -> str:
        return m.group(1) + _recolour_value(m.group(2), colour)
    props = "|".join(_COLOUR_PROPS)
    return re.sub(rf"((?<![-\w])(?:{props})\s*:\s*)([^;}}!]+)", one, css)


def in_inks(root: ET._Element, colour: str) -> None:
    """Paint the SVG `root` in the inks the profile's `colour` allows: for "grey" and
    "cmyk", every colour as `device-cmyk`, and SVG's default black (which WeasyPrint
    also gives `currentColor` when the drawing names no `color`) as the profile's black;
    "rgb" keeps the drawing's colours."""
    if colour == "rgb":
        return
    for prop in ("fill", "color"):
        if not root.get(prop):
            root.set(prop, "black")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for prop in _COLOUR_PROPS:
            if el.get(prop):
                el.set(prop, _recolour_value(el.get(prop), colour))
        if el.get("style"):
            el.set("style", _recolour_css(el.get("style"), colour))
        if _local(el.tag) == (SVG_NS, "style") and el.text:
            el.text = _recolour_css(el.text, colour)


def for_print(data: bytes, colour: str, font_stack: str) -> bytes:
    """A sanitised SVG as the print writer draws it: its text in the book's fonts (a
    stylesheet that overrides the SVG's own families, so no system font is used) and,
    for "grey" and "cmyk" profiles, every colour as `device-cmyk`, so the page has only
    the inks the profile allows."""
    root = ET.fromstring(data, _parser())
    in_inks(root, colour)
    for el in root.iter():                      # the book's fonts, not the drawing's
        if isinstance(el.tag, str):
            el.attrib.pop("font-family", None)
            if el.get("style"):
                el.set("style", re.sub(r"font-family\s*:[^;]*;?", "", el.get("style")))
    style = ET.Element(f"{{{SVG_NS}}}style")
    style.text = f"text, tspan, textPath {{ font-family: {font_stack} !important; }}"
    root.insert(0, style)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
