"""warraq.yamlguard: aliases refused before expansion, nesting bounded, and every value
checked at every depth (keys twice, control characters, over-long words)."""

import time

import pytest
import yaml

from warraq.yamlguard import MAX_WORD_CHARS, MAX_YAML_DEPTH, GuardedLoader, Refused, node_problems


def compose(text):
    return GuardedLoader(text).get_single_node()


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",
    "a: &x {k: v}\nb:\n  <<: *x\n",
    "a: &x [1]\n? *x\n: 1\n",
    "".join(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]\n" if n else "l0: &l0 [x]\n"
            for n in range(12)),
])
def test_every_alias_is_refused_at_once(text):
    start = time.monotonic()
    with pytest.raises(Refused) as info:
        compose(text)
    assert info.value.code == "W114" and time.monotonic() - start < 1
    assert info.value.problem_mark.line >= 1


def test_nesting_is_bounded_not_a_stack_overflow():
    compose("a: " + "[" * (MAX_YAML_DEPTH - 2) + "]" * (MAX_YAML_DEPTH - 2))
    for text in ["a: " + "[" * 5000 + "]" * 5000, "a: " + "{b: " * 3000 + "}" * 3000]:
        with pytest.raises(Refused):
            compose(text)


def test_problems_at_every_depth_with_their_lines():
    node = compose("creator:\n  - name: A\n    name: B\ntitle: \"x\\u0007\"\n"
                   "subtitle: " + "w" * (MAX_WORD_CHARS + 1) + "\nok: " + "w" * MAX_WORD_CHARS
                   + "\nx: \"\\ud800\"\n")
    problems, skip = node_problems(node)
    got = sorted((n.start_mark.line + 1, code) for n, code, _ in problems)
    assert got == [(3, "W113"), (4, "W207"), (5, "W317"), (7, "W207")]
    # the bad top-level values are left out; what is kept holds nothing bad any more
    assert len(skip) == 3
    assert [code for _, code, _ in node_problems(node)[0]] == ["W113"]


def test_a_bad_list_item_is_taken_out_of_the_list():
    node = compose('contents: [a.md, "b\\0.md", c.md]\n')
    problems, skip = node_problems(node)
    assert [code for _, code, _ in problems] == ["W207"] and not skip
    assert [n.value for n in node.value[0][1].value] == ["a.md", "c.md"]


def test_dates_stay_text():
    assert yaml.load("d: 2023-13-45", Loader=GuardedLoader) == {"d": "2023-13-45"}
