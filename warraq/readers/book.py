"""Reading a whole source folder into a `Book`: book.yaml, then each chapter of
`contents`, then the cover image, every check of each run whatever an earlier one found.

`read_book` returns what it could read and every problem found (`Read`): the `Book` as
far as it could be made (chapters with errors included, so that later checks such as
the glyph check still see them) or None when book.yaml gives no contents list. The
pipeline runs the transforms on it to find the remaining errors before it stops.
`load_book` is the strict form: the Book, or a `SourceError` with every problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..cache import NO_CACHE, Cache
from ..errors import Diagnostics
from ..furniture import quotes
from ..model import Book, Chapter, Metadata, Resource, SourceFile
from ..text import xml_id
from ..titles import chapter_title, opens_with_title
from ..xhtml import parse_fragment
from ..yamlguard import NOT_TEXT
from . import checks
from .citations import Citations, bibliography_chapter, read_citations, report
from .chapter import (ChapterContext, deep_brackets, fix_images, front_matter,
                      long_paragraphs, long_words)
from .docx import SUFFIX as DOCX
from .docx import read_docx
from .folder import SourceFolder, read_text
from .images import read_cover
from .links import BookIds
from .pandoc_html import relink, render_chapters
from .schema import MetadataRead, read_metadata
from .volume import is_folder_entry, read_articles

#: Said with the errors when book.yaml is too broken for its chapters to be read.
NO_CONTENTS = ("book.yaml has no usable `contents` list, so the chapters were not read: "
               "fix book.yaml first")


@dataclass
class Read:
    """What `read_book` found: the Book as far as it goes, and every problem."""

    book: Book | None
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


def build_date(meta_date: dt.date | None, epoch: str | None) -> dt.datetime:
    """The timestamp every output carries: SOURCE_DATE_EPOCH, else the book's date, else now."""
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    if meta_date:
        return dt.datetime(meta_date.year, meta_date.month, meta_date.day, tzinfo=dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class _Reader:
    """The state of one read: the folder, what the chapters so far hold."""

    def __init__(self, source: SourceFolder, diags: Diagnostics, meta: Metadata,
                 cache: Cache = NO_CACHE, jobs: int = 1):
        self.source, self.diags, self.meta, self.cache = source, diags, meta, cache
        self.jobs = jobs
        self.resources: dict[str, Resource] = {}
        self.seen: dict[Path, str] = {}
        self.chapter_ids: set[str] = set()
        self.first_id = ""              # the first chapter's id (the article rule)
        self.files: list[SourceFile] = []
        self.ids: BookIds | None = None

    def entry_path(self, entry: str, line: int) -> Path | None:
        """The file of a contents entry, or None (W208, W206, W202, W201, W204, W200
        reported; nothing for an entry the YAML check refused, W207)."""
        if NOT_TEXT.search(entry):
            return None
        path = self.source.resolve(entry)
        problem = self.source.problem(entry)
        if problem:
            problem = (problem[0], f"`{entry}` {problem[1]}")
        elif path is None:
            problem = ("W202", f"`{entry}` is outside the source folder: contents entries "
                       "are paths under it")
        elif path in self.seen:
            problem = ("W201", f"`{entry}` is listed twice in contents")
        elif path.suffix.lower() not in (".md", ".markdown", DOCX):
            problem = ("W204", f"`{entry}` is not a Markdown file (.md) or a Word file "
                       "(.docx)")
        elif not path.is_file():
            problem = ("W200", f"`{entry}` does not exist")
        if path is not None:
            self.seen.setdefault(path, entry)
        if problem:
            self.diags.add("book.yaml", line, *problem)
            return None
        return path

    def prepare(self, path: Path) -> ChapterContext | None:
        """Read one chapter and its front matter; None unless it goes on to be rendered."""
        if path.suffix.lower() == DOCX:
            return self.word(path)
        shown = self.source.relative(path)
        text = read_text(path, shown, self.diags)
        if text is None:
            return None
        self.files.append(SourceFile(shown, text))
        chapter_id = xml_id(path.stem, "ch")
        while chapter_id in self.chapter_ids:
            chapter_id += "-x"
        ctx = ChapterContext(shown, path, chapter_id, text, self.diags)
        ctx.front, ctx.body, ctx.offset = front_matter(text, shown, self.diags)
        if not ctx.body.strip():
            ctx.add(ctx.offset + 1, "W302", "the chapter is empty: write its text or remove "
                    "it from contents")
            return None
        self.first_id = self.first_id or chapter_id
        self.chapter_ids.add(chapter_id)
        if long_paragraphs(ctx):        # not rendered: that alone could take minutes
            return None
        long_words(ctx)
        if deep_brackets(ctx):          # not read: Pandoc could take minutes
            return None
        return ctx

    def word(self, path: Path) -> ChapterContext | None:
        """A Word file (`warraq.readers.docx`): its bytes, to be read with the chapters."""
        shown = self.source.relative(path)
        data = read_docx(path, shown, self.diags)
        if data is None:
            return None
        self.files.append(SourceFile(shown, ""))
        chapter_id = xml_id(path.stem, "ch")
        while chapter_id in self.chapter_ids:
            chapter_id += "-x"
        self.first_id = self.first_id or chapter_id
        self.chapter_ids.add(chapter_id)
        return ChapterContext(shown, path, chapter_id, "", self.diags, docx=data)

    def chapters(self, ctxs: list[ChapterContext], citations: Citations | None = None
                 ) -> dict[str, Chapter]:
        """Render every chapter (one Pandoc run, citations processed), title each (before
        any link is resolved: a link to a chapter goes to its title), check each; the
        usable ones by file."""
        self.ids = render_chapters(ctxs, self.source, self.diags, self.chapter_ids,
                                   quotes(self.meta.lang),     # “ ” in English, « » in Arabic
                                   citations, self.cache, self.jobs)
        if citations is not None:
            report(citations, self.diags)
        ctxs = [ctx for ctx in ctxs if ctx.rendered is not None]
        for ctx in ctxs:
            self.title(ctx)
        done = {}
        for ctx in ctxs:
            self.check(ctx)
            if ctx.usable:
                done[ctx.shown] = ctx.chapter()
        return done

    def title(self, ctx: ChapterContext) -> None:
        """The chapter's title and opening heading (`warraq.titles`; W303 when it has
        none); a link to the chapter's file goes to that heading, else to its start."""
        first, rendered = ctx.chapter_id == self.first_id, ctx.rendered
        article = self.meta.layout == "article" and first
        headings = tuple(rendered.headings)
        ctx.title = (ctx.front.title or (headings[0].text if headings else "")
                     or rendered.title_block or (self.meta.title if article else ""))
        if not ctx.title:
            ctx.add(ctx.offset + 1, "W303", "the chapter has no heading and no `title` in "
                    "front matter: start it with `# Title`")
        front = ctx.front.title or (None if headings else rendered.title_block or None)
        title, ctx.html, ctx.headings = chapter_title(
            rendered.html, headings, front, ctx.chapter_id, self.meta.layout, self.meta.title,
            first)
        ctx.title = title or ctx.title
        self.ids.chapters[ctx.shown].title = (ctx.headings[0].id if opens_with_title(
            ctx.headings) else ctx.chapter_id)

    def check(self, ctx: ChapterContext) -> None:
        """Every check of a rendered chapter; each reports whatever the others found."""
        mapping = checks.references(ctx, self.source, self.resources, self.ids.check)
        checks.alt_text(ctx)
        ctx.html = relink(fix_images(ctx.html, mapping), self.ids, ctx.shown)
        ctx.rendered.footnotes = [replace(n, html=relink(n.html, self.ids, ctx.shown))
                                  for n in ctx.rendered.footnotes]
        tree = parse_fragment(ctx.html)
        checks.structure(ctx, tree)
        checks.nested_notes(ctx)
        checks.languages(ctx, tree)


def read_book(folder: str | Path, epoch: str | None = None, cache: Cache = NO_CACHE,
              jobs: int = 1) -> Read:
    """Read and check the source folder: the Book as far as it goes and every problem
    (with `cache`, what Pandoc read and wrote is kept there; with `jobs`, that many
    Pandoc processes work at once: `warraq.readers.pandoc`)."""
    root = Path(folder)
    if not root.is_dir():
        return Read(None, _one(str(folder), "W100", "the source folder does not exist"))
    source = SourceFolder(root)
    yaml_path = source.root / "book.yaml"
    confined = _confined_yaml(source, yaml_path)
    if confined:
        return Read(None, confined)
    if not yaml_path.is_file():
        return Read(None, _one("book.yaml", "W100", f"no book.yaml in {folder}: create one "
                               "with at least `title` and `contents`"))
    diags = Diagnostics(order=["book.yaml"])
    yaml_text = read_text(yaml_path, "book.yaml", diags)
    found = (MetadataRead(None, None, {}) if yaml_text is None
             else read_metadata(yaml_text, diags))
    reader = _Reader(source, diags, found.meta or Metadata(title=""), cache, jobs)
    reader.files.append(SourceFile("book.yaml", yaml_text or ""))
    citations = (read_citations(source, found.meta, found.lines, diags)
                 if found.meta else None)
    ctxs, folders, volume_at = [], [], None
    for entry, line in found.contents or ():
        if is_folder_entry(source.root, entry):       # a volume's article (readers.volume)
            volume_at = len(ctxs) if volume_at is None else volume_at
            folders.append((entry, line))
            continue
        path = reader.entry_path(entry, line)
        ctx = reader.prepare(path) if path else None
        diags.order.append(source.relative(path) if path else entry)
        if ctx:
            ctxs.append(ctx)
    done = reader.chapters(ctxs, citations)
    chapters = [done[c.shown] for c in ctxs if c.shown in done]
    volume_at = sum(1 for c in ctxs[:volume_at or 0] if c.shown in done)
    references = (bibliography_chapter(citations, found.meta.lang, reader.chapter_ids)
                  if citations and chapters else None)
    if references is not None:
        chapters.append(references)
    _without_lines(diags, {c.shown for c in ctxs if c.docx is not None})
    if found.contents is None:
        diags.notes.append(NO_CONTENTS)
    meta = found.meta or Metadata(title="")
    articles = read_articles(source, folders, found.lines.get("layout"), meta.layout, diags,
                             epoch, read_book) if folders else ()
    if meta.cover_image:
        read_cover(source, meta.cover_image, found.lines.get("cover-image"), diags,
                   reader.resources)
    book = Book(meta=meta, chapters=tuple(chapters),
                resources=tuple(sorted(reader.resources.values(), key=lambda r: r.path)),
                build_date=build_date(meta.date, epoch), sources=tuple(reader.files),
                articles=articles, volume_at=volume_at or 0)
    return Read(book if found.meta else None, diags)


def _without_lines(diags: Diagnostics, files: set[str]) -> None:
    """A Word file has no lines: its problems name the file alone (each once)."""
    if not files:
        return
    kept = []
    for item in diags.items:
        item = replace(item, line=None, column=None) if item.file in files else item
        if item not in kept:
            kept.append(item)
    diags.items[:] = kept


def _confined_yaml(source: SourceFolder, yaml_path: Path) -> Diagnostics | None:
    """book.yaml is read under the same confinement as every other file: a symlink that
    leads outside the folder (`../secret.yaml`, `/proc/self/environ`) is W202, a symlink
    loop W206, never read."""
    if not yaml_path.is_symlink():
        return None
    bad = source.problem("book.yaml")
    if bad:
        return _one("book.yaml", bad[0], f"book.yaml {bad[1]}", 1)
    if source.resolve("book.yaml") is None:
        return _one("book.yaml", "W202", "book.yaml is a symlink that leads outside the source "
                    "folder, which warraq does not read: put the file itself here", 1)
    return None


def _one(file: str, code: str, message: str, line: int | None = None) -> Diagnostics:
    diags = Diagnostics()
    diags.add(file, line, code, message)
    return diags


def load_book(folder: str | Path, epoch: str | None = None) -> Book:
    """Read and check the source folder; raise `SourceError` with every problem found."""
    read = read_book(folder, epoch)
    read.diagnostics.raise_if_any()
    return read.book
