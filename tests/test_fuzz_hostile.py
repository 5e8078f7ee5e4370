"""Fuzzing the hostile classes of issue 15: generated book.yaml (aliases, deep nesting,
duplicate keys at any depth, control characters, bidi controls, lone surrogates, long
words, dates of any year, Hijri dates; articles and right-to-left books, whose code paths
differ), paths (NUL, `..`, absolute, over-long names,
symlink loops, symlinks out) and Markdown (long words, nested brackets, hostile links
and images; the conventions: a verse and a closing dateline with dates of any year), with
SOURCE_DATE_EPOCH of any kind.

Each example must either load (and then its EPUB must be well-formed XML) or fail with
a `SourceError` whose every line is one printable `file:line: error CODE:` line of a
registered code; never another exception, never more than a few seconds.

CI runs 40 examples from a fixed seed (`derandomize=True`); a long run, with new random
examples each time: `WARRAQ_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest
tests/test_fuzz_hostile.py` (about a second an example on two cores).
"""

from __future__ import annotations

import pytest

import os
import tempfile
import time
import zipfile
from io import BytesIO
from pathlib import Path
from unittest import mock

import lxml.etree as ET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warraq.cover import Cover
from warraq.errors import CODES, SourceError
from warraq.pipeline import prepare
from warraq.writers import epub_fonts
from warraq.writers.epub import write_epub

#: the print-finish and fuzz checks take seconds each: the full suite runs them
pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("WARRAQ_FUZZ_EXAMPLES", "40"))
#: A long run (WARRAQ_FUZZ_EXAMPLES set) explores new examples each time; CI's is fixed.
FIXED_SEED = "WARRAQ_FUZZ_EXAMPLES" not in os.environ
SECONDS = 5
PARSER = ET.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
PLAIN_COVER = Cover(data=b"\x89PNG\r\n\x1a\n", media_type="image/png", width=1600,
                    height=2400, alt="Cover", file_name="cover.png")

#: Pieces of YAML scalars, as double-quoted YAML escapes where they are characters.
HOSTILE = ["plain", "\\n", "\\0", "\\a", "\\x1b", "\\u202e", "\\u2066", "\\ud800", "\\t",
           "book.yaml:1: error W104: forged", "`", "\\\\", "&amp;", "<b>", "قال", "\\u00a0",
           "x" * 1001, "y" * 999, "\\uffff", "\\x85"]
PATHS = ["a.md", "b.md", "../out.md", "/etc/hostname.md", "a%00.md", "loop.md", "link.md",
         "sub/../a.md", "n" * 300 + ".md", "c:x.md", "a.md\\nforged", "\\u202ea.md",
         "\\ud800.md", "dir.md", "", " "]
TARGETS = ["p.png", "loop.png", "../out.png", "a%00b.png", "q" * 300 + ".png",
           "http://example.org/x.png", "#nowhere", "file:///etc/passwd", "sub", "%2e%2e/out.png",
           "b.md", "mailto:a@b.example", "https://example.org/"]


def quoted(parts: list[str]) -> str:
    return '"' + "".join(parts).replace('"', "'") + '"'


scalar = st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=3).map(quoted)
date = st.tuples(st.integers(0, 10000), st.integers(0, 13), st.integers(0, 32)).map(
    lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}")


@st.composite
def value(draw, depth=0):
    kind = draw(st.integers(0, 9 if depth < 3 else 4))
    if kind <= 3:
        return draw(scalar)
    if kind == 4:
        return draw(date)
    if kind == 5:
        return "[" + ", ".join(draw(st.lists(value(depth + 1), max_size=3))) + "]"
    if kind == 6:
        keys = draw(st.lists(st.sampled_from(["name", "role", "text", "file-as", "x"]),
                             max_size=3))
        return "{" + ", ".join(f"{k}: {draw(value(depth + 1))}" for k in keys) + "}"
    if kind == 7:
        n = draw(st.integers(30, 3000))
        return "[" * n + "]" * n
    if kind == 8:
        return "*a"                               # an alias (the anchor may not exist)
    return "&a " + draw(scalar)


KEYS = ["title", "subtitle", "creator", "author", "date", "hijri-date", "identifier",
        "lang", "cover-image", "keywords", "title", "x-unknown", '"ti\\ntle"', "layout",
        "lang", "digits", "conventions"]
#: Sound values of the keys that choose a code path (the article rule, right to left,
#: the conventions), drawn as often as hostile ones.
CHOICES = {"layout": ["article", "book"], "lang": ["ar", "fa", "ur", "he", "en"],
           "digits": ["western", "arabic"], "conventions": ["false", "true"]}


