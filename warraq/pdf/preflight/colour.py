"""The `colour` rule (only the colour spaces the profile allows; black-only means no C, M
or Y ink) and the `image-resolution` rule (300 dpi or more at the printed size), both
from what the pages draw (`content.steps`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf

from ..profiles import Profile
from .content import Step, space_name
from .report import Report, pages_list

MIN_DPI = 300
#: The colour spaces each profile colour allows (None: anything).
ALLOWED = {
    "rgb": None,
    "grey": {"DeviceGray", "DeviceCMYK", "ICCBased-Gray", "Pattern"},
    "cmyk": {"DeviceGray", "DeviceCMYK", "ICCBased-Gray", "ICCBased-CMYK", "Separation",
             "DeviceN", "Pattern"},
}


@dataclass
class Drawn:
    """What the pages draw with: colour spaces (with their pages), pages with CMYK colours
    that use C, M or Y, and the images with their resolution."""

    spaces: dict[str, set[int]] = field(default_factory=dict)
    coloured_k: set[int] = field(default_factory=set)
    images: list[tuple[int, float, str]] = field(default_factory=list)  # page, dpi, space

    def note(self, space: str, page: int) -> None:
        self.spaces.setdefault(space, set()).add(page)

    def step(self, step: Step, page: int) -> None:
        op, operands = step.op, step.operands
        if op in ("rg", "RG"):
            self.note("DeviceRGB", page)
        elif op in ("k", "K"):
            self.note("DeviceCMYK", page)
            if any(float(v) for v in operands[:3]):
                self.coloured_k.add(page)
        elif op in ("g", "G"):
            self.note("DeviceGray", page)
        elif op in ("sc", "scn", "SC", "SCN"):
            space = step.fill if op in ("sc", "scn") else step.stroke
            self.note(space, page)
            if space.endswith("CMYK") and len(operands) >= 4 and any(
                    float(v) for v in operands[:3]):
                self.coloured_k.add(page)
        elif step.draws_image:
            self.image(step, page)
        elif step.draws_inline_image:
            self.note("inline image", page)

    def image(self, step: Step, page: int) -> None:
        image, ctm = step.xobject, step.ctm
        if image.get("/ImageMask"):
            return
        space = space_name(image.get("/ColorSpace", pikepdf.Name("/DeviceGray")),
                           step.resources)
        self.note(space, page)
        width_pt = (ctm[0] ** 2 + ctm[1] ** 2) ** 0.5
        height_pt = (ctm[2] ** 2 + ctm[3] ** 2) ** 0.5
        pixels_w, pixels_h = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        if width_pt and height_pt:
            dpi = min(pixels_w / (width_pt / 72), pixels_h / (height_pt / 72))
            self.images.append((page, dpi, space))



def check_colour(found: Drawn, profile: Profile, report: Report) -> None:
    allowed = ALLOWED[profile.colour]
    if allowed is None:
        return
    used = {s: p for s, p in found.spaces.items() if s != "inline image"}
    wrong = {s: p for s, p in used.items() if s not in allowed}
    problems = [f"{s} on p.{pages_list(p)}" for s, p in sorted(wrong.items())]
    if profile.colour == "grey" and found.coloured_k:
        problems.append(f"CMYK with C, M or Y ink on p.{pages_list(found.coloured_k)}")
    if "inline image" in found.spaces:
        problems.append("inline images")
    report.add("colour", not problems,
               "; ".join(problems) + f" (the {profile.name} profile allows "
               f"{profile.colour} only)" if problems
               else f"{', '.join(sorted(used)) or 'nothing drawn'}")


def check_image_resolution(found: Drawn, report: Report) -> None:
    low = [(p, d) for p, d, _ in found.images if d < MIN_DPI - 0.5]
    report.add("image-resolution", not low,
               "; ".join(f"p.{p} image at {d:.0f} dpi" for p, d in low[:4])
               + f" (print needs {MIN_DPI} dpi)" if low
               else f"{len(found.images)} image(s), all {MIN_DPI} dpi or more")
