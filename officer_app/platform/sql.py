"""What the statistics' projection needs of a database connection, as a protocol.

Why: the projection is created and replayed by the schema's upgrade step, which :mod:`db` runs;
naming ``db.Connection`` there would make db → schema → projection → db a cycle. Any object with
these methods will do (``db.Connection`` on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class Sql(Protocol):
    dialect: str

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def in_list(self, values: Sequence[Any]) -> str: ...
