"""The speed benchmark (issue 12): warraq side by side with Pandoc and WeasyPrint alone.

    .venv/bin/python benchmarks/run.py [--quick] [--rounds N] [--books article,90k,300k]
                                       [--library N] [--keep] [--json FILE]
    .venv/bin/python benchmarks/run.py --from-json FILE    (the report of a saved run)

Generates (benchmarks/genbook.py, fixed seeds) the ~4,000-word article, the 90,000-word
book (30 chapters) and the 300,000-word book (100 chapters of the same length) in a temp
folder, then times, in interleaved rounds (round 1 runs every build once, round 2 again,
...), each build in a fresh process: warraq EPUB, PDF, PDF pinned to one core, EPUB+PDF,
and a rebuild after one word of one chapter changed (into the same output folder as the
EPUB+PDF build just before it); Pandoc (pypandoc-binary, the `bench` extra) EPUB, and PDF
with `--pdf-engine=weasyprint`; and the WeasyPrint floor, WeasyPrint alone rendering
warraq's own print HTML of the 90k book (benchmarks/floor.py). It prints wall time
(median, min, max), cpu/wall, peak RSS, page counts and the ratios of issue 12's "Done
when". `--quick`: one round, no 300k book. Every full build starts cold: an empty output
folder and an empty XDG_CACHE_HOME (see `cold`).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

import genbook
import measure
from report import Results, machine, ratios, table

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
BUILD = str(ROOT / "build.py")
#: book key -> (genbook kind, words, chapters)
BOOKS = {"article": ("article", 4000, 1), "90k": ("book", 90000, 30),
         "300k": ("book", 300000, 100)}
#: what is timed for each book, in the order of a round
PLAN = {"article": ("warraq EPUB", "warraq EPUB+PDF", "Pandoc EPUB", "Pandoc PDF"),
        "90k": ("warraq EPUB", "warraq PDF", "warraq PDF, 1 core", "warraq EPUB+PDF",
                "warraq edit rebuild", "Pandoc EPUB", "Pandoc PDF",
                "WeasyPrint floor, 1 core"),
        "300k": ("warraq EPUB+PDF", "Pandoc EPUB", "Pandoc PDF")}


@dataclass
class Task:
    """One build to time each round: `prepare` runs untimed just before it."""

    book: str
    name: str
    cmd: list[str]
    cache: Path
    prepare: Callable[[], object] = lambda: None
    cwd: Path | None = None
    one_core: bool = False
    out: Path | None = None      # where its PDF is, to count the pages
    inner: bool = False          # prints its in-process seconds as JSON (the floor)


def cold(out: Path, cache: Path) -> None:
    """Make the next build a cold one: an empty output folder, no warraq build cache
    beside it (`.warraq-cache/`) and an empty cache folder (the child's XDG_CACHE_HOME).
    A cache kept anywhere else must be cleared here too."""
    shutil.rmtree(out.parent / ".warraq-cache", ignore_errors=True)
    for folder in (out, cache):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)


def child_env(cache: Path) -> dict:
    """The children's environment: the venv's executables first on PATH (Pandoc finds
    the venv's `weasyprint` there) and their own cache folder."""
    path = str(Path(PY).parent) + os.pathsep + os.environ.get("PATH", "")
    return dict(os.environ, PATH=path, XDG_CACHE_HOME=str(cache))


class Editor:
    """Changes one word of one chapter per step, cumulatively, so every state of the
    source is new (a cache can never have seen it) and differs from the last by a word."""

    def __init__(self, chapter: Path):
        self.path = chapter
        self.lines = chapter.read_text("utf-8").split("\n")
        self.row = next(i for i, line in enumerate(self.lines)
                        if len(line) > 200 and line[0].isupper())
        self.words = self.lines[self.row].split(" ")
        self.spots = [i for i, w in enumerate(self.words) if i and w.isalpha() and w.islower()]
        self.steps = 0

    def step(self) -> None:
        spot = self.spots[self.steps % len(self.spots)]
        self.words[spot] = "ink" if self.words[spot] != "ink" else "salt"
        self.lines[self.row] = " ".join(self.words)
        self.path.write_text("\n".join(self.lines), encoding="utf-8")
        self.steps += 1


def pandoc() -> str:
    """The Pandoc binary pypandoc-binary ships (the `bench` extra)."""
    try:
        import pypandoc
    except ImportError:
        raise SystemExit("the benchmark needs Pandoc: .venv/bin/pip install -e '.[bench]'")
    return pypandoc.get_pandoc_path()


def pandoc_task(key: str, src: Path, work: Path, pdf: bool) -> Task:
    out, cache = work / f"out-pandoc-{'pdf' if pdf else 'epub'}", work / "cache-pandoc"
    contents = yaml.safe_load((src / "book.yaml").read_text("utf-8"))["contents"]
    target = out / ("book.pdf" if pdf else "book.epub")
    cmd = [pandoc(), "--from=markdown", "--file-scope", "--metadata-file=book.yaml",
           *contents, "-o", str(target)] + (["--pdf-engine=weasyprint"] if pdf else [])
    return Task(key, f"Pandoc {'PDF' if pdf else 'EPUB'}", cmd, cache, cwd=src, out=out,
                prepare=lambda: cold(out, cache))


def warraq_task(key: str, name: str, src: Path, out: Path, cache: Path, fmt: str,
                one_core: bool = False, prepare: Callable | None = None) -> Task:
    cmd = [PY, BUILD, str(src), "--out", str(out), "--format", fmt]
    return Task(key, name, cmd, cache, one_core=one_core, out=out,
                prepare=prepare or (lambda: cold(out, cache)))


def book_tasks(key: str, src: Path, work: Path) -> list[Task]:
    """The tasks of PLAN[key] for the book generated in `src`."""
    tasks = {"warraq EPUB": warraq_task(key, "warraq EPUB", src, work / "out-epub",
                                        work / "cache-epub", "epub"),
             "warraq PDF": warraq_task(key, "warraq PDF", src, work / "out-pdf",
                                       work / "cache-pdf", "pdf"),
             "warraq PDF, 1 core": warraq_task(key, "warraq PDF, 1 core", src,
                                               work / "out-pdf1", work / "cache-pdf1", "pdf",
                                               one_core=True),
             "Pandoc EPUB": pandoc_task(key, src, work, pdf=False),
             "Pandoc PDF": pandoc_task(key, src, work, pdf=True)}
    if "warraq edit rebuild" in PLAN[key]:
        # The full build and the edit share a copy of the source and one output folder:
        # each round, one word changes and a cold full build runs; then another word
        # changes and the rebuild is timed.
        edit_src, out, cache = work / "src-edit", work / "out-edit", work / "cache-edit"
        shutil.copytree(src, edit_src)
        chapters = yaml.safe_load((src / "book.yaml").read_text("utf-8"))["contents"]
        editor = Editor(edit_src / chapters[len(chapters) // 2])
        tasks["warraq EPUB+PDF"] = warraq_task(
            key, "warraq EPUB+PDF", edit_src, out, cache, "epub,pdf",
            prepare=lambda: (editor.step(), cold(out, cache)))
        tasks["warraq edit rebuild"] = warraq_task(
            key, "warraq edit rebuild", edit_src, out, cache, "epub,pdf",
            prepare=editor.step)
    else:
        tasks["warraq EPUB+PDF"] = warraq_task(key, "warraq EPUB+PDF", src, work / "out-both",
                                               work / "cache-both", "epub,pdf")
    if "WeasyPrint floor, 1 core" in PLAN[key]:
        tasks["WeasyPrint floor, 1 core"] = floor_task(key, src, work)
    return [tasks[name] for name in PLAN[key]]


def floor_task(key: str, src: Path, work: Path) -> Task:
    """Capture warraq's print HTML of the book once (untimed), then time WeasyPrint alone."""
    capture, out, cache = work / "floor.pickle", work / "out-floor", work / "cache-floor"
    cold(work / "out-capture", cache)
    measure.run([PY, str(HERE / "floor.py"), "capture", str(capture), "--", str(src),
                 "--out", str(work / "out-capture"), "--format", "pdf"],
                env=child_env(cache), log=work / "floor-capture.log")
    cmd = [PY, str(HERE / "floor.py"), "render", str(capture), str(out / "floor.pdf")]
    return Task(key, "WeasyPrint floor, 1 core", cmd, cache, one_core=True, out=out,
                inner=True, prepare=lambda: cold(out, cache))


def library_tasks(count: int, work: Path) -> list[Task]:
    """A library of `count` generated articles built by `build.py LIBRARY --out DIR`,
    cold and after one article changed (benchmarks/library.py is the library's own
    benchmark, with more figures)."""
    lib, out, cache = work / "src", work / "out", work / "cache"
    folders = genbook.library(lib, count, 4000)
    editor = Editor(folders[count // 2] / "article.md")
    cmd = [PY, BUILD, str(lib), "--out", str(out)]
    return [Task("library", f"warraq library of {count}, cold", cmd, cache,
                 prepare=lambda: (editor.step(), cold(out, cache))),
            Task("library", "warraq library, one article changed", cmd, cache,
                 prepare=editor.step)]


def generate(key: str, folder: Path, scale: float = 1.0) -> int:
    """Write the book `key` into `folder` (`scale` shrinks it, to try the benchmark
    itself); return its number of words (runs of letters)."""
    kind, words, chapters = BOOKS[key]
    words = int(words * scale)
    if kind == "book":
        genbook.book(folder, words, chapters)
    else:
        genbook.article(folder, words)
    return sum(len(re.findall(r"[^\W\d_]+", f.read_text("utf-8"))) for f in folder.glob("*.md"))


def pdf_pages(folder: Path | None) -> int | None:
    from pypdf import PdfReader
    pdfs = sorted(p for p in (folder.glob("*.pdf") if folder else ()) if ".cover." not in p.name)
    return len(PdfReader(pdfs[0]).pages) if pdfs else None


def run_rounds(tasks: list[Task], rounds: int, logs: Path, results: Results,
               save: Path | None) -> None:
    """Every task once per round, in order; `save` gets the results after each round."""
    for number in range(1, rounds + 1):
        for index, task in enumerate(tasks):
            key = (task.book, task.name)
            if key in results.failed:
                continue
            task.prepare()
            try:
                sample = measure.run(task.cmd, cwd=task.cwd, env=child_env(task.cache),
                                     one_core=task.one_core, log=logs / f"{index}.log")
            except measure.CommandFailed as exc:
                results.failed[key] = str(exc)
                print(f"round {number}: {task.book} {task.name} FAILED\n{exc}", file=sys.stderr)
                continue
            results.add(key, sample)
            if task.inner:
                results.inner.setdefault(key, []).append(json.loads(sample.stdout)["seconds"])
            if key not in results.pages:
                results.pages[key] = pdf_pages(task.out)
            print(f"round {number}/{rounds}: {task.book:8} {task.name:26} {sample.wall:7.2f} s"
                  f"  cpu {sample.cpu:7.2f} s  {sample.rss_mib:5.0f} MiB", file=sys.stderr)
        results.rounds, results.machine = number, machine(versions())
        if save:
            results.save(save)


def versions() -> dict[str, str]:
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    out = subprocess.run([pandoc(), "--version"], capture_output=True, text=True).stdout
    return {"warraq": head or "?", "python": sys.version.split()[0],
            "weasyprint": importlib.metadata.version("weasyprint"),
            "pandoc": out.split("\n")[0].removeprefix("pandoc ")}


def report(results: Results, note: str) -> list[str]:
    books = list(results.words)
    return [f"# warraq benchmark: {results.rounds} interleaved round(s), books: "
            f"{', '.join(books)}", *results.machine,
            "words: " + ", ".join(f"{k} {v:,}" for k, v in results.words.items()), note, "",
            *table(results), "", *ratios(results)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="one round, no 300k book")
    p.add_argument("--rounds", type=int, help="rounds (default 3; 1 with --quick)")
    p.add_argument("--books", help="comma-separated: article,90k,300k")
    p.add_argument("--library", type=int, default=0, metavar="N",
                   help="also time a library of N articles (needs issue 13's library build)")
    p.add_argument("--scale", type=float, default=1.0,
                   help="shrink every book by this factor (to try the benchmark itself)")
    p.add_argument("--keep", action="store_true", help="keep the temp folder")
    p.add_argument("--json", type=Path,
                   help="also write every sample to this file (after each round)")
    p.add_argument("--from-json", type=Path, metavar="FILE",
                   help="run nothing: print the report of the samples --json wrote")
    args = p.parse_args(argv)
    if args.from_json:
        results = Results.load(args.from_json)
        print("\n".join(report(results, "(from " + str(args.from_json) + ")")))
        return 0
    rounds = args.rounds or (1 if args.quick else 3)
    books = (args.books or ("article,90k" if args.quick else "article,90k,300k")).split(",")
    if unknown := [b for b in books if b not in BOOKS]:
        p.error(f"unknown book {unknown[0]!r}; books are {', '.join(BOOKS)}")
    work = Path(tempfile.mkdtemp(prefix="warraq-bench-"))
    started = time.monotonic()
    try:
        tasks, results = [], Results()
        for key in books:
            results.words[key] = generate(key, work / key / "src", args.scale)
            tasks += book_tasks(key, work / key / "src", work / key)
        if args.library:
            tasks += library_tasks(args.library, work / "library")
        (work / "logs").mkdir()
        print(f"benchmark in {work}: {rounds} round(s) of {len(tasks)} builds", file=sys.stderr)
        run_rounds(tasks, rounds, work / "logs", results, args.json)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("\n".join(report(results, f"total run time: {time.monotonic() - started:.0f} s")))
    return 1 if results.failed and not set(results.failed) <= {
        ("library", t.name) for t in tasks if t.book == "library"} else 0


if __name__ == "__main__":
    sys.exit(main())
