"""warraq.writers.epub, read back: the OPF says what book.yaml says, the spine and nav
follow `contents` and the headings, every XHTML parses, and EPUBCheck is clean."""

import zipfile
import pytest
import yaml

from readback import NS, Epub, epubcheck, xml
from conftest import SAMPLE, SECOND_META


def epub_of(result) -> Epub:
    return Epub(next(p for p in result.files if p.suffix == ".epub"))


def as_list(value):
    return value if isinstance(value, list) else [value]


def check_metadata_equals_yaml(epub: Epub, raw: dict) -> None:
    """Field by field: each key of book.yaml against its OPF property."""
    assert epub.dc("title")[0] == raw["title"]
    title = epub.element("title", raw["title"])
    assert epub.refine(title, "title-type") == ["main"]
    if "subtitle" in raw:
        sub = epub.element("title", raw["subtitle"])
        assert epub.refine(sub, "title-type") == ["subtitle"]
    creators = [(n, "aut", None) for n in as_list(raw.get("author", []))] + [
        (c.get("name", c.get("text")), c.get("role", "aut"), c.get("file-as"))
        for c in raw.get("creator", [])]
    assert epub.dc("creator") == [c[0] for c in creators]
    for name, role, file_as in creators:
        el = epub.element("creator", name)
        assert epub.refine(el, "role") == [role]
        assert epub.refine(el, "file-as") == ([file_as] if file_as else [])
        scheme = [m.get("scheme") for m in epub.opf.findall("opf:metadata/opf:meta", NS)
                  if m.get("refines") == "#" + el.get("id") and m.get("property") == "role"]
        assert scheme == ["marc:relators"]
    contributors = raw.get("contributor", [])
    assert epub.dc("contributor") == [c.get("name", c.get("text")) for c in contributors]
    for c in contributors:
        el = epub.element("contributor", c.get("name", c.get("text")))
        assert epub.refine(el, "role") == [c["role"]]
    assert epub.dc("language") == [raw["lang"]]
    assert epub.dc("date") == [str(raw["date"])]
    ident = str(raw["identifier"])
    assert epub.dc("identifier") == [ident]
    package = epub.opf
    uid = package.get("unique-identifier")
    assert package.find(f"opf:metadata/dc:identifier[@id='{uid}']", NS).text == ident
    for key in ("publisher", "rights", "description"):
        assert epub.dc(key) == [raw[key]]
    assert epub.dc("subject") == as_list(raw["subject"])
    coll = epub.meta("belongs-to-collection")
    assert coll == [raw["belongs-to-collection"]]
    coll_el = next(m for m in package.findall("opf:metadata/opf:meta", NS)
                   if m.get("property") == "belongs-to-collection")
    assert epub.refine(coll_el, "collection-type") == ["series"]
    assert epub.refine(coll_el, "group-position") == [str(raw["group-position"])]
    assert package.get("{http://www.w3.org/XML/1998/namespace}lang") == raw["lang"]


@pytest.mark.parametrize("which", ["sample_build", "second_build"])
def test_opf_metadata_equals_book_yaml(which, request):
    result = request.getfixturevalue(which)
    raw = (yaml.safe_load((SAMPLE / "book.yaml").read_text()) if which == "sample_build"
           else SECOND_META)
    check_metadata_equals_yaml(epub_of(result), raw)


@pytest.mark.parametrize("which", ["sample_build", "second_build"])
def test_spine_follows_contents_and_nav_follows_headings(which, request):
    result = request.getfixturevalue(which)
    epub, book = epub_of(result), result.book
    chapter_hrefs = [h for h in epub.spine_hrefs() if h.startswith("text/")
                     and h != "text/titlepage.xhtml"]
    assert chapter_hrefs == [f"text/{c.id}.xhtml" for c in book.chapters]
    # The chapter files are the Markdown files of contents, in that order.
    assert [c.source for c in book.chapters] == list(book.meta.contents)
    # The nav lists every heading (to level 3), in source order, nested by level.
    toc = epub.nav_toc()
    expected = []
    for c in book.chapters:
        for i, h in enumerate(c.headings):
            expected.append((h.level, c.title if i == 0 else h.text))
    assert [(d, t) for d, t, _ in toc] == expected
    for _, _, href in toc:
        file, _, frag = href.partition("#")
        doc = epub.read(file)
        if frag:
            assert f'id="{frag}"'.encode() in doc


def test_every_xhtml_parses_and_declares_language(sample_build):
    epub = epub_of(sample_build)
    docs = epub.xhtml_documents()
    assert len(docs) == len(sample_build.book.chapters) + 2     # + title page + nav
    for href, root in docs.items():
        assert root.get("lang") and root.get("{http://www.w3.org/XML/1998/namespace}lang")


def test_container_layout(sample_build):
    path = next(p for p in sample_build.files if p.suffix == ".epub")
    with zipfile.ZipFile(path) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"
    raw = path.read_bytes()
    assert raw[30:38] == b"mimetype"


def test_footnotes_link_both_ways(sample_build):
    epub = epub_of(sample_build)
    for chapter in sample_build.book.chapters:
        root = xml(epub.read(f"text/{chapter.id}.xhtml"))
        ids = {e.get("id") for e in root.iter() if e.get("id")}
        refs = [a for a in root.iter(f"{{{NS['x']}}}a")
                if a.get(f"{{{NS['epub']}}}type") == "noteref"]
        assert len(refs) == len(chapter.footnotes)
        for a in refs:
            target = a.get("href")[1:]
            assert target in ids
            aside = next(e for e in root.iter(f"{{{NS['x']}}}aside") if e.get("id") == target)
            assert aside.get(f"{{{NS['epub']}}}type") == "footnote"
            back = aside.find(".//x:a", NS)
            assert back.get("href") == "#" + a.get("id")


def test_lettered_sub_points_survive(sample_build):
    epub = epub_of(sample_build)
    text = epub.read("text/patience.xhtml").decode()
    assert '<ol type="a">' in text
    assert '<ol type="i">' in epub.read("text/gratitude.xhtml").decode()


def test_arabic_survives_into_the_epub(sample_build):
    epub = epub_of(sample_build)
    text = epub.read("text/patience.xhtml").decode()
    assert "الصبر مفتاح الفرج" in text
    assert "فَإِنَّ مَعَ الْعُسْرِ يُسْرًا" in text


@pytest.mark.parametrize("which", ["sample_build", "second_build"])
def test_epubcheck_is_clean(which, request):
    result = request.getfixturevalue(which)
    messages = epubcheck(next(p for p in result.files if p.suffix == ".epub"))
    assert [m for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")] == []


def test_golden_opf_and_nav(sample_build, golden):
    epub = epub_of(sample_build)
    golden("nav", epub.nav_toc())
    golden("spine", epub.spine_hrefs())
    golden("dc", {k: epub.dc(k) for k in ("title", "creator", "contributor", "language",
                                          "date", "identifier", "subject")})
