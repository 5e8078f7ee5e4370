"""The screen PDF's tag tree, finished where WeasyPrint (70) leaves it short.

`tagging(lang)` is a context manager around `Document.write_pdf(pdf_tags=True)` that
wraps WeasyPrint's tag builder (`weasyprint.pdf.tags`) for that one call:

- every structure element made from an HTML element with a `lang` other than the
  document's gets `/Lang` (a screen reader reads an Arabic paragraph as Arabic);
- an element that a page break split in two (a list, a paragraph, the chapter's
  section) is one element again: WeasyPrint makes a new one on each page;
- the running heads and folios (the page's margin boxes) are marked `/Artifact` in the
  page's content instead of left as marked content outside the tree.
"""

from __future__ import annotations

from contextlib import contextmanager

import pydyf
from . import weasyload  # noqa: F401  (first: WeasyPrint's libraries)
import weasyprint.pdf as weasy_pdf
import weasyprint.pdf.tags as weasy_tags
from weasyprint.formatting_structure import boxes

#: Elements whose kids may be marked content or annotations: never joined.
_UNJOINABLE = {"/Link", "/Form", "/Figure"}


def _text_boxes(box):
    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)


class _State:
    def __init__(self, lang: str):
        self.lang = lang.lower()
        self.owner: dict[int, object] = {}              # id(struct element) -> HTML element
        self.artefacts: dict[int, set[int]] = {}        # page index -> MCIDs


def _builder(original, state: _State):
    def build(box, parent, pdf, page_number, nums, annotations, tags):
        if isinstance(box, boxes.MarginBox):
            state.artefacts.setdefault(page_number, set()).update(
                tags[b]["mcid"] for b in _text_boxes(box) if b in tags)
        own = (box.element is not None and not isinstance(box, boxes.PageBox)
               and getattr(box, "element_tag", None) not in ("html", "body"))
        for element in original(box, parent, pdf, page_number, nums, annotations, tags):
            if own and isinstance(element, pydyf.Dictionary):
                state.owner.setdefault(id(element), box.element)
                lang = box.element.get("lang")
                if lang and lang.lower() != state.lang and "Lang" not in element:
                    element["Lang"] = pydyf.String(lang)
            yield element
    return build


def _join(node, by_ref: dict, state: _State) -> None:
    """Join adjacent kids of `node` made from the same HTML element on different pages,
    then do the same inside each kid."""
    kept = pydyf.Array()
    previous = None
    for ref in node.get("K", ()):
        kid = by_ref.get(ref) if isinstance(ref, bytes) else None
        if (kid is not None and previous is not None
                and state.owner.get(id(kid)) is not None
                and state.owner.get(id(kid)) is state.owner.get(id(previous))
                and kid.get("S") == previous.get("S") and kid.get("S") not in _UNJOINABLE
                and kid.get("Pg") != previous.get("Pg")
                and all(isinstance(k, bytes) for k in list(kid["K"]) + list(previous["K"]))):
            for grandchild in kid["K"]:
                previous["K"].append(grandchild)
                if grandchild in by_ref:
                    by_ref[grandchild]["P"] = previous.reference
            kid["K"] = pydyf.Array()
            kid["S"] = "/NonStruct"                 # left unreferenced
            continue
        kept.append(ref)
        previous = kid
    if "K" in node:
        node["K"] = kept
    for ref in kept:
        if isinstance(ref, bytes) and ref in by_ref:
            _join(by_ref[ref], by_ref, state)


def _artefacts(streams, state: _State) -> None:
    """Mark the margin boxes' text as `/Artifact` (BMC) instead of `/Span <<MCID>>` (BDC)."""
    for page, mcids in state.artefacts.items():
        ops = streams[page].stream
        for i in range(1, len(ops) - 1):
            item = ops[i]
            if (isinstance(item, pydyf.Dictionary) and item.get("MCID") in mcids
                    and ops[i + 1] == b"BDC"):
                ops[i - 1], ops[i], ops[i + 1] = "/Artifact", b"", b"BMC"


@contextmanager
def tagging(lang: str):
    """Finish WeasyPrint's tags (see the module) while the block runs."""
    state = _State(lang)
    original_build, original_add = weasy_tags._build_box_tree, weasy_pdf.add_tags

    def add_tags(pdf, document, pdf_version, page_streams):
        original_add(pdf, document, pdf_version, page_streams)
        by_ref = {obj.reference: obj for obj in pdf.objects
                  if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"}
        for obj in list(by_ref.values()):
            if obj.get("S") == "/Document":
                _join(obj, by_ref, state)
        _artefacts(page_streams, state)

    weasy_tags._build_box_tree = _builder(original_build, state)
    weasy_pdf.add_tags = add_tags
    try:
        yield
    finally:
        weasy_tags._build_box_tree = original_build
        weasy_pdf.add_tags = original_add
