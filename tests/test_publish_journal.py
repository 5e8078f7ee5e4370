"""Fault injection into `output.publish`: the build is killed (`os._exit`, no cleanup at all)
at each step of the publish: while writing the temporary files, while writing the
journal, at each rename, before the journal is removed. The next build then sees a
consistent set: every file is the old one or every file is the new one, the `.sha256`
matches, and no temporary file or journal is left. Not timing luck: the kill is at the
k-th call of the step's system call.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, write_source
from warraq import cli, output
from warraq.errors import SourceError
from warraq.output import JOURNAL, TEMP_PREFIX, publish, recover

SUMS = "book.sha256"


def epub(version: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        zf.writestr(zipfile.ZipInfo("META-INF/container.xml"),       # fixed timestamps
                    f"<container version='{version}'/>")
    return buf.getvalue()


def pdf(version: str) -> bytes:
    return f"%PDF-1.7\n% {version}\nstartxref\n0\n%%EOF\n".encode()


def outputs(version: str) -> dict[str, bytes]:
    return {"book.epub": epub(version), "book.pdf": pdf(version),
            "print/book.kdp.pdf": pdf(version + " kdp")}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def expected(version: str) -> dict[str, bytes]:
    files = outputs(version)
    return {**files, SUMS: output.checksums(files)}


def assert_consistent(folder: Path) -> str:
    """Old or new, whole, with matching sums and nothing left over; returns which."""
    files = snapshot(folder)
    assert not [n for n in files if Path(n).name.startswith((TEMP_PREFIX, JOURNAL))], files
    for line in files[SUMS].decode().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    for version in ("old", "new"):
        if files == expected(version):
            return version
    pytest.fail(f"a mixed set: {sorted(files)}")


DRIVER = r"""
import os, sys
sys.path.insert(0, os.environ["WARRAQ_ROOT"]); sys.path.insert(0, os.environ["TESTS"])
from pathlib import Path
from warraq import output
from test_publish_journal import outputs, SUMS
step, k = os.environ["STEP"], int(os.environ["K"])
calls = [0]
def kill_at_k(real):
    def wrapper(*args, **kwargs):
        calls[0] += 1
        if calls[0] == k:
            os._exit(9)                    # killed: no finally, no cleanup
        return real(*args, **kwargs)
    return wrapper
if step == "replace":
    os.replace = kill_at_k(os.replace)
elif step == "unlink":
    os.unlink = kill_at_k(os.unlink)
elif step == "write-temp":
    output._write_temp = kill_at_k(output._write_temp)
