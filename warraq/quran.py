"""Qur'anic references as authors write them, read as (sura, verse).

`parse_reference` reads `[Al-Munafiqun: 4]`, `[Al-Munafiqun 63:4]`, `(Qur'an 14:7)`,
`Surah Ibrahim, 7`, `[المنافقون: ٤]`, `[Al-Baqarah: 255-256]` (a range), and gives a
`VerseRef`; anything else gives None. Sura names come from `warraq.data.suras`, matched
on a skeleton that ignores case, diacritics, hyphens, apostrophes, the article, a final
h and doubled letters (so `Munafiqoon` and `al-Munāfiqūn` are sura 63).
"""

from __future__ import annotations

import re
import unicodedata

from .data.suras import SURAS
from .model import VerseRef

#: Words that stand for the Qur'an itself: then the reference is `sura:verse`.
_QURAN = {"quran", "koran", "q", "qs", "sura", "surah", "surat", "القران", "سوره"}
_ARTICLE = re.compile(r"^(?:a[lnrstdz]|ash|adh|aal)[-\s]+(?=\w)", re.I)
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_REFERENCE = re.compile(
    r"^[\[(﴿]?\s*(?P<name>[^\d\[\]()]*?)\s*[:,،]?\s*(?P<a>\d{1,3})"
    r"(?:\s*[:.]\s*(?P<b>\d{1,3}))?(?:\s*[-–]\s*(?P<c>\d{1,3}))?\s*[\])﴾]?\s*\.?$")


def skeleton(name: str) -> str:
    """The part of a sura's name that spelling variants share."""
    text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", name.strip()))
    text = re.sub(r"^(?:surah?|surat|سورة)\s+", "", text, flags=re.I)
    if any("\u0600" <= ch <= "\u06ff" for ch in text):
        text = text.translate(str.maketrans("أإآٱىة", "اااايه")).replace(" ", "")
        return text[2:] if text.startswith("ال") and len(text) > 3 else text
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch)).lower()
    text = _ARTICLE.sub("", text)
    text = re.sub(r"[^a-z]", "", text)
    for a, b in (("oo", "u"), ("ee", "i"), ("ou", "u")):
        text = text.replace(a, b)
    text = re.sub(r"(.)\1+", r"\1", text)
    return text[:-1] if text.endswith("h") and len(text) > 3 else text


def _index() -> dict[str, int]:
    table: dict[str, int] = {}
    for number, arabic, names in SURAS:
        for name in (arabic, *names):
            table.setdefault(skeleton(name), number)
    return table


_BY_SKELETON = _index()
NAMES = {number: names[0] for number, _arabic, names in SURAS}
ARABIC_NAMES = {number: arabic for number, arabic, _names in SURAS}


def sura_number(name: str) -> int | None:
    """The number of the sura `name` names, or None."""
    return _BY_SKELETON.get(skeleton(name))


def parse_reference(text: str) -> VerseRef | None:
    """The (sura, verse) a short reference gives, or None (see the module)."""
    text = " ".join(text.translate(_DIGITS).replace("\u2019", "'").split())
    m = _REFERENCE.match(text)
    if not m or len(text) > 80:
        return None
    name = m.group("name").strip(" ,،")
    a, b, c = (int(m.group(k)) if m.group(k) else None for k in "abc")
    key = re.sub(r"[^\w\u0600-\u06ff]", "", skeleton(name)) if name else ""
    if key in _QURAN or name.lower().rstrip(".") in _QURAN:
        sura, verse = a, b
    else:
        sura = sura_number(name) if name else None
        if sura is None:
            return None
        if b is not None and a != sura:
            return None
        verse = b if b is not None else a
    if sura is None or verse is None or not 1 <= sura <= 114 or verse < 1:
        return None
    end = c if c is not None and c > verse else None
    return VerseRef(sura=sura, verse=verse, verse_end=end, text=text)
