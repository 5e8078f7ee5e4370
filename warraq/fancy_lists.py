r"""Ordered lists numbered as written: `1.`, `a.`, `A.`, `i.`, `I.` (Pandoc's fancy lists).

CommonMark knows only decimal markers, so lettered sub-points would come out as
paragraphs. The list rule itself is markdown-it-py's, vendored with a few lines changed
in `warraq.vendor.markdown_it_list`; this module is warraq's part: `ordered_marker` reads
an ordered marker and returns the list type with it, so that the `<ol>` gets `type`
(a, A, i, I) and `start` as written.

Rules, as in Pandoc: a list's type is set by its first item (`i.` starts a roman list,
any other single letter an alphabetic one) and later items must use the same type and
delimiter. A new top-level list with an upper-case marker other than `A.` or `I.`
needs two spaces after the dot (so that initials such as "B. Russell" at the start of a line stay
text); write `A\. Smith` to keep a line that starts with "A. " as text.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import isStrSpace
from markdown_it.rules_block.state_block import StateBlock

_MARKER = re.compile(r"(\d{1,9}|[a-zA-Z]|[ivxlcdm]{1,8}|[IVXLCDM]{1,8})([.)])")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def roman_value(text: str) -> int | None:
    """The value of a roman numeral (any case), None when it is not one."""
    total, prev = 0, 0
    for ch in reversed(text.lower()):
        value = _ROMAN.get(ch)
        if value is None:
            return None
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total if total > 0 else None


def ordered_marker(state: StateBlock, line: int, list_type: str | None
                   ) -> tuple[int, int, str]:
    """(position after marker, value, type) of an ordered marker on `line`, or (-1, 0, "").

    `list_type` is the type of the list being continued, or None for a new list.
    """
    start = state.bMarks[line] + state.tShift[line]
    maximum = state.eMarks[line]
    m = _MARKER.match(state.src, start, maximum)
    if not m:
        return -1, 0, ""
    pos = m.end()
    if pos < maximum and not isStrSpace(state.src[pos]):
        return -1, 0, ""
    text = m.group(1)
    if text.isdigit():
        kind, value = "1", int(text)
    else:
        roman = roman_value(text)
        if list_type in ("a", "A") and len(text) == 1:
            kind = "a" if text.islower() else "A"
            value = ord(text.lower()) - 96
        elif roman is not None and (list_type in ("i", "I") or len(text) > 1
                                    or text in "iI"):
            kind, value = ("i" if text.islower() else "I"), roman
        elif len(text) == 1:
            kind = "a" if text.islower() else "A"
            value = ord(text.lower()) - 96
        else:
            return -1, 0, ""
        if (kind in ("A", "I") and m.group(2) == "." and list_type is None and value != 1
                and state.listIndent < 0 and not state.src.startswith("  ", pos)
                and pos < maximum):
            return -1, 0, ""
    if list_type is not None and kind != list_type:
        return -1, 0, ""
    return pos, value, kind
