"""The book.yaml schema: every key, its type, what it means, and how it is checked.

Keys follow Pandoc's metadata names so a Pandoc user moves in without surprises; warraq
adds `contents`, `layout`, `trim`, `paper`, `hijri-date`, `arabic-script-lang`, `digits`
and `conventions`.
`parse_metadata` checks the whole file and reports every problem at once (each with code
and file:line), then returns an immutable `Metadata`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any, Callable

import yaml

from .errors import Diagnostics, SourceError
from .model import Contributor, Metadata
from .text import slugify

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

_BCP47 = re.compile(
    r"^(?:[a-zA-Z]{2,3}(?:-[a-zA-Z]{3}){0,3}|[a-zA-Z]{4,8})"  # language (+extlang)
    r"(?:-[a-zA-Z]{4})?"                                     # script
    r"(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?"                        # region
    r"(?:-(?:[a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*"        # variants
    r"(?:-[0-9a-wy-zA-WY-Z](?:-[a-zA-Z0-9]{2,8})+)*"         # extensions
    r"(?:-x(?:-[a-zA-Z0-9]{1,8})+)?$"                        # private use
)
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
_HIJRI = re.compile(r"^(\d{3,4})-(\d{1,2})-(\d{1,2})$")


class _Ctx:
    """What a field parser needs: where the file is, and where to report."""

    def __init__(self, file: str, diags: Diagnostics):
        self.file = file
        self.diags = diags

    def error(self, node: yaml.Node, code: str, message: str) -> None:
        self.diags.add(self.file, node.start_mark.line + 1, code, message,
                       column=node.start_mark.column + 1)


@dataclass(frozen=True)
class Field:
    """One key of book.yaml."""

    key: str
    doc: str
    parse: Callable[[Any, yaml.Node, _Ctx], Any]
    required: bool = False


def _str(key: str) -> Callable[[Any, yaml.Node, _Ctx], Any]:
    def parse(value: Any, node: yaml.Node, ctx: _Ctx) -> str | None:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = str(value).strip()
            if text:
                return text
            ctx.error(node, "W109", f"`{key}` is empty: give it a value or remove the key")
            return None
        ctx.error(node, "W105", f"`{key}` must be a text value, not {_kind(value)}")
        return None
    return parse


def _str_list(key: str) -> Callable[[Any, yaml.Node, _Ctx], Any]:
    one = _str(key)

    def parse(value: Any, node: yaml.Node, ctx: _Ctx) -> tuple[str, ...]:
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


def _lang(value: Any, node: yaml.Node, ctx: _Ctx) -> str | None:
    text = _str("lang")(value, node, ctx)
    if text and not _BCP47.match(text):
        ctx.error(node, "W106", f"`{text}` is not a BCP 47 language tag (for example `en`, "
                  "`en-GB`, `ar`)")
        return None
    return text


def _date(value: Any, node: yaml.Node, ctx: _Ctx) -> dt.date | None:
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


def _identifier(value: Any, node: yaml.Node, ctx: _Ctx) -> str | None:
    text = _str("identifier")(value, node, ctx)
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


def _contributors(key: str) -> Callable[[Any, yaml.Node, _Ctx], Any]:
    def parse(value: Any, node: yaml.Node, ctx: _Ctx) -> tuple[Contributor, ...]:
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


def _author(value: Any, node: yaml.Node, ctx: _Ctx) -> tuple[Contributor, ...]:
    return tuple(Contributor(n, "aut") for n in _str_list("author")(value, node, ctx))


def _position(value: Any, node: yaml.Node, ctx: _Ctx) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.strip().isdigit() and int(value) > 0:
        return int(value)
    ctx.error(node, "W105", "`group-position` must be a whole number from 1 up")
    return None


def _one_of(key: str, choices: tuple[str, ...]) -> Callable[[Any, yaml.Node, _Ctx], Any]:
    def parse(value: Any, node: yaml.Node, ctx: _Ctx) -> str | None:
        if value in choices:
            return value
        ctx.error(node, "W109", f"`{key}` must be one of {', '.join(choices)}, not `{value}`")
        return None
    return parse


def _flag(key: str) -> Callable[[Any, yaml.Node, _Ctx], Any]:
    def parse(value: Any, node: yaml.Node, ctx: _Ctx) -> bool | None:
        if isinstance(value, bool):
            return value
        ctx.error(node, "W105", f"`{key}` must be `true` or `false`, not `{value}`")
        return None
    return parse


def _contents(value: Any, node: yaml.Node, ctx: _Ctx) -> tuple[tuple[str, int], ...] | None:
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


def _hijri(value: Any, node: yaml.Node, ctx: _Ctx) -> str | None:
    text = _str("hijri-date")(value, node, ctx)
    m = _HIJRI.match(text or "")
    if text and not (m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 30):
        ctx.error(node, "W112", f"`hijri-date` must be year-month-day in the Hijri calendar, "
                  f"such as 1445-03-19, not `{text}`")
        return None
    return text


def _trim(value: Any, node: yaml.Node, ctx: _Ctx) -> str | None:
    from .pagesetup import TRIMS, parse_trim
    text = _str("trim")(value, node, ctx)
    if text and parse_trim(text) is None:
        ctx.error(node, "W109", f"`trim` must be one of {', '.join(TRIMS)} or a size such as "
                  f"`5.5 x 8.5 in` or `140 x 216 mm` (3 to 14 in a side), not `{text}`")
        return None
    return text


#: The schema, in the order the README documents it.
FIELDS: tuple[Field, ...] = (
    Field("title", "The title (required).", _str("title"), required=True),
    Field("subtitle", "The subtitle.", _str("subtitle")),
    Field("author", "An author's name, or a list of names (role aut).", _author),
    Field("creator", "A list of `{name|text, role, file-as}` (MARC relator role, default aut).",
          _contributors("creator")),
    Field("contributor", "A list of `{name|text, role, file-as}` (default role ctb).",
          _contributors("contributor")),
    Field("lang", "The book's language, a BCP 47 tag (default `en`).", _lang),
    Field("date", "Publication date, ISO 8601 (YYYY-MM-DD). Also stamps reproducible builds.",
          _date),
    Field("identifier", "A UUID, `urn:isbn:` with a valid check digit, or an http(s) URL. "
          "Default: a UUID derived from title and authors.", _identifier),
    Field("publisher", "The publisher.", _str("publisher")),
    Field("rights", "The rights statement.", _str("rights")),
    Field("description", "A description (also the PDF's Subject).", _str("description")),
    Field("subject", "A subject, or a list of subjects.", _str_list("subject")),
    Field("keywords", "A keyword, or a list of keywords (PDF Keywords).", _str_list("keywords")),
    Field("belongs-to-collection", "The series the book or article belongs to.",
          _str("belongs-to-collection")),
    Field("group-position", "The position in the series (1, 2, ...).", _position),
    Field("cover-image", "A JPEG or PNG cover, relative to the source folder.",
          _str("cover-image")),
    Field("contents", "The Markdown files in reading order, relative to the source folder "
          "(required).", _contents, required=True),
    Field("layout", "`book` (half-title, title page, copyright, contents) or `article` "
          "(a title block opens the text). Default `book`.", _one_of("layout", LAYOUTS)),
    Field("hijri-date", "The Hijri date (YYYY-MM-DD, Hijri calendar), when sighting differs "
          "from the computed Umm al-Qura date.", _hijri),
    Field("arabic-script-lang", "The language of Arabic-script runs (ar, fa, ur, ...). "
          "Default `ar`.", _lang),
    Field("trim", "The printed page size: 5x8, 5.25x8, 5.5x8.5, 6x9, A5, royal (156 x 234 "
          "mm), A4, letter, or `W x H` in inches or `mm`. Default 6x9.", _trim),
    Field("paper", "The paper of the printed book, `white` or `cream` (sets the cover's "
          "spine width). Default `white`.", _one_of("paper", PAPERS)),
    Field("digits", "The digits of the book's furniture (dates, folios, notes) in an "
          "Arabic-script book: `arabic-indic` or `western`. Default `arabic-indic`.",
          _one_of("digits", ("arabic-indic", "western"))),
    Field("conventions", "`false` turns off recognising the invocation, bracketed verses "
          "and the closing dateline written without markup. Default `true`.",
          _flag("conventions")),
)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no arbitrary objects) that keeps nodes so values keep their lines.

    Dates stay text (YAML's own timestamp type raises on 2023-13-45): `date` checks them.
    """


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def parse_yaml(text: str, file: str) -> tuple[yaml.Node | None, _LineLoader]:
    """Compose YAML into a node tree; raises `SourceError` W101 on a syntax error."""
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError([_diag(file, mark, "W101", f"YAML syntax: {problem}")]) from None
    return node, loader


