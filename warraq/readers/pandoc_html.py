"""Every chapter of a book through Pandoc: read, walked, ids given, written as XHTML.

`render_chapters` reads all the chapters' bodies (or Word files: `warraq.readers.docx`)
with one Pandoc process, walks each AST (`pandoc_ast`: positions, notes apart, formulas
apart; citations processed by citeproc in the same run, `warraq.readers.citations`),
gives every heading its id in the book (`links.BookIds`), writes the bodies,
notes and formulas with the same process, and leaves in each chapter context what the
checks and the writers expect of any chapter (`chapter.Rendered`: sanitised XHTML,
headings, footnotes, and the line of each link, image, id, `lang` and piece of raw
HTML). Quotation marks are the book language's (Pandoc's smart quotes are English
ones). `relink` points the links of a finished fragment at their ids in the book.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import lxml.etree as ET

from ..cache import NO_CACHE, Cache
from ..errors import Diagnostics
from ..model import Footnote, Heading
from ..xhtml import audit_raw_html, parse_fragment, sanitise, serialise_children, text_of, to_xhtml
from . import pandoc, walks
from .chapter import ChapterContext, Rendered
from .citations import Citations
from .folder import SourceFolder
from .links import BookIds, gfm_id
from .pandoc_ast import Walked
from .pandoc_text import stringify

MATHML = "http://www.w3.org/1998/Math/MathML"
#: The quotation marks Pandoc's HTML writer sets.
ENGLISH_QUOTES = "\u201c\u201d\u2018\u2019"
_MATH_PARSER = ET.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _reference_lines(ctx: ChapterContext, log: list[dict]) -> None:
    """W305 from what Pandoc's reader warned of (a note defined and never used)."""
    for entry in log:
        if entry.get("type") == "NoteDefinedButNotUsed":
            label = entry.get("key", "")
            ctx.add(int(entry.get("line") or 1) + ctx.offset, "W305", f"footnote `[^{label}]` "
                    "is defined but never referenced: reference it or remove it")


def _ids(ctx: ChapterContext, walked: Walked, book: BookIds) -> None:
    """The chapter's ids in the book: written ones kept, Pandoc's made unique."""
    ids = book.chapters[ctx.shown]
    ch = ctx.chapter_id
    written = list(walked.ids)
    written += [(i, line + n) for audit, line in ctx.audits for i, n in audit.ids]
    for n, _blocks, line in walked.notes:
        written += [(f"fn-{ch}-{n}", line), (f"fnref-{ch}-{n}", line)]
    first = walked.headers[0] if walked.headers else None
    if first is None or first.level != 1:
        written.append((f"{ch}-title", ctx.offset + 1))
    book.written(ids, written)
    for header in walked.headers:
        attr = header.node["c"][1]
        if not header.explicit:
            attr[0] = book.made(ids, attr[0] or "section")
        book.alias(ids, gfm_id(header.text), attr[0])


def _read(ctxs: list[ChapterContext], book: BookIds, marks: str, session: pandoc.Session,
          citations: Citations | None = None
          ) -> list[tuple[ChapterContext, Walked, dict, str | None]]:
    """Every chapter read (its citations processed, with `citations`) and walked:
    (chapter, walk, document, the walk's key in the cache or None) of each one Pandoc
    could read (a Word file it cannot is W206 and goes no further). A chapter's walk
    comes from the build cache when it is there (`warraq.readers.walks`): only the
    others are read."""
    cache = session.cache
    keys = [walks.key(cache, ctx, marks) if cache.enabled and citations is None
            and ctx.docx is None else None for ctx in ctxs]

    def read(todo: list[int]) -> dict:
        return dict(zip(todo, session.read(
            [ctxs[n].body if ctxs[n].docx is None else ctxs[n].docx for n in todo],
            citations.citing if citations else None)))
    # Pandoc reads the chapters the cache holds no walk of while the kept walks are
    # decoded (a kept walk that turns out unsound is read after)
    todo = [n for n, k in enumerate(keys) if k is None or not cache.holds(k)]
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(read, todo) if todo else None
        kept = [None if n in todo else _kept(cache, k) for n, k in enumerate(keys)]
        parsed = reading.result() if reading else {}
    unsound = [n for n, walk_ in enumerate(kept) if walk_ is None and n not in parsed]
    if unsound:
        parsed.update(read(unsound))
    if citations is not None:
        citations.cited, citations.ctxs = session.cited, list(ctxs)
    out = []
    for n, ctx in enumerate(ctxs):
        book.add_chapter(ctx.shown, ctx.path)
        walk_, found = kept[n], parsed.get(n)
        if found is not None and found.error:
            ctx.add(None, "W206", "Pandoc cannot read this Word file: save it again from "
                    "Word as a Word Document (.docx)")
            continue
        if walk_ is None:
            walk_ = walks.walked(ctx, found.doc, found.explicit, found.log, marks,
                                 localise_quotes)
            ctx.media = found.media
            if keys[n] is not None:
                cache.misses.append(walks.KIND)
                cache.put(keys[n], walks.dump(walk_))
        else:
            cache.hits.append(walks.KIND)
        walks.replay(ctx, walk_)
        _reference_lines(ctx, walk_.log)
        ctx.audits = [(audit_raw_html(chunk), line) for chunk, line in walk_.walked.raw_html]
        out.append((ctx, walk_.walked, walk_.doc, keys[n]))
    return out


