"""warraq.pdf.writer with several processes: the PDFs and the EPUB (whose page-list
comes from the first profile's layout) are the same bytes as a one-process build's,
what WeasyPrint says in a worker reaches this process's logger, and a failed profile
in a worker stops the build with nothing written."""

import logging

import pytest

from conftest import SAMPLE, write_source
from warraq.errors import SourceError
from warraq.pdf import book as print_book
from warraq.pdf.profiles import PROFILES
from warraq.pipeline import build, render, prepare


def _files(result) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in result.files}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return write_source(tmp_path_factory.mktemp("small"), {
        "title": "Small", "author": "A. Writer", "lang": "en", "date": "2024-01-01",
        "contents": ["a.md", "b.md"]}, {
        "a.md": "# One\n\nText with a note.[^n]\n\n[^n]: The note.\n",
        "b.md": "# Two\n\n" + "More text, and more. " * 80 + "\n"})


def test_two_processes_make_the_bytes_one_makes(small, tmp_path):
    profiles = (PROFILES["print"], PROFILES["screen"])
    one = build(small, tmp_path / "one", ("epub", "pdf"), profiles=profiles, jobs=1)
    two = build(small, tmp_path / "two", ("epub", "pdf"), profiles=profiles, jobs=2)
    assert _files(one) == _files(two)
    assert sorted(_files(two)) == ["small.epub", "small.pdf", "small.screen.pdf",
                                   "small.sha256"]
    assert {k: r.pages for k, r in one.reports.items()} == {
        k: r.pages for k, r in two.reports.items()}


def test_the_epub_gets_the_page_map_from_the_worker(small):
    rendered = render(prepare(small), ("epub", "pdf"), jobs=2)
    page_map = rendered.artefacts["page-map"]
    assert page_map is not None and page_map.pages
    assert rendered.artefacts["page-counts"] == {"small.pdf": rendered.checks[
        "small.pdf"].pages}
    assert not rendered.pending


@pytest.mark.slow
def test_every_profile_of_the_sample_in_parallel_is_the_serial_bytes(tmp_path):
    profiles = tuple(PROFILES.values())
    one = build(SAMPLE, tmp_path / "one", ("epub", "pdf"), profiles=profiles, jobs=1)
    two = build(SAMPLE, tmp_path / "two", ("epub", "pdf"), profiles=profiles, jobs=2)
    assert _files(one) == _files(two) and len(_files(one)) == 9


@pytest.mark.allow_weasyprint_warnings
def test_what_weasyprint_says_in_a_worker_reaches_this_logger(small, monkeypatch):
    real = print_book.render_pdf

    def saying(*args, **kwargs):
        logging.getLogger("weasyprint").warning("said in pid-independent words")
        return real(*args, **kwargs)
    monkeypatch.setattr(print_book, "render_pdf", saying)   # the forked worker has it
    heard: list[str] = []

    class Ear(logging.Handler):
        def emit(self, record):
            heard.append(record.getMessage())
    ear = Ear(logging.WARNING)
    logging.getLogger("weasyprint").addHandler(ear)
    try:
        render(prepare(small), ("epub", "pdf"), jobs=2)
    finally:
        logging.getLogger("weasyprint").removeHandler(ear)
    assert heard == ["said in pid-independent words"]


def test_a_profile_failing_in_a_worker_stops_the_build(small, tmp_path, monkeypatch):
    real = print_book.render_pdf

    def refuse(book, profile, *args, **kwargs):
        if profile.name == "screen":
            from warraq.errors import source_error
            raise source_error("small.screen.pdf", None, "W501", "refused on purpose")
        return real(book, profile, *args, **kwargs)
    monkeypatch.setattr(print_book, "render_pdf", refuse)
    out = tmp_path / "dist"
    with pytest.raises(SourceError) as err:
        build(small, out, ("epub", "pdf"), profiles=(PROFILES["print"], PROFILES["screen"]),
              jobs=2)
    assert [d.message for d in err.value.diagnostics] == ["refused on purpose"]
    assert not out.exists()


HANDED = """
import sys
import warraq.background as bg
real = bg.Warm.take
def take(self, target, args, tidy):
    got = real(self, target, args, tidy)
    print("handed", got is not None, "weasyprint" in sys.modules)
    return got
bg.Warm.take = take
from warraq.cli import main
sys.exit(main([sys.argv[1], "--out", sys.argv[2], "--format", "epub,pdf", "--jobs", "2"]))
"""


def test_the_print_work_goes_to_a_process_that_imported_weasyprint_meanwhile(small,
                                                                              tmp_path):
    """The build forks its print worker before it reads the source: the work is handed
    to it, and this process has not imported WeasyPrint by then (it needs 0.3 s)."""
    import subprocess
    import sys

    from conftest import ROOT
    proc = subprocess.run([sys.executable, "-c", HANDED, str(small), str(tmp_path / "o")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "handed True False" in proc.stdout
    one = build(small, tmp_path / "one", ("epub", "pdf"), jobs=1)
    assert _files(one) == {p.name: p.read_bytes() for p in (tmp_path / "o").iterdir()}
