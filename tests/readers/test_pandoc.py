"""Pandoc as the reader: one process for the book, confined, and positions that name the
author's line."""

from __future__ import annotations

import subprocess

from warraq.readers import pandoc, read_book


def test_one_pandoc_process_reads_every_chapter_and_one_writes_them(monkeypatch, tmp_path):
    runs = []
    real = subprocess.run

    def spy(args, **kwargs):
        runs.append((args, kwargs))
        return real(args, **kwargs)
    monkeypatch.setattr(subprocess, "run", spy)
    found = pandoc.read_all(["# One\n", "# Two\n\nText $x$.\n", "# Three {#three}\n"])
    assert [p.explicit for p in found] == [[""], [""], ["three"]]
    assert [p.doc["blocks"][0]["c"][1][0] for p in found] == ["one", "two", "three"]
    html = pandoc.write_all([pandoc.document(p.doc["blocks"]) for p in found])
    assert len(runs) == 2 and "<math" in html[1]
    for args, kwargs in runs:
        assert args[1] == "lua" and kwargs["input"]            # texts on standard input
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
