"""How each kind of YAML value is checked: text, lists, language tags, dates,
identifiers, contributors, positions, choices, `contents`, Hijri dates, trim sizes.

Every checker has the signature `(value, node, ctx) -> parsed value or None`: it reports
what is wrong through `ctx.error(node, code, message)` (at the node's line and column)
and returns None, so that one run finds every mistake. The key tables that use them are
in `warraq.readers.schema`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any, Callable, Protocol

import yaml

from ..hijri import hijri_problem
from ..model import Contributor


class Context(Protocol):
    """Where a checker reports (see `warraq.readers.schema.YamlContext`)."""

    def error(self, node: yaml.Node, code: str, message: str) -> None: ...


Checker = Callable[[Any, yaml.Node, Context], Any]

#: MARC relator codes warraq accepts for `role` (the common ones of the book trade).
MARC_RELATORS = {
    "abr": "abridger", "adp": "adapter", "aft": "author of afterword", "ann": "annotator",
    "ant": "bibliographic antecedent", "arr": "arranger", "art": "artist",
    "aud": "author of dialog", "aui": "author of introduction", "aut": "author",
    "bkd": "book designer", "bkp": "book producer", "cmm": "commentator",
    "com": "compiler", "cov": "cover designer", "cre": "creator", "ctb": "contributor",
    "cwt": "commentator for written text", "dsr": "designer", "edt": "editor",
    "edc": "editor of compilation", "fmo": "former owner", "ill": "illustrator",
    "isb": "issuing body", "lyr": "lyricist", "mrk": "markup editor", "nrt": "narrator",
    "oth": "other", "pbd": "publishing director", "pbl": "publisher", "pfr": "proofreader",
    "pht": "photographer", "prf": "performer", "prg": "programmer", "red": "redaktor",
    "rev": "reviewer", "sds": "sound designer", "spn": "sponsor", "trc": "transcriber",
    "trl": "translator", "tyd": "type designer", "tyg": "typographer", "wac":
    "writer of added commentary", "wam": "writer of accompanying material",
    "win": "writer of introduction", "wpr": "writer of preface", "wst":
    "writer of supplementary textual content",
}

LAYOUTS = ("book", "article")
PAPERS = ("white", "cream")

BCP47 = re.compile(
    r"^(?:[a-zA-Z]{2,3}(?:-[a-zA-Z]{3}){0,3}|[a-zA-Z]{4,8})"  # language (+extlang)
    r"(?:-[a-zA-Z]{4})?"                                     # script
    r"(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?"                        # region
    r"(?:-(?:[a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*"        # variants
    r"(?:-[0-9a-wy-zA-WY-Z](?:-[a-zA-Z0-9]{2,8})+)*"         # extensions
    r"(?:-x(?:-[a-zA-Z0-9]{1,8})+)?$"                        # private use
)
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
_HIJRI = re.compile(r"^(\d{1,4})-(\d{1,2})-(\d{1,2})$")


def text_value(key: str) -> Checker:
    def parse(value: Any, node: yaml.Node, ctx: Context) -> str | None:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = str(value).strip()
            if text:
                return text
            ctx.error(node, "W109", f"`{key}` is empty: give it a value or remove the key")
            return None
        ctx.error(node, "W105", f"`{key}` must be a text value, not {_kind(value)}")
        return None
    return parse


def text_list(key: str) -> Checker:
    one = text_value(key)

    def parse(value: Any, node: yaml.Node, ctx: Context) -> tuple[str, ...]:
        if isinstance(value, list):
            items = [one(v, n, ctx) for v, n in zip(value, node.value)]
            return tuple(i for i in items if i)
        item = one(value, node, ctx)
        return (item,) if item else ()
    return parse


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return type(value).__name__


def language(value: Any, node: yaml.Node, ctx: Context) -> str | None:
    text = text_value("lang")(value, node, ctx)
    if text and not BCP47.match(text):
        ctx.error(node, "W106", f"`{text}` is not a BCP 47 language tag (for example `en`, "
                  "`en-GB`, `ar`)")
        return None
    return text


def date(value: Any, node: yaml.Node, ctx: Context) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
        except ValueError:
            pass
    ctx.error(node, "W107", f"`date` must be an ISO 8601 date such as 2023-10-04, not `{value}`")
    return None


def isbn_valid(digits: str) -> bool:
    """True when `digits` (hyphens removed) is an ISBN-10 or ISBN-13 with a valid check digit."""
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        return (10 - total % 10) % 10 == int(digits[12])
    if re.fullmatch(r"\d{9}[\dXx]", digits):
        total = sum((10 - i) * (10 if d in "Xx" else int(d)) for i, d in enumerate(digits))
        return total % 11 == 0
    return False


def identifier(value: Any, node: yaml.Node, ctx: Context) -> str | None:
    text = text_value("identifier")(value, node, ctx)
    if text is None:
        return None
    low = text.lower()
    if low.startswith("urn:isbn:"):
        if isbn_valid(text[9:].replace("-", "").replace(" ", "")):
            return text
        ctx.error(node, "W108", f"`{text}` is not a valid ISBN: check the digits and the "
                  "check digit")
        return None
    try:
        return "urn:uuid:" + str(uuid.UUID(text[9:] if low.startswith("urn:uuid:") else text))
    except ValueError:
        pass
    if _URL.match(text):
        return text
    ctx.error(node, "W108", f"`{text}` is not a UUID, a `urn:isbn:` with a valid check digit, "
              "or an http(s) URL")
    return None


def contributors(key: str) -> Checker:
    def parse(value: Any, node: yaml.Node, ctx: Context) -> tuple[Contributor, ...]:
        values, nodes = (value, node.value) if isinstance(value, list) else ([value], [node])
        out = []
        for v, n in zip(values, nodes):
            if isinstance(v, str) and v.strip():
                out.append(Contributor(v.strip(), "aut" if key == "creator" else "ctb"))
                continue
            if not isinstance(v, dict):
                ctx.error(n, "W110", f"each `{key}` entry is a name or a mapping with `name` "
                          "(or `text`) and `role`")
                continue
            unknown = set(v) - {"name", "text", "role", "file-as"}
            if unknown:
                ctx.error(n, "W110", f"unknown field `{sorted(unknown)[0]}` in `{key}`: use "
                          "`name`, `role` and `file-as`")
            name = v.get("name", v.get("text"))
            if not isinstance(name, str) or not name.strip():
                ctx.error(n, "W110", f"a `{key}` entry needs a `name` (or `text`)")
                continue
            role = v.get("role", "aut" if key == "creator" else "ctb")
            if not isinstance(role, str) or role not in MARC_RELATORS:
                ctx.error(n, "W111", f"`{role}` is not a MARC relator code warraq knows (for "
                          "example aut, edt, trl, ill)")
                continue
            file_as = v.get("file-as")
            out.append(Contributor(name.strip(), role, str(file_as) if file_as else None))
        return tuple(out)
    return parse


def authors(value: Any, node: yaml.Node, ctx: Context) -> tuple[Contributor, ...]:
    return tuple(Contributor(n, "aut") for n in text_list("author")(value, node, ctx))


def position(value: Any, node: yaml.Node, ctx: Context) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.strip().isdigit() and int(value) > 0:
        return int(value)
    ctx.error(node, "W105", "`group-position` must be a whole number from 1 up")
    return None


#: `digits` in book.yaml.
DIGITS = ("arabic-indic", "western")


def flag(key: str) -> Checker:
    def parse(value: Any, node: yaml.Node, ctx: Context) -> bool | None:
        if isinstance(value, bool):
            return value
        ctx.error(node, "W105", f"`{key}` must be `true` or `false`, not `{value}`")
        return None
    return parse


def one_of(key: str, choices: tuple[str, ...]) -> Checker:
    def parse(value: Any, node: yaml.Node, ctx: Context) -> str | None:
        if value in choices:
            return value
        ctx.error(node, "W109", f"`{key}` must be one of {', '.join(choices)}, not `{value}`")
        return None
    return parse


def contents(value: Any, node: yaml.Node, ctx: Context) -> tuple[tuple[str, int], ...] | None:
    if not isinstance(value, list) or not value:
        ctx.error(node, "W105", "`contents` must be a list of Markdown files, in reading order")
        return None
    out = []
    for v, n in zip(value, node.value):
        if not isinstance(v, str) or not v.strip():
            ctx.error(n, "W105", "each `contents` entry is a file name relative to the "
                      "source folder")
            continue
        out.append((v.strip(), n.start_mark.line + 1))
    return tuple(out)


def hijri_date(value: Any, node: yaml.Node, ctx: Context) -> str | None:
    text = text_value("hijri-date")(value, node, ctx)
    m = _HIJRI.match(text or "")
    if text and not m:
        ctx.error(node, "W112", f"`hijri-date` must be year-month-day in the Hijri calendar, "
                  f"such as 1445-03-19, not `{text}`")
        return None
    problem = hijri_problem(*(int(g) for g in m.groups())) if text else None
    if problem:
        ctx.error(node, "W112", f"`hijri-date` `{text}` is not a Hijri date: {problem}")
        return None
    return text


def trim(value: Any, node: yaml.Node, ctx: Context) -> str | None:
    from ..pdf.pagesetup import TRIMS, parse_trim
    text = text_value("trim")(value, node, ctx)
    if text and parse_trim(text) is None:
        ctx.error(node, "W109", f"`trim` must be one of {', '.join(TRIMS)} or a size such as "
                  f"`5.5 x 8.5 in` or `140 x 216 mm` (3 to 14 in a side), not `{text}`")
        return None
    return text


def font_family(key: str) -> Checker:
    """A font key (`mainfont`, `CJKmainfont`, ...): an installed family, named by its slug
    (`noto-serif`), its package (`fontpkg-noto-serif`) or its name (`Noto Serif`)."""
    from ..fonts import FONT_KEYS, installed_slugs, slug_of

    def parse(value: Any, node: yaml.Node, ctx: Context) -> tuple[str, str] | None:
        text = text_value(key)(value, node, ctx)
        if not text:
            return None
        slug = slug_of(text)
        if slug is None:
            ctx.error(node, "W109", f"`{key}`: no installed font package is `{text}` (name a "
                      f"fontpkg-* package pinned in pyproject.toml, or one of "
                      f"{', '.join(installed_slugs())})")
            return None
        return FONT_KEYS[key], slug
    return parse
