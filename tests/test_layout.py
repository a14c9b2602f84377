"""The architecture, checked: data flows one way (files -> store -> catalog -> graph ->
render -> cli), no layer imports a layer above it, and no import cycle."""

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "alliances"
# the rank of each layer: a module may import only modules of its rank or below
LAYERS = {"": 0, "store": 1, "catalog": 2, "graph": 3, "render": 4, "cli": 5}
API = {"alliances", "alliances.__main__"}  # the public facade sits on top of everything


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every alliances module `path` imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("alliances"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("alliances"))
    return found


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def rank(module: str) -> int:
    if module in API:
        return 99
    parts = module.split(".")
    return LAYERS[parts[1]] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else 0


def test_no_layer_imports_a_layer_above_it():
    known = modules()
    bad = []
    for name, path in known.items():
        for target in imports(path):
            if target in known and target not in API and rank(target) > rank(name):
                bad.append(f"{name} imports {target}")
    assert not bad, "\n".join(sorted(bad))


def test_no_import_cycle_between_modules():
    known = modules()
    graph = nx.DiGraph()
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module-level imports only: function-level ones are lazy on purpose
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("alliances"):
                for target in (node.module, *(f"{node.module}.{a.name}" for a in node.names)):
                    if target in known and target != name and not name.startswith(target + "."):
                        graph.add_edge(name, target)
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, cycles


def test_the_checker_sees_layers():
    assert rank("alliances.store.gate") < rank("alliances.graph.exposure") < rank("alliances.cli.risk")
    assert "alliances.store.base" in imports(PACKAGE / "store" / "memory.py")
