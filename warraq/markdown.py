"""Markdown to an XHTML fragment: CommonMark plus what Pandoc users rely on.

Supported: footnotes (`[^1]`, `^[inline]`), fenced divs (`::: {.class lang=.. dir=..}`
or `::: verse`), bracketed spans (`[text]{lang=ar}`), smart punctuation, tables,
strikethrough, code highlighted by Pygments (`warraq.highlight`), and ordered lists
numbered `1.`, `a.`, `A.`, `i.`, `I.` as written (`warraq.fancy_lists`). `render`
returns the sanitised, well-formed fragment with its headings, footnotes and the images
it names, the line of each id, link, image, `lang` and note reference (from
markdown-it's token map, counting line breaks inside a paragraph), and reports problems
with their line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .errors import Diagnostics
from .highlight import highlight
from .vendor.markdown_it_list import list_block
from .model import Footnote, Heading
from .text import slugify
from .xhtml import sanitise, to_xhtml

#: Attributes an author may set with `{...}` on spans and divs.
AUTHOR_ATTRIBUTES = ("id", "class", "lang", "dir")
_UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")


@dataclass
class Rendered:
    """What one Markdown text became, and where (lines of the file) its parts are, taken
    from markdown-it's token map: checks never search the text for a line again."""

    html: str
    headings: list[Heading] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    images: list[tuple[str, int]] = field(default_factory=list)   # (src, line)
    links: list[tuple[str, int]] = field(default_factory=list)    # (href, line)
    raw_html: list[tuple[str, int]] = field(default_factory=list)  # (author HTML, line)
    #: (id, line) of every id the Markdown gives (`{#id}`) or makes (headings, notes).
    ids: list[tuple[str, int]] = field(default_factory=list)
    #: (tag, line) of every `lang` an author set in Markdown (`{lang=..}`).
    langs: list[tuple[str, int]] = field(default_factory=list)
    #: (src, line) of every Markdown image without alternative text.
    no_alt: list[tuple[str, int]] = field(default_factory=list)
    #: note id -> the line of a footnote reference inside that note.
    nested_notes: dict[str, int] = field(default_factory=dict)


def _div_params(params: str) -> dict[str, str] | None:
    """`verse`, `verse {lang=ar}` or `{.verse lang=ar}` as attributes; None if malformed."""
    params = params.strip()
    brace = params.find("{")
    words, attr_text = (params, "") if brace < 0 else (params[:brace], params[brace:])
    attrs: dict[str, str] = {}
    if attr_text:
        try:
            end, parsed = parse_attrs(attr_text)
        except ParseError:
            return None
        if attr_text[end + 1:].strip():
            return None
        attrs.update(parsed)
    classes = words.split() + attrs.get("class", "").split()
    if classes:
        attrs["class"] = " ".join(classes)
    return {k: v for k, v in attrs.items() if k in AUTHOR_ATTRIBUTES}


def _render_div(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if token.nesting == 1:
        attrs = _div_params(token.info) or {}
        for key, value in attrs.items():
            token.attrSet(key, value)
    return self.renderToken(tokens, idx, options, env)


def _render_footnote_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any,
                         env: Any) -> str:
    meta = tokens[idx].meta
    prefix = env["warraq_chapter"]
    n = meta["id"] + 1
    ref_id = f"fnref-{prefix}-{n}" + (f"-{meta['subId']}" if meta.get("subId", 0) > 0 else "")
    return (f'<a class="noteref" role="doc-noteref" href="#fn-{prefix}-{n}" '
            f'id="{ref_id}">{n}</a>')


