"""The import graph keeps the layering of docs/architecture.md, has no cycle, and no module is too long.

Rule: ``spec`` (documents, loader, each family's interface model) <- ``reference_impl`` and
``adapters`` (leaves) <- ``conformance``. ``spec`` imports nothing from the others; ``reference_impl``
nothing from ``adapters`` or ``conformance``; ``adapters`` nothing from ``conformance`` (an adapter may
wrap the reference, as the reference adapters do). Imports are read from the source with ``ast``:
imports inside functions count, ``importlib.import_module("accord...")`` with a literal name counts,
imports under ``if TYPE_CHECKING:`` count for the direction (a type is a dependency too) but not for
cycles (they never run). The last tests run the same check on small fake trees, so a check that
reports nothing cannot pass unnoticed.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"spec": "accord.spec", "reference_impl": "accord.reference", "adapters": "accord.adapters",
           "conformance": "accord.conformance"}
MAY_IMPORT = {
    "accord.spec": {"accord.spec"},
    "accord.reference": {"accord.spec", "accord.reference"},
    "accord.adapters": {"accord.spec", "accord.reference", "accord.adapters"},
    "accord.conformance": {"accord.spec", "accord.reference", "accord.adapters", "accord.conformance"},
}
LIMIT = 500  # lines per source file (the project's standard)
# every text file in the four folders counts, not only Python: meta-schemas, spec documents, assets
TEXT_SUFFIXES = (".py", ".json", ".yaml", ".yml", ".md", ".js", ".css", ".html")


@dataclass
class Import:
    target: str      # dotted name as imported (a project module when it resolves to one)
    line: int
    runs: bool       # False under ``if TYPE_CHECKING:``


@dataclass
class Graph:
    files: dict[str, Path] = field(default_factory=dict)           # module -> file
    imports: dict[str, list[Import]] = field(default_factory=dict)  # module -> its imports of accord.*

    def edges(self) -> dict[str, set[str]]:
        """Project module -> project modules it imports at run time."""
        return {m: {i.target for i in imps if i.runs and i.target in self.files and i.target != m}
                for m, imps in self.imports.items()}


def _module_name(folder: str, path: Path, root: Path) -> str:
    rel = path.relative_to(root / folder).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"] if rel.name == "__init__" else list(rel.parts)
    return ".".join([FOLDERS[folder], *parts])


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path, name: str, known: set[str]) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: list[Import] = []

    def visit(node: ast.AST, runs: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, False)
            for child in node.orelse:
                visit(child, runs)
            return
        if isinstance(node, ast.Import):
            found.extend(Import(a.name, node.lineno, runs) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known]
            targets = subs if len(subs) == len(node.names) else [*subs, base]
            found.extend(Import(t, node.lineno, runs) for t in targets)
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                   or (isinstance(node.func, ast.Name) and node.func.id in ("import_module", "__import__")))):
            found.append(Import(node.args[0].value.partition(":")[0], node.lineno, runs))
        for child in ast.iter_child_nodes(node):
            visit(child, runs)

    visit(tree, True)
    return [i for i in found if i.target == "accord" or i.target.startswith("accord.")]


def scan(root: Path) -> Graph:
    """Every module under the four source folders of ``root`` and its imports of ``accord.*``."""
    graph = Graph()
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*.py")):
            graph.files[_module_name(folder, path, root)] = path
    known = set(graph.files)
    for name, path in graph.files.items():
        graph.imports[name] = _imports(path, name, known)
    return graph


def _layer(module: str) -> str | None:
    return next((p for p in MAY_IMPORT if module == p or module.startswith(p + ".")), None)


def upward_imports(graph: Graph, root: Path) -> list[str]:
    """One line per import that goes against the dependency direction."""
    problems = []
    for name, imps in sorted(graph.imports.items()):
        here = _layer(name)
        for i in imps:
            there = _layer(i.target)
            if there is not None and there not in MAY_IMPORT[here]:
                problems.append(f"{graph.files[name].relative_to(root)}:{i.line}: {here} imports {i.target}")
    return problems


def cycles(graph: Graph) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself), sorted."""
    edges = graph.edges()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(found)


def long_files(graph: Graph, root: Path, limit: int = LIMIT) -> list[str]:
    problems = []
    for path in sorted(graph.files.values()):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            problems.append(f"{path.relative_to(root)}: {lines} lines (> {limit})")
    return problems


def text_files(root: Path) -> list[Path]:
    """Every text file (by suffix) under the four source folders of ``root``."""
    return sorted(p for folder in FOLDERS for p in (root / folder).rglob("*")
                  if p.is_file() and p.suffix in TEXT_SUFFIXES and "__pycache__" not in p.parts)


def long_text_files(root: Path, limit: int = LIMIT) -> list[str]:
    """Text files over the limit; a release's change record (``spec/<family>/changes/<version>.md``) is left
    out: ``accord spec release`` writes it from the diff, one line per change, so its length is the diff's."""
    problems = []
    for path in text_files(root):
        if path.parent.name == "changes" and path.parent.parent.parent.name == "spec":
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            problems.append(f"{path.relative_to(root)}: {lines} lines (> {limit})")
    return problems


