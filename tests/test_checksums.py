"""The .sha256 lists exactly the book's outputs in the folder, whatever `--format` and
`--pdf-profile` each build asked for: outputs not rebuilt are kept, checked and listed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import write_source
from warraq.output import listed as listed_names
from warraq.output import publish
from warraq.pipeline import build
from warraq.pdf.profiles import PROFILES


def listed(folder: Path, slug: str) -> dict[str, str]:
    lines = (folder / f"{slug}.sha256").read_text().splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def assert_sums_match_folder(folder: Path, slug: str) -> dict[str, str]:
    sums = listed(folder, slug)
    present = sorted(p.name for p in folder.iterdir() if p.suffix != ".sha256")
    assert sorted(sums) == present
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    return sums


@pytest.fixture(scope="module")
def src(tmp_path_factory):
    return write_source(tmp_path_factory.mktemp("sums"), {"title": "Sums", "contents": ["a.md"]},
                        {"a.md": "# Sums\n\nA text whose outputs are counted.\n"})


def test_a_narrower_build_keeps_and_lists_the_earlier_outputs(tmp_path, src):
    out = tmp_path / "dist"
    kdp = (PROFILES["print"], PROFILES["kdp"])
    full = build(src, out, ("epub", "pdf"), epoch="1700000000", profiles=kdp)
    assert sorted(assert_sums_match_folder(out, "sums")) == [
        "sums.epub", "sums.kdp.cover.pdf", "sums.kdp.pdf", "sums.pdf"]
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    # EPUB only, with other bytes: the PDFs stay, unchanged, and are still listed
    epub = build(src, out, ("epub",), epoch="1800000000")
    assert [p.name for p in epub.files] == ["sums.epub", "sums.sha256"]
    sums = assert_sums_match_folder(out, "sums")
    assert sorted(sums) == sorted(n for n in before if n != "sums.sha256")
    assert (out / "sums.epub").read_bytes() != before["sums.epub"]
    for name in ("sums.pdf", "sums.kdp.pdf", "sums.kdp.cover.pdf"):
        assert (out / name).read_bytes() == before[name]

    # PDF (print) only: the kdp files and the new EPUB stay listed
    new_epub = (out / "sums.epub").read_bytes()
    pdf = build(src, out, ("pdf",), epoch="1900000000")
    assert [p.name for p in pdf.files] == ["sums.pdf", "sums.sha256"]
    assert sorted(assert_sums_match_folder(out, "sums")) == sorted(sums)
    assert (out / "sums.epub").read_bytes() == new_epub
    assert (out / "sums.pdf").read_bytes() != before["sums.pdf"]
    assert epub.warnings == [] and pdf.warnings == []   # (kdp warns of its page count)


def test_a_torn_earlier_output_is_removed_not_listed(tmp_path, src):
    out = tmp_path / "dist"
    build(src, out)
    (out / "sums.pdf").write_bytes(b"%PDF-1.7\nnot a whole file")
    (out / "other-book.pdf").write_bytes(b"someone else's file")   # not this book's output
    result = build(src, out, ("epub",))
    assert not (out / "sums.pdf").exists()
    assert any("sums.pdf: removed an earlier output that failed its check" in w
               for w in result.warnings)
    assert sorted(listed(out, "sums")) == ["sums.epub"]
    assert (out / "other-book.pdf").read_bytes() == b"someone else's file"


def test_a_symlink_or_a_forged_name_is_neither_read_nor_listed(tmp_path, src):
    out = tmp_path / "dist"
    build(src, out)
    outside = tmp_path / "elsewhere.pdf"
    outside.write_bytes((out / "sums.pdf").read_bytes())
    (out / "sums.pdf").unlink()
    (out / "sums.pdf").symlink_to(outside)
    sums = out / "sums.sha256"
    sums.write_text(sums.read_text() + f"{'0' * 64}  ../elsewhere.pdf\n{'0' * 64}  /etc/hosts\n")
    assert listed_names(sums) == ["sums.epub", "sums.pdf"]
    publish(out, {}, "sums.sha256")
    assert listed(out, "sums") == {"sums.epub": listed(out, "sums")["sums.epub"]}
    assert outside.exists() and (out / "sums.pdf").is_symlink()
