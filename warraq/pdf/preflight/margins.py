"""The `margins` rule: no glyph nearer the trim than the profile's minimum margin, nor,
on the spine side of a mirrored book, nearer than KDP's gutter for the page count. Where
the glyphs are comes from the text state of `content.steps` and the fonts' widths."""

from __future__ import annotations

import operator
import re
from functools import reduce
from typing import Callable

import pikepdf

from ..pagesetup import gutter_for
from ..profiles import Profile
from .boxes import box
from .content import IDENTITY, TEXT_OPS, Step, apply, mul, page_steps
from .report import Report


class FontMetrics:
    """Glyph widths (and ascent/descent) of a PDF font, per character code, in 1/1000 em."""

    def __init__(self, font):
        self.two_byte = font.get("/Subtype") == "/Type0"
        self.widths: dict[int, float] = {}
        self._terms: dict[float, _Terms] = {}
        if self.two_byte:
            cid_font = font.DescendantFonts[0]
            self.default = float(cid_font.get("/DW", 1000))
            self._cid_widths(list(cid_font.get("/W", [])))
            desc = cid_font.get("/FontDescriptor")
        else:
            self.default = 0.0
            first = int(font.get("/FirstChar", 0))
            for k, v in enumerate(font.get("/Widths", [])):
                self.widths[first + k] = float(v)
            desc = font.get("/FontDescriptor")
        self.ascent = float(desc.get("/Ascent", 800)) if desc is not None else 800.0
        self.descent = float(desc.get("/Descent", -200)) if desc is not None else -200.0

    def _cid_widths(self, w: list) -> None:
        """A CIDFont's /W array: `first [w1 w2 ...]` or `first last w`."""
        i = 0
        while i < len(w):
            first = int(w[i])
            if isinstance(w[i + 1], pikepdf.Array):
                for k, v in enumerate(w[i + 1]):
                    self.widths[first + k] = float(v)
                i += 2
            else:
                for cid in range(first, int(w[i + 1]) + 1):
                    self.widths[cid] = float(w[i + 2])
                i += 3

    def advance(self, data: bytes) -> float:
        if self.two_byte:
            codes = [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
        else:
            codes = list(data)
        return sum(self.widths.get(c, self.default) for c in codes)

    def items_advance(self, items, size: float) -> float:
        """The advance of `TJ` or `Tj` operands at `size`, item by item (strings forward,
        numbers back, in 1/1000 em)."""
        advance = 0.0
        for item in items:
            if isinstance(item, pikepdf.String):
                advance += self.advance(bytes(item)) / 1000 * size
            else:
                advance -= float(item) / 1000 * size
        return advance

    def run_advance(self, array, size: float) -> float | None:
        """The advance of a `TJ` array at `size`, read from its unparsed bytes (one call
        into qpdf instead of a Python object per glyph and per kern), each distinct item
        worked out once per size; the same float as `items_advance`.
        None if the array holds anything but strings and numbers (the caller then walks
        it item by item, failing where that would)."""
        body = array.unparse()
        tokens = _TOKEN.findall(body)
        if body != (b"[ " + b" ".join(tokens) + b" ]" if tokens else b"[ ]"):
            return None
        terms = self._terms.get(size)
        if terms is None:
            terms = self._terms[size] = _Terms(self, size)
        try:
            return reduce(operator.add, map(terms.__getitem__, tokens), 0.0)
        except (ValueError, TypeError):
            return None


#: The items of a `TJ` array as qpdf unparses them (`[ item item ... ]`): a hex string,
#: a literal string (qpdf escapes every parenthesis in it) or a number.
_TOKEN = re.compile(rb"<[0-9A-Fa-f]*>|\((?:[^\\()]|\\.)*\)|[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)",
                    re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f",
            b"\n": b"", b"\r": b"", b"\r\n": b""}
_ESCAPE = re.compile(rb"\\(\r\n|[0-7]{1,3}|.)", re.S)


def _literal(body: bytes) -> bytes:
    """The bytes of a literal string's body (between its parentheses)."""
    def one(m: re.Match) -> bytes:
        code = m.group(1)
        if code[:1].isdigit():
            return bytes((int(code, 8) & 0xFF,))
        return _ESCAPES.get(code, code)
    return _ESCAPE.sub(one, body)


class _Terms(dict):
    """What each `TJ` item (by its unparsed bytes) adds to the advance at one font size:
    a string its glyphs' widths, a number minus itself, both in thousandths of the size."""

    def __init__(self, font: FontMetrics, size: float):
        super().__init__()
        self.font, self.size = font, size

    def __missing__(self, token: bytes) -> float:
        if token[:1] == b"<":
            term = self.font.advance(bytes.fromhex(token[1:-1].decode())) / 1000 * self.size
        elif token[:1] == b"(":
            term = self.font.advance(_literal(token[1:-1])) / 1000 * self.size
        else:
            term = -(float(token) / 1000 * self.size)
        self[token] = term
        return term


class _Text:
    """The text state of one content stream, and the box its glyphs cover."""

    def __init__(self, metrics: dict, box: list[float], shared: dict | None = None):
        self.tm = self.tlm = None
        self.font: FontMetrics | None = None
        self.size = self.leading = 0.0
        self.metrics, self.box = metrics, box
        #: the metrics of indirect fonts, kept for every page of the file
        self.shared = metrics if shared is None else shared

    def step(self, step: Step) -> None:
        op, operands = step.op, step.operands
        if op == "BT":
            self.tm = self.tlm = IDENTITY
        elif op == "Tm":
            self.tm = self.tlm = tuple(float(v) for v in operands)
        elif op in ("Td", "TD"):
            tx, ty = (float(v) for v in operands)
            if op == "TD":
                self.leading = -ty
            self.tm = self.tlm = mul((1, 0, 0, 1, tx, ty), self.tlm)
        elif op == "TL":
            self.leading = float(operands[0])
        elif op == "T*":
            self.tm = self.tlm = mul((1, 0, 0, 1, 0, -self.leading), self.tlm)
        elif op == "Tf":
            self._font(step)
        elif op in TEXT_OPS and self.font is not None and self.tm is not None:
            self._show(step)

    def _font(self, step: Step) -> None:
        ref = (step.resources.get("/Font") or {}).get(str(step.operands[0]))
        if ref is not None:
            if ref.is_indirect:
                key, metrics = ref.objgen, self.shared
            else:
                key, metrics = id(ref), self.metrics
            if key not in metrics:
                metrics[key] = FontMetrics(ref)
            self.font = metrics[key]
        self.size = float(step.operands[1])

    def _show(self, step: Step) -> None:
        font, size = self.font, self.size
        items = step.operands[0] if step.op == "TJ" else [step.operands[-1]]
        advance = font.run_advance(items, size) if step.op == "TJ" else None
        if advance is None:
            advance = font.items_advance(items, size)
        m = mul(self.tm, step.ctm)
        for x, y in ((0, font.descent / 1000 * size), (advance, font.ascent / 1000 * size)):
            px, py = apply(m, x, y)
            self.box[0], self.box[1] = min(self.box[0], px), min(self.box[1], py)
            self.box[2], self.box[3] = max(self.box[2], px), max(self.box[3], py)
        self.tm = mul((1, 0, 0, 1, advance, 0), self.tm)


def text_box(page: pikepdf.Page, fonts: dict | None = None,
             each: Callable[[Step], object] | None = None
             ) -> tuple[float, float, float, float] | None:
    """The box (x0, y0, x1, y1, in default user space) every glyph drawn on the page lies
    in, from the text and transformation matrices and the fonts' widths and heights. Each
    form's stream has a text state of its own. `fonts` keeps the metrics of the file's
    (indirect) fonts from page to page; `each` is given every step of the walk too (so
    that another rule need not walk the page again)."""
    found = [float("inf"), float("inf"), float("-inf"), float("-inf")]
    metrics: dict = {}
    texts = {0: _Text(metrics, found, fonts)}
    for step in page_steps(page):
        texts[step.depth].step(step)
        if step.draws_form:
            texts[step.depth + 1] = _Text(metrics, found, fonts)
        if each is not None:
            each(step)
    return tuple(found) if found[0] != float("inf") else None


def check_margins(pdf: pikepdf.Pdf, profile: Profile, report: Report,
                  boxes: list) -> None:
    """The rule, from the box of each page's glyphs (`pages.page_draws`)."""
    inside = gutter_for(report.pages) if profile.mirrored else profile.min_margin
    prefs = pdf.Root.get("/ViewerPreferences")
    # a right-to-left book is bound on the right: its rectos have the spine on the right
    rtl = prefs is not None and str(prefs.get("/Direction", "")) == "/R2L"
    bad = []
    for n, (page, glyphs) in enumerate(zip(pdf.pages, boxes), 1):
        trim = box(page, "/TrimBox") or box(page, "/MediaBox")
        if glyphs is None or trim is None:
            continue
        recto = (n % 2 == 1) != rtl      # the spine is on the left of this page
        need = {"left": inside if (profile.mirrored and recto) else profile.min_margin,
                "right": inside if (profile.mirrored and not recto) else profile.min_margin,
                "top": profile.min_margin, "bottom": profile.min_margin}
        have = {"left": glyphs[0] - trim[0], "right": trim[2] - glyphs[2],
                "bottom": glyphs[1] - trim[1], "top": trim[3] - glyphs[3]}
        for side, inches in need.items():
            if have[side] < inches * 72 - 0.5:
                bad.append(f"p.{n} text {have[side] / 72:.3f} in from the {side} edge "
                           f"(needs {inches} in)")
    report.add("margins", not bad, "; ".join(bad[:3]) + (" ..." if len(bad) > 3 else "")
               or f"text at least {profile.min_margin} in from the trim"
               + (f", {inside} in on the spine side" if profile.mirrored else ""))
