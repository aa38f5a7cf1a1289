"""The layers the folders show, enforced: every import, including those inside functions.

Bottom up, an import may go down a layer or sideways inside one, never up, and no module
may reach itself again through its imports. Tests, migrations and the test base are left
out: a test may build whatever it needs from any app.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent

# (layer, packages). A package is a dotted prefix under `alongside`; the longest one wins.
LAYERS: list[tuple[str, list[str]]] = [
    ("lib", ["lib"]),
    ("people", ["accounts"]),
    ("email", ["outbox"]),
    ("core", ["surgeries"]),
    (
        "apps",
        [
            "bookings",
            "guidance",
            "interest",
            "network",
            "helprecords",
            "organisations",
            "campaigns",
            "groups",
            "webhooks",
        ],
    ),
    (
        "top",
        [
            "impact",
            "privacy",
            "public",
            "demo",
            "generate",
            "api",
            "cli",
            "urls",
            "settings",
            "wsgi",
        ],
    ),
]
RANK = {pkg: rank for rank, (_, pkgs) in enumerate(LAYERS) for pkg in pkgs}
NAME = {pkg: name for name, pkgs in LAYERS for pkg in pkgs}

NOT_CHECKED = ("tests", "migrations")
TEST_BASE = {"alongside.test", "alongside.testenv", "alongside.browsertest", "alongside.tests"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if any(p in NOT_CHECKED for p in parts[1:]):
            continue
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join(parts)
        if name in TEST_BASE or parts[-1] == "testing":
            continue
        found[name] = path
    return found


MODULES = _modules()


def _package(module: str) -> str:
    """The layer key of a module: 'alongside.bookings.services' -> 'bookings'."""
    rest = module.split(".")[1:]
    return rest[0] if rest else ""


def _imports(module: str, path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for each import of one of ours."""
    tree = ast.parse(path.read_text(), str(path))
    in_function = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            in_function.update(id(n) for n in ast.walk(node) if n is not node)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if path.name != "__init__.py":
                    base.pop()
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            # `from package import module` imports the module; `from module import name`
            # imports the module that holds the name.
            targets = [
                f"{source}.{a.name}" if f"{source}.{a.name}" in MODULES else source
                for a in node.names
            ]
        else:
            continue
        for target in targets:
            if target.startswith("alongside"):
                found.append((target, node.lineno, id(node) in in_function))
    return found


def _graph() -> dict[str, list[tuple[str, int, bool]]]:
    return {name: _imports(name, path) for name, path in MODULES.items()}


def _where(module: str, line: int) -> str:
    return f"{MODULES[module].relative_to(PACKAGE.parent)}:{line}"


def test_every_module_is_in_a_layer():
    missing = sorted({_package(m) for m in MODULES if _package(m) not in RANK} - {""})
    assert not missing, f"packages in no layer (add them to LAYERS): {missing}"


def test_lib_imports_no_app():
    bad = [
        f"{_where(m, line)} imports {target}"
        for m, imports in _graph().items()
        if _package(m) == "lib"
        for target, line, _ in imports
        if _package(target) not in ("lib", "")
    ]
    assert not bad, "lib/ must import no app:\n" + "\n".join(bad)


def test_no_import_runs_up_a_layer():
    bad = []
    for m, imports in _graph().items():
        for target, line, _ in imports:
            src, dst = _package(m), _package(target)
            if src in RANK and dst in RANK and RANK[dst] > RANK[src]:
                bad.append(
                    f"{_where(m, line)} imports {target}: "
                    f"{NAME[src]} ({src}) is below {NAME[dst]} ({dst})"
                )
    assert not bad, "imports running up a layer:\n" + "\n".join(bad)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
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
            if len(component) > 1 or v in graph.get(v, ()):
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    graph = {
        m: {t for t, _, _ in imports if t in MODULES and t != m} for m, imports in _graph().items()
    }
    cycles = _cycles(graph)
    assert not cycles, "modules that import each other, directly or round a circle:\n" + "\n".join(
        " <-> ".join(c) for c in cycles
    )


# Every import inside a function in the app's own code, ours or a library's, each for a reason
# an import at the top cannot serve. (path, module): reason.
LATE_IMPORTS: dict[tuple[str, str], str] = {
    ("alongside/bookings/apps.py", "alongside.bookings"): "receivers connect once models load",
    ("alongside/impact/apps.py", "alongside.impact"): "receivers connect once models load",
    ("alongside/outbox/apps.py", "alongside.outbox"): "receivers connect once models load",
    ("alongside/webhooks/apps.py", "alongside.webhooks"): "receivers connect once models load",
    ("alongside/cli.py", "alongside.outbox.management.commands"): "models need Django set up",
    ("alongside/helprecords/matching.py", "numpy"): "heavy: only suggested pairs need it",
    ("alongside/helprecords/matching.py", "scipy.optimize"): "heavy: only suggested pairs need it",
    ("alongside/generate/network.py", "numpy"): "heavy: only the generator needs it",
}


def _late_imports() -> list[tuple[str, str, int]]:
    """(path, module, line) for every import inside a function, of any module."""
    found = set()
    for path in MODULES.values():
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    modules = [a.name for a in inner.names]
                elif isinstance(inner, ast.ImportFrom):
                    modules = [("." * inner.level) + (inner.module or "")]
                else:
                    continue
                where = str(path.relative_to(PACKAGE.parent))
                found |= {(where, module, inner.lineno) for module in modules}
    return sorted(found)


def test_imports_inside_functions_are_few_and_each_has_a_reason():
    late = _late_imports()
    unexplained = [
        f"{where}:{line} imports {module}"
        for where, module, line in late
        if (where, module) not in LATE_IMPORTS
    ]
    assert not unexplained, (
        "imports inside functions: move them to the top of the module, or, for a heavy "
        "optional library, add them with a reason to LATE_IMPORTS:\n" + "\n".join(unexplained)
    )
    assert len(late) < 20, f"{len(late)} imports inside functions; keep them under 20"
