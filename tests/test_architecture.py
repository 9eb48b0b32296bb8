"""The layout rules, checked by reading every module under game/ with ``ast`` (nothing is run).

(a) No import cycle between modules: the import graph (``TYPE_CHECKING`` imports included,
    they couple modules too) has no strongly connected component of more than one module.
(b) Imports sit at the top of modules; an import inside a function is allowed only for the
    optional heavy dependencies of :data:`LATE_IMPORT_ALLOWED`, each with its reason.
(c) Ownership: MediaPipe only in game/tracking, SQL (sqlite3, psycopg) only in game/storage, pygame only
    in game/render, game/scenes and the level types' drawers, OpenCV only in tracking, mirror
    and render; scenes are imported only by scenes, the app and the launcher (the command line
    never imports a scene); only the launcher imports the app (scenes get ``AppServices``);
    storage imports nothing else of the game and tracking never touches storage.
(d) The current patient is assigned only by the app and the launcher (scenes return a
    ``ChoosePatient`` transition instead).

:data:`PENDING_LAYOUT_ISSUE` lists today's violations in modules being rewritten elsewhere; it
may only shrink: an entry that no longer happens fails the test, so it is removed with the fix.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache
from pathlib import Path

GAME = Path(__file__).resolve().parents[1] / "game"

LATE_IMPORT_ALLOWED: dict[str, str] = {
    "mediapipe": "loads its inference runtime for seconds; only live camera or video runs need it, "
    "and `import game.tracking` must stay cheap (tests/tracking/test_slots.py)",
    "psycopg": "about 13 MB resident (its binary driver); only a clinic's postgresql:// database needs it, "
    "so a game on a SQLite file never loads it (game/storage/errors.py loaded_psycopg)",
    "matplotlib": "about a second to import; only the clinician report (game/export/report.py) draws with it",
    "skimage": "scikit-image is a dev-only dependency, used to build test pictures from its sample data",
    "scipy.signal": "1.5-5 s to import (it loads scipy.stats, interpolate, optimize, sparse): the scoring "
    "needs it from the first rep on, not for the first frame (game/scoring/signal_lib.py)",
}
"""Imported packages an import inside a function may name, with the reason."""

OWNERS: dict[str, tuple[str, ...]] = {
    "mediapipe": ("game/tracking/*",),
    "sqlite3": ("game/storage/*",),
    "psycopg": ("game/storage/*",),
    "pygame": ("game/render/*", "game/scenes/*", "game/leveltypes/*/draw.py"),
    "cv2": ("game/tracking/*", "game/mirror/*", "game/render/*"),
    "matplotlib": ("game/export/*",),
    "game.scenes": ("game/scenes/*", "game/app.py", "game/launch.py"),
    "game.app": ("game/launch.py",),
}
"""Imported package → the only files (paths relative to the repository) that may import it."""

GAME_IMPORTS_ONLY: dict[str, tuple[str, ...]] = {
    "game/storage/*": ("game.storage", "game.tracking.pose"),
}
"""Files → the only game packages they may import (storage is the bottom layer: itself, and the
frame contract of the poses it records)."""
NO_IMPORT: dict[str, tuple[str, ...]] = {
    "game/tracking/*": ("game.storage",),
}
"""Files → game packages they must not import (pose sources never create patients or rows)."""

PENDING_LAYOUT_ISSUE: set[tuple[str, str, str]] = set()
# Emptied: the pose sources (H2's files) now import the MediaPipe wrapper and each other at the
# top. A future temporary entry is ("cycle-edge", a, b): the import a -> b left out of the
# cycle check, or ("late", a, b): a imports b inside a function.


@dataclass(frozen=True)
class Import:
    """One imported name as written: ``module`` imports ``target`` at ``path:line``."""

    module: str
    path: str
    target: str
    line: int
    late: bool
    """Inside a function or class body rather than at the top of the module."""


@cache
def modules() -> dict[str, Path]:
    """Every module under game/ by dotted name (a package by its ``__init__``)."""
    out = {}
    for path in sorted(GAME.rglob("*.py")):
        parts = list(path.relative_to(GAME.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    """The dotted names one import statement brings in. ``from game.a import b`` gives
    ``game.a.b``, which :func:`resolve` maps to module ``game.a.b`` or back to ``game.a``;
    ``from x import y`` of another package gives ``x``."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}".rstrip(".")
    if base.split(".")[0] != "game":
        yield base
        return
    yield from (f"{base}.{alias.name}" for alias in node.names)


def _walk(tree: ast.AST, late: bool = False) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Import statements with whether they sit inside a function or class body."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, late
        inner = late or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef)
        yield from _walk(child, inner)


@cache
def imports() -> tuple[Import, ...]:
    """Every import of every module under game/."""
    out = []
    for module, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(GAME.parent).as_posix()
        for node, late in _walk(tree):
            for target in _targets(node, module, path.name == "__init__.py"):
                out.append(Import(module, rel, target, node.lineno, late))
    return tuple(out)


