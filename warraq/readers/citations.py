"""Citations: book.yaml's `bibliography` (and `csl`) read, citeproc's findings reported,
and the bibliography as the book's last chapter.

The bibliography (BibTeX `.bib`, BibLaTeX `.bib`/`.bibtex`, CSL JSON `.json`, CSL YAML
`.yaml`) and the CSL style are files of the source folder, confined like every other
(`warraq.readers.folder`), read here and handed to Pandoc's citeproc as text
(`warraq.readers.pandoc.Citing`), which processes the `[@key]` of every chapter in the
same Pandoc run that reads them. A key with no entry is W318 at the line that cites it;
a bibliography or style Pandoc cannot read is W319 at its book.yaml key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Diagnostics
from ..model import Chapter, Heading, Metadata
from ..text import xml_id
from ..xhtml import sanitise, to_xhtml
from .chapter import ChapterContext
from .folder import SourceFolder, read_text
from .pandoc import Cited, Citing

#: The suffixes of a bibliography file Pandoc reads (its own list, less the binary ones).
BIBLIOGRAPHY_SUFFIXES = (".bib", ".bibtex", ".json", ".yaml", ".yml")
#: The bibliography chapter's title, by the book's language.
TITLES = {"ar": "المراجع", "fa": "منابع", "ur": "حوالہ جات", "fr": "Bibliographie",
          "de": "Literatur", "es": "Referencias"}


@dataclass
class Citations:
    """What the citations of one book need and what citeproc made of them."""

    citing: Citing
    lines: dict[str, int]           # book.yaml's line of `bibliography` and `csl`
    shown: str                      # the bibliography as diagnostics name it
    cited: Cited | None = None
    html: str = ""                  # the bibliography, written by Pandoc
    ctxs: list[ChapterContext] = field(default_factory=list)


def _file(source: SourceFolder, key: str, value: str, line: int | None,
          suffixes: tuple[str, ...], diags: Diagnostics) -> str | None:
    """The text of the file book.yaml's `key` names, or None (reported)."""
    path = source.resolve(value)
    problem = source.problem(value)
    if problem:
        problem = (problem[0], f"`{key}`: `{value}` {problem[1]}")
    elif path is None:
        problem = ("W202", f"`{key}`: `{value}` is outside the source folder, which warraq "
                   "does not read: put the file in the folder")
    elif path.suffix.lower() not in suffixes:
        problem = ("W109", f"`{key}`: `{value}` is not a {' or '.join(suffixes)} file")
    elif not path.is_file():
        problem = ("W200", f"`{key}`: `{value}` does not exist")
    if problem:
        diags.add("book.yaml", line, *problem)
        return None
    return read_text(path, source.relative(path), diags)


def read_citations(source: SourceFolder, meta: Metadata, lines: dict[str, int],
                   diags: Diagnostics) -> Citations | None:
    """The bibliography and style book.yaml names, read (None without `bibliography`, or
    when one of them cannot be read: reported)."""
    if not meta.bibliography:
        if meta.csl:
            diags.add("book.yaml", lines.get("csl"), "W109", "`csl` is given without "
                      "`bibliography`: name the bibliography file, or remove `csl`")
        return None
    bib = _file(source, "bibliography", meta.bibliography, lines.get("bibliography"),
                BIBLIOGRAPHY_SUFFIXES, diags)
    csl = (_file(source, "csl", meta.csl, lines.get("csl"), (".csl",), diags)
           if meta.csl else None)
    if bib is None or (meta.csl and csl is None):
        return None
    suffix = "." + meta.bibliography.rsplit(".", 1)[-1].lower()
    suffix = {".yml": ".yaml", ".bibtex": ".bib"}.get(suffix, suffix)
    return Citations(Citing(bib, suffix, csl, meta.lang or "en"), lines,
                     meta.bibliography)


def _line_of(ctx: ChapterContext, key: str) -> int | None:
    """The line of the chapter's first `@key`."""
    found = re.search(r"@\{?" + re.escape(key) + r"(?![\w:.#$%&+?<>~/-]*[\w])", ctx.body)
    if found is None:
        return None
    return ctx.body.count("\n", 0, found.start()) + 1 + ctx.offset


def report(citations: Citations, diags: Diagnostics) -> None:
    """W319 for a bibliography or style citeproc cannot read; W318 for each key a chapter
    cites that has no entry, at the line citing it."""
    cited = citations.cited
    if cited is None:
        return
    if cited.error:
        key = "csl" if "Citeproc" in cited.error or "csl" in cited.error.lower() else \
            "bibliography"
        reason = " ".join(cited.error.replace("refs.", "the file ").split())[:300]
        diags.add("book.yaml", citations.lines.get(key), "W319", f"`{key}` cannot be read "
                  f"by Pandoc's citeproc: {reason}")
        return
    for ctx, keys in zip(citations.ctxs, cited.missing):
        for key in keys:
            ctx.add(_line_of(ctx, key), "W318", f"the citation `@{key}` names no entry of "
                    f"the bibliography `{citations.shown}`: add the entry or fix the key")


def bibliography_chapter(citations: Citations, lang: str | None, taken: set[str]
                         ) -> Chapter | None:
    """The bibliography as the book's last chapter (None when nothing was cited)."""
    html = to_xhtml(sanitise(citations.html)) if citations.html.strip() else ""
    if "csl-entry" not in html:
        return None
    chapter_id = xml_id("bibliography", "ch")
    while chapter_id in taken:
        chapter_id += "-x"
    title = TITLES.get((lang or "en").split("-")[0].lower(), "References")
    heading = Heading(1, title, f"{chapter_id}-title")
    body = f'<h1 id="{heading.id}">{title}</h1>\n{html}'
    return Chapter(source=citations.shown, id=chapter_id, kind="bibliography", title=title,
                   html=body, headings=(heading,))
