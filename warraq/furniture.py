"""A book's furniture in its own language: labels, dates, digits and direction.

The words warraq itself puts in a book (the contents' title, the copyright page, the
landmarks, the notes' labels) come from `STRINGS`, one small table per language; a
language without a table gets English. A right-to-left book (`lang` ar, fa, ur, he,
...) is right to left through and through (`direction`). In an Arabic-script book the
dates are written in its language, Hijri first (`hijri_text`, `gregorian_text`), and
the furniture's digits are Arabic-Indic (Extended Arabic-Indic for Persian and Urdu)
unless book.yaml says `digits: western` (`digits`, `counter_style`).
"""

from __future__ import annotations

import datetime as dt

ENGLISH = {
    "contents": "Contents", "cover": "Cover", "title_page": "Title page",
    "copyright": "Copyright", "start": "Start of content", "landmarks": "Landmarks",
    "page_list": "Pages of the print edition", "notes_to": "Notes to “{title}”",
    "back_to": "Back to reference {label}", "by": "By {names}",
    "first_published": "First published {date}", "by_publisher": " by {publisher}",
    "published_by": "Published by {publisher}.", "published": "Published {date}",
    "volume_sep": ", volume ", "edition": "This edition: EPUB, made {date}",
    "page_source": "; its page numbers are those of the {source}",
    "identifier": "Identifier: {id}", "set_in": "Set in", "and": "and",
    "made_with": "Made with {generator}.", "licence_of": "Licence of {family}",
}
ARABIC = {
    "contents": "المحتويات", "cover": "الغلاف", "title_page": "صفحة العنوان",
    "copyright": "حقوق النشر", "start": "بداية النص", "landmarks": "معالم الكتاب",
    "page_list": "صفحات الطبعة الورقية", "notes_to": "حواشي «{title}»",
    "back_to": "العودة إلى الإحالة {label}", "by": "تأليف {names}",
    "first_published": "الطبعة الأولى {date}", "by_publisher": "، {publisher}",
    "published_by": "الناشر: {publisher}.", "published": "نُشر {date}",
    "volume_sep": "، الجزء ", "edition": "هذه الطبعة: EPUB، صُنعت {date}",
    "page_source": "؛ وأرقام صفحاتها أرقام {source}",
    "identifier": "المعرِّف: {id}", "set_in": "الخطوط:", "and": "و",
    "made_with": "صُنع بـ {generator}.", "licence_of": "رخصة الخط {family}",
}
PERSIAN = {**ARABIC, "contents": "فهرست مطالب", "cover": "جلد", "title_page": "صفحهٔ عنوان",
           "copyright": "حق نشر", "start": "آغاز متن", "by": "نوشتهٔ {names}",
           "notes_to": "یادداشت‌های «{title}»", "set_in": "حروف‌نگاری:"}
URDU = {**ARABIC, "contents": "فہرست", "cover": "سرورق", "title_page": "عنوان کا صفحہ",
        "copyright": "حقِ اشاعت", "start": "متن کا آغاز", "by": "از {names}",
        "notes_to": "«{title}» کے حواشی", "set_in": "خطوط:"}
HEBREW = {**ENGLISH, "contents": "תוכן העניינים", "cover": "כריכה", "title_page": "שער",
          "copyright": "זכויות יוצרים", "start": "תחילת הטקסט", "by": "מאת {names}",
          "identifier": "מזהה: {id}", "set_in": "גופנים:", "and": "ו",
          "notes_to": "הערות ל„{title}”", "licence_of": "רישיון הגופן {family}"}
STRINGS = {"en": ENGLISH, "ar": ARABIC, "fa": PERSIAN, "ur": URDU, "he": HEBREW}

#: MARC relator roles on the copyright page, by language (English: the schema's names).
ROLE_NAMES = {
    "ar": {"aut": "تأليف", "edt": "تحرير", "trl": "ترجمة", "ill": "رسوم", "ctb": "مشاركة"},
}

