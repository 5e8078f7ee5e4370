"""Pages a kept unit left short, justified vertically after layout.

A heading with its first two lines, a verse block kept whole, a footnote's call line with
its note, a paragraph too short to split: when one of them does not fit at a page's
foot it goes over whole, and the page can end several lines short. A page of a chapter
that would end more than `SHORT` lines above a full page's last line, and is not the
last before a new chapter, a blank page or the end, has the gap shared out: first the
spaces around headings, lists, quotations and verses open up (each to at most twice its
size), then, for what is left, the spaces between lines (each by at most `LEADING` of a
line). What the caps leave stays at the foot.

Only positions change (the main flow's boxes are moved down; no line is broken again),
and the page's links and anchors are read again from the moved boxes. Borders move with
their boxes; a background's painting area, which WeasyPrint computes during layout,
would not (the print stylesheet sets none in the main flow).
"""

from __future__ import annotations

import math

#: Pages shorter than this many lines are justified.
SHORT = 2.0
#: Each space between lines may open by at most this share of a line.
LEADING = 0.1
_EPS = 0.01


def _main_flow(page_box):
    from weasyprint.formatting_structure import boxes
    for child in page_box.children:
        if not isinstance(child, (boxes.MarginBox, boxes.FootnoteAreaBox)):
            return child
    return None


def _limit(page_box) -> float:
    """Where the main flow must end: the page's content bottom, or the footnote area's
    top (its margin included) when the page has notes."""
    from weasyprint.formatting_structure import boxes
    bottom = page_box.content_box_y() + page_box.height
    for child in page_box.children:
        if isinstance(child, boxes.FootnoteAreaBox) and child.children:
            bottom = min(bottom, child.position_y)
    return bottom


def _leaves(box):
    """The flow's line boxes and atomic boxes (images, tables), in order; list markers
    and other boxes out of the flow left out."""
    from weasyprint.formatting_structure import boxes
    if isinstance(box, (boxes.LineBox, boxes.ReplacedBox, boxes.TableBox)):
        yield box
        return
    for child in getattr(box, "children", ()):
        if child.is_in_normal_flow():
            yield from _leaves(child)


def _bottom(box) -> float:
    return box.border_box_y() + box.border_height()


def _block_joints(box, out: list) -> None:
    """(y, gap) between consecutive block siblings with space between them."""
    from weasyprint.formatting_structure import boxes
    if isinstance(box, (boxes.LineBox, boxes.ReplacedBox, boxes.TableBox)):
        return
    children = [c for c in getattr(box, "children", ())
                if isinstance(c, boxes.BlockLevelBox) and c.is_in_normal_flow()]
    for before, after in zip(children, children[1:]):
        gap = after.border_box_y() - _bottom(before)
        if gap > _EPS:
            out.append((_bottom(before), gap))
    for child in children:
        _block_joints(child, out)


def _plan(flow, gap: float, pitch: float) -> list[tuple[float, float]]:
    """(y, extra) steps that share `gap` out, block spaces first, then line spaces."""
    joints: list[tuple[float, float]] = []
    _block_joints(flow, joints)
    room = sum(g for _, g in joints)
    share = min(1.0, gap / room) if room else 0.0
    steps = [(y, g * share) for y, g in joints]
    left = gap - room * share
    lines = list(_leaves(flow))
    if left > _EPS and len(lines) > 1:
        each = min(left / (len(lines) - 1), pitch * LEADING)
        steps += [(_bottom(line), each) for line in lines[:-1]]
    return sorted(steps)


def _shift_of(steps, y: float) -> float:
    return sum(extra for at, extra in steps if at <= y + _EPS)


def _move(box, steps) -> None:
    """Move the box, and what is inside, by the steps above its parts."""
    from weasyprint.formatting_structure import boxes
    top = box.border_box_y()
    if isinstance(box, (boxes.LineBox, boxes.ReplacedBox, boxes.TableBox)) or not getattr(
            box, "children", None):
        box.translate(0, _shift_of(steps, top))
        return
    grow = _shift_of(steps, _bottom(box) - 2 * _EPS) - _shift_of(steps, top)
    for child in box.children:
        _move(child, steps)
    box.position_y += _shift_of(steps, top)
    if isinstance(box.height, (int, float)):
        box.height += grow


def short_by(page_box, pitch: float) -> float:
    """How many lines above a full page's last line the main flow ends."""
    flow = _main_flow(page_box)
    leaves = list(_leaves(flow)) if flow is not None else []
    if not leaves:
        return 0.0
    top = page_box.content_box_y()
    full = top + math.floor((_limit(page_box) - top) / pitch + _EPS) * pitch
    return (full - max(_bottom(leaf) for leaf in leaves)) / pitch


def _chapters_on(page) -> set[str]:
    """The chapters whose text is in the page's main flow (none on front matter)."""
    from .pagemap import ATTR
    flow = _main_flow(page._page_box)
    found = set()
    for leaf in _leaves(flow) if flow is not None else ():
        for box in (leaf, *leaf.descendants()):
            element = getattr(box, "element", None)
            key = element.get(ATTR) if element is not None and hasattr(element, "get") else None
            if key:
                found.add(key.rsplit(":", 1)[0])
    return found


def pitch_of(document) -> float:
    """The body's line height: the commonest height of the main flows' lines."""
    heights: dict[float, int] = {}
    for page in document.pages:
        for h, count in line_heights(page).items():
            heights[h] = heights.get(h, 0) + count
    return max(heights, key=heights.get) if heights else 0.0


def line_heights(page) -> dict[float, int]:
    """How many lines of each height the page's main flow holds (a page from the build
    cache, `warraq.pdf.written`, says its own)."""
    if not hasattr(page, "_page_box"):
        return page.line_heights
    heights: dict[float, int] = {}
    flow = _main_flow(page._page_box)
    for leaf in _leaves(flow) if flow is not None else ():
        if type(leaf).__name__ == "LineBox":
            h = round(leaf.height, 2)
            heights[h] = heights.get(h, 0) + 1
    return heights


def justify(document, pitch: float | None = None) -> list[int]:
    """Justify the short pages of a laid-out WeasyPrint `document` in place, by lines of
    `pitch` (default: `pitch_of(document)`). Returns the indices of the pages justified."""
    from weasyprint.document import Page
    pitch = pitch_of(document) if pitch is None else pitch
    pages, done = document.pages, []
    # (a chapter from the build cache, `warraq.pdf.written`, was justified when it was
    # written: its pages, and the page before its first, which ends another chapter,
    # are passed over)
    on = [_chapters_on(page) if hasattr(page, "_page_box") else None for page in pages]
    for index, page in enumerate(pages[:-1]):
        after = pages[index + 1]
        if (not on[index] or not on[index + 1] or on[index + 1] - on[index]
                or after._page_box.page_type.blank):
            continue        # front matter, the last page before a chapter, a blank or the end
        short = short_by(page._page_box, pitch)
        if short <= SHORT:
            continue
        flow = _main_flow(page._page_box)
        _move(flow, _plan(flow, short * pitch, pitch))
        pages[index] = Page(page._page_box)
        done.append(index)
    return done
