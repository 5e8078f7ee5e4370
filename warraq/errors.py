"""Diagnostics: every error a user can cause, with a stable code and a place.

A `Diagnostic` names a code from `CODES`, the file, line and column, and one sentence
saying what to change. Code that checks the source collects diagnostics in a
`Diagnostics` list and raises `SourceError` once, with all of them, so the author sees
every mistake in one run, in file order (book.yaml, then the chapters in reading order)
and by line within a file. `build.py` maps `SourceError` to exit status 2 and anything
else to 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

#: Every code warraq can report, with what it means. Codes are stable: never reuse one.
CODES: dict[str, str] = {
    # book.yaml
    "W100": "book.yaml is missing",
    "W101": "book.yaml is not valid YAML",
    "W102": "book.yaml is not a mapping of keys to values",
    "W103": "unknown key in book.yaml",
    "W104": "required key missing from book.yaml",
    "W105": "value has the wrong type",
    "W106": "invalid language tag (BCP 47)",
    "W107": "invalid date (ISO 8601)",
    "W108": "invalid identifier (UUID, urn:isbn with a valid check digit, or URL)",
    "W109": "invalid value for this key",
    "W110": "invalid contributor",
    "W111": "unknown MARC relator role",
    "W112": "invalid Hijri date",
    "W113": "a key is given twice",
    "W114": "a YAML alias, or YAML nested too deeply (refused before it is expanded)",
    "W115": "SOURCE_DATE_EPOCH is not a whole number of seconds from 1970 to the year 9999",
    # contents and files
    "W200": "a contents entry names a file that does not exist",
    "W201": "a contents entry is listed twice",
    "W202": "a path leads outside the source folder",
    "W203": "a file is not UTF-8 text",
    "W204": "a contents entry is not a Markdown or Word file",
    "W205": "the cover image is missing or unusable",
    "W206": "a file cannot be read",
    "W207": "a file holds a control character or noncharacter that no book can contain",
    "W208": "a path is not a usable file name (NUL byte, a name over 255 bytes)",
    # a volume's contents (book folders of its library)
    "W209": "a volume names book folders but is in no library",
    "W210": "a volume's entry leads outside its library",
    "W211": "a volume's entry is not an article of the library (no book, itself, a volume)",
    # Markdown
    "W300": "invalid front matter",
    "W301": "unknown key in front matter",
    "W302": "a chapter is empty",
    "W303": "a chapter has no heading and no title",
    "W304": "a footnote is referenced but never defined",
    "W305": "a footnote is defined but never referenced",
    "W306": "an image is missing or not an image",
    "W307": "a link or image points outside the book",
    "W308": "raw HTML was refused",
    "W309": "an image has no alternative text",
    "W310": "a paragraph is too long to typeset",
    "W311": "an SVG image that cannot be read as SVG (not XML, no <svg> root)",
    "W312": "lists, quotations or HTML are nested too deeply",
    "W313": "a link names no heading, id or chapter of the book",
    "W314": "an id is used twice in the book",
    "W315": "a footnote holds another footnote",
    "W316": "warning: the closing dates are not the book's date",
    "W317": "a word (a run of characters with no space) is too long to typeset",
    "W318": "a citation names no entry of the bibliography",
    "W319": "the bibliography or the CSL style cannot be read",
    # fonts and glyphs
    "W400": "a character has no glyph in any font",
    # output
    "W500": "an output cannot be written",
    "W501": "the written file failed its check",
    "W502": "an outside converter (calibre's ebook-convert, for azw3) is missing or failed",
    # library.yaml and the library's books
    "W600": "library.yaml is missing, unreadable or not valid YAML",
    "W601": "library.yaml is not a mapping of keys to values",
    "W602": "unknown key in library.yaml",
    "W603": "required key missing from library.yaml",
    "W604": "invalid value in library.yaml",
    "W605": "a book folder's name cannot be its address in the catalogue",
    "W606": "the library holds no book folder",
    "W607": "the Dask scheduler cannot be reached",
    "W608": "two books of the library have the same identifier",
}


#: Characters a message never prints as they are: controls (a newline would start a
#: forged `file:line: error` line), bidi controls (an override reorders what follows),
#: line and paragraph separators, spaces other than the space (a value of one no-break
#: space would print as ` `), and lone surrogates (no terminal can print them).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
                     "\ud800-\udfff\ufeff\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
#: A value quoted in a message (between backticks) is shown up to this many characters.
MAX_SHOWN = 80
#: No message is longer than this many characters.
MAX_MESSAGE = 300
_QUOTED = re.compile(r"`[^`]*`")


def escaped(text: str) -> str:
    """`text` with every unsafe character written as an escape (`\\n`, `\\u202e`)."""
    def esc(m: re.Match) -> str:
        ch = m.group()
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, f"\\u{ord(ch):04x}")
    return _UNSAFE.sub(esc, text)


def shown(text: str, limit: int = MAX_SHOWN) -> str:
    """A value as a message shows it: escaped, and cut in the middle past `limit`."""
    text = escaped(text)
    return text if len(text) <= limit else text[: limit - 15] + "…" + text[-14:]


def safe_message(message: str) -> str:
    """The message as printed: each quoted value escaped and shortened, the whole escaped
    and at most `MAX_MESSAGE` characters, so a source can neither forge nor hide a line."""
    message = _QUOTED.sub(lambda m: "`" + shown(m.group()[1:-1]) + "`", message)
    message = escaped(message)
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in the source, at one place."""

    file: str
    line: int | None
    column: int | None
    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered diagnostic code {self.code}")

    def location(self) -> str:
        where = shown(self.file, 120)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        return f"{self.location()}: error {self.code}: {safe_message(self.message)}"


