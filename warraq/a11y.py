"""EPUB Accessibility 1.1: the metadata a book earns from what it really contains.

Nothing here is a fixed list. `Facts` is gathered from the finished EPUB content (the
XHTML of every file in the spine, whether there is a page-list, which images there are)
and `metadata` turns it into `schema:` / `dcterms:` / `a11y:` properties. A feature is
claimed only when the content shows it: `alternativeText` only when there are images
(all of which carry alt text: the loader refuses images without it, W309),
`printPageNumbers` only when the page-list of a print edition is there, `ARIA` only
when roles are used, and so on. `a11y:certifiedBy` names the publisher, who stands behind
the claim, when book.yaml names one (no credential or report is claimed: warraq's own
checks are automated).

`normalise_headings` keeps heading levels free of gaps (a `###` right after a `#`
becomes an `h2`), so the outline a screen reader announces has no holes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.etree as ET

#: What the package claims to conform to (EPUB Accessibility 1.1 with WCAG 2.1 AA).
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
_HEADING = re.compile(r"^h([1-6])$")


@dataclass(frozen=True)
class Facts:
    """What the EPUB's content documents contain, as counted in the finished XHTML."""

    headings: int = 0            # h1-h6 in the spine documents
    has_toc: bool = False        # a toc nav with entries
    images: int = 0              # <img> in content (the cover page excluded)
    images_without_alt: int = 0
    page_breaks: int = 0         # epub:type="pagebreak" markers
    has_page_list: bool = False
    aria_roles: int = 0          # elements with a role attribute
    footnotes: int = 0           # aside epub:type="footnote"
    tables: int = 0
    languages: tuple[str, ...] = ()   # every xml:lang/lang value used, in first-seen order
    page_source: str | None = None    # the print edition the page breaks come from
    certifier: str | None = None      # who stands behind the conformance claim


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def gather(documents: dict[str, bytes], nav: bytes, cover_href: str | None = None,
           page_source: str | None = None, certifier: str | None = None) -> Facts:
    """Count what the content documents (by href) and the nav document contain."""
    parser = ET.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    counts = dict(headings=0, images=0, images_without_alt=0, page_breaks=0, aria_roles=0,
                  footnotes=0, tables=0)
    langs: list[str] = []
    for href, data in documents.items():
        root = ET.fromstring(data, parser)
        for el in root.iter():
            name = _local(el.tag)
            if _HEADING.match(name):
                counts["headings"] += 1
            elif name == "img" and href != cover_href:
                counts["images"] += 1
                if not (el.get("alt") or "").strip():
                    counts["images_without_alt"] += 1
            elif name == "table":
                counts["tables"] += 1
            if el.get("role"):
                counts["aria_roles"] += 1
            types = (el.get(f"{{{EPUB_NS}}}type") or "").split()
            if "pagebreak" in types:
                counts["page_breaks"] += 1
            if "footnote" in types and name == "aside":
                counts["footnotes"] += 1
            lang = el.get("{http://www.w3.org/XML/1998/namespace}lang") or el.get("lang")
            if lang and lang not in langs:
                langs.append(lang)
    nav_root = ET.fromstring(nav, parser)
    navs = {(n.get(f"{{{EPUB_NS}}}type") or ""): n for n in nav_root.iter(f"{{{XHTML_NS}}}nav")}
    has_toc = "toc" in navs and navs["toc"].find(f".//{{{XHTML_NS}}}a") is not None
    has_page_list = ("page-list" in navs
                     and navs["page-list"].find(f".//{{{XHTML_NS}}}a") is not None)
    return Facts(has_toc=has_toc,
                 has_page_list=has_page_list, languages=tuple(langs),
                 page_source=page_source, certifier=certifier, **counts)


def features(facts: Facts) -> list[str]:
    """The `schema:accessibilityFeature` values the content supports."""
    out = []
    if facts.headings:
        out.append("structuralNavigation")
    if facts.has_toc:
        out.append("tableOfContents")
    out += ["readingOrder", "displayTransformability"]
    if facts.images and not facts.images_without_alt:
        out.append("alternativeText")
    if facts.has_page_list and facts.page_breaks:
        out += ["pageBreakMarkers", "pageNavigation", "printPageNumbers"]
    if facts.aria_roles:
        out.append("ARIA")
    return out


def summary(facts: Facts) -> str:
    """`schema:accessibilitySummary`: one paragraph a person can read."""
    parts = ["This publication meets EPUB Accessibility 1.1 at WCAG 2.1 Level AA, as checked "
             "when it was made."]
    nav = []
    if facts.has_toc:
        nav.append("a table of contents")
    if facts.headings:
        nav.append("headings in order")
    if facts.has_page_list:
        nav.append("the page numbers of the print edition")
    if nav:
        parts.append("It can be navigated by " + _join(nav) + ".")
    if facts.images:
        parts.append(f"Each of its {facts.images} image{'s' if facts.images != 1 else ''} "
                     "has a text alternative.")
    else:
        parts.append("It is entirely text: there are no images in its content.")
    if facts.footnotes:
        parts.append("Footnotes are linked both ways and can be shown as pop-up notes.")
    if len(facts.languages) > 1:
        parts.append("Every passage declares its language, so it is read aloud correctly.")
    parts.append("The text reflows and can be resized; there are no hazards.")
    return " ".join(parts)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def metadata(facts: Facts) -> list[tuple[str, str]]:
    """(property, value) pairs for the OPF, in a stable order."""
    modes = ["textual"] + (["visual"] if facts.images else [])
    sufficient = ["textual"]
    if facts.images:
        sufficient = ["textual,visual", "textual"]
    out = [("schema:accessMode", m) for m in modes]
    out += [("schema:accessModeSufficient", s) for s in sufficient]
    out += [("schema:accessibilityFeature", f) for f in features(facts)]
    out.append(("schema:accessibilityHazard", "none"))
    out.append(("schema:accessibilitySummary", summary(facts)))
    out.append(("dcterms:conformsTo", CONFORMS_TO))
    if facts.certifier:
        out.append(("a11y:certifiedBy", facts.certifier))
    if facts.has_page_list and facts.page_source:
        out.append(("pageBreakSource", facts.page_source))
    return out


def normalise_headings(root: ET._Element, start: int = 1) -> None:
    """Renumber h1-h6 under `root` in place so that no level is skipped going down.

    `start` is the level the fragment's first heading may have at most (1 for a chapter).
    A heading may always go back up; going down it may descend one level at a time.
    """
    mapping: list[tuple[int, int]] = []     # (source level, new level) stack
    for el in root.iter():
        m = _HEADING.match(_local(el.tag))
        if not m:
            continue
        level = int(m.group(1))
        while mapping and mapping[-1][0] >= level:
            mapping.pop()
        new = max(1, min(level, (mapping[-1][1] if mapping else start - 1) + 1))
        mapping.append((level, new))
        if new != level:
            el.tag = el.tag[:-1] + str(new)
