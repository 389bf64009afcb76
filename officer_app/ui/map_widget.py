"""An offline map: district boundaries, a patrol's track, photo and case markers, local tiles.

Why offline and hand-made: squads work on river banks and in villages with no signal, and a map
component that fetches tiles would both stall there and tell a tile server where enforcement is
looking. Everything drawn here comes from the data directory or the shipped resources: the
district polygons that decide jurisdiction (so the border the officer sees is the border the
lookup uses), and optionally a deployment's own MBTiles file as background. This module never
imports QtNetwork.

Projection and units: Web Mercator in "world units" (see ``services.map_data``): 256 units span
the world, one unit is 2**z pixels at zoom z. Markers and labels ignore the view transform so they
keep their pixel size; outlines use cosmetic pens. The 305 outlines (249k vertices) are projected
and turned into QPainterPaths once per process on a worker thread, with a simplified copy for the
zoomed-out view.
"""

from __future__ import annotations

import logging
import math
import zlib
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QDataStream,
    QObject,
    QPointF,
    QRect,
    QRectF,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QStyleOptionGraphicsItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from officer_app.services.map_data import WORLD, project, unproject

if TYPE_CHECKING:
    from officer_app.services.map_data import DistrictOutline
    from officer_app.services.mbtiles import MBTiles

log = logging.getLogger(__name__)

MIN_ZOOM = 3.0
MAX_ZOOM = 19.0
#: Below this scale (pixels per world unit, ~zoom 10) the simplified outlines are drawn: their
#: 0.002° tolerance is then under 1.5 px.
FULL_DETAIL_SCALE = 1024.0
#: The smallest area "fit to content" zooms to (world units, ~2 km), so one photo is not a blur.
MIN_FIT_SPAN = 0.015
#: Yangtze River Delta, shown before anything else is known.
DEFAULT_VIEW = (27.0, 35.2, 114.8, 122.9)  # min lat, max lat, min lon, max lon
TILE_CACHE = 256

_UNKNOWN_COLOR = QColor("#8a8f98")
_TRACK_COLOR = QColor(29, 78, 216, 210)
_OUTLINE_COLOR = QColor("#6b7280")
_LAND_FILL = QColor(250, 248, 240)
_SEA = QColor("#dbe6ee")


def code_color(code: str | None) -> QColor:
    """A stable, well-separated colour per division code (same code, same colour, every run)."""
    if not code:
        return QColor(_UNKNOWN_COLOR)
    crc = zlib.crc32(code.encode("ascii", "replace"))
    hue = int(((crc * 0.6180339887498949) % 1.0) * 360.0)
    return QColor.fromHsv(hue, 200, 205)


# -- Boundary paths, built once per process off the GUI thread ----------------------------------


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


class _LoadJob(QRunnable):
    def __init__(self, cache: _BoundaryCache) -> None:
        super().__init__()
        self.cache = cache

    def run(self) -> None:
        try:
            paths: list[DistrictPaths] | None = build_district_paths()
        except Exception:  # no boundaries is a degraded map, not a crash
            log.exception("boundary outlines could not be built")
            paths = None
        self.cache.built.emit(paths)


class _BoundaryCache(QObject):
    """Process-wide: the evidence page and the patrol page share one set of paths."""

    built = Signal(object)
    ready = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[DistrictPaths] | None = None
        self.failed = False
        self.loading = False
        self.pool = QThreadPool(self)  # its own pool, so draining it waits for nothing else
        self.pool.setMaxThreadCount(1)
        self.built.connect(self._store)

    def request(self) -> None:
        if self.paths is None and not self.loading:
            self.loading = True
            self.pool.start(_LoadJob(self))

    def drain(self, msecs: int = 15_000) -> bool:
        """Wait for a load in flight (on exit), so no worker outlives the application."""
        return self.pool.waitForDone(msecs)

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


# -- Scene items --------------------------------------------------------------------------------


