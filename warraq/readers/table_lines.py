"""Where a Pandoc Markdown table ends in the source, for the walk that locates what a
chapter holds (`warraq.readers.pandoc_ast`): a table's cells are looked for within its
own lines only.
"""

from __future__ import annotations

import re

#: A line of dashes (a simple or multiline table's rule; `=`, `:`, `+`, `|` allowed).
_RULE = re.compile(r"[ \t]*[-=:+| \t]*-{3,}[-=:+| \t]*")
#: A table's caption, which may stand before it.
_CAPTION = re.compile(r"[ \t]*(?:Table)?:")


def _lines(text: str, pos: int):
    """(start, end, line) of each line from `pos` on (`end` past its line break)."""
    while pos < len(text):
        stop = text.find("\n", pos)
        end = len(text) if stop < 0 else stop + 1
        yield pos, end, text[pos:end].rstrip("\r\n")
        pos = end


def table_end(text: str, pos: int) -> int:
    """Where the table that starts at or after `pos` ends: past its last line (a grid or
    pipe table's lines up to a blank one, as a simple table's; a multiline table's,
    which starts with a line of dashes, up to the line of dashes a blank line follows).
    A caption before it and blank lines are passed over first."""
    lines = _lines(text, pos)
    for start, end, line in lines:
        if line.strip() and not _CAPTION.match(line):
            break
    else:
        return len(text)
    if not (_RULE.fullmatch(line) and not line.lstrip().startswith(("+", "|"))):
        for start, end_, line in lines:         # up to the first blank line
            if not line.strip():
                return start
            end = end_
        return end
    rule_at = None      # (a multiline table: the end of its last rule so far)
    for start, end_, line in lines:
        if not line.strip() and rule_at is not None:
            return rule_at
        rule_at = end_ if _RULE.fullmatch(line) else None
    return rule_at if rule_at is not None else len(text)
