"""The plain text of Pandoc AST inlines, as Pandoc's own `stringify` gives it (a
heading's text for its id and the contents, an image's description for its alt text).
"""

from __future__ import annotations


def stringify(inlines: list) -> str:
    """The plain text of inlines (notes left out), as Pandoc's `stringify`."""
    out: list[str] = []
    for node in inlines:
        kind, c = node["t"], node.get("c")
        if kind == "Str":
            out.append(c)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Code", "Math"):
            out.append(c[1])
        elif kind == "Quoted":
            q = "\u201c\u201d" if c[0]["t"] == "DoubleQuote" else "\u2018\u2019"
            out.append(q[0] + stringify(c[1]) + q[1])
        elif kind in ("Link", "Image", "Span"):
            out.append(stringify(c[1]))
        elif kind == "Cite":
            out.append(stringify(c[1]))
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript",
                      "SmallCaps"):
            out.append(stringify(c))
    return "".join(out)
