"""Typed settings, declared once, stored as JSON in the store's ``settings`` table.

Keeping settings in SQLite means they live in the data dir, travel with a backup and cannot be
half-written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from officer_app.store.db import Store

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    type: Callable[[Any], T]  # str, int, float …: turns the stored JSON value into T
    default: T
    doc: str


CURRENT_OFFICER = Setting[str | None]("current_officer_id", str, None, "officer using the laptop")
DEFAULT_TIMEZONE = Setting[str](
    "default_timezone", str, "+08:00", "offset assumed for photos without OffsetTimeOriginal"
)
GPS_CLOCK_TOLERANCE_MIN = Setting[float](
    "gps_clock_tolerance_min", float, 10.0, "camera vs GPS clock difference that is flagged"
)
NEAR_BORDER_M = Setting[float](
    "near_border_m", float, 200.0, "distance to a boundary that asks the officer to confirm"
)
LANGUAGE = Setting[str](
    "language", str, "zh_CN", "UI language: zh_CN or en (applied at the next start)"
)
LARGE_TEXT = Setting[bool](
    "large_text", bool, False, "scale the application font (outdoor use, sunlight, gloves)"
)
IDLE_LOCK_MINUTES = Setting[int](
    "idle_lock_minutes", int, 10, "lock the shared laptop after this long without input; 0 = never"
)
DEMO_OFFERED = Setting[bool]("demo_offered", bool, False, "first-start demo offer was shown")
MBTILES_PATH = Setting[str | None](
    "mbtiles_path",
    str,
    None,
    "local MBTiles file drawn under the map (a deployment's own tiles; never fetched)",
)
LAST_IMPORT_FOLDER = Setting[str | None](
    "last_import_folder", str, None, "where the photo file dialogs open when no card is mounted"
)
LAST_PDF_FOLDER = Setting[str | None](
    "last_pdf_folder", str, None, "where 另存为PDF opens: the folder a PDF was saved to last"
)

ALL_SETTINGS: tuple[Setting[Any], ...] = (
    CURRENT_OFFICER,
    DEFAULT_TIMEZONE,
    GPS_CLOCK_TOLERANCE_MIN,
    NEAR_BORDER_M,
    LANGUAGE,
    LARGE_TEXT,
    IDLE_LOCK_MINUTES,
    DEMO_OFFERED,
    MBTILES_PATH,
    LAST_IMPORT_FOLDER,
    LAST_PDF_FOLDER,
)


def get(store: Store, setting: Setting[T]) -> T:
    raw = store.scalar("SELECT value FROM settings WHERE key = ?", [setting.key])
    if raw is None:
        return setting.default
    value = json.loads(raw)
    if value is None:
        return setting.default
    return setting.type(value)


def put(store: Store, setting: Setting[T], value: T) -> None:
    """Write a setting; joins the caller's transaction when there is one."""
    with store.transaction() as db:
        db.table("settings").upsert({"key": setting.key, "value": json.dumps(value)}, pk="key")
