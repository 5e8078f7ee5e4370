"""warraq.writers.epub, read back: the OPF says what book.yaml says, the spine and nav
follow `contents` and the headings, every XHTML parses, and EPUBCheck is clean (no
usage message either); accessibility metadata follows the content, structural parts
carry epub:type and roles, the cover opens the spine, alt text is required."""

import io as _io
import zipfile

import pytest
import yaml
from PIL import Image

from conftest import SAMPLE, SECOND_META, write_source
from warraq import fonts
from warraq.transforms.glyphs import family_usage
from readback import NS, Epub, epubcheck_problems, xml
from warraq.errors import SourceError
from warraq.pipeline import build


FRONT_AND_BACK = ("text/warraq_cover.xhtml", "text/warraq_titlepage.xhtml", "text/warraq_copyright.xhtml")


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
    chapter_hrefs = [h for h in epub.spine_hrefs(linear_only=True) if h.startswith("text/")
                     and h not in FRONT_AND_BACK]
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
    # + cover, title page, copyright page, nav, and one licence page per embedded family
    families = {f.family for f in fonts.faces() if f.family in family_usage(sample_build.book)}
    assert len(docs) == len(sample_build.book.chapters) + 4 + len(families)
    assert len(families) == 3            # EB Garamond, Noto Serif (˹ ˺), Amiri
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
    assert '<ol type="a" class="list-lower-alpha">' in text
    assert '<ol type="i" class="list-lower-roman">' in epub.read("text/gratitude.xhtml").decode()
    # ...and the stylesheet numbers them by that class (not by [type], which HTML-mode
    # reading systems match without case, so a./A. would look alike).
    css = epub.read("styles/book.css").decode()
    assert "ol.list-lower-alpha { list-style-type: lower-alpha; }" in css
    assert "ol.list-upper-alpha { list-style-type: upper-alpha; }" in css


def test_arabic_survives_into_the_epub(sample_build):
    epub = epub_of(sample_build)
    text = epub.read("text/patience.xhtml").decode()
    assert "الصبر مفتاح الفرج" in text
    assert "فَإِنَّ مَعَ الْعُسْرِ يُسْرًا" in text


@pytest.mark.slow
@pytest.mark.parametrize("which", ["sample_build", "second_build"])
def test_epubcheck_is_clean(which, request):
    result = request.getfixturevalue(which)
    assert epubcheck_problems(next(p for p in result.files if p.suffix == ".epub")) == []


# ---------------------------------------------------------------- accessibility, cover

A11Y = "schema:accessibilityFeature"


def png(width: int, height: int, colour=(200, 30, 30), kind="PNG") -> bytes:
    out = _io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, kind)
    return out.getvalue()


IMAGE_BOOK = {
    "title": "A Book With a Map", "author": "Noor Test", "lang": "en",
    "identifier": "urn:uuid:0b5c3a4e-1111-4a1a-9c1c-2f0e6d1a9b01", "date": "2025-01-02",
    "layout": "book", "contents": ["one.md"],
}
IMAGE_FILES = {
    "one.md": """\
        # The Valley

        ![A hand-drawn map of the valley, with the river running north](map.png)

        ### Too deep a heading

        Text under it.[^a] The word [صبر]{lang=ar} means patience.

        ::: epigraph
        Walk on.
        :::

        [^a]: A note.
        """,
}


@pytest.fixture(scope="module")
def image_build(tmp_path_factory):
    """A book with one image, built as EPUB only (no PDF, so no page-list)."""
    folder = tmp_path_factory.mktemp("image-src")
    write_source(folder, IMAGE_BOOK, {**IMAGE_FILES, "map.png": png(40, 30)})
    return build(folder, tmp_path_factory.mktemp("image-dist"), formats=("epub",))


def test_accessibility_metadata_follows_content(image_build, sample_build):
    with_image, text_only = epub_of(image_build), epub_of(sample_build)
    assert with_image.meta("schema:accessMode") == ["textual", "visual"]
    assert text_only.meta("schema:accessMode") == ["textual"]
    assert "textual,visual" in with_image.meta("schema:accessModeSufficient")
    assert text_only.meta("schema:accessModeSufficient") == ["textual"]
    assert "alternativeText" in with_image.meta(A11Y)
    assert "alternativeText" not in text_only.meta(A11Y)
    # The sample was built with its PDF: it has a page-list and says so; the EPUB-only
    # build has none and claims none.
    assert "printPageNumbers" in text_only.meta(A11Y)
    assert "printPageNumbers" not in with_image.meta(A11Y)
    assert with_image.meta("pageBreakSource") == []
    assert text_only.meta("pageBreakSource") and "print edition" in \
        text_only.meta("pageBreakSource")[0]
    for epub in (with_image, text_only):
        for feature in ("structuralNavigation", "tableOfContents", "readingOrder",
                        "displayTransformability"):
            assert feature in epub.meta(A11Y)
        assert epub.meta("schema:accessibilityHazard") == ["none"]
        assert epub.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
        [summary] = epub.meta("schema:accessibilitySummary")
        assert len(summary) > 80
    assert "1 image has" in with_image.meta("schema:accessibilitySummary")[0]
    # Who stands behind the claim: the publisher, when there is one.
    assert text_only.meta("a11y:certifiedBy") == [sample_build.book.meta.publisher]
    assert with_image.meta("a11y:certifiedBy") == []
    # The image carries its alt text from the Markdown into the EPUB.
    root = xml(with_image.read("text/one.xhtml"))
    [img] = root.iter(f"{{{NS['x']}}}img")
    assert img.get("alt") == "A hand-drawn map of the valley, with the river running north"
    assert with_image.read(img.get("src").replace("../", "")) == png(40, 30)


