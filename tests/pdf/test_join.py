"""warraq.pdf.partwrite and warraq.pdf.join: a book written a part at a time (on one
process or two) and joined is, page for page, the book WeasyPrint writes in one piece,
for every profile: the same page count, content streams, page boxes, text, page labels,
outline, links and destinations, information and catalog; each face embedded once with
the same widths and text maps; the tagged profile written whole. And the parts are
the book's: the same bytes whatever the number of processes."""

from __future__ import annotations

import io
import random

import pikepdf
import pytest

import warraq.pdf.book as print_book
import warraq.pdf.partwrite as partwrite
from conftest import write_source
from readback import Pdf
from warraq.pdf.partwrite import Unjoinable, part_ranges, shares
from warraq.pdf.profiles import PROFILES
from warraq.pipeline import build

EPOCH = "1700000000"
PROFILE_NAMES = ("print", "kdp", "ingram", "offset", "screen")
WORDS = ("patience gratitude promise silence answer hardship grammar threshold "
         "obedience traveller understanding correspondence encouragement").split()


def _chapter(number: int, paragraphs: int, lang: str) -> str:
    rng = random.Random(number)
    body = [" ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "."
            for _ in range(paragraphs)]
    body[1] += f" A note.[^n{number}]"
    body[2] += " He said «الصبر مفتاح الفرج» and went on."
    title = {1: "First", 2: "Second", 3: "Third {#third}"}[number]
    if lang == "ar":
        title = "الفصل " + title
    links = {1: "See [the third chapter](c.md#third) and [its end](c.md#last).",
             2: "Back to [the first](a.md) and [out](https://example.org/x)."}
    return (f"# {title}\n\n" + "\n\n".join(body[:3]) + "\n\n(a) one point\n(b) another\n\n"
            "### A sub-section, two levels down\n\n" + "\n\n".join(body[3:]) + "\n\n"
            + links.get(number, "[]{#last}The last words.") +
            f"\n\n[^n{number}]: The note of chapter {number}.\n")


def _source(folder, lang: str):
    files = {f"{n}.md": _chapter(i + 1, count, lang)
             for i, (n, count) in enumerate(zip("abc", (9, 4, 7)))}
    meta = {"title": "Joined", "lang": lang, "trim": "5 x 8 in",
            "contents": list(files)}
    return write_source(folder, meta, files)


def _pdfs(result) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in result.files
            if p.suffix == ".pdf" and ".cover." not in p.name}


@pytest.fixture(scope="module", params=["en", "ar"])
def built(request, tmp_path_factory):
    """The book for every profile, joined from parts and written whole."""
    base = tmp_path_factory.mktemp(f"join-{request.param}")
    src = _source(base / "src", request.param)
    profiles = tuple(PROFILES[p] for p in PROFILE_NAMES)
    joined = build(src, base / "joined", ("pdf",), epoch=EPOCH, profiles=profiles, jobs=1,
                   cache=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(print_book, "part_ranges", lambda ids, document: None)
        whole = build(src, base / "whole", ("pdf",), epoch=EPOCH, profiles=profiles,
                      jobs=1, cache=False)
    return src, base, _pdfs(joined), _pdfs(whole)


def _contents(page) -> bytes:
    parts = page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]
    return b"".join(part.read_bytes() for part in parts)


def _numbers(values) -> list[float]:
    return [round(float(v), 2) for v in values]


