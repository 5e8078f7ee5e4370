"""Pandoc as the reader: one process for the book, confined, and positions that name the
author's line."""

from __future__ import annotations

import copy
import subprocess

import pytest

from warraq.readers import pandoc, read_book


def test_one_pandoc_process_reads_every_chapter_and_writes_them(monkeypatch, make_source):
    runs = []
    real = subprocess.Popen

    def spy(args, **kwargs):
        runs.append((args, kwargs))
        return real(args, **kwargs)
    monkeypatch.setattr(subprocess, "Popen", spy)
    with pandoc.Session() as session:
        found = session.read(["# One\n", "# Two\n\nText $x$.\n", "# Three {#three}\n"])
        assert [p.explicit for p in found] == [[""], [""], ["three"]]
        assert [p.doc["blocks"][0]["c"][1][0] for p in found] == ["one", "two", "three"]
        html = session.write([pandoc.document(p.doc["blocks"]) for p in found])
    assert len(runs) == 1 and "<math" in html[1]
    read_book(make_source({"title": "T", "contents": ["a.md", "b.md"]},
                          {"a.md": "# A\n\n$x$\n", "b.md": "# B\n"}))
    assert len(runs) == 2                                     # one more for the whole book
    for args, kwargs in runs:
        assert args[1] == "lua" and kwargs["stdin"] == subprocess.PIPE  # texts on stdin
        assert set(kwargs["env"]) == {"HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "LANG",
                                      "LC_ALL"}
        assert kwargs["cwd"] == kwargs["env"]["HOME"]          # an empty temporary folder


def test_pandoc_reads_no_file_a_chapter_names(tmp_path):
    secret = tmp_path / "secret.tex"
    secret.write_text("SECRETWORD\n")
    text = f"# A\n\n\\input{{{secret}}}\n\n\\include{{{secret}}}\n\n![x]({secret})\n"
    found = pandoc.read_all([text])[0]
    assert "SECRETWORD" not in str(found.doc)


def test_errors_name_the_line_the_author_wrote(make_source):
    text = ("# A\n\nText with a [link](#nowhere).[^1]\n\n"        # 3
            "::: {lang=xx-!!}\nA div.\n:::\n\n"                  # 5
            "Here ![](pic.png) and [^2].\n\n"                     # 9
            "[^1]: A note with a [bad link](#gone).\n\n"          # 11
            "[^3]: Never used.\n")                                # 13
    read = read_book(make_source({"title": "T", "contents": ["a.md"]}, {"a.md": text}))
    got = sorted((d.line, d.code) for d in read.diagnostics.items)
    assert got == [(3, "W313"), (5, "W106"), (9, "W304"), (9, "W306"), (9, "W309"),
                   (11, "W313"), (13, "W305")]


def test_a_pandoc_that_fails_is_an_internal_fault_with_its_message(monkeypatch, tmp_path):
    (tmp_path / "book.lua").write_text('io.stderr:write("broken script")\nos.exit(3)\n')
    monkeypatch.setattr(pandoc, "_LUA", tmp_path)
    with pytest.raises(pandoc.PandocError, match=r"exit 3.*broken script"):
        pandoc.read_all(["# A\n"])


@pytest.mark.parametrize("text, found", [
    ("# A\n\n[a [b [c [d [e]]]]]\n", [("a.md", 3, "W312")]),
    ("# A\n\nx\n\n" + "[" * 3000 + "x" + "]" * 3000,       # and a word of 6 001 characters
     [("a.md", 5, "W312"), ("a.md", 5, "W317")])])
def test_brackets_nested_past_the_limit_are_refused_before_pandoc(make_source, text, found):
    """Pandoc's Markdown reader takes time exponential in the depth of nested brackets
    (10 deep: a minute); warraq refuses them with their line instead of waiting."""
    files = {"a.md": text, "b.md": "# B\n\n[a [b [c [d]]]] and `[[[[[[code]]]]]]`\n"}
    read = read_book(make_source({"title": "T", "contents": list(files)}, files))
    assert sorted((d.file, d.line, d.code) for d in read.diagnostics.items) == found
    assert [c.source for c in read.book.chapters] == ["b.md"]


