"""warraq.pipeline: reproducible bytes, atomic writes, checksums, and nothing written
when the source is wrong."""

import hashlib
import os

import pytest

from conftest import SAMPLE
from warraq.errors import SourceError
from warraq.output import TEMP_PREFIX
from warraq.pipeline import build


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.slow
def test_two_builds_are_byte_identical_from_the_book_date(tmp_path, sample_build):
    again = build(SAMPLE, tmp_path)
    for first, second in zip(sample_build.files, again.files):
        assert first.name == second.name
        assert first.read_bytes() == second.read_bytes(), first.name


@pytest.mark.slow
def test_source_date_epoch_sets_the_stamp_and_is_reproducible(tmp_path):
    a = build(SAMPLE, tmp_path / "a", epoch="1700000000")
    b = build(SAMPLE, tmp_path / "b", epoch="1700000000")
    build(SAMPLE, tmp_path / "c", epoch="1700000001")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert snapshot(tmp_path / "a") != snapshot(tmp_path / "c")
    assert a.book.build_date.isoformat() == "2023-11-14T22:13:20+00:00"
    epub = next(p for p in b.files if p.suffix == ".epub")
    import zipfile
    opf = zipfile.ZipFile(epub).read("EPUB/content.opf").decode()
    assert "<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>" in opf


def test_checksum_file_lists_every_output(sample_build):
    sums = next(p for p in sample_build.files if p.suffix == ".sha256")
    lines = sums.read_text().splitlines()
    outputs = [p for p in sample_build.files if p.suffix in (".epub", ".pdf")]
    assert sorted(lines) == sorted(
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for p in outputs)
    assert {p.name for p in outputs} == {"patience-and-gratitude.epub",
                                         "patience-and-gratitude.pdf"}


def test_a_failed_build_leaves_previous_outputs_untouched(tmp_path, make_source):
    good = make_source({"title": "Keep Me", "contents": ["a.md"]}, {"a.md": "# A\n\nText.\n"})
    out = tmp_path / "dist"
    build(good, out)
    before = snapshot(out)
    (good / "a.md").write_text("# A\n\nText.[^nowhere]\n")
    with pytest.raises(SourceError):
        build(good, out)
    assert snapshot(out) == before


def test_stale_temporary_files_are_removed_by_the_next_build(tmp_path, make_source):
    src = make_source({"title": "T", "contents": ["a.md"]}, {"a.md": "# A\n\nText.\n"})
    out = tmp_path / "dist"
    out.mkdir()
    (out / f"{TEMP_PREFIX}abc.pdf").write_bytes(b"torn")
    build(src, out, ("epub",))
    assert not [p for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert sorted(p.name for p in out.iterdir()) == ["t.epub", "t.sha256"]


def test_format_selection(tmp_path, make_source):
    src = make_source({"title": "Only Print", "contents": ["a.md"]}, {"a.md": "# A\n\nB\n"})
    result = build(src, tmp_path / "o", ("pdf",))
    assert [p.name for p in result.files] == ["only-print.pdf", "only-print.sha256"]
    assert os.path.getsize(result.files[0]) > 1000