def resolve(name: str) -> str:
    """The module a dotted name lives in: the longest game module prefix, else the name."""
    known = modules()
    probe = name
    while probe:
        if probe in known:
            return probe
        probe = probe.rpartition(".")[0]
    return name


def import_graph() -> dict[str, set[str]]:
    """Module → the game modules it imports (pending cycle edges left out)."""
    skipped = {(a, b) for kind, a, b in PENDING_LAYOUT_ISSUE if kind == "cycle-edge"}
    graph: dict[str, set[str]] = {m: set() for m in modules()}
    for imp in imports():
        target = resolve(imp.target)
        if target in graph and target != imp.module and (imp.module, target) not in skipped:
            graph[imp.module].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = _pop_component(stack, on_stack, node)
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def _pop_component(stack: list[str], on_stack: set[str], root: str) -> list[str]:
    component = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        component.append(member)
        if member == root:
            return component


def late_imports() -> set[tuple[str, str, str]]:
    """``("late", module, imported module)`` for every import inside a function that is not
    an allowed optional heavy dependency."""
    out = set()
    for imp in imports():
        target = resolve(imp.target)
        allowed = any(target == dep or target.startswith(dep + ".") for dep in LATE_IMPORT_ALLOWED)
        if imp.late and not allowed:
            out.add(("late", imp.module, target))
    return out


def _matches(path: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch(path, pattern) for pattern in patterns)


def _names(target: str, package: str) -> bool:
    return (
        target == package
        or target.startswith(package + ".")
        or package.endswith(".")
        and target.startswith(package)
    )


def ownership_violations() -> list[str]:
    """One line per import a file may not make (:data:`OWNERS`, :data:`NO_IMPORT`)."""
    out = []
    for imp in imports():
        target = resolve(imp.target)
        for package, owners in OWNERS.items():
            if _names(target, package) and not _matches(imp.path, owners) and target != imp.module:
                out.append(f"{imp.path}:{imp.line} imports {target} (only {', '.join(owners)} may)")
        for files, banned in NO_IMPORT.items():
            hit = [b for b in banned if _names(target, b) and not _names(target, _package_of(imp.module))]
            if fnmatch(imp.path, files) and hit:
                out.append(f"{imp.path}:{imp.line} imports {target} ({files} must not import {hit[0]})")
    return out


def _package_of(module: str) -> str:
    """``game.storage`` for ``game.storage.db``: a package may import its own modules."""
    return ".".join(module.split(".")[:2])


def assigns_app_patient(source: str) -> list[int]:
    """Lines of `source` that assign ``app.patient`` or ``<something>.app.patient``."""
    out = []
    for node in ast.walk(ast.parse(source)):
        targets: list[ast.expr] = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for t in targets:
            owner = t.value if isinstance(t, ast.Attribute) and t.attr == "patient" else None
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if name == "app":
                out.append(node.lineno)
    return out


def patient_assignments() -> list[str]:
    """Places outside the app and the launcher that assign the current patient."""
    return [
        f"{path.relative_to(GAME.parent)}:{line}"
        for module, path in modules().items()
        if module not in ("game.app", "game.launch")
        for line in assigns_app_patient(path.read_text(encoding="utf-8"))
    ]


def test_the_parser_sees_the_whole_game() -> None:
    """Guards the guards: the graph spans the game, and a known import is found where it is."""
    assert len(modules()) > 90 and "game.scenes.base" in modules()
    assert "game.scenes.services" in import_graph()["game.scenes.base"]
    assert ("late", "game.export.report", "matplotlib.figure") not in late_imports()  # allowed
    assert any(i.late and i.target.startswith("matplotlib") for i in imports())
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    assert assigns_app_patient("self.app.patient = p\napp.patient += 1\nx.patient = p\n") == [1, 2]


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles (each line one cycle):\n" + "\n".join(" <-> ".join(c) for c in found)


def test_imports_are_at_the_top_of_modules() -> None:
    pending = {p for p in PENDING_LAYOUT_ISSUE if p[0] == "late"}
    new = sorted(late_imports() - pending)
    assert not new, "imports inside functions (move them to the top, or allow a heavy optional " + (
        "dependency in LATE_IMPORT_ALLOWED with its reason):\n" + "\n".join(f"{m} -> {t}" for _, m, t in new)
    )


def test_packages_are_imported_only_by_their_owners() -> None:
    found = ownership_violations()
    assert not found, "\n".join(found)


def test_only_the_app_and_the_launcher_set_the_current_patient() -> None:
    found = patient_assignments()
    assert not found, (
        "the current patient changes only through the scene stack (ChoosePatient): " + ", ".join(found)
    )


def test_pending_layout_issues_still_happen() -> None:
    """The temporary list only shrinks: a fixed entry must be removed from it."""
    edges = {(imp.module, resolve(imp.target)) for imp in imports()}
    live = late_imports()
    stale = sorted(
        p for p in PENDING_LAYOUT_ISSUE if (p[1], p[2]) not in edges or (p[0] == "late" and p not in live)
    )
    assert not stale, f"fixed: remove from PENDING_LAYOUT_ISSUE: {stale}"
