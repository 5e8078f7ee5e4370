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
sys.path.insert(0, os.environ["WARRAQ_ROOT"])
from pathlib import Path
from warraq import journal, output
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
        if str(path).endswith(journal.JOURNAL) and "w" in mode:
            real_write = handle.write
            def write(data):
                real_write(data[: len(data) // 2]); handle.flush(); os._exit(9)
            handle.write = write
        return handle
    journal.open = torn
if os.environ.get("SOURCE"):               # a whole build, through the pipeline
    from warraq.pipeline import build
    build(os.environ["SOURCE"], sys.argv[1], ("epub",), epoch="1800000000")
else:                                      # the outputs the test staged, as files
    staged = Path(os.environ["STAGED"])
    new = {p.relative_to(staged).as_posix(): p.read_bytes()
           for p in sorted(staged.rglob("*")) if p.is_file()}
    output.publish(Path(sys.argv[1]), new, os.environ["SUMS"])
os._exit(0)
"""

def kill(dist: Path, step: str, k: int, new: dict[str, bytes] | None = None,
         cwd: Path | None = None, **env: str) -> None:
    """Publish `new` into `dist` in another process (or, with SOURCE, build), killed at
    the k-th call of `step`."""
    if new is not None:
        staged = dist.parent / f"staged-{step}-{k}"
        for name, data in new.items():
            (staged / name).parent.mkdir(parents=True, exist_ok=True)
            (staged / name).write_bytes(data)
        env = {**env, "STAGED": str(staged)}
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(dist)], capture_output=True,
                          text=True, timeout=120, cwd=cwd,
                          env={**os.environ, "WARRAQ_ROOT": str(ROOT), "STEP": step,
                               "K": str(k), "SUMS": SUMS, **env})
    assert proc.returncode == 9, proc.stderr          # it was killed where we said


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
    kill(dist, step, k, outputs("new"))
    committed = (dist / JOURNAL).exists() and step in ("replace", "unlink")
    recover(dist)                                      # what the next build does first
    assert assert_consistent(dist) == ("new" if committed else "old")


def test_a_relative_output_folder_is_journalled_and_completed(tmp_path, monkeypatch):
    """`--out dist` (relative, as the README's examples give it): the journal names the
    temporary files relative to the folder, and a kill between renames is completed."""
    monkeypatch.chdir(tmp_path)
    dist = Path("dist")
    assert [p.as_posix() for p in publish(dist, outputs("old"), SUMS)] == [
        "dist/book.epub", "dist/book.pdf", "dist/print/book.kdp.pdf", f"dist/{SUMS}"]
    kill(dist, "replace", 2, outputs("new"), cwd=tmp_path)
    steps = (dist / JOURNAL).read_text().splitlines()[1:-1]
    assert [line.split("\t")[1] for line in steps] == [*outputs("new"), SUMS]
    assert all(line.split("\t")[0].startswith((TEMP_PREFIX, f"print/{TEMP_PREFIX}"))
               for line in steps)
    recover(dist)
    assert assert_consistent(tmp_path / "dist") == "new"


def test_a_failed_build_after_a_kill_still_mends_the_set_first(tmp_path, capsys):
    dist = tmp_path / "dist"
    publish(dist, outputs("old"), SUMS)
    kill(dist, "replace", 2, outputs("new"))
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




def sums_list_only_what_is_there(folder: Path, sums: str = SUMS) -> dict[str, str]:
    """Every name the checksum file lists is a file in the folder (at every instant,
    before any recovery): {name: digest}."""
    lines = (folder / sums).read_text().splitlines()
    listed = {name: digest for digest, name in (line.split("  ", 1) for line in lines)}
    assert [n for n in listed if not (folder / n).is_file()] == []
    return listed


def narrower(old: dict[str, bytes], new_pdf: bytes) -> dict[str, bytes]:
    """The set a build of book.pdf alone leaves: the new PDF, the others kept, all listed."""
    files = {**old, "book.pdf": new_pdf}
    files.pop(SUMS, None)
    return {**files, SUMS: output.checksums(files)}


#: A narrower build publishes two files (book.pdf and the sums): two temporary files, two
#: renames; with a torn earlier output to remove, `unlink` 1 removes it and 2 the journal.
NARROW_KILLS = ([("write-temp", 1), ("write-temp", 2), ("torn-journal", 1)]
                + [("replace", k) for k in (1, 2)] + [("unlink", 1)])


@pytest.mark.parametrize("step,k", NARROW_KILLS, ids=[f"{s}-{k}" for s, k in NARROW_KILLS])
def test_a_narrower_build_killed_at_each_step_keeps_and_lists_the_earlier_outputs(
        tmp_path, step, k):
    """Issue 14's rule and the journal together: a build of book.pdf alone, killed at
    each step, leaves (once the next build has recovered) either the old set or the new
    one, in which book.epub and print/book.kdp.pdf are kept, unchanged, and listed with
    their sums; and the checksum file never lists a file that is not there."""
    dist = tmp_path / "dist"
    publish(dist, outputs("old"), SUMS)
    old = snapshot(dist)
    kill(dist, step, k, {"book.pdf": pdf("new")})
    sums_list_only_what_is_there(dist)
    committed = (dist / JOURNAL).exists() and step in ("replace", "unlink")
    recover(dist)
    assert snapshot(dist) == (narrower(old, pdf("new")) if committed else old)
    listed = sums_list_only_what_is_there(dist)
    assert sorted(listed) == ["book.epub", "book.pdf", "print/book.kdp.pdf"]
    for name, digest in listed.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name


TORN_KILLS = NARROW_KILLS + [("unlink", 2)]


@pytest.mark.parametrize("step,k", TORN_KILLS, ids=[f"{s}-{k}" for s, k in TORN_KILLS])
def test_a_torn_earlier_output_is_removed_only_after_the_new_sums_at_each_kill(
        tmp_path, step, k):
    """A kept output that fails its check is not listed and is removed, but as the
    journal's last step: killed anywhere, the old checksum file still has every file it
    lists, or the new one is in place and the torn file goes at the next build."""
    dist = tmp_path / "dist"
    publish(dist, outputs("old"), SUMS)
    (dist / "book.epub").write_bytes(b"PK torn")
    old = snapshot(dist)
    kill(dist, step, k, {"book.pdf": pdf("new")})
    sums_list_only_what_is_there(dist)
    committed = (dist / JOURNAL).exists() and step in ("replace", "unlink")
    recover(dist)
    if committed:
        new = narrower(old, pdf("new"))
        del new["book.epub"]
        new[SUMS] = output.checksums({n: d for n, d in new.items() if n != SUMS})
        assert snapshot(dist) == new
    else:
        assert snapshot(dist) == old


@pytest.mark.slow
def test_a_whole_narrower_build_killed_before_its_sums_is_completed_by_the_next(tmp_path):
    """Through the pipeline: a full build, then `--format epub` killed between renaming
    the EPUB and the `.sha256`. The next build (here one whose source has an error) first
    completes the set: the new EPUB and the PDF kept from the first build, both listed
    with sums that match."""
    src = write_source(tmp_path / "src", "title: Book\ncontents: [a.md]\n",
                       {"a.md": "# A\n\nText.\n"})
    dist = tmp_path / "dist"
    assert cli.main([str(src), "--out", str(dist)]) == 0
    first = snapshot(dist)
    kill(dist, "replace", 2, SOURCE=str(src))       # the EPUB renamed, the .sha256 not yet
    assert (dist / JOURNAL).exists()
    broken = write_source(tmp_path / "broken", "title: [broken\n", {})
    assert cli.main([str(broken), "--out", str(dist)]) == 2
    listed = sums_list_only_what_is_there(dist, "book.sha256")
    assert sorted(listed) == ["book.epub", "book.pdf"]
    for name, digest in listed.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name
    assert (dist / "book.pdf").read_bytes() == first["book.pdf"]          # kept
    assert (dist / "book.epub").read_bytes() != first["book.epub"]        # the new one
    assert not [p for p in dist.iterdir() if p.name.startswith((TEMP_PREFIX, JOURNAL))]
