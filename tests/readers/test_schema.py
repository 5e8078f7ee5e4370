"""warraq.readers.schema: book.yaml and front matter are checked completely, every error
at once, with code and line; each key's default is declared once."""

import datetime as dt

import pytest

from warraq.errors import SourceError
from warraq.readers.schema import BOOK, FIELDS, FRONT_MATTER, parse_metadata
from warraq.readers.values import isbn_valid


def errors(text):
    with pytest.raises(SourceError) as info:
        parse_metadata(text)
    return [(d.code, d.line) for d in info.value.diagnostics]


def test_full_metadata_is_parsed():
    meta, lines = parse_metadata(
        "title: T\nsubtitle: S\nauthor: [A One, B Two]\n"
        "contributor:\n  - {name: C, role: trl}\n  - {text: D, role: edt, file-as: 'D, X'}\n"
        "lang: ar-EG\ndate: 2023-10-04\nidentifier: urn:isbn:9780306406157\n"
        "subject: One\nkeywords: [k1, k2]\nbelongs-to-collection: Ser\ngroup-position: 3\n"
        "layout: article\ncontents:\n  - a.md\n  - b/c.md\n")
    assert meta.title == "T" and meta.subtitle == "S"
    assert meta.authors == ("A One", "B Two")
    assert [(c.name, c.role, c.file_as) for c in meta.contributors] == [
        ("C", "trl", None), ("D", "edt", "D, X")]
    assert meta.lang == "ar-EG" and meta.date == dt.date(2023, 10, 4)
    assert meta.subjects == ("One",) and meta.keywords == ("k1", "k2")
    assert meta.collection == "Ser" and meta.group_position == 3
    assert meta.layout == "article" and meta.contents == ("a.md", "b/c.md")
    assert lines == {"a.md": 16, "b/c.md": 17}


def test_every_error_is_reported_at_once_with_its_line():
    found = errors("title: 5\nlang: 'english language'\ndate: 2023-13-45\n"
                   "identifier: urn:isbn:9780306406158\nlayout: poster\nfrobnicate: 1\n"
                   "contributor:\n  - {name: X, role: zzz}\ngroup-position: 0\n")
    assert ("W106", 2) in found
    assert ("W107", 3) in found
    assert ("W108", 4) in found
    assert ("W109", 5) in found
    assert ("W103", 6) in found
    assert ("W111", 8) in found
    assert ("W105", 9) in found
    assert ("W104", 1) in found            # contents missing
    assert len(found) >= 8


def test_missing_title_and_contents():
    assert sorted(errors("author: X\n")) == [("W104", 1), ("W104", 1)]


@pytest.mark.parametrize("text,code", [
    ("title: [unclosed\n", "W101"),
    ("- a\n- b\n", "W102"),
    ("title: A\ntitle: B\ncontents: [a.md]\n", "W113"),
    ("title: A\ncontents: []\n", "W105"),
    ("title: A\ncontents: [a.md]\nhijri-date: 1445-13-40\n", "W112"),
    ("title: A\ncontents: [a.md]\ngroup-position: 2\n", "W109"),
])
def test_single_errors(text, code):
    assert code in [c for c, _ in errors(text)]


@pytest.mark.parametrize("identifier,ok", [
    ("urn:isbn:978-0-306-40615-7", True),
    ("urn:isbn:0306406152", True),
    ("urn:isbn:0306406153", False),
    ("6b0f4a52-8f1e-4d8e-9a57-3c1d2e0b7a11", True),
    ("urn:uuid:6b0f4a52-8f1e-4d8e-9a57-3c1d2e0b7a11", True),
    ("https://example.org/book/1", True),
    ("just words", False),
])
def test_identifiers(identifier, ok):
    text = f"title: A\ncontents: [a.md]\nidentifier: '{identifier}'\n"
    if ok:
        assert parse_metadata(text)[0].identifier.endswith(identifier.split(":")[-1])
    else:
        assert errors(text) == [("W108", 3)]


def test_isbn_checksums():
    assert isbn_valid("9783161484100")
    assert not isbn_valid("9783161484101")
    assert isbn_valid("080442957X")


