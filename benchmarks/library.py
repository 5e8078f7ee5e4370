"""Time a library build (issue 13): N generated articles built cold, then again with one
article changed, then with nothing changed, and report it.

    .venv/bin/python benchmarks/library.py [DIR] [--articles 200] [--words 1200]
        [--jobs N] [--formats epub,pdf] [--volumes] [--scheduler tcp://HOST:PORT]
        [--json FILE] [--keep]

It writes the library under DIR/src (a temporary folder, removed afterwards, when DIR is
not given; `--keep` keeps it): N articles from `genbook.article` (invocation, numbered
points, lettered lists, notes, a verse block every fourth point, a dateline), each with
its own title, date (17 days apart from 2015), identifier and series number, two series;
with `--volumes` also one volume per year gathering that year's articles (with its index
of verses). Each build is `build.py DIR/src --out DIR/dist` in a fresh process, measured
by `measure.run` (wall and cpu time of the build and its worker processes, peak RSS),
with an empty XDG_CACHE_HOME for the cold one. The one changed article is the middle
one (one word of it). It prints a Markdown report: per build its wall and cpu seconds,
cpu/wall, peak RSS, the books built and unchanged, seconds per built book and the load
average before it; then the machine (cores, load), the words and printed pages, and
DIST's size. The same arguments
give the same library.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import measure  # noqa: E402
from genbook import article  # noqa: E402
from report import machine  # noqa: E402

ROOT = HERE.parent
PY = sys.executable


def make(src: Path, articles: int, words: int, volumes: bool = False) -> list[Path]:
    """The library: article folders (returned) and, with `volumes`, one per year."""
    src.mkdir(parents=True, exist_ok=True)
    (src / "library.yaml").write_text("title: Generated Answers\npublisher: Warraq Benchmarks\n"
                                      "lang: en\n", encoding="utf-8")
    folders, years = [], {}
    start = dt.date(2015, 1, 3)
    for i in range(articles):
        date = start + dt.timedelta(days=17 * i)
        folder = src / f"{date.isoformat()}-answer-{i + 1:03d}"
        article(folder, words, seed=63 + i)
        ident = uuid.uuid5(uuid.NAMESPACE_URL, f"warraq-benchmark:{i}")
        (folder / "book.yaml").write_text(
            f"title: Answer to Question {i + 1}\nauthor: Generated Author\nlang: en\n"
            f"date: {date.isoformat()}\nidentifier: urn:uuid:{ident}\nlayout: article\n"
            f"description: The generated answer number {i + 1}.\n"
            f"belongs-to-collection: {'Answers' if i % 3 else 'Letters'}\n"
            f"group-position: {i + 1}\ncontents:\n  - article.md\n", encoding="utf-8")
        folders.append(folder)
        years.setdefault(date.year, []).append(folder.name)
    for year, names in (years.items() if volumes else ()):
        volume = src / f"volume-{year}"
        volume.mkdir(exist_ok=True)
        ident = uuid.uuid5(uuid.NAMESPACE_URL, f"warraq-benchmark:volume:{year}")
        (volume / "book.yaml").write_text(
            f"title: Answers of {year}\nauthor: Generated Author\nlang: en\n"
            f"date: {year}-12-31\nidentifier: urn:uuid:{ident}\n"
            f"description: The answers of {year} in one volume.\ncontents:\n"
            + "".join(f"  - ../{name}\n" for name in names), encoding="utf-8")
    return folders


def change_one_word(path: Path) -> None:
    """One word of the article's first long paragraph, changed."""
    text = path.read_text(encoding="utf-8")
    line = max(text.split("\n"), key=len)
    words = line.split(" ")
    words[3] = "ink" if words[3] != "ink" else "salt"
    path.write_text(text.replace(line, " ".join(words), 1), encoding="utf-8")


def timed(label: str, cmd: list[str], cache: Path, log: Path) -> dict:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    load = os.getloadavg()[0]
    sample = measure.run(cmd, cwd=ROOT, env=env, log=log)
    tail = log.read_text("utf-8", "replace") + sample.stdout
    m = re.search(r"(\d+) built, (\d+) unchanged, (\d+) failed", tail)
    built, unchanged, failed = (int(x) for x in m.groups()) if m else (None, None, None)
    row = {"run": label, "wall": sample.wall, "cpu": sample.cpu, "rss_mib": sample.rss_mib,
           "built": built, "unchanged": unchanged, "failed": failed, "load": load}
    print(f"{label:<22} {sample.wall:8.1f} s  cpu {sample.cpu:8.1f} s  built {built}  "
          f"unchanged {unchanged}  failed {failed}", file=sys.stderr, flush=True)
    return row


def pages(dist: Path) -> int:
    from pypdf import PdfReader
    return sum(len(PdfReader(p).pages) for p in dist.rglob("*.pdf") if ".cover." not in p.name)


def report(args, rows: list[dict], words: int, dist: Path, started: float) -> list[str]:
    files = [p for p in dist.rglob("*") if p.is_file()]
    lines = [f"# warraq library benchmark: {args.articles} articles of about {args.words} "
             f"words{', with yearly volumes' if args.volumes else ''}",
             f"formats {args.formats}; jobs {args.jobs or 'one per core'}"
             f"{'; on ' + args.scheduler if args.scheduler else ''}",
             *machine({"python": sys.version.split()[0]}),
             f"words: {words:,}; printed pages (every PDF but covers): {pages(dist):,}; "
             f"DIST: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB",
             f"total run time: {time.monotonic() - started:.0f} s", "",
             "| build | wall s | cpu s | cpu/wall | peak RSS MiB | built | unchanged | "
             "wall s per built book | load before |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        per = f"{r['wall'] / r['built']:.1f}" if r["built"] else "-"
        lines.append(f"| {r['run']} | {r['wall']:.1f} | {r['cpu']:.1f} | "
                     f"{r['cpu'] / r['wall']:.2f} | {r['rss_mib']:.0f} | {r['built']} | "
                     f"{r['unchanged']} | {per} | {r['load']:.1f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--words", type=int, default=1200)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--formats", default="epub,pdf")
    parser.add_argument("--volumes", action="store_true", help="also one volume per year")
    parser.add_argument("--scheduler", default=None)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    work = args.folder or Path(tempfile.mkdtemp(prefix="warraq-library-bench-"))
    src, dist, cache = work / "src", work / "dist", work / "cache"
    started = time.monotonic()
    try:
        for folder in (src, dist, cache):
            shutil.rmtree(folder, ignore_errors=True)
        cache.mkdir(parents=True)
        folders = make(src, args.articles, args.words, args.volumes)
        words = sum(len(re.findall(r"[^\W\d_]+", (f / "article.md").read_text("utf-8")))
                    for f in folders)
        cmd = [PY, str(ROOT / "build.py"), str(src), "--out", str(dist),
               "--format", args.formats]
        cmd += [f"--jobs={args.jobs}"] if args.jobs else []
        cmd += ["--scheduler", args.scheduler] if args.scheduler else []
        rows = [timed("cold", cmd, cache, work / "cold.log")]
        change_one_word(folders[len(folders) // 2] / "article.md")
        rows.append(timed("one article changed", cmd, cache, work / "changed.log"))
        rows.append(timed("nothing changed", cmd, cache, work / "unchanged.log"))
        lines = report(args, rows, words, dist, started)
        print("\n".join(lines))
        if args.json:
            args.json.write_text(json.dumps({"report": lines, "runs": rows}, indent=1),
                                 encoding="utf-8")
    finally:
        if not args.folder and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
