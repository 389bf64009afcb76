"""Build a WHERE clause from optional filters: one place for the list screens' filter queries."""

from __future__ import annotations

from typing import Any


class Where:
    """Conditions joined with AND; a filter left empty adds nothing."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> Where:
        self.clauses.append(clause)
        self.params.extend(params)
        return self

    def equals(self, column: str, value: Any) -> Where:
        """``column = value`` when a value was chosen (None or "" means "any")."""
        if value is not None and value != "":
            self.add(f"{column} = ?", value)
        return self

    def sql(self) -> str:
        return f"WHERE {' AND '.join(self.clauses)}" if self.clauses else ""
