"""A chapter's walk (`pandoc_ast.walk`) kept in the build cache, so that after an edit
only the edited chapter is read by Pandoc and walked again (the walk of a 3,000-word
chapter takes about 15 ms, a 90,000-word book's about 0.4 s).

The walk depends on the chapter's text (what Pandoc reads: the AST, the ids as written,
Pandoc's warnings), where the text starts in its file, the chapter's id and the book's
quotation marks; the key holds those and, as every key, warraq's code and libraries.
What is kept is what the walk leaves: the AST as it changed it (before the book's ids are
given: those depend on the other chapters), what it found (`Walked`, each heading named
by its place in the AST), and what it reported of the chapter and where it nests too
deeply. A chapter with citations, or a Word file, is not kept (citeproc reads all the
chapters at once; a Word file's images are not JSON).
"""

from __future__ import annotations

import dataclasses

from ..cache import Cache, Entry
from ..errors import Diagnostics
from . import pandoc_json
from .chapter import ChapterContext
from .pandoc_ast import HeaderInfo, Walked, walk

KIND = "pandoc-walk"


@dataclasses.dataclass
class Walk:
    """A chapter as Pandoc read it and the walk left it."""

    doc: dict
    walked: Walked
    log: list
    #: (line, column, code, message) of what the walk reported, and how many more it
    #: reported past what a report lists (`Diagnostics.limit`)
    said: list
    deep_line: int | None
    more: int = 0


def key(cache: Cache, ctx: ChapterContext, marks: str) -> str:
    return cache.key(KIND, ctx.body, ctx.offset, ctx.chapter_id, marks)


def walked(ctx: ChapterContext, doc: dict, explicit: list[str], log: list, marks: str,
           localise) -> Walk:
    """Walk the chapter (`localise(blocks, marks)`: its quotations in the book's marks
    first) and keep what it reported apart, to be `replay`ed."""
    own = dataclasses.replace(ctx, diags=Diagnostics(limit=ctx.diags.limit))
    found = walk(own, localise(doc["blocks"], marks), explicit)
    return Walk(doc, found, list(log), [(d.line, d.column, d.code, d.message)
                                         for d in own.diags.items], own.deep_line,
                own.diags.more)


def replay(ctx: ChapterContext, walk_: Walk) -> None:
    """What the walk reported, told of the chapter."""
    for line, column, code, message in walk_.said:
        ctx.diags.add(ctx.shown, line, code, message, column)
    ctx.diags.more += walk_.more
    if walk_.deep_line is not None and ctx.deep_line is None:
        ctx.deep_line = walk_.deep_line


def _header_paths(roots: list, headers: list[HeaderInfo]) -> list[list]:
    """Where each heading's node is in `roots`, as keys from the root down."""
    wanted = {id(h.node) for h in headers}
    places: dict[int, list] = {}
    stack: list[tuple[object, list]] = [(root, [n]) for n, root in enumerate(roots)]
    while stack and len(places) < len(wanted):
        value, path = stack.pop()
        if isinstance(value, dict):
            if id(value) in wanted:
                places[id(value)] = path
            stack += [(v, path + [k]) for k, v in value.items() if isinstance(v, (dict, list))]
        elif isinstance(value, list):
            stack += [(v, path + [i]) for i, v in enumerate(value)
                      if isinstance(v, (dict, list))]
    return [places[id(h.node)] for h in headers]


def dump(walk_: Walk) -> Entry:
    w = walk_.walked
    roots = [walk_.doc["blocks"], *(blocks for _n, blocks, _line in w.notes)]
    found = {name: getattr(w, name) for name in ("ids", "langs", "links", "images", "no_alt",
                                                  "raw_html", "nested_notes", "maths")}
    found["notes"] = [[n, [], line] for n, _blocks, line in w.notes]
    found["headers"] = [[path, h.level, h.text, h.line, h.explicit]
                        for path, h in zip(_header_paths(roots, w.headers), w.headers)]
    data = {"doc": walk_.doc, "notes": [blocks for _n, blocks, _line in w.notes],
            "found": found, "log": walk_.log, "said": walk_.said, "deep": walk_.deep_line,
            "more": walk_.more}
    return Entry(blobs={"json": pandoc_json.dumps(data)})


def _pairs(value) -> list[tuple]:
    return [tuple(item) for item in value]


def load(entry: Entry) -> Walk:
    data = pandoc_json.loads(entry.blobs["json"])
    found, doc = data["found"], data["doc"]
    if not isinstance(doc, dict) or not isinstance(doc["blocks"], list):
        raise ValueError("not a walk")
    notes = [(int(n), blocks, int(line))
             for (n, _none, line), blocks in zip(found["notes"], data["notes"], strict=True)]
    roots = [doc["blocks"], *(blocks for _n, blocks, _line in notes)]
    headers = []
    for path, level, text, line, explicit in found["headers"]:
        node = roots
        for step in path:
            node = node[step]
        if not isinstance(node, dict) or node.get("t") != "Header":
            raise ValueError("not a heading")
        headers.append(HeaderInfo(node, int(level), str(text), int(line), bool(explicit)))
    walked_ = Walked(headers, _pairs(found["ids"]), _pairs(found["langs"]),
                     _pairs(found["links"]), _pairs(found["images"]), _pairs(found["no_alt"]),
                     _pairs(found["raw_html"]), notes, dict(found["nested_notes"]),
                     _pairs(found["maths"]))
    said = [tuple(item) for item in data["said"]]
    return Walk(doc, walked_, list(data["log"]), said, data["deep"], int(data["more"]))
