"""Running Pandoc: one process for a book reads every chapter, then writes every fragment.

Pandoc (the binary `pypandoc-binary` ships) reads Pandoc's Markdown as Pandoc users
expect it, every extension included, and Word files (`.docx`). It runs `pandoc lua`
with `lua/book.lua` (package data), one line of JSON a request and one back: the texts
go in on standard input (warraq itself reads the files, under its confinement; a Word
file's bytes are put in Pandoc's own empty folder), the JSON comes back on standard
output, with the images a Word file holds as numbered files of that folder. Pandoc's readers read no other file
(they run sandboxed, with an empty list of files; the working folder, HOME and data
folder are an empty temporary folder; the environment is cleared) and fetch nothing
(the HTML writer is not asked to embed anything).
"""

from __future__ import annotations

import importlib.util
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..cache import NO_CACHE, Cache, Entry
from . import pandoc_json

#: The Pandoc's Markdown reader's name (every default extension of Pandoc's Markdown).
FORMAT = "markdown"
#: The AST version `warraq.readers.pandoc_html` walks (Pandoc 3.9's).
API_VERSION = [1, 23, 1, 1]
#: How long one Pandoc run may take (a book of 20 MB chapters reads in seconds).
TIMEOUT = 300
_LUA = Path(__file__).with_name("lua")


class PandocError(RuntimeError):
    """Pandoc failed or is missing: an internal fault (exit status 1), not the author's."""


def pandoc_path() -> str:
    """The Pandoc binary `pypandoc-binary` ships (3.9, pinned), never another one on PATH:
    pypandoc's own search would take the highest version it finds, probing each with a
    process of its own."""
    spec = importlib.util.find_spec("pypandoc")
    binary = Path(spec.origin).parent / "files" / "pandoc" if spec and spec.origin else None
    if binary is None or not binary.is_file():
        raise PandocError("Pandoc is missing: install warraq's dependencies "
                          "(pypandoc-binary)")
    return str(binary)