def _render_code(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A fenced or indented code block, highlighted (`warraq.highlight`)."""
    tok = tokens[idx]
    language = tok.info.strip().split()[0].lstrip("{.").rstrip("}") if tok.info.strip() else None
    return highlight(tok.content, language) + "\n"


def _nothing(*_args: Any) -> str:
    return ""


def _record_footnote_lines(state: Any) -> None:
    lines = state.env.setdefault("warraq_footnote_lines", {})
    for tok in state.tokens:
        if tok.type == "footnote_reference_open" and tok.map:
            lines[":" + tok.meta["label"]] = tok.map[0]


def make_parser() -> MarkdownIt:
    """The Markdown parser warraq uses (one per build; it keeps no state between texts)."""
    md = MarkdownIt("commonmark", {"typographer": True, "html": True, "xhtmlOut": True})
    md.enable(["replacements", "smartquotes", "table", "strikethrough"])
    md.block.ruler.at("list", list_block, {"alt": ["paragraph", "reference", "blockquote"]})
    md.use(footnote_plugin)
    md.use(attrs_plugin, spans=True, allowed=AUTHOR_ATTRIBUTES)
    md.use(container_plugin, name="div", validate=lambda params, *_: bool(params.strip())
           and _div_params(params) is not None, render=_render_div)
    md.use(deflist_plugin)
    md.core.ruler.before("footnote_tail", "warraq_footnote_lines", _record_footnote_lines)
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    md.add_render_rule("fence", _render_code)
    md.add_render_rule("code_block", _render_code)
    for rule in ("footnote_block_open", "footnote_block_close", "footnote_anchor"):
        md.add_render_rule(rule, _nothing)
    md.add_render_rule("footnote_open", _nothing)
    md.add_render_rule("footnote_close", _nothing)
    return md


def _inline_text(token: Token) -> str:
    """The plain text of an inline token (markup and footnote references left out)."""
    parts = []
    for child in _walk(token.children or []):
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


class _Places:
    """Walks the tokens once: heading ids, and the line of everything checks report on."""

    def __init__(self, chapter_id: str, file: str, line_offset: int, diags: Diagnostics,
                 result: Rendered):
        self.chapter_id, self.file, self.offset = chapter_id, file, line_offset
        self.diags, self.result = diags, result
        self.used: set[str] = set()
        self.ref_lines: dict[int, int] = {}     # note number -> line of its reference
        self.note: int | None = None            # inside this note (its number), if any

    def line(self, tok: Token) -> int:
        """The file's line of a block token (an inline note's: its reference's line)."""
        if tok.map:
            return tok.map[0] + self.offset + 1
        if self.note is not None and self.note in self.ref_lines:
            return self.ref_lines[self.note]
        return self.offset + 1

    def block(self, tokens: list[Token], i: int) -> None:
        tok = tokens[i]
        if tok.type == "footnote_open":
            self.note = tok.meta["id"] + 1
            self.result.ids.append((f"fn-{self.chapter_id}-{self.note}", self.line(tok)))
        elif tok.type == "footnote_close":
            self.note = None
        elif tok.type == "heading_open":
            self.heading(tok, tokens[i + 1])
        elif tok.type == "container_div_open":
            self.attrs(_div_params(tok.info) or {}, self.line(tok))
        elif tok.type == "html_block":
            self.result.raw_html.append((tok.content, self.line(tok)))
        elif tok.type == "inline":
            self.inline(tok)

    def heading(self, tok: Token, inline: Token) -> None:
        title = " ".join(_inline_text(inline).split())
        base = f"{self.chapter_id}-{slugify(title) or 'section'}"
        hid, n = base, 1
        while hid in self.used:
            n += 1
            hid = f"{base}-{n}"
        self.used.add(hid)
        tok.attrSet("id", hid)
        self.result.headings.append(Heading(int(tok.tag[1]), title, hid))
        self.result.ids.append((hid, self.line(tok)))

    def attrs(self, attrs: dict, line: int) -> None:
        if attrs.get("id"):
            self.result.ids.append((str(attrs["id"]), line))
        if attrs.get("lang"):
            self.result.langs.append((str(attrs["lang"]), line))

    def inline(self, tok: Token) -> None:
        line, result = self.line(tok), self.result
        for child in _walk(tok.children or []):
            self.attrs(child.attrs, line)
            if child.type == "image":
                result.images.append((child.attrGet("src") or "", line))
                if not child.content.strip():
                    result.no_alt.append((child.attrGet("src") or "", line))
            elif child.type == "link_open":
                result.links.append((str(child.attrGet("href") or ""), line))
            elif child.type == "html_inline":
                result.raw_html.append((child.content, line))
            elif child.type == "footnote_ref":
                self.footnote_ref(child, line)
            elif child.type == "text":
                for m in _UNDEFINED_REF.finditer(child.content):
                    self.diags.add(self.file, line, "W304", f"footnote `[^{m.group(1)}]` is "
                                   "referenced but never defined: add `[^" + m.group(1)
                                   + "]: ...`")
            line += child.content.count("\n") if child.type == "html_inline" else (
                child.type in ("softbreak", "hardbreak"))

    def footnote_ref(self, child: Token, line: int) -> None:
        n = child.meta["id"] + 1
        sub = child.meta.get("subId", 0)
        self.ref_lines.setdefault(n, line)
        self.result.links.append((f"#fn-{self.chapter_id}-{n}", line))
        self.result.ids.append((f"fnref-{self.chapter_id}-{n}" + (f"-{sub}" if sub > 0 else ""),
                                line))
        if self.note is not None:
            self.result.nested_notes.setdefault(f"fn-{self.chapter_id}-{self.note}", line)


def _split_notes(tokens: list[Token]) -> tuple[list[Token], list[tuple[int, list[Token]]]]:
    """The body's tokens, and (note id, tokens) of each footnote the plugin moved last."""
    body: list[Token] = []
    notes: list[tuple[int, list[Token]]] = []
    current: list[Token] | None = None
    for tok in tokens:
        if tok.type == "footnote_open":
            current = []
            notes.append((tok.meta["id"], current))
        elif tok.type == "footnote_close":
            current = None
        elif tok.type in ("footnote_block_open", "footnote_block_close"):
            continue
        elif current is not None:
            current.append(tok)
        else:
            body.append(tok)
    return body, notes


def render(md: MarkdownIt, text: str, chapter_id: str, file: str, line_offset: int,
           diags: Diagnostics) -> Rendered:
    """Render one chapter's Markdown (without its front matter).

    `line_offset` is the number of lines before `text` in the file, so reported lines
    are the file's own.
    """
    env: dict[str, Any] = {"warraq_chapter": chapter_id}
    tokens = md.parse(text, env)
    result = Rendered(html="")
    places = _Places(chapter_id, file, line_offset, diags, result)
    for i in range(len(tokens)):
        places.block(tokens, i)
    body, notes = _split_notes(tokens)
    result.html = to_xhtml(sanitise(md.renderer.render(body, md.options, env)))
    for note_id, note_tokens in notes:
        n = note_id + 1
        html = to_xhtml(sanitise(md.renderer.render(note_tokens, md.options, env)))
        result.footnotes.append(Footnote(f"fn-{chapter_id}-{n}", f"fnref-{chapter_id}-{n}",
                                         str(n), html))

    lines = env.get("warraq_footnote_lines", {})
    for label, ref in env.get("footnotes", {}).get("refs", {}).items():
        if ref == -1:
            diags.add(file, lines.get(label, 0) + line_offset + 1, "W305",
                      f"footnote `[^{label[1:]}]` is defined but never referenced: "
                      "reference it or remove it")
    return result


def _walk(tokens: Sequence[Token]):
    for tok in tokens:
        yield tok
        if tok.children:
            yield from _walk(tok.children)
