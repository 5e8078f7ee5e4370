"""A print profile's result in the build cache (`warraq.cache`): its PDF and cover wrap,
their preflight reports, the warnings, the page count and (when it was the first profile
laid out) the page map, filed under everything they are made from: the `Book` the writer
received, the profile, the templates the print side renders or loads (all but epub/ and
library/), the font files and the CMYK output-intent profile (and, as for every entry,
warraq and its libraries). An EPUB-only change (its templates) finds the PDFs here.
"""

from __future__ import annotations

from pathlib import Path

from ..cache import Cache, Entry, files_digest
from ..fonts import fonts_digest
from ..model import Book
from ..templating import templates_digest
from ..writers.contract import Rendered
from .pagemap import PageMap, PageStart
from .preflight.report import Report, Result
from .profiles import CMYK_ICC, PROFILES, Profile
from .wrapgeometry import cover_profile

KIND = "pdf-profile"


def print_inputs(book: Book) -> tuple[str, str, str]:
    """The inputs every profile shares besides the book: templates, the book's fonts (its
    choice of faces: every file's path, size and time), the ICC profile."""
    return (templates_digest(skip=("epub", "library")), fonts_digest(book.meta.font_choice),
            files_digest([Path(CMYK_ICC)]))


def profile_key(cache: Cache, book_print: str, shared: tuple, profile: Profile) -> str:
    return cache.key(KIND, book_print, shared, profile)


def _report(report: Report) -> dict:
    cover = report.profile != PROFILES.get(report.profile.name)
    return {"profile": report.profile.name, "cover": cover, "pages": report.pages,
            "results": [[r.rule, r.passed, r.detail] for r in report.results],
            "notes": list(report.notes)}


def _unreport(data: dict) -> Report:
    profile = PROFILES[data["profile"]]
    return Report(cover_profile(profile) if data["cover"] else profile, int(data["pages"]),
                  [Result(str(a), bool(b), str(c)) for a, b, c in data["results"]],
                  [str(n) for n in data["notes"]])


def dump(result: Rendered) -> Entry:
    page_map = result.artefacts.get("page-map")
    return Entry({"files": list(result.files), "warnings": list(result.warnings),
                  "checks": {n: _report(r) for n, r in result.checks.items()},
                  "pages": result.artefacts["pages"],
                  "page_map": None if page_map is None else [
                      page_map.source, [[p.label, p.chapter, p.block, p.text, p.before]
                                        for p in page_map.pages]]}, dict(result.files))


def load(entry: Entry, want_map: bool) -> Rendered | None:
    """The profile's result, or None if the entry lacks what is wanted (the page map)."""
    meta = entry.meta
    if want_map and meta["page_map"] is None:
        return None
    result = Rendered(files={name: entry.blobs[name] for name in meta["files"]},
                      warnings=[str(w) for w in meta["warnings"]],
                      checks={n: _unreport(r) for n, r in meta["checks"].items()})
    result.artefacts["pages"] = int(meta["pages"])
    if want_map:
        source, pages = meta["page_map"]
        result.artefacts["page-map"] = PageMap(source, tuple(
            PageStart(str(a), str(b), int(c), str(d), int(e)) for a, b, c, d, e in pages))
    return result