def _diag(file: str, mark: Any, code: str, message: str):
    from .errors import Diagnostic
    return Diagnostic(file, mark.line + 1 if mark else None,
                      mark.column + 1 if mark else None, code, message)


def mapping_items(node: yaml.Node, loader: _LineLoader, ctx: _Ctx
                  ) -> list[tuple[str, Any, yaml.Node, yaml.Node]]:
    """The (key, value, key node, value node) pairs of a mapping node, duplicates reported."""
    seen: set[str] = set()
    items = []
    for key_node, value_node in node.value:
        try:
            key = loader.construct_object(key_node, deep=True)
            value = loader.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            ctx.error(value_node, "W101", f"YAML: {getattr(exc, 'problem', exc)}")
            continue
        key = str(key)
        if key in seen:
            ctx.error(key_node, "W113", f"`{key}` is given twice: keep one")
            continue
        seen.add(key)
        items.append((key, value, key_node, value_node))
    return items


def parse_metadata(text: str, file: str = "book.yaml") -> tuple[Metadata, dict[str, int]]:
    """Check book.yaml and return its `Metadata` and the line of each `contents` entry.

    Raises `SourceError` with every problem found.
    """
    diags = Diagnostics()
    ctx = _Ctx(file, diags)
    node, loader = parse_yaml(text, file)
    if node is None or not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else 1
        diags.add(file, line, "W102", "book.yaml must be a mapping of keys (title, author, "
                  "contents, ...) to values")
        diags.raise_if_any()
    values: dict[str, Any] = {}
    present: set[str] = set()
    for key, value, key_node, value_node in mapping_items(node, loader, ctx):
        present.add(key)
        field = FIELDS_BY_KEY.get(key)
        if field is None:
            near = [f.key for f in FIELDS if f.key.startswith(key[:3])]
            hint = f" (did you mean `{near[0]}`?)" if near else ""
            ctx.error(key_node, "W103", f"unknown key `{key}`{hint}; the keys are listed in "
                      "the README")
            continue
        parsed = field.parse(value, value_node, ctx)
        if parsed is not None:
            values[key] = parsed
    for field in FIELDS:
        if field.required and field.key not in present:
            diags.add(file, 1, "W104", f"`{field.key}` is required: {field.doc}")
    if "group-position" in values and "belongs-to-collection" not in values:
        diags.add(file, 1, "W109", "`group-position` needs `belongs-to-collection` (the series)")
    diags.raise_if_any()

    creators = values.get("author", ()) + values.get("creator", ())
    title = values["title"]
    identifier = values.get("identifier") or "urn:uuid:" + str(uuid.uuid5(
        uuid.NAMESPACE_URL, "warraq:" + slugify(title) + ":" + "|".join(c.name for c in creators)))
    contents = values["contents"]
    meta = Metadata(
        title=title,
        subtitle=values.get("subtitle"),
        creators=creators,
        contributors=values.get("contributor", ()),
        lang=values.get("lang", "en"),
        date=values.get("date"),
        identifier=identifier,
        publisher=values.get("publisher"),
        rights=values.get("rights"),
        description=values.get("description"),
        subjects=values.get("subject", ()),
        keywords=values.get("keywords", ()),
        collection=values.get("belongs-to-collection"),
        group_position=values.get("group-position"),
        cover_image=values.get("cover-image"),
        layout=values.get("layout", "book"),
        contents=tuple(c for c, _ in contents),
        hijri_date=values.get("hijri-date"),
        script_lang=values.get("arabic-script-lang", "ar"),
        trim=values.get("trim", "6x9"),
        paper=values.get("paper", "white"),
        digits=values.get("digits"),
        conventions=values.get("conventions", True),
    )
    return meta, {c: line for c, line in contents}


#: Front matter keys of a chapter file.
FRONT_MATTER_KEYS = {
    "title": "The chapter's title (default: its first heading).",
    "type": "chapter, preface, foreword, introduction, prologue, epilogue, afterword, "
            "appendix, conclusion, acknowledgments, dedication, epigraph (default chapter).",
    "lang": "The chapter's language, when it differs from the book's.",
}
CHAPTER_TYPES = ("chapter", "preface", "foreword", "introduction", "prologue", "epilogue",
                 "afterword", "appendix", "conclusion", "acknowledgments", "dedication",
                 "epigraph")
