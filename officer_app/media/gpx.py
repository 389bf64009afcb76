"""GPX tracks from the officer's handheld or phone, and "where was I at time t?".

Photos from cameras without GPS get their position from the patrol's track: the photo time
(corrected by the camera's clock offset) is looked up in the track and the position is linearly
interpolated between the two surrounding fixes.  A position is only given when the fixes around
``t`` are close in time (``max_gap_s``), because a long gap means the receiver had no signal and a
straight line across it would be a guess, not evidence.

GPX times are UTC by specification; a time written without an offset is taken as UTC, and times
with offsets (``+01:00``, even ``+01:15``) are converted.  Files with impossible coordinates are
refused as a whole: a device that writes ``lat="200"`` as a pause marker cannot be trusted for the
rest of the file either, and the officer should know.

Damage that is not about positions never costs the good points: when gpxpy refuses a file (one
malformed ``<fix>`` or ``<ele>``, or a file cut short when the logger lost power),
:mod:`officer_app.media.gpx_salvage` keeps every whole point and the :class:`Track` says how many
points were skipped, how many fields dropped, and whether the file was truncated.
"""

from __future__ import annotations

import bisect
import codecs
import itertools
import logging
import math
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import BinaryIO

import gpxpy
import gpxpy.gpx

from officer_app.media.errors import GpxError
from officer_app.media.gpx_salvage import salvage

log = logging.getLogger(__name__)

GpxSource = str | os.PathLike[str] | bytes | BinaryIO

_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")


@dataclass(frozen=True, slots=True)
class TrackPoint:
    """One fix: ``time`` is aware UTC or None; ``ele`` in metres or None."""

    time: datetime | None
    lat: float
    lon: float
    ele: float | None


@dataclass(frozen=True, slots=True)
class Segment:
    """One ``<trkseg>`` in document order; ``track_index`` says which ``<trk>`` it belongs to."""

    track_index: int
    points: tuple[TrackPoint, ...]


@dataclass(frozen=True)
class Track:
    """Everything usable in one GPX file.

    ``segments`` keeps the document order (the original, as recorded).  ``timeline`` holds the
    timed track points sorted by time (stable, so equal times keep document order); it is what
    :func:`position_at` searches, so out-of-order files still interpolate correctly.
    """

    segments: tuple[Segment, ...]
    n_tracks: int
    n_routes: int
    n_routepoints: int
    n_waypoints: int
    other_points: tuple[tuple[float, float], ...] = ()  # rtept + wpt positions, for the bbox
    skipped_points: int = 0  # points without a usable lat/lon, left out
    dropped_fields: int = 0  # malformed optional values (ele, time, fix, ...) left out
    truncated: bool = False  # the file ends mid-document; points up to the last whole one kept
    timeline: tuple[TrackPoint, ...] = field(default=(), repr=False)
    _times: tuple[float, ...] = field(default=(), repr=False)

    @property
    def points(self) -> tuple[TrackPoint, ...]:
        """All track points in document order."""
        return tuple(p for s in self.segments for p in s.points)


@dataclass(frozen=True, slots=True)
class GpxSummary:
    """Counts and extents for the import dialog and the manifest-style checks."""

    n_tracks: int
    n_segments: int
    n_trackpoints: int
    n_trkpt_with_time: int
    n_trkpt_with_ele: int
    n_routes: int
    n_routepoints: int
    n_waypoints: int
    min_time_utc: datetime | None
    max_time_utc: datetime | None
    first_time_utc: datetime | None  # document order
    last_time_utc: datetime | None
    bbox: tuple[float, float, float, float] | None  # (min_lat, min_lon, max_lat, max_lon)
    times_monotonic: bool


def _read(source: GpxSource) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, "<bytes>"
    if isinstance(source, str | os.PathLike):
        label = os.fspath(source)
        try:
            with open(source, "rb") as f:
                return f.read(), label
        except OSError as exc:
            raise GpxError("无法读取轨迹文件", f"cannot read {label!r}: {exc}") from exc
    try:
        return source.read(), getattr(source, "name", "<stream>")
    except OSError as exc:
        raise GpxError("无法读取轨迹文件", f"cannot read stream: {exc}") from exc


