"""Markdown to an XHTML fragment: CommonMark plus what Pandoc users rely on.

Supported: footnotes (`[^1]`, `^[inline]`), fenced divs (`::: {.class lang=.. dir=..}` or
`::: verse`), bracketed spans (`[text]{lang=ar}`), smart punctuation, tables,
strikethrough, and ordered lists numbered `1.`, `a.`, `A.`, `i.`, `I.` as written
(`warraq.fancy_lists`). `render` returns the sanitised, well-formed fragment with its
headings, footnotes and the images it names, and reports problems with their line.
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
from .vendor.markdown_it_list import list_block
from .model import Footnote, Heading
from .text import slugify
from .xhtml import sanitise, to_xhtml

#: Attributes an author may set with `{...}` on spans and divs.
AUTHOR_ATTRIBUTES = ("id", "class", "lang", "dir")
_UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")


@dataclass
class Rendered:
    """What one Markdown text became."""

    html: str
    headings: list[Heading] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    images: list[tuple[str, int]] = field(default_factory=list)   # (src, line)
    links: list[tuple[str, int]] = field(default_factory=list)    # (href, line)
    raw_html: list[tuple[str, int]] = field(default_factory=list)  # (author HTML, line)


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


def render(md: MarkdownIt, text: str, chapter_id: str, file: str, line_offset: int,
           diags: Diagnostics) -> Rendered:
    """Render one chapter's Markdown (without its front matter).

    `line_offset` is the number of lines before `text` in the file, so reported lines
    are the file's own.
    """
    env: dict[str, Any] = {"warraq_chapter": chapter_id}
    tokens = md.parse(text, env)
    result = Rendered(html="")

    # Headings: ids, plain text.
    used: set[str] = set()
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            title = " ".join(_inline_text(inline).split())
            base = f"{chapter_id}-{slugify(title) or 'section'}"
            hid, n = base, 1
            while hid in used:
                n += 1
                hid = f"{base}-{n}"
            used.add(hid)
            tok.attrSet("id", hid)
            result.headings.append(Heading(int(tok.tag[1]), title, hid))
        elif tok.type == "html_block":
            result.raw_html.append((tok.content, (tok.map[0] if tok.map else 0)
                                    + line_offset + 1))
        elif tok.type == "inline":
            line = (tok.map[0] if tok.map else 0) + line_offset + 1
            for child in _walk(tok.children or []):
                if child.type == "image":
                    result.images.append((child.attrGet("src") or "", line))
                elif child.type == "link_open":
                    result.links.append((str(child.attrGet("href") or ""), line))
                elif child.type == "html_inline":
                    result.raw_html.append((child.content, line))
                elif child.type == "footnote_ref":
                    result.links.append((f"#fn-{chapter_id}-{child.meta['id'] + 1}", line))
                elif child.type == "text":
                    for m in _UNDEFINED_REF.finditer(child.content):
                        diags.add(file, line, "W304", f"footnote `[^{m.group(1)}]` is referenced "
                                  "but never defined: add `[^" + m.group(1) + "]: ...`")

    # Split off the footnotes the plugin moved to the end.
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
