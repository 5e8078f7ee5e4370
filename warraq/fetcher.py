"""The only URL fetcher WeasyPrint gets: the book's resources, templates, font files.

WeasyPrint loads whatever URL a document names (`file:///etc/passwd`,
`http://169.254.169.254/`) unless its fetcher says no. `BookFetcher` says no to
everything but
- `file:///warraq-book/<path>`: a resource of the `Book` (its bytes were read and checked
  by the loader; the source folder itself is never opened here),
- a file under warraq's `templates/` folder,
- one of the font files of `warraq.fonts` (of a collection, `?face=N`: that face alone).
Anything else (another file, http, https, ftp, data:, ...) is refused before any byte is
read or any connection opened: the fetcher raises `RefusedURL`, a WeasyPrint fatal error
that stops the rendering at once (an ordinary exception would only be logged and the
rendering would go on). `refused_error` turns it into a warraq `SourceError` (W307).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .errors import SourceError, source_error
from .fonts import font_bytes, font_paths
from .model import Book
from .templating import TEMPLATES_DIR

#: The virtual folder the book's HTML lives in; its resources are served from the Book.
BOOK_PREFIX = "/warraq-book/"
_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
          ".woff2": "font/woff2", ".png": "image/png", ".jpg": "image/jpeg",
          ".jpeg": "image/jpeg"}


class RefusedURL(FatalURLFetchingError):
    """WeasyPrint asked for a URL outside the book: rendering stops."""

    def __init__(self, url: str):
        super().__init__(f"warraq refuses to load {url}")
        self.url = url


def refused_error(refused: RefusedURL) -> SourceError:
    """The warraq error for a refused URL (exit status 2)."""
    return source_error("(book)", None, "W307", f"the book asks for `{refused.url}`, which is "
                        "outside the book: nothing outside the source folder is loaded; "
                        "remove that reference")


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


class BookFetcher(URLFetcher):
    """Serves the Book's resources, warraq's templates and font files; refuses the rest."""

    def __init__(self, book: Book):
        super().__init__(fail_on_errors=False, allowed_protocols=("file",))
        self.book = book
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = unquote(parts.path)
            if path.startswith(BOOK_PREFIX):
                resource = self.book.resource(path[len(BOOK_PREFIX):])
                if resource is not None:
                    self.served.append(url)
                    return URLFetcherResponse(url, resource.data,
                                              {"Content-Type": resource.media_type})
            elif path.startswith("/"):
                real = Path(path).resolve()
                face = parts.query.removeprefix("face=")
                if real in font_paths(self.book.meta.font_choice) and face.isdigit():
                    self.served.append(url)
                    return URLFetcherResponse(url, font_bytes(real, int(face)),
                                              {"Content-Type": "font/otf"})
                if real in font_paths(self.book.meta.font_choice) or (
                        _under(real, TEMPLATES_DIR.resolve()) and real.is_file()):
                    self.served.append(url)
                    return URLFetcherResponse(url, real.read_bytes(), {
                        "Content-Type": _TYPES.get(real.suffix.lower(),
                                                   "application/octet-stream")})
        self.refused.append(url)
        raise RefusedURL(url)
