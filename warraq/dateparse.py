"""Dates as authors write them at the end of an article: a Hijri and a Gregorian date.

`hijri_date("10 Dhul-Hijjah 1445 AH")` gives (1445, 12, 10), `gregorian_date("16 June
2024 CE")` a `datetime.date`; both read the common spellings (Dhu al-Hijja, Zul Hijjah,
Rabi ul Awwal, Rabi II, Ramadhan, ..., June 16, 2024, Jun 2024 is not a date) and the
Arabic names and digits (١٠ ذو الحجة ١٤٤٥ هـ, ١٦ يونيو ٢٠٢٤ م). A line may begin with the
place, followed by a comma (`Leeds, 10 Dhul-Hijjah 1445 AH`): `split_place` takes it off.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .furniture import _HIJRI_MONTHS, _MONTHS
from .transforms.dates import MONTHS

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ARTICLES = {"al", "ul", "il", "el", "us", "as", "ath", "ad", "an", "ar", "az"}
_SINGLE = {"muharam": 1, "safar": 2, "rajab": 7, "shaban": 8, "ramadan": 9, "ramadhan": 9,
           "ramazan": 9, "shawal": 10}
_FIRST = ("awal", "ula", "ola", "uwla")
_SECOND = ("thani", "akhir", "akhar", "sani", "akhr")
_HIJRI = re.compile(r"^(?P<d>\d{1,2})\s+(?P<m>[^\d]+?)\s+(?P<y>\d{3,4})\s*"
                    r"(?:A\.?\s?H\.?|H\.?|هـ|ه)?\s*\.?$", re.I)
_GREG_DMY = re.compile(r"^(?P<d>\d{1,2})\s+(?P<m>[^\d]+?),?\s+(?P<y>\d{4})\s*"
                       r"(?:C\.?\s?E\.?|A\.?\s?D\.?|م)?\s*\.?$", re.I)
_GREG_MDY = re.compile(r"^(?P<m>[^\d]+?)\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})\s*"
                       r"(?:C\.?\s?E\.?|A\.?\s?D\.?)?\s*\.?$", re.I)


def _arabic_key(text: str) -> str:
    text = _MARKS.sub("", text).translate(str.maketrans("أإآٱىة", "اااايه"))
    return text.replace(" ", "").replace("ـ", "")


_ARABIC_HIJRI = {_arabic_key(name): n for n, name in enumerate(_HIJRI_MONTHS, 1)}
_ARABIC_HIJRI.update({_arabic_key("ربيع الثاني"): 4, _arabic_key("جمادى الثانية"): 6,
                      _arabic_key("جمادى الأول"): 5})


def _latin_words(text: str) -> list[str]:
    text = re.sub(r"\bII\b", " thani ", text)
    text = re.sub(r"\bI\b", " awal ", text)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch)).lower()
    text = re.sub(r"['ʿʾ’‘`]", "", text)
    words = []
    for word in re.split(r"[^a-z]+", text):
        word = re.sub(r"(.)\1+", r"\1", word)
        if word and word not in _ARTICLES:
            words.append(word[:-1] if word.endswith("h") and len(word) > 3 else word)
    return words


def hijri_month(name: str) -> int | None:
    """The number (1-12) of a Hijri month as written, or None."""
    if re.search("[\u0600-\u06ff]", name):
        return _ARABIC_HIJRI.get(_arabic_key(name))
    words = _latin_words(name)
    if not words:
        return None
    joined = "".join(words)
    if re.match(r"^(dh|z)[ui]", joined):
        if "hij" in joined:
            return 12
        if re.search(r"q[aie]|ka", joined):
            return 11
        return None
    if joined.startswith("rabi") or joined.startswith(("jumad", "jamad")):
        first = 3 if joined.startswith("rabi") else 5
        rest = joined[4:] if first == 3 else joined[5:]
        if any(w in rest for w in _FIRST):
            return first
        if any(w in rest for w in _SECOND):
            return first + 1
        return None
    return _SINGLE.get(joined)


def _greg_month(name: str) -> int | None:
    if re.search("[\u0600-\u06ff]", name):
        key = _arabic_key(name)
        for table in _MONTHS.values():
            for n, month in enumerate(table, 1):
                if _arabic_key(month) == key:
                    return n
        return None
    low = name.strip().rstrip(".").lower()
    for n, month in enumerate(MONTHS, 1):
        if low == month.lower() or (len(low) >= 3 and month.lower().startswith(low)):
            return n
    return None


def _clean(line: str) -> str:
    return " ".join(line.translate(_DIGITS).split())


def hijri_date(line: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a line that is a Hijri date, or None."""
    m = _HIJRI.match(_clean(line))
    if not m:
        return None
    month = hijri_month(m.group("m"))
    day, year = int(m.group("d")), int(m.group("y"))
    return (year, month, day) if month and 1 <= day <= 30 else None


def gregorian_date(line: str) -> dt.date | None:
    """The date of a line that is a Gregorian date, or None."""
    text = _clean(line)
    m = _GREG_DMY.match(text) or _GREG_MDY.match(text)
    if not m:
        return None
    month = _greg_month(m.group("m"))
    if not month:
        return None
    try:
        return dt.date(int(m.group("y")), month, int(m.group("d")))
    except ValueError:
        return None


def split_place(line: str) -> tuple[str, str]:
    """(place, the rest) of `Leeds, 10 Dhul-Hijjah 1445 AH`; ("", line) without one."""
    head, sep, rest = line.rpartition(",")
    if sep and re.match(r"\s*[\d٠-٩۰-۹]", rest) and not re.search(r"\d", head):
        return head.strip(), rest.strip()
    return "", line.strip()
