"""The `warraq` command (`python -m warraq`): version, help with exit codes, unknown
commands and options, a missing source, `new`, `check`, and what a build shows: plain
lines off a terminal, a progress display and colour on one (a pseudo-terminal), nothing
with --quiet, and a summary that matches the files written."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

import warraq
from conftest import ROOT
from warraq import commands

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")       # anything but \t and \n
SGR = re.compile(r"\x1b\[[0-9;]*m")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


def env(**extra) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return {**base, "PYTHONPATH": str(ROOT), **extra}


def warraq_cmd(*args, cwd, **extra):
    return subprocess.run([sys.executable, "-m", "warraq", *args], cwd=cwd, env=env(**extra),
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def article(tmp_path_factory):
    folder = tmp_path_factory.mktemp("starter") / "essay"
    assert commands.main(["new", "article", str(folder)]) == 0
    return folder


def test_version_comes_from_one_place(tmp_path):
    proc = warraq_cmd("--version", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == f"warraq {warraq.__version__}\n"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "warraq.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", warraq.__version__)


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["check", "--help"],
                                  ["new", "--help"]])
def test_help_names_the_exit_codes(tmp_path, args):
    proc = warraq_cmd(*args, cwd=tmp_path)
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "exit status: 0 " in text and "2 " in text
    if args[0] in ("--help", "build"):
        assert "1 an internal fault" in text


def test_build_py_help_names_the_exit_codes():
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"],
                          capture_output=True, text=True, timeout=60)
    assert "exit status: 0 built; 2 the source has errors" in " ".join(proc.stdout.split())


def test_unknown_command_and_option_say_what_exists(tmp_path):
    proc = warraq_cmd("bulid", cwd=tmp_path)
    assert proc.returncode == 2
    assert "invalid choice: 'bulid'" in proc.stderr
    for name in commands.COMMANDS:
        assert f"'{name}'" in proc.stderr
    proc = warraq_cmd("build", "--formt", "epub", cwd=tmp_path)
    assert proc.returncode == 2
    assert "unrecognized arguments: --formt" in proc.stderr
    assert "did you mean --format?" in proc.stderr
    assert ("the options are --check, --debug, --format, --help, --jobs, --no-cache, --out, "
            "--pdf-profile, --quiet, --scheduler, --watch") in proc.stderr


@pytest.mark.parametrize("how", ["warraq", "build.py"])
def test_a_missing_source_gives_its_absolute_path_and_the_usage(tmp_path, how):
    cmd = ([sys.executable, "-m", "warraq", "build"] if how == "warraq"
           else [sys.executable, str(ROOT / "build.py")])
    proc = subprocess.run([*cmd, "nowhere"], cwd=tmp_path, env=env(), capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    first, usage = proc.stderr.splitlines()
    assert first.startswith(f"{tmp_path / 'nowhere'}: error W100: the source folder does "
                            "not exist: give the folder that holds book.yaml")
    assert usage.startswith(f"usage: {'warraq build' if how == 'warraq' else 'build.py'} "
                            "[-h]")
    assert not (tmp_path / "dist").exists()


def test_new_refuses_a_folder_in_the_way(tmp_path, capsys):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.md").write_text("mine")
    assert commands.main(["new", "book", str(tmp_path / "taken")]) == 2
    assert "a folder that is not empty is already there" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.md"]


def test_new_stamps_today_and_a_fresh_identifier(tmp_path):
    import datetime as dt
    import yaml
    for name in ("one", "two"):
        assert commands.main(["new", "book", str(tmp_path / name)]) == 0
    one, two = (yaml.safe_load((tmp_path / n / "book.yaml").read_text()) for n in ("one", "two"))
    assert one["date"] == dt.date.today() and one["identifier"] != two["identifier"]
    assert one["identifier"].startswith("urn:uuid:")
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == sorted(
        ["book.yaml", *one["contents"]])


@pytest.mark.slow
def test_a_build_off_a_terminal_is_plain_lines_and_ends_with_its_summary(tmp_path, article,
                                                                        capsys):
    out = tmp_path / "out"
    assert commands.main(["build", str(article), "--out", str(out)]) == 0
    proc = capsys.readouterr()          # stdout and stderr are not terminals here
    assert not CONTROL.search(proc.out + proc.err)
    progress = [re.fullmatch(r" *(\d+\.\d) s  (\w+)(: .*)?", line)
                for line in proc.err.splitlines()]
    assert progress and all(progress), proc.err
    times = [float(m[1]) for m in progress]
    assert times == sorted(times)
    stages = [m[2] for m in progress]
    assert stages[0] == "load" and stages[-1] == "write"
    assert any("on-keeping-promises.pdf" in (m[3] or "") for m in progress)
    lines = proc.out.splitlines()
    assert re.fullmatch(r"built “On Keeping Promises” in \d+\.\d s:", lines[0])
    rows = [line.split() for line in lines[1:]]
    written = sorted(p.name for p in out.iterdir())
    assert sorted(Path(r[0]).name for r in rows) == written
    for row in rows:
        path = Path(row[0])
        assert path.parent == out
    from readback import Pdf
    pages = len(Pdf(out / "on-keeping-promises.pdf").reader.pages)
    [pdf_row] = [r for r in rows if r[0].endswith(".pdf")]
    assert pdf_row[3:] == [str(pages), "pages"]


def test_quiet_prints_nothing_on_success_and_errors_on_failure(tmp_path, article, capsys):
    args = ["build", str(article), "--out", str(tmp_path / "o"), "--format", "epub", "--quiet"]
    assert commands.main(args) == 0
    assert capsys.readouterr() == ("", "")
    assert (tmp_path / "o" / "on-keeping-promises.epub").is_file()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "book.yaml").write_text("title: [oops\n")
    assert commands.main(["build", str(bad), "--quiet"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.splitlines()[0].startswith("book.yaml:2:1: error W101:")


#: `python -m warraq`, its progress display shown at once (not after `feedback.DELAY`:
#: a small book can be built before that)
AT_ONCE = ("import sys, warraq.feedback as f; f.DELAY = 0; from warraq.commands import main; "
           "sys.exit(main(sys.argv[1:]))")


def run_in_pty(args: list[str], cwd: Path, timeout: float = 240, **extra) -> tuple[int, str]:
    """Run `python -m warraq ARGS` (the progress display shown at once) with stdout and
    stderr on a pseudo-terminal."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", AT_ONCE, *args], cwd=cwd,
                            env=env(TERM="xterm-256color", COLUMNS="100", **extra),
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    chunks, end = [], time.monotonic() + timeout
    while time.monotonic() < end:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:            # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(master)
    return proc.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_on_a_terminal_a_build_shows_progress_then_its_summary(tmp_path, article):
    code, screen = run_in_pty(["build", str(article), "--out", str(tmp_path / "o")], tmp_path)
    assert code == 0, screen
    assert "\x1b[?25l" in screen                          # the progress display was shown
    text = ANSI.sub("", screen)
    assert re.search(r"(pdf|epub|write): \S+.*\(\d+ s\)", text)   # stage and time
    summary = text[text.index("built “On Keeping Promises”"):]
    for name in ("on-keeping-promises.pdf", "on-keeping-promises.epub",
                 "on-keeping-promises.sha256"):
        assert name in summary
    assert re.search(r"on-keeping-promises\.pdf +[\d.]+ kB +\d+ pages", summary)


