"""warraq.pdf.lent: on two processes with a build cache, the chapters the mending's
worker mended are placed at their folios and written there, never laid out again in
the book's process; the PDF is the one-process build's, byte for byte, and the worker's
parts go to the cache like the others."""

from __future__ import annotations

import os

import pytest

import warraq.pdf.book as print_book
from conftest import write_source
from warraq.pipeline import build
from warraq.pdf import written
from warraq.pdf.profiles import PROFILES

pytestmark = pytest.mark.slow

EPOCH = "1700000000"
WORDS = ("patience gratitude holding rope promise silence answer hardship the of and a "
         "to in it is was for on as with they at be this from have or by grammar "
         "grandmother threshold obedience wrongdoing understanding responsibility").split()


def _chapter(title: str, n: int, extra: str = "") -> str:
    body = []
    for i in range(n):
        words = " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(90))
        note = f"[^n{i}]" if i % 4 == 1 else ""
        body.append(words.capitalize() + "." + note)
    notes = [f"[^n{i}]: A note on {WORDS[i % len(WORDS)]}." for i in range(n) if i % 4 == 1]
    return f"# {title}\n\n{extra}\n\n" + "\n\n".join(body + notes) + "\n"


@pytest.fixture
def source(tmp_path):
    files = {"a.md": _chapter("First", 6, "See [the fourth](d.md#fourth)."),
             "b.md": _chapter("Second", 4),
             "c.md": _chapter("Third", 7, "Back to [the first](a.md)."),
             "d.md": _chapter("Fourth {#fourth}", 5)}
    meta = {"title": "Lent", "lang": "en", "trim": "5 x 8 in", "contents": list(files)}
    return write_source(tmp_path / "src", meta, files)


def _log_layouts(monkeypatch, log) -> None:
    """Each part laid out from its HTML (a chapter, or "front"), with the process that
    laid it out, written to `log` (from every process)."""
    real = print_book._lay_out

    def logged(book, profile, page, keep=frozenset(), only=None, sheets=None, part=None):
        name = only or ("front" if part is not None and part.front else "book")
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {name}\n")
        return real(book, profile, page, keep, only, sheets, part)
    monkeypatch.setattr(print_book, "_lay_out", logged)


def _laid(log) -> list[tuple[str, str]]:
    return [tuple(line.split()) for line in log.read_text("utf-8").splitlines()]


def _pdf(result) -> bytes:
    return next(p for p in result.files if p.suffix == ".pdf").read_bytes()


def test_the_workers_chapters_are_laid_out_once_and_give_the_one_process_pdf(
        source, tmp_path, monkeypatch):
    one = build(source, tmp_path / "one", ("pdf",), epoch=EPOCH, jobs=1, cache=False)
    log = tmp_path / "laid.txt"
    _log_layouts(monkeypatch, log)
    two = build(source, tmp_path / "two" / "out", ("pdf",), epoch=EPOCH, jobs=2)
    laid = _laid(log)
    names = [name for _, name in laid]
    # every chapter laid out from its HTML once (then mended in place), the front once
    assert sorted(names) == ["a", "b", "c", "d", "front"], laid
    book_pid = next(pid for pid, name in laid if name == "front")
    lent = {name for pid, name in laid if pid != book_pid}
    assert lent == {"c", "d"}, laid        # (the second half: the worker's)
    assert _pdf(two) == _pdf(one)
    # the lent chapters were filed in the cache with the others: a rebuild lays out none
    log.unlink()
    again = build(source, tmp_path / "two" / "out", ("pdf",), epoch=EPOCH, jobs=2)
    assert not log.exists()
    assert again.cache.hits.count(written.KIND) == 0    # (the whole PDF came from it)
    assert _pdf(again) == _pdf(one)


def test_an_edit_after_a_lent_build_rebuilds_the_edited_chapter_only(source, tmp_path,
                                                                     monkeypatch):
    build(source, tmp_path / "two" / "out", ("pdf",), epoch=EPOCH, jobs=2)
    path = source / "d.md"
    path.write_text(path.read_text("utf-8").replace("# Fourth {#fourth}",
                                                    "# Fourth {#fourth}\n\nA new line."),
                    encoding="utf-8")
    log = tmp_path / "laid.txt"
    _log_layouts(monkeypatch, log)
    edit = build(source, tmp_path / "two" / "out", ("pdf",), epoch=EPOCH, jobs=2)
    assert sorted(name for _, name in _laid(log)) == ["d"]
    monkeypatch.undo()
    cold = build(source, tmp_path / "cold", ("pdf",), epoch=EPOCH, jobs=1, cache=False)
    assert _pdf(edit) == _pdf(cold)


