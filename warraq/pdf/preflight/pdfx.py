"""The `pdfx` rule: PDF/X identification in Info and XMP, a CMYK output intent, the
version the standard allows, and (X-1a, X-3) no transparency."""

from __future__ import annotations

import pikepdf

from .report import Report


def xmp_text(pdf: pikepdf.Pdf) -> str:
    """The file's XMP packet as text ("" without one)."""
    meta = pdf.Root.get("/Metadata")
    return meta.read_bytes().decode("utf-8", "replace") if meta is not None else ""


def _transparent(page: pikepdf.Page) -> bool:
    states = (page.obj.get("/Resources") or {}).get("/ExtGState") or {}
    return (any(float(g.get(k, 1)) < 1 for _, g in states.items() for k in ("/ca", "/CA"))
            or any(str(g.get("/SMask", "/None")) != "/None" for _, g in states.items()))


def _output_intent(pdf: pikepdf.Pdf, problems: list[str]) -> str:
    """The GTS_PDFX output intent's condition ("" if none); problems noted."""
    intents = pdf.Root.get("/OutputIntents") or []
    pdfx = [i for i in intents if i.get("/S") == "/GTS_PDFX"]
    if not pdfx:
        problems.append("no /GTS_PDFX output intent")
        return ""
    dest = pdfx[0].get("/DestOutputProfile")
    if dest is None or int(dest.get("/N", 0)) != 4:
        problems.append("the output intent has no CMYK DestOutputProfile")
    return str(pdfx[0].get("/OutputConditionIdentifier", ""))


def check_pdfx(pdf: pikepdf.Pdf, claim: str, report: Report) -> None:
    problems = []
    info = pdf.trailer.get("/Info") or {}
    x4 = claim.startswith("PDF/X-4")
    if not x4 and str(info.get("/GTS_PDFXVersion", "")) != claim:
        problems.append(f"Info /GTS_PDFXVersion is not {claim}")
    if f"<pdfxid:GTS_PDFXVersion>{claim}</pdfxid:GTS_PDFXVersion>" not in xmp_text(pdf):
        problems.append(f"XMP pdfxid:GTS_PDFXVersion is not {claim}")
    if str(info.get("/Trapped", "")) not in ("/False", "/True"):
        problems.append("Info /Trapped is not set")
    name = _output_intent(pdf, problems)
    limit = "1.6" if x4 else "1.4"
    if pdf.pdf_version > limit:
        problems.append(f"PDF {pdf.pdf_version} is newer than {claim} allows ({limit})")
    if not x4:      # X-1a and X-3 allow no transparency: no soft masks, no alpha below 1
        first = next((n for n, page in enumerate(pdf.pages, 1) if _transparent(page)), None)
        if first is not None:
            problems.append(f"p.{first} uses transparency")
    report.add("pdfx", not problems, "; ".join(problems) or f"{claim}, output intent {name}")
