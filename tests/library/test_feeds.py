"""The catalogue: the OPDS feeds validate against the specifications' schemas, every
acquisition link leads to a file whose size and SHA-256 match manifest.json, and each
entry says what its book says."""

from __future__ import annotations

import pytest

import hashlib
import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml import etree

from warraq.library.catalogue_files import render_catalogue
from warraq.library.config import LibraryConfig
from warraq.library.state import load_state

from .libgen import ARTICLES
from .validate import opds1_errors, opds2_errors

ATOM = "{http://www.w3.org/2005/Atom}"
NS = {"a": "http://www.w3.org/2005/Atom", "dcterms": "http://purl.org/dc/terms/",
      "warraq": "https://warraq.invalid/ns/1.0/", "opds": "http://opds-spec.org/2010/catalog"}

pytestmark = pytest.mark.slow   # the session's library build


def _feeds(dist: Path) -> list[Path]:
    return [dist / "catalog.xml"] + sorted((dist / "catalog").glob("*.xml"))


def test_every_opds1_feed_validates(built):
    dist = built[1]
    feeds = _feeds(dist)
    names = {p.name for p in feeds}
    assert {"years.xml", "series.xml", "year-2022.xml", "year-2025.xml",
            "series-answers.xml"} <= names
    for path in feeds:
        assert opds1_errors(path.read_bytes()) == [], path.name


def test_the_schemas_do_refuse_a_bad_feed(built):
    data = (built[1] / "catalog.xml").read_bytes()
    assert opds1_errors(data.replace(b"<updated>", b"<updated>soon ", 1))
    assert opds1_errors(data.replace(b"<id>", b"<ident>", 1).replace(b"</id>", b"</ident>", 1))
    doc = json.loads((built[1] / "catalog.json").read_text())
    doc["publications"][0]["links"][0]["size"] = "big"
    del doc["metadata"]["title"]
    assert len(opds2_errors(doc)) == 2


def test_catalog_json_validates(built):
    doc = json.loads((built[1] / "catalog.json").read_text())
    assert opds2_errors(doc) == []
    assert len(doc["publications"]) == len(ARTICLES)


def _acquisitions(dist: Path) -> list[tuple[str, str, int | None, str]]:
    """(feed, href resolved against DIST, length, type) of every acquisition link."""
    links = []
    for path in _feeds(dist):
        base = path.relative_to(dist).as_posix()
        for link in etree.parse(str(path)).iter(f"{ATOM}link"):
            if link.get("rel", "").startswith("http://opds-spec.org/acquisition"):
                links.append((base, urljoin(base, link.get("href")),
                              int(link.get("length")), link.get("type")))
    doc = json.loads((dist / "catalog.json").read_text())
    for pub in doc["publications"]:
        for link in pub["links"]:
            links.append(("catalog.json", urljoin("catalog.json", link["href"]),
                          link["size"], link["type"]))
    return links


def test_every_acquisition_link_matches_the_manifest(built):
    dist = built[1]
    manifest = {f["path"]: f for f in json.loads((dist / "manifest.json").read_text())["files"]}
    links = _acquisitions(dist)
    assert len({href for _, href, _, _ in links}) == 2 * len(ARTICLES)   # EPUB + PDF each
    for feed, href, length, media_type in links:
        data = (dist / href).read_bytes()
        record = manifest[href]
        assert length == record["size"] == len(data), (feed, href)
        assert record["sha256"] == hashlib.sha256(data).hexdigest()
        assert media_type == record["type"] == {"epub": "application/epub+zip",
                                                 "pdf": "application/pdf"}[href[-4:].strip(".")]
        if href.endswith(".pdf"):
            assert record["pages"] >= 1
    for path, record in manifest.items():     # and the manifest itself is right
        data = (dist / path).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (record["size"],
                                                                 record["sha256"]), path


