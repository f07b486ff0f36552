"""The house's shape, checked from the source: one-way imports, small modules, no private
names across modules, SQL in one room. These read the code; they run nothing of it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "geomap"
SCRIPTS = [Path(__file__).resolve().parents[1] / d for d in ("scripts", "benchmarks")]
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60
MAX_TOP_LEVEL_MODULES = 10
SQL_MODULE = "geomap.gazetteer.index"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except those only for type checkers."""
    found = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append(child)
            visit(child)

    visit(tree)
    return found


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if MODULES[module].name != "__init__.py":
        base = base[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The geomap modules an import statement loads."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in MODULES]
    source = _resolve(module, node)
    out = [f"{source}.{a.name}" for a in node.names if f"{source}.{a.name}" in MODULES]
    if source in MODULES and len(out) < len(node.names):
        out.append(source)
    return out


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {t for node in _imports(tree) for t in _targets(name, node) if t != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_anywhere_in_the_package() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_nothing_imports_the_command_line() -> None:
    graph = _graph()
    users = sorted(m for m, deps in graph.items() if not m.startswith("geomap.cli")
                   and any(d.startswith("geomap.cli") for d in deps))
    assert users == []


@pytest.mark.parametrize("path", [*MODULES.values(), *(p for d in SCRIPTS for p in d.glob("*.py"))],
                         ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_no_private_name_is_imported_from_another_module(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = [f"{node.module}.{a.name}" for node in _imports(tree)
               if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("geomap")
               for a in node.names if a.name.startswith("_")]
    assert private == []


def test_only_the_index_module_speaks_sql() -> None:
    speakers = sorted(name for name, path in MODULES.items() if name != SQL_MODULE and (
        ".conn" in (text := path.read_text(encoding="utf-8")) or "import sqlite3" in text))
    assert speakers == []


def test_modules_are_small() -> None:
    files = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.js")]
    long = sorted(f"{p.relative_to(PACKAGE)}: {n}" for p in files
                  if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES)
    assert long == []


def test_functions_are_small_or_say_why() -> None:
    long = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = node.end_lineno - node.lineno + 1
                doc = ast.get_docstring(node) or ""
                if size > MAX_FUNCTION_LINES and "long because" not in doc.lower():
                    long.append(f"{name}.{node.name}: {size} lines")
    assert long == []


def test_the_top_of_the_package_stays_small() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_every_module_states_its_job_and_exports() -> None:
    missing = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        has_all = any(isinstance(n, (ast.Assign, ast.AnnAssign)) and any(
            getattr(t, "id", None) == "__all__"
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])) for n in tree.body)
        if not ast.get_docstring(tree) or not has_all:
            missing.append(name)
    assert missing == []
