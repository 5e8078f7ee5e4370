"""The schemas of book.yaml and of a chapter's front matter, and the one machinery that
checks YAML against either.

A `Schema` is a table of `Field`s (key, the attribute of the record it fills, its
documentation, its checker from `warraq.readers.values`), the record type (`Metadata`,
`FrontMatter`) whose dataclass defaults are each key's only default, and the codes it
reports in (book.yaml W101-W113; front matter W300, W301 and W106 for a language tag).
`validate` reports every problem at once, each at its file:line:column, and returns the
values it could read, with the line of each key.

Keys follow Pandoc's metadata names so a Pandoc user moves in without surprises; warraq
adds `contents`, `layout`, `trim`, `paper`, `hijri-date`, `arabic-script-lang` and
`arabicfont` (beside Pandoc's `mainfont`, `sansfont`, `monofont`, `mathfont`, `CJKmainfont`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import yaml

from ..errors import Diagnostics
from ..model import FrontMatter, Metadata
from ..yamlguard import GuardedLoader, node_problems
from . import values as v


class YamlContext:
    """Where checkers report: the file, the number of lines before the YAML text in it,
    and the code each code of the checkers becomes in this schema."""

    def __init__(self, file: str, diags: Diagnostics, line_offset: int = 0,
                 codes: Mapping[str, str] | None = None):
        self.file, self.diags, self.line_offset = file, diags, line_offset
        self.codes = codes or {}

    def error(self, node: yaml.Node, code: str, message: str) -> None:
        self.at(node.start_mark.line + 1, code, message, node.start_mark.column + 1)

    def at(self, line: int | None, code: str, message: str, column: int | None = None) -> None:
        """Report at `line` of the YAML text (1 = its first line)."""
        self.diags.add(self.file, None if line is None else line + self.line_offset,
                       self.codes.get(code, code), message, column=column)


@dataclass(frozen=True)
class Field:
    """One key: `attr` is the attribute of the schema's record it fills; `convert` turns
    the checked value into the attribute's value (keys sharing an attribute add up)."""

    key: str
    attr: str
    doc: str
    parse: v.Checker
    required: bool = False
    #: What the default is, when it is worked out rather than a value of the record.
    default_text: str | None = None
    convert: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Schema:
    """A table of keys, the record they fill, and how this schema reports."""

    name: str
    fields: tuple[Field, ...]
    record: type
    unknown_code: str
    unknown_hint: str
    mapping_hint: str
    codes: Mapping[str, str] = field(default_factory=dict)
    may_be_empty: bool = False
    #: How a message names one of its keys.
    key_name: str = "key"

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)

    def default(self, fld: Field) -> Any:
        """The key's default: the record's dataclass default (None when it has none)."""
        declared = self.record.__dataclass_fields__[fld.attr]
        if declared.default is not dataclasses.MISSING:
            return declared.default
        return None

    def doc(self, fld: Field) -> str:
        """The key's documentation, with its default (from the record) when it has one."""
        default = self.default(fld)
        if fld.default_text:
            return f"{fld.doc} Default: {fld.default_text}"
        if default not in (None, (), ""):
            return f"{fld.doc} Default `{default}`."
        return fld.doc

    def build(self, values: Mapping[str, Any], **extra: Any) -> Any:
        """The record from checked values (absent keys take the record's defaults)."""
        kwargs: dict[str, Any] = {}
        for fld in self.fields:
            if fld.key in values:
                value = fld.convert(values[fld.key]) if fld.convert else values[fld.key]
                kwargs[fld.attr] = kwargs[fld.attr] + value if fld.attr in kwargs else value
        return self.record(**kwargs, **extra)


@dataclass
class Validated:
    """What `validate` could read: checked values and the line of each key, by key."""

    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