@pytest.fixture(scope="module")
def project() -> Graph:
    graph = scan(ROOT)
    # the scan must see the project, or every check below passes on nothing
    assert len(graph.files) > 100, sorted(graph.files)
    assert "accord.conformance.main_job" in graph.edges()["accord.conformance.cli"]
    assert "accord.spec.tensor.wire" in graph.edges()["accord.adapters.tensor.namespace_adapter"]
    return graph


def test_dependency_direction(project: Graph) -> None:
    assert upward_imports(project, ROOT) == []


def test_no_import_cycle(project: Graph) -> None:
    found = cycles(project)
    assert found == [], "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_no_source_file_over_the_limit(project: Graph) -> None:
    assert long_files(project, ROOT) == []


def test_no_text_file_over_the_limit() -> None:
    """Released spec version folders are not exempt: none of their files is over the limit."""
    seen = {p.suffix for p in text_files(ROOT)}
    assert {".py", ".json", ".yaml", ".md", ".js", ".css", ".html"} <= seen, seen  # the scan sees them all
    assert ROOT / "spec" / "meta" / "tensor.function.schema.json" in text_files(ROOT)
    assert long_text_files(ROOT) == []


# ---- the same checks on fake trees: each must report the violation planted in it ---------------------

def _tree(root: Path, files: dict[str, str]) -> Path:
    for folder in FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text))
    return root


BASE = {
    "spec/__init__.py": "",
    "spec/model.py": "X = 1\n",
    "conformance/__init__.py": "",
    "conformance/check.py": "from accord.spec.model import X\n",
    "reference_impl/__init__.py": "",
    "reference_impl/tensor.py": "from accord.spec import model\n",
    "adapters/__init__.py": "",
    "adapters/tensor/__init__.py": "",
    "adapters/tensor/base.py": "from ...spec import model\n",
}


def test_fake_tree_without_violation_is_clean(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**BASE, "conformance/runner.py": "from accord.adapters.tensor import base\n"
                                                              "import accord.reference.tensor\n"})
    graph = scan(root)
    assert upward_imports(graph, root) == [] and cycles(graph) == [] and long_files(graph, root) == []


@pytest.mark.parametrize("source", [
    "from accord.conformance.check import Outcome\n",
    "import accord.conformance.check\n",
    "from accord import conformance\n",
    "def late():\n    from accord.conformance import check\n    return check\n",
    "import importlib\nCHECK = importlib.import_module('accord.conformance.check')\n",
    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from accord.conformance.check import Outcome\n",
])
def test_adapter_importing_conformance_is_reported(tmp_path: Path, source: str) -> None:
    root = _tree(tmp_path, {**BASE, "adapters/tensor/bad.py": source})
    problems = upward_imports(scan(root), root)
    assert len(problems) == 1, problems
    assert problems[0].startswith("adapters/tensor/bad.py:") and "accord.adapters imports accord.conformance" in problems[0]


@pytest.mark.parametrize(("rel", "source", "expected"), [
    ("reference_impl/bad.py", "from accord.adapters.tensor import base\n", "accord.reference imports accord.adapters"),
    ("reference_impl/bad.py", "from .. import conformance\n", "accord.reference imports accord.conformance"),
    ("spec/bad.py", "import accord.reference.tensor\n", "accord.spec imports accord.reference"),
    ("spec/bad.py", "from accord.adapters.tensor.base import *\n", "accord.spec imports accord.adapters"),
])
def test_other_upward_imports_are_reported(tmp_path: Path, rel: str, source: str, expected: str) -> None:
    root = _tree(tmp_path, {**BASE, rel: source})
    problems = upward_imports(scan(root), root)
    assert len(problems) == 1 and problems[0].startswith(f"{rel}:1: {expected}"), problems


def test_cycle_is_reported(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**BASE, "spec/graph.py": "from . import functions\n",
                            "spec/functions.py": "def f():\n    from .graph import G\n    return G\n",
                            "spec/api.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import graph\n",
                            "spec/model.py": "from accord.spec import api\n"})
    assert cycles(scan(root)) == [["accord.spec.functions", "accord.spec.graph"]]  # TYPE_CHECKING never runs


def test_long_file_is_reported(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**BASE, "conformance/big.py": "x = 1\n" * (LIMIT + 1)})
    assert long_files(scan(root), root) == [f"conformance/big.py: {LIMIT + 1} lines (> {LIMIT})"]


@pytest.mark.parametrize("suffix", TEXT_SUFFIXES)
def test_long_text_file_is_reported(tmp_path: Path, suffix: str) -> None:
    root = _tree(tmp_path, {**BASE, f"spec/meta/big{suffix}": "x\n" * (LIMIT + 1),
                            f"spec/meta/fits{suffix}": "x\n" * LIMIT, "spec/meta/big.bin": "x\n" * (LIMIT + 1)})
    assert long_text_files(root) == [f"spec/meta/big{suffix}: {LIMIT + 1} lines (> {LIMIT})"]