def _kept(cache: Cache, key: str | None) -> walks.Walk | None:
    entry = cache.get(key) if key is not None else None
    if entry is None:
        return None
    try:
        return walks.load(entry)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def render_chapters(ctxs: list[ChapterContext], source: SourceFolder, diags: Diagnostics,
                    chapter_ids: set[str], marks: str = ENGLISH_QUOTES,
                    citations: Citations | None = None, cache: Cache = NO_CACHE,
                    jobs: int = 1) -> BookIds:
    """Render every chapter (see the module), quotations in `marks` (double open, close,
    single open, close), citations processed with `citations` (which gets citeproc's
    findings and the bibliography's HTML); the book's ids, to resolve links with. A
    chapter Pandoc could not read keeps `rendered` None."""
    book = BookIds(source, diags, set(chapter_ids))
    with pandoc.Session(cache, jobs) as session:
        walks = _read(ctxs, book, marks, session, citations)
        for ctx, walked, _doc, _key in walks:
            _ids(ctx, walked, book)
        docs, names = [], []
        for _ctx, walked, doc, key in walks:
            own = [pandoc.document(doc["blocks"])]
            own += [pandoc.document(blocks) for _n, blocks, _line in walked.notes]
            own += [pandoc.document([{"t": "Plain", "c": [{"t": "Math", "c": [
                {"t": "DisplayMath" if display else "InlineMath"}, tex]}]}])
                for display, tex in walked.maths]
            # a walk kept in the cache and the ids its headings were given make these
            # documents: they name them there, with no JSON written to find them
            ids = [h.node["c"][1][0] for h in walked.headers]
            names += [None if key is None else [key, ids, n] for n in range(len(own))]
            docs += own
        bibliography = citations.cited.bibliography if citations and citations.cited else None
        if bibliography:
            docs.append(pandoc.document(bibliography["blocks"]))
            names.append(None)
        htmls = iter(session.write(docs, names))
    for ctx, walked, doc, _key in walks:
        body = next(htmls)
        notes = [next(htmls) for _ in walked.notes]
        maths = [(next(htmls), tex) for _display, tex in walked.maths]
        ctx.rendered = _rendered(ctx, walked, body, notes, maths)
        ctx.rendered.title_block = _meta_title(doc)
    if bibliography:
        citations.html = next(htmls)
    return book


def localise_quotes(value, marks: str):
    """`value` (blocks or inlines, changed in place) with each of Pandoc's quotations
    (`Quoted`) written with `marks`: double open, close, single open, close."""
    if marks == ENGLISH_QUOTES:
        return value                    # what Pandoc's HTML writer gives
    if isinstance(value, dict):
        localise_quotes(value.get("c"), marks)
    elif isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict) and item.get("t") == "Quoted":
                kind, inner = item["c"]
                mark = marks[:2] if kind["t"] == "DoubleQuote" else marks[2:4]
                out += [{"t": "Str", "c": mark[0]}, *localise_quotes(inner, marks),
                        {"t": "Str", "c": mark[1]}]
            else:
                out.append(localise_quotes(item, marks))
        value[:] = out
    return value


