"""What the last library build made: content hashes of each book's inputs, and its last
good catalogue entry, in `DIST/.warraq-library.json`.

A book is skipped when the hash of its inputs (every file of its folder, and of each
article folder a volume names, warraq's version
and code, the templates, the formats, the PDF profiles and SOURCE_DATE_EPOCH) equals the
recorded one *and* every file the record lists is still in DIST with its recorded size
and SHA-256. The state file carries a digest of its own content: a file that cannot be
read, is not this format, or whose digest does not match is ignored as a whole (every
book is rebuilt), never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from .. import __version__

STATE_FILE = ".warraq-library.json"
FORMAT = "warraq-library-state/1"
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _tree_digest(folder: Path, suffixes: tuple[str, ...] | None = None) -> str:
    """SHA-256 over the relative paths and bytes of the files under `folder`, sorted;
    hidden files and folders (`.x`) and `__pycache__` are left out."""
    digest = hashlib.sha256()
    files = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
            continue
        if path.is_file() and (suffixes is None or path.suffix in suffixes):
            files.append((rel.as_posix(), path))
    for rel, path in sorted(files):
        data = path.read_bytes()
        digest.update(f"{rel}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@lru_cache(maxsize=4)
def tool_digest(templates_dir: Path) -> str:
    """warraq's version, its code and its templates, as one hash (once per process)."""
    digest = hashlib.sha256(f"warraq {__version__}\0".encode())
    digest.update(_tree_digest(PACKAGE_DIR, (".py",)).encode())
    digest.update(_tree_digest(templates_dir).encode())
    return digest.hexdigest()


def inputs_digest(book_dir: Path, tool: str, formats: tuple[str, ...],
                  profiles: tuple[str, ...], epoch: str | None,
                  articles: tuple[Path, ...] = ()) -> str:
    """The hash that decides whether a book must be built again (a volume's also covers
    the folders of its `articles`)."""
    digest = hashlib.sha256()
    for part in (tool, ",".join(formats), ",".join(profiles), epoch or "",
                 _tree_digest(book_dir), *(f"{a.name}:{_tree_digest(a)}" for a in articles)):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def _books_digest(books: dict) -> str:
    return hashlib.sha256(json.dumps(books, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()


def load_state(dist: Path) -> tuple[dict[str, dict], str | None]:
    """The recorded books (slug -> {"inputs", "entry"}), and why the state was ignored
    (None when it was read, or there was none)."""
    path = dist / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return {}, f"{STATE_FILE} cannot be read ({type(exc).__name__})"
    books = data.get("books") if isinstance(data, dict) else None
    if not isinstance(books, dict) or data.get("format") != FORMAT:
        return {}, f"{STATE_FILE} is not a {FORMAT} file"
    if data.get("digest") != _books_digest(books):
        return {}, f"{STATE_FILE} was changed by hand or damaged (its digest does not match)"
    good = {slug: rec for slug, rec in books.items() if _sound(rec)}
    if len(good) != len(books):
        return {}, f"{STATE_FILE} holds malformed records"
    return good, None


def _sound(record) -> bool:
    if not isinstance(record, dict) or not isinstance(record.get("entry"), dict):
        return False
    files = record["entry"].get("files")
    return isinstance(record.get("inputs"), str) and isinstance(files, list) and all(
        isinstance(f, dict) and isinstance(f.get("href"), str)
        and isinstance(f.get("size"), int) and isinstance(f.get("sha256"), str)
        for f in files)


def files_intact(dist: Path, entry: dict) -> bool:
    """Every file the entry lists is in DIST with its recorded size and SHA-256."""
    root = dist.resolve()
    for f in entry["files"]:
        path = (dist / f["href"]).resolve()
        if not path.is_relative_to(root):
            return False
        try:
            data = path.read_bytes()
        except OSError:
            return False
        if len(data) != f["size"] or hashlib.sha256(data).hexdigest() != f["sha256"]:
            return False
    return True


def save_state(dist: Path, books: dict[str, dict]) -> None:
    """Write the state atomically (a temporary file in DIST, then a rename)."""
    text = json.dumps({"format": FORMAT, "digest": _books_digest(books), "books": books},
                      sort_keys=True, ensure_ascii=False, indent=1) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".warraq-tmp-", suffix="-state", dir=dist)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, dist / STATE_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
