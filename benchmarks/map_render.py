"""Measure the offline map's first paint with all 305 district boundaries; prints figures.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/map_render.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from officer_app.services import jurisdiction, map_data
    from officer_app.ui import map_widget

    t0 = time.perf_counter()
    jurisdiction.index()
    t_index = time.perf_counter() - t0
    t0 = time.perf_counter()
    outlines = map_data.district_outlines()
    t_outlines = time.perf_counter() - t0
    t0 = time.perf_counter()
    paths = map_widget.boundary_cache().build_now()
    t_paths = time.perf_counter() - t0
    full = sum(p.full.elementCount() for p in paths)
    coarse = sum(p.coarse.elementCount() for p in paths)
    print(
        f"index load: {t_index:.3f} s; project+simplify {len(outlines)} outlines: {t_outlines:.3f} s"
    )
    print(f"QPainterPaths: {t_paths:.3f} s ({full:,} vertices full, {coarse:,} coarse)")

    widget = map_widget.MapWidget()
    widget.resize(1280, 800)
    t0 = time.perf_counter()
    widget.show()  # adds the 305 outline and label items from the cached paths
    t_items = time.perf_counter() - t0
    assert widget.boundaries_loaded
    widget.fit_to_content()
    t0 = time.perf_counter()
    widget.grab()
    t_first = time.perf_counter() - t0
    print(
        f"show() with 610 scene items: {t_items * 1000:.0f} ms; first paint (YRD, coarse): {t_first * 1000:.0f} ms"
    )
    for zoom in (8, 11, 14):
        widget.center_on(31.02, 120.87, zoom=zoom)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            widget.grab()
            times.append(time.perf_counter() - t0)
        print(f"paint at zoom {zoom}: best {min(times) * 1000:.0f} ms of 3")
    widget.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
