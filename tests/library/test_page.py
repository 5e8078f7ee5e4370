"""index.html in headless Chromium (Debian's /usr/bin/chromium through Playwright): no
console error, no request but for the page's own files, every link leads to a file, the
filter works, axe-core finds no violation, Arabic titles are right-to-left, and nothing
is wider than a phone."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (make setup installs it)",
                allow_module_level=True)

pytestmark = pytest.mark.slow   # the session's library build

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}


def _axe_source() -> str:
    axe = pytest.importorskip("axe_playwright_python")
    return (Path(axe.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture
def browser(tmp_path):
    with playwright.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport=PHONE)
        try:
            yield context
        finally:
            context.close()


def _open(context, dist: Path, viewport):
    page = context.new_page()
    page.set_viewport_size(viewport)
    seen = {"requests": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: m.type in ("error", "warning") and seen["errors"].append(
        f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: seen["errors"].append(f"pageerror: {e}"))
    page.goto((dist / "index.html").as_uri())
    page.wait_for_load_state("load")
    return page, seen


def _visible(page) -> int:
    return page.locator(".book:not([hidden])").count()


def test_the_page_in_chromium(built, browser, tmp_path):
    dist = built[1]
    page, seen = _open(browser, dist, PHONE)
    assert seen["errors"] == []
    for url in seen["requests"]:                 # only the page's own files
        parts = urlsplit(url)
        assert parts.scheme == "file", url
        assert Path(unquote(parts.path)).resolve().is_relative_to(dist.resolve()), url
    hrefs = page.eval_on_selector_all("a[href], link[href], img[src]",
                                      "els => els.map(e => e.getAttribute('href') || "
                                      "e.getAttribute('src'))")
    assert len(hrefs) > 3 * 11
    for href in hrefs:
        assert (dist / unquote(href)).is_file(), href
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]               # nothing wider than the phone
    titles = page.locator("h2[lang=ar]")
    assert titles.count() == 4
    assert titles.first.evaluate("e => getComputedStyle(e).direction") == "rtl"
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=False)


def test_the_filter(built, browser):
    page, _ = _open(browser, built[1], DESKTOP)
    assert _visible(page) == 11
    for query, expected in (("gratitude", 1), ("2024", 3), ("الصبر", 1), ("أجوبة", 4),
                            ("answers 2025", 1), ("Rajab", None)):
        page.fill("#filter", query)
        shown = _visible(page)
        if expected is not None:
            assert shown == expected, query
        assert page.text_content("#count").startswith(str(shown))
    page.fill("#filter", "no such thing")
    assert _visible(page) == 0 and page.is_visible("#none")
    page.fill("#filter", "")
    assert _visible(page) == 11 and not page.is_visible("#none")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_violation(built, browser, viewport, tmp_path):
    page, seen = _open(browser, built[1], viewport)
    page.add_script_tag(content=_axe_source())
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    problems = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                for v in results["violations"]]
    assert problems == []
    assert seen["errors"] == []
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<input type=text>')")
    again = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert "label" in {v["id"] for v in again["violations"]}     # axe does look
    page.screenshot(path=str(tmp_path / f"{viewport['width']}.png"), full_page=True)
