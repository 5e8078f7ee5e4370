"""Time a library build: N generated articles, cold, then with one article changed, then
with nothing changed.

`python benchmarks/library.py DIR [--articles 200] [--words 1200] [--jobs N]
[--formats epub,pdf] [--scheduler tcp://HOST:PORT]` writes the library under DIR/src
(articles from `genbook.article`, each with its own title, date, identifier and series
number), builds it into DIR/dist three times and prints one line per run (seconds, books
built and skipped) and the catalogue's size. The same arguments give the same library.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.genbook import article  # noqa: E402
from warraq.library import build_library  # noqa: E402


def make(src: Path, articles: int, words: int) -> list[Path]:
    src.mkdir(parents=True, exist_ok=True)
    (src / "library.yaml").write_text("title: Generated Answers\npublisher: Warraq Benchmarks\n"
                                      "lang: en\n", encoding="utf-8")
    folders = []
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
    return folders


def timed(label: str, src: Path, dist: Path, args) -> float:
    t0 = time.perf_counter()
    result = build_library(src, dist, tuple(args.formats.split(",")), ("print",),
                           scheduler=args.scheduler, jobs=args.jobs)
    seconds = time.perf_counter() - t0
    print(f"{label:<22} {seconds:8.1f} s  built {len(result.built):>3}  skipped "
          f"{len(result.skipped):>3}  failed {len(result.failed)}", flush=True)
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--words", type=int, default=1200)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--formats", default="epub,pdf")
    parser.add_argument("--scheduler", default=None)
    args = parser.parse_args(argv)
    src, dist = args.folder / "src", args.folder / "dist"
    folders = make(src, args.articles, args.words)
    print(f"{args.articles} articles of about {args.words} words, formats {args.formats}, "
          f"jobs {args.jobs or 'one per core'}{', on ' + args.scheduler if args.scheduler else ''}")
    timed("cold", src, dist, args)
    changed = folders[len(folders) // 2] / "article.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more line.\n",
                       encoding="utf-8")
    timed("one article changed", src, dist, args)
    timed("nothing changed", src, dist, args)
    size = sum(p.stat().st_size for p in dist.rglob("*") if p.is_file())
    print(f"DIST: {sum(1 for p in dist.rglob('*') if p.is_file())} files, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