@pytest.mark.slow
def test_on_a_terminal_errors_are_coloured_unless_no_color(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "book.yaml").write_text("title: [oops\n")
    code, screen = run_in_pty(["build", str(bad)], tmp_path)
    assert code == 2
    assert re.search(r"\x1b\[1;31merror W101\x1b\[0m", screen), repr(screen)
    code, screen = run_in_pty(["build", str(bad)], tmp_path, NO_COLOR="1")
    assert code == 2 and "error W101" in screen and not SGR.search(screen), repr(screen)


def test_the_readme_minimal_article_builds(tmp_path, capsys, monkeypatch):
    """The complete minimal article the README shows builds as it is, with no warning."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    yaml_text = re.search(r"`my-essay/book\.yaml`:\n\n```yaml\n(.*?)```", readme, re.S)[1]
    markdown = re.search(r"`my-essay/article\.md`:\n\n````markdown\n(.*?)````", readme, re.S)[1]
    src = tmp_path / "my-essay"
    src.mkdir()
    (src / "book.yaml").write_text(yaml_text, encoding="utf-8")
    (src / "article.md").write_text(markdown, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert commands.main(["build", "my-essay"]) == 0
    assert "warning" not in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == [
        "on-keeping-promises.epub", "on-keeping-promises.pdf", "on-keeping-promises.sha256"]


@pytest.mark.slow
def test_check_holds_files_to_their_profile(tmp_path, article, capsys):
    out = tmp_path / "out"
    assert commands.main(["build", str(article), "--out", str(out), "--format", "pdf",
                          "--quiet"]) == 0
    good = out / "on-keeping-promises.pdf"
    assert commands.main(["check", str(good)]) == 0
    report = capsys.readouterr().out.splitlines()
    assert report[0] == f"{good}:" and len(report) > 3
    torn = tmp_path / "torn.pdf"
    torn.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    code = commands.main(["check", str(good), str(torn), str(tmp_path / "absent.pdf")])
    err = capsys.readouterr().err
    assert code == 2 and f"{tmp_path / 'absent.pdf'}: error W501: cannot read the file" in err
    assert "2 files failed the check." in err

    # an EPUB built next to it: the summary names the PDF kept from the earlier build
    assert commands.main(["build", str(article), "--out", str(out), "--format", "epub"]) == 0
    summary = capsys.readouterr().out.splitlines()
    [kept] = [line for line in summary if "kept from an earlier build" in line]
    assert kept.split()[0] == str(good)
    assert not any(line.split()[0] == str(good) for line in summary[1:] if line != kept)


@pytest.mark.slow
def test_watch_builds_again_after_a_change_and_stops_on_ctrl_c(tmp_path, article):
    import shutil
    import signal
    src = tmp_path / "essay"
    shutil.copytree(article, src)
    # Ctrl-C as a terminal gives it: a process started from a shell script's background
    # job inherits SIGINT ignored (POSIX), and then Python never turns it into
    # KeyboardInterrupt (seen: the watch ran on for 60 s after SIGINT)
    proc = subprocess.Popen([sys.executable, "-m", "warraq", "build", str(src), "--format",
                             "epub", "--out", str(tmp_path / "o"), "--watch"], cwd=tmp_path,
                            env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        def wait_for_builds(n: int) -> None:
            end = time.monotonic() + 120
            while time.monotonic() < end:
                sums = tmp_path / "o" / "on-keeping-promises.sha256"
                if sums.exists() and len(stamps) < n and sums.stat().st_mtime_ns not in stamps:
                    stamps.append(sums.stat().st_mtime_ns)
                if len(stamps) >= n:
                    return
                assert proc.poll() is None
                time.sleep(0.1)
            pytest.fail("the watch did not build")
        stamps: list[int] = []
        wait_for_builds(1)
        time.sleep(1)
        text = (src / "article.md").read_text(encoding="utf-8")
        (src / "article.md").write_text(text.replace("small thing", "slight thing"),
                                        encoding="utf-8")
        wait_for_builds(2)
        time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.count("built “On Keeping Promises”") == 2
    assert "changed: article.md: building again" in err
    from readback import Epub
    assert "slight thing" in " ".join(
        " ".join(d.itertext()) for d in Epub(tmp_path / "o" / "on-keeping-promises.epub")
        .xhtml_documents().values())