def _decode(data: bytes, label: str) -> str:
    """Decode honouring a BOM or the XML declaration (gpxpy would assume UTF-8)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        encoding = "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        m = _ENCODING_RE.match(data[:200])
        encoding = m.group(1).decode("ascii") if m else "utf-8"
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise GpxError("轨迹文件编码错误", f"{label}: cannot decode as {encoding}: {exc}") from exc
    # ElementTree refuses a str that still carries an encoding declaration for another codec.
    return re.sub(r"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*[\"'][^\"']*[\"']", r"\1", text, count=1)


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    if dt.tzinfo is None or dt.utcoffset() is None:
        return dt.replace(tzinfo=UTC)  # GPX says UTC
    return dt.astimezone(UTC)


def _check_coord(lat: float | None, lon: float | None, what: str, label: str) -> None:
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        raise GpxError("轨迹文件含有无效坐标", f"{label}: {what} without a numeric position")
    if abs(lat) > 90 or abs(lon) > 180:
        raise GpxError(
            "轨迹文件含有不可能的坐标（纬度超出±90°或经度超出±180°）",
            f"{label}: {what} at lat={lat} lon={lon} is out of range",
        )


def parse_gpx(source: GpxSource) -> Track:
    """Parse a GPX file (path, bytes or binary stream) into a :class:`Track`.

    Raises :class:`GpxError` for unreadable or broken XML, values gpxpy cannot parse, coordinates
    outside ±90°/±180°, and files without any point (track, route or waypoint).
    """
    data, label = _read(source)
    if not data.strip():
        raise GpxError("轨迹文件是空的", f"{label}: empty file")
    text = _decode(data, label)
    try:
        gpx = gpxpy.parse(text)
    except gpxpy.gpx.GPXXMLSyntaxException as exc:
        return _from_salvage(text, label, "轨迹文件格式损坏（XML 错误）", exc)
    except (gpxpy.gpx.GPXException, ValueError, TypeError, OverflowError) as exc:
        return _from_salvage(text, label, "轨迹文件内容无效", exc)

    segments: list[Segment] = []
    for ti, trk in enumerate(gpx.tracks):
        for seg in trk.segments:
            pts = []
            for i, p in enumerate(seg.points):
                _check_coord(p.latitude, p.longitude, f"track {ti} point {i}", label)
                ele = (
                    p.elevation if p.elevation is not None and math.isfinite(p.elevation) else None
                )
                pts.append(TrackPoint(_utc(p.time), float(p.latitude), float(p.longitude), ele))
            segments.append(Segment(ti, tuple(pts)))
    other: list[tuple[float, float]] = []
    n_routepoints = 0
    for ri, rte in enumerate(gpx.routes):
        for i, rp in enumerate(rte.points):
            _check_coord(rp.latitude, rp.longitude, f"route {ri} point {i}", label)
            other.append((rp.latitude, rp.longitude))
            n_routepoints += 1
    for i, w in enumerate(gpx.waypoints):
        _check_coord(w.latitude, w.longitude, f"waypoint {i}", label)
        other.append((w.latitude, w.longitude))

    n_trkpt = sum(len(s.points) for s in segments)
    if n_trkpt + n_routepoints + len(gpx.waypoints) == 0:
        raise GpxError("轨迹文件中没有任何轨迹点", f"{label}: no trkpt, rtept or wpt")

    return _track(
        segments, len(gpx.tracks), len(gpx.routes), n_routepoints, len(gpx.waypoints), other
    )


def _track(
    segments: list[Segment],
    n_tracks: int,
    n_routes: int,
    n_routepoints: int,
    n_waypoints: int,
    other: list[tuple[float, float]],
    **damage: int | bool,
) -> Track:
    timed = [p for s in segments for p in s.points if p.time is not None]
    # Every point in ``timed`` has a time (filtered above); the GPX types keep it optional.
    timeline = tuple(sorted(timed, key=lambda p: p.time))  # type: ignore[arg-type,return-value]
    return Track(
        segments=tuple(segments),
        n_tracks=n_tracks,
        n_routes=n_routes,
        n_routepoints=n_routepoints,
        n_waypoints=n_waypoints,
        other_points=tuple(other),
        timeline=timeline,
        _times=tuple(p.time.timestamp() for p in timeline),  # type: ignore[union-attr]  # as above
        **damage,  # type: ignore[arg-type]  # the damage flags are the Track fields of these names
    )


def _from_salvage(text: str, label: str, message_zh: str, exc: Exception) -> Track:
    """gpxpy refused the file: keep its whole points (see :mod:`gpx_salvage`) or refuse it."""
    found = salvage(text, label)
    if not found.points:
        raise GpxError(message_zh, f"{label}: {type(exc).__name__}: {exc}") from exc
    log.info(
        "%s: gpxpy refused (%s: %s); salvaged %d points",
        label,
        type(exc).__name__,
        exc,
        len(found.points),
    )
    by_segment: dict[tuple[int, int], list[TrackPoint]] = {}
    other: list[tuple[float, float]] = []
    n_routepoints = n_waypoints = 0
    for i, p in enumerate(found.points):
        _check_coord(p.lat, p.lon, f"{p.kind} {i}", label)
        if p.kind == "trkpt":
            by_segment.setdefault((p.track_index, p.segment_index), []).append(
                TrackPoint(_utc(p.time), p.lat, p.lon, p.ele)
            )
            continue
        other.append((p.lat, p.lon))
        if p.kind == "rtept":
            n_routepoints += 1
        else:
            n_waypoints += 1
    segments = [Segment(key[0], tuple(pts)) for key, pts in by_segment.items()]
    return _track(
        segments,
        found.n_tracks,
        found.n_routes,
        n_routepoints,
        n_waypoints,
        other,
        skipped_points=found.skipped_points,
        dropped_fields=found.dropped_fields,
        truncated=found.truncated,
    )


def summarize(track: Track) -> GpxSummary:
    """Counts, time span (UTC) and bounding box of a parsed track."""
    pts = track.points
    times = [p.time for p in pts if p.time is not None]
    coords = [(p.lat, p.lon) for p in pts] or list(track.other_points)
    bbox = None
    if coords:
        lats = [c[0] for c in coords]
        lons = [c[1] for c in coords]
        bbox = (min(lats), min(lons), max(lats), max(lons))
    return GpxSummary(
        n_tracks=track.n_tracks,
        n_segments=len(track.segments),
        n_trackpoints=len(pts),
        n_trkpt_with_time=len(times),
        n_trkpt_with_ele=sum(1 for p in pts if p.ele is not None),
        n_routes=track.n_routes,
        n_routepoints=track.n_routepoints,
        n_waypoints=track.n_waypoints,
        min_time_utc=min(times) if times else None,
        max_time_utc=max(times) if times else None,
        first_time_utc=times[0] if times else None,
        last_time_utc=times[-1] if times else None,
        bbox=bbox,
        times_monotonic=all(a <= b for a, b in itertools.pairwise(times)),
    )


def position_at(
    track: Track,
    t: datetime,
    *,
    clock_offset_s: float = 0,
    max_gap_s: float = 300,
) -> tuple[float, float, float | None] | None:
    """Interpolated ``(lat, lon, ele)`` at camera time ``t``, or None.

    ``clock_offset_s`` is how far the camera clock is *ahead* of GPS time (camera − GPS), so the
    track is searched at ``t − clock_offset_s``.  None when that instant is outside the track's
    timed points or the two fixes around it are more than ``max_gap_s`` apart.  Elevation is
    interpolated only when both fixes have one.
    """
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError("t must be timezone-aware")
    times = track._times
    if not times:
        return None
    x = t.timestamp() - clock_offset_s
    if x < times[0] or x > times[-1]:
        return None
    i = bisect.bisect_left(times, x)
    if times[i] == x:
        p = track.timeline[i]
        return (p.lat, p.lon, p.ele)
    a, b = track.timeline[i - 1], track.timeline[i]
    ta, tb = times[i - 1], times[i]
    if tb - ta > max_gap_s:
        return None
    f = (x - ta) / (tb - ta)
    lat = a.lat + (b.lat - a.lat) * f
    lon = a.lon + (b.lon - a.lon) * f
    ele = a.ele + (b.ele - a.ele) * f if a.ele is not None and b.ele is not None else None
    return (lat, lon, ele)


__all__ = [
    "GpxSummary",
    "Segment",
    "Track",
    "TrackPoint",
    "parse_gpx",
    "position_at",
    "summarize",
]
