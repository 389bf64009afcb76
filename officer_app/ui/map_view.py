"""The map's view: pan, zoom, pin picking, and a deployment's MBTiles drawn as background.

Tiles are read from the MBTiles file on a worker of the background-work API (``ui/tasks.py``),
never in ``drawBackground``: a paint draws the tiles already in memory (or a coarser ancestor
tile stretched over the gap) and asks for the missing ones, and the view repaints when they
arrive.  A slow disk or a large file then costs a blurry moment, never a frozen window.
"""

from __future__ import annotations

import logging
import math
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QLabel, QWidget

from officer_app.services.map_data import WORLD, unproject
from officer_app.ui.map_items import SEA
from officer_app.ui.tasks import Job, TaskRunner

if TYPE_CHECKING:
    from officer_app.services.mbtiles import MBTiles

MIN_ZOOM = 3.0
MAX_ZOOM = 19.0
TILE_CACHE = 256

TileKey = tuple[int, int, int]  # z, x, y (XYZ numbering)

log = logging.getLogger(__name__)


class MapView(QGraphicsView):
    """Pan by dragging or arrow keys, zoom with the wheel or +/-, 0 fits, Esc leaves pin mode."""

    picked = Signal(float, float)  # lat, lon (WGS-84)
    zoomed = Signal()
    pinEscaped = Signal()
    hovered = Signal(float, float)
    tilesArrived = Signal()

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.pin_mode = False
        self.tiles: MBTiles | None = None
        self._tile_cache: OrderedDict[TileKey, QPixmap | None] = OrderedDict()
        self._tiles_wanted: list[TileKey] = []  # asked for by the paint under way
        self._tiles_pending: set[TileKey] = set()  # being read on the worker
        self._tile_reads: Job | None = None
        self._tile_generation = 0  # bumped when the file changes: older reads are dropped
        self._tile_tasks = TaskRunner(self)
        self._tile_tasks.read_pool.setMaxThreadCount(1)  # one reader for the one connection
        self.fit_handler: Any = None
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setBackgroundBrush(SEA)
        self.setMouseTracking(True)
        self.setMinimumSize(200, 160)

    # Zoom and pan ------------------------------------------------------------------------------
    def scale_factor(self) -> float:
        """Pixels per world unit (2**zoom)."""
        return self.transform().m11()

    def zoom_level(self) -> float:
        return math.log2(max(self.scale_factor(), 1e-9))

    def zoom_by(self, factor: float, *, at_cursor: bool = False) -> None:
        current = self.scale_factor()
        target = min(max(current * factor, 2**MIN_ZOOM), 2**MAX_ZOOM)
        if math.isclose(target, current):
            return
        anchor = (
            QGraphicsView.ViewportAnchor.AnchorUnderMouse
            if at_cursor
            else QGraphicsView.ViewportAnchor.AnchorViewCenter
        )
        self.setTransformationAnchor(anchor)
        self.scale(target / current, target / current)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.zoomed.emit()

    def set_zoom(self, level: float) -> None:
        self.zoom_by(2**level / self.scale_factor())

    def center(self) -> QPointF:
        return self.mapToScene(self.viewport().rect().center())

    def pan_pixels(self, dx: float, dy: float) -> None:
        s = self.scale_factor()
        self.centerOn(self.center() + QPointF(dx / s, dy / s))

    def wheelEvent(self, event: Any) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(2 ** (steps / 2.0), at_cursor=True)
        event.accept()

    def keyPressEvent(self, event: Any) -> None:
        key = event.key()
        step = max(self.viewport().width(), self.viewport().height()) / 6.0
        moves = {
            Qt.Key.Key_Left: (-step, 0),
            Qt.Key.Key_Right: (step, 0),
            Qt.Key.Key_Up: (0, -step),
            Qt.Key.Key_Down: (0, step),
        }
        if key in moves:
            self.pan_pixels(*moves[key])
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(2.0)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(0.5)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Home) and self.fit_handler is not None:
            self.fit_handler()
        elif key == Qt.Key.Key_Escape and self.pin_mode:
            self.pinEscaped.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # Pin mode ----------------------------------------------------------------------------------
    def set_pin_mode(self, on: bool) -> None:
        self.pin_mode = on
        self.setDragMode(
            QGraphicsView.DragMode.NoDrag if on else QGraphicsView.DragMode.ScrollHandDrag
        )
        self.viewport().setCursor(
            Qt.CursorShape.CrossCursor if on else Qt.CursorShape.OpenHandCursor
        )

    def mousePressEvent(self, event: Any) -> None:
        if self.pin_mode and event.button() == Qt.MouseButton.LeftButton:
            scene = self.mapToScene(event.position().toPoint())
            lat, lon = unproject(scene.x(), scene.y())
            event.accept()
            self.picked.emit(lat, lon)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: Any) -> None:
        scene = self.mapToScene(event.position().toPoint())
        if 0 <= scene.x() <= WORLD and 0 <= scene.y() <= WORLD:
            self.hovered.emit(*unproject(scene.x(), scene.y()))
        super().mouseMoveEvent(event)

    # Background tiles --------------------------------------------------------------------------
    def set_tiles(self, tiles: MBTiles | None) -> None:
        if self._tile_reads is not None:  # no read may be left on a file about to close
            self._tile_reads.cancel()
        self._tile_tasks.wait()
        if self.tiles is not None:
            self.tiles.close()
        self.tiles = tiles
        self._tile_generation += 1
        self._tile_cache.clear()
        self._tiles_pending.clear()
        self._tiles_wanted.clear()
        self.viewport().update()

    @property
    def tiles_pending(self) -> bool:
        """True while tiles a paint asked for are still being read."""
        return bool(self._tiles_pending or self._tiles_wanted)

    def _cached(self, key: TileKey) -> tuple[bool, QPixmap | None]:
        """(known, pixmap): a known key with no pixmap is a tile the file does not have."""
        if key not in self._tile_cache:
            return False, None
        self._tile_cache.move_to_end(key)
        return True, self._tile_cache[key]

    def _want(self, key: TileKey) -> None:
        if key not in self._tiles_pending:
            self._tiles_pending.add(key)
            self._tiles_wanted.append(key)

    def _tile_source(self, z: int, x: int, y: int) -> tuple[QPixmap, QRectF] | None:
        """The tile, or the part of a cached ancestor tile that covers it (over-zoom, or a
        stand-in until the tile itself is read).  The first tile not yet known is asked for."""
        assert self.tiles is not None
        asked = False
        for dz in range(0, min(z - self.tiles.min_zoom, 6) + 1):
            key = (z - dz, x >> dz, y >> dz)
            known, pixmap = self._cached(key)
            if pixmap is not None:
                size = pixmap.width() / (1 << dz)
                sx = (x - ((x >> dz) << dz)) * size
                sy = (y - ((y >> dz) << dz)) * size
                return pixmap, QRectF(sx, sy, size, pixmap.height() / (1 << dz))
            if not known and not asked:
                self._want(key)
                asked = True
        return None

    def _read_wanted_tiles(self) -> None:
        """Read the tiles the last paint asked for, on the background API's worker."""
        if not self._tiles_wanted or self.tiles is None:
            return
        keys, self._tiles_wanted = self._tiles_wanted, []
        tiles, generation = self.tiles, self._tile_generation

        def work(job: Job) -> tuple[int, dict[TileKey, QImage | None]]:
            images: dict[TileKey, QImage | None] = {}
            for key in keys:
                if job.cancelled():
                    break
                data = tiles.tile(*key)
                image = QImage()
                images[key] = image if data and image.loadFromData(data) else None
            return generation, images

        self._tile_reads = self._tile_tasks.start(
            work,
            lambda result: self._tiles_read(keys, result),
            lambda error: self._tiles_failed(keys, generation, error),
            write=False,
        )

    def _tiles_read(
        self, keys: list[TileKey], result: tuple[int, dict[TileKey, QImage | None]]
    ) -> None:
        generation, images = result
        if generation != self._tile_generation:
            return
        for key, image in images.items():
            self._tile_cache[key] = None if image is None else QPixmap.fromImage(image)
        while len(self._tile_cache) > TILE_CACHE:
            self._tile_cache.popitem(last=False)
        self._tiles_pending.difference_update(keys)  # a cancelled read's rest is asked again
        if images:
            self.viewport().update()
        self.tilesArrived.emit()

    def _tiles_failed(self, keys: list[TileKey], generation: int, error: BaseException) -> None:
        # A damaged MBTiles file is a map without background, not a crash; nothing is retried.
        log.warning("MBTiles read failed: %r", error)
        if generation != self._tile_generation:
            return
        for key in keys:
            self._tile_cache[key] = None
        self._tiles_pending.difference_update(keys)
        self.tilesArrived.emit()

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawBackground(painter, rect)
        if self.tiles is None:
            return
        z = round(self.zoom_level())
        z = max(self.tiles.min_zoom, min(self.tiles.max_zoom + 6, z))
        n = 1 << z
        size = WORLD / n
        x0 = max(0, math.floor(rect.left() / size))
        x1 = min(n - 1, math.floor(rect.right() / size))
        y0 = max(0, math.floor(rect.top() / size))
        y1 = min(n - 1, math.floor(rect.bottom() / size))
        if (x1 - x0 + 1) * (y1 - y0 + 1) > 600:  # never stall a paint on a silly request
            return
        fetch_z = min(z, self.tiles.max_zoom)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                shift = z - fetch_z
                found = self._tile_source(fetch_z, x >> shift, y >> shift)
                if found is None:
                    continue
                pixmap, source = found
                if shift:
                    sub = source.width() / (1 << shift)
                    source = QRectF(
                        source.x() + (x - ((x >> shift) << shift)) * sub,
                        source.y() + (y - ((y >> shift) << shift)) * sub,
                        sub,
                        source.height() / (1 << shift),
                    )
                painter.drawPixmap(QRectF(x * size, y * size, size, size), pixmap, source)
        self._read_wanted_tiles()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        legend = self.findChild(QLabel, "mapLegend")
        if legend is not None:
            legend.adjustSize()
            legend.move(8, self.height() - legend.height() - 8)
