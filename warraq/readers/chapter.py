"""A Markdown chapter: its front matter, what it became, and the context every check of
it reads (it is rendered with every other chapter: `warraq.readers.pandoc_html`).

`ChapterContext` carries the file (its name, its text, the line offset of the body
after the front matter), what the Markdown became (`Rendered`, with the line of each
id, link, image, `lang` and note from the walk of Pandoc's AST), the audit of each
piece of raw HTML with its line, and the chapter's XHTML once it has its title and its
images are checked. Checks report through it; none searches the text for a line again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostics
from ..model import Chapter, Footnote, FrontMatter, Heading
from ..xhtml import RawHtmlAudit, parse_fragment, serialise_children
from ..yamlguard import LONG_RUN, MAX_WORD_CHARS
from .schema import FRONT_MATTER, validate

#: The longest paragraph (text without a blank line) warraq typesets. WeasyPrint breaks a
#: paragraph into lines in time that grows faster than its length (one 5 MB paragraph
#: takes minutes and half a gigabyte); 100 000 characters is some 30 printed pages.
MAX_PARAGRAPH_CHARS = 100_000
#: How deep Markdown blocks may nest (a list level counts two: list and item; a quotation
#: one): 8 lists or 16 quotations. In the 6-inch PDF page some 24 quotations leave no
#: width for text (it vanishes), so warraq stops well before and says so (W312).
MAX_NESTING = 16


@dataclass
class Rendered:
    """What one chapter's Markdown became (sanitised XHTML, its headings and notes), and
    where (lines of the file) its parts are: checks never search the text for a line."""

    html: str
    headings: list[Heading] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    images: list[tuple[str, int]] = field(default_factory=list)   # (src, line)
    links: list[tuple[str, int]] = field(default_factory=list)    # (href, line)
    raw_html: list[tuple[str, int]] = field(default_factory=list)  # (author HTML, line)
    #: (id, line) of every id the author wrote (`{#id}`, raw HTML aside: see the audits).
    ids: list[tuple[str, int]] = field(default_factory=list)
    #: (tag, line) of every `lang` an author set in Markdown (`{lang=..}`).
    langs: list[tuple[str, int]] = field(default_factory=list)
    #: (src, line) of every Markdown image without alternative text.
    no_alt: list[tuple[str, int]] = field(default_factory=list)
    #: note id -> the line of a footnote reference inside that note.
    nested_notes: dict[str, int] = field(default_factory=dict)
    #: The title of a `%` title block (Pandoc's `title` metadata), if the text has one.
    title_block: str = ""


@dataclass
class ChapterContext:
    """One contents entry while it is read and checked (see the module)."""

    shown: str                   # its path relative to the source folder, as reported
    path: Path
    chapter_id: str
    text: str
    diags: Diagnostics
    body: str = ""
    offset: int = 0              # lines before the body (the front matter's)
    front: FrontMatter = field(default_factory=FrontMatter)
    rendered: Rendered | None = None
    title: str = ""
    #: (audit, line) of each piece of raw HTML.
    audits: list[tuple[RawHtmlAudit, int]] = field(default_factory=list)
    #: The chapter's XHTML: images pointed at their checked paths, the title heading added.
    html: str = ""
    headings: tuple[Heading, ...] = ()
    #: False when the chapter cannot go on to the transforms even to be checked further
    #: (nested past what they can walk).
    usable: bool = True
    #: The line where elements first nest past what the writers can lay out, if any.
    deep_line: int | None = None
    #: A Word file's bytes (`warraq.readers.docx`), and the images it holds (path in
    #: the document -> bytes).
    docx: bytes | None = None
    media: dict[str, bytes] = field(default_factory=dict)

    def add(self, line: int | None, code: str, message: str) -> None:
        self.diags.add(self.shown, line, code, message)

    def chapter(self) -> Chapter:
        rendered = self.rendered
        return Chapter(source=self.shown, id=self.chapter_id, kind=self.front.type,
                       title=self.title, html=self.html, headings=self.headings,
                       footnotes=tuple(rendered.footnotes), lang=self.front.lang)


def front_matter(text: str, shown: str, diags: Diagnostics) -> tuple[FrontMatter, str, int]:
    """(front matter, body, number of lines before the body), checked by the same schema
    machinery as book.yaml (W300, W301, W106)."""
    if not text.startswith("---\n"):
        return FrontMatter(), text, 0
    end = text.find("\n---\n", 3)
    if end < 0:
        if not text.endswith("\n---"):
            diags.add(shown, 1, "W300", "front matter opened with `---` is never closed with "
                      "`---`")
            return FrontMatter(), text, 0
        end = len(text) - 4
    head = text[4:end + 1]
    offset = head.count("\n") + 2
    found = validate(FRONT_MATTER, head, shown, diags, line_offset=1)
    front = FRONT_MATTER.build(found.values) if found else FrontMatter()
    return front, text[end + 5:], offset


def long_paragraphs(ctx: ChapterContext) -> bool:
    """Report every paragraph longer than `MAX_PARAGRAPH_CHARS`; True if there was one."""
    if len(ctx.body) <= MAX_PARAGRAPH_CHARS:
        return False
    found, start, body = False, 0, ctx.body.rstrip()
    for gap in (*re.finditer(r"\n[ \t]*\n", body), None):
        end = gap.start() if gap else len(body)
        if end - start > MAX_PARAGRAPH_CHARS:
            found = True
            ctx.add(body.count("\n", 0, start) + ctx.offset + 1, "W310", f"this paragraph has "
                    f"{end - start:,} characters, more than the {MAX_PARAGRAPH_CHARS:,} warraq "
                    "can typeset: break it into paragraphs with blank lines")
        if gap:
            start = gap.end()
    return found


#: What the Markdown holds that is not set as text: HTML tags, link and image targets.
_NOT_SET = re.compile(r"<[^<>\n]*>|\]\([^()\s]*\)")


def long_words(ctx: ChapterContext) -> None:
    """W317 for every run of more than `MAX_WORD_CHARS` characters with no space in the
    Markdown (a word, a URL, a string of letters): the print layout's line breaking
    takes time that grows with the square of such a run. Found in the source text, so
    its line and column are exact; HTML tags and link targets, which are not set as
    text, count as spaces. At most ten are reported."""
    shown = _NOT_SET.sub(lambda m: " " * len(m.group()), ctx.body)
    for n, match in enumerate(LONG_RUN.finditer(shown)):
        if n == 10:
            break
        start = ctx.body.rfind("\n", 0, match.start()) + 1
        ctx.diags.add(ctx.shown, ctx.body.count("\n", 0, match.start()) + ctx.offset + 1,
                      "W317", f"a word of {len(match.group()):,} characters with no space: "
                      f"more than the {MAX_WORD_CHARS:,} warraq typesets; break it with "
                      "spaces", column=match.start() - start + 1)


#: How deep square brackets may nest in a paragraph (`[a [b [c [d]]]]`). Pandoc's
#: Markdown reader takes time exponential in that depth (8: a second, 10: a minute; one
#: link in a bracketed span holding a note is 3), so deeper is refused before Pandoc
#: reads the chapter (W312).
MAX_BRACKETS = 4
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_BRACKETS = re.compile(r"[\[\]]")


def deep_brackets(ctx: ChapterContext) -> bool:
    """W312 at the first line where brackets nest past `MAX_BRACKETS` (code left out);
    True if there is one (the chapter is not read)."""
    depth, fence = 0, None
    for n, line in enumerate(ctx.body.split("\n")):
        opened = _FENCE.match(line)
        if fence or opened:
            fence = None if fence and opened and opened.group(1)[0] == fence else (
                fence or opened.group(1)[0])
            continue
        if not line.strip():
            depth = 0
        if "[" not in line and "]" not in line:
            continue
        for ch in _BRACKETS.findall(_CODE_SPAN.sub("", line.replace("\\[", "").replace(
                "\\]", ""))):
            depth = depth + 1 if ch == "[" else max(depth - 1, 0)
            if depth > MAX_BRACKETS:
                ctx.add(n + ctx.offset + 1, "W312", f"square brackets nest more than "
                        f"{MAX_BRACKETS} deep here, which Pandoc cannot read in reasonable "
                        "time: write fewer inside one another")
                return True
    return False


def fix_images(html: str, mapping: dict[str, str]) -> str:
    """Point every <img> at its checked path (relative to the source folder)."""
    if not mapping or "<img" not in html:
        return html
    wrapper = parse_fragment(html)
    for img in wrapper.iter("img"):
        img.set("src", mapping.get(img.get("src", ""), img.get("src", "")))
    return serialise_children(wrapper)