def _contents_only(entries: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    return tuple(entry for entry, _line in entries)


_FONT_NAMING = (" A font package: its fontpkg slug (`noto-serif`), `fontpkg-noto-serif`, or "
                "its family name (`Noto Serif`); it must be installed (pinned in pyproject.toml "
                "or, for Debian's, in the Makefile).")
#: The font keys (Pandoc's, and `arabicfont`): each chooses the face of one role.
_FONT_DOCS = {
    "mainfont": "The text face (Latin, Greek, Cyrillic). Default `eb-garamond`." + _FONT_NAMING,
    "sansfont": "The face of text marked `{.sans}`. Default: the text face." + _FONT_NAMING,
    "monofont": "The face of code. Default `source-code-pro`." + _FONT_NAMING,
    "mathfont": "The face of math and of symbols the text face lacks. Default `stix-math` "
                "(Debian's fonts-stix)." + _FONT_NAMING,
    "CJKmainfont": "The face of Chinese, Japanese and Korean. Default `noto-serif-cjk` "
                   "(Debian's fonts-noto-cjk; `noto-sans-cjk` is the sans)." + _FONT_NAMING,
    "arabicfont": "The face of Arabic-script text. Default `amiri`." + _FONT_NAMING,
}


#: The book.yaml schema, in the order the README documents it.
BOOK = Schema("book.yaml", (
    Field("title", "title", "The title (required).", v.text_value("title"), required=True),
    Field("subtitle", "subtitle", "The subtitle.", v.text_value("subtitle")),
    Field("author", "creators", "An author's name, or a list of names (role aut).", v.authors),
    Field("creator", "creators", "A list of `{name|text, role, file-as}` (MARC relator role, "
          "default aut).", v.contributors("creator")),
    Field("contributor", "contributors", "A list of `{name|text, role, file-as}` (default "
          "role ctb).", v.contributors("contributor")),
    Field("lang", "lang", "The book's language, a BCP 47 tag.", v.language),
    Field("date", "date", "Publication date, ISO 8601 (YYYY-MM-DD). Also stamps reproducible "
          "builds.", v.date),
    Field("identifier", "identifier", "A UUID, `urn:isbn:` with a valid check digit, or an "
          "http(s) URL.", v.identifier, default_text="a UUID derived from title and authors."),
    Field("publisher", "publisher", "The publisher.", v.text_value("publisher")),
    Field("rights", "rights", "The rights statement.", v.text_value("rights")),
    Field("description", "description", "A description (also the PDF's Subject).",
          v.text_value("description")),
    Field("subject", "subjects", "A subject, or a list of subjects.", v.text_list("subject")),
    Field("keywords", "keywords", "A keyword, or a list of keywords (PDF Keywords).",
          v.text_list("keywords")),
    Field("belongs-to-collection", "collection", "The series the book or article belongs to.",
          v.text_value("belongs-to-collection")),
    Field("group-position", "group_position", "The position in the series (1, 2, ...).",
          v.position),
    Field("cover-image", "cover_image", "A JPEG or PNG cover, relative to the source folder.",
          v.text_value("cover-image")),
    Field("bibliography", "bibliography", "The bibliography the `[@key]` citations name "
          "(BibTeX .bib, CSL JSON .json or CSL YAML .yaml), relative to the source folder; "
          "the references are a chapter at the end of the book.",
          v.text_value("bibliography")),
    Field("csl", "csl", "The citation style (a CSL .csl file, relative to the source "
          "folder); without it, Chicago author-date.", v.text_value("csl")),
    Field("contents", "contents", "The Markdown (or Word, .docx) files in reading order, "
          "relative to the source folder (required).", v.contents, required=True, convert=_contents_only),
    Field("layout", "layout", "`book` (half-title, title page, copyright, contents) or "
          "`article` (a title block opens the text).", v.one_of("layout", v.LAYOUTS)),
    Field("hijri-date", "hijri_date", "The Hijri date (YYYY-MM-DD, Hijri calendar), when "
          "sighting differs from the computed Umm al-Qura date.", v.hijri_date),
    Field("arabic-script-lang", "script_lang", "The language of Arabic-script runs (ar, fa, "
          "ur, ...).", v.language),
    Field("trim", "trim", "The printed page size: 5x8, 5.25x8, 5.5x8.5, 6x9, A5, royal (156 x "
          "234 mm), A4, letter, or `W x H` in inches or `mm`.", v.trim),
    Field("paper", "paper", "The paper of the printed book, `white` or `cream` (sets the "
          "cover's spine width).", v.one_of("paper", v.PAPERS)),
    Field("digits", "digits", "The digits of an Arabic-script book's furniture (dates, "
          "folios, notes): `arabic-indic` or `western`.", v.one_of("digits", v.DIGITS),
          default_text="`arabic-indic`."),
    Field("conventions", "conventions", "`false` turns off recognising the invocation, "
          "bracketed verses and the closing dateline written without markup.",
          v.flag("conventions")),
    *(Field(key, "fonts", doc, v.font_family(key), convert=lambda pair: (pair,))
      for key, doc in _FONT_DOCS.items()),
), Metadata, unknown_code="W103", unknown_hint="the keys are listed in the README",
    mapping_hint="title, author, contents, ...")

#: The kinds of chapter front matter's `type` names.
CHAPTER_TYPES = ("chapter", "preface", "foreword", "introduction", "prologue", "epilogue",
                 "afterword", "appendix", "conclusion", "acknowledgments", "dedication",
                 "epigraph")

#: A chapter file's front matter: the same checkers, reported as W300 (invalid front
#: matter), W301 (unknown key) and W106 (a language tag, as in book.yaml).
FRONT_MATTER = Schema("front matter", (
    Field("title", "title", "The chapter's title (default: its first heading).",
          v.text_value("title")),
    Field("type", "type", ", ".join(CHAPTER_TYPES) + ".", v.one_of("type", CHAPTER_TYPES)),
    Field("lang", "lang", "The chapter's language, when it differs from the book's.",
          v.language),
), FrontMatter, unknown_code="W301", unknown_hint="use title, type, lang",
    mapping_hint="title, type, lang",
    codes={c: "W300" for c in ("W101", "W102", "W103", "W104", "W105", "W107", "W108", "W109",
                               "W110", "W111", "W112")},
    may_be_empty=True, key_name="front matter key")


class _LineLoader(GuardedLoader):
    """SafeLoader (no arbitrary objects) that keeps nodes so values keep their lines,
    refuses aliases and deep nesting before composing them (`yamlguard`), and keeps
    dates as text (YAML's own timestamp type raises on 2023-13-45: `date` checks them).
    """


def _compose(text: str, ctx: YamlContext) -> tuple[yaml.Node | None, _LineLoader] | None:
    """The YAML's node tree (None for an empty text); None, reported (W101), if it does
    not parse."""
    loader = _LineLoader(text)
    try:
        return loader.get_single_node(), loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        code = getattr(exc, "code", "W101")                  # W114: refused by yamlguard
        ctx.at(mark.line + 1 if mark else 1, code,
               f"YAML syntax: {problem}" if code == "W101" else problem,
               mark.column + 1 if mark else None)
        return None


def _items(node: yaml.MappingNode, loader: _LineLoader, ctx: YamlContext,
           skip: set[int] = frozenset()):
    """(key, value, key node, value node) of each entry of a mapping, duplicates reported;
    a value in `skip` (already reported) is None."""
    seen: set[str] = set()
    for key_node, value_node in node.value:
        if id(value_node) in skip:
            yield str(key_node.value), None, key_node, None
            continue
        try:
            key = str(loader.construct_object(key_node, deep=True))
            value = loader.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            ctx.error(value_node, "W101", f"YAML: {getattr(exc, 'problem', exc)}")
            continue
        if key in seen:
            ctx.error(key_node, "W113", f"`{key}` is given twice: keep one")
            continue
        seen.add(key)
        yield key, value, key_node, value_node


def validate(schema: Schema, text: str, file: str, diags: Diagnostics,
             line_offset: int = 0) -> Validated | None:
    """Check YAML text (after `line_offset` lines of `file`) against `schema`, reporting
    every problem; None when the text is not a mapping at all (reported, unless empty
    and the schema allows it)."""
    ctx = YamlContext(file, diags, line_offset, schema.codes)
    composed = _compose(text, ctx)
    if composed is None:
        return None
    node, loader = composed
    problems, skip = node_problems(node)
    for bad, code, message in problems:
        ctx.error(bad, code, message)
    if node is None and schema.may_be_empty:
        return Validated()
    if not isinstance(node, yaml.MappingNode):
        ctx.at(node.start_mark.line + 1 if node is not None else 1, "W102",
               f"{schema.name} must be a mapping of keys ({schema.mapping_hint}) to values")
        return None
    found = Validated()
    for key, value, key_node, value_node in _items(node, loader, ctx, skip):
        found.lines[key] = key_node.start_mark.line + 1 + ctx.line_offset
        if value_node is None:
            continue
        fld = schema.field(key)
        if fld is None:
            near = [f.key for f in schema.fields if f.key.startswith(key[:3])]
            hint = f" (did you mean `{near[0]}`?)" if near else ""
            ctx.error(key_node, schema.unknown_code, f"unknown {schema.key_name} `{key}`{hint}; "
                      f"{schema.unknown_hint}")
            continue
        parsed = fld.parse(value, value_node, ctx)
        if parsed is not None:
            found.values[key] = parsed
    for fld in schema.fields:
        if fld.required and fld.key not in found.lines:
            ctx.at(1, "W104", f"`{fld.key}` is required: {schema.doc(fld)}")
    return found


@dataclass
class MetadataRead:
    """book.yaml as far as it could be read: `meta` is None when it is no mapping at all
    (a title it lacks is ""); `contents` (entry, line) is None when there is no usable
    contents list; `lines` gives the line of each key."""

    meta: Metadata | None
    contents: tuple[tuple[str, int], ...] | None
    lines: dict[str, int]


def read_metadata(text: str, diags: Diagnostics, file: str = "book.yaml") -> MetadataRead:
    """Check book.yaml, reporting every problem into `diags`, and keep what is usable."""
    found = validate(BOOK, text, file, diags)
    if found is None:
        return MetadataRead(None, None, {})
    values, lines = found.values, found.lines
    if "group-position" in values and "belongs-to-collection" not in values:
        diags.add(file, lines["group-position"], "W109", "`group-position` needs "
                  "`belongs-to-collection` (the series)")
    meta = BOOK.build(values) if "title" in values else BOOK.build(values, title="")
    return MetadataRead(meta, values.get("contents"), lines)


def parse_metadata(text: str, file: str = "book.yaml") -> tuple[Metadata, dict[str, int]]:
    """Check book.yaml and return its `Metadata` and the line of each `contents` entry.

    Raises `SourceError` with every problem found.
    """
    diags = Diagnostics()
    read = read_metadata(text, diags, file)
    diags.raise_if_any()
    return read.meta, dict(read.contents)


#: book.yaml's keys, in the order the README documents them.
FIELDS = BOOK.fields
