"""No import cycle between packages: every ``import`` in generator/, including the lazy ones inside
functions, read statically (an import hidden in a function still ties the two layers together)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[1] / "generator"


def modules(root: Path = GENERATOR) -> dict[str, Path]:
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imported(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """(module, line) for every generator module ``name`` imports, anywhere in the file."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            # ``from pkg import sub`` imports the module pkg.sub when there is one
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.append((target, node.lineno))
    return out


def layer(module: str) -> str:
    """The package a module belongs to: ``generator.site.render`` -> ``generator.site``;
    top-level modules (``generator.paths``) are their own layer."""
    return ".".join(module.split(".")[:2])


def graph(of=layer, root: Path = GENERATOR) -> dict[str, dict[str, tuple[str, int]]]:
    known = modules(root)
    edges: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    for name, path in known.items():
        for target, line in imported(name, path, known):
            a, b = of(name), of(target)
            if a != b and b != "generator":
                edges[a].setdefault(b, (str(path.relative_to(root.parent)), line))
    return edges


def cycles(edges: dict[str, dict]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out = []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(set(edges) | {w for targets in edges.values() for w in targets}):
        if v not in index:
            visit(v)
    return out


def explain(edges, component) -> list[str]:
    return [
        f"{a} -> {b} ({edges[a][b][0]}:{edges[a][b][1]})"
        for a in component
        for b in edges[a]
        if b in component
    ]


def test_no_cycle_between_packages():
    edges = graph()
    found = cycles(edges)
    assert found == [], [explain(edges, c) for c in found]


def test_no_cycle_between_schema_modules():
    edges = graph(of=lambda m: m)
    found = [c for c in cycles(edges) if any(m.startswith("generator.schema") for m in c)]
    assert found == [], [explain(edges, c) for c in found]


def test_the_checker_sees_lazy_imports_and_cycles(tmp_path):
    """The detector itself: a cycle made only by an import inside a function is found."""
    root = tmp_path / "generator"
    for pkg, text in {
        "low": "def f():\n    from generator.high.page import g\n",
        "high": "from generator.low import f\n",
    }.items():
        (root / pkg).mkdir(parents=True)
        (root / pkg / "__init__.py").write_text("", encoding="utf-8")
        (root / pkg / "page.py").write_text(text + "\ndef g():\n    pass\n", encoding="utf-8")
    (root / "__init__.py").write_text("", encoding="utf-8")
    edges = graph(root=root)
    assert cycles(edges) == [["generator.high", "generator.low"]]
    assert edges["generator.low"]["generator.high"] == ("generator/low/page.py", 2)


def test_reports_sit_below_the_site_and_workflow_keeps_to_ci():
    edges = graph()
    assert "generator.site" not in edges["generator.reports"]
    assert "generator.reports" in edges["generator.site"]
    assert not {"generator.site", "generator.reports"} & set(edges["generator.workflow"])


# The picture in docs/architecture.md as ranks, lowest first: a package may import from its own rank
# or below, never above. A new package must be placed here (the test names it otherwise).
LAYERS = (
    (
        "catalog",
        "calendar",
        "draw",
        "demo_chain",
        "parallel",
        "cilog",
        "yamlerrors",
        "private_data",
        "private_pieces",
        "spreadsheet_text",
        "json_text",
        "gitrepo",
    ),
    ("errors", "schema"),
    ("sources", "records", "starter"),
    ("corpus", "record_file", "scalars", "paths", "bounded"),
    ("rules",),
    ("validation", "registry"),
    ("reports", "intake", "workflow", "samplegen"),
    ("site", "reference"),
    ("cli",),
    ("__main__",),
)


def test_no_import_runs_up_a_layer():
    rank = {f"generator.{name}": i for i, names in enumerate(LAYERS) for name in names}
    edges = graph()
    packages = {layer(m) for m in modules()} - {"generator"}
    assert sorted(packages - rank.keys()) == [], "place the new package in LAYERS"
    upward = [
        f"{a} -> {b} ({where}:{line})"
        for a, targets in edges.items()
        for b, (where, line) in targets.items()
        if rank[b] > rank[a]
    ]
    assert upward == []
