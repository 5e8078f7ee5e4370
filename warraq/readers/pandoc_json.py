"""The JSON of Pandoc's ASTs, to and from Pandoc and the build cache: orjson (17 MB
written for a 90,000-word book, a fifth of the standard library's time), and the
standard library's `json` for a document nested deeper than orjson goes (255 levels;
the reader's own limit on nesting, W311, is reported after the AST is read)."""

from __future__ import annotations

import json

import orjson


def dumps(value) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError:           # (nested past orjson's limit, or a type it does not know)
        return json.dumps(value, ensure_ascii=False).encode()


def loads(data: bytes | str):
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)     # (nested past orjson's limit; else the same error)
