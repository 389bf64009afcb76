"""The house rule that keeps the domain testable without a display: only ui/ imports Qt."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

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
