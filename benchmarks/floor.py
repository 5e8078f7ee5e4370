"""The WeasyPrint floor: WeasyPrint alone rendering warraq's own print HTML.

`python benchmarks/floor.py capture CAPTURE.pickle -- SOURCE --out DIR --format pdf`
runs warraq's `build.py` in this process with WeasyPrint's public classes watched (their
methods wrapped, so it does not matter which warraq module calls them or how it imports
them) and the galley warraq lays out with (`warraq.pdf.relayout.Galley`, which makes
its documents itself): every `HTML(string=...)`, the stylesheets each document was laid
out with, every URL its
fetchers served, and which documents were written. The written document with the most
pages (the book, not its cover; a mended book laid out whole, as `capture` says) is
saved: its HTML, base URL, CSS, the fetched bytes and the write options (not warraq's
finisher).

`python benchmarks/floor.py render CAPTURE.pickle OUT.pdf` then does only what WeasyPrint
itself does with that input, `HTML(...).write_pdf()` with the same stylesheets, fonts and
options, served by a fetcher that replays the captured bytes, and prints its in-process
seconds and page count as JSON.
"""

from __future__ import annotations

import json
import pickle
import runpy
import sys
import time
from pathlib import Path

BUILD_PY = Path(__file__).resolve().parent.parent / "build.py"
_SIMPLE = (str, int, float, bool, type(None))


def _simple(options: dict) -> dict:
    return {k: v for k, v in options.items() if isinstance(v, _SIMPLE)}


def _watch_fetcher(fetcher) -> None:
    """Record what `fetcher` serves, keyed by the URL asked for."""
    from weasyprint.urls import URLFetcherResponse
    if fetcher is None or hasattr(fetcher, "_bench_log"):
        return
    fetcher._bench_log = log = {}
    fetch = fetcher.fetch

    def recording(url, headers=None):
        response = fetch(url, headers)
        data = response.read()
        response.close()
        log[url] = (response.url, data, list(response.headers.items()), response.status)
        return URLFetcherResponse(response.url, data, response.headers, response.status)
    fetcher.fetch = recording


def _source(kwargs: dict) -> dict:
    fetcher = kwargs.get("url_fetcher")
    _watch_fetcher(fetcher)
    return {"string": kwargs.get("string"), "base_url": kwargs.get("base_url"),
            "fetcher": fetcher}


def _install(written: list) -> None:
    import weasyprint
    from weasyprint.document import Document

    def wrap_init(cls):
        init = cls.__init__

        def __init__(self, *args, **kwargs):
            self._bench_source = _source(kwargs) if not args else None
            init(self, *args, **kwargs)
        cls.__init__ = __init__
    wrap_init(weasyprint.HTML)
    wrap_init(weasyprint.CSS)
    render = weasyprint.HTML.render

    def html_render(self, *args, **options):
        document = render(self, *args, **options)
        sheets = options.get("stylesheets") or []
        document._bench_record = {"html": self._bench_source, "pages": len(document.pages),
                                  "css": [getattr(s, "_bench_source", None) for s in sheets],
                                  "options": _simple(options)}
        return document
    weasyprint.HTML.render = html_render
    # warraq lays its documents out through a galley (warraq.pdf.relayout), WeasyPrint's
    # own pagination taken apart, which makes its Document itself
    from warraq.pdf.relayout import Galley
    wrap = Galley._wrap

    def galley_wrap(self, page_boxes):
        document = wrap(self, page_boxes)
        sheets = self.options.get("stylesheets") or []
        document._bench_record = {"html": self.html._bench_source,
                                  "pages": len(document.pages),
                                  "css": [getattr(s, "_bench_source", None) for s in sheets],
                                  "options": {}}
        return document
    Galley._wrap = galley_wrap
    write_pdf = Document.write_pdf

    def document_write_pdf(self, target=None, zoom=1, finisher=None, **options):
        record = getattr(self, "_bench_record", None)
        if record is not None:
            written.append({**record, "zoom": zoom, "write": _simple(options)})
        return write_pdf(self, target, zoom, finisher, **options)
    Document.write_pdf = document_write_pdf


def capture(out: Path, build_args: list[str]) -> None:
    """Build with warraq, watched; save the main book render's input to `out`."""
    written: list = []
    _install(written)
    # A mended book is written from its chapters' layouts joined (warraq.pdf.parts), which
    # no one HTML gives; laid out whole it is the same PDF, byte for byte
    # (tests/pdf/test_parts.py), from the one HTML that is the book: that is the floor's.
    import warraq.pdf.book
    warraq.pdf.book.by_chapter = lambda book: False
    sys.argv = [str(BUILD_PY), *build_args]
    try:
        runpy.run_path(str(BUILD_PY), run_name="__main__")
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            raise SystemExit(f"floor capture: the build failed ({exit_.code})") from None
    if not written:
        raise SystemExit("floor capture: WeasyPrint wrote no document")
    main = max(written, key=lambda r: r["pages"])
    sources = [main["html"], *main["css"]]
    if any(s is None or s["string"] is None for s in sources):
        raise SystemExit("floor capture: the book's HTML or CSS was not given as a string")
    fetches: dict = {}
    for s in sources:
        fetches.update(getattr(s["fetcher"], "_bench_log", {}))
    data = {"html": (main["html"]["string"], main["html"]["base_url"]),
            "css": [(s["string"], s["base_url"]) for s in main["css"]],
            "fetches": fetches, "zoom": main["zoom"], "pages": main["pages"],
            "options": {**main["options"], **main["write"]}}
    out.write_bytes(pickle.dumps(data))


def render(capture_file: Path, out: Path) -> None:
    """WeasyPrint alone on the captured input; prints seconds and pages as JSON."""
    data = pickle.loads(capture_file.read_bytes())
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class Replay(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in data["fetches"]:
                raise FatalURLFetchingError(f"floor: {url} was not fetched by warraq")
            real, body, items, status = data["fetches"][url]
            return URLFetcherResponse(real, body, dict(items), status)

    start, cpu = time.perf_counter(), time.process_time()
    fetcher, fonts, profiles = Replay(fail_on_errors=True), FontConfiguration(), {}
    sheets = [CSS(string=s, base_url=b, url_fetcher=fetcher, font_config=fonts,
                  color_profiles=profiles) for s, b in data["css"]]
    html, base = data["html"]
    document = HTML(string=html, base_url=base, url_fetcher=fetcher).render(
        stylesheets=sheets, font_config=fonts, color_profiles=profiles,
        **{k: v for k, v in data["options"].items() if k != "stylesheets"})
    document.write_pdf(out, data["zoom"], **data["options"])
    print(json.dumps({"seconds": time.perf_counter() - start,
                      "cpu": time.process_time() - cpu, "pages": len(document.pages),
                      "captured_pages": data["pages"]}))


def main(argv: list[str]) -> None:
    if len(argv) >= 3 and argv[0] == "capture" and argv[2] == "--":
        capture(Path(argv[1]), argv[3:])
    elif len(argv) == 3 and argv[0] == "render":
        render(Path(argv[1]), Path(argv[2]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
