"""Break opportunities in long runs, for the print layout only.

WeasyPrint breaks a run of characters with no break opportunity that is wider than the
line (`overflow-wrap: break-word`) in time that grows with the square of the run's
length, once for every such run: one 10 000-character word takes seconds, a paragraph of
a hundred 1 000-character words minutes. `break_long_runs` puts a zero-width space
(U+200B, invisible, never drawn) after every `BREAK_EVERY` characters of such a run in
the text of the print edition's HTML, so the layout stays linear in the text's length.
The EPUB keeps the text as written. No break is put next to a letter of a joining script
(Arabic and the like), where a zero-width space would cut the letters' joins. Runs longer
than `yamlguard.MAX_WORD_CHARS` never get here: the loader refuses them (W317).
"""

from __future__ import annotations

import re
import unicodedata

from .xhtml import parse_fragment, serialise_children

#: A run longer than this many characters gets a break opportunity every as many
#: characters: short enough to fit the narrowest column (3 in), long enough for any word.
BREAK_EVERY = 40
_RUN = re.compile("[^ \t\n\r\u1680\u2000-\u2006\u2008-\u200b\u205f\u3000]{%d,}"
                  % (BREAK_EVERY + 1))


def _joins(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("AL", "NSM") or "\u0600" <= char <= "\u08ff"


def _break(run: str) -> str:
    out, since = [], 0
    for i, char in enumerate(run):
        if since >= BREAK_EVERY and not _joins(char) and not _joins(run[i - 1]):
            out.append("\u200b")
            since = 0
        out.append(char)
        since += 1
    return "".join(out)


def break_text(text: str | None) -> str | None:
    return _RUN.sub(lambda m: _break(m.group()), text) if text else text


def break_long_runs(html: str) -> str:
    """`html` (an XHTML fragment) with a break opportunity in each long run of its text
    (never in attributes); unchanged, byte for byte, when it has no long run."""
    if not _RUN.search(html):
        return html
    wrapper = parse_fragment(html)
    for el in wrapper.iter():
        if el is not wrapper:
            el.text, el.tail = break_text(el.text), break_text(el.tail)
    wrapper.text = break_text(wrapper.text)
    return serialise_children(wrapper)
