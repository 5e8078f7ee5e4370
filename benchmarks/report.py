"""The benchmark's report: one Markdown table of every measurement (median, min, max,
cpu/wall, peak RSS) and the ratios issue 12's "Done when" names, each with its target."""

from __future__ import annotations

import json
import os
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path

from measure import Sample


@dataclass
class Results:
    """Samples per (book, task), in the order the tasks were first run."""

    samples: dict[tuple[str, str], list[Sample]] = field(default_factory=dict)
    failed: dict[tuple[str, str], str] = field(default_factory=dict)
    pages: dict[tuple[str, str], int] = field(default_factory=dict)
    inner: dict[tuple[str, str], list[float]] = field(default_factory=dict)

    words: dict[str, int] = field(default_factory=dict)
    rounds: int = 0              # rounds finished
    machine: list[str] = field(default_factory=list)   # `machine` lines, last round's

    def add(self, key: tuple[str, str], sample: Sample) -> None:
        self.samples.setdefault(key, []).append(sample)

    def save(self, path: Path) -> None:
        """Everything measured so far, as JSON (`load` reads it back)."""
        def keyed(d):
            return [[book, task, value] for (book, task), value in d.items()]
        path.write_text(json.dumps({
            "rounds": self.rounds, "machine": self.machine, "words": self.words, "pages": keyed(self.pages),
            "inner": keyed(self.inner), "failed": keyed(self.failed),
            "samples": keyed({k: [asdict(s) for s in v] for k, v in self.samples.items()})},
            indent=1, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Results":
        data = json.loads(path.read_text("utf-8"))

        def unkeyed(rows):
            return {(book, task): value for book, task, value in rows}
        return cls(samples={k: [Sample(**s) for s in v]
                            for k, v in unkeyed(data["samples"]).items()},
                   failed=unkeyed(data["failed"]), pages=unkeyed(data["pages"]),
                   inner=unkeyed(data["inner"]), words=data["words"], rounds=data["rounds"],
                   machine=data["machine"])

    def peak(self, book: str, task: str) -> float | None:
        runs = self.samples.get((book, task))
        return max(s.rss_mib for s in runs) if runs else None


def _f(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(results: Results) -> list[str]:
    lines = ["| book | build | runs | median s | min s | max s | cpu/wall | peak RSS MiB "
             "| pages |", "|---|---|---|---|---|---|---|---|---|"]
    for (book, task), runs in results.samples.items():
        walls = [s.wall for s in runs]
        cpu = statistics.median(s.cpu for s in runs)
        wall = statistics.median(walls)
        pages = results.pages.get((book, task))
        lines.append(f"| {book} | {task} | {len(runs)} | {_f(wall)} | {_f(min(walls))} | "
                     f"{_f(max(walls))} | {_f(cpu / wall)} | "
                     f"{max(s.rss_mib for s in runs):.0f} | {pages or ''} |")
        inner = results.inner.get((book, task))
        if inner:
            lines.append(f"| {book} | {task}: render + write in process | {len(inner)} | "
                         f"{_f(statistics.median(inner))} | {_f(min(inner))} | "
                         f"{_f(max(inner))} | | | |")
    for (book, task), why in results.failed.items():
        lines.append(f"| {book} | {task} | failed: {why.splitlines()[0][:80]} | | | | | | |")
    return lines


def _sum(*values: float | None) -> float | None:
    return None if any(v is None for v in values) else sum(values)


def _div(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


#: (ratio, numerator builds, denominator builds, comparison, target): a ratio of the sums
#: of the medians; None as denominator: the numerator alone (peak RSS, MiB).
RATIOS = (
    ("90k: warraq EPUB+PDF / Pandoc EPUB+PDF", [("90k", "warraq EPUB+PDF")],
     [("90k", "Pandoc EPUB"), ("90k", "Pandoc PDF")], "<=", 0.7),
    ("90k: warraq EPUB / Pandoc EPUB", [("90k", "warraq EPUB")], [("90k", "Pandoc EPUB")],
     "", None),
    ("90k: one-chapter edit rebuild / full EPUB+PDF build", [("90k", "warraq edit rebuild")],
     [("90k", "warraq EPUB+PDF")], "<=", 0.15),
    ("90k: warraq PDF / WeasyPrint floor, one core", [("90k", "warraq PDF, 1 core")],
     [("90k", "WeasyPrint floor, 1 core")], "<=", 1.25),
    ("90k: warraq PDF (all cores) / WeasyPrint floor", [("90k", "warraq PDF")],
     [("90k", "WeasyPrint floor, 1 core")], "", None),
    ("article: warraq EPUB+PDF / Pandoc EPUB+PDF", [("article", "warraq EPUB+PDF")],
     [("article", "Pandoc EPUB"), ("article", "Pandoc PDF")], "<=", 1.0),
    ("article: warraq EPUB / Pandoc EPUB", [("article", "warraq EPUB")],
     [("article", "Pandoc EPUB")], "", None),
    ("300k: warraq EPUB+PDF / Pandoc EPUB+PDF", [("300k", "warraq EPUB+PDF")],
     [("300k", "Pandoc EPUB"), ("300k", "Pandoc PDF")], "", None),
)


def _median(results: Results, keys, stat: str) -> float | None:
    runs = [results.samples.get(key) for key in keys]
    if not all(runs):
        return None
    return sum(statistics.median(getattr(s, stat) for s in r) for r in runs)


def _verdict(value: float | None, op: str, target: float | None) -> str:
    if value is None or target is None:
        return ""
    return "ok" if (value <= target if op == "<=" else value < target) else "MISSED"


def ratios(results: Results) -> list[str]:
    """The ratios of issue 12's "Done when", of wall times and of cpu times (on a busy
    machine the cpu ratio is the steadier one), each with its target."""
    lines = ["| ratio | wall | cpu | target | wall vs target |", "|---|---|---|---|---|"]
    rows = [(name, *(_div(_median(results, top, stat), _median(results, bottom, stat))
                     for stat in ("wall", "cpu")), op, target)
            for name, top, bottom, op, target in RATIOS]
    text = _div(results.words.get("300k"), results.words.get("90k"))
    both = [("300k", "warraq EPUB+PDF")], [("90k", "warraq EPUB+PDF")]
    rows.append(("300k vs 90k: EPUB+PDF time growth / text growth",
                 *(_div(_div(_median(results, both[0], stat), _median(results, both[1], stat)),
                        text) for stat in ("wall", "cpu")), "<=", 1.0))
    for name, wall, cpu, op, target in rows:
        lines.append(f"| {name} | {_f(wall)} | {_f(cpu)} | {op} {'' if target is None else target}"
                     f" | {_verdict(wall, op, target)} |")
    peak = results.peak("300k", "warraq EPUB+PDF")
    lines.append(f"| 300k: warraq EPUB+PDF peak RSS, MiB | {_f(peak, 0)} | | < 1024 | "
                 f"{_verdict(peak, '<', 1024)} |")
    return lines


def machine(versions: dict[str, str]) -> list[str]:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    usable = len(os.sched_getaffinity(0))
    return [f"cores: {os.cpu_count()} ({usable} usable); load average now: {load}",
            "versions: " + ", ".join(f"{k} {v}" for k, v in versions.items())]
