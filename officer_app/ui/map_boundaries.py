"""District boundaries for the map: projected once per process, off the GUI thread.

The 305 outlines (249k vertices) are turned into QPainterPaths on a worker of the background-work
API (``ui/tasks.py``), with a simplified copy for the zoomed-out view; every map of the window
shares the one process-wide cache.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QDataStream, QObject, QPointF, QRectF, Signal
from PySide6.QtGui import QPainterPath

from officer_app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from officer_app.services.map_data import DistrictOutline

log = logging.getLogger(__name__)


def _path_from_rings(rings: list[Any]) -> QPainterPath:
    """Rings of world (x, y) -> one QPainterPath, through QDataStream's binary form.

    Calling moveTo/lineTo 249k times from Python takes seconds; writing the serialised form with
    numpy and reading it back takes milliseconds (the technique pyqtgraph uses).
    """
    import numpy as np

    total = sum(len(r) for r in rings)
    path = QPainterPath()
    if total == 0:
        return path
    arr = np.empty(total, dtype=[("c", ">i4"), ("x", ">f8"), ("y", ">f8")])
    arr["c"] = 1  # LineToElement
    pos = 0
    last_start = 0
    for ring in rings:
        n = len(ring)
        arr["c"][pos] = 0  # MoveToElement
        arr["x"][pos : pos + n] = ring[:, 0]
        arr["y"][pos : pos + n] = ring[:, 1]
        last_start = pos
        pos += n
    header = np.array([total], dtype=">i4").tobytes()
    footer = np.array([last_start, 0], dtype=">i4").tobytes()  # cStart, OddEvenFill
    stream = QDataStream(QByteArray(header + arr.tobytes() + footer))
    stream >> path
    return path


class DistrictPaths:
    """One district ready to draw: both levels of detail, label point, world bounds."""

    __slots__ = ("bounds", "coarse", "code", "full", "label", "name")

    def __init__(self, outline: DistrictOutline) -> None:
        self.code = outline.code
        self.name = outline.name
        self.label = QPointF(outline.label_x, outline.label_y)
        x0, y0, x1, y1 = outline.bounds
        self.bounds = QRectF(x0, y0, x1 - x0, y1 - y0)
        self.full = _path_from_rings(outline.rings)
        self.coarse = _path_from_rings(outline.coarse_rings)


def build_district_paths() -> list[DistrictPaths]:
    """Project the jurisdiction index's districts and build their paths (about a second)."""
    from officer_app.services.map_data import district_outlines

    return [DistrictPaths(o) for o in district_outlines()]


class _BoundaryCache(QObject):
    """Process-wide: the evidence page and the patrol page share one set of paths."""

    ready = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[DistrictPaths] | None = None
        self.failed = False
        self.loading = False
        self.tasks = TaskRunner(self)  # its own pools, so draining them waits for nothing else

    def request(self) -> None:
        if self.paths is None and not self.loading:
            self.loading = True
            self.tasks.run(build_district_paths, self._store, self._load_failed, write=False)

    def _load_failed(self, error: BaseException) -> None:
        # No boundaries is a degraded map (the status line says so), not a crash.
        log.error("boundary outlines could not be built", exc_info=error)
        self._store(None)

    def drain(self, msecs: int = 15_000) -> bool:
        """Wait for a load in flight (on exit), so no worker outlives the application."""
        return self.tasks.wait(msecs)

    def build_now(self) -> list[DistrictPaths]:
        if self.paths is None:
            self._store(build_district_paths())
        return self.paths or []

    def _store(self, paths: list[DistrictPaths] | None) -> None:
        self.loading = False
        if self.paths is None:
            self.paths = paths
            self.failed = paths is None
        self.ready.emit()


_cache: _BoundaryCache | None = None


def boundary_cache() -> _BoundaryCache:
    global _cache
    if _cache is None:
        _cache = _BoundaryCache()
    return _cache
