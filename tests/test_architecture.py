"""The shape of warraq/, read from its source with `ast` (nothing is imported): no import
cycle (imports inside functions included), no function over 80 lines, no module over
400 lines, and no write to `os.environ`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "warraq"
MAX_FUNCTION, MAX_MODULE = 80, 400
#: Not held to the size limits yet, each with its reason (remove an entry once it is fixed).
PENDING_MODULES: dict[str, str] = {}
PENDING_FUNCTIONS: dict[str, str] = {}


def _modules() -> dict[str, Path]:
    """Every module of warraq/ by dotted name (a package by its own name)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _imports(name: str, tree: ast.Module) -> set[str]:
    """The warraq modules `name` imports, anywhere in its source (a `from a import b`
    counts as importing module `a.b` if there is one, else `a`)."""
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                      for a in node.names}
    return {m for m in found if m in MODULES and m != name}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (as a path that ends where it starts), or None."""
    state: dict[str, int] = {}          # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_import_graph_is_read():
    """The graph the cycle test walks is the real one (the walker sees relative imports,
    imports inside functions, `from . import module`)."""
    graph = {name: _imports(name, tree) for name, tree in TREES.items()}
    assert "warraq.pdf.render" in graph["warraq.cover"]          # inside a function
    assert "warraq.pdf.pagemap" in graph["warraq.pdf.writer"]     # from . import pagemap
    assert "warraq.pdf.writer" in graph["warraq.writers"]         # the writer registry
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle():
    graph = {name: _imports(name, tree) for name, tree in TREES.items()}
    assert _cycle(graph) is None


def test_no_module_over_400_lines():
    long = {_rel(p): n for p in MODULES.values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE}
    assert set(long) <= set(PENDING_MODULES), long


def test_no_function_over_80_lines():
    long = {}
    for name, tree in TREES.items():
        path = _rel(MODULES[name])
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = node.end_lineno - node.lineno + 1
                if size > MAX_FUNCTION:
                    long[f"{path}:{node.name}"] = size
    assert set(long) <= set(PENDING_FUNCTIONS), long


def _environ_writes(tree: ast.Module) -> list[int]:
    """Lines that change os.environ: `os.environ[...] = / del`, `os.environ.update /
    setdefault / pop / clear`, `os.putenv`, `os.unsetenv`."""
    def is_environ(node) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
            isinstance(node, ast.Name) and node.id == "environ")
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            lines += [node.lineno for t in targets
                      if isinstance(t, ast.Subscript) and is_environ(t.value)]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            func = node.func
            if func.attr in ("update", "setdefault", "pop", "popitem", "clear") and is_environ(
                    func.value):
                lines.append(node.lineno)
            if func.attr in ("putenv", "unsetenv"):
                lines.append(node.lineno)
    return sorted(lines)


def test_nothing_writes_to_the_environment():
    assert _environ_writes(ast.parse("import os\nos.environ['A'] = '1'\n"
                                     "os.environ.setdefault('B', '2')\nos.putenv('C', '3')\n"
                                     "del os.environ['A']\nos.environ.update(D='4')\n")) == [
        2, 3, 4, 5, 6]
    assert _environ_writes(ast.parse("import os\nx = os.environ.get('A')\n")) == []
    writes = {_rel(MODULES[n]): lines for n, t in TREES.items() if (lines := _environ_writes(t))}
    assert writes == {}


@pytest.mark.parametrize("module", ["warraq.pdf.profiles", "warraq.pdf.pagesetup",
                                    "warraq.pdf.wrapgeometry"])
def test_print_geometry_is_pure_data(module):
    """Profiles, page set-up and wrap geometry import nothing of WeasyPrint (nor pikepdf,
    pydyf): a catalogue or a cost estimate can use them without a renderer."""
    import subprocess
    import sys
    code = (f"import sys; import {module}; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('weasyprint', 'pikepdf', 'pydyf', 'fontTools')))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_every_module_says_what_it_holds():
    undocumented = [_rel(MODULES[n]) for n, t in TREES.items() if not ast.get_docstring(t)]
    assert undocumented == []


def test_only_pdf_render_calls_weasyprint():
    """One place lays out and writes with WeasyPrint: nothing else imports its `HTML` or
    `CSS` or calls `render(...)` / `write_pdf(...)` on a WeasyPrint object, but the
    galley `warraq.pdf.render` lays out through (`warraq.pdf.relayout`, WeasyPrint's
    pagination taken apart), which nothing else imports."""
    callers = set()
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("weasyprint"):
                if {a.name for a in node.names} & {"HTML", "CSS"}:
                    callers.add(name)
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "write_pdf"):
                callers.add(name)
    assert callers == {"warraq.pdf.render", "warraq.pdf.relayout"}
    importers = {name for name, tree in TREES.items() for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and (node.module or "").endswith(
                     "relayout")}
    assert importers == {"warraq.pdf.render"}
