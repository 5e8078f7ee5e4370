"""warraq.output: outputs are checked before they replace anything, writes that fail are
clear errors, builds racing into one folder leave one consistent set, and a killed build
leaves the previous outputs intact (and its temporary files are gone after the next)."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, write_source
from warraq import cli, output
from warraq.errors import SourceError
from warraq.output import TEMP_PREFIX, OutputCheckError, check_output, publish
from warraq.pipeline import build


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def temps(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]


def sums_match(folder: Path) -> bool:
    [sums] = folder.glob("*.sha256")
    lines = sums.read_text().splitlines()
    return bool(lines) and all(
        hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
        for digest, name in (line.split("  ") for line in lines))


@pytest.fixture(scope="module")
def small_src(tmp_path_factory):
    return write_source(tmp_path_factory.mktemp("small"), {"title": "Small", "contents": ["a.md"]},
                        {"a.md": "# Small\n\nA short text.\n"})


# --- checks of the bytes ------------------------------------------------------------------

def test_a_torn_epub_or_pdf_fails_its_check(sample_build):
    epub = next(p for p in sample_build.files if p.suffix == ".epub").read_bytes()
    pdf = next(p for p in sample_build.files if p.suffix == ".pdf").read_bytes()
    check_output("x.epub", epub)
    check_output("x.pdf", pdf)
    for name, data in [("x.epub", epub[: len(epub) // 2]), ("x.pdf", pdf[: len(pdf) // 2]),
                       ("x.epub", b""), ("x.pdf", b"%PDF-1.7\n")]:
        with pytest.raises(OutputCheckError):
            check_output(name, data)
    # an EPUB whose mimetype is not first and stored
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("META-INF/container.xml", "<container/>")
        zf.writestr("mimetype", "application/epub+zip")
    with pytest.raises(OutputCheckError, match="mimetype"):
        check_output("x.epub", buf.getvalue())


def test_an_output_that_fails_its_check_replaces_nothing(tmp_path, small_src):
    out = tmp_path / "dist"
    build(small_src, out)
    before = snapshot(out)
    with pytest.raises(SourceError) as info:
        publish(out, {"small.pdf": b"%PDF-1.7 torn", "small.epub": before["small.epub"]},
                "small.sha256")
    assert [(d.code, d.file) for d in info.value.diagnostics] == [("W501", str(out / "small.pdf"))]
    assert snapshot(out) == before


# --- failures to write ----------------------------------------------------------------------

def test_an_output_folder_that_cannot_be_made_is_a_clear_error(tmp_path, small_src, capsys):
    (tmp_path / "file").write_text("in the way")
    for out in (tmp_path / "file", tmp_path / "file" / "dist"):
        assert cli.main([str(small_src), "--out", str(out), "--format", "epub"]) == 2
        err = capsys.readouterr().err
        assert err.splitlines()[0].startswith(f"{out}: error W500: ")
        assert "--out" in err and "Traceback" not in err and "internal error" not in err
    assert (tmp_path / "file").read_text() == "in the way"


@pytest.mark.slow
def test_a_full_disk_midway_writes_nothing_and_leaves_no_temporary_file(tmp_path, small_src,
                                                                       monkeypatch):
    out = tmp_path / "dist"
    build(small_src, out)
    before = snapshot(out)
    real, calls = output._write_temp, []

    def fill_up(folder, name, data):
        calls.append(name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(folder, name, data)
    monkeypatch.setattr(output, "_write_temp", fill_up)
    with pytest.raises(SourceError) as info:
        build(small_src, out, epoch="1700000000")       # other bytes than `before`
    [diag] = info.value.diagnostics
    assert diag.code == "W500" and "No space left on device" in diag.message
    assert snapshot(out) == before and temps(out) == []


# --- builds that run at once, or are killed -----------------------------------------------

DRIVER = r"""
import os, sys, time
from pathlib import Path
sys.path.insert(0, os.environ["WARRAQ_ROOT"])
import warraq.pdf.fetcher, warraq.output
mode, signal_file = os.environ["DRIVER_MODE"], Path(os.environ["DRIVER_SIGNAL"])
if mode == "delays":                 # sleep before each rename: widen the race window
    delays, real = [float(x) for x in os.environ["DRIVER_DELAYS"].split(",")], os.replace
    def replace(a, b):
        time.sleep(delays.pop(0) if delays else 0)
        real(a, b)
    os.replace = replace
elif mode == "hang-in-render":       # stop inside WeasyPrint, at its first font fetch
    real_fetch = warraq.pdf.fetcher.Fetcher.fetch
    def fetch(self, url, headers=None):
        signal_file.write_text("rendering")
        time.sleep(120)
        return real_fetch(self, url, headers)
    warraq.pdf.fetcher.Fetcher.fetch = fetch
