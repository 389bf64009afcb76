"""An offline map: district boundaries, a patrol's track, photo and case markers, local tiles.

Why offline and hand-made: squads work on river banks and in villages with no signal, and a map
component that fetches tiles would both stall there and tell a tile server where enforcement is
looking. Everything drawn here comes from the data directory or the shipped resources: the
district polygons that decide jurisdiction (so the border the officer sees is the border the
lookup uses), and optionally a deployment's own MBTiles file as background. This module never
imports QtNetwork.

Projection and units: Web Mercator in "world units" (see ``services.map_data``): 256 units span
the world, one unit is 2**z pixels at zoom z. Markers and labels ignore the view transform so they
keep their pixel size; outlines use cosmetic pens.

The pieces: ``map_boundaries`` (the outlines, built once per process in the background),
``map_items`` (what is drawn on the scene), ``map_view`` (pan, zoom, pin, background tiles) and
this module, the pane that puts them together for the pages.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsScene,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from officer_app.services.map_data import WORLD, project
from officer_app.ui.map_boundaries import DistrictPaths, boundary_cache
from officer_app.ui.map_items import (
    LAND_FILL,
    OUTLINE_COLOR,
    TRACK_COLOR,
    Marker,
    _blend,
    _LabelItem,
    _PinItem,
    code_color,
    line_item,
)
from officer_app.ui.map_view import MAX_ZOOM, MIN_ZOOM, MapView

__all__ = ["MapView", "MapWidget", "Marker", "boundary_cache", "code_color"]

log = logging.getLogger(__name__)

#: Below this scale (pixels per world unit, ~zoom 10) the simplified outlines are drawn: their
#: 0.002° tolerance is then under 1.5 px.
FULL_DETAIL_SCALE = 1024.0
#: The smallest area "fit to content" zooms to (world units, ~2 km), so one photo is not a blur.
MIN_FIT_SPAN = 0.015
#: Yangtze River Delta, shown before anything else is known.
DEFAULT_VIEW = (27.0, 35.2, 114.8, 122.9)  # min lat, max lat, min lon, max lon


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
        pen = QPen(OUTLINE_COLOR, 1.0)
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
                base = QColor(LAND_FILL)
                base.setAlpha(alpha)
                item.setBrush(QBrush(_blend(base, tint)))
            else:
                base = QColor(LAND_FILL)
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
            self.track_item, track_points = line_item(track, TRACK_COLOR, 3.0)
            points += track_points
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
