"""A Markdown chapter: its front matter, its rendering, its title, and the context every
check of it reads.

`ChapterContext` carries the file (its name, its text, the line offset of the body
after the front matter), what the Markdown became (`warraq.markdown.Rendered`, with
the line of each id, link, image, `lang` and note from markdown-it's token map), the
audit of each piece of raw HTML with its line, and the chapter's XHTML once its images
are checked. Checks report through it; none searches the text for a line again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostics
from ..markdown import Rendered, make_parser, render
from ..model import Chapter, FrontMatter, Heading
from ..yamlguard import LONG_RUN, MAX_WORD_CHARS
from ..xhtml import RawHtmlAudit, audit_raw_html, parse_fragment, serialise_children
from .schema import FRONT_MATTER, validate

#: The longest paragraph (text without a blank line) warraq typesets. WeasyPrint breaks a
#: paragraph into lines in time that grows faster than its length (one 5 MB paragraph
#: takes minutes and half a gigabyte); 100 000 characters is some 30 printed pages.
MAX_PARAGRAPH_CHARS = 100_000
#: How deep Markdown blocks may nest (a list level counts two: list and item; a quotation
#: one): 8 lists or 16 quotations. markdown-it silently drops whatever lies deeper than
#: its own limit, and in the 6-inch PDF page some 24 quotations leave no width for text
#: (it vanishes), so warraq stops well before and says so (W312).
MAX_NESTING = 16


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


class NestingGuard:
    """A block rule that never matches: it notes the first line nested past `MAX_NESTING`
    (markdown-it would drop it silently). Reset `line` before each text."""

    def __init__(self) -> None:
        self.line: int | None = None

    def __call__(self, state, start_line: int, _end_line: int, _silent: bool) -> bool:
        if state.level > MAX_NESTING and self.line is None:
            self.line = start_line
        return False


def parser():
    """The Markdown parser, with warraq's limits and every link kept for checking."""
    md = make_parser()
    # markdown-it quietly turns links it distrusts (javascript:, file:, data:) into plain
    # text; let every link through as a link, so that the checks report it with its line.
    md.validateLink = lambda url: True
    md.options["maxNesting"] = MAX_NESTING + 4
    guard = NestingGuard()
    first = md.block.ruler.get_all_rules()[0]
    md.block.ruler.before(first, "warraq_nesting_guard", guard)
    return md, guard


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


def render_chapter(ctx: ChapterContext, md, guard: NestingGuard, book_title: str = "") -> None:
    """Render the body (W304, W305, W312 reported), audit its raw HTML, find its title
    (W303 when it has none; `book_title` is the title of an article's first part)."""
    guard.line = None
    ctx.rendered = rendered = render(md, ctx.body, ctx.chapter_id, ctx.shown, ctx.offset,
                                     ctx.diags)
    if guard.line is not None:
        ctx.add(guard.line + ctx.offset + 1, "W312", "lists and quotations nest too deeply "
                f"here (at most {MAX_NESTING // 2} lists or {MAX_NESTING} quotations inside "
                "one another): flatten them")
    ctx.audits = [(audit_raw_html(chunk), line) for chunk, line in rendered.raw_html]
    headings = rendered.headings
    ctx.title = ctx.front.title or (headings[0].text if headings else "") or book_title
    if not ctx.title:
        ctx.add(ctx.offset + 1, "W303", "the chapter has no heading and no `title` in front "
                "matter: start it with `# Title`")


def fix_images(html: str, mapping: dict[str, str]) -> str:
    """Point every <img> at its checked path (relative to the source folder)."""
    if not mapping or "<img" not in html:
        return html
    wrapper = parse_fragment(html)
    for img in wrapper.iter("img"):
        img.set("src", mapping.get(img.get("src", ""), img.get("src", "")))
    return serialise_children(wrapper)
