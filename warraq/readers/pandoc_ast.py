"""Walking a chapter's Pandoc AST once, in document order: where everything is, and what
the checks need.

Pandoc's `markdown` reader gives no source positions, so one monotonic cursor runs over
the chapter's text while the walk goes on: each `Str`, `Code`, `Math` and raw piece is
looked for at or after the cursor (a word of it, the way it is written), and whatever
waits for a line (a link, a heading, a div) takes the line of the next piece found. A
footnote's reference (`[^label]` or `^[`) is the next one after the cursor; a note
defined elsewhere is walked from its definition, and the cursor comes back after it.

The walk also changes the AST for writing: each note becomes its reference
(`<a class="noteref">`, as the rest of warraq expects) and its blocks are kept apart;
each formula becomes a placeholder, written as MathML on its own; each code block
becomes its highlighted XHTML (`warraq.highlight`).
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field

from ..highlight import highlight
from .chapter import MAX_NESTING, ChapterContext
from .checks import MAX_DEPTH
from .pandoc_text import stringify
from .table_lines import table_end

#: Raw formats the HTML writer keeps (the others, `latex`, `tex`, ..., are dropped).
HTML_FORMATS = {"html", "html5", "html4"}
#: How far ahead of the cursor a piece of text is looked for.
WINDOW = 4000
#: How far ahead a short piece (or a word of a piece Pandoc changed) is looked for.
NEAR = 200
_WORD = re.compile(r"\w+")
_NOTE_REF = re.compile(r"\^\[|\[\^([^\]\s]+)\]")
_UNDEFINED = re.compile(r"\[\^([^\]\s]+)\]")
#: Pandoc's smart punctuation, back to what was typed.
_TYPED = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                        "\u2014": "---", "\u2013": "--", "\u2026": "...", "\u00a0": "\\ "})
#: Nodes with nothing in them to walk (no content, no handler): `children` passes them
#: by without a call, unless the walk is at `MAX_DEPTH` (where `node` notes the line).
_LEAVES = frozenset(("Space", "SoftBreak", "LineBreak"))
#: The whole-word pattern of each short word looked for (`Walker.find`), kept.
_SHORT: dict[str, re.Pattern] = {}
_SHORT_MAX = 4096
_RISKY = {"style", "href", "src", "srcset", "data", "poster", "background", "action"}
_ATTR_NODES = {"Header": 1, "CodeBlock": 0, "Table": 0, "Figure": 0, "Div": 0, "Code": 0,
               "Link": 0, "Image": 0, "Span": 0}


@dataclass
class HeaderInfo:
    """A heading: its node (its id is changed there), level, text, line, and whether the
    author wrote its id."""

    node: dict
    level: int
    text: str
    line: int
    explicit: bool


@dataclass
class Walked:
    """What the walk found in one chapter (lines are the file's)."""

    headers: list[HeaderInfo] = field(default_factory=list)
    ids: list[tuple[str, int]] = field(default_factory=list)       # ids the author wrote
    langs: list[tuple[str, int]] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)
    images: list[tuple[str, int]] = field(default_factory=list)
    no_alt: list[tuple[str, int]] = field(default_factory=list)
    raw_html: list[tuple[str, int]] = field(default_factory=list)
    #: (number, blocks, line of the reference) of each note, in order.
    notes: list[tuple[int, list, int]] = field(default_factory=list)
    nested_notes: dict[str, int] = field(default_factory=dict)
    #: (display?, TeX) of each formula, by its placeholder's number (from 1).
    maths: list[tuple[bool, str]] = field(default_factory=list)


