"""The second hostile corpus through the command line: each bad source exits 2 with one
`file:line: error CODE:` line per error (and nothing else but the summary), no
traceback, and leaves a dist/ that holds a good book byte-identical; each sound one
builds. The cases that hung (YAML alias bombs, a 99 999-character word, a 100 000-letter
title) run in a subprocess under a 10 s and 500 MB budget.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, write_source
from hostile.corpus import CASES, GOOD_YAML, TEXT, Case
from readback import NS, Epub, epubcheck_problems, xml
from warraq.readers.book import NO_CONTENTS
from warraq import cli
from warraq.output import TEMP_PREFIX

#: The budget of the cases that hung: seconds (wall clock, Python's start included) and
#: bytes of address space.
SECONDS, MEMORY = 10, 500 * 2**20
LINE = re.compile(r"^(?P<file>[^:\n]+?)(?::(?P<line>\d+))?(?::\d+)?: error (?P<code>W\d{3}): ")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def good_dist(tmp_path_factory) -> Path:
    """A dist/ with a good book in it (EPUB, PDF, checksums)."""
    src = write_source(tmp_path_factory.mktemp("good-src"), GOOD_YAML, {"a.md": TEXT})
    dist = tmp_path_factory.mktemp("good") / "dist"
    assert cli.main([str(src), "--out", str(dist)]) == 0
    return dist


def _limits() -> None:                     # in the child, before it runs Python
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_budgeted(src: Path, dist: Path, env: dict[str, str]) -> tuple[int, str, float]:
    """build.py in a subprocess under the budget: (exit status, stderr, seconds)."""
    start = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, str(ROOT / "build.py"), str(src), "--out",
                               str(dist)], capture_output=True, text=True, timeout=SECONDS,
                              preexec_fn=_limits, env={**os.environ, **env}, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build ran past the {SECONDS} s budget")
    return proc.returncode, proc.stderr, time.monotonic() - start


def run_in_process(src: Path, dist: Path, env: dict[str, str], monkeypatch, capsys
                   ) -> tuple[int, str]:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    status = cli.main([str(src), "--out", str(dist)])
    return status, capsys.readouterr().err


def make(case: Case, tmp_path: Path) -> Path:
    src = write_source(tmp_path / "src", case.meta, {
        k: v if isinstance(v, bytes) else v.encode("utf-8", "surrogatepass")
        for k, v in case.files.items()})
    if case.setup:
        case.setup(src, tmp_path)
    return src


def assert_error_lines(err: str, expected: list[tuple[str, str, int | None]]) -> None:
    """One `file:line: error CODE:` line per expected error, then the summary; nothing else."""
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.splitlines()
    n = len(expected)
    assert lines[-1] == f"{n} error{'s' if n != 1 else ''}: nothing was written.", err
    got = []
    for line in lines[:-1]:
        if line == NO_CONTENTS:          # the one note that may follow the errors
            continue
        match = LINE.match(line)
        assert match, f"not an error line: {line!r}"
        got.append((match["code"], match["file"], int(match["line"]) if match["line"] else None))
        assert len(line) < 400 and all(ch.isprintable() for ch in line), repr(line)
    assert got == expected, err


#: Sound sources built whole (EPUB and PDF) only in the full run: the fast tier keeps one
#: date outside Umm al-Qura (1900), one before 1 AH, and the page-name cases.
SLOW_BUILDS = {"date-2100", "date-year-1", "date-year-9999", "hijri-date-far-future",
               "source-date-epoch-end-of-9999"}


def _param(name: str, case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    if name in SLOW_BUILDS:
        marks.append(pytest.mark.slow)
    return pytest.param(name, id=name, marks=marks)


@pytest.mark.parametrize("name", [_param(n, c) for n, c in CASES.items() if c.expected])
def test_hostile_source_is_refused_with_its_place(name, tmp_path, good_dist, monkeypatch,
                                                  capsys):
    case = CASES[name]
    src = make(case, tmp_path)
    dist = tmp_path / "dist"
    shutil.copytree(good_dist, dist)
    before = snapshot(dist)
    if case.budget:
        status, err, seconds = run_budgeted(src, dist, case.env)
        assert seconds < SECONDS
    else:
        status, err = run_in_process(src, dist, case.env, monkeypatch, capsys)
    assert status == 2, err
    assert_error_lines(err, case.expected)
    assert snapshot(dist) == before
    assert not [p for p in dist.rglob(TEMP_PREFIX + "*")]


@pytest.mark.parametrize("name", [_param(n, c) for n, c in CASES.items() if not c.expected])
def test_hostile_but_sound_source_builds(name, tmp_path, monkeypatch, capsys):
    case = CASES[name]
    src = make(case, tmp_path)
    dist = tmp_path / "dist"
    status, err = run_in_process(src, dist, case.env, monkeypatch, capsys)
    assert status == 0, err
    assert "Traceback" not in err and "warning" not in err, err
    [epub] = dist.glob("*.epub")
    with zipfile.ZipFile(epub) as zf:
        names = zf.namelist()
    assert len(names) == len(set(names)), "duplicate zip entries"
    if name.startswith("chapters-named"):
        assert_own_pages_apart(Epub(epub), case.meta)


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in CASES if n.startswith("chapters-named")])
def test_chapters_named_like_generated_pages_are_epubcheck_clean(name, tmp_path, monkeypatch,
                                                                capsys):
    """Before warraq's own names: duplicate zip entries, ids and spine items, 16 errors."""
    dist = tmp_path / "dist"
    assert run_in_process(make(CASES[name], tmp_path), dist, {}, monkeypatch, capsys)[0] == 0
    [epub] = dist.glob("*.epub")
    assert epubcheck_problems(epub) == []


