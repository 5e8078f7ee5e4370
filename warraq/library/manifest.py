"""`manifest.json`: every file of the library's DIST (but itself and the state), with its
size, SHA-256, media type, the page count of a PDF and the book's identifier and slug.

Book files come from the entries (measured when they were built and checked against the
disk before listing); catalogue files from the bytes about to be written. Sorted by path.
"""

from __future__ import annotations

import hashlib
import json

from .config import LibraryConfig
from .entries import MEDIA_TYPES

FORMAT = "warraq-library-manifest/1"


def _type(path: str) -> str:
    if path.endswith(".xml"):
        return "application/atom+xml;profile=opds-catalog"
    if path == "catalog.json":
        return "application/opds+json"
    if path.endswith(".html"):
        return "text/html"
    return MEDIA_TYPES.get("." + path.rsplit(".", 1)[-1], "application/octet-stream")


def render_manifest(config: LibraryConfig, entries: list[dict],
                    catalogue: dict[str, bytes]) -> bytes:
    files = []
    for entry in entries:
        for f in entry["files"]:
            record = {"path": f["href"], "size": f["size"], "sha256": f["sha256"],
                      "type": f["type"], "book": entry["slug"],
                      "identifier": entry["identifier"]}
            if "pages" in f:
                record["pages"] = f["pages"]
            files.append(record)
    for path, data in catalogue.items():
        if path != "manifest.json":
            files.append({"path": path, "size": len(data),
                          "sha256": hashlib.sha256(data).hexdigest(), "type": _type(path)})
    files.sort(key=lambda f: f["path"])
    doc = {"format": FORMAT, "title": config.title, "files": files}
    if config.base_url:
        doc["base-url"] = config.base_url
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
