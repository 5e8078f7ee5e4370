"""`--format azw3`: a Kindle file, converted from the book's EPUB by calibre's
`ebook-convert` (an outside program, found on PATH; warraq does not bundle it).

The writer is not among the default formats (most machines have no calibre): it is
added to a build only when `azw3` is asked for (`writers_for`). It converts the EPUB
writer's `epub` artefact when the EPUB is built in the same run; otherwise it makes the
EPUB itself, the same way (with the print edition's page map when the PDF is built). It
converts in a private temporary folder and reads the result back (a MOBI/KF8 file starts
its record database with `BOOKMOBI`). Without calibre, or when the conversion fails, the
build stops with W502 saying what to do.

The EPUB's fonts are TrueType/OpenType (`warraq.writers.epub_fonts`), which Kindle keeps:
the AZW3 carries them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import source_error
from .writers.contract import Rendered, RenderContext, Writer

NAME = "azw3"
#: Where calibre's converter is looked for (PATH); `WARRAQ_EBOOK_CONVERT` overrides it.
PROGRAM = "ebook-convert"
TIMEOUT = 600


def converter() -> str | None:
    """The path of `ebook-convert`, or None."""
    given = os.environ.get("WARRAQ_EBOOK_CONVERT")
    if given:
        return given if Path(given).is_file() else None
    return shutil.which(PROGRAM)


def _missing():
    return source_error("--format azw3", None, "W502", "writing AZW3 needs calibre's "
                        "`ebook-convert`, which is not installed: install calibre "
                        "(Debian: `apt-get install calibre`) or leave azw3 out of --format")


def convert(epub: bytes, slug: str) -> bytes:
    """The AZW3 made from `epub` by ebook-convert; raises `SourceError` W502."""
    program = converter()
    if program is None:
        raise _missing()
    with tempfile.TemporaryDirectory(prefix="warraq-azw3-") as tmp:
        src, out = Path(tmp) / f"{slug}.epub", Path(tmp) / f"{slug}.azw3"
        src.write_bytes(epub)
        env = dict(os.environ, HOME=tmp, CALIBRE_CONFIG_DIRECTORY=str(Path(tmp) / "config"),
                   QT_QPA_PLATFORM="offscreen")
        try:
            run = subprocess.run([program, str(src), str(out)], capture_output=True,
                                 text=True, timeout=TIMEOUT, env=env, cwd=tmp, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise source_error("--format azw3", None, "W502", f"calibre's ebook-convert "
                               f"could not run ({type(exc).__name__}: {exc})") from None
        data = out.read_bytes() if out.is_file() else b""
        if run.returncode != 0 or data[60:68] != b"BOOKMOBI":
            last = (run.stderr.strip() or run.stdout.strip()).splitlines()[-1:] or ["no output"]
            raise source_error(f"{slug}.azw3", None, "W502", f"calibre's ebook-convert "
                               f"failed (exit {run.returncode}): {last[0][:300]}")
    return data


class Azw3Writer:
    """`--format azw3`: `<slug>.azw3`, through calibre."""

    name = NAME
    #: the EPUB to convert; the print edition's page map when the EPUB is made here
    needs: tuple[str, ...] = ("epub", "pdf")

    def render(self, context: RenderContext) -> Rendered:
        from .writers.epub import write_epub
        if converter() is None:          # say so before the EPUB is made
            raise _missing()
        context.progress("azw3", f"{context.book.slug}.azw3")
        epub = context.artefact("epub") or write_epub(
            context.book, context.artefact("page-map"), cache=context.cache)
        return Rendered(files={f"{context.book.slug}.azw3": convert(epub, context.book.slug)})


def writers_for(formats) -> tuple[Writer, ...] | None:
    """The writers of a build of `formats`: None (the built-in ones) unless azw3 is asked."""
    if NAME not in formats:
        return None
    from .writers import builtin
    return builtin() + (Azw3Writer(),)
