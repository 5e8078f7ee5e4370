"""warraq.readers.table_lines: where each kind of Pandoc Markdown table ends, and a
walk that keeps a table's cells to the table's own lines, so the lines reported after
a table whose spanning cell names text that comes later are the lines written."""

from __future__ import annotations

import pytest

from warraq.readers import read_book
from warraq.readers.table_lines import table_end

GRID = """+-------------+-------+
| Place       | Low   |
+=============+=======+
|             | min   |
| Spanning    +-------+
| rows        | mean  |
+-------------+-------+
"""
PIPE = "| a | b |\n|---|---|\n| 1 | 2 |\n"
SIMPLE = "  Right  Left\n  -----  ----\n     12  ab\n    123  cd\n"
MULTILINE = """-------------------------
 Centred   Left
---------- --------------
   First   a row that
           runs on.

  Second   another.
-------------------------
"""


@pytest.mark.parametrize("table", [GRID, PIPE, SIMPLE, MULTILINE],
                         ids=["grid", "pipe", "simple", "multiline"])
@pytest.mark.parametrize("before", ["", "\n\n", "Table: A caption.\n\n"],
                         ids=["at once", "blank lines", "caption"])
def test_a_table_ends_past_its_last_line(table, before):
    text = "Before.\n\n" + before + table + "\nAfter the table, lo.\n"
    start = len("Before.\n\n")
    assert table_end(text, start) == start + len(before) + len(table)


def test_a_table_at_the_end_of_the_text_ends_there():
    assert table_end(GRID, 0) == len(GRID)
    assert table_end("Text\n\n", 6) == 6


def test_a_spanning_cell_does_not_move_the_lines_after_its_table(make_source):
    """The row that spans others is walked before the rows it spans: its cells' words
    ('min', 'mean') were found in a later table, and a link after it was reported
    there. The link has no `](url` to find (its URL is written as an entity)."""
    later = GRID.replace("Spanning", "Other   ").replace("rows    ", "table   ")
    text = ("# Tables\n\n" + GRID + "\nSome text.\n\n[a link](/&uuml;rl) here.\n\n"
            + later + "\nEnd.\n")
    read = read_book(make_source({"title": "T", "layout": "article",
                                  "contents": ["a.md"]}, {"a.md": text}))
    line = text.split("\n").index("[a link](/&uuml;rl) here.") + 1
    assert [(d.code, d.line) for d in read.diagnostics.items] == [("W307", line)]
