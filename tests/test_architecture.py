"""ARCHITECTURE.md stays true (issue 21): every path it names exists, every
`file:name` it names is defined there, and the import rules it states hold.
CONTRIBUTING.md's paths are checked too.
Imports are read with ast, as written, not by importing anything."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "usegolib"
ARCHITECTURE = ROOT / "ARCHITECTURE.md"
DOCUMENTS = (ARCHITECTURE, ROOT / "CONTRIBUTING.md")
# A backticked repository path: a folder or a file with an extension we
# keep, optionally followed by :name (a function, class, method, constant).
PATH_REFERENCE = re.compile(
    r"`((?:\.ci|usegolib|go_shim|tests|benchmarks|docs)/[\w./-]*|[\w-]+\.(?:md|py|toml))(?::([\w.]+))?`"
)


def _references(*documents: Path) -> list[tuple[str, str]]:
    found = {ref for doc in documents for ref in PATH_REFERENCE.findall(doc.read_text(encoding="utf-8"))}
    return sorted(found)


def test_architecture_names_paths():
    """The pattern finds what the document names (a test that reads
    nothing would pass)."""
    paths = {path for path, _ in _references(ARCHITECTURE)}
    assert {"usegolib/runtime/loader.py", "go_shim/rt/", "usegolib/builder/"} <= paths
    assert len(paths) > 40


@pytest.mark.parametrize(("path", "name"), _references(*DOCUMENTS))
def test_every_path_the_documents_name_exists(path, name):
    target = ROOT / path
    assert target.exists(), f"ARCHITECTURE.md or CONTRIBUTING.md names {path}, which does not exist"
    if path.endswith("/"):
        assert target.is_dir(), f"{path} is named as a folder"
    if name:
        assert _defines(target, name), f"ARCHITECTURE.md names {path}:{name}, which {path} does not define"


def _defines(path: Path, dotted: str) -> bool:
    """Whether the file defines dotted (`Class.method` or a name)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return _python_defines(ast.parse(text), dotted.split("."))
    name = re.escape(dotted.rsplit(".", maxsplit=1)[-1])
    if path.suffix == ".go":
        return re.search(rf"^func (\([^)]*\) )?{name}\b|^(type|var|const) {name}\b", text, re.M) is not None
    if path.suffix == ".c":
        return re.search(rf"^static [\w *]*\b{name}\(", text, re.M) is not None
    return re.search(rf"\b{name}\b", text) is not None


def _python_defines(scope: ast.AST, names: list[str]) -> bool:
    head, rest = names[0], names[1:]
    for node in ast.iter_child_nodes(scope):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == head:
            return not rest or _python_defines(node, rest)
        if not rest and isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == head for t in targets):
                return True
    return False


# The import graph of usegolib/, from the source.


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(module: str, *, top_level_only: bool = False) -> set[str]:
    """The usegolib modules module imports: at any depth (inside functions
    too) unless top_level_only, leaving out `if TYPE_CHECKING:` blocks,
    which never run."""
    path = MODULES[module]
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8")), top_level_only):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, is_package, node.level, node.module)
            for alias in node.names:  # `from . import x` may import the module x
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {name for name in found if name in MODULES and name != module}


def _runtime_nodes(tree: ast.AST, top_level_only: bool) -> Iterator[ast.AST]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if top_level_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        yield node
        yield from _runtime_nodes(node, top_level_only)


def _absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - (level - 1)]
    return ".".join([*parts, name] if name else parts)


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_is_read():
    """The reader sees real edges, lazy ones included (else the next test
    could not fail)."""
    assert "usegolib.runtime.library" in _imports("usegolib.runtime.loader")
    assert "usegolib.builder.builder" in _imports("usegolib.runtime.locate")  # inside _build
    assert "usegolib.builder.builder" not in _imports("usegolib.runtime.locate", top_level_only=True)
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_usegolib_has_no_import_circles():
    graph = {module: _imports(module) for module in MODULES}
    circles = _circles(graph)
    assert not circles, (
        "import circles in usegolib/ (a lower room imports a higher one; let the higher one attach itself, "
        f"see ARCHITECTURE.md): {circles}"
    )


def test_runtime_imports_the_builder_only_where_it_builds():
    lazy_users = set()
    for module in MODULES:
        if not module.startswith("usegolib.runtime"):
            continue
        top = {m for m in _imports(module, top_level_only=True) if m.startswith("usegolib.builder")}
        assert not top, f"{module} imports {sorted(top)} at module level: loading a built artifact needs no builder"
        if any(m.startswith("usegolib.builder") for m in _imports(module)):
            lazy_users.add(module)
    assert lazy_users == {"usegolib.runtime.locate", "usegolib.runtime.native"}, lazy_users


def test_the_go_shim_requires_no_module():
    go_mod = (ROOT / "go_shim" / "go.mod").read_text(encoding="utf-8")
    assert not re.search(r"^\s*require\b", go_mod, re.M), "go_shim must use the Go standard library only"
