"""The one shape of an evidence item, from the store row to the printed list and caption.

The same dict travels from the case context (``services/doc_context``), through the issue snapshot
(without ``path``) into the renderer, so what the list prints, what the content hash covers and what
a re-render reads never disagree. Keys: ``label``, ``sha256``, ``taken_at`` (ISO text),
``lat``/``lon``, ``datum``, ``position_source``, ``jurisdiction``, ``path`` (file, never hashed or
snapshotted); optional ``kind`` (photo / video / audio; absent means photo) and ``duration_s`` of a
recording, and ``route`` of a moving recording (its path's ``n`` fixes, ``length_m``, ``start`` and
``end`` as [lat, lon]: :func:`officer_app.media.recording_path.path_summary`). Optional keys are
only present when set, so documents issued before they existed keep
their content hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from officer_app.documents.form_schema import FormValueError
from officer_app.documents.geometry import format_cn_date, format_cn_datetime

__all__ = [
    "OPTIONAL_KEYS",
    "evidence_item",
    "is_photo",
    "kind_label",
    "normalise_evidence",
    "route_text",
    "when_text",
    "when_text_v1",
    "where_text",
]

#: Keys an item carries only when they have a value (documents issued without them re-hash alike).
OPTIONAL_KEYS = ("kind", "duration_s", "route")
_KIND_ZH = {"photo": "照片", "video": "视听资料（视频）", "audio": "视听资料（录音）"}


def evidence_item(
    *,
    label: str,
    sha256: str,
    taken_at: str | None,
    lat: float | None,
    lon: float | None,
    datum: str,
    position_source: str,
    jurisdiction: str,
    kind: str | None = None,
    duration_s: float | None = None,
    route: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An item as the context offers it (the issuing service adds ``path``)."""
    item: dict[str, Any] = {
        "label": label,
        "sha256": sha256,
        "taken_at": taken_at,
        "lat": lat,
        "lon": lon,
        "datum": datum,
        "position_source": position_source,
        "jurisdiction": jurisdiction,
    }
    if kind and kind != "photo":
        item["kind"] = kind
    if duration_s is not None:
        item["duration_s"] = duration_s
    if route:
        item["route"] = route
    return item


def normalise_evidence(ev: Mapping[str, Any], index: int) -> dict[str, Any]:
    """Any caller's item in the renderer's shape; the SHA-256 is computed when not recorded."""
    path = ev.get("path")
    digest = ev.get("sha256")
    if not digest:
        if path is None:
            raise FormValueError(f"第{index}项证据既没有文件也没有 SHA-256")
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        digest = h.hexdigest()
    taken = ev.get("taken_at")
    label = ev.get("label") or (Path(path).name if path else f"证据{index}")
    item = {
        "label": str(label),
        "sha256": str(digest).lower(),
        "taken_at": taken.isoformat() if isinstance(taken, datetime | date) else taken,
        "lat": ev.get("lat"),
        "lon": ev.get("lon"),
        "datum": ev.get("datum") or "WGS-84",
        "position_source": ev.get("position_source") or "",
        "jurisdiction": ev.get("jurisdiction") or "",
        "path": str(path) if path is not None else None,
    }
    for key in OPTIONAL_KEYS:
        if ev.get(key) not in (None, "", "photo"):
            item[key] = ev[key]
    return item


def is_photo(item: Mapping[str, Any]) -> bool:
    kind: object = item.get("kind", "photo")
    return kind == "photo"


def kind_label(item: Mapping[str, Any]) -> str:
    return _KIND_ZH.get(str(item.get("kind", "photo")), str(item.get("kind")))


def when_text_v1(item: Mapping[str, Any]) -> str:
    """The capture time as layout 1 printed it (``2026年3月5日 10:21:33``, the stored clock
    time): documents issued in layout 1 must re-render byte for byte."""
    taken = item.get("taken_at")
    try:
        if not taken:
            return "未知"
        value = taken if isinstance(taken, datetime) else datetime.fromisoformat(str(taken).strip())
        return f"{format_cn_date(value)} {value:%H:%M:%S}"
    except (TypeError, ValueError):
        return str(taken)


def when_text(item: Mapping[str, Any]) -> str:
    taken = item.get("taken_at")
    try:
        return format_cn_datetime(taken) if taken else "未知"
    except (TypeError, ValueError):
        return str(taken)


def route_text(item: Mapping[str, Any]) -> str:
    """A moving recording's path as lines for the evidence table (``""`` for one position): where
    it ended and how far it ran, since the position printed is only where it began."""
    route = item.get("route")
    if not route:
        return ""
    lat, lon = float(route["end"][0]), float(route["end"][1])
    ns, ew = ("北纬" if lat >= 0 else "南纬"), ("东经" if lon >= 0 else "西经")
    return (
        f"轨迹{int(route['n'])}个定位点\n行程约{float(route['length_m']):.0f}米\n"
        f"终点\n{ns}{abs(lat):.6f}°\n{ew}{abs(lon):.6f}°"
    )


def where_text(item: Mapping[str, Any], *, with_source: bool = True) -> str:
    if item.get("lat") is None or item.get("lon") is None:
        return "无位置信息"
    lat, lon = float(item["lat"]), float(item["lon"])
    ns, ew = ("北纬" if lat >= 0 else "南纬"), ("东经" if lon >= 0 else "西经")
    source = (
        f"，来源：{item['position_source']}" if with_source and item.get("position_source") else ""
    )
    return f"{ns}{abs(lat):.6f}° {ew}{abs(lon):.6f}°（{item['datum']}{source}）"