def assert_own_pages_apart(epub: Epub, meta: str) -> None:
    """warraq's pages keep their own names beside chapters called cover, nav, ...: the
    spine holds each chapter once, in contents order, between warraq's own pages; the
    nav's contents (`writers/epub_nav.py`) lead to the chapters, its landmarks to
    warraq's pages."""
    chapters = [f"text/{n[:-3]}.xhtml" for n in
                re.search(r"contents: \[(.*)\]", meta)[1].split(", ")]
    article = "layout: article" in meta
    own = ["text/warraq_cover.xhtml"] + ([] if article else [
        "text/warraq_titlepage.xhtml", "text/warraq_copyright.xhtml", "nav.xhtml"])
    linear = epub.spine_hrefs(linear_only=True)
    assert linear == own + chapters + (["text/warraq_copyright.xhtml"] if article else [])
    assert len(epub.manifest()) == len({e.get("href") for e in epub.manifest().values()})
    assert {href.split("#")[0] for _, _, href in epub.nav_toc()} == set(chapters)
    nav = xml(epub.read(epub.nav_href()))
    landmarks = next(n for n in nav.iter(f"{{{NS['x']}}}nav") if n.get("id") == "landmarks")
    marks = {a.get(f"{{{NS['epub']}}}type"): a.get("href")
             for a in landmarks.iter(f"{{{NS['x']}}}a")}
    assert marks["cover"] == "text/warraq_cover.xhtml"
    assert marks["bodymatter"] == chapters[0]
    if not article:
        assert marks["titlepage"] == "text/warraq_titlepage.xhtml"
        assert marks["copyright-page"] == "text/warraq_copyright.xhtml"
    if article:       # the article's first part is an entry of its own, its point below it
        assert epub.nav_toc()[:2] == [(1, "Hostile Article", chapters[0]),
                                      (2, "A point", f"{chapters[0]}#a-point")]


def test_the_second_corpus_covers_every_class():
    codes = {c.expected[0][0] for c in CASES.values() if c.expected}
    assert {"W114", "W202", "W206", "W207", "W208", "W115", "W113", "W112", "W306",
            "W317"} <= codes
    assert len(CASES) >= 35
