"""Code: highlighted with Pygments, as XHTML either reader (markdown-it or Pandoc) calls.

`highlight(code, language)` gives `<pre class="code"><code class="language-x">` with
one `<span class="line">` a source line and each token a `<span class="tok-...">` of
Pygments' short token classes (`tok-k` keyword, `tok-s` string, `tok-c` comment, ...:
`TOKEN_CLASSES`); the stylesheets colour them (black-only profiles: weight and slant
only). A language Pygments does not know, or none, is set plain, never guessed.

Print cannot reflow code: `print_code(fragment, columns)` rewrites a chapter's code for a
measure of `columns` characters: each line longer than that is split (at the last space
or token boundary that fits, else at the column) and every continuation starts with a
`<span class="wrap-mark">↪</span>`; inline code gets zero-width spaces after `.`, `/`,
`_`, `(`, `,` and the like, so it breaks only between tokens, never inside one.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import lxml.etree as ET
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES, Token
from pygments.util import ClassNotFound

#: The continuation mark that opens each wrapped part of a long printed code line.
WRAP_MARK = "\u21aa"
#: The token classes the stylesheets style (Pygments' short names, `tok-` prefixed).
TOKEN_CLASSES = ("k", "kc", "kd", "kn", "kt", "s", "sa", "sb", "sc", "sd", "s1", "s2", "se",
                 "si", "c", "c1", "cm", "cp", "cs", "ch", "m", "mi", "mf", "mh", "o", "ow",
                 "nb", "nf", "nc", "nd", "ne", "nn", "nt", "na", "bp", "err", "gh", "gu",
                 "gd", "gi")
_BREAK_AFTER = re.compile(r"([./_(,:;=&|\\\-\[{])(?=\S)")
_SAFE_LANGUAGE = re.compile(r"^[A-Za-z0-9_+#.-]{1,40}$")
_PARSER = ET.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@lru_cache(maxsize=64)
def _lexer(language: str):
    if not language or not _SAFE_LANGUAGE.match(language):
        return None
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def _class(ttype) -> str:
    while ttype is not Token and ttype not in STANDARD_TYPES:
        ttype = ttype.parent
    return STANDARD_TYPES.get(ttype, "")


def tokens(code: str, language: str | None) -> list[list[tuple[str, str]]]:
    """The code's lines, each a list of (short token class or "", text)."""
    lexer = _lexer((language or "").lower())
    runs = list(lexer.get_tokens(code)) if lexer else [(Token.Text, code)]
    lines: list[list[tuple[str, str]]] = [[]]
    for ttype, value in runs:
        cls = _class(ttype)
        parts = value.split("\n")
        for n, part in enumerate(parts):
            if n:
                lines.append([])
            if part:
                lines[-1].append((cls, part))
    if lines and not lines[-1] and code.endswith("\n"):
        lines.pop()
    return lines


def _runs_xhtml(runs: list[tuple[str, str]]) -> str:
    return "".join(f'<span class="tok-{cls}">{html.escape(text, quote=False)}</span>'
                   if cls else html.escape(text, quote=False) for cls, text in runs)


def _split(runs: list[tuple[str, str]], columns: int) -> list[list[tuple[str, str]]]:
    """One line's runs cut into parts of at most `columns` characters (the first) and
    `columns - 2` (the others, after the mark and the line's indentation), at a space or
    token boundary if one fits."""
    text = "".join(t for _, t in runs)
    cuts, start, width = [], 0, columns
    while len(text) - start > width:
        window = text[start:start + width]
        cut = max(window.rfind(" "), window.rfind("\t"))
        if cut < width // 2:
            bounds = [m.end() for m in _BREAK_AFTER.finditer(window)]
            cut = bounds[-1] if bounds and bounds[-1] >= width // 2 else width
        else:
            cut += 1
        start += cut
        cuts.append(start)
        width = max(columns - 2, 8)
    parts: list[list[tuple[str, str]]] = [[]]
    pos = 0
    for cls, value in runs:
        while value:
            limit = cuts[len(parts) - 1] if len(parts) - 1 < len(cuts) else None
            take = value if limit is None else value[:max(limit - pos, 0)]
            if take:
                parts[-1].append((cls, take))
                pos += len(take)
                value = value[len(take):]
            if value:
                parts.append([])
    return parts


def highlight(code: str, language: str | None = None, columns: int | None = None) -> str:
    """The code as an XHTML `<pre>`: highlighted if Pygments knows `language`; with
    `columns`, long lines split with a continuation mark (for print)."""
    lexer_known = _lexer((language or "").lower()) is not None
    out = []
    for runs in tokens(code, language):
        text = "".join(t for _, t in runs)
        indent = " " * min(len(text) - len(text.lstrip(" ")), (columns or 0) // 2)
        parts = _split(runs, columns - len(indent)) if columns else [runs]
        body = "".join(
            (f'\n{indent}<span class="wrap-mark" aria-hidden="true">{WRAP_MARK} </span>'
             if n else "") + _runs_xhtml(part) for n, part in enumerate(parts))
        out.append(f'<span class="line">{body}</span>')
    lang_class = f' class="language-{html.escape(language.lower())}"' if lexer_known else ""
    return f'<pre class="code"><code{lang_class}>' + "\n".join(out) + "</code></pre>"


def break_between_tokens(text: str) -> str:
    """Inline code with a zero-width space after each token-ending punctuation mark."""
    return _BREAK_AFTER.sub("\\1\u200b", text)


def _language(code: ET._Element) -> str | None:
    for cls in (code.get("class") or "").split():
        if cls.startswith("language-"):
            return cls[len("language-"):]
    return None


def print_code(root: ET._Element, columns: int) -> None:
    """Rewrite, in place, the code under `root` (an XHTML tree without namespaces) for a
    printed measure of `columns` characters (see the module)."""
    for pre in list(root.iter("pre")):
        code = pre.find("code")
        source = "".join((code if code is not None else pre).itertext())
        source = source.replace(WRAP_MARK + " ", "")
        language = _language(code) if code is not None else None
        new = ET.fromstring(highlight(source, language, columns), _PARSER)
        new.attrib.update({k: v for k, v in pre.attrib.items() if k != "class"})
        new.set("class", " ".join(dict.fromkeys(["code", *(pre.get("class") or "").split()])))
        new.tail = pre.tail
        pre.getparent().replace(pre, new)
    for code in root.iter("code"):
        if any(a.tag == "pre" for a in code.iterancestors()):
            continue
        for el in code.iter():
            if el.text:
                el.text = break_between_tokens(el.text)
            if el is not code and el.tail:
                el.tail = break_between_tokens(el.tail)
