"""Running Pandoc: every chapter of a book read in one process, written in another.

Pandoc (the binary `pypandoc-binary` ships) reads Pandoc's Markdown as Pandoc users
expect it, every extension included, and Word files (`.docx`). It runs `pandoc lua`
with one of the scripts in `lua/` (package data): the texts go in on standard input
(warraq itself reads the files, under its confinement; a Word file's bytes are put in
Pandoc's own empty folder), the JSON comes back on standard output, with the images a
Word file holds as numbered files of that folder. Pandoc's readers read no other file
(they run sandboxed, with an empty list of files; the working folder, HOME and data
folder are an empty temporary folder; the environment is cleared) and fetch nothing
(the HTML writer is not asked to embed anything).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

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
    """The Pandoc binary of `pypandoc-binary`."""
    import pypandoc
    return pypandoc.get_pandoc_path()


def _run(script: str, payload: list, files: dict[str, bytes] | None = None
         ) -> tuple[list, dict[str, bytes]]:
    """The script's JSON answer, and the `media-*` files it left in its folder (by
    name); `files` are put in the folder first."""
    with tempfile.TemporaryDirectory(prefix="warraq-pandoc-") as empty:
        for name, data in (files or {}).items():
            (Path(empty) / name).write_bytes(data)
        env = {"HOME": empty, "XDG_DATA_HOME": empty, "XDG_CONFIG_HOME": empty,
               "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        try:
            done = subprocess.run(
                [pandoc_path(), "lua", str(_LUA / script)], cwd=empty, env=env,
                input=json.dumps(payload, ensure_ascii=False).encode(), capture_output=True,
                timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PandocError(f"Pandoc could not run: {exc}") from exc
        if done.returncode != 0:
            raise PandocError("Pandoc failed: " + done.stderr.decode(errors="replace")[-2000:])
        made = {p.name: p.read_bytes() for p in Path(empty).glob("media-*")}
    return json.loads(done.stdout), made


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


def read_all(texts: list[str | bytes]) -> list[Parsed]:
    """Read every text as Pandoc's Markdown (a `bytes` one as a Word file), in one Pandoc
    process."""
    if not texts:
        return []
    files = {f"in-{n}.docx": t for n, t in enumerate(texts) if isinstance(t, bytes)}
    payload = [{"docx": f"in-{n}.docx"} if isinstance(t, bytes) else {"markdown": t}
               for n, t in enumerate(texts)]
    found, made = _run("read.lua", payload, files)
    out = []
    for item in found:
        media = {m["path"]: made[m["file"]] for m in item.get("media") or []
                 if m.get("file") in made}
        out.append(Parsed(item.get("doc") or document([]), list(item.get("explicit") or []),
                          list(item.get("log") or []), media, item.get("error") or ""))
    return out


def document(blocks: list) -> dict:
    """A Pandoc document (JSON AST) of these blocks, with no metadata."""
    return {"pandoc-api-version": API_VERSION, "meta": {}, "blocks": blocks}


def write_all(docs: list[dict]) -> list[str]:
    """Write every document as an HTML5 fragment (math as MathML), in one Pandoc process."""
    if not docs:
        return []
    return _run("write.lua", [json.dumps(d, ensure_ascii=False) for d in docs])[0]
