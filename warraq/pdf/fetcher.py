"""The only URL fetcher WeasyPrint gets, configured for each use.

WeasyPrint loads whatever URL a document names (`file:///etc/passwd`,
`http://169.254.169.254/`) unless its fetcher says no. `Fetcher` says no to everything
but what it was configured to serve:
- `file:///warraq-book/<path>`: a resource of the `Book` (its bytes were read and checked
  by the loader; the source folder itself is never opened here), in the profile's colour
  (`warraq.pdf.images`); an SVG as `warraq.svg.for_print` gives it (its text in the
  book's fonts, its colours in the profile's inks);
- a file under warraq's `templates/` folder;
- one of the font files of `warraq.fonts` (the book's choice; with no book, any face a
  book may choose); of a collection (`.ttc`, `?face=N`) that one face as a font;
- the CMYK output-intent profile, `warraq.pdf.profiles.CMYK_ICC`.
`Fetcher.for_book(book, colour)` serves all four (the interior and the cover wrap);
`Fetcher.fonts_only()` the fonts (the generated front cover). Anything else (another
file, http, https, ftp, data:, ...) is refused before any byte is read or any connection
opened: the fetcher raises `RefusedURL`, a WeasyPrint fatal error that stops the
rendering at once (an ordinary exception would only be logged and the rendering would go
on). `refused_error` turns it into a warraq `SourceError` (W307).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import weasyload  # noqa: F401  (first: WeasyPrint's libraries)
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from ..errors import SourceError, source_error
from ..fonts import font_bytes, font_paths, known_font_paths, script_stack, static_instance
from ..model import Book
from ..svg import SVG_TYPE, for_print
from ..templating import TEMPLATES_DIR
from .images import in_colour
from .profiles import CMYK_ICC

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


class Fetcher(URLFetcher):
    """Serves what it was configured to (see the module docstring); refuses the rest.
    `served` and `refused` list the URLs asked for, in order."""

    def __init__(self, book: Book | None = None, colour: str = "rgb", templates: bool = True,
                 icc: bool = True):
        super().__init__(fail_on_errors=False, allowed_protocols=("file",))
        self.book = book
        self.colour = colour
        self.templates = templates
        self.icc = icc
        self.refused: list[str] = []
        self.served: list[str] = []
        self._font_paths: frozenset[Path] | None = None

    @classmethod
    def for_book(cls, book: Book, colour: str = "rgb") -> Fetcher:
        """The book's resources in `colour`, templates, fonts and the CMYK profile."""
        return cls(book, colour)

    @classmethod
    def fonts_only(cls) -> Fetcher:
        """warraq's font files and nothing else."""
        return cls(None, templates=False, icc=False)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            served = self._serve(unquote(parts.path), parts.query)
            if served is not None:
                self.served.append(url)
                data, media_type = served
                return URLFetcherResponse(url, data, {"Content-Type": media_type})
        self.refused.append(url)
        raise RefusedURL(url)

    def _fonts(self) -> frozenset[Path]:
        if self._font_paths is None:    # (resolving every face's path costs ~3 ms)
            self._font_paths = (font_paths(self.book.meta.font_choice) if self.book
                                else known_font_paths())
        return self._font_paths

    def _serve(self, path: str, query: str = "") -> tuple[bytes, str] | None:
        """The bytes and media type for a local path, or None if it is not served."""
        if path.startswith(BOOK_PREFIX):
            resource = self.book.resource(path[len(BOOK_PREFIX):]) if self.book else None
            if resource is None:
                return None
            if resource.media_type == SVG_TYPE:
                stack = script_stack("latin", self.book.meta.font_choice)
                return for_print(resource.data, self.colour, stack), SVG_TYPE
            return in_colour(resource.data, resource.media_type, self.colour)
        if not path.startswith("/"):
            return None
        if self.icc and path == CMYK_ICC and Path(path).is_file():
            return Path(path).read_bytes(), "application/vnd.iccprofile"
        real = Path(path).resolve()
        face = query.removeprefix("face=")
        if real in self._fonts() and face.isdigit():
            return font_bytes(real, int(face)), "font/otf"
        weight = query.removeprefix("wght=")
        if real in self._fonts() and weight.isdigit():     # a variable font's one weight
            static = static_instance(real, int(weight))
            return (static if static is not None else real.read_bytes()), "font/ttf"
        if real in self._fonts() or (self.templates and _under(real, TEMPLATES_DIR.resolve())
                                    and real.is_file()):
            return real.read_bytes(), _TYPES.get(real.suffix.lower(), "application/octet-stream")
        return None