class Session:
    """One `pandoc lua` process for a book (`lua/book.lua`): `read` every chapter, then
    `write` every fragment, each a line of JSON to it and a line back. Use it as a
    context manager; the process and its folder end with it.

    With a build cache (`warraq.cache`), what Pandoc read of a text and wrote of a
    document is kept under a key of that text or document (and, as every entry, Pandoc's
    version and warraq's code with lua/book.lua: `warraq.cache.environment`): only the
    texts and documents not found there are sent, and Pandoc starts only if there is one
    (after an edit, the edited chapter). A text read with citations (citeproc sees them
    all at once) or a Word file is always read.

    With `jobs` above 1, the texts and documents are shared among that many Pandoc
    processes at once (each reads and writes what it is given exactly as one process
    would: every text is a document of its own), except texts read with citations or
    Word files, read by one."""

    def __init__(self, cache: Cache = NO_CACHE, jobs: int = 1) -> None:
        self.cache, self.jobs = cache, max(1, jobs)
        self.proc: subprocess.Popen | None = None
        self._others: list[Session] = []

    def __enter__(self) -> "Session":
        return self

    def _start(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="warraq-pandoc-")
        self._folder_path = Path(self._folder.name)
        empty = str(self._folder_path)
        env = {"HOME": empty, "XDG_DATA_HOME": empty, "XDG_CONFIG_HOME": empty,
               "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        self._errors = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen([pandoc_path(), "lua", str(_LUA / "book.lua")],
                                         cwd=empty, env=env, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self._errors)
        except OSError as exc:
            self._close()
            raise PandocError(f"Pandoc could not run: {exc}") from exc
        self._watchdog = threading.Timer(TIMEOUT, self.proc.kill)
        self._watchdog.start()

    @property
    def folder(self) -> Path:
        if self.proc is None:
            self._start()
        return self._folder_path

    def _ask(self, request: dict):
        if self.proc is None:
            self._start()
        try:
            self.proc.stdin.write(pandoc_json.dumps(request) + b"\n")
            self.proc.stdin.flush()
            answer = self.proc.stdout.readline()
        except OSError:
            answer = b""
        if not answer.endswith(b"\n"):
            self.proc.kill()
            self.proc.wait()
            self._errors.seek(0)
            raise PandocError(f"Pandoc failed (exit {self.proc.returncode}): "
                              + self._errors.read()[-2000:].decode(errors="replace"))
        return pandoc_json.loads(answer)

    def read(self, texts: list[str | bytes], cite: Citing | None = None) -> list[Parsed]:
        """Read every text as Pandoc's Markdown (a `bytes` one as a Word file); with
        `cite`, process the citations (`self.cited` is then what citeproc found)."""
        self.cited = None
        if not texts:
            return []
        if cite is not None:
            return self._read_now(texts, cite)
        return self.cache.remember_all(
            "pandoc-read", [(t,) if isinstance(t, str) else None for t in texts],
            lambda missing: self._read_now([texts[n] for n in missing]),
            _dump_parsed, _load_parsed)

    def _read_now(self, texts: list[str | bytes], cite: Citing | None = None
                  ) -> list[Parsed]:
        if cite is None and all(isinstance(t, str) for t in texts):
            return self._shared(texts, lambda session, part: session._read_one(part))
        return self._read_one(texts, cite)

    def _read_one(self, texts: list[str | bytes], cite: Citing | None = None
                  ) -> list[Parsed]:
        for n, text in enumerate(texts):
            if isinstance(text, bytes):
                (self.folder / f"in-{n}.docx").write_bytes(text)
        request: dict = {"read": [{"docx": f"in-{n}.docx"} if isinstance(t, bytes)
                                  else {"markdown": t} for n, t in enumerate(texts)]}
        if cite is not None:
            request["cite"] = cite.request(self.folder)
        answer = self._ask(request)
        if cite is not None:
            self.cited = Cited.of(answer.get("cite") or {}, len(texts))
        out = []
        for item in answer["items"]:
            media = {m["path"]: (self.folder / m["file"]).read_bytes()
                     for m in item.get("media") or [] if _made(m.get("file"))}
            out.append(Parsed(item.get("doc") or document([]), list(item.get("explicit") or []),
                              list(item.get("log") or []), media, item.get("error") or ""))
        return out

    def write(self, docs: list[dict], names: list | None = None) -> list[str]:
        """Write every document as an HTML5 fragment (math as MathML). `names`, if
        given: for each document, what it is made from, which keys it in the cache in
        place of its JSON (None: its JSON)."""
        if not docs:
            return []
        texts: dict[int, str] = {}

        def text(n: int) -> str:
            if n not in texts:
                texts[n] = pandoc_json.dumps(docs[n]).decode()
            return texts[n]
        names = names or [None] * len(docs)
        return self.cache.remember_all(
            "pandoc-write", [(text(n),) if names[n] is None else ("made of", names[n])
                             for n in range(len(docs))] if self.cache.enabled else
            [None] * len(docs),
            lambda missing: self._write_now([text(n) for n in missing]),
            Entry, _load_html)

    def _write_now(self, texts: list[str]) -> list[str]:
        return self._shared(texts, lambda session, part: session._ask({"write": part}))

    def _shared(self, items: list, ask: Callable[["Session", list], list]) -> list:
        """`ask(session, items)` with the items shared, in order and by size, among
        `jobs` Pandoc processes (this one and others it starts) working at once."""
        count = min(self.jobs, len(items))
        if count < 2:
            return ask(self, items)
        total = sum(len(item) for item in items) or 1
        parts: list[list] = [[] for _ in range(count)]
        seen = 0
        for item in items:
            parts[min(count - 1, seen * count // total)].append(item)
            seen += len(item)
        while len(self._others) < count - 1:
            self._others.append(Session())
        sessions = [self, *self._others[:count - 1]]
        with ThreadPoolExecutor(count) as pool:
            answers = list(pool.map(lambda pair: ask(*pair) if pair[1] else [],
                                    zip(sessions, parts)))
        return [answer for group in answers for answer in group]

    def _close(self) -> None:
        self._errors.close()
        self._folder.cleanup()

    def __exit__(self, *_exc) -> None:
        for other in self._others:
            other.__exit__()
        if self.proc is None:
            return
        self._watchdog.cancel()
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self._close()


@dataclass(frozen=True)
class Citing:
    """What citeproc is given: the bibliography's text and its suffix (.bib, .json,
    .yaml: how Pandoc reads it), the CSL style's text (None: Chicago author-date) and the
    book's language. The texts are put in Pandoc's own folder (never a path of the
    source: warraq read them, under its confinement)."""

    bibliography: str
    suffix: str
    csl: str | None = None
    lang: str = "en"

    def request(self, folder: Path) -> dict:
        (folder / f"refs{self.suffix}").write_text(self.bibliography, encoding="utf-8")
        out = {"bibliography": f"refs{self.suffix}", "lang": self.lang}
        if self.csl is not None:
            (folder / "style.csl").write_text(self.csl, encoding="utf-8")
            out["csl"] = "style.csl"
        return out


@dataclass
class Cited:
    """What citeproc made: each text's keys that have no entry, the bibliography (a
    JSON AST), or why the bibliography or style could not be read (`error`)."""

    missing: list[list[str]]
    bibliography: dict | None = None
    error: str = ""

    @classmethod
    def of(cls, answer: dict, count: int) -> "Cited":
        missing = [list(m or []) for m in answer.get("missing") or []]
        return cls(missing + [[] for _ in range(count - len(missing))],
                   answer.get("bibliography"), str(answer.get("error") or ""))


@dataclass
class Parsed:
    """One text as Pandoc read it: its AST (JSON), each header's id as written (`""`
    where Pandoc made the id), what the reader warned of (`{type, key, line}`), and for
    a Word file the images it holds (path in the AST -> bytes) or why it could not be
    read (`error`)."""

    doc: dict
    explicit: list[str]
    log: list[dict]
    media: dict[str, bytes] = field(default_factory=dict)
    error: str = ""


def _dump_parsed(parsed: Parsed) -> Entry:
    """The reading as it came from Pandoc (serialised now: the reader then changes the
    AST in place)."""
    return Entry(blobs={"json": pandoc_json.dumps(
        {"doc": parsed.doc, "explicit": parsed.explicit, "log": parsed.log})})


def _load_parsed(entry: Entry) -> Parsed:
    meta = pandoc_json.loads(entry.blobs["json"])
    if not isinstance(meta, dict) or not isinstance(meta["doc"], dict):
        raise ValueError("not a Pandoc reading")
    return Parsed(meta["doc"], list(meta["explicit"]), list(meta["log"]))


def _load_html(entry: Entry) -> str:
    if not isinstance(entry.meta, str):
        raise ValueError("not a Pandoc fragment")
    return entry.meta


def _made(name) -> bool:
    """A file name `book.lua` gives the images of a Word file (`media-<item>-<n>`)."""
    return isinstance(name, str) and name.startswith("media-") and "/" not in name


def read_all(texts: list[str | bytes]) -> list[Parsed]:
    """Read every text (a `bytes` one as a Word file) in a Pandoc process of its own."""
    with Session() as session:
        return session.read(texts)


def document(blocks: list) -> dict:
    """A Pandoc document (JSON AST) of these blocks, with no metadata."""
    return {"pandoc-api-version": API_VERSION, "meta": {}, "blocks": blocks}


def write_all(docs: list[dict]) -> list[str]:
    """Write every document as an HTML5 fragment in a Pandoc process of its own."""
    with Session() as session:
        return session.write(docs)
