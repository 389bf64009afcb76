"""Widgets hold no SQL: every question a window asks the store goes through a service function.

Read with ``ast`` (not imported), so a query hidden in a function that no test happens to run is
caught as well: SQL text in any string literal, the store's query API called on anything, or
``sqlite3`` imported.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

UI = Path(__file__).resolve().parents[1] / "officer_app" / "ui"
#: Upper-case statements only, so English UI text such as "Select a photo" does not match.
SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
    r"|CREATE\s+(TABLE|INDEX|VIEW)|PRAGMA\s+\w+|WITH\s+\w+\s+AS\s*\()",
    re.DOTALL,
)
#: The store's (and a sqlite3 connection's, and sqlite-utils') ways to read or write rows.
QUERY_API = {"query", "scalar", "execute", "executemany", "executescript", "rows_where", "table"}


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes, which may well talk about SQL."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def sql_in(source: str, name: str = "<ui>") -> list[str]:
    tree = ast.parse(source, name)
    skip = _docstrings(tree)
    problems = []
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            if SQL.search(node.value):
                problems.append(f"{where}: SQL text {node.value[:60]!r}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in QUERY_API:
                problems.append(f"{where}: calls .{node.func.attr}()")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                modules.append(node.module or "")
            if any(m.split(".")[0] in ("sqlite3", "sqlite_utils") for m in modules):
                problems.append(f"{where}: imports {modules}")
    return problems


def test_no_ui_module_holds_sql_or_calls_the_query_api() -> None:
    files = sorted(UI.glob("*.py"))
    assert len(files) > 20  # the scan really reads the ui package
    problems = [p for f in files for p in sql_in(f.read_text(encoding="utf-8"), f.name)]
    assert not problems, "move these queries into a service:\n" + "\n".join(problems)


def test_the_scan_catches_what_widgets_used_to_do() -> None:
    """The forms removed from the widgets (and their variants) are each reported."""
    widget = '''
"""A docstring may say SELECT id FROM patrols."""
import sqlite3
def fill(self):
    for row in self.ctx.store.query(
        "SELECT id, title, type, planned_start FROM patrols ORDER BY start_utc DESC LIMIT 200"
    ):
        pass
    key = self.ctx.store.scalar(f"select rowid from {TABLE}")
    self.conn.execute("UPDATE cases SET status = 'x'")
    label = "Select a photo from the list"
'''
    problems = sql_in(widget)
    assert len([p for p in problems if "SQL text" in p]) == 2
    assert len([p for p in problems if "calls ." in p]) == 3
    assert len([p for p in problems if "imports" in p]) == 1