def _read(data: bytes) -> dict:
    """What a reader or a preflight sees of a PDF, object numbers aside."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        index = {page.objgen: n for n, page in enumerate(pdf.pages)}
        names = {}
        if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
            names = {k: (index[v[0].objgen], _numbers(v[2:4]))
                     for k, v in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
        links, faces, fonts = [], {}, {}
        for n, page in enumerate(pdf.pages):
            for link in page.get("/Annots", []):
                target = (names[str(link.Dest)] if "/Dest" in link
                          else str(link.get("/A", {}).get("/URI")))
                links.append((n, _numbers(link.Rect), target))
            for _, font in page.Resources.get("/Font", {}).items():
                faces.setdefault(str(font.BaseFont), set()).add(font.objgen)
                descendant = font.DescendantFonts[0]
                fonts[str(font.BaseFont)] = (
                    str(descendant.W), font.ToUnicode.read_bytes(),
                    {k: str(v) for k, v in descendant.FontDescriptor.items()
                     if k not in ("/FontFile2", "/FontFile3")})
        outline = []
        with pdf.open_outline() as tree:
            def walk(items, depth):
                for item in items:
                    dest = item.destination
                    outline.append((depth, item.title, index[dest[0].objgen],
                                    _numbers(dest[2:4]), item.is_closed))
                    walk(item.children, depth + 1)
            walk(tree.root, 0)
        catalog = {k: str(pdf.Root[k]) for k in ("/PageLabels", "/Lang", "/ViewerPreferences",
                                                 "/MarkInfo") if k in pdf.Root}
        return {
            "pages": len(pdf.pages),
            "contents": [_contents(page) for page in pdf.pages],
            "boxes": [{k: _numbers(page[k]) for k in ("/MediaBox", "/TrimBox", "/BleedBox")
                       if k in page} for page in pdf.pages],
            "links": links, "names": names, "outline": outline, "catalog": catalog,
            "intents": [str(i.get("/OutputConditionIdentifier"))
                        for i in pdf.Root.get("/OutputIntents", [])],
            "metadata": pdf.Root.Metadata.read_bytes() if "/Metadata" in pdf.Root else None,
            "info": {k: str(v) for k, v in pdf.docinfo.items()},
            "faces": {name: len(ids) for name, ids in faces.items()},
            "fonts": fonts, "version": pdf.pdf_version,
        }


def _written(path, data: bytes) -> Pdf:
    path.write_bytes(data)
    return Pdf(path)


@pytest.mark.slow
@pytest.mark.parametrize("profile", [p for p in PROFILE_NAMES if not PROFILES[p].tags])
def test_the_joined_pdf_is_the_one_piece_pdf_page_for_page(built, profile):
    _, _, joined, whole = built
    name = PROFILES[profile].file_name("joined")
    assert joined[name] != whole[name]             # (joined: not WeasyPrint's own bytes)
    got, want = _read(joined[name]), _read(whole[name])
    assert got["pages"] == want["pages"] > 6
    for key in ("contents", "boxes", "links", "names", "outline", "catalog", "intents",
                "metadata", "info", "fonts", "version"):
        assert got[key] == want[key], key
    assert set(got["faces"]) == set(want["faces"]) and set(got["faces"].values()) == {1}
    # the reader's view too: the same text on every page, the same labels
    a, b = (_written(built[1] / f"{kind}-{name}", data)
            for kind, data in (("joined", joined[name]), ("whole", whole[name])))
    assert a.page_texts() == b.page_texts()
    assert a.reader.page_labels == b.reader.page_labels
    if PROFILES[profile].links:
        cross = {(page, xy[0]) for _, _, target in got["links"] if isinstance(target, tuple)
                 for page, xy in [target]}
        assert len(cross) >= 4, cross       # the contents' chapters, #third, #last
        assert any(isinstance(link[2], str) and "example.org" in link[2]
                   for link in got["links"])
    if PROFILES[profile].bookmarks:
        assert any(depth == 1 for depth, *_ in got["outline"])       # the sub-sections


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["print", "offset"])
def test_the_parts_walked_for_the_preflight_are_the_joined_pages(built, profile):
    """What each part's pages draw (walked where the part is written) is what the joined
    file's pages draw, so the preflight of the joined file reads it from there, with the
    same report."""
    from warraq.pdf import pagemap
    from warraq.pdf.document import book_trim
    from warraq.pdf.preflight import check_pdf
    from warraq.pdf.preflight.pages import page_draws
    from warraq.pipeline import prepare
    book = pagemap.numbered(prepare(built[0], EPOCH))
    draws: list = []
    data, _ = print_book.render_pdf(book, PROFILES[profile], draws=draws)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert draws == page_draws(pdf) and len(draws) == len(pdf.pages)
    assert any(d.box for d in draws) and any(d.spaces for d in draws)
    trim = book_trim(book).points
    assert check_pdf(data, PROFILES[profile], trim, draws=draws) == check_pdf(
        data, PROFILES[profile], trim)


@pytest.mark.slow
def test_the_tagged_profile_is_written_whole(built):
    _, _, joined, whole = built
    name = PROFILES["screen"].file_name("joined")
    assert joined[name] == whole[name]


@pytest.mark.slow
def test_two_processes_write_the_same_bytes_as_one(built, tmp_path):
    src, _, joined, _ = built
    name = PROFILES["print"].file_name("joined")
    two = build(src, tmp_path / "two", ("pdf",), epoch=EPOCH, profiles=(PROFILES["print"],),
                jobs=2, cache=False)
    assert _pdfs(two)[name] == joined[name]


@pytest.mark.slow
def test_a_font_the_join_cannot_merge_has_the_book_written_whole(built, tmp_path,
                                                                 monkeypatch):
    src, _, _, whole = built
    name = PROFILES["print"].file_name("joined")

    def refuse(fonts, faces):
        raise Unjoinable("a bitmap font")
    monkeypatch.setattr(partwrite, "_font_uses", refuse)
    again = build(src, tmp_path / "again", ("pdf",), epoch=EPOCH,
                  profiles=(PROFILES["print"],), jobs=1, cache=False)
    assert _pdfs(again)[name] == whole[name]


def test_shares_are_runs_of_parts_of_about_as_many_pages():
    ranges = [(0, 3), (3, 20), (20, 30), (30, 34), (34, 50), (50, 60)]
    runs = shares(ranges, 2)
    assert [r for run in runs for r in run] == ranges
    assert len(runs) == 2 and sum(b - a for a, b in runs[0]) == 30
    assert shares(ranges, 1) == [ranges]
    assert len(shares(ranges[:1], 4)) == 1
    assert all(run for run in shares(ranges, 6))


class _Page:
    def __init__(self, *anchors):
        self.anchors = {name: (0, 0, 0, 0) for name in anchors}


class _Document:
    def __init__(self, *pages):
        self.pages = list(pages)


def test_the_parts_are_the_front_matter_then_each_chapter():
    document = _Document(_Page("title"), _Page("contents"), _Page("a", "x"), _Page(),
                         _Page("b"), _Page("c"), _Page())
    assert part_ranges(["a", "b", "c"], document) == [(0, 2), (2, 4), (4, 5), (5, 7)]
    assert part_ranges(["a", "b"], _Document(_Page("a"), _Page("b"))) == [(0, 1), (1, 2)]
    assert part_ranges(["a", "z"], document) is None          # a chapter not found
    assert part_ranges(["b", "a"], document) is None          # out of order
