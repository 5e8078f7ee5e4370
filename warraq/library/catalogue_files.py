"""The catalogue files of a library, written together: the OPDS 1.2 feeds, the OPDS 2.0
feed, the catalogue page and manifest.json (last, since it lists the others), each file
rewritten only when its bytes change. The parts live in `opds1`, `opds2`, `page` and
`manifest`; what they share (links, groups, dates) in `catalogue`.
"""

from __future__ import annotations

from pathlib import Path

from ..output import publish
from . import manifest, opds1, opds2, page
from .catalogue import Links, groups, newest_first
from .config import LibraryConfig


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
