"""warraq.readers.pandoc_json: the same values as the standard library's json, at any
depth."""

from __future__ import annotations

import json

import pytest

from warraq.readers import pandoc_json

AST = {"pandoc-api-version": [1, 23, 1, 1], "meta": {},
       "blocks": [{"t": "Para", "c": [{"t": "Str", "c": "بسم\u00a0الله"},
                                      {"t": "Math", "c": [{"t": "InlineMath"}, "x^2"]}]},
                  {"t": "OrderedList", "c": [[9223372036854775807, {"t": "Decimal"},
                                              {"t": "Period"}], []]},
                  {"t": "Table", "c": [0.25, 1e16, -3, None, True]}]}


def _nested(depth: int):
    value: dict = {"t": "Str", "c": "deep"}
    for _ in range(depth):
        value = {"t": "Div", "c": [["", [], []], [value]]}
    return value


@pytest.mark.parametrize("value", [AST, _nested(150)], ids=["ast", "450 levels"])
def test_what_is_written_reads_back_as_the_standard_library_reads_it(value):
    data = pandoc_json.dumps(value)
    assert isinstance(data, bytes)
    assert pandoc_json.loads(data) == value == json.loads(data)
    assert pandoc_json.loads(json.dumps(value)) == value


def test_bad_json_is_a_value_error():
    with pytest.raises(ValueError):
        pandoc_json.loads(b'{"blocks": [')
