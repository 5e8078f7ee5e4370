"""library.yaml, the book folders and the recorded state: every mistake a coded
diagnostic at its line; a state that was tampered with is ignored. (No book is built.)"""

from __future__ import annotations

import json

import pytest

from warraq.cli import main
from warraq.errors import SourceError
from warraq.library.build import LibraryResult, _same_identifiers
from warraq.library.config import LibraryConfig, find_books, parse_config
from warraq.library.state import STATE_FILE, files_intact, load_state, save_state


def _errors(text: str) -> list[str]:
    with pytest.raises(SourceError) as info:
        parse_config(text)
    return [str(d) for d in info.value.diagnostics]


def test_a_good_library_yaml():
    config = parse_config("title: Answers\npublisher: P\nlang: ar\n"
                          "base-url: https://example.org/a\n")
    assert config == LibraryConfig(title="Answers", lang="ar", publisher="P",
                                   base_url="https://example.org/a/")
    assert config.feed_author == "P"


@pytest.mark.parametrize("text, expected", [
    ("publisher: P\n", ["library.yaml:1: error W603: `title` is required: the catalogue's "
                        "title"]),
    ("title: T\ncolour: red\n", ["library.yaml:2: error W602: unknown key `colour`: the keys "
                                 "are title, publisher, author, lang, description, base-url"]),
    ("title: T\nlang: english please\n", ["library.yaml:2: error W604: `lang: english please` "
                                          "is not a BCP 47 language tag (such as `en`, `ar` "
                                          "or `en-GB`)"]),
    ("title: T\n\nbase-url: ftp://x/\n", ["library.yaml:3: error W604: `base-url: ftp://x/` "
                                          "must be an absolute http(s) URL without query or "
                                          "fragment, such as `https://example.org/answers/`"]),
    ("title: [a, b]\n", ["library.yaml:1: error W604: `title` must be text, not a list or "
                         "mapping"]),
    ("title: T\ntitle: U\n", ["library.yaml:2: error W604: `title` is given twice: keep one"]),
    ("- a list\n", ["library.yaml:1: error W601: library.yaml must be a mapping of keys "
                    "(title, publisher, lang, base-url, ...) to values"]),
    ("title: [unclosed\n", ["library.yaml:2:1: error W600: YAML syntax: expected ',' or ']', "
                            "but got '<stream end>'"]),
])
def test_library_yaml_mistakes_are_coded_at_their_line(text, expected):
    assert _errors(text) == expected


def test_book_folders_need_names_that_can_be_addresses(tmp_path):
    (tmp_path / "library.yaml").write_text("title: T\n")
    for name in ("good-one", "bad name", ".hidden"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "book.yaml").write_text("title: x\n")
    (tmp_path / "notes").mkdir()              # no book.yaml: not a book
    with pytest.raises(SourceError) as info:
        find_books(tmp_path)
    assert [d.code for d in info.value.diagnostics] == ["W605"]
    assert info.value.diagnostics[0].file == "bad name"
    (tmp_path / "bad name" / "book.yaml").unlink()
    assert find_books(tmp_path) == [("good-one", tmp_path / "good-one")]


def test_a_library_without_books_and_its_exit_status(tmp_path, capsys):
    (tmp_path / "library.yaml").write_text("title: T\nlang: x y\n")
    assert main([str(tmp_path), "--out", str(tmp_path / "dist")]) == 2
    assert "library.yaml:2: error W604" in capsys.readouterr().err
    (tmp_path / "library.yaml").write_text("title: T\n")
    assert main([str(tmp_path), "--out", str(tmp_path / "dist")]) == 2
    assert "library.yaml: error W606: no book folder in" in capsys.readouterr().err


def _entry(slug, identifier, dist):
    (dist / slug).mkdir(parents=True, exist_ok=True)
    (dist / slug / "a.epub").write_bytes(b"epub of " + slug.encode())
    import hashlib
    data = (dist / slug / "a.epub").read_bytes()
    return {"slug": slug, "identifier": identifier,
            "files": [{"href": f"{slug}/a.epub", "size": len(data),
                       "sha256": hashlib.sha256(data).hexdigest()}]}


def test_state_round_trip_and_tampering(tmp_path):
    books = {"a": {"inputs": "1" * 64, "entry": _entry("a", "urn:x:1", tmp_path)}}
    save_state(tmp_path, books)
    assert load_state(tmp_path) == (books, None)
    assert files_intact(tmp_path, books["a"]["entry"])
    (tmp_path / "a" / "a.epub").write_bytes(b"changed")
    assert not files_intact(tmp_path, books["a"]["entry"])
    path = tmp_path / STATE_FILE
    doc = json.loads(path.read_text())
    doc["books"]["a"]["entry"]["slug"] = "other"          # edited by hand
    path.write_text(json.dumps(doc))
    records, note = load_state(tmp_path)
    assert records == {} and "digest does not match" in note
    path.write_text("{not json")
    assert load_state(tmp_path)[0] == {} and "cannot be read" in load_state(tmp_path)[1]
    path.write_bytes(b"\xff\xfe")
    assert load_state(tmp_path)[0] == {}
    escape = {"a": {"inputs": "1", "entry": {"files": [{"href": "../../etc/passwd",
                                                        "size": 1, "sha256": "0"}]}}}
    save_state(tmp_path, escape)
    assert not files_intact(tmp_path, load_state(tmp_path)[0]["a"]["entry"])


def test_two_books_with_one_identifier(tmp_path):
    records = {slug: {"inputs": "x", "entry": _entry(slug, ident, tmp_path)}
               for slug, ident in (("b-second", "urn:same"), ("a-first", "urn:same"),
                                   ("c-own", "urn:other"))}
    result = LibraryResult(LibraryConfig(title="T"), built=["a-first", "b-second", "c-own"])
    assert _same_identifiers(records, result) == {"b-second"}
    assert list(result.failed) == ["b-second"] and result.built == ["a-first", "c-own"]
    assert result.failed["b-second"][0].startswith("b-second/book.yaml: error W608: ")
    assert records["b-second"]["inputs"] == "failed"


def test_library_yaml_aliases_are_refused_before_expansion():
    """An alias bomb in library.yaml is refused at its first alias (W114), as in book.yaml."""
    import pytest as _pytest
    from warraq.errors import SourceError as _SourceError
    from warraq.library.config import parse_config as _parse
    bomb = "title: L\nx:\n" + "".join(
        f"  l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]\n" if n else "  l0: &l0 [x]\n"
        for n in range(9))
    with _pytest.raises(_SourceError) as info:
        _parse(bomb)
    assert [(d.code, d.line) for d in info.value.diagnostics] == [("W114", 4)]
