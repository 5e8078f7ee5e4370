"""templates/: what the EPUB and the PDF share is written once (shared partials and base
pages), and the print stylesheet declares each selector once."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import pytest
import tinycss2

from warraq import furniture
from warraq.fonts import SCRIPT_STACKS
from warraq.pdf.profiles import PROFILES
from warraq.templating import TEMPLATES_DIR, render

#: Lines too common to count as a copy: closing tags and Jinja's control tags.
_TRIVIAL = re.compile(r"^(</[a-z]+>|\{%-? *(end\w*|else)\b.*%\}|\{#.*|.*#\}|)$")

#: Selectors a profile test in the stylesheet declares twice (`img` gets its print
#: resolution in a block of its own, the test that another change replaces).
ALLOWED_TWICE = {"img"}


def copied_runs(files: dict[str, str], size: int = 3) -> dict[tuple[str, ...], set[str]]:
    """Runs of `size` meaningful lines that occur in more than one file."""
    seen: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for name, text in files.items():
        lines = [line.strip() for line in text.splitlines()]
        lines = [line for line in lines if not _TRIVIAL.match(line)]
        for i in range(len(lines) - size + 1):
            seen[tuple(lines[i:i + size])].add(name)
    return {run: names for run, names in seen.items() if len(names) > 1}


def test_no_template_copies_lines_of_another():
    files = {str(p.relative_to(TEMPLATES_DIR)): p.read_text(encoding="utf-8")
             for p in sorted(TEMPLATES_DIR.rglob("*")) if p.suffix in (".html", ".xhtml", ".css")}
    assert len(files) > 15
    copies = copied_runs(files)
    assert not copies, "lines copied between templates (share them in templates/shared/):\n" + (
        "\n".join(f"{sorted(names)}: {run}" for run, names in copies.items()))


def test_a_copy_is_found():
    head = '<p class="a">{{ x }}</p>\n<p class="b">{{ y }}</p>\n<p class="c">{{ z }}</p>\n'
    assert copied_runs({"one.html": head, "two.html": "<div>\n" + head + "</div>\n"})
    assert not copied_runs({"one.html": head, "two.html": "</ol>\n</nav>\n{% endif %}\n"})


def _article_context() -> dict:
    meta = SimpleNamespace(collection="Series", group_position=2, title="T & U",
                           subtitle="Sub", publisher="P", lang="en", layout="article")
    return {"meta": meta, "authors": ["A. Author"], "dateline_text": "", "date_text": "1 May",
            "title_heading": False, "dir": "ltr", "t": furniture.strings("en")}


def test_article_head_is_one_partial_for_both_outputs():
    assert not (TEMPLATES_DIR / "epub" / "article-head.xhtml").exists()
    assert not (TEMPLATES_DIR / "pdf" / "article-head.html").exists()
    html = render("shared/article-head.html", **_article_context())
    assert '<p class="article-title">T &amp; U</p>' in html
    assert '<p class="article-series">Series · 2</p>' in html
    for user in ("epub/chapter.xhtml", "pdf/book.html"):
        assert '{% include "shared/article-head.html" %}' in (TEMPLATES_DIR / user).read_text()


def test_title_page_lines_are_shared():
    ctx = {**_article_context(), "lang": "en", "dateline_text": "Rajab 1445"}
    epub = render("epub/titlepage.xhtml", **ctx)
    pdf = render("pdf/title-page.html", **ctx)
    block = render("shared/title-block.html", **ctx)
    assert '<h1 class="book-title">T &amp; U</h1>' in block
    assert block in epub and block in pdf
    assert epub.startswith('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n')


def _stylesheet_context(mirrored: bool, screen: bool) -> dict:
    page = SimpleNamespace(width=6, height=9, top=0.85, bottom=0.85, inner=0.875,
                           outer=0.6, mirrored=mirrored)
    profile = PROFILES["screen" if screen else "print"]
    return {"meta": SimpleNamespace(title="T"), "page": page, "profile": profile,
            "css_bleed": 0, "css_faces": [], "cmyk_icc": None, "font_stack": "serif",
            "ink": "black", "arabic_selector": ":lang(ar)",
            "stacks": {**{s: f'"{s}"' for s in SCRIPT_STACKS}, "arabic": "Amiri",
                       "hebrew": "Frank"}, "code_colour": True, "rtl": False,
            "counter_style": "decimal"}


def declared_selectors(css: str) -> list[str]:
    """Every rule's selector (at-rules with their prelude, `@page :left`), in order."""
    out = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        prelude = " ".join(tinycss2.serialize(rule.prelude).split())
        out.append(f"@{rule.at_keyword} {prelude}".strip() if rule.type == "at-rule"
                   else prelude)
    return out


@pytest.mark.parametrize("mirrored,screen", [(True, False), (False, True)])
def test_print_stylesheet_declares_each_selector_once(mirrored, screen):
    selectors = declared_selectors(render("pdf/book.css", **_stylesheet_context(mirrored,
                                                                                 screen)))
    assert "@page" in selectors and ".verse" in selectors and ".invocation" in selectors
    twice = {s for s in selectors if selectors.count(s) > 1} - ALLOWED_TWICE
    assert not twice, f"declared more than once in templates/pdf/book.css: {sorted(twice)}"


def test_right_to_left_rules_differ_only_in_direction():
    ctx = _stylesheet_context(True, False)
    epub = render("shared/right-to-left.css", css_direction=False, **ctx)
    pdf = render("shared/right-to-left.css", css_direction=True, **ctx)
    assert "direction" not in re.sub(r"/\*.*?\*/", "", epub, flags=re.S)
    assert '[dir="rtl"] { direction: rtl; text-align: right; text-indent: 0; }' in pdf
    assert ":lang(ar) { font-family: Amiri;" in epub and ":lang(ar) { font-family: Amiri;" in pdf


def test_every_epub_page_extends_one_skeleton():
    pages = [p for p in (TEMPLATES_DIR / "epub").glob("*.xhtml") if p.name != "page.xhtml"]
    assert len(pages) >= 6
    for page in pages:
        assert page.read_text().startswith('{% extends "epub/page.xhtml" %}'), page.name
    assert Path(TEMPLATES_DIR / "pdf" / "book.html").read_text().startswith(
        '{% extends "pdf/page.html" %}')


def test_series_line_is_one_macro():
    ctx = _article_context()
    ctx["meta"].group_position = None
    assert '<p class="article-series">Series</p>' in render("shared/article-head.html", **ctx)
    ctx["meta"].group_position = 4
    ctx.update(lang="en", contributors=[], build_date="2024", page_source="", fonts=[],
               generator="g")
    ctx["meta"].rights = ctx["meta"].identifier = ""
    assert "<p>Series, volume 4</p>" in render("epub/copyright.xhtml", **ctx)
    sources = [(TEMPLATES_DIR / n).read_text() for n in (
        "shared/article-head.html", "shared/title-block.html", "epub/copyright.xhtml")]
    assert all("series(meta" in s and "group_position" not in s for s in sources)
