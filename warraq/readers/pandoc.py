"""Running Pandoc: every chapter of a book read in one process, written in another.

Pandoc (the binary `pypandoc-binary` ships) reads Pandoc's Markdown as Pandoc users
expect it, every extension included. It runs `pandoc lua` with one of the scripts in
`lua/` (package data): the texts go in on standard input (warraq itself reads the
files, under its confinement), the JSON comes back on standard output. Pandoc reads
no file (its reader runs sandboxed, with an empty list of files; the working folder,
HOME and data folder are an empty temporary folder; the environment is cleared) and
fetches nothing (the HTML writer is not asked to embed anything).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
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


def _run(script: str, payload: list) -> list:
    with tempfile.TemporaryDirectory(prefix="warraq-pandoc-") as empty:
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
    return json.loads(done.stdout)


@dataclass
class Parsed:
    """One text as Pandoc read it: its AST (JSON), each header's id as written (`""`
    where Pandoc made the id), and what the reader warned of (`{type, key, line}`)."""

    doc: dict
    explicit: list[str]
    log: list[dict]


def read_all(texts: list[str]) -> list[Parsed]:
    """Read every text as Pandoc's Markdown, in one Pandoc process."""
    if not texts:
        return []
    found = _run("read.lua", texts)
    return [Parsed(item["doc"], list(item["explicit"] or []), list(item["log"] or []))
            for item in found]


def document(blocks: list) -> dict:
    """A Pandoc document (JSON AST) of these blocks, with no metadata."""
    return {"pandoc-api-version": API_VERSION, "meta": {}, "blocks": blocks}


def write_all(docs: list[dict]) -> list[str]:
    """Write every document as an HTML5 fragment (math as MathML), in one Pandoc process."""
    if not docs:
        return []
    return _run("write.lua", [json.dumps(d, ensure_ascii=False) for d in docs])