@pytest.mark.slow
def test_image_book_epubcheck_clean_and_headings_without_gaps(image_build):
    path = next(p for p in image_build.files if p.suffix == ".epub")
    assert epubcheck_problems(path) == []
    root = xml(Epub(path).read("text/one.xhtml"))
    levels = [int(e.tag[-1]) for e in root.iter() if e.tag[-2:-1] == "h"
              and e.tag[-1].isdigit()]
    assert levels == [1, 2]            # "###" right under "#" became an h2
    [arabic] = [e for e in root.iter() if e.get("lang") == "ar"]
    assert arabic.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    assert arabic.text == "صبر"
    epigraph = next(e for e in root.iter() if "epigraph" in (e.get("class") or ""))
    assert epigraph.get("role") == "doc-epigraph"
    assert epigraph.get(f"{{{NS['epub']}}}type") == "epigraph"


def _semantics(root) -> set[tuple[str, str | None]]:
    return {(e.get(f"{{{NS['epub']}}}type"), e.get("role")) for e in root.iter()
            if e.get(f"{{{NS['epub']}}}type")}


def test_structural_parts_have_epub_type_and_role(sample_build):
    epub = epub_of(sample_build)
    assert ("titlepage", None) in _semantics(xml(epub.read("text/warraq_titlepage.xhtml")))
    assert ("copyright-page", None) in _semantics(xml(epub.read("text/warraq_copyright.xhtml")))
    assert ("cover", None) in _semantics(xml(epub.read("text/warraq_cover.xhtml")))
    nav = xml(epub.read(epub.nav_href()))
    kinds = {n.get(f"{{{NS['epub']}}}type"): n for n in nav.iter(f"{{{NS['x']}}}nav")}
    assert kinds["toc"].get("role") == "doc-toc"
    landmarks = {a.get(f"{{{NS['epub']}}}type"): a.get("href")
                 for a in kinds["landmarks"].iter(f"{{{NS['x']}}}a")}
    assert set(landmarks) == {"cover", "titlepage", "copyright-page", "toc", "bodymatter"}
    assert set(epub.spine_hrefs()) >= {h.partition("#")[0] for h in landmarks.values()}
    for href in landmarks.values():
        epub.read(href.partition("#")[0])          # every landmark leads to a file
    for chapter in sample_build.book.chapters:
        root = xml(epub.read(f"text/{chapter.id}.xhtml"))
        section = root.find(".//x:body/x:section", NS)
        expected = chapter.kind if chapter.kind != "chapter" else "chapter"
        assert section.get(f"{{{NS['epub']}}}type") == expected
        assert section.get("role") == f"doc-{expected}"
        levels = [int(e.tag[-1]) for e in root.iter() if isinstance(e.tag, str)
                  and e.tag.rsplit("}", 1)[-1] in {f"h{n}" for n in range(1, 7)}]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))


def test_article_stays_light(second_build):
    """An article opens with its title block: no title page, no contents page in the
    reading order; the imprint follows the text."""
    epub = epub_of(second_build)
    spine = epub.spine_hrefs()
    first = second_build.book.chapters[0]
    assert spine[:2] == ["text/warraq_cover.xhtml", f"text/{first.id}.xhtml"]
    linear = epub.spine_hrefs(linear_only=True)
    assert linear[-1] == "text/warraq_copyright.xhtml" and "nav.xhtml" not in spine
    assert all(h.startswith("text/warraq_licence-") for h in spine[len(linear):])
    root = xml(epub.read(spine[1]))
    section = root.find(".//x:body/x:section", NS)
    head = section.find("x:header", NS)
    assert head is not None and second_build.book.meta.title in "".join(head.itertext())


def test_copyright_page_names_rights_identifier_and_fonts(sample_build):
    from warraq.fonts import faces
    epub = epub_of(sample_build)
    text = " ".join("".join(xml(epub.read("text/warraq_copyright.xhtml")).itertext()).split())
    meta = sample_build.book.meta
    assert meta.rights in text and meta.identifier in text and meta.publisher in text
    for face in faces():
        credit = f"{face.family} {face.version} ({face.license})"
        # The sample has Latin and Arabic, no Hebrew, no other script, no code: only the
        # faces that set its text are credited.
        assert (credit in text) == (face.role in ("text", "fallback", "arabic")), credit


