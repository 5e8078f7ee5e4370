"""A volume's articles: the book folders its `contents` names, each read as a book.

A `contents` entry that is not a Markdown file and names a folder (`../2023-10-04-
karabakh`) makes the book a volume. The confinement widens for those entries to the
library's folder, the nearest folder at or above the volume that holds `library.yaml`,
never beyond it: a volume in no library is W209, an entry leading outside the library (or
to the library's own folder) W210, a folder that is no book, the volume itself or another
volume W211, each at its line of book.yaml. Each article is read by `read_book` from its
own folder (confined to it); its problems, chapters, source texts and images are named
from the volume (`../2023-10-04-karabakh/text.md`), its images kept apart under its
folder's name. The volume transform (`warraq.transforms.volume`) makes each a chapter.
"""

from __future__ import annotations

import dataclasses
import posixpath
from pathlib import Path, PurePosixPath
from typing import Callable

import yaml

from ..errors import Diagnostics
from ..model import Book, Resource, SourceFile
from .chapter import fix_images
from .folder import SourceFolder

LIBRARY_FILE = "library.yaml"
_MARKDOWN = (".md", ".markdown")


def is_folder_entry(root: Path, entry: str) -> bool:
    """Whether a `contents` entry names a book folder rather than a Markdown file: it is
    no `.md` name and ends with `/`, is a folder, or, in a library, has no suffix (a
    misspelt article folder is then reported as a missing book folder)."""
    name = entry.replace("\\", "/")
    if PurePosixPath(name.rstrip("/")).suffix.lower() in _MARKDOWN:
        return False
    if name.endswith("/"):
        return True
    try:
        if (root / name).is_dir():
            return True
    except (OSError, ValueError):
        return False
    return not PurePosixPath(name).suffix and library_root(root) is not None


def library_root(folder: Path) -> Path | None:
    """The library a book folder belongs to: the nearest folder at or above it holding
    library.yaml (only its presence is looked at), or None."""
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / LIBRARY_FILE).is_file():
            return candidate
    return None


def folder_entries(yaml_text: str) -> list[str]:
    """The entries of a book.yaml's `contents` that are no Markdown file names, read
    leniently (nothing is reported: the book's own read does that); [] when there is
    none or no such list."""
    try:        # the node tree only: aliases are never expanded
        root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    contents = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode)
                     and k.value == "contents"), None)
    if not isinstance(contents, yaml.SequenceNode):
        return []
    entries = [n.value.strip() for n in contents.value if isinstance(n, yaml.ScalarNode)]
    return [e for e in entries if e and PurePosixPath(
        e.replace("\\", "/").rstrip("/")).suffix.lower() not in _MARKDOWN]


def article_folder(volume: Path, library: Path, entry: str) -> Path | None:
    """The real folder a folder entry names, if it stays inside the library (and is not
    the library's own folder), else None."""
    pure = PurePosixPath(entry.replace("\\", "/").rstrip("/"))
    if not pure.parts or pure.is_absolute() or ":" in pure.parts[0]:
        return None
    candidate = (volume / pure).resolve()
    return candidate if library in candidate.parents else None


def _problem(volume: Path, library: Path | None, entry: str,
             seen: set[Path]) -> tuple[str, str] | Path:
    """The folder of an entry, or (code, message) of what is wrong with it."""
    if library is None:
        return ("W209", f"`{entry}` names a book folder, but this book is in no library: a "
                f"volume's articles are book folders of its library (the folder holding "
                f"{LIBRARY_FILE}, at or above the volume)")
    folder = article_folder(volume, library, entry)
    if folder is None:
        return ("W210", f"`{entry}` leads outside the library `{library.name}`: a volume's "
                "entries are book folders inside the library's folder")
    if folder == volume:
        return "W211", f"`{entry}` is this volume itself: name the articles' folders"
    if folder in seen:
        return "W201", f"`{entry}` is listed twice in contents"
    if not folder.is_dir():
        return "W200", f"the book folder `{entry}` does not exist"
    yaml_path = folder / "book.yaml"
    if not yaml_path.is_file():
        return ("W211", f"`{entry}` holds no book.yaml: a volume's entries are book folders "
                "of the library (or Markdown files of its own)")
    try:
        nested = [e for e in folder_entries(yaml_path.read_text(encoding="utf-8",
                                                                 errors="replace"))
                  if is_folder_entry(folder, e)]
    except OSError:
        nested = []
    if nested:
        return ("W211", f"`{entry}` is a volume itself: a volume gathers articles, not other "
                "volumes")
    return folder


def _shown(prefix: str, name: str) -> str:
    return posixpath.normpath(f"{prefix}/{name}") if name else prefix


def _rebased_diagnostics(found: Diagnostics, prefix: str, diags: Diagnostics) -> None:
    for d in found.items:
        diags.add(_shown(prefix, d.file), d.line, d.code, d.message, column=d.column)
    diags.more += found.more
    diags.order += [_shown(prefix, name) for name in found.order]
    diags.notes += [f"{prefix}: {n}" for n in found.notes if f"{prefix}: {n}" not in diags.notes]


def _rebased_book(book: Book, prefix: str, tag: str) -> Book:
    """The article's Book with its files named from the volume and its images under
    `tag/` (so that two articles' images/figure.png stay two images)."""
    used = [r for r in book.resources if any(f'src="{r.path}"' in c.html for c in book.chapters)]
    names = {r.path: f"{tag}/{r.path}" for r in used}
    chapters = tuple(dataclasses.replace(c, source=_shown(prefix, c.source),
                                         html=fix_images(c.html, names))
                     for c in book.chapters)
    return dataclasses.replace(
        book, chapters=chapters,
        resources=tuple(Resource(names[r.path], r.media_type, r.data, r.width, r.height)
                        for r in used),
        sources=tuple(SourceFile(_shown(prefix, s.path), s.text) for s in book.sources))


def read_articles(source: SourceFolder, entries: list[tuple[str, int]], layout_line: int | None,
                  layout: str, diags: Diagnostics, epoch: str | None,
                  read: Callable) -> tuple[Book, ...]:
    """Read the book folder of each entry (see the module); `read` is `read_book`."""
    if layout == "article":
        diags.add("book.yaml", layout_line, "W109", "a volume (its contents names book "
                  "folders) is laid out as a book: remove `layout: article`")
    library = library_root(source.root)
    seen: set[Path] = set()
    articles = []
    for entry, line in entries:
        found = _problem(source.root, library, entry, seen)
        if isinstance(found, tuple):
            diags.add("book.yaml", line, *found)
            continue
        seen.add(found)
        prefix = posixpath.normpath(entry.replace("\\", "/").rstrip("/"))
        result = read(found, epoch)
        _rebased_diagnostics(result.diagnostics, prefix, diags)
        if result.book is not None:
            articles.append(_rebased_book(result.book, prefix, found.name))
    return tuple(articles)
