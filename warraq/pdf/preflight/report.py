"""The preflight's report: one `Result` per rule, plus notes that do not fail the file."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..profiles import Profile


@dataclass(frozen=True)
class Result:
    rule: str
    passed: bool
    detail: str


@dataclass
class Report:
    profile: Profile
    pages: int = 0
    results: list[Result] = field(default_factory=list)
    #: Things worth saying that do not fail the file (e.g. a page count a service refuses).
    notes: list[str] = field(default_factory=list)

    def add(self, rule: str, passed: bool, detail: str) -> None:
        self.results.append(Result(rule, passed, detail))

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.passed]

    @property
    def passed(self) -> bool:
        return not self.failures

    def lines(self) -> list[str]:
        out = [f"profile {self.profile.name}: {self.pages} pages"]
        out += [f"  {'PASS' if r.passed else 'FAIL'} {r.rule}: {r.detail}" for r in self.results]
        out += [f"  NOTE {n}" for n in self.notes]
        return out


def pages_list(pages: set[int]) -> str:
    """`1,2,3` (the first eight page numbers, then `...`)."""
    return ",".join(str(p) for p in sorted(pages)[:8]) + ("..." if len(pages) > 8 else "")
