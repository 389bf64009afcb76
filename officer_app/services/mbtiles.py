"""Read-only access to a local MBTiles file (the map's optional background), without Qt.

Why: squads work where there is no network, and the app must never fetch tiles (nor leak where an
officer is looking). A deployment may ship its own raster tiles as one MBTiles file (SQLite with a
``tiles`` table, TMS row numbering, PNG or JPEG blobs); the map draws them under the boundaries.
A missing or broken file just means no background.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)


class MBTiles:
    """One open MBTiles file. Rows are asked for in XYZ numbering (y down, as on screen)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        uri = self.path.resolve().as_uri() + "?mode=ro"
        self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        row = self._conn.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        if row is None or row[0] is None:
            raise ValueError(f"{path}: no tiles")
        self.min_zoom, self.max_zoom = int(row[0]), int(row[1])
        self.metadata = dict(self._conn.execute("SELECT name, value FROM metadata").fetchall())

    @classmethod
    def open(cls, path: str | Path | None) -> MBTiles | None:
        """The file, or None (logged) when unset, missing or not an MBTiles file."""
        if not path:
            return None
        try:
            return cls(Path(path))
        except (OSError, sqlite3.Error, ValueError) as exc:
            log.warning("MBTiles %s not usable: %s", path, exc)
            return None

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The encoded image of XYZ tile (z, x, y), or None."""
        tms_row = (1 << z) - 1 - y
        row = self._conn.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
            [z, x, tms_row],
        ).fetchone()
        return None if row is None else bytes(row[0])

    def close(self) -> None:
        self._conn.close()