@pytest.mark.parametrize("profile", [p.name for p in PROFILES.values() if not p.tags])
def test_the_sample_lent_is_the_one_process_pdf_on_every_untagged_profile(
        profile, tmp_path, monkeypatch):
    """The sample's lent chapters have pages the justification moves (their bookmarks
    and anchors are said again after it), byte for byte; no chapter laid out twice."""
    from conftest import SAMPLE
    profiles = (PROFILES[profile],)
    one = build(SAMPLE, tmp_path / "one", ("pdf",), profiles=profiles, epoch=EPOCH, jobs=1,
                cache=False)
    log = tmp_path / "laid.txt"
    _log_layouts(monkeypatch, log)
    two = build(SAMPLE, tmp_path / "two" / "out", ("pdf",), profiles=profiles, epoch=EPOCH,
                jobs=2)
    names = [name for _, name in _laid(log)]
    assert len(names) == len(set(names)) and len({pid for pid, _ in _laid(log)}) == 2
    pdfs = {p.name: p.read_bytes() for p in one.files if p.suffix == ".pdf"}
    assert pdfs and {p.name: p.read_bytes() for p in two.files if p.suffix == ".pdf"} == pdfs


class _Worker:
    """A worker as `Lending` sees it: what it was told, and its messages to come."""

    def __init__(self, messages):
        self.told, self.messages, self.finished = [], list(messages), False

    def tell(self, kind, value=None):
        self.told.append(kind)

    def receive(self):
        kind, value = self.messages.pop(0)
        self.finished = kind == "done"
        return kind, value


class _Parts:
    def __init__(self, starts):
        self.starts = starts

    def start_of(self, page, cid):
        return self.starts[cid]


def test_a_worker_whose_chapters_cannot_be_placed_is_ended_and_lends_nothing():
    from warraq.pdf.lent import Lending
    lending = Lending(parts=_Parts({"c": 9, "d": None}))
    worker = _Worker([("done", {})])
    lending.take("page", [(worker, {"c": ([["c:1", 4]], 3), "d": ([], 2)})])
    assert worker.told == ["end"] and worker.finished
    assert lending.get("page", "c") is None and not lending.workers


def test_workers_placed_but_never_asked_to_write_are_ended_when_the_book_is_done():
    from warraq.pdf.lent import Lending
    lending = Lending(parts=_Parts({"c": 9}))
    from warraq.pdf.written import StandIn
    page = [StandIn(9.0, 9.0, {"c": (0, 0, 0, 0)}, [], "9", {12.0: 30}, None)]
    worker = _Worker([("mended", "c"), ("placed", {"c": (page, [["c:1", 4]], ["said"],
                                                         "digest")}), ("done", {})])
    lending.take("page", [(worker, {"c": ([["c:1", 4]], 1)})])
    placed = lending.get("page", "c")
    assert placed.start == 9 and placed.keep == frozenset({("c:1", 4)})
    assert placed.source == "digest" and page[0].written is placed.written
    assert [p.label for p in placed.written.pages] == ["9"]
    assert placed.written.warnings == ("said",) and placed.written.part is None
    assert worker.told == ["folios"]
    lending.close()
    assert worker.told == ["folios", "end"] and worker.finished


ARABIC = ("الصبر نصف الإيمان، وهو حبس النفس عن الجزع واللسان عن الشكوى والجوارح عن "
          "التشويش، وهو ثلاثة أنواع: صبر على الطاعة وصبر عن المعصية وصبر على البلاء. ")


def test_an_arabic_book_lent_is_the_one_process_pdf(tmp_path, monkeypatch):
    """Right to left, a recto is a left-hand page and the folios are Arabic-Indic
    digits: the lent chapters moved to their folios are still the one-process PDF."""
    titles = {"a": "الأول", "b": "الثاني", "c": "الثالث", "d": "الرابع"}
    files = {f"{n}.md": f"# الباب {t}\n\n" + "\n\n".join(ARABIC * (k + 3) for k in range(6 + i))
             + "\n" for i, (n, t) in enumerate(titles.items())}
    src = write_source(tmp_path / "src", {"title": "رسالة", "lang": "ar", "trim": "5 x 8 in",
                                          "contents": list(files)}, files)
    one = build(src, tmp_path / "one", ("pdf",), epoch=EPOCH, jobs=1, cache=False)
    log = tmp_path / "laid.txt"
    _log_layouts(monkeypatch, log)
    two = build(src, tmp_path / "two" / "out", ("pdf",), epoch=EPOCH, jobs=2)
    laid = _laid(log)
    assert sorted(name for _, name in laid) == ["a", "b", "c", "d", "front"], laid
    assert len({pid for pid, _ in laid}) == 2
    assert _pdf(two) == _pdf(one)


@pytest.mark.allow_weasyprint_warnings
def test_what_weasyprint_says_of_a_lent_chapter_is_said_once(source, tmp_path, monkeypatch):
    """A lent chapter's layout messages come back with its pages (the worker keeps
    them, and logs nothing to the channels it inherited): the build reports them as a
    one-process build does."""
    import logging
    from warraq.pdf import relayout
    real = relayout.Galley.lay_out

    def saying(self, words=frozenset()):
        if any(el.get("id") == "fourth" for el in self.html.etree_element.iter()):
            logging.getLogger("weasyprint").warning("a word about the fourth chapter")
        return real(self, words)
    monkeypatch.setattr(relayout.Galley, "lay_out", saying)
    one = build(source, tmp_path / "one", ("pdf",), epoch=EPOCH, jobs=1, cache=False)
    two = build(source, tmp_path / "two" / "out", ("pdf",), epoch=EPOCH, jobs=2)
    said = [w for w in two.warnings if "the fourth chapter" in str(w)]
    assert said and said == [w for w in one.warnings if "the fourth chapter" in str(w)]
