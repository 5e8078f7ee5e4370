"""warraq.cli and build.py: exit 0 when built, 2 with one line per source error, 1 on an
internal fault, and never a traceback unless --debug."""

import subprocess
import sys

import pytest

from conftest import ROOT
from warraq import cli


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_build_py_builds_a_book(tmp_path, make_source):
    src = make_source({"title": "Cli Book", "contents": ["a.md"]}, {"a.md": "# A\n\nText.\n"})
    proc = run(str(src), "--out", str(tmp_path / "o"), "--format", "epub")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [f"wrote {tmp_path / 'o' / 'cli-book.epub'}",
                                        f"wrote {tmp_path / 'o' / 'cli-book.sha256'}"]


def test_source_errors_exit_2_with_one_line_each(tmp_path, make_source):
    src = make_source("title: [oops\n", {})
    proc = run(str(src), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0].startswith("book.yaml:2:1: error W101: YAML syntax")
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()


def test_missing_file_and_missing_title_are_reported_together(tmp_path, make_source):
    src = make_source("author: Someone\ncontents:\n  - there.md\n  - missing.md\n",
                      {"there.md": "# Here\n\nText.\n"})
    proc = run(str(src), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert "book.yaml:1: error W104: `title` is required" in lines[0]
    assert "Traceback" not in proc.stderr


def test_missing_chapter_file_names_its_line(tmp_path, make_source):
    src = make_source("title: T\ncontents:\n  - there.md\n  - missing.md\n",
                      {"there.md": "# Here\n\nText.\n"})
    proc = run(str(src), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "book.yaml:4: error W200: `missing.md` does not exist",
        "1 error: nothing was written."]


def test_internal_faults_exit_1_without_traceback(monkeypatch, capsys, tmp_path, make_source):
    src = make_source({"title": "T", "contents": ["a.md"]}, {"a.md": "# A\n\nB\n"})

    def boom(*_a, **_k):
        raise RuntimeError("simulated fault")
    monkeypatch.setattr(cli, "build", boom)
    assert cli.main([str(src), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: simulated fault" in err
    assert "Traceback" not in err
    assert cli.main([str(src), "--out", str(tmp_path / "o"), "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_unknown_format_is_a_usage_error(tmp_path):
    proc = run("source", "--format", "docx")
    assert proc.returncode == 2 and "formats are epub, pdf" in proc.stderr
