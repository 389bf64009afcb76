"""A selected moving recording's path, drawn on the evidence page's map as a line.

Kept out of ``map_widget.py`` (already over the size limit, and being split): the overlay adds
one path item to the widget's scene, in the map's own projection, and takes it away when another
item is selected.  The map's ``set_content`` does not know it, so it survives a marker refresh
and is replaced only here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene

from officer_app.ui.map_items import line_item

ROUTE_COLOR = QColor(220, 38, 38, 220)  # red: the patrol's track is blue, a recording's path not


def route_text(item: dict[str, Any]) -> str:
    """The detail pane's line for a path: count and length, or a dash for one position."""
    path = item.get("path")
    if not path:
        return QCoreApplication.translate("recording", "无（固定位置）")
    return QCoreApplication.translate("recording", "{n} 个定位点，约 {m} 米").format(
        n=len(path), m=f"{float(item.get('path_length_m') or 0):.0f}"
    )


class RouteOverlay:
    """Shows at most one recording's path on a map scene."""

    def __init__(self, scene: QGraphicsScene) -> None:
        self.scene = scene
        self.item: QGraphicsPathItem | None = None

    def show(self, path: list[dict[str, Any]] | None) -> None:
        """Draw ``path`` (``[{t, lat, lon}]``, as ``evidence list --json`` gives it), or clear."""
        if self.item is not None:
            self.scene.removeItem(self.item)
            self.item = None
        if not path or len(path) < 2:
            return
        line = [(float(point["lat"]), float(point["lon"])) for point in path]
        self.item, _points = line_item([line], ROUTE_COLOR, 4.0)
        self.item.setZValue(6)  # over the districts and the patrol's track, under the markers
        self.item.setToolTip(QCoreApplication.translate("recording", "录像移动轨迹"))
        self.scene.addItem(self.item)


__all__ = ["ROUTE_COLOR", "RouteOverlay", "route_text"]
