"""Nothing outside the source folder is read and no connection is opened: neither by the
loader (which refuses with a code and a line) nor by WeasyPrint (whose URL fetcher
serves only the Book's resources, the templates and the font files). And the build
writes nothing outside the output folder."""

from __future__ import annotations

import dataclasses
import http.server
import os
import subprocess
import sys
import threading

import pytest

from conftest import ROOT, SAMPLE
from warraq.errors import SourceError
from warraq.pdf.fetcher import Fetcher, RefusedURL
from warraq.fonts import faces
from warraq.model import Resource
from warraq.pipeline import build, prepare, render

SECRET = "the author's private notes\n"


class _Opened:
    """Records, through a Python audit hook, every file opened and socket connected."""

    active: "_Opened | None" = None

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.connects: list[str] = []


def _hook(event: str, args) -> None:
    rec = _Opened.active
    if rec is None:
        return
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        rec.paths.append(os.fsdecode(args[0]))
    elif event in ("socket.connect", "urllib.Request"):
        rec.connects.append(repr(args[1] if event == "socket.connect" else args[0]))


sys.addaudithook(_hook)   # an audit hook cannot be removed: it is inert unless `active`


@pytest.fixture
def opened():
    rec = _Opened()
    _Opened.active = rec
    yield rec
    _Opened.active = None


@pytest.fixture
def server():
    """A throw-away HTTP server on loopback that records every request it gets."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):   # noqa: N802
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


def test_the_server_would_see_a_request(server):
    """The trap works: a plain fetch of the server's URL is seen (so silence means something)."""
    import urllib.request
    base, seen = server
    urllib.request.urlopen(base + "/probe", timeout=5).close()
    assert seen == ["/probe"]


def test_a_source_asking_for_outside_files_reads_nothing(tmp_path, server, opened):
    base, seen = server
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    src = tmp_path / "src"
    src.mkdir()
    (src / "book.yaml").write_text("title: Nosy Book\ncontents: [a.md]\n")
    (src / "a.md").write_text(
        "# A\n\n"
        "![a](../secret.txt)\n\n"                                   # line 3
        f"![b]({secret.as_uri()})\n\n"                              # line 5
        f"![c]({base}/image.png)\n\n"                               # line 7
        f'<img src="{base}/raw.png" alt="d">\n\n'                   # line 9
        f'<p style="background: url({base}/style.png)">e</p>\n\n'   # line 11
        f"[f]({secret.as_uri()}) and [g](../secret.txt)\n\n"        # line 13
        f"[a web page]({base}/page) is a link, never followed.\n")  # line 15
    opened.paths.clear()                       # from here on, the build only
    with pytest.raises(SourceError) as info:
        build(src, tmp_path / "dist")
    assert [(d.code, d.line) for d in info.value.diagnostics] == [
        ("W307", 3), ("W307", 5), ("W307", 7), ("W307", 9), ("W307", 11), ("W307", 13),
        ("W307", 13)]
    assert seen == []
    assert opened.connects == []
    assert str(secret) not in opened.paths
    assert not (tmp_path / "dist").exists()


def _book_pointing_at(url: str):
    """The sample book with a chapter that names `url` (made past the loader's checks)."""
    book = prepare(SAMPLE)
    first = book.chapters[0]
    html = first.html + f'<p><img src="{url}" alt="x"/></p>'
    return dataclasses.replace(book, chapters=(dataclasses.replace(first, html=html),))


def _book_with_css_url(url: str):
    book = prepare(SAMPLE)
    first = book.chapters[0]
    html = first.html + f'<div style="background-image: url({url})">x</div>'
    return dataclasses.replace(book, chapters=(dataclasses.replace(first, html=html),))


def test_weasyprint_is_refused_everything_outside_the_book(tmp_path, server, opened):
    """Past the loader (a Book made by hand), WeasyPrint still loads nothing foreign: the
    fetcher stops the render with W307 at the first URL outside the book."""
    base, seen = server
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    cases = [
        (_book_pointing_at(f"{base}/img.png"), f"{base}/img.png"),
        (_book_pointing_at(secret.as_uri()), secret.as_uri()),
        (_book_pointing_at("../../" + str(secret).lstrip("/")), secret.as_uri()),
        (_book_with_css_url(f"{base}/bg.png"), f"{base}/bg.png"),
    ]
    opened.paths.clear()                       # from here on, the renderer only
    for book, url in cases:
        with pytest.raises(SourceError) as info:
            render(book, ("pdf",))
        [diag] = info.value.diagnostics
        assert diag.code == "W307" and url in diag.message
    assert seen == []
    assert opened.connects == []
    assert str(secret) not in opened.paths