def test_cover_is_in_the_manifest_and_opens_the_spine(sample_build):
    epub = epub_of(sample_build)
    covers = [e for e in epub.manifest().values()
              if "cover-image" in (e.get("properties") or "").split()]
    assert len(covers) == 1 and covers[0].get("media-type") == "image/png"
    with Image.open(_io.BytesIO(epub.read(covers[0].get("href")))) as im:
        assert im.size == (1600, 2400)
        # Not a blank plate: the title area has light text on the dark ground.
        band = im.convert("L").crop((200, 560, 1400, 1100))
        assert band.getextrema()[1] - band.getextrema()[0] > 150
    assert epub.spine_hrefs()[0] == "text/warraq_cover.xhtml"
    page = xml(epub.read("text/warraq_cover.xhtml"))
    [img] = page.iter(f"{{{NS['x']}}}img")
    assert img.get("src") == "../" + covers[0].get("href")
    assert img.get("role") == "doc-cover"
    assert sample_build.book.meta.title in img.get("alt")


def test_generated_cover_sets_title_series_author_in_book_fonts(sample_build):
    from warraq.cover import cover_html
    from warraq.fonts import family_for
    html, css = cover_html(sample_build.book)
    meta = sample_build.book.meta
    for text in (meta.title, meta.subtitle, meta.collection, *meta.authors):
        assert text in html
    assert family_for("arabic") in css and family_for("text") in css


def test_given_cover_image_is_used_as_is(make_source, tmp_path):
    jpeg = png(1000, 1500, kind="JPEG")
    big = png(1600, 2400, kind="JPEG")
    meta = {**IMAGE_BOOK, "cover-image": "cover.jpg"}
    files = {"one.md": "# One\n\nText.\n"}
    with pytest.raises(SourceError) as err:
        build(make_source(meta, {**files, "cover.jpg": jpeg}, "small"), tmp_path / "never-written",
              formats=("epub",))
    [d] = err.value.diagnostics
    assert d.code == "W205" and "1600" in d.message and d.file == "book.yaml"
    assert not (tmp_path / "never-written").exists()
    gif = _io.BytesIO()
    Image.new("P", (1600, 2400)).save(gif, "GIF")
    with pytest.raises(SourceError) as err:
        build(make_source({**meta, "cover-image": "c.gif"}, {**files, "c.gif": gif.getvalue()},
                          "gif"), tmp_path / "never-written", formats=("epub",))
    assert [d.code for d in err.value.diagnostics] == ["W205"]
    src = make_source(meta, {**files, "cover.jpg": big}, "big")
    result = build(src, src.parent / "out", formats=("epub",))
    epub = epub_of(result)
    [cover] = [e for e in epub.manifest().values()
               if "cover-image" in (e.get("properties") or "").split()]
    assert cover.get("media-type") == "image/jpeg"
    assert epub.read(cover.get("href")) == big


def test_image_without_alt_text_is_an_error(make_source):
    src = make_source(IMAGE_BOOK, {"one.md": "# One\n\nSee:\n\n![](map.png)\n",
                                   "map.png": png(10, 10)})
    with pytest.raises(SourceError) as err:
        build(src, src.parent / "out", formats=("epub",))
    [d] = err.value.diagnostics
    assert (d.code, d.file, d.line) == ("W309", "one.md", 5)


def test_cover_and_a_content_image_of_the_same_name(make_source):
    """A chapter image called cover.png and the generated cover both survive, and an
    author's cover-image that a chapter also shows stays in the text."""
    given = png(1600, 2400, (10, 80, 40))
    files = {"one.md": "# One\n\n![A red square](cover.png)\n\n![The cover](art/c.png)\n",
             "cover.png": png(20, 20), "art/c.png": given}
    src = make_source({**IMAGE_BOOK, "cover-image": "art/c.png"}, files)
    epub = epub_of(build(src, src.parent / "out", formats=("epub",)))
    root = xml(epub.read("text/one.xhtml"))
    for img in root.iter(f"{{{NS['x']}}}img"):
        epub.read(img.get("src").replace("../", ""))
    [cover] = [e for e in epub.manifest().values()
               if "cover-image" in (e.get("properties") or "").split()]
    assert epub.read(cover.get("href")) == given
    assert epub.read("images/cover.png") == png(20, 20)
    src2 = make_source(IMAGE_BOOK, {"one.md": files["one.md"].replace("art/c.png", "cover.png"),
                                    "cover.png": png(20, 20)}, "src2")
    result = build(src2, src2.parent / "out2", formats=("epub",))
    epub = epub_of(result)
    [cover] = [e for e in epub.manifest().values()
               if "cover-image" in (e.get("properties") or "").split()]
    assert cover.get("href") == "images/cover-1.png"
    assert epub.read("images/cover.png") == png(20, 20)
    names = epub.zip.namelist()
    assert len(names) == len(set(names))


def test_quotation_footers_are_not_landmarks(sample_build):
    """A <footer> is a contentinfo landmark to assistive technology; DAISY Ace flagged the
    verse reference and the quotation source as two of them in one chapter."""
    epub = epub_of(sample_build)
    footers = [f for root in epub.xhtml_documents().values()
               for f in root.iter(f"{{{NS['x']}}}footer")]
    assert len(footers) >= 4                 # two verses and two quotations in the sample
    assert all(f.get("role") == "none" for f in footers)
