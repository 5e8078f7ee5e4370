"""A content-addressed cache of what builds compute: `.warraq-cache/` beside the output
folder (for `--out dist`, `./.warraq-cache/`; books built into sibling folders share it).

An entry is one file, named by the SHA-256 of its key; the key is a fingerprint
(`fingerprint`) of everything the value is computed from: what the caller names (the
`Book` as the writers receive it, a profile, the templates it renders, the font files)
and always `environment()`: warraq's version and a digest of its own code, the versions
of the libraries that lay out, subset and write, and Python's. So a changed chapter,
template, font file, book.yaml or warraq never finds an old entry.

An entry carries its key, warraq's version and the SHA-256 and size of each part of its
payload; one that is truncated, altered, made by another version or filed under another
key is ignored, removed and computed again: never trusted. (The sums catch damage, not
an adversary who can write the folder: such a one can change the outputs anyway.)
Entries are written once the build's outputs are published (a failed build leaves no
cache), each atomically (a temporary file, then a rename), so builds sharing the folder
never read half an entry; a cache that cannot be read or written is no cache, never an
error.
The folder holds a `.gitignore` of `*`, so git ignores it wherever it is, and keeps at most
`MAX_BYTES` (1 GiB): past that, each build removes the entries used longest ago.

`--no-cache` builds without one. The outputs never depend on whether an entry was found:
from the cache they are the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Callable, Iterable, TypeVar

from . import __version__

FOLDER = ".warraq-cache"
#: The most the folder keeps (bytes): past it, the entries used longest ago go.
MAX_BYTES = 1 << 30
MAGIC = b"warraq-cache 1\n"
#: The libraries whose output a cached value holds.
LIBRARIES = ("weasyprint", "pydyf", "fonttools", "uharfbuzz", "pikepdf", "pypdf",
             "pypdfium2", "pillow", "ebooklib", "lxml", "jinja2", "markdown-it-py",
             "pypandoc-binary", "pygments")
T = TypeVar("T")


def _feed(h, value: Any) -> None:
    """Feed `value`'s canonical form to the hash: the same value, the same bytes, in
    every process (sets sorted, no `hash()`); a type it does not know is an error."""
    if value is None or isinstance(value, bool):
        h.update(b"N" if value is None else (b"T" if value else b"F"))
    elif isinstance(value, enum.Enum):
        _feed(h, (type(value).__qualname__, value.name))
    elif isinstance(value, int):
        h.update(b"i%d;" % value)
    elif isinstance(value, float):
        h.update(b"f" + repr(value).encode() + b";")
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        h.update(b"s%d:" % len(data) + data)
    elif isinstance(value, (bytes, bytearray, memoryview)):
        h.update(b"b%d:" % len(value) + bytes(value))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(b"D" + type(value).__qualname__.encode())
        _feed(h, [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)])
    elif isinstance(value, Mapping):
        _feed(h, ("M", list(value.items())))
    elif isinstance(value, (set, frozenset)):
        h.update(b"S" + "".join(sorted(fingerprint(v) for v in value)).encode())
    elif isinstance(value, (list, tuple)):
        h.update(b"L%d:" % len(value))
        for item in value:
            _feed(h, item)
    elif isinstance(value, (dt.date, dt.time)):       # datetime is a date
        h.update(b"t" + value.isoformat().encode())
    elif isinstance(value, PurePath):
        _feed(h, ("P", str(value)))
    else:
        raise TypeError(f"no fingerprint for {type(value).__name__}")


def fingerprint(value: Any) -> str:
    """The SHA-256 (hex) of `value`'s canonical form."""
    h = hashlib.sha256()
    _feed(h, value)
    return h.hexdigest()


def files_digest(paths: Iterable[Path], root: Path | None = None) -> str:
    """The SHA-256 of the files' names (relative to `root`) and contents, in name order;
    a missing file counts as such."""
    h = hashlib.sha256()
    for path in sorted(paths):
        name = str(path.relative_to(root)) if root else str(path)
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        _feed(h, (name, data))
    return h.hexdigest()


def file_stamps(paths: Iterable[Path]) -> str:
    """The fingerprint of each file's path, size and modification time (for large files
    that change only when they are installed again, such as fonts); a missing file
    counts as such."""
    stamps = []
    for path in paths:
        try:
            info = path.stat()
            stamps.append((str(path), info.st_size, info.st_mtime_ns))
        except OSError:
            stamps.append((str(path), None, None))
    return fingerprint(stamps)


def tree_digest(folder: Path, skip: tuple[str, ...] = ()) -> str:
    """`files_digest` of every file under `folder` but caches and the names in `skip`."""
    paths = []
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if path.is_file() and "__pycache__" not in parts and not set(skip) & set(parts) \
                and not path.name.endswith((".pyc", ".pyo")):
            paths.append(path)
    return files_digest(paths, folder)


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def environment() -> dict[str, str]:
    """What every key includes: warraq (version and code), its libraries, Python."""
    package = Path(__file__).resolve().parent
    return {"warraq": __version__, "code": tree_digest(package, skip=("_templates",)),
            "python": sys.version, **{name: _version(name) for name in LIBRARIES}}


@dataclass
class Entry:
    """A cached value: JSON-able `meta` and named binary `blobs`."""

    meta: Any = None
    blobs: dict[str, bytes] = field(default_factory=dict)