elif mode == "hang-before-rename":   # stop when every temporary file is written
    def replace(a, b):
        signal_file.write_text("renaming")
        time.sleep(120)
    os.replace = replace
from warraq.cli import main
sys.exit(main(sys.argv[1:]))
"""


def driver(mode: str, args: list[str], tmp_path: Path, **env) -> tuple[subprocess.Popen, Path]:
    signal_file = tmp_path / f"signal-{mode}-{time.monotonic_ns()}"
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, *args],
        env={**os.environ, "WARRAQ_ROOT": str(ROOT), "DRIVER_MODE": mode,
             "DRIVER_SIGNAL": str(signal_file), **env},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, signal_file


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < end, "the build never reached the point to kill it at"
        time.sleep(0.02)


@pytest.mark.slow
def test_two_builds_at_once_leave_one_consistent_set(tmp_path, small_src):
    """Two builds of the same book with other timestamps (so other bytes) into one folder.
    Their renames are slowed so that, unserialised, one would replace the EPUB last and
    the other the checksum file last; the lock makes each write its set whole."""
    out = tmp_path / "dist"
    expected = {}
    for epoch in ("1700000000", "1800000000"):
        build(small_src, tmp_path / epoch, ("epub",), epoch=epoch)
        expected[epoch] = snapshot(tmp_path / epoch)
    assert expected["1700000000"] != expected["1800000000"]
    args = [str(small_src), "--out", str(out), "--format", "epub"]
    a, _ = driver("delays", args, tmp_path, SOURCE_DATE_EPOCH="1700000000",
                  DRIVER_DELAYS="0.1,1.2")
    b, _ = driver("delays", args, tmp_path, SOURCE_DATE_EPOCH="1800000000",
                  DRIVER_DELAYS="0.6,0.1")
    for proc in (a, b):
        assert proc.wait(timeout=120) == 0, proc.communicate()
    final = snapshot(out)
    assert final in (expected["1700000000"], expected["1800000000"])
    assert sums_match(out)
    check_output("small.epub", final["small.epub"])


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["hang-in-render", "hang-before-rename"])
def test_a_killed_build_leaves_the_previous_outputs(tmp_path, mode):
    src = write_source(tmp_path / "src", {"title": "Killed", "contents": ["a.md"]},
                       {"a.md": "# Killed\n\nFirst version.\n"})
    out = tmp_path / "dist"
    build(src, out)
    before = snapshot(out)
    (src / "a.md").write_text("# Killed\n\nSecond version, never finished.\n")
    proc, signal_file = driver(mode, [str(src), "--out", str(out)], tmp_path)
    wait_for(signal_file, proc)
    if mode == "hang-before-rename":     # the temporary files are there, the outputs not yet
        assert len(temps(out)) == 3
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    leftovers = temps(out) + [output.JOURNAL] * (mode == "hang-before-rename")
    assert {k: v for k, v in snapshot(out).items() if k not in leftovers} == before
    assert len(leftovers) == (4 if mode == "hang-before-rename" else 0)   # 3 + the journal

    result = build(src, out)                                # the next build cleans up
    assert temps(out) == [] and not (out / output.JOURNAL).exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(before)
    assert snapshot(out) != before and sums_match(out)
    assert [p.name for p in result.files] == ["killed.pdf", "killed.epub", "killed.sha256"]


def test_too_many_errors_are_counted_not_listed(tmp_path, capsys):
    text = "# A\n\n" + "".join(f"Line {n}.[^missing{n}]\n\n" for n in range(150))
    src = write_source(tmp_path / "src", {"title": "Noisy", "contents": ["a.md"]}, {"a.md": text})
    assert cli.main([str(src), "--out", str(tmp_path / "o")]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 102
    assert lines[0].startswith("a.md:3: error W304:")
    assert lines[99].startswith("a.md:201: error W304:")
    assert lines[100:] == ["... and 50 more errors not shown: fix these first",
                           "150 errors: nothing was written."]
    assert not (tmp_path / "o").exists()


def test_build_outputs_of_the_sample_are_checked_sound(sample_build):
    for path in sample_build.files:
        check_output(path.name, path.read_bytes())
    assert sums_match(sample_build.files[0].parent)
    assert SAMPLE.is_dir()


def test_a_refused_url_that_escapes_the_pipeline_is_still_a_clear_error(monkeypatch, capsys,
                                                                        small_src, tmp_path):
    from warraq.pdf.fetcher import RefusedURL

    def refuse(*_args, **_kwargs):
        raise RefusedURL("http://169.254.169.254/latest/meta-data/")
    monkeypatch.setattr(cli, "build", refuse)
    assert cli.main([str(small_src), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("(book): error W307: the book asks for "
                                          "`http://169.254.169.254/latest/meta-data/`")
    assert "Traceback" not in err
