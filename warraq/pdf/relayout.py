"""A WeasyPrint layout that can be mended in place: the words to keep whole
(`warraq.pdf.breaks`) are set in WeasyPrint's box tree, and a mended layout lays out
again only the pages the mended paragraphs can change.

Mending a chapter's hyphenation used to lay the whole chapter out again (27 of the 90k
book's 30 chapters once more: about 12 of a one-core build's 33 s). A word kept whole
re-breaks its paragraph from that line on, and may move the pages after it; but the
pages before the paragraph cannot change, and once a page after it starts where it
started before, in the same state, the rest of the chapter is what it was. So a
`Galley` keeps what a layout knows at the start of each page (WeasyPrint's `page_maker`
entry, the footnotes waiting, the out-of-flow boxes broken across) and, given more
words to keep, splits their text boxes (`warraq.pdf.keepwhole`: the word in a box of
its own with `hyphens: none`), lays out again from the page of the first mended line,
and takes the old pages again from each page that starts in the same state as before
and holds no mended paragraph, up to the next one that does (`_paginate`).

The first layout goes through the same loop, with the words already known (from the
build cache, or the mending of another layout) set the same way: a layout's pages
depend on the words kept, not on how many rounds found them (tests/pdf/test_relayout.py
compares the PDF of a mended galley with that of a fresh one keeping the same words).

This is WeasyPrint 70's own `Document._render` and `layout_document`, taken apart at
the pagination (`weasyprint.layout.page.remake_page`, `make_margin_boxes`): internals,
so the version is pinned in pyproject.toml and checked here (`SUPPORTED`). Pages that
print the pages of later ones (the contents' `target-counter`) are made again once
those are known, as in WeasyPrint's own loop, and only they (`REPAGINATIONS`). A
document whose pages depend on the page count (`counter(pages)`) or that has running
elements is laid out by WeasyPrint's own loop each time (`incremental` is False).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from . import weasyload  # noqa: F401  (first: WeasyPrint's libraries)
import weasyprint
from weasyprint import DEFAULT_OPTIONS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Document, Page
from weasyprint.formatting_structure.build import build_formatting_structure
from weasyprint.html import get_html_metadata
from weasyprint.layout import initialize_page_maker, layout_document, layout_fixed_boxes
from weasyprint.layout.background import layout_backgrounds
from weasyprint.layout.page import make_margin_boxes, remake_page
from weasyprint.logger import PROGRESS_LOGGER
from weasyprint.pdf.metadata import DocumentMetadata

from . import breaks, keepwhole

#: At most this many layouts again of the pages that print others' numbers (as
#: `layout_document`'s `max_loops`, less its first).
REPAGINATIONS = 7
#: The WeasyPrint versions whose internals this module was written against.
SUPPORTED = ("70.",)


def supported() -> bool:
    return weasyprint.__version__.startswith(SUPPORTED)


@dataclass
class _Start:
    """What a layout holds at the start of a page besides WeasyPrint's `page_maker`
    entry: the footnotes not yet placed, those carried over from the page before, and
    the out-of-flow boxes broken across."""

    footnotes: list
    reported: list
    broken: dict

    @classmethod
    def of(cls, ctx) -> "_Start":
        return cls(list(ctx.footnotes), list(ctx.reported_footnotes),
                   dict(ctx.broken_out_of_flow))

    def restore(self, ctx) -> None:
        ctx.footnotes, ctx.reported_footnotes, ctx.broken_out_of_flow = (
            list(self.footnotes), list(self.reported), dict(self.broken))

    def same(self, other: "_Start") -> bool:
        return (_ids(self.footnotes) == _ids(other.footnotes)
                and _ids(self.reported) == _ids(other.reported)
                and not self.broken and not other.broken)


def _ids(items) -> list[int]:
    return [id(item) for item in items]


@dataclass
class _Pagination:
    """One layout's raw pages (before margin boxes), the `page_maker` and `_Start` of
    each page, and the characters of each key (`breaks.page_counts`) on each page."""

    pages: list
    makers: list
    starts: list
    counts: list

    def page_of(self, fault: breaks.Fault) -> int:
        """The first page whose layout the word of `fault` can change: the page of the
        line the break ends (the page before, if that line opens its page: the word
        may start that page, and a layout cannot start inside a box it split there)."""
        key, at = fault
        seen = 0
        for i, (counts, head) in enumerate(self.counts):
            if key in counts and seen + counts[key] >= at:
                return max(i - 1, 0) if at <= seen + head.get(key, 0) else i
            seen += counts.get(key, 0)
        return len(self.pages)

    def touched(self, i: int, keys: frozenset) -> bool:
        """Whether page i holds text of one of `keys`."""
        return not keys.isdisjoint(self.counts[i][0])


def _state(entry) -> tuple:
    """A `page_maker` entry as compared between layouts: where the page starts, what
    kind of page it is, and the counters (the page total set after each layout left
    out)."""
    resume_at, next_page, right_page, page_state, _ = entry
    quote_depth, counters, scopes, groups = page_state
    return (resume_at, next_page, right_page, quote_depth,
            {k: v for k, v in counters.items() if k != "pages"}, scopes, groups)


class Galley:
    """One HTML document laid out with WeasyPrint and mended in place (`keep`)."""

    def __init__(self, html: str, base_url: str, fetcher, sheet, fonts, profiles) -> None:
        self._args = (html, base_url, fetcher, sheet, fonts, profiles)
        self.html = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        self.options = dict(DEFAULT_OPTIONS, stylesheets=[sheet])
        self.fonts, self.profiles = fonts, profiles
        counter_style = CounterStyle()
        self.context = Document._build_layout_context(
            self.html, fonts, counter_style, profiles, self.options)
        ctx = self.context
        self.root = build_formatting_structure(
            self.html.etree_element, ctx.style_for, ctx.get_image_from_uri,
            self.html.base_url, ctx.target_collector, counter_style, ctx.footnotes)
        self.notes = list(ctx.footnotes)
        self.incremental = supported()
        self.kept: frozenset = frozenset()
        #: the pages the latest `lay_out` laid out (the others it took as they were)
        self.made = 0
        self._used = False      # whether a layout has run on this tree and context
        self._texts: dict[str, list] | None = None
        self._last: _Pagination | None = None
        #: id(raw page) -> (raw page, its state, finished page), and the running strings
        #: of each page, of the latest finished layout (`_finished`)
        self._finals: dict[int, tuple] = {}
        self._strings: list[tuple] = []

    # ------------------------------------------------------------ the words kept whole

    def keep(self, words: frozenset) -> frozenset:
        """Keep the words of `words` (more than `kept`) whole: the keys mended."""
        mended = set()
        if self._texts is None:
            self._texts = keepwhole.text_boxes([self.root, *self.notes])
        for fault in sorted(words - self.kept):
            if keepwhole.split(self._texts, fault):
                mended.add(fault[0])
        self.kept = self.kept | words
        return frozenset(mended)

    # ------------------------------------------------------------ laying out

    def lay_out(self, words: frozenset = frozenset()) -> Document:
        """The document laid out keeping `words` whole (the first layout, or a mended
        one when `words` holds more than the layout before kept)."""
        if not words >= self.kept:
            raise ValueError("a galley keeps more words whole, never fewer")
        before = self.kept
        mended = self.keep(words)
        last = self._last
        self.made = 0
        if not self.incremental:
            return self._whole()
        if last is None:
            pagination = self._paginate(0, None, frozenset())
        elif not mended:
            pagination = last
        else:
            first = min(last.page_of(fault) for fault in words - before)
            pagination = self._paginate(min(first, len(last.pages) - 1), last, mended)
        # pages that print other pages' numbers (the contents: `target-counter`) are made
        # again once those pages are known, as in WeasyPrint's own loop (which gives each
        # page the page total after each pass), the others taken as they were from the
        # first page that starts as it did
        for _ in range(REPAGINATIONS):
            for entry in self.context.page_maker:
                entry[3][1]["pages"] = [len(pagination.pages)]
            changed = {i for i, entry in enumerate(self.context.page_maker[:-1])
                       if entry[4]["content_changed"]}
            if not changed or not self.incremental:
                break
            pagination = self._paginate(min(changed), pagination, frozenset(), changed)
        self._last = pagination
        return self._document(pagination)

    def refolio(self, start: int) -> Document | None:
        """The latest layout again with its first page numbered `start` and the others
        after it (a chapter whose folios start elsewhere: only the margin boxes change,
        as a layout with its `counter-reset` there gives them); None if the galley
        cannot (not incremental, or not laid out)."""
        if not self.incremental or self._last is None or len(self.context.page_maker) < 2:
            return None
        first = self.context.page_maker[1][3][1].get("page")
        if not first:
            return None
        delta = start - first[0]
        self.context.page_maker = [_shifted(e, delta) for e in self.context.page_maker]
        self._last.makers = [_shifted(e, delta) for e in self._last.makers]
        return self._document(self._last)

    def _whole(self) -> Document:
        """WeasyPrint's own layout of the words kept, on a box tree and a context of
        its own (a layout leaves its state in both)."""
        galley = self
        if self._used:
            galley = Galley(*self._args)
            galley.keep(self.kept)
        self._used = True
        pages = list(layout_document(galley.html, galley.root, galley.context))
        self.made = len(pages)
        return galley._wrap(pages)

    def _paginate(self, first: int, old: _Pagination | None,
                  mended: frozenset, forced: set[int] = frozenset()) -> _Pagination:
        """The raw pages from page `first` on (those before it taken from `old`), until
        a page starts as it did in `old` after every mended paragraph."""
        ctx = self.context
        self._used = True
        if old is None:
            initialize_page_maker(ctx, self.root)
            _Start(self.notes, [], {}).restore(ctx)
            pages, starts, counts = [], [], []
        else:
            ctx.page_maker = [_fresh(entry) for entry in old.makers[:first + 1]]
            old.starts[first].restore(ctx)
            pages, starts, counts = (old.pages[:first], old.starts[:first],
                                     old.counts[:first])
        ctx.rendered_notes = []
        # the pages that held a mended paragraph's lines before this layout
        touched = [i for i in range(len(old.pages))
                   if old.touched(i, mended) or i in forced] if old else []
        _told(0, first)
        i = first
        while True:
            start = _Start.of(ctx)
            if (old is not None and i < len(old.pages) and i not in forced
                    and not old.touched(i, mended)
                    and _state(ctx.page_maker[i]) == _state(old.makers[i])
                    and start.same(old.starts[i])):
                # page i starts as it did, and holds no mended paragraph: it and the
                # pages up to the next one that held one are what they were
                upto = next((t for t in touched if t > i), len(old.pages))
                _told(i, upto)
                ctx.page_maker = ctx.page_maker[:i] + [
                    _fresh(entry) for entry in old.makers[i:upto + 1]]
                pages, starts, counts = (pages + old.pages[i:upto],
                                         starts + old.starts[i:upto],
                                         counts + old.counts[i:upto])
                if upto == len(old.pages):
                    return _Pagination(pages, list(ctx.page_maker), starts, counts)
                old.starts[upto].restore(ctx)
                i = upto
                continue
            _told(i, i + 1)
            starts.append(start)
            ctx.page_maker[i][4].update(content_changed=False, pages_wanted=False,
                                        anchors=[], content_lookups=[])
            page, resume_at = remake_page(i, ctx, self.root, self.html)
            self.made += 1
            pages.append(page)
            counts.append(breaks.page_counts(page))
            i += 1
            if resume_at is None and not ctx.reported_footnotes:
                ctx.page_maker = ctx.page_maker[:i + 1]
                ctx.broken_out_of_flow.clear()
                ctx.reported_footnotes.clear()
                if any(entry[4]["pages_wanted"] for entry in ctx.page_maker) or any(
                        ctx.running_elements.values()):
                    self.incremental = False    # (pages depend on the page count)
                return _Pagination(pages, list(ctx.page_maker), starts, counts)

    def _document(self, pagination: _Pagination) -> Document:
        if not self.incremental:       # found out by the first layout
            self._last = None
            return self._whole()
        return self._wrap(list(self._finished(pagination)))

    def _finished(self, pagination: _Pagination):
        """The pages with their margin boxes, as `layout_document` ends (raw pages are
        left as they are, to be taken again by a later layout)."""
        ctx = self.context
        pages = pagination.pages      # (each page's page total: set by `lay_out`)
        ctx.string_set = defaultdict(lambda: defaultdict(list))
        watch, before, after = [], [], []
        for i, page in enumerate(pages):
            counters = ctx.page_maker[i + 1][3][1]
            for child in page.descendants():
                if child.bookmark_label:
                    if child.element_tag.endswith("::before"):
                        checklist = before
                    elif child.element_tag.endswith("::after"):
                        checklist = after
                    else:
                        checklist = watch
                    if child.element in checklist:
                        child.bookmark_label = ""
                    else:
                        checklist.append(child.element)
                if child.missing_link:
                    for (box, css_token), item in (
                            ctx.target_collector.counter_lookup_items.items()):
                        if child.missing_link == box and css_token != "content":
                            if css_token == "bookmark-label" and not child.bookmark_label:
                                continue
                            item.parse_again(counters)
                            if css_token == "bookmark-label":
                                child.bookmark_label = box.bookmark_label
                string_sets = child.string_set
                if string_sets and string_sets != "none":
                    for name, text in string_sets:
                        ctx.string_set[name][i + 1].append(text)
        finals, strings, same_before = {}, [], True
        for i, page in enumerate(pages):
            # a page taken from the layout before, in the same state, with the same
            # running strings on it and on every page before it, has the same margin
            # boxes and backgrounds
            strings.append(tuple((name, tuple(by_page.get(i + 1, ())))
                                 for name, by_page in sorted(ctx.string_set.items())))
            same_before = same_before and strings[i] == (
                self._strings[i] if i < len(self._strings) else None)
            key = (ctx.page_maker[i + 1][:4], len(pages))
            known = self._finals.get(id(page))
            if same_before and known is not None and known[0] is page and known[1] == key:
                finals[id(page)] = known
                yield known[2]
                continue
            root, footnote_area, note_area = page.children
            root = root.copy()
            root.children = [*layout_fixed_boxes(ctx, pages[:i], page), *root.children,
                             *layout_fixed_boxes(ctx, pages[i + 1:], page)]
            ctx.current_page = i + 1
            state = ctx.page_maker[i + 1][3]
            children = [root]
            if footnote_area.children:
                children.append(footnote_area)
            if note_area.children:
                children.append(note_area)
            children.extend(make_margin_boxes(ctx, page, state))
            final = page.copy()
            final.children = tuple(children)
            layout_backgrounds(final, ctx.get_image_from_uri)
            finals[id(page)] = (page, key, final)
            yield final
        self._finals, self._strings = finals, strings

    def _wrap(self, page_boxes: list) -> Document:
        document = Document(
            [Page(box) for box in page_boxes], DocumentMetadata(
                **get_html_metadata(self.html)), self.html.url_fetcher, self.fonts,
            self.profiles, self.options["output_intent"])
        document._html = self.html
        return document


def _told(first: int, stop: int) -> None:
    """Tell the progress log of pages first + 1 .. stop, laid out or taken as they were
    (`warraq.pdf.render.pages_reported` counts them)."""
    for n in range(first, stop):
        PROGRESS_LOGGER.info("Step 5 - Creating layout - Page %d", n + 1)


def _shifted(entry, delta: int) -> tuple:
    """A `page_maker` entry with its page counter `delta` more."""
    resume_at, next_page, right_page, page_state, remake = entry
    quote_depth, counters, scopes, groups = page_state
    if "page" in counters:
        counters = {**counters, "page": [value + delta for value in counters["page"]]}
    return (resume_at, next_page, right_page, (quote_depth, counters, scopes, groups),
            remake)


def _fresh(entry) -> tuple:
    """A `page_maker` entry for a new layout: the same start, a clean remake state."""
    resume_at, next_page, right_page, page_state, _ = entry
    return (resume_at, next_page, right_page, page_state,
            {"content_changed": False, "pages_wanted": False, "anchors": [],
             "content_lookups": []})