class Cache:
    """The entries in `folder` (None: a cache that keeps nothing)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._environment: str | None = None
        #: What this build found and missed, by kind (for tests and the benchmark).
        self.hits: list[str] = []
        self.misses: list[str] = []
        self._unwritten: dict[str, Entry] = {}

    @classmethod
    def for_output(cls, out_dir: Path) -> "Cache":
        """The cache beside the output folder (`dist/` -> `.warraq-cache/` next to it)."""
        return cls(Path(out_dir).resolve().parent / FOLDER)

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def key(self, kind: str, *parts: Any) -> str:
        """The key of a `kind` of value computed from `parts` (and the environment)."""
        if self._environment is None:
            self._environment = fingerprint(environment())
        return fingerprint((kind, self._environment, parts))

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / key

    def holds(self, key: str) -> bool:
        """Whether an entry is filed under `key` (not read: `get` still judges it), kept
        as used now as `get` keeps it."""
        if self.folder is None:
            return False
        if key in self._unwritten:
            return True
        try:
            os.utime(self._path(key))
        except OSError:
            return False
        return True

    def get(self, key: str) -> Entry | None:
        """The entry filed under `key`, if there is a sound one."""
        if self.folder is None:
            return None
        if key in self._unwritten:
            return self._unwritten[key]
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        entry = _decode(data, key)
        try:
            if entry is None:       # damaged, foreign or misfiled: never trusted
                path.unlink()
            else:
                os.utime(path)      # used now: the last to go when the folder is pruned
        except OSError:
            pass
        return entry

    def put(self, key: str, entry: Entry) -> None:
        """File `entry` under `key` when the build succeeds (`flush`)."""
        if self.folder is not None:
            self._unwritten[key] = entry

    def flush(self) -> None:
        """Write what this build filed: called once its outputs are published, so a
        failed build leaves nothing behind, not even a cache."""
        if not self._unwritten:
            return
        while self._unwritten:
            key, entry = self._unwritten.popitem()
            self._write(key, entry)
        self.prune()

    def prune(self, limit: int | None = None) -> None:
        """Remove the entries used longest ago while the folder holds more than `limit`
        bytes (default `MAX_BYTES`), and temporary files an interrupted write left."""
        if self.folder is None:
            return
        limit = MAX_BYTES if limit is None else limit
        found = []
        for path in self.folder.glob("*/*"):
            try:
                info = path.stat()
            except OSError:
                continue
            if path.name.startswith(".tmp-") and info.st_mtime < time.time() - 3600:
                path.unlink(missing_ok=True)
            elif not path.name.startswith("."):
                found.append((info.st_mtime, info.st_size, path))
        total = sum(size for _, size, _ in found)
        for _, size, path in sorted(found, key=lambda f: f[0]):
            if total <= limit:
                break
            try:
                path.unlink()
                total -= size
            except OSError:
                pass

    def _write(self, key: str, entry: Entry) -> None:
        """File `entry` under `key` (atomically; silently not, if the folder refuses)."""
        path, tmp = self._path(key), None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# warraq's build cache (safe to delete)\n*\n")
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(_encode(key, entry))
            os.replace(tmp, path)
        except OSError:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def remember(self, kind: str, parts: tuple, compute: Callable[[], T],
                 dump: Callable[[T], Entry], load: Callable[[Entry], T]) -> T:
        """The value of `kind` for `parts`: from the cache, else computed and kept."""
        return self.remember_all(kind, [parts], lambda _missing: [compute()], dump, load)[0]

    def remember_all(self, kind: str, parts: list[tuple | None],
                     compute: Callable[[list[int]], list[T]], dump: Callable[[T], Entry],
                     load: Callable[[Entry], T]) -> list[T]:
        """The values of `kind` for each of `parts` (None: a value not to keep): each
        from the cache if it is there, the others computed at once (`compute(indices)`
        gives their values in that order) and kept."""
        if self.folder is None:
            return compute(list(range(len(parts))))
        keys = [None if p is None else self.key(kind, *p) for p in parts]
        out: list = [None] * len(parts)
        for n, key in enumerate(keys):
            entry = self.get(key) if key is not None else None
            if entry is not None:
                try:
                    out[n] = load(entry)
                except (KeyError, TypeError, ValueError):
                    out[n] = None
        missing = [n for n, value in enumerate(out) if value is None]
        self.hits += [kind] * (len(parts) - len(missing))
        self.misses += [kind] * len(missing)
        if missing:
            for n, value in zip(missing, compute(missing)):
                out[n] = value
                if keys[n] is not None:
                    self.put(keys[n], dump(value))
        return out


#: The cache of a build that keeps none.
NO_CACHE = Cache(None)


def _encode(key: str, entry: Entry) -> bytes:
    parts = list(entry.blobs.items())
    header = {"key": key, "warraq": __version__, "meta": entry.meta,
              "blobs": [[name, len(data), hashlib.sha256(data).hexdigest()]
                        for name, data in parts]}
    return (MAGIC + json.dumps(header, ensure_ascii=True, sort_keys=True).encode() + b"\n"
            + b"".join(data for _, data in parts))


def _decode(data: bytes, key: str) -> Entry | None:
    if not data.startswith(MAGIC):
        return None
    end = data.find(b"\n", len(MAGIC))
    try:
        header = json.loads(data[len(MAGIC):end])
        if header["key"] != key or header["warraq"] != __version__:
            return None
        blobs, at = {}, end + 1
        for name, size, digest in header["blobs"]:
            blob = data[at:at + size]
            if len(blob) != size or hashlib.sha256(blob).hexdigest() != digest:
                return None
            blobs[name], at = blob, at + size
        if end < 0 or at != len(data):
            return None
        return Entry(header["meta"], blobs)
    except (ValueError, KeyError, TypeError):
        return None
