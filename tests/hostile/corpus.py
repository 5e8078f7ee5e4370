"""The second hostile corpus (issue 15): sources that hung the build, read outside the book,
crashed with exit 1, or were accepted though broken, each with exactly what the command
line must now say about it.

A `Case` is a source (book.yaml, files, an optional setup that makes symlinks) and the
(code, file, line) of every error line `build.py` must print, in order. `expected=None`
means the source is sound and must build (exit 0).
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from PIL import Image

TEXT = "# A chapter\n\nSome text.\n"
GOOD_YAML = "title: Hostile Book\ncontents: [a.md]\n"


@dataclass
class Case:
    """A hostile source and exactly what the build must say about it."""

    meta: str
    files: dict[str, str | bytes]
    expected: list[tuple[str, str, int | None]] | None       # (code, file, line); None: builds
    setup: Callable[[Path, Path], None] | None = None        # (source folder, its parent)
    env: dict[str, str] = field(default_factory=dict)
    budget: bool = False           # run in a subprocess under the time and memory budget
    xfail: str | None = None       # why it does not hold yet


# --- images --------------------------------------------------------------------------------

def png(width=8, height=8) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buf, "PNG")
    return buf.getvalue()


def _chunks(data: bytes):
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        yield data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def png_bad_zlib(where: str) -> bytes:
    """A PNG whose IDAT zlib stream is corrupt (`where`: `adler` the checksum at its end,
    `middle` a byte inside the deflate data), every chunk CRC recomputed so it is valid."""
    buf = io.BytesIO()
    Image.radial_gradient("L").resize((64, 64)).save(buf, "PNG")
    out = buf.getvalue()[:8]
    for kind, body in _chunks(buf.getvalue()):
        if kind == b"IDAT":
            body = bytearray(body)
            i = len(body) - 1 if where == "adler" else len(body) // 2
            body[i] ^= 0x55
            body = bytes(body)
        out += _chunk(kind, body)
    return out


def jpeg_cut_in_half() -> bytes:
    buf = io.BytesIO()
    Image.radial_gradient("L").convert("RGB").resize((256, 256)).save(buf, "JPEG", quality=95)
    data = buf.getvalue()
    return data[: len(data) // 2]


# --- setups (symlinks) ---------------------------------------------------------------------

def _yaml_symlink_out(src: Path, parent: Path) -> None:
    (parent / "secret.yaml").write_text("title: Secret Metadata\ncontents: [a.md]\n")
    (src / "book.yaml").unlink()
    os.symlink(parent / "secret.yaml", src / "book.yaml")


def _yaml_symlink_proc(src: Path, parent: Path) -> None:
    (src / "book.yaml").unlink()
    os.symlink("/proc/self/environ", src / "book.yaml")


def _yaml_symlink_loop(src: Path, parent: Path) -> None:
    (src / "book.yaml").unlink()
    os.symlink("book.yaml", src / "book.yaml")


def _loop(name: str) -> Callable[[Path, Path], None]:
    def setup(src: Path, parent: Path) -> None:
        os.symlink(name + ".b", src / name)
        os.symlink(name, src / (name + ".b"))
    return setup


def _alias_bomb(levels: int = 9, as_key: bool = False) -> str:
    """Nine levels of anchors, each a list of nine of the one before: 9**9 leaves."""
    lines = ['l0: &l0 ["lol"]']
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    body = "\n".join("  " + line for line in lines)
    tail = f"? *l{levels - 1}\n: x\n" if as_key else f"date: *l{levels - 1}\n"
    return "title: Bomb\ncontents: [a.md]\nx-anchors:\n" + body + "\n" + tail


LONG = "a" * 300                        # a 300-byte file name (the limit is 255 bytes)
FORGED = "book.yaml:1: error W104: forged"

#: Cases that do not hold yet (each fix removes its name): xfail, strict.
PENDING: dict[str, str] = {
}

CASES: dict[str, Case] = {
    # --- hangs and runaway memory ----------------------------------------------------------
    "yaml-alias-bomb-value": Case(_alias_bomb(), {"a.md": TEXT}, [("W114", "book.yaml", 5)],
                                  budget=True),
    "yaml-alias-bomb-key": Case(_alias_bomb(as_key=True), {"a.md": TEXT},
                                [("W114", "book.yaml", 5)], budget=True),
    "yaml-alias-in-front-matter": Case(GOOD_YAML, {"a.md": "---\ntype: &t chapter\ntitle: *t\n"
                                                   "---\n# A\n\nx\n"},
                                       [("W114", "a.md", 3)]),
    "word-99999-characters": Case(GOOD_YAML, {"a.md": "# A\n\n" + "x" * 99_999 + "\n"},
                                  [("W317", "a.md", 3)], budget=True),
    "title-100000-letters": Case("title: " + "T" * 100_000 + "\ncontents: [a.md]\n",
                                 {"a.md": TEXT}, [("W317", "book.yaml", 1)], budget=True),
    # --- reading outside the source folder -------------------------------------------------
    "book-yaml-symlink-out": Case(GOOD_YAML, {"a.md": TEXT}, [("W202", "book.yaml", 1)],
                                  setup=_yaml_symlink_out),
    "book-yaml-symlink-proc": Case(GOOD_YAML, {"a.md": TEXT}, [("W202", "book.yaml", 1)],
                                   setup=_yaml_symlink_proc),
    "book-yaml-symlink-loop": Case(GOOD_YAML, {"a.md": TEXT}, [("W206", "book.yaml", 1)],
                                   setup=_yaml_symlink_loop),
    # --- exit 1 for an author error --------------------------------------------------------
    "date-1900": Case(GOOD_YAML + "date: 1900-01-01\n", {"a.md": TEXT}, None),
    "date-2100": Case(GOOD_YAML + "date: 2100-06-30\n", {"a.md": TEXT}, None),
    "date-year-1": Case(GOOD_YAML + "date: 0001-01-01\n", {"a.md": TEXT}, None),
    "date-year-9999": Case(GOOD_YAML + "date: 9999-12-31\n", {"a.md": TEXT}, None),
    "date-before-1-ah-with-dateline": Case(GOOD_YAML + "date: 0600-03-01\n",
                                           {"a.md": TEXT + "\n::: dateline\nRome\n:::\n"}, None),
    "hijri-date-far-future": Case(GOOD_YAML + "hijri-date: 9002-12-30\n", {"a.md": TEXT}, None),
    "chapter-symlink-loop": Case("title: Hostile Book\ncontents:\n  - a.md\n  - loop.md\n",
                                 {"a.md": TEXT}, [("W206", "book.yaml", 4)],
                                 setup=_loop("loop.md")),
    "image-symlink-loop": Case(GOOD_YAML, {"a.md": "# A\n\n![x](loop.png)\n"},
                               [("W206", "a.md", 3)], setup=_loop("loop.png")),
    "cover-symlink-loop": Case(GOOD_YAML + "cover-image: loop.png\n", {"a.md": TEXT},
                               [("W206", "book.yaml", 3)], setup=_loop("loop.png")),
    "contents-nul-byte": Case('title: Hostile Book\ncontents: [a.md, "b\\0.md"]\n', {"a.md": TEXT},
                              [("W207", "book.yaml", 2)]),
    "link-nul-byte": Case(GOOD_YAML, {"a.md": "# A\n\nSee [x](a%00b.md).\n"},
                          [("W208", "a.md", 3)]),
    "image-nul-byte": Case(GOOD_YAML, {"a.md": "# A\n\n![x](a%00b.png)\n"},
                           [("W208", "a.md", 3)]),
    "contents-name-over-255-bytes": Case(f"title: Hostile Book\ncontents: [a.md, {LONG}.md]\n",
                                         {"a.md": TEXT}, [("W208", "book.yaml", 2)]),
    "image-name-over-255-bytes": Case(GOOD_YAML, {"a.md": f"# A\n\n![x]({LONG}.png)\n"},
                                      [("W208", "a.md", 3)]),
    "link-name-over-255-bytes": Case(GOOD_YAML, {"a.md": f"# A\n\nSee [x]({LONG}.md).\n"},
                                     [("W208", "a.md", 3)]),
    "contents-lone-surrogate": Case('title: Hostile Book\ncontents: [a.md, "\\ud800.md"]\n',
                                    {"a.md": TEXT}, [("W207", "book.yaml", 2)]),
    "title-control-character": Case('title: "Bell \\a here"\ncontents: [a.md]\n',
                                    {"a.md": TEXT}, [("W207", "book.yaml", 1)]),
    "title-3000-nested-brackets": Case("title: " + "[" * 3000 + "]" * 3000 + "\ncontents: "
                                       "[a.md]\n", {"a.md": TEXT}, [("W114", "book.yaml", 1)]),
    "front-matter-3000-nested-brackets": Case(GOOD_YAML, {"a.md": "---\ntitle: " + "{a: " * 3000
                                                          + "}" * 3000 + "\n---\n# A\n\nx\n"},
                                              [("W114", "a.md", 2)]),
    "source-date-epoch-past-9999": Case(GOOD_YAML, {"a.md": TEXT},
                                        [("W115", "SOURCE_DATE_EPOCH", None)],
                                        env={"SOURCE_DATE_EPOCH": "253402300800"}),
    "source-date-epoch-not-a-number": Case(GOOD_YAML, {"a.md": TEXT},
                                           [("W115", "SOURCE_DATE_EPOCH", None)],
                                           env={"SOURCE_DATE_EPOCH": "yesterday"}),
    "source-date-epoch-end-of-9999": Case(GOOD_YAML, {"a.md": TEXT}, None,
                                          env={"SOURCE_DATE_EPOCH": "253402300799"}),
    # --- generated pages vs chapter names --------------------------------------------------
    "chapters-named-like-generated-pages": Case(
        "title: Hostile Book\ncontents: [cover.md, titlepage.md, copyright.md, nav.md, "
        "toc.md, contents.md, css.md, ncx.md, licence-amiri.md]\n",
        {n: f"# {n[:-3].title()}\n\nThe chapter {n}.\n" for n in
         ("cover.md", "titlepage.md", "copyright.md", "nav.md", "toc.md", "contents.md",
          "css.md", "ncx.md", "licence-amiri.md")},
        None),
    # the same in an article (no title page; the copyright page ends the spine; the nav
    # is not in the spine, and the first part carries the article's title)
    "chapters-named-like-generated-pages-in-an-article": Case(
        "title: Hostile Article\nlayout: article\ncontents: [cover.md, copyright.md, nav.md, "
        "titlepage.md]\n",
        {"cover.md": "The opening part, under the article's title.\n\n## A point\n\nText.\n",
         **{n: f"# {n[:-3].title()}\n\nThe part {n}.\n" for n in
            ("copyright.md", "nav.md", "titlepage.md")}},
        None),
    # --- forged error lines ----------------------------------------------------------------
    "identifier-with-newline": Case(f'title: Hostile Book\nidentifier: "x\\n{FORGED}"\n'
                                    "contents: [a.md]\n", {"a.md": TEXT},
                                    [("W108", "book.yaml", 2)]),
    "contents-entry-with-newline": Case(f'title: Hostile Book\ncontents: ["b.md\\n{FORGED}"]\n',
                                        {"a.md": TEXT}, [("W202", "book.yaml", 2)]),
    "key-with-newline-and-bidi": Case(f'title: Hostile Book\n"k\\u202e\\n{FORGED}": 1\n'
                                      "contents: [a.md]\n", {"a.md": TEXT},
                                      [("W103", "book.yaml", 2)]),
    # --- accepted though broken ------------------------------------------------------------
    "png-zlib-checksum-corrupt": Case(GOOD_YAML, {"a.md": "# A\n\n![x](p.png)\n",
                                                  "p.png": png_bad_zlib("adler")},
                                      [("W306", "a.md", 3)]),
    "png-zlib-data-corrupt": Case(GOOD_YAML, {"a.md": "# A\n\n![x](p.png)\n",
                                              "p.png": png_bad_zlib("middle")},
                                  [("W306", "a.md", 3)]),
    "jpeg-cut-in-half": Case(GOOD_YAML, {"a.md": "# A\n\n![x](p.jpg)\n",
                                         "p.jpg": jpeg_cut_in_half()}, [("W306", "a.md", 3)]),
    "duplicate-key-in-creator": Case("title: Hostile Book\ncreator:\n  - name: A\n    name: B\n"
                                     "contents: [a.md]\n", {"a.md": TEXT},
                                     [("W113", "book.yaml", 4)]),
    "duplicate-key-deep-in-front-matter": Case(GOOD_YAML, {"a.md": "---\ntitle: A\nlang: en\n"
                                                           "lang: ar\n---\n# A\n\nx\n"},
                                               [("W113", "a.md", 4)]),
    "hijri-year-zero": Case(GOOD_YAML + "hijri-date: 0000-01-01\n", {"a.md": TEXT},
                            [("W112", "book.yaml", 3)]),
    "hijri-day-30-of-a-29-day-month": Case(GOOD_YAML + "hijri-date: 1445-01-30\n",
                                           {"a.md": TEXT}, [("W112", "book.yaml", 3)]),
}


for _name, _why in PENDING.items():
    CASES[_name].xfail = _why