def _meta_title(doc: dict) -> str:
    """The `%` title block's title (Pandoc's `title` metadata), if any."""
    title = doc.get("meta", {}).get("title")
    if not title:
        return ""
    value = title.get("c")
    if title.get("t") == "MetaInlines":
        return " ".join(stringify(value).split())
    if title.get("t") == "MetaString":
        return value
    return ""


def _rendered(ctx: ChapterContext, walked: Walked, body: str, notes: list[str],
              maths: list[tuple[str, str]]) -> Rendered:
    ch = ctx.chapter_id
    result = Rendered(html=_xhtml(body, ctx, maths))
    result.headings = [Heading(h.level, h.text, h.node["c"][1][0]) for h in walked.headers]
    for (n, _blocks, _line), html in zip(walked.notes, notes):
        result.footnotes.append(Footnote(f"fn-{ch}-{n}", f"fnref-{ch}-{n}", str(n),
                                         _xhtml(html, ctx, maths)))
    result.images = [tuple(r) for r in walked.images]
    result.links = [tuple(r) for r in walked.links]
    result.raw_html = [tuple(r) for r in walked.raw_html]
    result.ids = [tuple(r) for r in walked.ids]
    result.langs = [tuple(r) for r in walked.langs]
    result.no_alt = [tuple(r) for r in walked.no_alt]
    result.nested_notes = dict(walked.nested_notes)
    return result


def _xhtml(html: str, ctx: ChapterContext, maths: list[tuple[str, str]]) -> str:
    """Sanitised XHTML, each formula's placeholder replaced by its MathML."""
    xhtml = to_xhtml(sanitise(html))
    prefix = f"warraq-math-{ctx.chapter_id}-"
    if prefix not in xhtml:
        return xhtml
    tree = parse_fragment(xhtml)
    for span in list(tree.iter("span")):
        ident = span.get("id") or ""
        if ident.startswith(prefix) and ident[len(prefix):].isdigit():
            n = int(ident[len(prefix):])
            if 1 <= n <= len(maths):
                _replace(span, *maths[n - 1])
    return serialise_children(tree)


def _replace(span: ET._Element, html: str, tex: str) -> None:
    """The placeholder becomes the MathML (its TeX as `alttext`, for reading aloud), or,
    when Pandoc could not convert the TeX, the TeX as written (`<code class="math">`)."""
    math = _mathml(html)
    if math is None:
        span.tag, span.text = "code", text_of(parse_fragment(to_xhtml(sanitise(html))))
        span.attrib.clear()
        span.set("class", "math")
        return
    math.set("alttext", " ".join(tex.split()))
    math.tail = span.tail
    span.getparent().replace(span, math)


def _mathml(html: str) -> ET._Element | None:
    """Pandoc's MathML for one formula, with nothing but MathML elements and attributes
    (None when Pandoc could not convert the TeX)."""
    html = html.strip()
    if not html.startswith("<math"):
        return None
    try:
        math = ET.fromstring(html.encode(), _MATH_PARSER)
    except ET.XMLSyntaxError:
        return None
    for el in list(math.iter()):
        if not isinstance(el.tag, str) or not el.tag.startswith("{" + MATHML + "}"):
            el.getparent().remove(el)
            continue
        for name in list(el.attrib):
            if name.lower().startswith("on") or "href" in name.lower() or name == "src":
                del el.attrib[name]
    return math


def relink(xhtml: str, book: BookIds, shown: str) -> str:
    """Point every link of a fragment that resolves at its id in the book (`#id`)."""
    if "href" not in xhtml:
        return xhtml
    tree = parse_fragment(xhtml)
    changed = False
    for a in tree.iter("a"):
        href = a.get("href")
        if href is None or a.get("class") == "noteref":
            continue
        if not href.strip():            # `[text]()`: a link to nowhere is its text
            del a.attrib["href"]
            changed = True
            continue
        found = book.resolve(href, shown)
        if found.href and found.href != href:
            a.set("href", found.href)
            changed = True
    return serialise_children(tree) if changed else xhtml