class _LabelItem(QGraphicsSimpleTextItem):
    """A district name, centred on its label point, fixed pixel size.

    Painted by Qt itself rather than a Python ``paint()``: there are 305 of them per map, and
    a Python ``paint()`` would make hundreds of painter calls per frame.
    """

    def __init__(self, text: str, district_width: float) -> None:
        super().__init__(text)
        self.district_width = district_width
        font = QFont()
        font.setPointSizeF(8.5)
        self.setFont(font)
        self.setBrush(QColor("#374151"))
        rect = self.boundingRect()
        self.width = rect.width()
        self.shown = True
        self.setTransform(QTransform.fromTranslate(-rect.width() / 2, -rect.height() / 2))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(3)


class Marker(QGraphicsItem):
    """A photo (circle) or case (diamond) marker in its jurisdiction's colour."""

    def __init__(self, kind: str, key: str, color: QColor, tooltip: str, on_click: Any) -> None:
        super().__init__()
        self.kind = kind
        self.key = key
        self.color = color
        self.on_click = on_click
        self.code: str | None = None
        self.row: dict[str, Any] = {}
        self.highlighted = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(tooltip)
        self.setZValue(11 if kind == "case" else 10)

    def _radius(self) -> float:
        base = 7.5 if self.kind == "case" else 6.5
        return base + (3.0 if self.highlighted else 0.0)

    def _center(self) -> QPointF:
        """Photos sit on their point; a case flies as a diamond on a short stem above it, so a
        case and its own photos at the same spot stay visible and clickable."""
        return QPointF(0, -18) if self.kind == "case" else QPointF(0, 0)

    def boundingRect(self) -> QRectF:
        r = self._radius() + 4
        c = self._center()
        return QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r).united(QRectF(-2, -2, 4, 4))

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        r = self._radius() + 2
        path.addEllipse(self._center(), r, r)
        return path

    def set_highlighted(self, on: bool) -> None:
        if on != self.highlighted:
            self.prepareGeometryChange()
            self.highlighted = on
            self.setZValue(20 if on else (11 if self.kind == "case" else 10))

    def paint(
        self, painter: QPainter, _option: QStyleOptionGraphicsItem, _widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self._radius()
        c = self._center()
        if self.highlighted:
            painter.setPen(QPen(QColor("#111827"), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(c, r + 2.5, r + 2.5)
        if self.kind == "case":
            painter.setPen(QPen(QColor("#111827"), 2))
            painter.drawLine(QPointF(0, 0), QPointF(0, c.y() + r))
            painter.setPen(QPen(QColor("#111827"), 1.5))
            painter.setBrush(QBrush(self.color))
            x, y = c.x(), c.y()
            painter.drawPolygon(
                QPolygonF(
                    [QPointF(x, y - r), QPointF(x + r, y), QPointF(x, y + r), QPointF(x - r, y)]
                )
            )
        else:
            painter.setPen(QPen(QColor("white"), 2))
            painter.setBrush(QBrush(self.color))
            painter.drawEllipse(c, r, r)

    def mousePressEvent(self, event: Any) -> None:
        event.accept()
        self.on_click(self)


class _PinItem(QGraphicsItem):
    """Where the officer just clicked in pin mode, until the position is saved or dropped."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(30)

    def boundingRect(self) -> QRectF:
        return QRectF(-12, -26, 24, 28)

    def paint(
        self, painter: QPainter, _option: QStyleOptionGraphicsItem, _widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath(QPointF(0, 0))
        path.cubicTo(QPointF(-3, -8), QPointF(-10, -12), QPointF(-10, -17))
        path.arcTo(QRectF(-10, -25, 20, 16), 180, -180)
        path.cubicTo(QPointF(10, -12), QPointF(3, -8), QPointF(0, 0))
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(QColor("#dc2626"))
        painter.drawPath(path)
        painter.setBrush(QColor("white"))
        painter.drawEllipse(QPointF(0, -17), 3, 3)


# -- The view -----------------------------------------------------------------------------------


class MapView(QGraphicsView):
    """Pan by dragging or arrow keys, zoom with the wheel or +/-, 0 fits, Esc leaves pin mode."""

    picked = Signal(float, float)  # lat, lon (WGS-84)
    zoomed = Signal()
    pinEscaped = Signal()
    hovered = Signal(float, float)

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.pin_mode = False
        self.tiles: MBTiles | None = None
        self._tile_cache: OrderedDict[tuple[int, int, int], QPixmap | None] = OrderedDict()
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
        self.setBackgroundBrush(_SEA)
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
        if self.tiles is not None:
            self.tiles.close()
        self.tiles = tiles
        self._tile_cache.clear()
        self.viewport().update()

    def _pixmap(self, z: int, x: int, y: int) -> QPixmap | None:
        key = (z, x, y)
        if key in self._tile_cache:
            self._tile_cache.move_to_end(key)
            return self._tile_cache[key]
        data = self.tiles.tile(z, x, y) if self.tiles else None
        pixmap: QPixmap | None = None
        if data:
            pixmap = QPixmap()
            if not pixmap.loadFromData(data):
                pixmap = None
        self._tile_cache[key] = pixmap
        if len(self._tile_cache) > TILE_CACHE:
            self._tile_cache.popitem(last=False)
        return pixmap

    def _tile_source(self, z: int, x: int, y: int) -> tuple[QPixmap, QRectF] | None:
        """The tile, or the part of an ancestor tile that covers it (over-zoom)."""
        assert self.tiles is not None
        for dz in range(0, min(z - self.tiles.min_zoom, 6) + 1):
            pixmap = self._pixmap(z - dz, x >> dz, y >> dz)
            if pixmap is not None:
                size = pixmap.width() / (1 << dz)
                sx = (x - ((x >> dz) << dz)) * size
                sy = (y - ((y >> dz) << dz)) * size
                return pixmap, QRectF(sx, sy, size, pixmap.height() / (1 << dz))
        return None

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

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        legend = self.findChild(QLabel, "mapLegend")
        if legend is not None:
            legend.adjustSize()
            legend.move(8, self.height() - legend.height() - 8)


# -- The widget ---------------------------------------------------------------------------------


class MapWidget(QWidget):
    """The map pane: toolbar, view, legend and a status line. Holds no SQL.

    Callers hand it plain rows (``services.map_data``) and listen to ``photoActivated``,
    ``caseActivated`` and, in pin mode, ``positionPicked``.
    """

    photoActivated = Signal(str)
    caseActivated = Signal(str)
    positionPicked = Signal(float, float)
    pinModeChanged = Signal(bool)
    boundariesLoaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scene = QGraphicsScene(self)
        self.scene.setSceneRect(0, 0, WORLD, WORLD)
        self.view = MapView(self.scene, self)
        self.view.setObjectName("mapView")
        self.view.setAccessibleName(self.tr("地图"))
        self.view.setAccessibleDescription(
            self.tr("拖动或方向键平移，滚轮或加减号缩放，0 键适合范围")
        )
        self.view.setToolTip(self.tr("拖动或方向键平移，滚轮或 +/- 缩放，0 适合范围"))
        self.view.fit_handler = self.fit_to_content
        self.view.picked.connect(self._picked)
        self.view.zoomed.connect(self._apply_zoom)
        self.view.pinEscaped.connect(lambda: self.set_pin_mode(False))
        self.view.hovered.connect(self._hovered)
        self.photo_markers: dict[str, Marker] = {}
        self.case_markers: dict[str, Marker] = {}
        self.district_items: dict[str, QGraphicsPathItem] = {}
        # Plain Python lookups rather than QGraphicsItem.setData()/data() round trips.
        self._district_paths: dict[str, DistrictPaths] = {}
        self.label_items: list[_LabelItem] = []
        self.track_item: QGraphicsPathItem | None = None
        self.pin_item: _PinItem | None = None
        self.selected_photo: str | None = None
        self._coarse = True
        self._fit_pending = True
        self._content_rect: QRectF | None = None
        self._codes: list[str] = []
        self.boundaries_loaded = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.zoom_in_button = self._tool("放大", "+", self.zoom_in)
        self.zoom_out_button = self._tool("缩小", "−", self.zoom_out)
        self.fit_button = self._tool("适合范围", self.tr("适合范围"), self.fit_to_content)
        for button in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            bar.addWidget(button)
        bar.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("mapStatus")
        self.status.setAccessibleName(self.tr("地图状态"))
        bar.addWidget(self.status)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.legend = QLabel(self.view)
        self.legend.setObjectName("mapLegend")
        self.legend.setAccessibleName(self.tr("图例：管辖区颜色"))
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setStyleSheet(
            "QLabel { background: rgba(255,255,255,225); border: 1px solid #c7cdd4;"
            " border-radius: 4px; padding: 4px 6px; }"
        )
        self.legend.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.legend.hide()
        self.setFocusProxy(self.view)
        self._say_loading()

    def _tool(self, name: str, text: str, slot: Any) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setAccessibleName(self.tr(name))
        button.setToolTip(self.tr(name))
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    # Boundaries --------------------------------------------------------------------------------
    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.ensure_boundaries()
        if self._fit_pending:
            self.fit_to_content()

    def ensure_boundaries(self) -> None:
        """Start (or join) the shared background load; draw at once if it is already done."""
        if self.boundaries_loaded:
            return
        cache = boundary_cache()
        if cache.paths is not None or cache.failed:
            self._add_boundaries()
            return
        cache.ready.connect(self._add_boundaries, Qt.ConnectionType.UniqueConnection)
        cache.request()

    def load_boundaries_now(self) -> None:
        """Build on this thread (tests, benchmarks, screenshots): no waiting on a worker."""
        boundary_cache().build_now()
        self._add_boundaries()

    def _add_boundaries(self) -> None:
        if self.boundaries_loaded:
            return
        paths = boundary_cache().paths
        if paths is None:
            self.status.setText(self.tr("行政区划边界未能加载"))
            return
        self.boundaries_loaded = True
        pen = QPen(_OUTLINE_COLOR, 1.0)
        pen.setCosmetic(True)
        for district in paths:
            item = QGraphicsPathItem(district.coarse if self._coarse else district.full)
            item.setPen(pen)
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            item.setToolTip(f"{district.name}（{district.code}）")
            self._district_paths[district.code] = district
            item.setZValue(1)
            self.scene.addItem(item)
            self.district_items[district.code] = item
            label = _LabelItem(district.name, district.bounds.width())
            label.setPos(district.label)
            self.scene.addItem(label)
            self.label_items.append(label)
        self._restyle_districts()
        self._update_legend()  # names are known now
        for marker in [*self.photo_markers.values(), *self.case_markers.values()]:
            marker.setToolTip(self._tooltip(marker.kind, marker.row))
        self._apply_zoom()
        self.status.clear()
        if self._content_rect is None and self._fit_pending:
            self.fit_to_content()
        self.boundariesLoaded.emit()

    def _restyle_districts(self) -> None:
        """Light fill; districts that hold a marker get a tint of their legend colour."""
        alpha = 150 if self.view.tiles is not None else 255
        present = set(self._codes)
        for code, item in self.district_items.items():
            if code in present:
                tint = code_color(code)
                tint.setAlpha(55 if self.view.tiles is not None else 40)
                base = QColor(_LAND_FILL)
                base.setAlpha(alpha)
                item.setBrush(QBrush(_blend(base, tint)))
            else:
                base = QColor(_LAND_FILL)
                base.setAlpha(alpha)
                item.setBrush(QBrush(base))

    def _apply_zoom(self) -> None:
        scale = self.view.scale_factor()
        coarse = scale < FULL_DETAIL_SCALE
        if coarse != self._coarse:
            self._coarse = coarse
            for code, item in self.district_items.items():
                district = self._district_paths[code]
                item.setPath(district.coarse if coarse else district.full)
        for label in self.label_items:
            show = label.district_width * scale > label.width + 12
            if show != label.shown:
                label.shown = show
                label.setVisible(show)

    # Content -----------------------------------------------------------------------------------
    def set_content(
        self,
        photos: list[dict[str, Any]],
        cases: list[dict[str, Any]] | None = None,
        track: list[list[tuple[float, float]]] | None = None,
        *,
        fit: bool = True,
    ) -> None:
        """Replace markers and track; ``fit`` re-frames the view on them."""
        for marker in [*self.photo_markers.values(), *self.case_markers.values()]:
            self.scene.removeItem(marker)
        self.photo_markers.clear()
        self.case_markers.clear()
        if self.track_item is not None:
            self.scene.removeItem(self.track_item)
            self.track_item = None
        points: list[tuple[float, float]] = []
        for row in photos:
            if row.get("lat") is None:
                continue
            marker = Marker(
                "photo",
                row["id"],
                code_color(row.get("jurisdiction_code")),
                self._tooltip("photo", row),
                self._clicked,
            )
            marker.row = row
            marker.code = row.get("jurisdiction_code")
            self._place(marker, row["lat"], row["lon"], points)
            self.photo_markers[row["id"]] = marker
        for row in cases or []:
            if row.get("lat") is None:
                continue
            marker = Marker(
                "case",
                row["id"],
                code_color(row.get("jurisdiction_code")),
                self._tooltip("case", row),
                self._clicked,
            )
            marker.row = row
            marker.code = row.get("jurisdiction_code")
            self._place(marker, row["lat"], row["lon"], points)
            self.case_markers[row["id"]] = marker
        if track:
            path = QPainterPath()
            for segment in track:
                for i, (lat, lon) in enumerate(segment):
                    x, y = project(lat, lon)
                    points.append((x, y))
                    if i == 0:
                        path.moveTo(x, y)
                    else:
                        path.lineTo(x, y)
            self.track_item = QGraphicsPathItem(path)
            pen = QPen(_TRACK_COLOR, 3.0)
            pen.setCosmetic(True)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            self.track_item.setPen(pen)
            self.track_item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            self.track_item.setToolTip(self.tr("巡查轨迹"))
            self.track_item.setZValue(5)
            self.scene.addItem(self.track_item)
        if points:
            xs = [p[0] for p in points]
            ys = [p[1] for p in points]
            self._content_rect = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        else:
            self._content_rect = None
        self._codes = sorted(
            {m.code or "" for m in [*self.photo_markers.values(), *self.case_markers.values()]}
        )
        self._update_legend()
        self._restyle_districts()
        if self.selected_photo in self.photo_markers:
            self.photo_markers[self.selected_photo].set_highlighted(True)
        if fit:
            self.fit_to_content()

    def _place(
        self, marker: Marker, lat: float, lon: float, points: list[tuple[float, float]]
    ) -> None:
        x, y = project(lat, lon)
        marker.setPos(x, y)
        points.append((x, y))
        self.scene.addItem(marker)

    def _tooltip(self, kind: str, row: dict[str, Any]) -> str:
        where = self.tr("管辖：{0}").format(self._code_text(row.get("jurisdiction_code")))
        if kind == "case":
            head = self.tr("案件：{0}").format(row.get("violation_name") or "")
            return f"{head}\n{row.get('place') or ''}\n{where}"
        return f"{row.get('original_name', '')}\n{row.get('taken_at') or ''}\n{where}"

    def _code_text(self, code: str | None) -> str:
        if not code:
            return self.tr("未知")
        from officer_app.services.map_data import district_name

        name = district_name(code) if self.boundaries_loaded else ""
        return f"{name}（{code}）" if name else code

    def _update_legend(self) -> None:
        if not self._codes:
            self.legend.hide()
            return
        rows = []
        for code in self._codes:
            color = code_color(code or None).name()
            rows.append(
                f"<span style='color:{color}; font-size:14px'>●</span>&nbsp;"
                f"{self._code_text(code or None)}"
            )
        shapes = self.tr("● 照片　◆ 案件")
        if self.track_item is not None:
            shapes += self.tr("　— 轨迹")
        rows.append(f"<span style='color:#4b5563'>{shapes}</span>")
        self.legend.setText("<br>".join(rows))
        self.legend.adjustSize()
        self.legend.move(8, self.view.height() - self.legend.height() - 8)
        self.legend.show()
        self.legend.raise_()

    def legend_codes(self) -> list[str]:
        """The jurisdiction codes the legend lists ("" for unknown)."""
        return list(self._codes)

    # Selection ---------------------------------------------------------------------------------
    def _clicked(self, marker: Marker) -> None:
        if marker.kind == "photo":
            self.select_photo(marker.key, center=False)
            self.photoActivated.emit(marker.key)
        else:
            self.caseActivated.emit(marker.key)

    def select_photo(self, evidence_id: str | None, *, center: bool = True) -> None:
        """Highlight one photo's marker; bring it into view if it is outside."""
        if self.selected_photo in self.photo_markers:
            self.photo_markers[self.selected_photo].set_highlighted(False)
        self.selected_photo = evidence_id
        marker = self.photo_markers.get(evidence_id or "")
        if marker is None:
            return
        marker.set_highlighted(True)
        if center:
            visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
            if not visible.contains(marker.pos()):
                self.view.centerOn(marker.pos())

    # View control ------------------------------------------------------------------------------
    def zoom_in(self) -> None:
        self.view.zoom_by(2.0)

    def zoom_out(self) -> None:
        self.view.zoom_by(0.5)

    def center_on(self, lat: float, lon: float, zoom: float | None = None) -> None:
        if zoom is not None:
            self.view.set_zoom(zoom)
        self.view.centerOn(QPointF(*project(lat, lon)))

    def fit_to_content(self) -> None:
        """Frame the markers and track, or the boundaries' region when there are none."""
        if self.view.viewport().width() < 10 or not self.isVisible():
            self._fit_pending = True
            return
        self._fit_pending = False
        rect = self._content_rect
        if rect is None:
            min_lat, max_lat, min_lon, max_lon = DEFAULT_VIEW
            x0, y0 = project(max_lat, min_lon)
            x1, y1 = project(min_lat, max_lon)
            rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        pad = max(rect.width(), rect.height(), MIN_FIT_SPAN) * 0.25
        rect = rect.adjusted(-pad, -pad, pad, pad)
        if rect.width() < MIN_FIT_SPAN:
            rect.adjust(-(MIN_FIT_SPAN - rect.width()) / 2, 0, (MIN_FIT_SPAN - rect.width()) / 2, 0)
        if rect.height() < MIN_FIT_SPAN:
            grow = (MIN_FIT_SPAN - rect.height()) / 2
            rect.adjust(0, -grow, 0, grow)
        self.view.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        scale = self.view.scale_factor()
        bounded = min(max(scale, 2**MIN_ZOOM), 2**MAX_ZOOM)
        if bounded != scale:
            self.view.scale(bounded / scale, bounded / scale)
        self._apply_zoom()

    # Pin mode ----------------------------------------------------------------------------------
    def set_pin_mode(self, on: bool) -> None:
        if on == self.view.pin_mode:
            return
        self.view.set_pin_mode(on)
        if on:
            self.status.setText(self.tr("点击地图为所选照片定位（Esc 取消）"))
            self.view.setFocus()
        else:
            self.status.clear()
        self.pinModeChanged.emit(on)

    def pin_mode(self) -> bool:
        return self.view.pin_mode

    def _picked(self, lat: float, lon: float) -> None:
        self.show_pin(lat, lon)
        self.positionPicked.emit(lat, lon)

    def show_pin(self, lat: float, lon: float) -> None:
        if self.pin_item is None:
            self.pin_item = _PinItem()
            self.scene.addItem(self.pin_item)
        self.pin_item.setPos(*project(lat, lon))
        self.pin_item.show()

    def clear_pin(self) -> None:
        if self.pin_item is not None:
            self.pin_item.hide()

    def _hovered(self, lat: float, lon: float) -> None:
        if not self.view.pin_mode:
            self.status.setText(f"{lat:.5f}, {lon:.5f}")

    def _say_loading(self) -> None:
        self.status.setText(self.tr("正在加载行政区划边界…"))

    # Tiles -------------------------------------------------------------------------------------
    def set_mbtiles(self, path: str | None) -> bool:
        """Draw a local MBTiles file under the boundaries; False when it cannot be used."""
        from officer_app.services.mbtiles import MBTiles

        tiles = MBTiles.open(path)
        self.view.set_tiles(tiles)
        self._restyle_districts()
        return tiles is not None


def _blend(base: QColor, tint: QColor) -> QColor:
    """``tint`` laid over ``base`` (alpha of the tint), keeping the base's alpha."""
    a = tint.alphaF()
    return QColor(
        round(base.red() * (1 - a) + tint.red() * a),
        round(base.green() * (1 - a) + tint.green() * a),
        round(base.blue() * (1 - a) + tint.blue() * a),
        base.alpha(),
    )
