"""Golden cases: each folder of tests/cases/ is a small source and its expected read-back.

A case folder holds `source/` (book.yaml and its Markdown), or a `case.yaml` whose
`source` names a folder of the project (the sample book: `source: source`), and
`expected/`: JSON of what the outputs say when read back with tests/readback.py (the
OPF's metadata, the nav, the spine, each XHTML document's outline; the print PDF's
metadata, outline, page labels and each page's first and last lines). The test builds
every case (EPUB and the `print` PDF, in a temporary folder), reads it back and compares;
`pytest --update-golden` rewrites expected/ (review the diff before committing it).
"""

from __future__ import annotations

from pathlib import Path

import lxml.etree as ET
import pytest
import yaml

from conftest import ROOT, golden_differences
from readback import NS, Epub, Pdf, xml
from warraq import __version__
from warraq.pipeline import build

CASES = Path(__file__).resolve().parent / "cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
#: Text kept of a string shown in a golden file (enough to recognise it).
SHORT = 60
XHTML = f"{{{NS['x']}}}"
EPUB_TYPE = f"{{{NS['epub']}}}type"
#: Elements an outline names without their text (their parts are listed after them).
CONTAINERS = {"body", "section", "header", "nav"}


def short(text: str | None) -> str:
    """Whitespace collapsed, warraq's version written `VERSION`, cut to SHORT characters."""
    text = " ".join((text or "").split()).replace(f"warraq {__version__}", "warraq VERSION")
    return text if len(text) <= SHORT else text[:SHORT - 1] + "…"


def case_source(folder: Path) -> Path:
    """The source folder of a case: its own source/, or the project folder case.yaml names."""
    spec = folder / "case.yaml"
    if spec.exists():
        return ROOT / yaml.safe_load(spec.read_text(encoding="utf-8"))["source"]
    return folder / "source"


def opf_metadata(epub: Epub) -> list[dict]:
    """Every element of the OPF's metadata: name, attributes and text, in order."""
    out = []
    for element in epub.opf.find("opf:metadata", NS):
        name = ET.QName(element)
        prefix = "dc:" if name.namespace == NS["dc"] else ""
        attrs = {k: short(v) for k, v in element.attrib.items()}
        out.append({"element": prefix + name.localname, **attrs, "text": short(element.text)})
    return out


def nav(epub: Epub) -> dict:
    """The toc (depth, text, href), the landmarks and the page-list's labels."""
    document = xml(epub.read(epub.nav_href()))
    navs = {n.get(EPUB_TYPE): n for n in document.iter(f"{XHTML}nav")}
    links = {kind: [(a.get(EPUB_TYPE), short("".join(a.itertext())), a.get("href"))
                    for a in navs[kind].iter(f"{XHTML}a")] if kind in navs else []
             for kind in ("landmarks", "page-list")}
    return {"toc": epub.nav_toc(), "landmarks": links["landmarks"],
            "page_list": [text for _, text, _ in links["page-list"]]}


def spine(epub: Epub) -> list[tuple[str, bool]]:
    """(href, linear) of every spine item."""
    linear = set(epub.spine_hrefs(linear_only=True))
    return [(href, href in linear) for href in epub.spine_hrefs()]


def _label(element: ET._Element) -> str:
    """`tag.class[lang]`, the way an element is named in a document outline."""
    name = ET.QName(element).localname
    name += "".join(f".{c}" for c in (element.get("class") or "").split())
    for attr, shown in ((EPUB_TYPE, "epub:type"), ("type", "type"), ("start", "start")):
        if element.get(attr):
            name += f"[{shown}={element.get(attr)}]"
    if element.get("lang"):
        name += f"[{element.get('lang')}{' ' + element.get('dir') if element.get('dir') else ''}]"
    return name


def _outlined(element: ET._Element) -> bool:
    """Whether an element belongs in a document's outline: headings, lists, blocks and
    sections, and anything with a class, a language or a direction (plain text is not)."""
    name = ET.QName(element).localname
    return (name in ("h1", "h2", "h3", "h4", "h5", "h6", "ol", "ul", "blockquote", "section",
                     "aside", "header", "footer", "nav", "pre", "table", "img")
            or any(element.get(a) for a in ("class", "lang", "dir", EPUB_TYPE)))


