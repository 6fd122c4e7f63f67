"""The shape of the code: one noun per capability in every layer, import contracts, no cycles,
no private names across modules, and a schema that matches its migrations."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from models.base import Base

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("bot", "handlers", "models", "scheduler")
NOUNS = ("registry", "year", "oit", "faq", "notices")
WITH_CHAT_COMMANDS = ("registry", "year", "oit", "faq")  # notices only speak, never listen


def packages_in(folder: str) -> set[str]:
    return {p.parent.name for p in (ROOT / folder).glob("*/__init__.py")}


def product_files() -> list[Path]:
    return [
        path
        for top in PROJECT
        for path in sorted((ROOT / top).rglob("*.py"))
        if "versions" not in path.parts
    ]


def test_each_capability_is_one_package_in_every_layer():
    assert packages_in("models") == {*NOUNS, "queues"}
    assert packages_in("handlers") == set(WITH_CHAT_COMMANDS)
    assert set(NOUNS) <= packages_in("tests")


def test_import_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is in requirements-dev.txt"
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:]


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components with more than one module: each is an import cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    graph = grimp.build_graph(*PROJECT, cache_dir=None)
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    assert strongly_connected(edges) == []


def imports_of(path: Path) -> list[tuple[ast.AST, ast.AST | None]]:
    """Every import statement in a file, with the function it sits in (None at module level)."""
    found = []

    def walk(node: ast.AST, function: ast.AST | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, function))
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            walk(child, inner)

    walk(ast.parse(path.read_text(encoding="utf-8")), None)
    return found


def project_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.ImportFrom):
        modules = [node.module or ""] if node.level == 0 else []
    else:
        modules = [alias.name for alias in node.names]
    return [m for m in modules if m.split(".")[0] in PROJECT]


@pytest.mark.parametrize("folder", [*PROJECT, "tests", "bench"])
def test_no_private_name_is_imported_from_another_module(folder):
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno} {alias.name}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        for node, _ in imports_of(path)
        if isinstance(node, ast.ImportFrom) and project_names(node)
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert offenders == []


def test_project_imports_inside_functions_say_why():
    offenders = []
    for path in product_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node, function in imports_of(path):
            if function is not None and project_names(node) and "#" not in lines[node.lineno - 1]:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_product_code_finds_data_in_one_place_and_never_reads_tests():
    climbing = [
        str(path.relative_to(ROOT))
        for path in product_files()
        if ".parent.parent" in path.read_text(encoding="utf-8")
    ]
    assert climbing == ["models/base.py"]
    readers = [
        str(path.relative_to(ROOT))
        for path in product_files()
        if '"tests"' in path.read_text(encoding="utf-8")
    ]
    assert readers == []


def test_migrations_match_the_tables(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_import_models_only_where_import_linter_does_not_look():
    """models/migrations/ is not a package, so the contracts cannot see it."""
    reaching_up = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted((ROOT / "models" / "migrations").rglob("*.py"))
        for node, _ in imports_of(path)
        if any(name.split(".")[0] != "models" for name in project_names(node))
    ]
    assert reaching_up == []
