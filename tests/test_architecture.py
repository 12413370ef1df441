"""The shape of the code: packages in layers, no import cycles, nothing heavy on import.

The layer order is declared here, once; the README's layout follows it. A module may import
modules of its own package and of lower layers, never of a higher layer or of another package
in the same layer.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "policygraph"

LAYERS: list[set[str]] = [
    {"problems", "errors", "resources", "testhook"},
    {"records"},
    {"graph", "ingest"},
    {"backends"},
    {"networks", "outfolder"},
    {"views", "build", "synth", "site"},
    {"serve"},
    {"cli"},
    {"__main__"},
]
RANK = {part: n for n, layer in enumerate(LAYERS) for part in layer}
HEAVY = ("numpy", "scipy", "networkx", "pyvis", "jinja2", "rdflib", "pyshacl", "pandas")


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, bool]]:
    """Each policygraph module ``path`` imports, and whether at the module's top level."""
    tree = ast.parse(path.read_text("utf-8"))
    top = set(map(id, tree.body))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith("policygraph.") or name == "policygraph":
                found.append((name, id(node) in top))
    return found


def _graph(top_level_only: bool) -> nx.DiGraph:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for target, at_top in _imports(path):
            while target not in modules:  # `from pkg import name` names a function, not a module
                target = target.rpartition(".")[0]
            if target != name and (at_top or not top_level_only):
                graph.add_edge(name, target)
    return graph


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "policygraph"


def test_every_package_has_a_layer():
    parts = {_part(m) for m in _graph(False)} - {"policygraph"}
    assert parts <= set(RANK), f"declare a layer for {sorted(parts - set(RANK))}"


def test_no_import_cycles():
    cycles = list(nx.simple_cycles(_graph(top_level_only=False)))
    assert cycles == []


def test_no_layer_imports_a_higher_one():
    wrong = []
    for a, b in _graph(top_level_only=False).edges:
        pa, pb = _part(a), _part(b)
        if "policygraph" in (pa, pb) or pa == pb:
            continue
        if RANK[pb] >= RANK[pa]:
            wrong.append(f"{a} imports {b}")
    assert wrong == []


@pytest.mark.parametrize("module", ["policygraph", "policygraph.cli"])
def test_importing_loads_no_rendering_or_scientific_stack(module):
    code = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == ""


def test_help_loads_no_rendering_or_scientific_stack():
    code = (
        "import sys; from policygraph.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', ' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout.strip().endswith("LOADED")