def document_outline(root: ET._Element) -> dict:
    """An XHTML document's title and language, then its outline: one line an element,
    `label: text` (lists give their number of items, containers no text, images their
    alt text)."""
    body = root.find("x:body", NS)
    lines = []
    for element in body.iter(f"{XHTML}*"):
        if not _outlined(element):
            continue
        name = ET.QName(element).localname
        if name in ("ol", "ul"):
            lines.append(f"{_label(element)}: {len(element.findall('x:li', NS))} items")
        elif element.get(EPUB_TYPE) == "pagebreak":
            lines.append(f"page {element.get('aria-label')}")
        else:
            text = element.get("alt") if name == "img" else (
                "" if name in CONTAINERS else "".join(element.itertext()))
            lines.append(f"{_label(element)}: {short(text)}" if short(text) else _label(element))
    return {"title": short(root.findtext("x:head/x:title", namespaces=NS)),
            "lang": root.get("lang"), "outline": lines}


def documents(epub: Epub) -> dict[str, dict]:
    """The outline of every XHTML document in the spine but the nav (see `nav`) and the
    licences (whole texts)."""
    return {href: document_outline(xml(epub.read(href))) for href in epub.spine_hrefs()
            if href != epub.nav_href() and not href.startswith("text/warraq_licence-")}


def pdf_readback(pdf: Pdf) -> dict:
    """The PDF's Info, page size, labels and outline, and each page's first line and last
    two (the running head and the folio, set after the text)."""
    pages = []
    for label, text in zip(pdf.reader.page_labels, pdf.page_texts(), strict=True):
        lines = [line for line in (short(line) for line in text.splitlines()) if line]
        pages.append([label, *(lines[:1] + lines[max(1, len(lines) - 2):])])
    return {"info": {k: short(v) for k, v in pdf.info.items()},
            "page_sizes_pt": sorted(pdf.page_sizes_pt()), "outline": pdf.outline(),
            "pages": pages}


def read_back(out: Path) -> dict[str, object]:
    """Every golden file of a case, by name, from the folder it was built into."""
    epub = Epub(next(out.glob("*.epub")))
    pdf = Pdf(next(p for p in out.glob("*.pdf") if not p.name.endswith(".cover.pdf")))
    return {"epub-opf": opf_metadata(epub), "epub-nav": nav(epub), "epub-spine": spine(epub),
            "epub-documents": documents(epub), "pdf": pdf_readback(pdf)}


def test_there_are_cases():
    assert {"sample", "article", "rtl-notes", "front-matter-lists"} <= set(CASE_NAMES)
    for name in CASE_NAMES:
        assert (case_source(CASES / name) / "book.yaml").is_file(), name


@pytest.mark.slow
@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(name, tmp_path, golden):
    folder = CASES / name
    build(case_source(folder), tmp_path)
    golden(folder / "expected", read_back(tmp_path))


def test_golden_files_are_compared_and_rewritten(tmp_path):
    folder = tmp_path / "expected"
    assert golden_differences(folder, {"a": [1, "x"]}, update=False) == [
        f"no golden file {folder / 'a.json'}"]
    assert golden_differences(folder, {"a": [1, "x"]}, update=True) == []
    assert (folder / "a.json").read_text(encoding="utf-8") == '[\n 1,\n "x"\n]\n'
    assert golden_differences(folder, {"a": [1, "x"]}, update=False) == []
    [fault] = golden_differences(folder, {"a": [2, "x"]}, update=False)
    assert "a.json differs" in fault and "- 1," in fault and "+ 2," in fault
    (folder / "old.json").write_text("{}", encoding="utf-8")
    assert golden_differences(folder, {"a": [1, "x"]}, update=False) == [
        f"{folder / 'old.json'} is no longer produced"]
    golden_differences(folder, {"a": [1, "x"]}, update=True)
    assert sorted(p.name for p in folder.iterdir()) == ["a.json"]


def test_document_outline_names_structure_not_plain_text():
    page = xml(f"""<html xmlns="{NS['x']}" xmlns:epub="{NS['epub']}" lang="en"><head>
        <title>T</title></head><body><section class="chapter" epub:type="chapter">
        <span epub:type="pagebreak" aria-label="4"/><h1>Head  line</h1><p>Plain text.</p>
        <ol type="i" start="4"><li>four</li><li>five</li></ol>
        <p>See <span lang="ar" dir="rtl">صبر</span>.</p><img src="a.png" alt="An owl"/>
        </section></body></html>""".encode())
    assert document_outline(page) == {"title": "T", "lang": "en", "outline": [
        "section.chapter[epub:type=chapter]", "page 4", "h1: Head line",
        "ol[type=i][start=4]: 2 items", "span[ar rtl]: صبر", "img: An owl"]}
    assert short("x" * 100) == "x" * (SHORT - 1) + "…"
    assert short(f"Made with warraq {__version__}.") == "Made with warraq VERSION."
