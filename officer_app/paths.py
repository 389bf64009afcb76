"""Where the app finds its shipped data and where it writes the officer's data.

Shipped data (code tables, boundaries, fonts, forms) lives beside the package in a source checkout
and inside the bundle when frozen; the officer's data lives in one per-user directory so that
``--data-dir`` isolates a run completely.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "officer_app"
DATA_DIR_ENV = "OFFICER_APP_DATA_DIR"
RESOURCES_ENV = "OFFICER_APP_RESOURCES"


def _shipped(name: str) -> Path:
    """``name`` (resources, forms): in the frozen bundle, in an installed wheel (as the data-only
    package ``officer_app._<name>``, see setup.py), or beside the package in a source checkout."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / name
    package = Path(__file__).resolve().parent
    installed = package / f"_{name}"
    return installed if installed.is_dir() else package.parent / name


def resources_dir() -> Path:
    override = os.environ.get(RESOURCES_ENV)
    return Path(override) if override else _shipped("resources")


def forms_dir() -> Path:
    return _shipped("forms")


def default_data_dir() -> Path:
    """The per-user data dir; imported lazily so start-up does not pay for unused code."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None) -> Path:
    """``--data-dir`` wins, then the environment, then the per-user default."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


class DataDir:
    """The layout of one data directory; every writer asks this object for its path."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def store_path(self) -> Path:
        return self.root / "officer_app.sqlite3"

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    def ensure(self) -> None:
        for path in (self.root, self.evidence_dir, self.cache_dir, self.logs_dir):
            path.mkdir(parents=True, exist_ok=True)
