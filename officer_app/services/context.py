"""The open app: data dir, store and clock, passed explicitly to every service.

There is no global registry: the CLI and the GUI each build one context and hand it down.
Workers on other threads open their own context on the same data dir (one sqlite3 connection per
thread).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from officer_app.domain.people import Officer
from officer_app.paths import DataDir, resources_dir
from officer_app.services import settings
from officer_app.store import codetables
from officer_app.store.db import Store

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class AppContext:
    data: DataDir
    store: Store
    clock: Clock = field(default=utc_now)
    #: Why a deployment's code table was not used (the shipped one is in use instead); empty if fine.
    code_table_problems: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, root: Path, *, clock: Clock = utc_now) -> AppContext:
        data = DataDir(root)
        data.ensure()
        store = Store.open(data.store_path, backups_dir=data.backups_dir)
        try:
            problems = codetables.load_all(
                store, resources_dir() / "codes", deployed_dir=data.root / "codes"
            )
        except BaseException:
            store.close()
            raise
        return cls(data=data, store=store, clock=clock, code_table_problems=problems)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> AppContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def current_officer(self) -> Officer | None:
        officer_id = settings.get(self.store, settings.CURRENT_OFFICER)
        if officer_id is None:
            return None
        rows = self.store.query("SELECT * FROM officers WHERE id = ?", [officer_id])
        return Officer.from_row(rows[0]) if rows else None

    def now_iso(self) -> str:
        return self.clock().isoformat(timespec="seconds")