def test_the_fetcher_serves_only_the_book_templates_and_fonts(tmp_path, server):
    base, seen = server
    png = Resource("img/a.png", "image/png", b"\x89PNG fake", 1, 1)
    book = dataclasses.replace(prepare(SAMPLE), resources=(png,))
    fetcher = Fetcher.for_book(book)
    assert fetcher("file:///warraq-book/img/a.png").read() == b"\x89PNG fake"
    font = faces()[0].path
    assert fetcher(font.resolve().as_uri()).read() == font.read_bytes()
    css = ROOT / "templates" / "pdf" / "book.css"
    assert fetcher(css.as_uri()).read() == css.read_bytes()
    (tmp_path / "x.css").write_text("p {}")
    for url in [f"{base}/a.png", base.replace("http", "https") + "/a.png",
                "ftp://127.0.0.1/a", "data:text/css,p{}", "file:///etc/passwd",
                (tmp_path / "x.css").as_uri(), "file:///warraq-book/img/other.png",
                "file:///warraq-book/../etc/passwd", "file://evil.example/etc/passwd",
                font.parent.as_uri() + "/../../../../../../../etc/passwd",
                (ROOT / "templates" / ".." / "README.md").as_uri()]:
        with pytest.raises(RefusedURL):
            fetcher(url)
    assert seen == []
    assert len(fetcher.refused) == 11


@pytest.mark.slow
def test_the_build_writes_nothing_outside_the_output_folder(tmp_path):
    """A real build (EPUB and PDF) in a fresh process with empty HOME, TMPDIR, cache and
    working folders: afterwards only the output folder has files, the source is unchanged."""
    dirs = {k: tmp_path / k for k in ("home", "tmp", "cache", "cwd")}
    for d in dirs.values():
        d.mkdir()
    src = tmp_path / "src"
    import shutil
    shutil.copytree(SAMPLE, src)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in src.rglob("*") if p.is_file()}
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(dirs["home"]),
           "TMPDIR": str(dirs["tmp"]), "XDG_CACHE_HOME": str(dirs["cache"]),
           "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(ROOT),
           "SOURCE_DATE_EPOCH": "1700000000"}
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), str(src), "--out",
                           str(tmp_path / "out")], cwd=dirs["cwd"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for name, d in dirs.items():
        assert list(d.rglob("*")) == [], name
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in src.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "patience-and-gratitude.epub", "patience-and-gratitude.pdf",
        "patience-and-gratitude.sha256"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".warraq-cache", "cache", "cwd", "home", "out", "src", "tmp"]   # the build cache
    assert (tmp_path / ".warraq-cache" / ".gitignore").is_file()        # beside the output


def test_the_fonts_only_fetcher_serves_the_fonts_and_nothing_else():
    """The generated front cover's fetcher: warraq's font files only (no templates, no
    book resources, no ICC profile)."""
    fetcher = Fetcher.fonts_only()
    font = faces()[0].path
    assert fetcher(font.resolve().as_uri()).read() == font.read_bytes()
    for url in [(ROOT / "templates" / "pdf" / "book.css").as_uri(),
                "file:///warraq-book/img/a.png",
                "file:///usr/share/color/icc/ghostscript/default_cmyk.icc"]:
        with pytest.raises(RefusedURL):
            fetcher(url)
    assert len(fetcher.refused) == 3 and len(fetcher.served) == 1


@pytest.mark.allow_weasyprint_warnings
def test_render_collects_what_weasyprint_says():
    """warraq.pdf.render: one collector gathers WeasyPrint's warnings of laying out and
    writing, and stops listening afterwards."""
    import logging

    from warraq.pdf.render import collected, to_pdf
    data, messages = to_pdf("<p>x</p>", "p { colour: red }", Fetcher.fonts_only())
    assert data.startswith(b"%PDF-") and any("colour" in m for m in messages)
    with collected() as during:
        logging.getLogger("weasyprint").warning("inside")
    logging.getLogger("weasyprint").warning("outside")
    assert during == ["inside"]


@pytest.mark.allow_weasyprint_warnings
def test_collectors_in_parallel_threads_keep_their_own_messages():
    import logging
    import threading

    from warraq.pdf.render import collected
    got: dict[int, list[str]] = {}
    barrier = threading.Barrier(2)

    def work(n: int) -> None:
        with collected() as messages:
            barrier.wait()
            logging.getLogger("weasyprint").error(f"from {n}")
            barrier.wait()
        got[n] = messages
    threads = [threading.Thread(target=work, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == {1: ["from 1"], 2: ["from 2"]}
