"""`warraq new article|book DIR`: a starter source that builds as it is.

The starters are package data (`article/`, `book/` beside this file): a book.yaml and
Markdown that show every feature authors write (the invocation, numbered points with
lettered sub-points, a verse with its translation and reference, a footnote, a quotation
with its source and date, the dateline). `create` copies one into a new folder and
stamps its book.yaml with today's date and a fresh `urn:uuid:` identifier, so that no
two books made from a starter share an identifier.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

KINDS = ("article", "book")


class StarterError(Exception):
    """The starter cannot be made there (the folder is in the way)."""


@dataclass(frozen=True)
class Made:
    folder: Path
    files: tuple[str, ...]


def starter_files(kind: str) -> dict[str, bytes]:
    """The files of a starter, by name (book.yaml first)."""
    if kind not in KINDS:
        raise ValueError(f"starters are {', '.join(KINDS)}")
    root = files(__package__) / kind
    found = {entry.name: entry.read_bytes() for entry in root.iterdir()
             if entry.is_file() and not entry.name.startswith((".", "_"))}
    return {"book.yaml": found.pop("book.yaml"), **dict(sorted(found.items()))}


def stamp(book_yaml: str, today: dt.date, identifier: str) -> str:
    """book.yaml with `date` set to `today` and an `identifier` after it."""
    text, count = re.subn(r"(?m)^date: .*$", f"date: {today.isoformat()}\n"
                          f"identifier: {identifier}", book_yaml, count=1)
    if count != 1:  # pragma: no cover  (the starters have a date line)
        raise ValueError("the starter's book.yaml has no `date:` line")
    return text


def create(kind: str, folder: str | Path, today: dt.date | None = None) -> Made:
    """Write the `kind` starter into `folder` (new, or an empty folder)."""
    target = Path(folder)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        what = "a file" if not target.is_dir() else "a folder that is not empty"
        raise StarterError(f"{target.absolute()}: {what} is already there: choose a new "
                           "folder name for the starter")
    sources = starter_files(kind)
    today = today or dt.date.today()
    sources["book.yaml"] = stamp(sources["book.yaml"].decode("utf-8"), today,
                                 f"urn:uuid:{uuid.uuid4()}").encode("utf-8")
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, data in sources.items():
            (target / name).write_bytes(data)
    except OSError as exc:
        raise StarterError(f"{target.absolute()}: cannot write here "
                           f"({exc.strerror or exc}): choose another folder") from None
    return Made(target, tuple(sources))
