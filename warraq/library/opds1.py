"""OPDS 1.2 (Atom) feeds: the root acquisition feed, one per year and per series, and the
two navigation feeds that list those (templates/library/opds-*.xml).

Each entry: title, authors, `dcterms:language`, `dcterms:issued` (Gregorian) and
`warraq:hijri-date`, the summary (`description`), both dates in words as content,
`dcterms:identifier`, the series (`warraq:series` and a category), the cover and
thumbnail (`http://opds-spec.org/image[/thumbnail]`) and an open-access acquisition link
to the EPUB and every PDF with its media type and `length` in bytes.
"""

from __future__ import annotations

from ..templating import render
from .catalogue import SUBFEEDS, Group, Links, updated
from .config import LibraryConfig

ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
FACET = "http://opds-spec.org/facet"
YEARS, SERIES = f"{SUBFEEDS}/years.xml", f"{SUBFEEDS}/series.xml"


def dates_line(entry: dict) -> str | None:
    """`19 Rabīʿ al-Awwal 1445 AH · 4 October 2023 CE` (what the dateline shows; in an
    Arabic book in its words, `warraq.furniture`)."""
    from .. import furniture
    lang = entry.get("lang") or "en"
    parts = [entry.get("hijri_text"),
             entry.get("date_text") and entry["date_text"] + furniture.era_suffix(lang)]
    return furniture.date_separator(lang).join(p for p in parts if p) or None


def _entry(entry: dict, links: Links, here: str) -> dict:
    out = dict(entry, dates_line=dates_line(entry))
    out["links"] = []
    for role, rel in (("cover", "http://opds-spec.org/image"),
                      ("thumbnail", "http://opds-spec.org/image/thumbnail")):
        for f in entry["files"]:
            if f["role"] == role:
                out["links"].append({"rel": rel, "href": links.href(f["href"], here),
                                     "type": f["type"], "length": None, "title": None})
    for f in entry["files"]:
        if f["role"] in ("epub", "azw3", "pdf", "cover-wrap"):
            out["links"].append({"rel": OPEN_ACCESS, "href": links.href(f["href"], here),
                                 "type": f["type"], "length": f["size"], "title": f["title"]})
    return out


def _link(rel, href, kind, title=None, group=None, active=False) -> dict:
    return {"rel": rel, "href": href, "type": kind, "title": title, "group": group,
            "active": active}


def _acquisition(config: LibraryConfig, links: Links, here: str, title: str, entries,
                 facets: list[tuple[str, Group]], epoch, up: str | None = None) -> bytes:
    feed_links = [_link("self", links.href(here, here), ACQUISITION),
                  _link("start", links.href("catalog.xml", here), ACQUISITION),
                  _link("alternate", links.href("index.html", here), "text/html"),
                  _link("related", links.href(YEARS, here), NAVIGATION, "By year"),
                  _link("related", links.href(SERIES, here), NAVIGATION, "By series")]
    if up:
        feed_links.append(_link("up", links.href(up, here), NAVIGATION))
    for group_name, group in facets:
        feed_links.append(_link(FACET, links.href(group.path, here), ACQUISITION,
                                f"{group.title} ({len(group.entries)})", group_name,
                                group.path == here))
    text = render("library/opds-feed.xml", lang=config.lang, id=links.feed_id(here),
                  title=title, subtitle=config.description if here == "catalog.xml" else None,
                  updated=updated(entries, epoch), author=config.feed_author,
                  links=feed_links, entries=[_entry(e, links, here) for e in entries])
    return text.encode("utf-8")


def _navigation(config: LibraryConfig, links: Links, here: str, title: str,
                groups: list[Group], epoch) -> bytes:
    feed_links = [_link("self", links.href(here, here), NAVIGATION),
                  _link("start", links.href("catalog.xml", here), ACQUISITION),
                  _link("up", links.href("catalog.xml", here), ACQUISITION)]
    items = [{"title": g.title, "id": links.feed_id(g.path), "href": links.href(g.path, here),
              "updated": updated(g.entries, epoch),
              "count": f"{len(g.entries)} publication{'s' if len(g.entries) != 1 else ''}"}
             for g in groups]
    text = render("library/opds-navigation.xml", lang=config.lang, id=links.feed_id(here),
                  title=title, updated=updated([e for g in groups for e in g.entries], epoch),
                  author=config.feed_author, links=feed_links, groups=items)
    return text.encode("utf-8")


def feeds(config: LibraryConfig, links: Links, entries: list[dict], by_year: list[Group],
          by_series: list[Group], epoch: str | None) -> dict[str, bytes]:
    """Every OPDS 1.2 file, by its path in DIST."""
    facets = [("Year", g) for g in by_year] + [("Series", g) for g in by_series]
    files = {"catalog.xml": _acquisition(config, links, "catalog.xml", config.title, entries,
                                         facets, epoch)}
    files[YEARS] = _navigation(config, links, YEARS, f"{config.title}: by year", by_year, epoch)
    files[SERIES] = _navigation(config, links, SERIES, f"{config.title}: by series",
                                by_series, epoch)
    for group, up in [(g, YEARS) for g in by_year] + [(g, SERIES) for g in by_series]:
        files[group.path] = _acquisition(config, links, group.path,
                                         f"{config.title}: {group.title}", list(group.entries),
                                         facets, epoch, up)
    return files
