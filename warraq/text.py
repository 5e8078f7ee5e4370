"""Small text helpers shared by the loader, transforms and writers."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphen-separated; "" when nothing of the text is ASCII."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.encode("ascii", "ignore").decode().lower()
    return _NON_WORD.sub("-", folded).strip("-")[:80].strip("-")


# Arabic-script letters (Arabic, Persian, Urdu) to ASCII, for a file name only: a plain
# letter-for-letter table (the one reading the file name is a person, not a scholar), long
# vowels kept so that كاراباخ reads karabakh; hamza and ʿayn dropped. Short vowels are
# marks, written as vowels when the title has them.
_ARABIC = dict(zip(
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئٱپچژگکیۀہھےٹڈڑںَُِّْٰـًٌٍ",
    "a b t th j h kh d dh r z s sh s d t z _ gh f q k l m n h w y a a _ a i a _ _ a p ch zh g k "
    "y a h h e t d r n a u i _ _ a _ an un in".split()))


def romanised(text: str) -> str:
    """The text with Arabic-script letters spelled in ASCII letters (`_` for none)."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        latin = _ARABIC.get(char)
        out.append(char if latin is None else "" if latin == "_" else latin)
    return "".join(out)


def file_slug(title: str) -> str:
    """The slug of a book's file names: its title as `slugify` gives it, else the title
    romanised (an Arabic title), else "" (the caller names a fallback)."""
    return slugify(title) or slugify(romanised(title))


def xml_id(text: str, fallback: str) -> str:
    """A slug usable as an XML id (starts with a letter)."""
    slug = slugify(text) or fallback
    return slug if slug[0].isalpha() else f"{fallback}-{slug}"
