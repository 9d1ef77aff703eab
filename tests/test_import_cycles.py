"""Imports go one way inside each app too: no module imports, even inside a function, a module
that imports it back (directly or through others)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (
    "config",
    "iro",
    "reviews",
    "protection",
    "escalations",
    "feedback",
    "letters",
    "reporting",
    "ssd",
)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from package import module` imports the module; otherwise the package's module.
                targets = [
                    f"{node.module}.{alias.name}"
                    if f"{node.module}.{alias.name}" in modules
                    else node.module
                    for alias in node.names
                ]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_lazy_imports():
    graph = _graph()
    # iro.tasks imports the runner inside its task function.
    assert "iro.notifications.runner" in graph["iro.tasks"]


def test_no_import_circles():
    assert _cycles(_graph()) == []


def test_imports_go_one_way_between_apps():
    """The core imports no feature app, no app imports reporting, nothing imports config, and
    nothing imports the SSD sync (ssd), which may read the domain apps. The letters app writes
    to the child about reviews: it reads the core and reviews, and only the project wiring (and
    reporting, which reads every app) imports it."""
    wrong = []
    for module, targets in _graph().items():
        app = module.split(".")[0]
        for target in targets:
            to = target.split(".")[0]
            if to == app:
                continue
            if (
                (app == "iro" and to != "iro")
                or (to == "reporting" and app != "config")
                or (to == "config")
                or (to == "ssd" and app != "config")
                or (app == "letters" and to not in {"iro", "reviews"})
                or (to == "letters" and app not in {"config", "reporting"})
                or (
                    app in {"reviews", "protection", "escalations", "feedback"}
                    and to not in {"iro"}
                )
            ):
                wrong.append(f"{module} -> {target}")
    assert wrong == []
