"""A toy writer for the contract test: a plain-text edition in one module.

It needs the print edition (for the page count it reports), writes a text file and a
file in a sub-folder, and knows nothing of the pipeline.
"""

from __future__ import annotations

from warraq.writers.contract import Rendered, RenderContext
from warraq.xhtml import parse_fragment


class PlainTextWriter:
    name = "txt"
    needs = ("pdf",)

    def render(self, context: RenderContext) -> Rendered:
        book = context.book
        parts = [book.meta.title, ""]
        for chapter in book.chapters:
            text = "".join(parse_fragment(chapter.html).itertext())
            parts += [chapter.title, "", " ".join(text.split()), ""]
        counts = context.artefact("page-counts", {})
        parts.append(f"Print pages: {sum(counts.values())}")
        return Rendered(files={f"{book.slug}.txt": "\n".join(parts).encode(),
                               f"text/{book.slug}-titles.txt":
                               "\n".join(c.title for c in book.chapters).encode()},
                        artefacts={"plain-text": True})
