"""The PDF's XMP metadata packet, built as an XML tree (lxml) from the book's metadata.

`xmp(book, profile)` gives the packet's bytes: Dublin Core (title, creators,
description, subjects, language, publisher, rights, identifier), the xmp: dates and
creator tool, pdf: keywords and producer, the variant's identification (PDF/X or PDF/UA,
as WeasyPrint writes it but reproducible) and warraq's own `warraq:hijri_date`.

The tree is written by `serialise`, not by lxml's serialiser: lxml always writes an
element's namespace declarations before its attributes, and the packet warraq has always
written (whose bytes the reproducible builds keep) has `rdf:about=""` before them. The
two differ in nothing else; a test holds them to the same canonical XML.
"""

from __future__ import annotations

import uuid
from xml.sax.saxutils import escape

import lxml.etree as ET

from .. import __version__
from ..model import Book
from .document import iso_stamp
from .profiles import PROFILES, Profile

X = "adobe:ns:meta/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML = "http://www.w3.org/XML/1998/namespace"
#: The namespaces of rdf:Description, in the order they are declared.
NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "warraq": "https://warraq.invalid/ns/1.0/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
    "pdfx": "http://ns.adobe.com/pdfx/1.3/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
}
_HEAD = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_TAIL = b'\n<?xpacket end="w"?>'


_URIS = {"x": X, "rdf": RDF, "xml": XML, **NAMESPACES}


def _q(name: str) -> str:
    """`dc:title` -> lxml's `{namespace}title`."""
    prefix, local = name.split(":")
    return f"{{{_URIS[prefix]}}}{local}"


def _add(parent: ET._Element, name: str, text: str | None = None, **attrib) -> ET._Element:
    el = ET.SubElement(parent, _q(name), {_q(k.replace("_", ":")): v for k, v in attrib.items()})
    el.text = text
    return el


def _container(desc, name: str, kind: str, items, lang: str | None = None) -> None:
    """`<name><rdf:kind><rdf:li>item</rdf:li>...</rdf:kind></name>`, left out if empty."""
    items = [i for i in items if i] if lang else list(items)
    if not items:
        return
    box = _add(_add(desc, name), f"rdf:{kind}")
    for item in items:
        if lang:
            _add(box, "rdf:li", item, xml_lang=lang)
        else:
            _add(box, "rdf:li", item)


def _variant(desc, book: Book, profile: Profile) -> None:
    """The variant's identification, as WeasyPrint writes it, without its non-reproducible
    parts (X-4's random DocumentID becomes a UUID derived from the book and profile)."""
    claim = profile.claim
    if claim is None:
        return
    if profile.pdfua:
        _add(desc, "pdfuaid:part", "1")
        return
    x4 = claim.startswith("PDF/X-4")
    _add(desc, "pdfxid:GTS_PDFXVersion", claim)
    if not x4:
        _add(desc, "pdfx:GTS_PDFXVersion", claim)
        _add(desc, "pdfx:GTS_PDFXConformance", claim)
    _add(desc, "pdf:Trapped", "False")
    if x4:
        did = uuid.uuid5(uuid.NAMESPACE_URL, f"warraq:{book.meta.identifier}:{profile.name}")
        _add(desc, "xmpMM:DocumentID", f"xmp.did:{did}")
        _add(desc, "xmpMM:RenditionClass", "proof:pdf")
        _add(desc, "xmpMM:VersionID", "1")


def tree(book: Book, profile: Profile = PROFILES["print"]) -> ET._Element:
    """The `x:xmpmeta` element of the book's packet."""
    meta = book.meta
    date = iso_stamp(book.build_date)
    root = ET.Element(_q("x:xmpmeta"), nsmap={"x": X})
    rdf = ET.SubElement(root, _q("rdf:RDF"), nsmap={"rdf": RDF})
    desc = ET.SubElement(rdf, _q("rdf:Description"), {_q("rdf:about"): ""}, nsmap=NAMESPACES)
    _container(desc, "dc:title", "Alt", [meta.title], "x-default")
    _container(desc, "dc:creator", "Seq", meta.authors)
    _container(desc, "dc:description", "Alt", [meta.description], "x-default")
    _container(desc, "dc:subject", "Bag", meta.subjects + meta.keywords)
    _container(desc, "dc:language", "Bag", (meta.lang,))
    _container(desc, "dc:publisher", "Bag", [meta.publisher] if meta.publisher else [])
    _container(desc, "dc:rights", "Alt", [meta.rights], "x-default")
    _add(desc, "dc:identifier", meta.identifier)
    _add(desc, "xmp:CreateDate", meta.date.isoformat() if meta.date else date)
    _add(desc, "xmp:ModifyDate", date)
    _add(desc, "xmp:MetadataDate", date)
    _add(desc, "xmp:CreatorTool", f"warraq {__version__}")
    keywords = ", ".join(meta.subjects + meta.keywords)
    if keywords:
        _add(desc, "pdf:Keywords", keywords)
    _add(desc, "pdf:Producer", f"warraq {__version__} (WeasyPrint)")
    _variant(desc, book, profile)
    if book.dates and book.dates.hijri:      # a date before 1 AH has no Hijri date
        _add(desc, "warraq:hijri_date", book.dates.hijri_iso)
    return root


def _name(tag: str, el: ET._Element) -> str:
    """`{namespace}local` -> `prefix:local`, with the prefixes in scope at `el`."""
    uri, local = tag[1:].split("}")
    prefix = "xml" if uri == XML else next(p for p, u in el.nsmap.items() if u == uri)
    return f"{prefix}:{local}"


def serialise(el: ET._Element) -> str:
    """The element as XML: its attributes, then the namespaces it declares (those its
    parent does not have), then its text (escaped) and children; never self-closed."""
    parent = el.getparent()
    inherited = parent.nsmap if parent is not None else {}
    attrs = "".join(f' {_name(k, el)}="{escape(v, {chr(34): "&quot;"})}"'
                    for k, v in el.attrib.items())
    declared = "".join(f' xmlns:{p}="{u}"' for p, u in el.nsmap.items()
                       if inherited.get(p) != u)
    inner = escape(el.text or "") + "".join(serialise(child) for child in el)
    name = _name(el.tag, el)
    return f"<{name}{attrs}{declared}>{inner}</{name}>"


def xmp(book: Book, profile: Profile = PROFILES["print"]) -> bytes:
    """The XMP packet's bytes (UTF-8, between its xpacket processing instructions)."""
    return _HEAD + serialise(tree(book, profile)).encode() + _TAIL
