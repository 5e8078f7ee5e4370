"""The catalogue in DIST: the OPDS 1.2 feeds, the OPDS 2.0 feed, manifest.json and
index.html, made from the books' entries and written only where their bytes changed.

Files (paths relative to DIST):
- `catalog.xml`: OPDS 1.2 acquisition feed of every book, newest first, with links to
  the navigation feeds `catalog/years.xml` and `catalog/series.xml` and facets;
- `catalog/year-YYYY.xml`, `catalog/series-KEY.xml`: acquisition feeds of one year or
  one series (newest first);
- `catalog.json`: OPDS 2.0 feed of every book;
- `index.html`: the catalogue page; `manifest.json`: every file (written last).

Links: with library.yaml's `base-url`, absolute (`base-url` + path); without it,
relative to the feed. Nothing depends on the clock: each entry's `updated` is its book's
build date (SOURCE_DATE_EPOCH, else its `date`), the feeds' the latest of their entries'
(or SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..output import publish
from ..text import slugify
from .config import LibraryConfig

#: Where a year's or a series' feed lives.
SUBFEEDS = "catalog"


@dataclass(frozen=True)
class Group:
    """A year or a series: its title, the path of its acquisition feed, its entries."""

    kind: str           # "year" or "series"
    title: str
    path: str
    entries: tuple


class Links:
    """Hrefs and ids for the feeds, absolute with `base-url` or relative to a feed."""

    def __init__(self, config: LibraryConfig):
        self.config = config

    def href(self, path: str, here: str) -> str:
        """The link to `path` (relative to DIST) from the file `here`."""
        if self.config.base_url:
            return self.config.base_url + path
        return posixpath.relpath(path, posixpath.dirname(here) or ".")

    def feed_id(self, path: str) -> str:
        if self.config.base_url:
            return self.config.base_url + path
        name = f"warraq-library:{self.config.title}:{path}"
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def newest_first(entries: list[dict]) -> list[dict]:
    """Dated entries newest first (then by slug), undated ones last."""
    dated = sorted((e for e in entries if e.get("date")), key=lambda e: e["slug"])
    dated.sort(key=lambda e: e["date"], reverse=True)
    return dated + sorted((e for e in entries if not e.get("date")), key=lambda e: e["slug"])


def _series_key(name: str, taken: set[str]) -> str:
    key = slugify(name) or "s-" + hashlib.sha256(name.encode()).hexdigest()[:10]
    if key in taken:
        key = f"{key}-{hashlib.sha256(name.encode()).hexdigest()[:10]}"
    taken.add(key)
    return key


def groups(entries: list[dict]) -> tuple[list[Group], list[Group]]:
    """The years and the series of the entries, each newest first (a series by its latest
    book; within one, its books newest first)."""
    ordered = newest_first(entries)
    years = sorted({e["date"][:4] for e in ordered if e.get("date")}, reverse=True)
    by_year = [Group("year", y, f"{SUBFEEDS}/year-{y}.xml",
                     tuple(e for e in ordered if (e.get("date") or "")[:4] == y)) for y in years]
    taken: set[str] = set()
    by_series = []
    for name in sorted({e["series"] for e in ordered if e.get("series")}):
        key = _series_key(name, taken)      # keys by name, so they do not move
        by_series.append(Group("series", name, f"{SUBFEEDS}/series-{key}.xml",
                               tuple(e for e in ordered if e.get("series") == name)))
    by_series.sort(key=lambda g: g.entries[0].get("date") or "", reverse=True)
    return by_year, by_series


def updated(entries, epoch: str | None) -> str:
    """The feeds' `updated`: SOURCE_DATE_EPOCH, else the latest entry's, else 1970."""
    if epoch and epoch.strip().isdigit():
        stamp = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return max((e["updated"] for e in entries), default="1970-01-01T00:00:00Z")


def _changed(dist: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    changed = {}
    for name, data in files.items():
        try:
            if (dist / name).read_bytes() == data:
                continue
        except OSError:
            pass
        changed[name] = data
    return changed


def render_catalogue(config: LibraryConfig, entries: list[dict], epoch: str | None
                     ) -> dict[str, bytes]:
    """Every catalogue file's bytes, manifest.json last."""
    from . import manifest, opds1, opds2, page
    links = Links(config)
    by_year, by_series = groups(entries)
    files = opds1.feeds(config, links, newest_first(entries), by_year, by_series, epoch)
    files["catalog.json"] = opds2.feed(config, links, newest_first(entries), epoch)
    files["index.html"] = page.render_page(config, newest_first(entries), by_year, by_series)
    files["manifest.json"] = manifest.render_manifest(config, entries, files)
    return files


def write_catalogue(dist: Path, config: LibraryConfig, entries: list[dict],
                    epoch: str | None) -> list[Path]:
    """Write the catalogue files whose bytes changed; return their paths."""
    changed = _changed(dist, render_catalogue(config, entries, epoch))
    if not changed:
        return []
    return publish(dist, changed)