def test_entries_say_what_their_books_say(built):
    dist = built[1]
    root = etree.parse(str(dist / "catalog.xml")).getroot()
    entries = root.findall(f"{ATOM}entry")
    issued = [e.findtext("dcterms:issued", namespaces=NS) for e in entries]
    assert issued == sorted((a[2] for a in ARTICLES), reverse=True)     # newest first
    niyya = next(e for e in entries if e.findtext(f"{ATOM}title") == "النية في العمل")
    assert niyya.find(f"{ATOM}title").get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    assert niyya.findtext("dcterms:language", namespaces=NS) == "ar"
    assert niyya.findtext("warraq:hijri-date", namespaces=NS) == "1444-12-03"
    # an Arabic book's dates are in Arabic, Hijri first (issue 11)
    assert niyya.findtext(f"{ATOM}content") == "٣ ذو الحجة ١٤٤٤ هـ الموافق ٢١ يونيو ٢٠٢٣ م"
    assert niyya.findtext(f"{ATOM}author/{ATOM}name") == "Test Author"
    assert niyya.findtext(f"{ATOM}summary") == "A short answer: النية في العمل."
    assert niyya.find("warraq:series", NS).get("position") == "2"
    rels = {link.get("rel"): link.get("href") for link in niyya.findall(f"{ATOM}link")}
    assert rels["http://opds-spec.org/image"] == "2023-06-21-niyya/cover.png"
    assert rels["http://opds-spec.org/image/thumbnail"] == "2023-06-21-niyya/cover-thumb.png"
    assert (niyya.findtext(f"{ATOM}id") == niyya.findtext("dcterms:identifier", namespaces=NS)
            != "")


def test_year_and_series_feeds_hold_their_books(built):
    dist = built[1]
    for year in ("2022", "2023", "2024", "2025"):
        feed = etree.parse(str(dist / "catalog" / f"year-{year}.xml"))
        issued = feed.xpath("//a:entry/dcterms:issued/text()", namespaces=NS)
        assert issued == sorted((a[2] for a in ARTICLES if a[2][:4] == year), reverse=True)
        assert feed.xpath("//a:link[@rel='up']/@href", namespaces=NS) == ["years.xml"]
    nav = etree.parse(str(dist / "catalog" / "series.xml"))
    titles = nav.xpath("//a:entry/a:title/text()", namespaces=NS)
    assert titles == ["أجوبة", "Answers"]      # by their latest book: 2025-05-27, 2025-02-11
    arabic = nav.xpath("//a:entry[a:title='أجوبة']/a:link/@href", namespaces=NS)[0]
    feed = etree.parse(str(dist / "catalog" / arabic))
    positions = feed.xpath("//warraq:series/@position", namespaces=NS)
    assert positions == ["4", "3", "2", "1"]
    years = etree.parse(str(dist / "catalog" / "years.xml"))
    assert years.xpath("//a:entry/a:title/text()", namespaces=NS) == ["2025", "2024", "2023",
                                                                     "2022"]


def test_with_a_base_url_every_link_is_absolute_and_still_valid(built):
    dist = built[1]
    records, note = load_state(dist)
    assert note is None
    entries = [records[slug]["entry"] for slug in sorted(records)]
    config = LibraryConfig(title="Answers", lang="en", publisher="Test Press",
                           base_url="https://example.org/answers/")
    files = render_catalogue(config, entries, None)
    for name, data in files.items():
        if name.endswith(".xml"):
            assert opds1_errors(data) == [], name
            hrefs = etree.fromstring(data).xpath("//a:link/@href", namespaces=NS)
            assert hrefs and all(h.startswith("https://example.org/answers/") for h in hrefs)
            ids = etree.fromstring(data).xpath("/a:feed/a:id/text()", namespaces=NS)
            assert ids == [f"https://example.org/answers/{name}"]
    doc = json.loads(files["catalog.json"])
    assert opds2_errors(doc) == []
    for pub in doc["publications"]:
        for link in pub["links"] + pub["images"]:
            path = urlsplit(link["href"]).path.removeprefix("/answers/")
            assert (dist / path).is_file()


def test_the_catalogue_has_reproducible_bytes(built):
    dist = built[1]
    records, _ = load_state(dist)
    entries = [records[slug]["entry"] for slug in sorted(records)]
    config = LibraryConfig(title="Answers to Questions", publisher="Test Press",
                           description="Short answers, one every few weeks.")
    files = render_catalogue(config, entries, None)
    assert files == render_catalogue(config, list(reversed(entries)), None)
    for name, data in files.items():
        assert (dist / name).read_bytes() == data, name