@st.composite
def book_yaml(draw) -> str:
    lines = [f"title: {draw(scalar)}"] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(0, 4))):
        key = draw(st.sampled_from(KEYS))
        sound = key in CHOICES and draw(st.booleans())
        lines.append(f"{key}: {draw(st.sampled_from(CHOICES[key])) if sound else draw(value())}")
    entries = draw(st.lists(st.sampled_from(PATHS), min_size=0, max_size=3))
    lines.append("contents: [" + ", ".join(['"a.md"'] + [quoted([e]) for e in entries]) + "]")
    draw(st.randoms()).shuffle(lines)
    return "\n".join(lines) + "\n"


@st.composite
def markdown(draw) -> str:
    head = ""
    if draw(st.integers(0, 3)) == 0:
        head = f"---\ntitle: {draw(value())}\nlang: en\n---\n"
    parts = ["# " + draw(st.sampled_from(["A", "[" * 40 + "x" + "]" * 40, "y" * 1001]))]
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 4))
        target = draw(st.sampled_from(TARGETS))
        if kind == 0:
            parts.append(f"![alt]({target})")
        elif kind == 1:
            parts.append(f"[link]({target})")
        elif kind == 2:
            parts.append("w" * draw(st.sampled_from([10, 999, 1000, 1001, 5000])))
        elif kind == 3:
            n = draw(st.integers(1, 3000))
            parts.append("[" * n + "x" + "]" * n)
        else:
            parts.append("Plain text, قال, \u202e reversed.")
    if draw(st.booleans()):                      # the conventions: a verse, a closing dateline
        parts.insert(1, "[إِنَّ مَعَ الْعُسْرِ يُسْرًا]\n\nWith hardship, ease.\n\n"
                     f"[Al-Sharh: {draw(st.sampled_from(['6', '0', '999', '٦']))}]")
        hijri = draw(st.sampled_from(["10 Dhul-Hijjah 1445 AH", "30 Ramadan 0000 AH",
                                      "١٠ ذو الحجة ٩٩٩٩ هـ", "1 Muharram 1 AH", "99 Safar 1317"]))
        greg = draw(st.sampled_from(["16 June 2024 CE", "29 February 1900", "1 January 0001",
                                     "١٦ يونيو ٢٠٢٤ م", "December 31, 9999"]))
        parts.append(f"Leeds, {hijri}\n{greg}")
    return head + "\n\n".join(parts) + "\n"


def make_folder(root: Path, meta: str, text: str) -> Path:
    src = root / "src"
    src.mkdir()
    (src / "book.yaml").write_text(meta, encoding="utf-8")
    (src / "a.md").write_text(text, encoding="utf-8")
    (src / "b.md").write_text("# B\n\nB.\n", encoding="utf-8")
    (root / "out.md").write_text("# Out\n\nSecret.\n", encoding="utf-8")
    (root / "out.png").write_bytes(b"\x89PNG\r\n\x1a\nsecret")
    (src / "sub").mkdir()
    (src / "dir.md").mkdir()
    os.symlink("loop.md", src / "loop.md")
    os.symlink("loop.png", src / "loop.png")
    os.symlink(root / "out.md", src / "link.md")
    from PIL import Image
    Image.new("RGB", (4, 4), "teal").save(src / "p.png")
    return src


def check(meta: str, text: str, epoch: str | None) -> bool:
    """True if it loaded; asserts the failure is clean otherwise."""
    with tempfile.TemporaryDirectory() as folder:
        src = make_folder(Path(folder), meta, text)
        start = time.monotonic()
        try:
            book = prepare(src, epoch)
        except SourceError as err:
            assert err.diagnostics and all(d.code in CODES for d in err.diagnostics)
            for line in err.report():
                assert "\n" not in line and line.isprintable(), repr(line)
                line.encode("utf-8")
            assert time.monotonic() - start < SECONDS
            return False
        with mock.patch.object(epub_fonts, "book_fonts", return_value=[]):
            data = write_epub(book, cover=PLAIN_COVER)
        assert time.monotonic() - start < SECONDS
    with zipfile.ZipFile(BytesIO(data)) as zf:
        names = zf.namelist()
        assert len(names) == len(set(names))
        for name in names:
            if name.endswith((".xhtml", ".opf", ".ncx")):
                ET.fromstring(zf.read(name), PARSER)
    return True


EPOCHS = st.one_of(st.none(), st.sampled_from(["", "0", "1700000000", "253402300799",
                                               "253402300800", "-1", "1e9", "99999999999999",
                                               " 5 ", "٣"]))


def test_generated_hostile_sources_load_or_fail_cleanly():
    outcomes = {True: 0, False: 0}

    @settings(max_examples=EXAMPLES, derandomize=FIXED_SEED, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much])
    @given(book_yaml(), markdown(), EPOCHS)
    def run(meta, text, epoch):
        outcomes[check(meta, text, epoch)] += 1
    run()
    # the generator reaches the hostile classes, and sound books too
    assert outcomes[False] > EXAMPLES // 4 and outcomes[True] > 0, outcomes


def test_a_plain_book_from_the_same_machinery_loads():
    assert check('title: "T"\ncontents: ["a.md"]\n', "# A\n\nText.\n", None)
