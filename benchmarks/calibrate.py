"""Calibrate `warraq.pdf.pagecount.Metrics` against WeasyPrint (issue 12: lay out once).

    .venv/bin/python benchmarks/calibrate.py [--layouts FILE.json] [--quick]

Generates books of several sizes, trims and scripts (benchmarks/genbook.py and an
Arabic-language book made here), lays each out once with the print profile, records how
many pages each chapter spans, then searches the constants that predict those spans
best and prints them with each book's predicted and actual page counts. `--layouts`
keeps the laid-out counts in a file (reused when it exists, so the search can be re-run
without laying anything out). Not part of the test run.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import itertools
import json
import random
import sys
import tempfile
from pathlib import Path

import genbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from warraq.pdf import pagecount  # noqa: E402
from warraq.pdf.document import book_trim  # noqa: E402
from warraq.pdf.pagesetup import PageSetup  # noqa: E402
from warraq.pdf.profiles import PROFILES  # noqa: E402
from warraq.pipeline import prepare  # noqa: E402

ARABIC_WORDS = ("الصبر مفتاح الفرج الحمد لله العلم نور كتاب الشكر والصبر قال الشيخ في "
                "المسألة وهذا من باب الأدب والعلم والعمل والناس على دين ملوكهم").split()


def arabic_book(folder: Path, words: int, chapters: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(1, chapters + 1):
        lines, count = [f"# الفصل {number}", ""], 0
        while count < words // chapters:
            n = rng.randint(40, 120)
            lines += [" ".join(rng.choice(ARABIC_WORDS) for _ in range(n)) + ".", ""]
            count += n
        names.append(f"f{number:02d}.md")
        (folder / names[-1]).write_text("\n".join(lines), encoding="utf-8")
    (folder / "book.yaml").write_text(
        "title: كتاب الصبر\nauthor: مؤلف\nlang: ar\ndate: 2023-10-04\nlayout: book\n"
        "contents:\n" + "".join(f"  - {n}\n" for n in names), encoding="utf-8")


def with_trim(folder: Path, trim: str) -> None:
    meta = folder / "book.yaml"
    meta.write_text(meta.read_text("utf-8") + f"trim: {trim}\n", encoding="utf-8")


#: name -> how to write it
BOOKS = {
    "book-90k": lambda d: genbook.book(d, 90000, 30),
    "book-45k": lambda d: genbook.book(d, 45000, 15, seed=10),
    "book-20k-5x8": lambda d: (genbook.book(d, 20000, 8, seed=11), with_trim(d, "5x8")),
    "book-30k-a4": lambda d: (genbook.book(d, 30000, 10, seed=12), with_trim(d, "a4")),
    "book-12k-40ch": lambda d: genbook.book(d, 12000, 40, seed=13),
    "arabic-20k": lambda d: arabic_book(d, 20000, 8),
    "article-6k": lambda d: genbook.article(d, 6000),
    "sample": None,
}
QUICK = ("book-20k-5x8", "arabic-20k", "article-6k", "sample")


def lay_out(name: str, work: Path) -> dict:
    from warraq.pdf.book import _lay_out
    folder = ROOT / "source" if BOOKS[name] is None else work / name
    if BOOKS[name] is not None:
        BOOKS[name](folder)
    book = prepare(folder)
    profile = PROFILES["print"]
    trim = book_trim(book)
    guess = pagecount.predict_pages(book, PageSetup.for_book(trim, 1, True))
    page = PageSetup.for_book(trim, guess, True, 0.0, profile.min_margin)
    document = _lay_out(book, profile, page).document
    starts = [next((i for i, p in enumerate(document.pages) if c.id in p.anchors), None)
              for c in book.chapters]
    print(f"laid out {name}: {len(document.pages)} pages", file=sys.stderr)
    return {"folder": str(folder), "page": dataclasses.asdict(page), "starts": starts,
            "pages": len(document.pages)}


def spans(record: dict) -> list[int]:
    starts = record["starts"] + [record["pages"]]
    return [b - a for a, b in zip(starts, starts[1:])]


def errors(records: dict, metrics: pagecount.Metrics) -> tuple[float, dict]:
    total, per_book = 0.0, {}
    for name, rec in records.items():
        book = rec["book"]
        page = PageSetup(**rec["page"])
        predicted = pagecount.predict_pages(book, page, metrics)
        per_book[name] = (predicted, rec["pages"])
        total += ((predicted - rec["pages"]) / rec["pages"]) ** 2
    return total, per_book


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--layouts", type=Path, help="keep/reuse the laid-out counts here")
    p.add_argument("--quick", action="store_true", help="the small books only")
    args = p.parse_args(argv)
    names = QUICK if args.quick else tuple(BOOKS)
    pagecount.parse_fragment = functools.lru_cache(maxsize=None)(pagecount.parse_fragment)
    records = json.loads(args.layouts.read_text()) if args.layouts and \
        args.layouts.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            if name not in records:
                records[name] = lay_out(name, Path(tmp))
                if args.layouts:
                    args.layouts.write_text(json.dumps(records, indent=1))
            elif BOOKS[name] is not None and not Path(records[name]["folder"]).exists():
                records[name]["folder"] = str(Path(tmp) / name)
                BOOKS[name](Path(records[name]["folder"]))
        for name in names:
            records[name]["book"] = prepare(records[name]["folder"])
        records = {n: records[n] for n in names}
        grid = itertools.product([x / 100 for x in range(36, 50)],
                                 [x / 100 for x in range(28, 46, 2)],
                                 [x / 100 for x in range(90, 105, 2)])
        best = min((errors(records, pagecount.Metrics(*g))[0], g) for g in grid)
    metrics = pagecount.Metrics(*best[1])
    print(f"best: {metrics} (sum of squared relative errors {best[0]:.5f})")
    for name, (predicted, actual) in errors(records, metrics)[1].items():
        print(f"  {name:16} predicted {predicted:4d}  laid out {actual:4d}  "
              f"({100 * (predicted - actual) / actual:+.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
