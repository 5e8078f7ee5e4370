"""library.yaml and the book folders of a library.

A library is a folder holding a `library.yaml` (the catalogue's title, publisher,
language, author, description and the public `base-url` its files are served from) and
book folders: its direct sub-folders that hold a `book.yaml`. Each book is built into
`DIST/<folder name>/`, so the folder's name is the book's address in the catalogue (its
"slug"): letters, digits, `-`, `_` and `.`, not starting with `.` (W605).

Every mistake is a coded diagnostic at library.yaml's line (W600-W606), all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..errors import Diagnostic, Diagnostics, SourceError, source_error
from ..yamlguard import GuardedLoader

LIBRARY_FILE = "library.yaml"

#: The keys of library.yaml: (required, what it is).
KEYS: dict[str, tuple[bool, str]] = {
    "title": (True, "the catalogue's title"),
    "publisher": (False, "who publishes the library (the feeds' author when `author` is not "
                  "given)"),
    "author": (False, "the library's author, for the feeds (default: the publisher)"),
    "lang": (False, "the catalogue's language, a BCP 47 tag (default `en`)"),
    "description": (False, "a sentence about the library, shown under its title"),
    "base-url": (False, "the public URL the DIST folder is served from, e.g. "
                 "`https://example.org/answers/`: the feeds' links are absolute with it "
                 "(without it, relative)"),
}

_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class LibraryConfig:
    """library.yaml, checked."""

    title: str
    lang: str = "en"
    publisher: str | None = None
    author: str | None = None
    description: str | None = None
    #: Ends with `/` when given.
    base_url: str | None = None

    @property
    def feed_author(self) -> str:
        return self.author or self.publisher or self.title


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _check_value(key: str, node: yaml.Node, file: str, diags: Diagnostics) -> str | None:
    """The text of a scalar value, or None with a W604 diagnostic."""
    if not isinstance(node, yaml.ScalarNode):
        diags.add(file, _line(node), "W604", f"`{key}` must be text, not a list or mapping")
        return None
    text = str(node.value).strip()
    if not text or node.tag == "tag:yaml.org,2002:null":
        diags.add(file, _line(node), "W604", f"`{key}` must be text, not empty")
        return None
    if key == "lang" and not _LANG.match(text):
        diags.add(file, _line(node), "W604", f"`lang: {text}` is not a BCP 47 language tag "
                  "(such as `en`, `ar` or `en-GB`)")
        return None
    if key == "base-url":
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or (
                parts.fragment):
            diags.add(file, _line(node), "W604", f"`base-url: {text}` must be an absolute "
                      "http(s) URL without query or fragment, such as "
                      "`https://example.org/answers/`")
            return None
        if not text.endswith("/"):
            text += "/"
    return text


def _compose(text: str, file: str) -> yaml.Node | None:
    try:
        # aliases and deep nesting refused before composing, as in book.yaml (W114)
        return yaml.compose(text, Loader=GuardedLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        code = getattr(exc, "code", "W600")
        raise SourceError([Diagnostic(file, mark.line + 1 if mark else None,
                                      mark.column + 1 if mark else None, code,
                                      f"YAML syntax: {problem}" if code == "W600"
                                      else problem)]) from None


def parse_config(text: str, file: str = LIBRARY_FILE) -> LibraryConfig:
    """Check library.yaml's text; raise `SourceError` with every problem found."""
    node = _compose(text, file)
    diags = Diagnostics()
    if not isinstance(node, yaml.MappingNode):
        raise source_error(file, _line(node) if node is not None else 1, "W601",
                           "library.yaml must be a mapping of keys (title, publisher, lang, "
                           "base-url, ...) to values")
    values: dict[str, str] = {}
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        if key in seen:
            diags.add(file, _line(key_node), "W604", f"`{key}` is given twice: keep one")
            continue
        seen.add(key)
        if key not in KEYS:
            diags.add(file, _line(key_node), "W602", f"unknown key `{key}`: the keys are "
                      f"{', '.join(KEYS)}")
            continue
        value = _check_value(key, value_node, file, diags)
        if value is not None:
            values[key] = value
    for key, (required, doc) in KEYS.items():
        if required and key not in seen:
            diags.add(file, 1, "W603", f"`{key}` is required: {doc}")
    diags.raise_if_any()
    return LibraryConfig(title=values["title"], lang=values.get("lang", "en"),
                         publisher=values.get("publisher"), author=values.get("author"),
                         description=values.get("description"),
                         base_url=values.get("base-url"))


def load_config(folder: Path) -> LibraryConfig:
    """Read and check `folder/library.yaml`."""
    path = folder / LIBRARY_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise source_error(LIBRARY_FILE, None, "W600", f"no library.yaml in {folder}: "
                           "create one with at least `title`") from None
    except OSError as exc:
        raise source_error(LIBRARY_FILE, None, "W600", f"cannot read library.yaml "
                           f"({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise source_error(LIBRARY_FILE, data[:exc.start].count(b"\n") + 1, "W600",
                           "library.yaml is not UTF-8 text") from None
    return parse_config(text)


def is_library(folder: str | Path) -> bool:
    """True when `folder` holds a library.yaml (and so is built as a library)."""
    return (Path(folder) / LIBRARY_FILE).is_file()


def find_books(folder: Path) -> list[tuple[str, Path]]:
    """(slug, folder) of every direct sub-folder holding a book.yaml, sorted by name.

    Raises `SourceError` W605 for folder names that cannot be an address, W606 if none."""
    diags = Diagnostics()
    books = []
    for child in sorted(folder.iterdir(), key=lambda p: p.name):
        if child.name.startswith(".") or not child.is_dir():
            continue
        if not (child / "book.yaml").is_file():
            continue
        if not SLUG.match(child.name):
            diags.add(child.name, None, "W605", f"the book folder `{child.name}` must be "
                      "named with letters, digits, `-`, `_` and `.` only (it is the book's "
                      "address in the catalogue): rename it, e.g. "
                      "`2023-10-04-karabakh`")
            continue
        books.append((child.name, child))
    diags.raise_if_any()
    if not books:
        raise source_error(LIBRARY_FILE, None, "W606", f"no book folder in {folder}: put "
                           "each book in a folder of its own, with its book.yaml, directly "
                           "under the library")
    return books
