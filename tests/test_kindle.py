"""`--format azw3` through calibre's ebook-convert: a clear W502 without it; with it, a
Kindle file, converted from the EPUB of the same build, that reads back with its text
(Arabic included) and the EPUB's fonts."""

from __future__ import annotations

import io
import os
import subprocess
import zipfile

import pytest

from warraq.cli import main
from warraq.kindle import converter

ARTICLE = {"title": "الصبر والشكر", "author": "Test Author", "lang": "ar",
           "date": "2023-10-04", "layout": "article",
           "identifier": "urn:uuid:7b0d7a2e-4a4e-4a53-9d0e-0000000000a3",
           "contents": ["text.md"]}
TEXT = {"text.md": "# الصبر والشكر\n\nهذا نص قصير عن الصبر.\n\nAnd a line in English.\n"}


def test_without_calibre_azw3_is_w502_and_nothing_is_written(make_source, tmp_path,
                                                              monkeypatch, capsys):
    src = make_source(ARTICLE, TEXT)
    monkeypatch.setenv("WARRAQ_EBOOK_CONVERT", str(tmp_path / "no-such-program"))
    assert main([str(src), "--out", str(tmp_path / "out"), "--format", "epub,azw3"]) == 2
    err = capsys.readouterr().err
    assert "--format azw3: error W502: writing AZW3 needs calibre's `ebook-convert`" in err
    assert not (tmp_path / "out").exists()


def test_azw3_is_an_accepted_format_in_help():
    from warraq.cli import parser
    assert "azw3" in parser().format_help()


def test_the_azw3_converts_the_epub_of_the_same_build(make_source, tmp_path, monkeypatch):
    """With epub and azw3 asked for, the EPUB is made once and those bytes are converted."""
    import warraq.kindle as kindle
    import warraq.writers.epub as epub_writer
    from warraq.pipeline import build
    made, converted = [], []
    write_epub = epub_writer.write_epub
    monkeypatch.setattr(epub_writer, "write_epub", lambda *a, **k: made.append(1) or
                        write_epub(*a, **k))
    monkeypatch.setattr(kindle, "converter", lambda: "ebook-convert")
    monkeypatch.setattr(kindle, "convert", lambda data, slug: converted.append(data) or
                        b"BOOKMOBI")
    src = make_source(ARTICLE, TEXT)
    result = build(src, tmp_path / "out", formats=("epub", "azw3"),
                   writers=kindle.writers_for(("epub", "azw3")))
    out = tmp_path / "out" / "alsbr-walshkr"
    assert len(made) == 1
    assert converted == [out.with_suffix(".epub").read_bytes()]
    assert out.with_suffix(".azw3").read_bytes() == b"BOOKMOBI"
    assert {p.name for p in result.files} >= {"alsbr-walshkr.epub", "alsbr-walshkr.azw3"}


def _read_back(azw3, tmp_path):
    """calibre's conversion of the AZW3 back to an EPUB: (its text, its font files)."""
    back = tmp_path / "back.epub"
    env = dict(os.environ, HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    subprocess.run([converter(), str(azw3), str(back)], check=True, capture_output=True,
                   env=env, timeout=600)
    with zipfile.ZipFile(back) as zf:
        text = "".join(zf.read(n).decode("utf-8") for n in zf.namelist()
                       if n.endswith((".html", ".xhtml")))
        fonts = [zf.read(n) for n in zf.namelist()
                 if n.lower().endswith((".ttf", ".otf", ".woff"))]
    return text, fonts


@pytest.fixture(scope="module")
def azw3(tmp_path_factory):
    if converter() is None:
        pytest.skip("calibre's ebook-convert is not installed")
    from conftest import write_source
    root = tmp_path_factory.mktemp("kindle")
    src = write_source(root / "src", ARTICLE, TEXT)
    assert main([str(src), "--out", str(root / "out"), "--format", "epub,azw3"]) == 0
    return root


@pytest.mark.slow
def test_azw3_reads_back_with_its_arabic(azw3):
    data = (azw3 / "out" / "alsbr-walshkr.azw3").read_bytes()
    assert data[60:68] == b"BOOKMOBI"
    sums = (azw3 / "out" / "alsbr-walshkr.sha256").read_text()
    assert "alsbr-walshkr.azw3" in sums and "alsbr-walshkr.epub" in sums
    text, _ = _read_back(azw3 / "out" / "alsbr-walshkr.azw3", azw3)
    assert "الصبر والشكر" in text and "هذا نص قصير عن الصبر." in text


def _families(fonts) -> set[str]:
    from fontTools.ttLib import TTFont
    return {TTFont(io.BytesIO(data))["name"].getDebugName(1) for data in fonts}


@pytest.mark.slow
def test_azw3_keeps_the_embedded_fonts(azw3):
    """The EPUB's TrueType/OpenType files survive into the AZW3: the same families
    (Amiri for the Arabic among them), each file the EPUB's own."""
    _, fonts = _read_back(azw3 / "out" / "alsbr-walshkr.azw3", azw3)
    with zipfile.ZipFile(azw3 / "out" / "alsbr-walshkr.epub") as zf:
        embedded = [zf.read(n) for n in zf.namelist() if n.startswith("EPUB/fonts/")]
    assert embedded and "Amiri" in _families(embedded)
    # calibre's EPUB output obfuscates a font's first 1040 bytes (the IDPF algorithm)
    assert sorted(f[1040:] for f in fonts) == sorted(f[1040:] for f in embedded)