#: At most this many diagnostics are kept and shown; the rest are counted.
LIMIT = 100


@dataclass
class Diagnostics:
    """A collector: checks add to it, then `raise_if_any` stops the build once.

    Past `limit` diagnostics are only counted (`more`), so a file full of the same
    mistake gives a readable report rather than thousands of lines.
    """

    items: list[Diagnostic] = field(default_factory=list)
    limit: int = LIMIT
    more: int = 0
    #: The files in the order a report lists them (book.yaml, then the chapters in
    #: reading order); files not named here follow, by name.
    order: list[str] = field(default_factory=list)
    #: Sentences said after the diagnostics (for example, what could not be checked).
    notes: list[str] = field(default_factory=list)

    def add(self, file: str | Path, line: int | None, code: str, message: str,
            column: int | None = None) -> None:
        self._keep(Diagnostic(str(file), line, column, code, message))

    def _keep(self, diag: Diagnostic) -> None:
        if diag in self.items:
            return
        if len(self.items) < self.limit:
            self.items.append(diag)
        else:
            self.more += 1

    def extend(self, other: "Diagnostics | SourceError") -> None:
        items = other.diagnostics if isinstance(other, SourceError) else other.items
        for d in items:
            self._keep(d)
        self.more += other.more
        self.notes += [n for n in other.notes if n not in self.notes]

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise SourceError(list(self.items), more=self.more, order=self.order,
                              notes=self.notes)


class WarraqError(Exception):
    """Base of every error warraq raises on purpose."""


class SourceError(WarraqError):
    """The source is wrong: carries every diagnostic found (exit status 2)."""

    def __init__(self, diagnostics: list[Diagnostic], more: int = 0,
                 order: list[str] | tuple[str, ...] = (), notes: list[str] | tuple[str, ...] = ()):
        rank: dict[str, int] = {}
        for name in order:
            rank.setdefault(name, len(rank))
        self.diagnostics = sorted(diagnostics, key=lambda d: (
            rank.get(d.file, len(rank)), d.file, d.line or 0, d.column or 0))
        #: How many more diagnostics were found past the limit (counted, not kept).
        self.more = more
        #: Sentences said after the diagnostics (what could not be checked, and why).
        self.notes = list(notes)
        #: True when outputs were already replaced as the error struck (see
        #: `output.partly_written`); then the report does not say "nothing was written".
        self.partly_written = False
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self):
        """Pickled whole (a build's worker process hands its errors back this way)."""
        return (SourceError, (self.diagnostics, self.more,
                              [d.file for d in self.diagnostics], self.notes))

    def report(self) -> list[str]:
        """The lines the command line prints: one per diagnostic, then a summary."""
        lines = [str(d) for d in self.diagnostics] + list(self.notes)
        if self.more:
            lines.append(f"... and {self.more} more error{'s' if self.more != 1 else ''} "
                         "not shown: fix these first")
        n = len(self.diagnostics) + self.more
        if self.partly_written:
            lines.append(f"{n} error{'s' if n != 1 else ''}: some outputs were replaced, not "
                         "all; the next build into this folder completes them.")
        else:
            lines.append(f"{n} error{'s' if n != 1 else ''}: nothing was written.")
        return lines


def source_error(file: str | Path, line: int | None, code: str, message: str,
                 column: int | None = None) -> SourceError:
    """A `SourceError` with a single diagnostic."""
    return SourceError([Diagnostic(str(file), line, column, code, message)])


def warning(file: str | Path, line: int | None, code: str, message: str) -> str:
    """A warning, as the build prints it (`file:line: W316: message`, escaped and shortened
    like an error's): the build goes on."""
    if code not in CODES:
        raise ValueError(f"unregistered diagnostic code {code}")
    where = shown(str(file), 120) + (f":{line}" if line is not None else "")
    return f"{where}: {code}: {safe_message(message)}"
