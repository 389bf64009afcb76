"""What the map draws on its scene: district labels, photo and case markers, the pin, and the
colours that tell jurisdictions apart (stable per division code, so the legend means the same
thing on every page and every run)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from officer_app.services.map_data import project

UNKNOWN_COLOR = QColor("#8a8f98")
TRACK_COLOR = QColor(29, 78, 216, 210)
OUTLINE_COLOR = QColor("#6b7280")
LAND_FILL = QColor(250, 248, 240)
SEA = QColor("#dbe6ee")


def code_color(code: str | None) -> QColor:
    """A stable, well-separated colour per division code (same code, same colour, every run)."""
    if not code:
        return QColor(UNKNOWN_COLOR)
    crc = zlib.crc32(code.encode("ascii", "replace"))
    hue = int(((crc * 0.6180339887498949) % 1.0) * 360.0)
    return QColor.fromHsv(hue, 200, 205)


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


def line_item(
    segments: Iterable[Sequence[tuple[float, float]]], color: QColor, width: float
) -> tuple[QGraphicsPathItem, list[tuple[float, float]]]:
    """A line through ``(lat, lon)`` points in the map's projection (a patrol's track, a
    recording's path): a cosmetic pen, so it keeps its width at every zoom, and no mouse. Also the
    projected points, for fitting the view around them."""
    path, points = QPainterPath(), []
    for segment in segments:
        for i, (lat, lon) in enumerate(segment):
            x, y = project(lat, lon)
            points.append((x, y))
            if i == 0:
                path.moveTo(x, y)
            else:
                path.lineTo(x, y)
    item = QGraphicsPathItem(path)
    pen = QPen(color, width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    item.setPen(pen)
    item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
    return item, points


def _blend(base: QColor, tint: QColor) -> QColor:
    """``tint`` laid over ``base`` (alpha of the tint), keeping the base's alpha."""
    a = tint.alphaF()
    return QColor(
        round(base.red() * (1 - a) + tint.red() * a),
        round(base.green() * (1 - a) + tint.green() * a),
        round(base.blue() * (1 - a) + tint.blue() * a),
        base.alpha(),
    )
