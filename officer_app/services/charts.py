"""The three charts of the 统计 page and the bulletin, drawn once for the screen and the printer.

Each ``draw_*`` function fills a matplotlib :class:`~matplotlib.figure.Figure` from a
:class:`~officer_app.services.stats.Dashboard`; the page wraps that Figure in a Qt canvas
(``backend_qtagg``), the bulletin renders it to PNG with the Agg canvas. So the screen and the
paper show the same picture from the same code. No Qt here and no pyplot (whose global state is
not thread-safe): the bulletin may draw on a worker thread.

Text is set in the bundled CJK font (``resources/fonts/gbsn00lp.ttf``), registered with
matplotlib by file, so Chinese renders on machines without any CJK system font, and there are no
missing-glyph warnings. matplotlib is imported only when a chart is drawn (never at start-up).

For print the charts go in as 200 dpi PNG rather than vector graphics: reportlab cannot place a
matplotlib PDF/SVG without another dependency (svglib, whose text handling would need the CJK font
mapped a second time), 200 dpi is sharp on a laser printer, and a PNG written without a timestamp
keeps the bulletin PDF deterministic.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officer_app.paths import resources_dir

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from officer_app.services.stats import Dashboard

__all__ = [
    "CHART_DPI",
    "chart_font_path",
    "chart_style",
    "draw_map",
    "draw_months",
    "draw_types",
    "render_png",
]

CHART_DPI = 200
_BAR = "#3b6ea5"
_BARS = ("#3b6ea5", "#e0893a", "#5a9e5a", "#b84a4a")


def chart_font_path() -> Path:
    return resources_dir() / "fonts" / "gbsn00lp.ttf"


@lru_cache(maxsize=1)
def _font_name() -> str:
    """Register the bundled font with matplotlib once; its family name for ``rcParams``."""
    import matplotlib

    matplotlib.use("Agg", force=False)  # only a default: an embedding Qt canvas still works
    from matplotlib import font_manager

    path = str(chart_font_path())
    font_manager.fontManager.addfont(path)
    return str(font_manager.FontProperties(fname=path).get_name())


def chart_style() -> AbstractContextManager[Any]:
    """The rc settings every chart is drawn under (CJK font, ASCII minus sign the font has)."""
    import matplotlib

    return matplotlib.rc_context(
        {
            "font.family": [_font_name()],
            "axes.unicode_minus": False,
            "font.size": 9,
            "axes.titlesize": 11,
            "svg.hashsalt": "officer_app",
        }
    )


def _empty(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#777777")
    ax.set_xticks([])
    ax.set_yticks([])


def draw_months(fig: Figure, board: Dashboard) -> None:
    """Grouped bars per month: joint patrols, violations found, transfers sent and received."""
    from matplotlib.ticker import MaxNLocator

    with chart_style():
        fig.clear()
        ax = fig.add_subplot(1, 1, 1)
        months = board.months
        series = [
            ("联合巡查", [m.patrols for m in months]),
            ("发现违法", [m.cases for m in months]),
            ("移出案件", [m.transfers_sent for m in months]),
            ("接收移送", [m.transfers_received for m in months]),
        ]
        if not any(sum(v) for _, v in series):
            _empty(ax, "本期无数据")
        else:
            width = 0.8 / len(series)
            for i, (label, values) in enumerate(series):
                xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(months))]
                bars = ax.bar(xs, values, width, label=label, color=_BARS[i])
                ax.bar_label(bars, fontsize=7, padding=1)
            ax.set_xticks(range(len(months)))
            ax.set_xticklabels([f"{int(m.month[5:])}月" for m in months])
            ax.legend(loc="upper left", fontsize=8, ncols=4, frameon=False)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.2 of a case
            ax.margins(y=0.2)
            ax.spines[["top", "right"]].set_visible(False)
        ax.set_title("按月统计")
        fig.tight_layout()


def draw_types(fig: Figure, board: Dashboard, *, top: int = 10) -> None:
    """Horizontal bars of violations found by type, the most frequent first."""
    from matplotlib.ticker import MaxNLocator

    with chart_style():
        fig.clear()
        ax = fig.add_subplot(1, 1, 1)
        items = board.cases_by_type[:top]
        if not items:
            _empty(ax, "本期未发现违法行为")
        else:
            labels = [_short(f.label, 16) for f in reversed(items)]
            values = [int(f.value or 0) for f in reversed(items)]
            bars = ax.barh(range(len(items)), values, color=_BAR)
            ax.bar_label(bars, fontsize=7, padding=2)
            ax.set_yticks(range(len(items)))
            ax.set_yticklabels(labels)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.margins(x=0.15)
            ax.spines[["top", "right"]].set_visible(False)
        ax.set_title("违法行为类型")
        fig.tight_layout()


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


@lru_cache(maxsize=1)
def _counties() -> dict[str, tuple[str, list[list[tuple[float, float]]]]]:
    """adcode → (name, exterior rings as (lon, lat)) from ``resources/boundaries/counties.geojson``."""
    path = resources_dir() / "boundaries" / "counties.geojson"
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    out: dict[str, tuple[str, list[list[tuple[float, float]]]]] = {}
    for feat in data["features"]:
        props, geom = feat["properties"], feat["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = [[(float(x), float(y)) for x, y, *_ in poly[0]] for poly in polys]
        out[str(props["adcode"])] = (str(props["name"]), rings)
    return out


def _ring_area(ring: Sequence[tuple[float, float]]) -> float:
    return abs(
        sum(
            x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True)
        )
        / 2
    )


def draw_map(fig: Figure, board: Dashboard, codes: Sequence[str] | None = None) -> None:
    """Cases per district over the county polygons of the cluster (a choropleth)."""
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import Normalize

    from officer_app.services.stats import jurisdiction_counts

    counts = jurisdiction_counts(board)
    shapes = _counties()
    wanted = [c for c in dict.fromkeys([*(codes or board.map_codes), *counts]) if c in shapes]
    with chart_style():
        fig.clear()
        ax = fig.add_subplot(1, 1, 1)
        ax.set_title("案件辖区分布")
        if not wanted:
            _empty(ax, "无辖区边界数据")
            fig.tight_layout()
            return
        top = max([counts.get(c, 0) for c in wanted] + [1])
        norm, cmap = Normalize(0, top), colormaps["Blues"]
        polys, colours = [], []
        for code in wanted:
            for ring in shapes[code][1]:
                polys.append(ring)
                colours.append(cmap(0.08 + 0.85 * norm(counts.get(code, 0))))
        ax.add_collection(
            PolyCollection(polys, facecolors=colours, edgecolors="#555555", linewidths=0.6)
        )
        for code in wanted:
            name, rings = shapes[code]
            ring = max(rings, key=_ring_area)
            cx = sum(x for x, _ in ring) / len(ring)
            cy = sum(y for _, y in ring) / len(ring)
            n = counts.get(code, 0)
            ax.text(
                cx,
                cy,
                f"{name}\n{n}起",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if norm(n) > 0.6 else "black",
            )
        ax.autoscale_view()
        ax.set_aspect(1.15)  # ~1/cos(30°N): keeps shapes true at the delta's latitude
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        mappable = ScalarMappable(norm=norm, cmap=cmap)
        bar = fig.colorbar(mappable, ax=ax, shrink=0.7, pad=0.02)
        bar.set_label("案件数（起）")
        fig.tight_layout()


def render_png(
    draw: Callable[[Figure, Dashboard], None],
    board: Dashboard,
    size_in: tuple[float, float],
    dpi: int = CHART_DPI,
) -> bytes:
    """One chart as PNG bytes, without a timestamp (same dashboard → same bytes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    _font_name()
    fig = Figure(figsize=size_in, dpi=dpi)
    FigureCanvasAgg(fig)
    draw(fig, board)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
