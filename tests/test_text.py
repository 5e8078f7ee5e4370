"""File-name slugs and derived identifiers: an Arabic or other non-Latin title still gets
a readable, distinct file name and identifier (it used to be `book.*` for every one)."""

from __future__ import annotations

from warraq import pipeline
from warraq.model import derived_identifier
from warraq.text import file_slug, romanised


def test_latin_titles_keep_the_slug_they_always_had():
    assert file_slug("Patience and Gratitude: A Reading") == "patience-and-gratitude-a-reading"
    assert file_slug("Élan vital") == "elan-vital"


def test_an_arabic_title_is_romanised_letter_for_letter():
    assert file_slug("جواب سؤال: كاراباخ") == "jwab-sal-karabakh"
    assert file_slug("الصبر والشكر") == "alsbr-walshkr"
    assert romanised("صَبْر") == "sabr"                    # marks written, when given
    assert file_slug("صبر و شکر") == "sbr-w-shkr"            # Persian letters too


def test_a_title_with_nothing_to_spell_gets_a_slug_from_its_identifier(make_source, tmp_path):
    books = []
    for n, title in enumerate(("Περὶ ψυχῆς", "Ἠθικὰ Νικομάχεια")):
        source = make_source({"title": title, "author": "A", "date": "2024-01-01",
                              "contents": ["a.md"]}, {"a.md": "# One\n\nText.\n"})
        books.append(pipeline.prepare(source, None))
        source.rename(tmp_path / f"used-{n}")
    slugs = [b.slug for b in books]
    assert all(s.startswith("book-") and len(s) == 13 for s in slugs)
    assert slugs[0] != slugs[1]


def test_two_arabic_titles_by_one_author_get_two_identifiers():
    assert derived_identifier("الصبر", ()) != derived_identifier("الشكر", ())
    # Latin titles: the identifier a book without one always had.
    assert derived_identifier("Patience", ()) == derived_identifier("patience!", ())
