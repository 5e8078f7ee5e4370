"""Code, tables and notes in print (issue 10, items 4 and 5): code highlighted by
Pygments in the monospace face, never hyphenated, long lines split with a continuation
mark, black only for black-only profiles; a long word in a table cell and a table too wide
never fail the build; a footnote of several paragraphs stays whole at the foot of the page."""

import subprocess

import lxml.etree as ET
import pikepdf
import pytest

from warraq.highlight import WRAP_MARK, break_between_tokens, highlight, print_code, tokens
from warraq.pipeline import build
from warraq.pdf.profiles import PROFILES

from readback import Pdf

LONG = ("    return sum(n for n in numbers if n > 0) + "
        "some_really_long_function_name(argument_one, argument_two, argument_three)")
CODE_CHAPTER = f"""# Code

Call `numbers.append(value)` or `a_very_long.module_path.to_some.function_name(argument)`
inside a sentence that runs on long enough to fill the line and push the code to its end.

```python
def total(numbers: list[int]) -> int:
    \"\"\"Sum the positive numbers.\"\"\"  # a comment
{LONG}
```

```
plain text, no language: number numbers numbering
```
"""


def test_highlight_classes_tokens_and_keeps_every_character():
    html = highlight("def f(x):\n    return 'a'  # c\n", "python")
    root = ET.fromstring(html)
    assert root.tag == "pre" and root[0].get("class") == "language-python"
    classes = {el.get("class") for el in root.iter("span")}
    assert {"tok-k", "tok-nf", "tok-s1", "tok-c1", "line"} <= classes
    assert "".join(root.itertext()) == "def f(x):\n    return 'a'  # c"


def test_unknown_language_is_plain_and_nothing_is_guessed():
    root = ET.fromstring(highlight("if x then y", "no-such-language"))
    assert root[0].get("class") is None
    assert [el.get("class") for el in root.iter("span")] == ["line"]
    assert tokens("a\nb\n", None) == [[("", "a")], [("", "b")]]


def test_long_lines_split_with_a_mark_at_the_measure():
    root = ET.fromstring(highlight(LONG, "python", columns=40))
    lines = "".join(root.itertext()).split("\n")
    assert len(lines) > 2 and all(len(line) <= 40 for line in lines)
    assert all(line.lstrip().startswith(WRAP_MARK) for line in lines[1:])
    assert "".join(lines).replace(WRAP_MARK + " ", "").replace(" ", "") == LONG.replace(" ", "")


def test_inline_code_breaks_only_after_token_ends():
    assert break_between_tokens("a.b_c(d)") == "a.\u200bb_\u200bc(\u200bd)"
    root = ET.fromstring("<div><p><code>x.y</code></p><pre><code>x.y</code></pre></div>")
    print_code(root, 60)
    assert root.find("p/code").text == "x.\u200by" and "\u200b" not in ET.tostring(
        root.find("pre"), encoding="unicode")


def _text(pdf_path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def code_build(tmp_path_factory):
    from conftest import write_source
    root = tmp_path_factory.mktemp("code")
    src = write_source(root / "src", {"title": "Code", "contents": ["a.md"]},
                       {"a.md": CODE_CHAPTER})
    return build(src, root / "out", formats=("pdf",), profiles=(PROFILES["print"], PROFILES["kdp"]))


def test_printed_code_is_mono_unhyphenated_and_marked(code_build):
    pdf_path = next(p for p in code_build.files if p.name == "code.pdf")
    names = {f["name"] for f in Pdf(pdf_path).fonts()}
    assert any("Source-Code-Pro" in n for n in names), names
    text = _text(pdf_path)
    assert WRAP_MARK in text                                  # the long line was split
    assert "argument_three)" in text
    for word in ("numbers", "numbering", "function_name", "argument"):
        assert not any(line.rstrip().endswith(word[:k] + "-") for line in text.splitlines()
                       for k in range(2, len(word))), word
    assert [w for w in code_build.warnings if "the kdp service prints" not in w] == []


def test_black_only_profiles_print_code_without_colour(code_build):
    """kdp's preflight (colour: K only) passed, and its page stream sets no RGB colour."""
    kdp = next(p for p in code_build.files if p.name == "code.kdp.pdf")
    with pikepdf.open(kdp) as pdf:
        streams = b"".join(page.Contents.read_bytes() for page in pdf.pages)
    assert b" rg" not in streams and b" RG" not in streams


TABLE_CHAPTER = """# Tables

| Term | A long description | Value |
|---|---|---|
| Pneumonoultramicroscopicsilicovolcanoconiosis_and_more_and_more_words | Antidisestablishmentarianism | 42 |

| a | b | c | d | e | f | g | h |
|---|---|---|---|---|---|---|---|
| alpha beta | gamma delta | epsilon | zeta eta theta | iota | kappa lambda | mu nu | https://example.org/a/very/long/path/to/somewhere |

A sentence with a long note.[^long] And the sentence goes on after the call.

[^long]: The first paragraph of the note.

    The second paragraph of the note, which must stay in the note.

    - a list item in the note

    The third paragraph.
"""


def test_tables_never_fail_and_notes_stay_whole_at_the_foot(make_source, tmp_path):
    src = make_source({"title": "Tables", "contents": ["a.md"]}, {"a.md": TABLE_CHAPTER})
    result = build(src, tmp_path / "out", formats=("pdf",), profiles=(PROFILES["ingram"],))
    # the build would have raised W501 had the margins rule failed
    assert [w for w in result.warnings if "service prints" not in w] == []
    pdf_path = next(p for p in result.files if p.suffix == ".pdf")
    pages = [t for t in Pdf(pdf_path).page_texts() if "long note" in t]
    assert len(pages) == 1
    page = pages[0]
    body_end = page.index("goes on after the call")
    for part in ("The first paragraph", "The second paragraph", "a list item in the note",
                 "The third paragraph"):
        assert page.index(part) > body_end, part          # in the note, below the body
    assert page.index("The first") < page.index("The second") < page.index("The third")
    flat = page.replace("\u2010", "").replace("-\n", "").replace("\n", "")
    assert "Pneumonoultramicroscopicsilicovolcanoconiosis" in flat.replace(" ", "")
