"""`warraq new article|book DIR` then `warraq build DIR`: the starters build as they are,
into an EPUBCheck-clean EPUB and preflighted PDFs, and show every feature they promise
(read back from the outputs, compared with the starter's own Markdown)."""

from __future__ import annotations

import re

import pytest

from readback import NS, Epub, Pdf, epubcheck_problems
from warraq import commands
from warraq.pdf.preflight import check_pdf
from warraq.pdf.profiles import PROFILES
from warraq.starters import KINDS, starter_files


def built(tmp_path, kind, capsys, profiles="print"):
    src, out = tmp_path / f"my-{kind}", tmp_path / "out"
    assert commands.main(["new", kind, str(src)]) == 0
    assert commands.main(["build", str(src), "--out", str(out), "--pdf-profile", profiles,
                          "--check"]) == 0
    captured = capsys.readouterr()
    assert "warning" not in captured.err
    return src, out, captured.out


def plain(element) -> str:
    """An element's text with the typographer's apostrophe made plain again."""
    return "".join(element.itertext()).strip().replace("’", "'")


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_a_starter_builds_clean_with_every_feature(tmp_path, kind, capsys):
    src, out, stdout = built(tmp_path, kind, capsys)
    slug = {"article": "on-keeping-promises", "book": "the-book-of-small-promises"}[kind]
    epub, pdf = out / f"{slug}.epub", out / f"{slug}.pdf"
    assert epubcheck_problems(epub) == []
    report = check_pdf(pdf.read_bytes(), PROFILES["print"])
    assert report.passed and report.pages >= 2
    assert f"{slug}.pdf:" in stdout.splitlines()          # --check printed its report

    markdown = "\n".join(data.decode() for name, data in starter_files(kind).items()
                         if name.endswith(".md"))
    book = Epub(epub)
    docs = book.xhtml_documents().values()
    found = {name: [e for d in docs for e in d.iterfind(path, NS)] for name, path in {
        "invocation": ".//x:div[@class='invocation']",
        "verse": ".//x:blockquote[@class='verse']",
        "verse reference": ".//x:blockquote[@class='verse']//x:cite",
        "attribution": ".//x:blockquote/x:footer[@class='attribution']",
        "footnote": ".//x:aside[@epub:type='footnote']",
        "lettered list": ".//x:ol/x:li/x:ol[@type='a']",
        "dateline": ".//*[@class='dateline']",
    }.items()}
    assert {k: len(v) for k, v in found.items() if not v} == {}
    assert plain(found["verse reference"][0]) in markdown
    attribution = plain(found["attribution"][0])
    assert attribution.lstrip("— ") in markdown and re.search(r"\d{4}$", attribution)
    dateline = plain(found["dateline"][0])
    assert "Written in Leeds" in dateline and " AH" in dateline and " CE" in dateline

    printed = " ".join(Pdf(pdf).page_texts()).replace("’", "'")
    for words in ("Qur'an 17:34", "Hana Idris", "Written in Leeds"):
        assert words in printed, words
