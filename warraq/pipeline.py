"""The build: source -> Book -> transforms -> writers -> dist, in that order only.

Everything is loaded, checked and rendered in memory first; only when every output
exists as bytes are they written (`output.publish`: checked, atomic, one build at a time),
with a SHA-256 checksum file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import pagemap
from .coverwrap import Wrap, cover_profile
from .errors import Diagnostic, SourceError
from .fetcher import RefusedURL, refused_error
from .loader import load_book
from .model import Book
from .output import checksums, publish
from .preflight import Report, check_pdf
from .profiles import DEFAULT_PROFILE, PROFILES, Profile
from .transforms import apply_all
from .writers.epub import write_epub
from .writers.pdf import book_trim, render_cover_pdf, render_pdf

FORMATS = ("epub", "pdf")

#: `progress(stage, detail)`: told as the build moves on (loading, transforms, each
#: writer, pages laid out, writing), for a display; it must not change the build.
Progress = Callable[[str, str], None]


def _quiet(_stage: str, _detail: str) -> None:
    """The progress callback of a build nobody watches."""


@dataclass
class BuildResult:
    """What a build wrote, and what WeasyPrint warned about."""

    book: Book
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The preflight of every PDF written, by file name.
    reports: dict[str, Report] = field(default_factory=dict)


def prepare(source: str | Path, epoch: str | None = None) -> Book:
    """Load and transform: the Book every writer receives."""
    return apply_all(load_book(source, epoch))


def _checked(name: str, data: bytes, profile: Profile, trim: tuple[float, float],
             reports: dict[str, Report]) -> None:
    """Preflight a PDF before it may be written; a failed rule stops the build (W501)."""
    report = check_pdf(data, profile, trim)
    reports[name] = report
    if not report.passed:
        raise SourceError([Diagnostic(name, None, None, "W501", f"the {profile.name} profile's "
                                      f"rule `{r.rule}` failed: {r.detail}")
                           for r in report.failures])


def render(book: Book, formats: tuple[str, ...],
           profiles: tuple[Profile, ...] = (PROFILES[DEFAULT_PROFILE],),
           reports: dict[str, Report] | None = None, progress: Progress = _quiet
           ) -> tuple[dict[str, bytes], list[str]]:
    """Every requested output as bytes, keyed by file name, plus renderer warnings.

    Each PDF profile gives `<slug>.pdf` (print) or `<slug>.<profile>.pdf`, and the
    profiles with a cover wrap also `<slug>.<profile>.cover.pdf`. Every PDF passes its
    profile's preflight before it is returned."""
    outputs: dict[str, bytes] = {}
    warnings: list[str] = []
    reports = {} if reports is None else reports
    page_map = None
    if "pdf" in formats:
        trim = book_trim(book)
        hint = 1
        # Every block carries its number, so the first profile's layout tells where each
        # printed page begins: the EPUB's page-list (the numbers leave the PDF unchanged).
        try:
            numbered = pagemap.numbered(book)
            for profile in profiles:
                name = profile.file_name(book.slug)
                maps: list[pagemap.PageMap] = []
                source = f"print edition of “{book.meta.title}” ({name})"
                progress("pdf", name)
                on_document = (None if page_map is not None else lambda document: maps.append(
                    pagemap.page_map(document, book, source)))
                data, messages = render_pdf(numbered, profile, hint, on_document)
                page_map = page_map or (maps[-1] if maps else None)
                warnings += messages
                _checked(name, data, profile, trim.points, reports)
                warnings += [f"{name}: {note}" for note in reports[name].notes]
                outputs[name] = data
                progress("pages", f"{name}: {reports[name].pages} pages laid out")
                if profile.mirrored:
                    hint = reports[name].pages
                if profile.cover:
                    pages = reports[name].pages
                    cover_name = profile.file_name(book.slug, "cover")
                    cover, messages = render_cover_pdf(book, profile, pages)
                    warnings += messages
                    wrap = Wrap(trim.width, trim.height, pages, book.meta.paper)
                    _checked(cover_name, cover, cover_profile(profile), wrap.points, reports)
                    outputs[cover_name] = cover
        except RefusedURL as refused:      # WeasyPrint asked for a URL outside the book
            raise refused_error(refused) from None
    if "epub" in formats:
        progress("epub", f"{book.slug}.epub")
        outputs[f"{book.slug}.epub"] = write_epub(book, page_map)
    return outputs, warnings


__all__ = ["FORMATS", "BuildResult", "build", "checksums", "prepare", "render"]


def build(source: str | Path, out_dir: str | Path, formats: tuple[str, ...] = FORMATS,
          epoch: str | None = None,
          profiles: tuple[Profile, ...] = (PROFILES[DEFAULT_PROFILE],),
          progress: Progress | None = None) -> BuildResult:
    progress = progress or _quiet
    progress("loading", str(source))
    book = load_book(source, epoch)
    progress("transforms", book.meta.title)
    book = apply_all(book)
    reports: dict[str, Report] = {}
    outputs, warnings = render(book, formats, profiles, reports, progress)
    result = BuildResult(book, warnings=warnings, reports=reports)
    progress("writing", str(out_dir))
    result.files = publish(Path(out_dir), outputs, f"{book.slug}.sha256",
                           keep=output_names(book.slug), notes=result.warnings)
    return result


def output_names(slug: str) -> tuple[str, ...]:
    """Every file a build of the book `slug` can write (each format, each profile, each
    cover wrap): the earlier ones a narrower build keeps and lists in the .sha256."""
    names = [f"{slug}.epub"]
    for profile in PROFILES.values():
        names.append(profile.file_name(slug))
        if profile.cover:
            names.append(profile.file_name(slug, "cover"))
    return tuple(names)