RTL_LANGS = {"ar", "fa", "ur", "he", "iw", "yi", "ps", "sd", "ug", "ckb", "ks", "dv"}
#: Arabic-script book languages whose dates warraq writes in words of their own.
_HIJRI_MONTHS = ("محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
                 "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة")
_MONTHS = {
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
           "أكتوبر", "نوفمبر", "ديسمبر"),
    "fa": ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر",
           "اکتبر", "نوامبر", "دسامبر"),
    "ur": ("جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر",
           "اکتوبر", "نومبر", "دسمبر"),
}
_ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
_EXTENDED = "۰۱۲۳۴۵۶۷۸۹"


def primary(lang: str) -> str:
    return lang.split("-")[0].lower()


def strings(lang: str) -> dict[str, str]:
    """The furniture's words for a book in `lang` (English when there is no table)."""
    return STRINGS.get(primary(lang), ENGLISH)


#: Smart quotes by language (double open, close, single open, close), for the Markdown.
QUOTES = {"ar": "«»‹›", "fa": "«»‹›", "ur": "«»‹›", "ps": "«»‹›"}


def quotes(lang: str) -> str:
    return QUOTES.get(primary(lang), "“”‘’")


def role_name(lang: str, role: str, english: str) -> str:
    return ROLE_NAMES.get(primary(lang), {}).get(role, english)


def direction(lang: str) -> str:
    """"rtl" for a right-to-left language, else "ltr"."""
    return "rtl" if primary(lang) in RTL_LANGS else "ltr"


def localised_dates(lang: str) -> bool:
    """Whether warraq writes the dates of a book in `lang` in that language."""
    return primary(lang) in _MONTHS


def _digit_set(lang: str, choice: str | None) -> str | None:
    if choice == "western" or not localised_dates(lang):
        return None
    return _EXTENDED if primary(lang) in ("fa", "ur") else _ARABIC_INDIC


def digits(text: str, lang: str, choice: str | None = None) -> str:
    """`text` with its Western digits in the book's digits."""
    chosen = _digit_set(lang, choice)
    if chosen is None:
        return text
    return text.translate({ord("0") + i: chosen[i] for i in range(10)})


def counter_style(lang: str, choice: str | None = None) -> str:
    """The CSS counter style of folios and note numbers."""
    chosen = _digit_set(lang, choice)
    return "decimal" if chosen is None else (
        "persian" if chosen == _EXTENDED else "arabic-indic")


def hijri_text(lang: str, choice: str | None, year: int, month: int, day: int) -> str:
    """`١٠ ذو الحجة ١٤٤٥ هـ`."""
    return digits(f"{day} {_HIJRI_MONTHS[month - 1]} {year} هـ", lang, choice)


def gregorian_text(lang: str, choice: str | None, date: dt.date) -> str:
    """`١٦ يونيو ٢٠٢٤`."""
    months = _MONTHS[primary(lang)]
    return digits(f"{date.day} {months[date.month - 1]} {date.year}", lang, choice)


#: Between the Hijri and the Gregorian date (a middle dot would read as the Arabic zero).
_SEPARATORS = {"ar": " الموافق ", "fa": " برابر با ", "ur": " بمطابق "}


def date_separator(lang: str) -> str:
    return _SEPARATORS.get(primary(lang), " · ")


def era_suffix(lang: str) -> str:
    """What follows a Gregorian date in a dateline: ` CE`, ` م`."""
    return " م" if localised_dates(lang) else " CE"


def pdf_context(book) -> dict:
    """What the print templates need from this module: direction, words, digits, and
    which running head goes on left-hand pages (the verso's: the book's title, on the
    left in a left-to-right book, on the right in a right-to-left one)."""
    from .readers.values import MARC_RELATORS
    meta = book.meta
    rtl = direction(meta.lang) == "rtl"
    return {
        "dir": direction(meta.lang), "rtl": rtl, "t": strings(meta.lang),
        "counter_style": counter_style(meta.lang, meta.digits),
        "contributors": [{"name": p.name, "role_name": role_name(
            meta.lang, p.role, MARC_RELATORS.get(p.role, p.role).capitalize())}
            for p in meta.contributors],
    }