def test_default_identifier_is_stable_and_depends_on_title():
    a1 = parse_metadata("title: A\ncontents: [a.md]\n")[0].identifier
    a2 = parse_metadata("title: A\ncontents: [a.md]\n")[0].identifier
    b = parse_metadata("title: B\ncontents: [a.md]\n")[0].identifier
    assert a1 == a2 != b and a1.startswith("urn:uuid:")


def test_every_field_is_documented():
    assert all(f.doc.strip() for f in FIELDS)
    keys = [f.key for f in FIELDS]
    for pandoc_key in ("title", "subtitle", "author", "creator", "contributor", "lang", "date",
                       "identifier", "publisher", "rights", "description", "subject",
                       "belongs-to-collection", "group-position", "cover-image"):
        assert pandoc_key in keys


def test_each_default_is_the_models_and_the_docs_say_it():
    from warraq.model import FrontMatter, Metadata
    meta, _ = parse_metadata("title: A\ncontents: [a.md]\n")
    for field in FIELDS:
        declared = Metadata.__dataclass_fields__[field.attr].default
        if isinstance(declared, str) and declared and field.attr != "identifier":
            assert getattr(meta, field.attr) == declared == BOOK.default(field)
            assert BOOK.doc(field).endswith(f"Default `{declared}`.")
    assert (meta.lang, meta.layout, meta.trim, meta.paper, meta.script_lang) == (
        "en", "book", "6x9", "white", "ar")
    assert BOOK.doc(BOOK.field("identifier")).endswith("a UUID derived from title and authors.")
    assert FRONT_MATTER.default(FRONT_MATTER.field("type")) == FrontMatter().type == "chapter"


def test_the_readme_states_each_default():
    from conftest import ROOT
    rows = {line.split("|")[1].strip(" `"): line for line in
            (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| `")}
    for field in FIELDS:
        default = BOOK.default(field)
        if isinstance(default, str) and default:
            assert f"`{default}`" in rows[field.key] and "efault" in rows[field.key], field.key


def test_group_position_without_a_series_points_at_its_line():
    assert errors("title: A\ncontents: [a.md]\ngroup-position: 2\n") == [("W109", 3)]


def test_errors_of_book_yaml_leave_what_is_usable():
    from warraq.errors import Diagnostics
    from warraq.readers.schema import read_metadata
    diags = Diagnostics()
    read = read_metadata("title: [A, B]\nlang: en_GB\ncontents: [a.md, b.md]\ntrim: 6x9\n",
                         diags)
    assert [(d.code, d.line) for d in diags.items] == [("W105", 1), ("W106", 2)]
    assert read.meta.title == "" and read.meta.lang == "en"
    assert read.contents == (("a.md", 3), ("b.md", 3))
    assert read.lines == {"title": 1, "lang": 2, "contents": 3, "trim": 4}
    assert read_metadata("title: A\ncontents: a.md\n", Diagnostics()).contents is None
    assert read_metadata("- a\n", Diagnostics()).meta is None


@pytest.mark.parametrize("head, expected", [
    ("title: A\ntitle: B\n", [("W113", 3)]),                 # given twice (W113, as in book.yaml)
    ("title: [A, B]\n", [("W300", 2)]),                      # not text
    ("type: novel\n", [("W300", 2)]),
    ("colour: red\n", [("W301", 2)]),
    ("lang: en_GB\n", [("W106", 2)]),
    ("title: [unclosed\n", [("W300", 3)]),                   # YAML syntax
    ("- a list\n", [("W300", 2)]),
    ("\n", []),
])
def test_front_matter_goes_through_the_same_schema(head, expected):
    from warraq.errors import Diagnostics
    from warraq.readers.chapter import front_matter
    diags = Diagnostics()
    front, body, offset = front_matter(f"---\n{head}---\n# A\n", "a.md", diags)
    assert [(d.code, d.line) for d in diags.items] == expected
    assert body == "# A\n" and offset == head.count("\n") + 2


def test_front_matter_values():
    from warraq.errors import Diagnostics
    from warraq.readers.chapter import front_matter
    front, _, _ = front_matter("---\ntitle: ' Opening '\ntype: preface\nlang: ar\n---\nx\n",
                               "a.md", Diagnostics())
    assert (front.title, front.type, front.lang) == ("Opening", "preface", "ar")
