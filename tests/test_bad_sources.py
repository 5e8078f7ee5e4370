"""The corpus of bad sources: each names the exact code, file and line it must produce, and
none may change a byte of a dist/ that already holds a good book.

Every case is built with `warraq.pipeline.build` into a copy of a dist/ where a good book
was built first; the copy must be byte-identical afterwards (and hold no temporary file).
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from PIL import Image

from conftest import write_source
from warraq.errors import SourceError
from warraq.pipeline import build

GOOD = {"title": "Corpus Book", "contents": ["a.md"]}
TEXT = "# A chapter\n\nSome text.\n"


def png(width=8, height=8) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buf, "PNG")
    return buf.getvalue()


def png_bomb(width=40_000, height=40_000) -> bytes:
    """A small PNG that claims 1.6 gigapixels: its rows are a few kilobytes of zlib."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)   # 1-bit greyscale
    rows = zlib.compress(b"\0" * (1 + width // 8) * 64, 9)          # the first rows only
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", rows)
            + chunk(b"IEND", b""))


SVG_BROKEN = b"""<svg xmlns="http://www.w3.org/2000/svg"><rect width="10"></svg>"""
SVG_NOT_SVG = b"""<?xml version="1.0"?><html><body>not a drawing</body></html>"""


@dataclass
class Case:
    """A bad source and exactly what the build must say about it."""

    meta: dict | str
    files: dict[str, str | bytes]
    expected: list[tuple[str, str, int | None]]       # (code, file, line)
    setup: Callable[[Path, Path], None] | None = None  # (source folder, its parent)
    marks: list = field(default_factory=list)


def _symlink_out(src: Path, parent: Path) -> None:
    (parent / "secret.md").write_text("# Secret\n\nNot part of the book.\n")
    os.symlink(parent / "secret.md", src / "link.md")


def _image_symlink_out(src: Path, parent: Path) -> None:
    (parent / "secret.png").write_bytes(png())
    os.symlink(parent / "secret.png", src / "pic.png")


def _huge_image(src: Path, parent: Path) -> None:
    with open(src / "huge.png", "wb") as handle:       # sparse: 31 MB that take no disk
        handle.write(png())
        handle.truncate(31 * 1024 * 1024)


def _outside_file(src: Path, parent: Path) -> None:
    (parent / "secret.txt").write_text("the author's private notes\n")
    (parent / "outside.md").write_text("# Outside\n\nx\n")


def one(text: str, name: str = "a.md", **extra) -> dict:
    return {name: text, **extra}


CASES: dict[str, Case] = {
    # --- book.yaml -------------------------------------------------------------------
    "yaml-malformed": Case("title: Corpus Book\ncontents: [a.md\n", one(TEXT),
                           [("W101", "book.yaml", 3)]),
    "yaml-not-a-mapping": Case("- title\n- contents\n", one(TEXT),
                               [("W102", "book.yaml", 1)]),
    "yaml-unknown-key": Case("title: Corpus Book\ncolour: red\ncontents: [a.md]\n", one(TEXT),
                             [("W103", "book.yaml", 2)]),
    "yaml-missing-title": Case("author: Someone\ncontents: [a.md]\n", one(TEXT),
                               [("W104", "book.yaml", 1)]),
    "yaml-missing-contents": Case("title: Corpus Book\n", one(TEXT),
                                  [("W104", "book.yaml", 1)]),
    "yaml-mistyped-title": Case("title: [Corpus, Book]\ncontents: [a.md]\n", one(TEXT),
                                [("W105", "book.yaml", 1)]),
    "yaml-mistyped-contents": Case("title: Corpus Book\ncontents: a.md\n", one(TEXT),
                                   [("W105", "book.yaml", 2)]),
    "yaml-key-twice": Case("title: Corpus Book\ncontents: [a.md]\ntitle: Again\n", one(TEXT),
                           [("W113", "book.yaml", 3)]),
    "lang-invalid": Case("title: Corpus Book\nlang: english_UK\ncontents: [a.md]\n",
                         one(TEXT), [("W106", "book.yaml", 2)]),
    "date-invalid": Case("title: Corpus Book\ndate: 2023-13-45\ncontents: [a.md]\n",
                         one(TEXT), [("W107", "book.yaml", 2)]),
    "isbn-check-digit": Case("title: Corpus Book\nidentifier: urn:isbn:978-3-16-148410-1\n"
                             "contents: [a.md]\n", one(TEXT), [("W108", "book.yaml", 2)]),
    "role-unknown": Case("title: Corpus Book\ncreator:\n  - name: Ann\n    role: boss\n"
                         "contents: [a.md]\n", one(TEXT), [("W111", "book.yaml", 3)]),
    "hijri-invalid": Case("title: Corpus Book\nhijri-date: 1445-14-40\ncontents: [a.md]\n",
                          one(TEXT), [("W112", "book.yaml", 2)]),
    "cover-missing": Case("title: Corpus Book\ncontents: [a.md]\ncover-image: cover.png\n",
                          one(TEXT), [("W205", "book.yaml", 3)]),
    # --- contents ----------------------------------------------------------------------
    "contents-missing-file": Case("title: Corpus Book\ncontents:\n  - a.md\n  - b.md\n",
                                  one(TEXT), [("W200", "book.yaml", 4)]),
    "contents-duplicated": Case("title: Corpus Book\ncontents:\n  - a.md\n  - ./a.md\n",
                                one(TEXT), [("W201", "book.yaml", 4)]),
    "contents-parent-path": Case("title: Corpus Book\ncontents:\n  - a.md\n  - ../outside.md\n",
                                 one(TEXT), [("W202", "book.yaml", 4)], setup=_outside_file),
    "contents-absolute-path": Case("title: Corpus Book\ncontents:\n  - /etc/hostname.md\n",
                                   one(TEXT), [("W202", "book.yaml", 3)]),
    "contents-symlink-out": Case("title: Corpus Book\ncontents:\n  - a.md\n  - link.md\n",
                                 one(TEXT), [("W202", "book.yaml", 4)], setup=_symlink_out),
    "contents-not-markdown": Case("title: Corpus Book\ncontents: [a.md, notes.txt]\n",
                                  one(TEXT, **{"notes.txt": "x"}), [("W204", "book.yaml", 2)]),
    # --- Markdown files ----------------------------------------------------------------
    "markdown-not-utf8": Case(GOOD, one("# A\n\nfine\ncaf\xe9\n".encode("latin-1")),
                              [("W203", "a.md", 4)]),
    "markdown-utf16": Case(GOOD, one("# A\n\nText.\n".encode("utf-16")),
                           [("W203", "a.md", 1)]),
    "markdown-control-character": Case(GOOD, one("# A\n\nA form feed \x0c here.\n"),
                                       [("W207", "a.md", 3)]),
    "markdown-noncharacter": Case(GOOD, one("# A\n\nText.\n\nNot a char: \uffff\n"),
                                  [("W207", "a.md", 5)]),
    "span-lang-invalid": Case(GOOD, one("# A\n\nSome [words]{lang=arabic_EG} here.\n"),
                              [("W106", "a.md", 3)]),
    "front-matter-lang-invalid": Case(GOOD, one("---\nlang: en_GB\n---\n# A\n\nx\n"),
                                      [("W106", "a.md", 2)]),
    "anchor-link-to-nowhere": Case(GOOD, one("# A\n\nSee [above](#nowhere).\n"),
                                   [("W313", "a.md", 3)]),
    "id-used-twice": Case(GOOD, one("# A\n\n[one]{#same} and [two]{#same}\n"),
                          [("W314", "a.md", 3)]),
    "footnote-inside-footnote": Case(GOOD, one("# A\n\nText.[^1]\n\n[^1]: A note.[^2]\n\n"
                                               "[^2]: Inner.\n"), [("W315", "a.md", 5)]),
    "chapter-empty": Case(GOOD, one("\n   \n\n"), [("W302", "a.md", 1)]),
    "chapter-only-front-matter": Case(GOOD, one("---\ntitle: A\n---\n\n"),
                                      [("W302", "a.md", 4)]),
    "book-without-headings": Case({"title": "Corpus Book", "contents": ["a.md", "b.md"]},
                                  one("Only text.\n", **{"b.md": "More text.\n"}),
                                  [("W303", "a.md", 1), ("W303", "b.md", 1)]),
    "front-matter-unclosed": Case(GOOD, one("---\ntitle: A\n\n# A\n\nText.\n"),
                                  [("W300", "a.md", 1)]),
    "front-matter-unknown-key": Case(GOOD, one("---\ntitle: A\nmood: calm\n---\n\n# A\n\nx\n"),
                                     [("W301", "a.md", 3)]),
    "footnote-never-defined": Case(GOOD, one("# A\n\nText.\n\nMore text.[^gone]\n"),
                                   [("W304", "a.md", 5)]),
    "footnote-never-referenced": Case(GOOD, one("# A\n\nText.\n\n[^lonely]: A note.\n"),
                                      [("W305", "a.md", 5)]),
    "paragraph-too-long": Case(GOOD, one("# A\n\nShort.\n\n" + "word " * 1_000_000 + "\n"),
                               [("W310", "a.md", 5)]),
    "lists-nested-too-deep": Case(GOOD, one("# A\n\n" + "".join(
        " " * (3 * d) + "1. item\n" for d in range(30))), [("W312", "a.md", 11)]),
    "quotes-nested-too-deep": Case(GOOD, one("# A\n\n" + "> " * 60 + "deep\n"),
                                   [("W312", "a.md", 3)]),
    "html-nested-too-deep": Case(GOOD, one("# A\n\nText.\n\n" + "<div>" * 300 + "x"
                                           + "</div>" * 300 + "\n"), [("W312", "a.md", 5)]),
    # --- images --------------------------------------------------------------------------
    "image-missing": Case(GOOD, one("# A\n\n![A chart](chart.png)\n"), [("W306", "a.md", 3)]),
    "image-not-an-image": Case(GOOD, one("# A\n\n![A chart](chart.png)\n",
                                         **{"chart.png": b"GIF89a but not really"}),
                               [("W306", "a.md", 3)]),
    "image-decompression-bomb": Case(GOOD, one("# A\n\n![Bomb](bomb.png)\n",
                                               **{"bomb.png": png_bomb()}),
                                     [("W306", "a.md", 3)]),
    "image-far-too-large": Case(GOOD, one("# A\n\n![Huge](huge.png)\n"),
                                [("W306", "a.md", 3)], setup=_huge_image),
    "image-http": Case(GOOD, one("# A\n\n![x](http://example.org/x.png)\n"),
                       [("W307", "a.md", 3)]),
    "image-https": Case(GOOD, one("# A\n\n![x](https://example.org/x.png)\n"),
                        [("W307", "a.md", 3)]),
    "image-file-url": Case(GOOD, one("# A\n\n![x](file:///etc/hostname)\n"),
                           [("W307", "a.md", 3)]),
    "image-data-url": Case(GOOD, one("# A\n\n![x](data:image/png;base64,iVBORw0KGgo=)\n"),
                           [("W307", "a.md", 3)]),
    "image-parent-path": Case(GOOD, one("# A\n\n![x](../secret.txt)\n"), [("W307", "a.md", 3)],
                              setup=_outside_file),
    "image-absolute-path": Case(GOOD, one("# A\n\n![x](/etc/hostname)\n"),
                                [("W307", "a.md", 3)]),
    "image-symlink-out": Case(GOOD, one("# A\n\n![x](pic.png)\n"), [("W307", "a.md", 3)],
                              setup=_image_symlink_out),
    "image-raw-html-http": Case(GOOD, one('# A\n\n<img src="http://example.org/x.png" '
                                          'alt="x">\n'), [("W307", "a.md", 3)]),
    # SVG is sanitised and kept (tests/test_svg.py); only what is not SVG is refused
    "svg-not-well-formed": Case(GOOD, one("# A\n\n![x](pic.svg)\n", **{"pic.svg": SVG_BROKEN}),
                                [("W311", "a.md", 3)]),
    "svg-html-root-named-png": Case(GOOD, one("# A\n\n![x](pic.png)\n",
                                              **{"pic.png": SVG_NOT_SVG}),
                                    [("W311", "a.md", 3)]),
    # --- links and CSS -------------------------------------------------------------------
    "link-file-url": Case(GOOD, one("# A\n\nSee [my notes](file:///home/me/notes.txt).\n"),
                          [("W307", "a.md", 3)]),
    "link-parent-path": Case(GOOD, one("# A\n\nSee [the notes](../secret.txt).\n"),
                             [("W307", "a.md", 3)], setup=_outside_file),
    "link-absolute-path": Case(GOOD, one("# A\n\nSee [passwords](/etc/passwd).\n"),
                               [("W307", "a.md", 3)]),
    "link-to-a-file-inside": Case(GOOD, one("# A\n\nSee [notes](notes.txt).\n",
                                            **{"notes.txt": "x"}), [("W307", "a.md", 3)]),
    "link-autolink-file": Case(GOOD, one("# A\n\nSee <file:///etc/passwd>.\n"),
                               [("W307", "a.md", 3)]),
    "link-javascript-markdown": Case(GOOD, one("# A\n\n[click](javascript:alert(1))\n"),
                                     [("W308", "a.md", 3)]),
    "css-url-http": Case(GOOD, one('# A\n\n<p style="background: url(http://example.org/t.png)">'
                                   "x</p>\n"), [("W307", "a.md", 3)]),
    "css-url-file": Case(GOOD, one("# A\n\n<span style=\"background:url('file:///etc/passwd')\">"
                                   "x</span> here.\n"), [("W307", "a.md", 3)]),
    "css-url-parent": Case(GOOD, one('# A\n\n<div style="background: url(../secret.txt)">x'
                                     "</div>\n"), [("W307", "a.md", 3)], setup=_outside_file),
    "css-url-inside": Case(GOOD, one('# A\n\n<div style="background: url(bg.png)">x</div>\n',
                                     **{"bg.png": png()}), [("W308", "a.md", 3)]),
    "css-import": Case(GOOD, one('# A\n\n<div style="@import \'x.css\'">x</div>\n'),
                       [("W308", "a.md", 3)]),
    # --- raw HTML that runs code ---------------------------------------------------------
    "html-script-block": Case(GOOD, one("# A\n\nText.\n\n<script>alert(1)</script>\n"),
                              [("W308", "a.md", 5)]),
    "html-script-inline": Case(GOOD, one("# A\n\nText <script>alert(1)</script> here.\n"),
                               [("W308", "a.md", 3)]),
    "html-event-handler": Case(GOOD, one('# A\n\n<p onclick="steal()">Click me</p>\n'),
                               [("W308", "a.md", 3)]),
    "html-event-handler-inline": Case(GOOD, one('# A\n\nAn <img src="x.png" alt="x" '
                                                'onerror="steal()"> image.\n',
                                                **{"x.png": png()}), [("W308", "a.md", 3)]),
    "html-iframe": Case(GOOD, one('# A\n\n<iframe src="https://example.org/"></iframe>\n'),
                        [("W308", "a.md", 3)]),
    "html-javascript-link": Case(GOOD, one('# A\n\nA <a href="javascript:alert(1)">link</a>.\n'),
                                 [("W308", "a.md", 3)]),
    "html-javascript-link-obfuscated": Case(
        GOOD, one('# A\n\nA <a href=" j&#97;va\tscript:alert(1)">link</a>.\n'),
        [("W308", "a.md", 3)]),
    "html-svg-inline": Case(GOOD, one('# A\n\n<svg><script>alert(1)</script></svg>\n'),
                            [("W308", "a.md", 3), ("W308", "a.md", 3)]),
    # --- glyphs -------------------------------------------------------------------------
    # one W400 a script: the musical G clef is Symbola's, the hieroglyph and cuneiform no font's
    "glyph-no-font-has": Case(GOOD, one("# A\n\nNo font has: \U0001D11E\U00013000\U00012000.\n"),
                              [("W400", "a.md", 3), ("W400", "a.md", 3)]),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def good_dist(tmp_path_factory) -> Path:
    """dist/ with a good book built into it (EPUB and PDF, and the checksum file)."""
    src = write_source(tmp_path_factory.mktemp("good-src"), GOOD, {"a.md": TEXT})
    dist = tmp_path_factory.mktemp("good") / "dist"
    build(src, dist)
    return dist


@pytest.mark.parametrize("name", [pytest.param(n, marks=c.marks, id=n)
                                  for n, c in CASES.items()])
def test_bad_source(name, tmp_path, good_dist):
    case = CASES[name]
    src = write_source(tmp_path / "src", case.meta, case.files)
    if case.setup:
        case.setup(src, tmp_path)
    dist = tmp_path / "dist"
    shutil.copytree(good_dist, dist)
    before = snapshot(dist)
    assert sorted(before) == ["corpus-book.epub", "corpus-book.pdf", "corpus-book.sha256"]
    with pytest.raises(SourceError) as info:
        build(src, dist)
    got = [(d.code, d.file, d.line) for d in info.value.diagnostics]
    assert got == case.expected, "\n".join(map(str, info.value.diagnostics))
    for diag in info.value.diagnostics:            # one sentence that says what to change
        assert diag.message and "\n" not in diag.message and len(diag.message) < 300
    assert snapshot(dist) == before


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c.expected[0][0] for c in CASES.values()}) >= 25   # distinct codes
