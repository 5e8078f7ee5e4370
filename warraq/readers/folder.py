"""The source folder: confined path resolution and reading its text files, with limits.

Nothing outside the folder is read: paths that are absolute, climb out with `..`, or
resolve through a symlink to the outside are refused (the caller reports them). A text
file is read whole only up to `MAX_FILE_BYTES`, decoded as UTF-8 (a BOM dropped, line
ends made `\\n`), and holds no character XML cannot carry.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ..errors import Diagnostics

MAX_FILE_BYTES = 20 * 1024 * 1024
#: The longest file name (one part of a path) and path the file systems warraq runs on
#: accept, in bytes of UTF-8.
MAX_NAME_BYTES, MAX_PATH_BYTES = 255, 4096

#: Control characters (C0 but tab and newline, DEL, C1) and the two noncharacters
#: U+FFFE and U+FFFF: XML forbids or discourages them (so no EPUB can hold them) and no
#: font draws them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: At most this many W207 are reported for one file.
_MAX_CONTROL_REPORTS = 10


class SourceFolder:
    """The source folder, with confined path resolution."""

    def __init__(self, root: Path):
        self.root = root.resolve()

    def resolve(self, relative: str) -> Path | None:
        """The real path of `relative` if it stays inside the folder, else None (also
        when it is no usable name at all: see `problem`)."""
        pure = PurePosixPath(relative.replace("\\", "/"))
        if not relative or pure.is_absolute() or (pure.parts and ":" in pure.parts[0]):
            return None
        try:
            candidate = (self.root / pure).resolve()
        except (OSError, RuntimeError, ValueError):    # a loop, NUL, a name too long
            return None
        if candidate != self.root and self.root not in candidate.parents:
            return None
        return candidate

    def problem(self, relative: str) -> tuple[str, str] | None:
        """(code, reason) when `relative` cannot name a file at all: W208 a NUL byte, a
        lone surrogate or a name over `MAX_NAME_BYTES`; W206 a symlink loop. Callers
        ask this first, so that such a path is reported as what it is, not as a path
        leading outside the folder."""
        if "\0" in relative:
            return "W208", "holds a NUL byte, which no file name can"
        try:
            encoded = relative.encode("utf-8")
        except UnicodeEncodeError:
            return "W208", "holds a lone surrogate (half a character), which no file name can"
        if len(encoded) > MAX_PATH_BYTES or any(
                len(part.encode()) > MAX_NAME_BYTES for part in relative.split("/")):
            return "W208", (f"has a name longer than {MAX_NAME_BYTES} bytes, which no file "
                            "system here accepts")
        try:
            (self.root / relative.replace("\\", "/").lstrip("/")).resolve()
        except RuntimeError:
            return "W206", "is a symlink loop (it leads back to itself): fix or remove it"
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "W206", "is a symlink loop (it leads back to itself): fix or remove it"
            return "W208", f"cannot be used as a file name ({exc.strerror})"
        return None

    def relative(self, path: Path) -> str:
        """`path` relative to the folder, with `/` separators (how diagnostics name it)."""
        return path.relative_to(self.root).as_posix()

    def inside(self, document: Path, url_path: str) -> Path | None:
        """The real path a relative URL of `document` names, if it stays in the folder."""
        return self.resolve(self.url_relative(document, url_path))

    def url_relative(self, document: Path, url_path: str) -> str:
        """The path, relative to the folder, that a relative URL of `document` names."""
        base = PurePosixPath(self.relative(document.parent))
        return (base / unquote(url_path)).as_posix()


def read_text(path: Path, shown: str, diags: Diagnostics) -> str | None:
    """The text of a file, or None (reported: W206 unreadable or too large, W203 not UTF-8).

    A control character is reported (W207) and read as a space, so that the rest of the
    file is still checked; the build stops all the same.
    """
    try:
        with path.open("rb") as handle:      # never more than the limit into memory
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        diags.add(shown, None, "W206", f"cannot read the file: {exc.strerror}")
        return None
    if len(data) > MAX_FILE_BYTES:
        diags.add(shown, None, "W206", f"the file is larger than {MAX_FILE_BYTES // 2**20} MB: "
                  "split it into several files in contents")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        diags.add(shown, line, "W203", f"byte 0x{data[exc.start]:02x} is not UTF-8: save the "
                  "file as UTF-8")
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Unicode's line and paragraph separators mean what Markdown writes as a line break
    # and a blank line; left in, no font has a glyph for them.
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    for n, match in enumerate(_NOT_XML.finditer(text)):
        if n == _MAX_CONTROL_REPORTS:
            break
        start = text.rfind("\n", 0, match.start()) + 1
        diags.add(shown, text.count("\n", 0, match.start()) + 1, "W207",
                  f"the control character U+{ord(match.group()):04X} cannot appear in a book "
                  "(XML forbids it, no font draws it): delete it",
                  column=match.start() - start + 1)
    return _NOT_XML.sub(" ", text)
