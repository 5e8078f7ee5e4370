"""The writer contract: the pipeline orders writers by their needs and runs any writer,
built in or not, without knowing its format; files may sit in sub-folders."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pikepdf
import pytest

from warraq.pipeline import build, order
from warraq.writers import builtin

from .toy_text import PlainTextWriter

SAMPLE = Path(__file__).resolve().parents[2] / "source"


class _Named:
    def __init__(self, name, needs=()):
        self.name, self.needs = name, tuple(needs)


def test_order_puts_needs_first_and_ignores_needs_not_selected():
    a, b, c = _Named("a", ["b"]), _Named("b"), _Named("c", ["a", "missing-ok"])
    assert [w.name for w in order([a, b, c], ["c", "a", "b"])] == ["b", "a", "c"]
    # a need that is not selected is not pulled in
    assert [w.name for w in order([a, b, c], ["a"])] == ["a"]
    with pytest.raises(ValueError, match="no writer for 'zip'"):
        order([a, b], ["zip"])
    with pytest.raises(ValueError, match="need each other"):
        order([_Named("x", ["y"]), _Named("y", ["x"])], ["x", "y"])


@pytest.mark.slow
def test_a_toy_writer_builds_beside_the_epub_and_pdf(tmp_path):
    out = tmp_path / "dist"
    result = build(SAMPLE, out, ("txt", "epub", "pdf"),
                   writers=builtin() + (PlainTextWriter(),))
    names = sorted(p.relative_to(out).as_posix() for p in result.files)
    slug = result.book.slug
    assert names == sorted([f"{slug}.epub", f"{slug}.pdf", f"{slug}.txt",
                            f"text/{slug}-titles.txt", f"{slug}.sha256"])
    text = (out / f"{slug}.txt").read_text()
    with pikepdf.open(out / f"{slug}.pdf") as pdf:
        pages = len(pdf.pages)
    # the toy writer ran after the PDF writer and saw its artefact
    assert text.endswith(f"Print pages: {pages}")
    assert "Patience is often mistaken for waiting." in text
    titles = (out / "text" / f"{slug}-titles.txt").read_text().splitlines()
    assert titles == [c.title for c in result.book.chapters]
    # the checksum file lists the file in the sub-folder by its relative name
    sums = dict(reversed(line.split("  ")) for line in
                (out / f"{slug}.sha256").read_text().splitlines())
    assert set(sums) == set(names) - {f"{slug}.sha256"}
    for name, digest in sums.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


def test_output_names_cannot_leave_the_folder(tmp_path):
    from warraq.output import publish
    for bad in ("../x.txt", "/abs.txt", "a//b.txt", ".hidden", "sub/.x", "a\\b"):
        with pytest.raises(ValueError):
            publish(tmp_path / "out", {bad: b"x"})
    assert not (tmp_path / "out").exists()


def test_the_builtin_writers_are_imported_only_when_a_build_selects_them():
    """The registry knows each writer by name: the pipeline and the EPUB writer load
    without the PDF writer (nor WeasyPrint, which an EPUB-only build may never need)."""
    import subprocess
    import sys
    code = ("import sys; from warraq.pipeline import FORMATS, order; "
            "from warraq.writers import builtin; "
            "[w.needs for w in order(builtin(), ['epub'])]; "
            "print(FORMATS, sorted(m for m in sys.modules if m.split('.')[0] == 'weasyprint'"
            " or m == 'warraq.pdf.writer'))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=SAMPLE.parent,
                          capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "('epub', 'pdf') []"
    assert [w.writer.name for w in builtin()] == ["epub", "pdf"]
    assert [w.needs for w in builtin()] == [w.writer.needs for w in builtin()]
