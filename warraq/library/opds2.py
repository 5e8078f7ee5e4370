"""The OPDS 2.0 feed, `catalog.json`: every book as a publication, newest first.

Each publication's metadata: `@type` schema.org Book, title, subtitle, authors,
language, `published` (Gregorian), the Hijri date under warraq's namespace key, the
description, the identifier, publisher and series (`belongsTo.series` with its
position); its links: an open-access acquisition link to the EPUB and every PDF with
`type` and `size` (bytes); its images: the cover and the thumbnail with their sizes.
"""

from __future__ import annotations

import json

from .catalogue import Links, updated
from .config import LibraryConfig
from .opds1 import OPEN_ACCESS

HERE = "catalog.json"
HIJRI_KEY = "https://warraq.invalid/ns/1.0/hijri-date"


def _metadata(entry: dict) -> dict:
    meta: dict = {"@type": "http://schema.org/Book", "title": entry["title"],
                  "identifier": entry["identifier"], "language": entry["lang"],
                  "modified": entry["updated"]}
    if entry.get("subtitle"):
        meta["subtitle"] = entry["subtitle"]
    if entry["authors"]:
        meta["author"] = [{"name": name} for name in entry["authors"]]
    if entry.get("publisher"):
        meta["publisher"] = entry["publisher"]
    if entry.get("date"):
        meta["published"] = entry["date"]
    if entry.get("hijri_date"):
        meta[HIJRI_KEY] = entry["hijri_date"]
    if entry.get("description"):
        meta["description"] = entry["description"]
    if entry.get("series"):
        series = {"name": entry["series"]}
        if entry.get("position"):
            series["position"] = entry["position"]
        meta["belongsTo"] = {"series": [series]}
    return meta


def publication(entry: dict, links: Links) -> dict:
    acquisitions = [{"rel": OPEN_ACCESS, "href": links.href(f["href"], HERE),
                     "type": f["type"], "title": f["title"], "size": f["size"]}
                    for f in entry["files"] if f["role"] in ("epub", "azw3", "pdf", "cover-wrap")]
    images = [{"href": links.href(f["href"], HERE), "type": f["type"],
               "width": f["width"], "height": f["height"]}
              for role in ("cover", "thumbnail") for f in entry["files"] if f["role"] == role]
    pub = {"metadata": _metadata(entry), "links": acquisitions}
    if images:
        pub["images"] = images
    return pub


def feed(config: LibraryConfig, links: Links, entries: list[dict], epoch: str | None
         ) -> bytes:
    """catalog.json's bytes (UTF-8, keys in a fixed order)."""
    metadata = {"title": config.title, "numberOfItems": len(entries),
                "modified": updated(entries, epoch)}
    if config.description:
        metadata["subtitle"] = config.description
    doc = {
        "metadata": metadata,
        "links": [
            {"rel": "self", "href": links.href(HERE, HERE), "type": "application/opds+json"},
            {"rel": "alternate", "href": links.href("catalog.xml", HERE),
             "type": "application/atom+xml;profile=opds-catalog;kind=acquisition"},
            {"rel": "alternate", "href": links.href("index.html", HERE), "type": "text/html"},
        ],
        "publications": [publication(e, links) for e in entries],
    }
    if not entries:
        doc.pop("publications")
        doc["navigation"] = [{"href": links.href("index.html", HERE), "title": config.title,
                              "type": "text/html"}]
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