def test_brackets_closed_on_lines_of_their_own_count_as_closed():
    from warraq.errors import Diagnostics
    from warraq.readers.chapter import ChapterContext, deep_brackets

    def deep(body):
        return deep_brackets(ChapterContext("a.md", None, "a", body, Diagnostics(), body=body))
    assert not deep("[a [b [c [d\n]]]]\n[e [f [g [h]]]]\n")
    assert deep("[a [b [c [d\n]\n[e [f]]]]\n")          # one closed: five open on line 3
    assert not deep("[a [b [c [d\n\n[e [f [g [h]]]]\n")   # a blank line ends them all


# --- what Pandoc read and wrote, kept in the build cache -------------------------------

def _spied(monkeypatch) -> list:
    runs = []
    real = subprocess.Popen

    def spy(args, **kwargs):
        runs.append(args)
        return real(args, **kwargs)
    monkeypatch.setattr(subprocess, "Popen", spy)
    return runs


def test_a_cached_reading_and_writing_start_no_pandoc_and_give_the_same(monkeypatch,
                                                                       tmp_path):
    from warraq.cache import Cache
    runs = _spied(monkeypatch)
    texts = ["# One\n\nA *word*.[^1]\n\n[^1]: A note.\n", "# Two\n\nText $x$.\n"]
    cache = Cache(tmp_path / "cache")
    with pandoc.Session(cache) as session:
        first = session.read(texts)
        docs = [pandoc.document(copy.deepcopy(p.doc["blocks"])) for p in first]
        html = session.write(docs)
        first[0].doc["blocks"].clear()      # the reader changes the AST it is given
    cache.flush()
    assert len(runs) == 1
    again = Cache(tmp_path / "cache")
    with pandoc.Session(again) as session:
        second = session.read(texts)
        assert session.write(docs) == html
    assert len(runs) == 1                                     # no Pandoc this time
    assert again.misses == [] and again.hits.count("pandoc-read") == 2
    with pandoc.Session() as session:
        assert [p.doc for p in second] == [p.doc for p in session.read(texts)]
    # a new text is read, alone: the others come from the cache
    edited = Cache(tmp_path / "cache")
    with pandoc.Session(edited) as session:
        third = session.read([texts[0], "# Two\n\nText $y$.\n"])
    assert len(runs) == 3 and edited.misses == ["pandoc-read"]
    assert third[0].doc == second[0].doc and "y" in str(third[1].doc)


def test_a_cached_reading_of_the_wrong_shape_is_read_again(tmp_path):
    from warraq.cache import Cache, Entry
    cache = Cache(tmp_path / "cache")
    text = "# One\n"
    cache.put(cache.key("pandoc-read", text),
              Entry(blobs={"json": b'{"doc": []}'}))
    with pandoc.Session(cache) as session:
        found = session.read([text])
    assert found[0].doc["blocks"][0]["t"] == "Header"
    assert cache.misses == ["pandoc-read"]


def test_a_book_built_again_is_read_from_the_cache_with_the_same_outputs(make_source,
                                                                        tmp_path):
    from warraq.pipeline import build
    src = make_source({"title": "T", "contents": ["a.md", "b.md"]},
                      {"a.md": "# A\n\nSee [B](b.md).[^n]\n\n[^n]: A note.\n",
                       "b.md": "# B\n\nText.\n"})
    first = build(src, tmp_path / "one", ("epub",), epoch="1700000000")
    second = build(src, tmp_path / "two", ("epub",), epoch="1700000000")
    assert "pandoc-read" in first.cache.misses and "pandoc-read" not in second.cache.misses
    # each chapter's walk is kept (warraq.readers.walks): nothing is read again
    assert second.cache.hits.count("pandoc-walk") == 2
    assert "pandoc-read" not in second.cache.hits
    assert first.files[0].read_bytes() == second.files[0].read_bytes()


def test_two_pandoc_processes_share_the_texts_and_give_what_one_gives(monkeypatch):
    runs = _spied(monkeypatch)
    texts = [f"# Chapter {n}\n\nText {n}, *said* “he”.[^a]\n\n[^a]: Note {n}.\n"
             for n in range(7)]
    with pandoc.Session(jobs=2) as session:
        shared = session.read(texts)
        shared_html = session.write([pandoc.document(p.doc["blocks"]) for p in shared])
    assert len(runs) == 2
    with pandoc.Session() as session:
        alone = session.read(texts)
        alone_html = session.write([pandoc.document(p.doc["blocks"]) for p in alone])
    assert len(runs) == 3
    assert [p.doc for p in shared] == [p.doc for p in alone]
    assert [p.explicit for p in shared] == [p.explicit for p in alone]
    assert shared_html == alone_html and "Chapter 6" in shared_html[-1]