class Walker:
    """One walk of one chapter's AST (see the module)."""

    def __init__(self, ctx: ChapterContext, explicit: list[str]):
        self.ctx, self.text = ctx, ctx.body
        self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.pos, self.pending = 0, []
        self.explicit = list(explicit)
        self.found = Walked()
        self.depth, self.deep_line, self.elements = 0, None, 0
        self.note: int | None = None
        self.limit: int | None = None       # (a search stops there: `on_Table`)

    # positions
    def line_at(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) + self.ctx.offset

    def line(self) -> int:
        return self.line_at(self.pos)

    def find(self, needle: str, window: int = WINDOW) -> int:
        """Where `needle` is at or after the cursor, within `window` characters (or -1)."""
        if not needle:
            return -1
        end = self.pos + window + len(needle)
        if self.limit is not None:
            end = min(end, self.limit)
        if len(needle) <= 3 and needle.isalnum():      # a short word: a whole word only
            pattern = _SHORT.get(needle)
            if pattern is None:
                if len(_SHORT) >= _SHORT_MAX:
                    _SHORT.clear()
                pattern = _SHORT[needle] = re.compile(
                    r"(?<![^\W_])" + re.escape(needle) + r"(?![^\W_])")
            m = pattern.search(self.text, self.pos, end)
            return m.start() if m else -1
        return self.text.find(needle, self.pos, end)

    def move(self, at: int, length: int, past: bool = True) -> int:
        """Put the cursor at `at` (past the `length` characters there); the line, given to
        whatever waits for one."""
        self.pos = at + length if past else at
        line = self.line_at(at)
        for record in self.pending:
            record(line)
        self.pending.clear()
        return line

    def locate(self, needle: str, past: bool = True, window: int = WINDOW) -> int | None:
        """Find `needle` at or after the cursor (within `window` characters); move there
        (past it); the line."""
        at = self.find(needle, window)
        return None if at < 0 else self.move(at, len(needle), past)

    def locate_first(self, needles: tuple[str, ...]) -> None:
        """Move to the nearest of `needles` after the cursor, if one is near."""
        places = [self.text.find(n, self.pos, self.pos + WINDOW) for n in needles]
        places = [p for p in places if p >= 0]
        if places:
            self.locate(self.text[min(places):min(places) + 3], past=True)

    def later(self, record) -> None:
        """`record(line)` once the next piece of text is found."""
        self.pending.append(record)

    # the walk
    def blocks(self, blocks: list) -> None:
        for block in blocks:
            self.node(block)

    def node(self, node: dict) -> None:
        self.elements += 1
        try:
            if self.elements > MAX_DEPTH:      # the chapter is refused (W312): stop here
                if self.ctx.deep_line is None:
                    self.ctx.deep_line = self.line()
                return
            self.visit(node)
        finally:
            self.elements -= 1

    def visit(self, node: dict) -> None:
        kind, c = node["t"], node.get("c")
        if kind == "Div":
            self.locate_first((":::", "<div"))
        if kind in _ATTR_NODES:
            self.attr(c[_ATTR_NODES[kind]], wait=kind != "Div")
        method = getattr(self, "on_" + kind, None)
        if method is not None:
            method(node, c)
        elif isinstance(c, list):
            self.children(c)

    def children(self, value) -> None:
        if isinstance(value, dict):
            if "t" in value:
                self.node(value)
        elif isinstance(value, list):
            for item in value:
                if (type(item) is dict and item.get("t") in _LEAVES and "c" not in item
                        and self.elements < MAX_DEPTH):
                    continue
                self.children(item)

    def attr(self, attr: list, wait: bool = True) -> None:
        """Record the id, `lang` and risky attributes (as raw HTML, for its audit) an
        author gave; their line is the cursor's, or (`wait`) the next text's."""
        ident, _classes, pairs = attr
        records = [[ident, 0]] if ident else []
        self.found.ids += records
        langs = [[value, 0] for key, value in pairs if key == "lang"]
        self.found.langs += langs
        risky = [(k, v) for k, v in pairs if k.lower().startswith("on") or k in _RISKY]
        if risky:
            tag = "".join(f' {k}="{v.replace(chr(34), "&quot;")}"' for k, v in risky)
            records.append([f"<span{tag}>", 0])
            self.found.raw_html.append(records[-1])
        for record in records + langs:
            record[1] = self.line()
            if wait:
                self.later(lambda line, r=record: r.__setitem__(1, line))

    def nest(self, weight: int, inner) -> None:
        """Walk `inner` one level deeper: W312 past `MAX_NESTING` (lists count 2, quotations
        1). (Past `MAX_DEPTH` nodes nothing is walked: see `node`.)"""
        self.depth += weight
        if self.depth > MAX_NESTING and self.deep_line is None:
            self.deep_line = self.line()
            self.later(lambda line: setattr(self, "deep_line", line))
        inner()
        self.depth -= weight

    def on_BlockQuote(self, node, c):
        self.nest(1, lambda: self.children(c))

    def on_BulletList(self, node, c):
        self.nest(2, lambda: self.children(c))

    on_DefinitionList = on_BulletList

    def on_OrderedList(self, node, c):
        """Decimal numbers are HTML's own: no `type="1"` (an Arabic book numbers them
        in its own digits, `ol:not([type])` in the print stylesheet)."""
        if c[0][1]["t"] in ("Decimal", "Example"):
            c[0][1] = {"t": "DefaultStyle"}
        self.on_BulletList(node, c)

    def on_Str(self, node, c):
        for m in _UNDEFINED.finditer(c) if "[^" in c else ():
            if self.note is not None and self._defined(m.group(1)):
                self.found.nested_notes.setdefault(f"fn-{self.ctx.chapter_id}-{self.note}",
                                                   self.line())
                continue
            self.ctx.add(self.line(), "W304", f"footnote `[^{m.group(1)}]` is referenced but "
                         "never defined: add `[^" + m.group(1) + "]: ...`")
        typed = c.translate(_TYPED)
        found = [(self.find(typed, NEAR if len(typed) < 4 else WINDOW), len(typed))]
        word = _WORD.search(typed)
        if word is not None and word.group() != typed:
            # (the whole of it a word: found in the nearer window, it is where it was
            # found above, or nowhere)
            found.append((self.find(word.group(), NEAR), len(word.group())))
        found = [f for f in found if f[0] >= 0]
        if found:
            self.move(*min(found))

    def _defined(self, label: str) -> bool:
        return re.search(r"^ {0,3}\[\^" + re.escape(label) + r"\]:", self.text, re.M) is not None

    def on_Figure(self, node, c):
        """The content first (the caption is the image's description, written in it); the
        caption is walked without moving the cursor."""
        self.children(c[2])
        pos, pending, self.pending = self.pos, self.pending, []
        self.children(c[1])
        self.pos, self.pending = pos, pending

    def on_Div(self, node, c):
        self.children(c[1])

    def on_Code(self, node, c):
        self.locate(c[1].split("\n")[0][:40])

    def on_CodeBlock(self, node, c):
        """Located by its first line; written highlighted (`warraq.highlight`, as the
        language's first class names it), its id kept."""
        (ident, classes, _pairs), code = c
        first = next((ln.strip() for ln in code.split("\n") if ln.strip()), "")
        self.locate(first[:40])
        pre = highlight(code, classes[0] if classes else None)
        if ident:
            pre = pre.replace("<pre ", f'<pre id="{html.escape(ident)}" ', 1)
        node["t"], node["c"] = "RawBlock", ["html", pre]

    def raw(self, c) -> None:
        fmt, text = c
        first = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
        line = self.locate(first[:60]) or self.line()
        if fmt.lower() in HTML_FORMATS:
            self.found.raw_html.append((text, line))

    def on_RawInline(self, node, c):
        self.raw(c)

    on_RawBlock = on_RawInline

    def on_Header(self, node, c):
        level, attr, inlines = c
        explicit = bool(self.explicit.pop(0)) if self.explicit else False
        info = HeaderInfo(node, level, " ".join(stringify(inlines).split()), self.line(),
                          explicit)
        self.found.headers.append(info)
        if not explicit and attr[0]:
            self.found.ids.pop()        # attr() counted it: Pandoc made it, not the author
        self.later(lambda line: setattr(info, "line", line))
        self.children(inlines)

    def target(self, url: str, records: list) -> list:
        """A link's or image's record: the line of `](url` if it is near (the cursor
        stays), else the line of the next text found."""
        record = [url, self.line()]
        records.append(record)
        end = self.pos + WINDOW if self.limit is None else min(self.pos + WINDOW, self.limit)
        at = self.text.find("](" + url, self.pos, end) if url else -1
        if at < 0 and url:
            at = self.text.find("](<" + url, self.pos, end)
        if at >= 0:
            record[1] = self.line_at(at)
        else:
            self.later(lambda line: record.__setitem__(1, line))
        return record

    def on_Link(self, node, c):
        self.target(c[2][0], self.found.links)
        self.children(c[1])

    def on_Image(self, node, c):
        record = self.target(c[2][0], self.found.images)
        if not stringify(c[1]).strip():
            self.found.no_alt.append(record)
        self.children(c[1])

    def on_Table(self, node, c):
        """Its cells are looked for in its own lines (a spanning cell found further on
        would move every line after it: `table_end`), then the cursor goes past it."""
        attr, caption, _specs, head, bodies, foot = c
        end = table_end(self.text, self.pos)
        outer, self.limit = self.limit, end if self.limit is None else min(end, self.limit)
        try:
            self.children([head, bodies, foot])
        finally:
            self.limit = outer
        self.pos = max(self.pos, end)
        self.children(caption)

    def on_Math(self, node, c):
        self.locate(c[1].strip()[:30], past=False)
        self.found.maths.append((c[0]["t"] == "DisplayMath", c[1]))
        n = len(self.found.maths)
        node["t"], node["c"] = "RawInline", ["html", f'<span id="{_math_id(self.ctx, n)}">'
                                                     "</span>"]

    def on_Note(self, node, c):
        n = len(self.found.notes) + 1
        ch = self.ctx.chapter_id
        m = _NOTE_REF.search(self.text, self.pos, self.pos + WINDOW)
        line = self.line_at(m.start()) if m else self.line()
        if self.note is not None:
            self.found.nested_notes.setdefault(f"fn-{ch}-{self.note}", line)
        self.found.notes.append((n, c, line))
        node["t"], node["c"] = "RawInline", [
            "html", f'<a class="noteref" role="doc-noteref" href="#fn-{ch}-{n}" '
                    f'id="fnref-{ch}-{n}">{n}</a>']
        outer, self.note = self.note, n
        if m and m.group(1):           # defined elsewhere: walk it there, then come back
            back = m.end()
            define = re.search(r"^ {0,3}\[\^" + re.escape(m.group(1)) + r"\]:", self.text,
                               re.M)
            self.pos = define.end() if define else back
            self.blocks(c)
            self.pos = back
        else:
            self.pos = m.end() if m else self.pos
            self.blocks(c)
        self.note = outer


def _math_id(ctx: ChapterContext, n: int) -> str:
    return f"warraq-math-{ctx.chapter_id}-{n}"


def walk(ctx: ChapterContext, blocks: list, explicit: list[str]) -> Walked:
    """Walk a chapter's blocks (changed in place for writing, see the module)."""
    walker = Walker(ctx, explicit)
    walker.blocks(blocks)
    for record in walker.pending:
        record(walker.line())
    if walker.deep_line is not None:
        ctx.add(walker.deep_line, "W312", "lists and quotations nest too deeply here (at "
                f"most {MAX_NESTING // 2} lists or {MAX_NESTING} quotations inside one "
                "another): flatten them")
    return walker.found
