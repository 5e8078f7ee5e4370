"""warraq.readers.walks: a chapter's walk taken from the build cache gives the chapter
the walk itself gives (its XHTML, headings, notes, lines and reports), and a walk the
cache holds wrongly is walked again."""

import json
import subprocess

from rendering import render_all
from warraq import cache as cache_module
from warraq.cache import Cache
from warraq.errors import Diagnostics
from warraq.readers import walks

TEXTS = [
    "# One {#first}\n\nA word.[^a] See [two](#two), $x^2$ and ![](pic.png).\n\n"
    "::: {lang=ar}\n## بسم الله\n:::\n\nA [gap]{lang=ar}.[^missing]\n\n"
    '<span class="x">raw</span>\n\n[^a]: A note with **strong** text.[^b]\n'
    "[^b]: Inside.\n[^spare]: never used\n",
    "# Two\n\n## Two\n\n- a\n    - b\n\n```python\nprint(1)\n```\n\n> quoted \"text\"\n",
]


def _read(tmp_path, texts, offset=2, marks="\u201c\u201d\u2018\u2019"):
    diags, cache = Diagnostics(), Cache(tmp_path / "cache")
    rendered = render_all(texts, diags, offset, marks, cache)
    cache.flush()
    return rendered, [(d.file, d.line, d.code, d.message) for d in diags.items], cache


def _pandoc_runs(monkeypatch) -> list:
    runs, real = [], subprocess.Popen

    def spy(args, **kwargs):
        runs.append(args)
        return real(args, **kwargs)
    monkeypatch.setattr(subprocess, "Popen", spy)
    return runs


def test_a_walk_from_the_cache_gives_the_chapter_the_walk_gives(tmp_path, monkeypatch):
    first, said, cache = _read(tmp_path, TEXTS)
    assert cache.misses.count(walks.KIND) == 2
    assert {"W304", "W305"} <= {code for _f, _l, code, _m in said}
    assert [h.id for h in first[0].headings][:1] == ["first"] and first[0].footnotes
    runs = _pandoc_runs(monkeypatch)
    second, said_again, again = _read(tmp_path, TEXTS)
    assert again.hits.count(walks.KIND) == 2 and not again.misses
    assert "pandoc-read" not in again.hits          # nothing was read
    assert runs == []                               # so no Pandoc started
    assert second == first and said_again == said
    monkeypatch.undo()
    alone = Diagnostics()
    assert render_all(TEXTS, alone, 2) == first
    assert [(d.file, d.line, d.code, d.message) for d in alone.items] == said


def test_only_the_edited_chapter_is_read_and_walked_again(tmp_path):
    _read(tmp_path, TEXTS)
    edited = [TEXTS[0], TEXTS[1].replace("quoted", "cited")]
    rendered, _, cache = _read(tmp_path, edited)
    assert cache.hits.count(walks.KIND) == 1 and cache.misses.count(walks.KIND) == 1
    assert "cited" in rendered[1].html and rendered == render_all(edited, Diagnostics(), 2)


def test_where_the_text_starts_and_the_quotation_marks_are_in_the_key(tmp_path):
    _, said, _ = _read(tmp_path, TEXTS)
    _, shifted, cache = _read(tmp_path, TEXTS, offset=3)
    assert cache.misses.count(walks.KIND) == 2
    assert [line + 1 for _f, line, _c, _m in said] == [line for _f, line, _c, _m in shifted]
    rendered, _, cache = _read(tmp_path, TEXTS, marks="\u00ab\u00bb\u2039\u203a")
    assert cache.misses.count(walks.KIND) == 2 and "\u00abtext\u00bb" in rendered[1].html


def _rewrite(tmp_path, change) -> int:
    """Each walk the cache holds, its JSON changed by `change(data)`; how many."""
    count = 0
    for path in (tmp_path / "cache").rglob("*"):
        entry = cache_module._decode(path.read_bytes(), path.name) if path.is_file() else None
        if entry is None or b'"found"' not in entry.blobs.get("json", b""):
            continue
        data = json.loads(entry.blobs["json"])
        change(data)
        entry.blobs["json"] = json.dumps(data).encode()
        path.write_bytes(cache_module._encode(path.name, entry))
        count += 1
    return count


def test_a_walk_the_cache_holds_wrongly_is_walked_again(tmp_path):
    first, said, _ = _read(tmp_path, TEXTS)

    def heading_moved(data):            # a heading's place points at a paragraph
        data["found"]["headers"][0][0] = [0, len(data["doc"]["blocks"]) - 1]
    assert _rewrite(tmp_path, heading_moved) == 2
    again, said_again, cache = _read(tmp_path, TEXTS)
    assert cache.misses.count(walks.KIND) == 2 and again == first and said_again == said

    def notes_lost(data):               # the notes' blocks gone
        data["notes"] = []
    assert _rewrite(tmp_path, notes_lost) == 2
    again, said_again, cache = _read(tmp_path, TEXTS)
    assert cache.misses.count(walks.KIND) == 1       # the chapter without notes is fine
    assert again == first and said_again == said


def test_reports_past_what_a_report_lists_are_still_counted_from_the_cache(tmp_path):
    noisy = ["# A\n\n" + "".join(f"Line {n}.[^missing{n}]\n\n" for n in range(150))]
    counts = []
    for _ in range(2):
        diags, cache = Diagnostics(), Cache(tmp_path / "cache")
        render_all(noisy, diags, 0, "\u201c\u201d\u2018\u2019", cache)
        cache.flush()
        counts.append((len(diags.items), diags.more, diags.items[-1].line))
    assert cache.hits.count(walks.KIND) == 1 and not cache.misses
    assert counts[0] == counts[1] == (diags.limit, 150 - diags.limit, 2 * diags.limit + 1)


def test_a_walk_from_the_cache_is_written_with_the_ids_the_book_gives_it_now(tmp_path):
    """A heading's id depends on the chapters before it (ids are unique in the book):
    the same chapter, its walk from the cache, is written again when its id changes."""
    first = ["# Intro\n\nOne.\n", "# Intro\n\nTwo.\n"]
    rendered, _, _ = _read(tmp_path, first)
    assert rendered[1].headings[0].id != "intro"
    second = ["# Preface\n\nOne.\n", "# Intro\n\nTwo.\n"]
    again, _, cache = _read(tmp_path, second)
    assert cache.hits.count(walks.KIND) == 1                 # the second chapter's walk
    assert again[1].headings[0].id == "intro" and 'id="intro"' in again[1].html
    assert again == render_all(second, Diagnostics(), 2)
    assert cache.misses.count("pandoc-write") == 2           # both written anew