elif step == "torn-journal":
    real_open = open
    def torn(path, mode="r", *a, **kw):
        handle = real_open(path, mode, *a, **kw)
        if str(path).endswith(output.JOURNAL) and "w" in mode:
            real_write = handle.write
            def write(data):
                real_write(data[: len(data) // 2]); handle.flush(); os._exit(9)
            handle.write = write
        return handle
    output.open = torn
output.publish(Path(sys.argv[1]), outputs("new"), SUMS)
os._exit(0)
"""

#: (step, k): every system call of the publish that a kill can land at. There are four
#: outputs (three files and the sums), so four renames; `unlink` 1 removes the journal.
KILLS = ([("write-temp", k) for k in (1, 3)] + [("torn-journal", 1)]
         + [("replace", k) for k in (1, 2, 3, 4)] + [("unlink", 1)])


@pytest.mark.parametrize("step,k", KILLS, ids=[f"{s}-{k}" for s, k in KILLS])
def test_a_build_killed_at_each_step_of_the_publish_leaves_a_set_the_next_build_mends(
        tmp_path, step, k):
    dist = tmp_path / "dist"
    publish(dist, outputs("old"), SUMS)
    assert assert_consistent(dist) == "old"
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(dist)], capture_output=True,
                          text=True, timeout=60,
                          env={**os.environ, "WARRAQ_ROOT": str(ROOT), "STEP": step,
                               "K": str(k), "TESTS": str(Path(__file__).parent)})
    assert proc.returncode == 9, proc.stderr          # it was killed where we said
    committed = (dist / JOURNAL).exists() and step in ("replace", "unlink")
    recover(dist)                                      # what the next build does first
    assert assert_consistent(dist) == ("new" if committed else "old")


def test_a_failed_build_after_a_kill_still_mends_the_set_first(tmp_path, capsys):
    dist = tmp_path / "dist"
    publish(dist, outputs("old"), SUMS)
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(dist)], capture_output=True,
                          env={**os.environ, "WARRAQ_ROOT": str(ROOT), "STEP": "replace",
                               "K": "2", "TESTS": str(Path(__file__).parent)}, timeout=60)
    assert proc.returncode == 9
    src = write_source(tmp_path / "src", "title: [broken\n", {})
    assert cli.main([str(src), "--out", str(dist)]) == 2      # a source error, yet:
    assert assert_consistent(dist) == "new"


def test_a_rename_that_fails_says_the_set_is_incomplete_and_the_next_build_completes_it(
        tmp_path, monkeypatch):
    dist = tmp_path / "dist"
    publish(dist, outputs("old"), SUMS)
    real, calls = os.replace, []

    def failing(a, b):
        calls.append(b)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real(a, b)
    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(SourceError) as info:
        publish(dist, outputs("new"), SUMS)
    assert info.value.partly_written
    assert "nothing was written" not in "\n".join(info.value.report())
    assert "completes them" in info.value.report()[-1]
    monkeypatch.setattr(os, "replace", real)
    recover(dist)
    assert assert_consistent(dist) == "new"


@pytest.mark.parametrize("blocker", ["book.pdf", "print/book.kdp.pdf", "print", SUMS])
def test_a_folder_where_an_output_goes_is_found_before_anything_is_replaced(tmp_path,
                                                                           blocker):
    dist = tmp_path / "dist"
    publish(dist, {"book.epub": epub("old")}, "old.sha256")
    if blocker == "print":
        (dist / "print").write_text("a file where the folder goes")
    else:
        (dist / blocker).mkdir(parents=True)
    before = snapshot(dist)
    with pytest.raises(SourceError) as info:
        publish(dist, outputs("new"), SUMS)
    [diag] = info.value.diagnostics
    assert diag.code == "W500" and "nothing was written" in diag.message
    assert not info.value.partly_written
    assert snapshot(dist) == before                         # true: not one file replaced
    assert not [p for p in dist.rglob("*") if p.name.startswith((TEMP_PREFIX, JOURNAL))]


def test_a_torn_or_foreign_journal_is_rolled_back_not_followed(tmp_path):
    dist = tmp_path / "dist"
    publish(dist, outputs("old"), SUMS)
    (tmp_path / "victim").write_text("outside")
    (dist / f"{TEMP_PREFIX}x").write_bytes(b"new")
    for text in ["warraq publish journal 1\n.warraq-tmp-x\tbook.pdf\n",          # torn
                 f"warraq publish journal 1\n{TEMP_PREFIX}x\t../victim\nend\n"]:  # outside
        (dist / f"{TEMP_PREFIX}x").write_bytes(b"new")
        (dist / JOURNAL).write_text(text)
        recover(dist)
        assert assert_consistent(dist) == "old"
        assert (tmp_path / "victim").read_text() == "outside"


def test_through_the_command_line_a_folder_in_the_way_replaces_nothing(tmp_path, capsys):
    """The issue's case: dist/book.epub/ is a folder. The build says so, exit 2, and the
    PDF and .sha256 already there are untouched, with no temporary file left."""
    src = write_source(tmp_path / "src", "title: Book\ncontents: [a.md]\n",
                       {"a.md": "# A\n\nText.\n"})
    dist = tmp_path / "dist"
    assert cli.main([str(src), "--out", str(dist), "--format", "pdf"]) == 0
    (dist / "book.epub").mkdir()
    before = snapshot(dist)
    (src / "a.md").write_text("# A\n\nOther text.\n")
    assert cli.main([str(src), "--out", str(dist)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{dist / 'book.epub'}: error W500: a folder stands where")
    assert err[-1] == "1 error: nothing was written."
    assert snapshot(dist) == before
