"""The house rules on dependencies: only ui/ imports Qt, and imports point one way.

The second half reads every import of every module with ``ast`` (top-level, in functions, under
``if TYPE_CHECKING:``) and checks it against the layers written in docs/architecture.md.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import officer_app

ALLOWED_QT = ("officer_app.ui",)


def _non_ui_modules() -> list[str]:
    names = []
    for module in pkgutil.walk_packages(officer_app.__path__, "officer_app."):
        if not module.name.startswith(ALLOWED_QT):
            names.append(module.name)
    return names


def test_no_module_outside_ui_imports_qt() -> None:
    modules = _non_ui_modules()
    assert "officer_app.store.db" in modules and "officer_app.cli" in modules
    script = (
        "import importlib, json, sys\n"
        f"mods = {modules!r}\n"
        "leaks = {}\n"
        "for name in mods:\n"
        "    before = {m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))}\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError as exc:\n"
        "        leaks[name] = 'import failed: ' + str(exc)\n"
        "        continue\n"
        "    after = {m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))}\n"
        "    if after - before:\n"
        "        leaks[name] = sorted(after - before)[:3]\n"
        "print(json.dumps(leaks))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    leaks = json.loads(result.stdout.strip().splitlines()[-1])
    assert leaks == {}, f"modules below ui/ pulled in Qt or failed to import: {leaks}"


def test_gui_start_up_path_stays_light() -> None:
    """Pillow, exifread, reportlab and the geometry stack load only when a feature needs them."""
    script = (
        "import sys\n"
        "import officer_app.ui.app, officer_app.ui.main_window\n"
        "heavy = ('PIL', 'exifread', 'reportlab', 'shapely', 'numpy', 'gpxpy', 'pypdf', 'pypdfium2',\n"
        "         'httpx', 'keyring', 'matplotlib', 'openpyxl')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


# Dependency direction -----------------------------------------------------------------------------
# The table is in docs/architecture.md too, with the reasons; keep both telling the same story.
# A unit is a subpackage of officer_app (``services``) or a top-level module (``paths``). Layers run
# from the top down: a unit may import any unit of a LOWER layer, never one of its own layer (peers
# stay independent) and never one above. ``officer_app`` itself (``__version__``) is below all.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("__main__",),  # the entry point: starts the GUI or the CLI
    ("ui", "cli"),  # the two faces of the same services (only ui/ imports Qt)
    ("commands",),  # the CLI's command groups and what they share (commands/base.py)
    ("services",),  # the use cases, sync orchestration included (services/sync_run.py)
    ("sync", "platform"),  # the HTTP client and wire format; the city server
    ("store", "media", "geo", "documents"),  # SQLite + outbox; photos' metadata; places; PDFs
    ("crash", "logs", "faults", "gui_args"),  # neutral: crash reports, logs, fault hooks, GUI argv
    ("paths",),  # neutral: where the data dir and the shipped resources are
    ("fileio",),  # neutral: the one atomic file write (temp name, fsync, rename)
    ("runlock",),  # neutral: which temp files belong to a live writer
    ("fileguard", "portable"),  # neutral: files the officer names; Windows-proof file operations
    ("errors",),  # neutral: the errors the officer is meant to see
    ("domain",),  # pure rules, no I/O: imports nothing of the project
)

#: Edges that break the rules today and are being removed on another branch. The lead empties this
#: on merge; an entry that no longer matches an import fails the test, so none outlives its fix.
#: (importing module, imported module) -> why it is allowed for now.
PENDING: dict[tuple[str, str], str] = {}

PACKAGE_DIR = Path(officer_app.__file__).resolve().parent
ROOT = "officer_app"


@dataclass(frozen=True)
class Import:
    """One import statement's project target, with where it is written."""

    source: str  # importing module, dotted
    target: str  # imported module or package, dotted
    path: Path
    line: int

    def where(self) -> str:
        rel = self.path.relative_to(PACKAGE_DIR.parent)
        return f"{rel}:{self.line}: {self.source} imports {self.target}"


def _modules() -> dict[str, tuple[Path, bool]]:
    """Every module of officer_app: dotted name -> (file, is a package ``__init__``)."""
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


def _with_parents(name: str, modules: dict[str, tuple[Path, bool]]) -> list[str]:
    """``a.b.c`` runs ``a/__init__``, ``a/b/__init__`` and ``a/b/c``: all three are imported."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in modules]


def _targets(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool, modules: dict
) -> list[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:  # relative: from the importing module's package, up level - 1
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join(package + ([node.module] if node.module else []))
        names = [base] + [f"{base}.{alias.name}" for alias in node.names]
    out: list[str] = []
    for name in names:
        if name == ROOT or name.startswith(ROOT + "."):
            out += [t for t in _with_parents(name, modules) if t not in out]
    return out


def project_imports() -> list[Import]:
    """Every project import of every module: top-level, in functions, under TYPE_CHECKING."""
    modules = _modules()
    found = []
    for module, (path, is_package) in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(node, module, is_package, modules):
                    if target != module:
                        found.append(Import(module, target, path, node.lineno))
    return found


def unit(module: str) -> str:
    """The layer unit of a module: its subpackage, or itself for a top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT


def _rank() -> dict[str, int]:
    return {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def _explain(component: list[str], imports: list[Import], key: Any) -> str:
    members = set(component)
    lines = [
        f"    {imp.where()}"
        for imp in _deepest(imports)
        if key(imp.source) in members
        and key(imp.target) in members
        and key(imp.source) != key(imp.target)
    ]
    return f"  cycle {' <-> '.join(component)}:\n" + "\n".join(lines)


def _counted(imports: list[Import]) -> list[Import]:
    """The imports the rules judge: all but the PENDING ones (with the packages they run)."""
    pending = {(i.source, i.line, i.target) for i in imports if (i.source, i.target) in PENDING}

    def exempt(imp: Import) -> bool:
        return any(
            (imp.source, imp.line) == (source, line)
            and (target == imp.target or target.startswith(imp.target + "."))
            for source, line, target in pending
        )

    return [i for i in imports if not exempt(i)]


def _deepest(imports: list[Import]) -> list[Import]:
    """For messages: ``a.b.c`` on a line, not also ``a`` and ``a.b`` (which it implies)."""
    written = {(i.source, i.line, i.target) for i in imports}
    return [
        i
        for i in imports
        if not any(
            (s, n) == (i.source, i.line) and t.startswith(i.target + ".") for s, n, t in written
        )
    ]


def test_every_unit_has_a_layer() -> None:
    units = {unit(m) for m in _modules()} - {ROOT}
    rank = _rank()
    assert units - set(rank) == set(), "add the new package or module to LAYERS (and the docs)"
    assert set(rank) - units == set(), "LAYERS names a unit that no longer exists"


def test_the_layers_keep_the_house_rules() -> None:
    """The table itself: the city platform sits below everything that could drag the laptop's
    use cases or faces into it, and the domain is at the bottom (it imports nothing)."""
    rank = _rank()
    for above in ("services", "ui", "cli", "commands"):
        assert rank["platform"] > rank[above]
    for below in ("store", "media", "geo", "documents"):
        assert rank["services"] < rank[below] and rank["sync"] < rank[below]
    assert LAYERS[-1] == ("domain",)


def test_the_documented_table_is_this_table() -> None:
    """docs/architecture.md shows LAYERS to the reader; a change to one must reach the other."""
    doc = (PACKAGE_DIR.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    documented = []
    for line in doc.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and cells[1].isdigit():
            names = [
                n.strip("`").removesuffix("/").removesuffix(".py") for n in cells[2].split(", ")
            ]
            documented.append(tuple(names))
    assert tuple(documented) == LAYERS


def test_imports_point_down_the_layers() -> None:
    """(a) every edge between units goes to a lower layer."""
    rank = _rank()
    bad = [
        imp.where()
        for imp in _deepest(_counted(project_imports()))
        if unit(imp.target) != ROOT
        and unit(imp.source) != unit(imp.target)
        and rank[unit(imp.source)] >= rank[unit(imp.target)]
    ]
    assert not bad, "imports against the layers (see docs/architecture.md):\n" + "\n".join(bad)


def test_no_cycle_between_packages() -> None:
    """(b) holds by the layers alone; checked on its own so a broken table cannot hide one."""
    imports = [i for i in _counted(project_imports()) if unit(i.target) != ROOT]
    edges: dict[str, set[str]] = {}
    for imp in imports:
        if unit(imp.source) != unit(imp.target):
            edges.setdefault(unit(imp.source), set()).add(unit(imp.target))
    cycles = _cycles(edges)
    assert not cycles, "cycles between packages:\n" + "\n".join(
        _explain(c, imports, unit) for c in cycles
    )


def test_no_cycle_between_modules() -> None:
    """(c) function-level and TYPE_CHECKING imports count: they are cycles waiting to bite."""
    imports = _counted(project_imports())
    edges: dict[str, set[str]] = {}
    for imp in imports:
        edges.setdefault(imp.source, set()).add(imp.target)
    cycles = _cycles(edges)
    assert not cycles, "cycles between modules:\n" + "\n".join(
        _explain(c, imports, lambda m: m) for c in cycles
    )


def test_package_init_imports_none_of_its_own_modules() -> None:
    """(d) importing any module runs its package's ``__init__``; one that imported its own
    submodules would drag them (and their imports) into every import of a sibling."""
    modules = _modules()
    bad = [
        imp.where()
        for imp in project_imports()
        if modules[imp.source][1] and imp.target.startswith(imp.source + ".")
    ]
    assert not bad, "package __init__ importing its own modules:\n" + "\n".join(bad)


def test_pending_exceptions_are_still_needed() -> None:
    """Each PENDING edge is still imported somewhere; once its fix lands, remove the entry."""
    present = {(i.source, i.target) for i in project_imports()}
    stale = [f"{a} -> {b} ({why})" for (a, b), why in PENDING.items() if (a, b) not in present]
    assert not stale, "PENDING entries no longer needed, remove them:\n" + "\n".join(stale)


def test_the_checker_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The walker must count function-level, TYPE_CHECKING and relative imports, and a
    submodule import must count as importing its packages."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import sibling\n"
        "if TYPE_CHECKING:\n"
        "    from officer_app.store.db import Store\n"
        "def f():\n"
        "    import officer_app.sync.http\n"
    )
    tree = ast.parse(source)
    modules = {
        "officer_app": (Path(), True),
        "officer_app.services": (Path(), True),
        "officer_app.services.sibling": (Path(), False),
        "officer_app.services.probe": (Path(), False),
        "officer_app.store": (Path(), True),
        "officer_app.store.db": (Path(), False),
        "officer_app.sync": (Path(), True),
        "officer_app.sync.http": (Path(), False),
    }
    seen = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            seen.update(_targets(node, "officer_app.services.probe", False, modules))
    assert seen == {
        "officer_app",
        "officer_app.services",
        "officer_app.services.sibling",
        "officer_app.store",
        "officer_app.store.db",
        "officer_app.sync",
        "officer_app.sync.http",
    }
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
