"""The `fonts-embedded` rule: every font the pages (and their forms) use is embedded."""

from __future__ import annotations

import pikepdf

from .report import Report


def fonts(pdf: pikepdf.Pdf) -> dict[str, bool]:
    """Every font of the pages' resources (and their forms'), by BaseFont: embedded?"""
    seen: dict[str, bool] = {}

    def visit(resources) -> None:
        if resources is None:
            return
        for font in (resources.get("/Font") or {}).values():
            name = str(font.get("/BaseFont", "?"))
            if font.get("/Subtype") == "/Type3":
                seen[name] = True
                continue
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0] if descendants else font).get("/FontDescriptor")
            seen[name] = desc is not None and any(
                k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for xobj in (resources.get("/XObject") or {}).values():
            if xobj.get("/Subtype") == "/Form":
                visit(xobj.get("/Resources"))

    for page in pdf.pages:
        visit(page.obj.get("/Resources"))
    return seen


def check_fonts(pdf: pikepdf.Pdf, report: Report) -> None:
    found = fonts(pdf)
    missing = [n for n, ok in found.items() if not ok]
    report.add("fonts-embedded", not missing,
               f"not embedded: {', '.join(missing)}" if missing
               else f"{len(found)} fonts, all embedded")
