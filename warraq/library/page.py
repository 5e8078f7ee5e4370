"""`index.html`: the catalogue page a person opens from the disk or a web server.

One self-contained file (templates/library/index.html, with index.css and filter.js
inlined): every book newest first with its thumbnail, title (its own `lang` and `dir`,
so Arabic is shaped and right-to-left), authors, both dates, series, summary and
download links with sizes and page counts; a filter box (a small inline script; without
script everything stays listed). Links are relative, so the page works from `file://`;
it fetches no script, style or font.
"""

from __future__ import annotations

from ..templating import TEMPLATES_DIR, render
from .catalogue import Group
from .config import LibraryConfig
from .entries import text_direction


def size_text(size: int) -> str:
    """`840 bytes`, `12 KB`, `1.4 MB` (powers of 1000)."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB"


def _view(entry: dict) -> dict:
    by_role = {f["role"]: f for f in entry["files"]}
    thumb = by_role.get("thumbnail")
    downloads = [dict(f, size_text=size_text(f["size"]), pages=f.get("pages"))
                 for f in entry["files"]
                 if f["role"] in ("epub", "azw3", "pdf", "cover-wrap")]
    search = " ".join(filter(None, [entry["title"], entry.get("subtitle"),
                                    " ".join(entry["authors"]), entry.get("date"),
                                    entry.get("date_text"), entry.get("hijri_text"),
                                    entry.get("series"), entry.get("description")]))
    return dict(entry, downloads=downloads, search=search,
                thumb_width=thumb["width"] if thumb else None,
                thumb_height=thumb["height"] if thumb else None)


def render_page(config: LibraryConfig, entries: list[dict], by_year: list[Group],
                by_series: list[Group]) -> bytes:
    _, direction = text_direction(config.title, config.lang)
    css = (TEMPLATES_DIR / "library" / "index.css").read_text(encoding="utf-8")
    script = (TEMPLATES_DIR / "library" / "filter.js").read_text(encoding="utf-8")
    text = render("library/index.html", lang=config.lang,
                  dir="rtl" if direction == "rtl" else "ltr", title=config.title,
                  description=config.description, publisher=config.publisher,
                  entries=[_view(e) for e in entries], css=css.strip(), script=script.strip(),
                  years=by_year, series=by_series)
    return text.encode("utf-8")
