"""warraq/vendor/: each vendored module still matches the upstream it names, and differs
from it only on lines marked `# warraq:`."""

from __future__ import annotations

import difflib
import hashlib
import importlib
import inspect
from pathlib import Path

import pytest

from warraq.vendor import markdown_it_list

VENDORED = [markdown_it_list]
MARK = "# warraq:"


def upstream_text(module) -> str:
    """The source of the installed upstream module the vendored one was copied from."""
    return Path(inspect.getsourcefile(importlib.import_module(module.UPSTREAM_MODULE))
                ).read_text(encoding="utf-8")


def copied_part(text: str, first_line: str) -> list[str]:
    """The lines from `first_line` (the start of the copied code) to the end."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(first_line)]
    assert len(starts) == 1, f"{first_line!r} found {len(starts)} times"
    return lines[starts[0]:]


def unmarked_changes(upstream: list[str], vendored: list[str]) -> list[str]:
    """Each change from `upstream` to `vendored` that carries no `# warraq:` line."""
    matcher = difflib.SequenceMatcher(a=upstream, b=vendored, autojunk=False)
    faults = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal" and not any(MARK in line for line in vendored[b1:b2]):
            faults.append(f"upstream lines {a1 + 1}-{a2} became {vendored[b1:b2]!r}")
    return faults


@pytest.mark.parametrize("module", VENDORED, ids=lambda m: m.__name__)
def test_installed_upstream_is_the_vendored_version(module):
    digest = hashlib.sha256(upstream_text(module).encode("utf-8")).hexdigest()
    assert digest == module.UPSTREAM_SHA256, (
        f"{module.UPSTREAM_MODULE} (installed {module.UPSTREAM}) is not the file "
        f"{module.__name__} was copied from ({module.UPSTREAM} {module.UPSTREAM_VERSION}, "
        f"sha256 {module.UPSTREAM_SHA256}): upstream changed. Compare the two, carry "
        "upstream's fixes into the vendored copy (keeping the `# warraq:` lines), then "
        "record the new version and sha256 in its header.")


@pytest.mark.parametrize("module", VENDORED, ids=lambda m: m.__name__)
def test_every_change_from_upstream_is_marked(module):
    upstream = upstream_text(module)
    if hashlib.sha256(upstream.encode("utf-8")).hexdigest() != module.UPSTREAM_SHA256:
        pytest.skip("another upstream version is installed (see the test above)")
    vendored = copied_part(Path(module.__file__).read_text(encoding="utf-8"),
                           module.COPIED_FROM)
    faults = unmarked_changes(copied_part(upstream, module.COPIED_FROM), vendored)
    assert not faults, "unmarked changes from upstream:\n" + "\n".join(faults)
    assert sum(MARK in line for line in vendored) >= 1


def test_an_unmarked_change_is_found():
    upstream = ["def f():", "    a = 1", "    return a"]
    assert unmarked_changes(upstream, ["def f():", "    a = 2", "    return a"])
    assert unmarked_changes(upstream, ["def f():", "    return a"])
    assert not unmarked_changes(upstream, ["def f():", "    a = 2  # warraq: two",
                                           "    return a"])
    assert not unmarked_changes(upstream, ["def f():", "    # warraq: no a", "    return a"])


def test_vendored_rule_is_the_one_markdown_uses():
    from warraq import markdown
    assert markdown.list_block is markdown_it_list.list_block
    assert markdown_it_list.__doc__ and MARK in markdown_it_list.__doc__


def test_licence_of_each_upstream_sits_beside_it():
    for module in VENDORED:
        licence = Path(module.__file__).with_name(f"LICENSE.{module.UPSTREAM}")
        text = licence.read_text(encoding="utf-8")
        assert "Copyright (c) 2020 ExecutableBookProject" in text
        assert "Permission is hereby granted" in text
