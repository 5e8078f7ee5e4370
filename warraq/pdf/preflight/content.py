"""The one content-stream walker the rules share.

`steps(content, resources)` yields a `Step` for every operator of a page's (or form's)
content stream, and, right after the `Do` that draws a form XObject, the steps of the
form's own stream (up to `MAX_DEPTH` forms deep), with the graphics state each operator
sees: the current transformation matrix (following `q`/`Q`/`cm` and the forms'
`/Matrix`), the fill and stroke colour spaces (`cs`/`CS`, named by `space_name`) and, for
`Do`, the XObject drawn. A form starts with DeviceGray colour spaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

import pikepdf

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
#: Forms inside forms are followed this deep.
MAX_DEPTH = 8
#: The operators that show text.
TEXT_OPS = frozenset(("Tj", "TJ", "'", '"'))


def mul(m, n):
    """The product m x n of two PDF matrices (a, b, c, d, e, f)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def apply(m, x, y):
    """The point (x, y) transformed by the matrix m."""
    return (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])


def space_name(cs, resources) -> str:
    """A colour space's short name: `DeviceRGB`, `ICCBased-CMYK`, `Indexed-DeviceRGB`,
    `Separation`, ... (a named space looked up in the resources)."""
    if isinstance(cs, pikepdf.Name):
        name = str(cs)
        if name in ("/DeviceRGB", "/DeviceCMYK", "/DeviceGray", "/Pattern"):
            return name[1:]
        named = (resources.get("/ColorSpace") or {}).get(name) if resources else None
        if named is None:
            return name[1:]
        cs = named
    if isinstance(cs, pikepdf.Array) and len(cs):
        kind = str(cs[0])
        if kind == "/ICCBased":
            n = int(cs[1].get("/N", 0))
            return {1: "ICCBased-Gray", 3: "ICCBased-RGB", 4: "ICCBased-CMYK"}.get(n, "ICC")
        if kind == "/Indexed":
            return "Indexed-" + space_name(cs[1], resources)
        return kind[1:]
    return str(cs)


#: pikepdf's operator for an inline image (`BI ... ID ... EI`); it never gives "BI".
INLINE_IMAGE = "INLINE IMAGE"


@dataclass(frozen=True)
class Step:
    """One operator and the state it is drawn in."""

    op: str
    operands: Any
    resources: Any
    ctm: tuple
    fill: str
    stroke: str
    depth: int
    #: For `Do`: the XObject named (None if the resources lack it).
    xobject: Any = None

    @property
    def draws_form(self) -> bool:
        return self.xobject is not None and self.xobject.get("/Subtype") == "/Form"

    @property
    def draws_image(self) -> bool:
        return self.xobject is not None and self.xobject.get("/Subtype") == "/Image"

    @property
    def draws_inline_image(self) -> bool:
        """`BI ... ID ... EI`, which pikepdf gives as one operator of its own."""
        return self.op == INLINE_IMAGE


def steps(content, resources, ctm=IDENTITY, depth: int = 0) -> Iterator[Step]:
    """Every operator of `content` (a page or form XObject) and of the forms it draws."""
    stack: list = []
    fill = stroke = "DeviceGray"
    for operands, op in pikepdf.parse_content_stream(content):
        op = str(op)
        xobject = None
        if op == "q":
            stack.append((ctm, fill, stroke))
        elif op == "Q" and stack:
            ctm, fill, stroke = stack.pop()
        elif op == "cm":
            ctm = mul(tuple(float(v) for v in operands), ctm)
        elif op == "cs":
            fill = space_name(operands[0], resources)
        elif op == "CS":
            stroke = space_name(operands[0], resources)
        elif op == "Do":
            xobject = (resources.get("/XObject") or {}).get(str(operands[0]))
        step = Step(op, operands, resources, ctm, fill, stroke, depth, xobject)
        yield step
        if step.draws_form and depth < MAX_DEPTH:
            matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
            yield from steps(xobject, xobject.get("/Resources") or resources,
                             mul(matrix, ctm), depth + 1)


def page_steps(page: pikepdf.Page) -> Iterator[Step]:
    """`steps` of a page, from its own resources."""
    return steps(page, page.obj.get("/Resources") or pikepdf.Dictionary())
