"""warraq.xhtml: author HTML is audited (so the loader can refuse it with a line) and
sanitised (so that even HTML past the loader never carries code into the EPUB or PDF);
every XML parser in warraq has external entities and network access off."""

from __future__ import annotations

import dataclasses
import re
import zipfile

import pikepdf
import pytest

from conftest import ROOT, SAMPLE
from readback import NS, xml
from rendering import render
from test_bad_sources import png as png_bytes
from warraq.model import Resource
from warraq.pipeline import prepare
from warraq.writers.epub import write_epub
from warraq.pdf.book import render_pdf
from warraq.xhtml import audit_raw_html, parse_fragment, sanitise, to_xhtml

NASTY = """\
# Nasty

<script>alert("s")</script>

<p onclick="steal()" onmouseover="steal()">Click</p>

<iframe src="https://example.org/"></iframe>

<object data="x.swf"></object><embed src="x.swf">

A <a href="javascript:alert(1)">js link</a>, a <a href=" JaVa&#x53;cript:alert(2)">hidden
one</a>, a <a href="data:text/html,<script>alert(3)</script>">data link</a>.

<style>body { background: url(http://example.org/track.png) }</style>

<form action="https://example.org/"><input name="q"></form>

<svg><script>alert(4)</script></svg>

<table><tr><td style="background: url(file:///etc/passwd); text-align: right">cell</td></tr></table>

[md link](javascript:alert(5)) and <img src="x.png" alt="x" onerror="steal()">

<a href="https://example.org/" rel="attachment" target="_blank">web</a>
"""
REFUSED = {"script", "iframe", "object", "embed", "style", "form", "input", "svg", "link",
           "meta", "base"}


def code_in(tree) -> list[str]:
    """Elements and attributes in a parsed tree that could run code or load a file."""
    found = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in REFUSED:
            found.append(f"<{tag}>")
        for name, value in el.attrib.items():
            name = name.rsplit("}", 1)[-1]
            squashed = re.sub(r"[\x00-\x20]", "", value).lower()
            if name.startswith("on") or name in ("rel", "target", "action", "data"):
                found.append(f"{tag}@{name}")
            elif name in ("href", "src", "cite") and squashed.startswith(
                    ("javascript:", "data:", "vbscript:", "file:")):
                found.append(f"{tag}@{name}={value}")
            elif name == "style" and ("url(" in squashed or "@import" in squashed):
                found.append(f"{tag}@style")
    return found


def test_the_audit_finds_what_runs_code_or_loads_files():
    audit = audit_raw_html(NASTY)
    refused = " ".join(message for _code, message in audit.refused)
    for what in ("<script>", "`onclick`", "`onmouseover`", "<iframe>", "<object>", "<embed>",
                 "<style>", "<form>", "<svg>", "javascript:alert(1)", "JaVaScript:alert(2)",
                 "data:text/html", "`onerror`"):
        assert what in refused, what
    assert audit.css_urls == ["file:///etc/passwd"]
    assert audit.images == ["x.png"]
    assert audit.links == ["https://example.org/"]


@pytest.mark.parametrize("snippet", [s for s in NASTY.split("\n\n") if s.strip()])
def test_the_sanitiser_removes_it(snippet):
    clean = to_xhtml(sanitise(snippet))
    assert code_in(parse_fragment(clean)) == [], clean   # (and it is well-formed XML)


def test_nothing_that_runs_code_reaches_the_outputs():
    """A chapter rendered straight from the nasty Markdown (the loader, which refuses it,
    bypassed): the EPUB's XHTML and the PDF carry none of it."""
    rendered = render(NASTY)
    book = prepare(SAMPLE)
    first = dataclasses.replace(book.chapters[0], html=rendered.html,
                                headings=tuple(rendered.headings[:1]), footnotes=())
    png = Resource("x.png", "image/png", png_bytes(), 8, 8)
    book = dataclasses.replace(book, chapters=(first,) + book.chapters[1:], resources=(png,))
    epub = write_epub(book)
    with zipfile.ZipFile(__import__("io").BytesIO(epub)) as zf:
        text = zf.read("EPUB/text/preface.xhtml").decode()
    body = xml(text.encode()).find("x:body", NS)
    assert "Click" in "".join(body.itertext())            # the text stays
    hrefs = [a.get("href") for a in body.iter(f"{{{NS['x']}}}a")]
    assert [h for h in hrefs if h] == ["https://example.org/"]      # the rest lost their href
    assert code_in(body) == []
    head = xml(text.encode()).find("x:head", NS)                     # the template's own
    assert [(ln.get("rel"), ln.get("href")) for ln in head.iter(f"{{{NS['x']}}}link")] == [
        ("stylesheet", "../styles/book.css")]
    assert "alert" not in "".join(body.itertext()).replace("javascript:alert(5)", "")
    pdf_bytes, _warnings = render_pdf(book)
    import io
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        assert "/Names" not in pdf.Root or "/JavaScript" not in pdf.Root.Names
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                action = annot.get("/A")
                if action is None:
                    continue
                assert action.get("/S") in ("/URI", "/GoTo"), action
                if action.get("/S") == "/URI":
                    assert str(action.URI).startswith(("https://", "http://", "mailto:"))
        assert not pdf.attachments


def test_every_xml_parser_in_warraq_has_entities_and_network_off():
    """A static check of the package: lxml parsers are built with entities and network
    off and always passed explicitly; no stdlib XML parser reads anything."""
    for path in (ROOT / "warraq").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for call in re.findall(r"XMLParser\(([^)]*)\)", source):
            assert "resolve_entities=False" in call and "no_network=True" in call, path
        for line in source.splitlines():
            if "fromstring(" in line and "def " not in line:
                assert re.search(r"parser\b|_PARSER\b", line, re.I), (path, line)
        assert not re.search(r"(?<![\w.])xml\.(dom|etree|sax(?!\.saxutils))|minidom|"
                             r"ElementTree|expat", source), path


@pytest.mark.parametrize("html,expected", [
    ("<p><em>a<div>b<div>c</div></div>d</em></p>", "<p><em>abcd</em></p>"),
    ("<h2>t<ul><li>u</li></ul></h2>", "<h2>tu</h2>"),
    ("<a href='#a'>x<a href='#b'>y</a></a>", '<a href="#a">x</a><a href="#b">y</a>'),
    ("<dl><dt>a<p>b</p></dt><dd><p>c</p></dd></dl>", "<dl><dt>ab</dt><dd><p>c</p></dd></dl>"),
    ("<div><li>loose</li></div>", "<div>loose</div>"),
    ("<ol><li>a</li><b>b</b> c<li>d</li></ol>", "<ol><li>a<b>b</b> c</li><li>d</li></ol>"),
    ("<ul>x<li>y</li></ul>", "<ul><li>x</li><li>y</li></ul>"),
    ("<dl><dt>t</dt><b>loose</b></dl>", "<dl><dt>t<b>loose</b></dt></dl>"),
])
def test_misplaced_elements_are_unwrapped_keeping_their_text(html, expected):
    """Found by the fuzz test: raw HTML inside Markdown built trees EPUBCheck rejects."""
    assert to_xhtml(html) == expected


def test_a_heading_inside_inline_formatting_keeps_its_id():
    """Found by the fuzz test: an unclosed raw `<b>` around a Markdown heading; unwrapping
    the heading lost the id the nav pointed at."""
    out = to_xhtml('<b><h1 id="c-x">Title</h1> text</b>')
    assert out.startswith('<h1 id="c-x">Title</h1>')
