"""YAML as warraq reads it (book.yaml and front matter): bounded before anything is built.

`GuardedLoader` is PyYAML's SafeLoader (no arbitrary objects) that
- refuses every alias (`*name`, and so `<<: *name` merges) the moment the composer meets
  it, before anything is expanded: nine levels of anchors used as a value or a key would
  otherwise grow to billions of nodes (W114);
- refuses nesting deeper than `MAX_YAML_DEPTH`, which would overflow Python's stack in
  the composer (W114);
- keeps dates as text (YAML's timestamp type raises on 2023-13-45: `date` checks them).

`node_problems` then walks the composed tree once (it is a tree: without aliases no node
is shared) and finds what a value may not hold at any depth: a key given twice (W113),
a control character or lone surrogate (W207), a word longer than `MAX_WORD_CHARS`
(W317).
"""

from __future__ import annotations

import re

import yaml

#: How deep YAML collections may nest. book.yaml needs three (creator: - name:).
MAX_YAML_DEPTH = 32
#: The longest run of characters without a break opportunity warraq typesets. The PDF
#: renderer's line breaking takes time that grows with the square of such a run (10 000
#: characters: 4 s; 100 000: minutes); 1 000 is far past any word or URL of a book.
MAX_WORD_CHARS = 1000

#: Characters XML (so EPUB) cannot hold, and lone surrogates, which no file can.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
#: A run with no break opportunity: anything but spaces, tabs, line ends and the
#: breaking spaces of Unicode (no-break spaces and joiners do not break it).
LONG_RUN = re.compile("[^ \t\n\r\u1680\u2000-\u2006\u2008-\u200b\u205f\u3000]{%d,}"
                      % (MAX_WORD_CHARS + 1))


class Refused(yaml.YAMLError):
    """YAML warraq will not compose (W114), at `problem_mark`."""

    code = "W114"

    def __init__(self, problem: str, mark):
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


class GuardedLoader(yaml.SafeLoader):
    """SafeLoader without aliases, nesting bounded, dates left as text."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise Refused(f"the alias `*{event.anchor}` is not accepted (an alias can make "
                          "a small file expand without bound): write the value out",
                          event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise Refused(f"values nest more than {MAX_YAML_DEPTH} deep: flatten them",
                              self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


GuardedLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def text_problem(text: str) -> tuple[str, str] | None:
    """(code, message) when a text value cannot go into a book, else None."""
    bad = NOT_TEXT.search(text)
    if bad:
        ch = bad.group()
        what = "a lone surrogate (half a character)" if "\ud800" <= ch <= "\udfff" else (
            "the control character")
        return "W207", (f"the value holds {what} U+{ord(ch):04X}, which no book can contain "
                        "(XML forbids it, no font draws it): delete it")
    if LONG_RUN.search(text):
        return "W317", (f"the value holds a word of more than {MAX_WORD_CHARS:,} characters "
                        "with no space, which cannot be typeset in reasonable time: break "
                        "it with spaces")
    return None


def _clean(text: str) -> str:
    """A text with its problems taken out, so later checks see no crash-prone value."""
    text = NOT_TEXT.sub(" ", text)
    return LONG_RUN.sub(lambda m: m.group()[:MAX_WORD_CHARS], text)


def node_problems(root: yaml.Node | None, top_keys: bool = False
                  ) -> tuple[list[tuple[yaml.Node, str, str]], set[int]]:
    """The problems of the tree, as (node, code, message): keys given twice (below the
    top level unless `top_keys`: the schema reports those itself), text values that hold
    a control character, a lone surrogate or an over-long word. And the ids of the
    top-level values to leave out (a bad text value of a key).

    Bad values are taken out so that nothing later trips on them: an item of a list is
    removed, a deeper value has the bad characters replaced (control characters by a
    space, an over-long word cut)."""
    problems: list[tuple[yaml.Node, str, str]] = []
    skip: set[int] = set()
    stack = [(root, 0)] if root is not None else []
    while stack:
        node, depth = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in seen and (depth > 0 or top_keys):
                        problems.append((key_node, "W113",
                                         f"`{key_node.value}` is given twice: keep one"))
                    seen.add(key_node.value)
                if _scalar_problem(value_node, problems) and depth == 0:
                    skip.add(id(value_node))
                stack.append((value_node, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            node.value = [c for c in node.value if not _scalar_problem(c, problems)]
            stack.extend((child, depth + 1) for child in node.value)
    if isinstance(root, yaml.ScalarNode):
        _scalar_problem(root, problems)
    return problems, skip


def _scalar_problem(node: yaml.Node, problems: list) -> bool:
    """Note a text scalar's problem (once) and clean it; True if it had one."""
    if not isinstance(node, yaml.ScalarNode) or not isinstance(node.value, str):
        return False
    problem = text_problem(node.value)
    if problem:
        if not any(n is node for n, _, _ in problems):
            problems.append((node, *problem))
        node.value = _clean(node.value)
    return problem is not None
