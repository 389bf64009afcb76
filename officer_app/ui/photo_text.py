"""How a photo's facts read in the detail pane: times on the officer's clock in Chinese form,
positions with their datum in words, sizes in units people use (issue 17)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from officer_app.domain.times import chinese_time


def _tr(text: str) -> str:
    return QCoreApplication.translate("PhotoText", text)


def datum_words(datum: str | None) -> str:
    """The coordinate system by name and by what uses it (a GCJ-02 point is ~500 m off WGS-84)."""
    words = {
        "wgs84": _tr("WGS-84 坐标（卫星定位原始坐标）"),
        "gcj02": _tr("GCJ-02 坐标（国测局坐标，高德、腾讯地图使用）"),
        "bd09": _tr("BD-09 坐标（百度地图使用）"),
    }
    return words.get(datum or "wgs84", datum or "")


def position_text(lat: float, lon: float, datum: str | None) -> str:
    """``北纬 31.013500°，东经 120.837000°，WGS-84 坐标（卫星定位原始坐标）``."""
    north = _tr("北纬") if lat >= 0 else _tr("南纬")
    east = _tr("东经") if lon >= 0 else _tr("西经")
    return _tr("{0} {1:.6f}°，{2} {3:.6f}°，{4}").format(
        north, abs(lat), east, abs(lon), datum_words(datum)
    )


def size_text(size: int) -> str:
    """``2.4 MB（2,456,789 字节）``: the unit for reading, the exact count for the record."""
    exact = _tr("{0} 字节").format(f"{size:,}")
    if size < 1024:
        return exact
    value, unit = (size / 1024, "KB") if size < 1024 * 1024 else (size / 1024 / 1024, "MB")
    return f"{value:.1f} {unit}（{exact}）"


def local_time(iso: str | None, missing: str) -> str:
    """A stored time on the officer's clock (UTC import times too), or ``missing``: in Chinese
    form (``2026年11月20日 09:12:07``); the English UI writes ``2026-11-20 09:12:07``."""
    text = chinese_time(iso)
    if not text:
        return missing
    if "日 " not in text:  # not a timestamp: shown as stored
        return text
    date, _, clock = text.partition("日 ")
    year, _, rest = date.partition("年")
    month, _, day = rest.partition("月")
    return _tr("{0}年{1}月{2}日 {3}").format(year, month, day, clock)
