"""The path a moving recording followed, cut from a GPS track by the recording's time span.

A body camera worn on a patrol records while the officer walks: one start position says where
the recording began, not where what it shows happened.  The path is every fix of a GPS track
(the log beside the file, or the patrol's GPX track) whose time lies within
``[start, start + duration]``, in time order, exactly as the receiver wrote it (no interpolated
points are invented).  A recording whose fixes all lie within :data:`STATIONARY_M` of the first
one did not move (GPS noise wanders a few metres): it keeps its one position and gets no path.

Points are ``(t, lat, lon)`` with ``t`` ISO 8601 UTC, the shape stored in ``evidence.path_points``
and shown by ``evidence list --json`` as ``{"t", "lat", "lon"}``.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # gpxpy loads when a track is read, not when a path is measured
    from officer_app.media.gpx import Track

#: Fixes this close to the first one are one place: consumer receivers wander ~5-10 m standing.
STATIONARY_M = 25.0
_EARTH_M = 6_371_008.8  # mean radius (IUGG), enough for walking distances

PathPoint = tuple[str, float, float]


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres between two (lat, lon) in degrees (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * _EARTH_M * math.asin(min(1.0, math.sqrt(h)))


def fixes_within(
    track: Track, start: datetime, duration_s: float, *, clock_offset_s: float = 0.0
) -> list[PathPoint]:
    """Every timed fix of ``track`` within the recording's span, in time order.

    ``start`` is the recording's (camera) start time; ``clock_offset_s`` is how far the camera
    clock is ahead of GPS time, as for :func:`~officer_app.media.gpx.position_at`.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be timezone-aware")
    if not math.isfinite(duration_s) or duration_s <= 0:
        return []
    first = start.timestamp() - clock_offset_s
    lo = bisect.bisect_left(track._times, first)
    hi = bisect.bisect_right(track._times, first + duration_s)
    out: list[PathPoint] = []
    for p in track.timeline[lo:hi]:
        assert p.time is not None
        out.append((p.time.astimezone(UTC).isoformat(), p.lat, p.lon))
    return out


def is_moving(points: Sequence[PathPoint]) -> bool:
    """Whether any fix is farther than :data:`STATIONARY_M` from the first."""
    if len(points) < 2:
        return False
    origin = (points[0][1], points[0][2])
    return any(distance_m(origin, (p[1], p[2])) > STATIONARY_M for p in points[1:])


def recording_path(
    track: Track | None,
    start: datetime | None,
    duration_s: float | None,
    *,
    clock_offset_s: float = 0.0,
) -> list[PathPoint]:
    """The path to store for a recording: its fixes when it moved, else ``[]`` (one position)."""
    if track is None or start is None or duration_s is None:
        return []
    points = fixes_within(track, start, duration_s, clock_offset_s=clock_offset_s)
    return points if is_moving(points) else []


def path_length_m(points: Sequence[Sequence[Any]]) -> float:
    """The length of the path along its fixes, in metres."""
    return sum(
        distance_m((float(a[1]), float(a[2])), (float(b[1]), float(b[2])))
        for a, b in itertools.pairwise(points)
    )


def path_summary(points: Sequence[Sequence[Any]]) -> dict[str, Any] | None:
    """Start, end, length and count: what a list of documents prints of a path."""
    if len(points) < 2:
        return None
    first, last = points[0], points[-1]
    return {
        "n": len(points),
        "length_m": round(path_length_m(points), 1),
        "start": [float(first[1]), float(first[2])],
        "end": [float(last[1]), float(last[2])],
        "start_t": str(first[0]),
        "end_t": str(last[0]),
    }


def span_utc(start: datetime, duration_s: float) -> tuple[str, str]:
    """The recording's span as two UTC ISO strings (for SQL range checks against tracks)."""
    begin = start.astimezone(UTC)
    return begin.isoformat(), (begin + timedelta(seconds=duration_s)).isoformat()


__all__ = [
    "STATIONARY_M",
    "PathPoint",
    "distance_m",
    "fixes_within",
    "is_moving",
    "path_length_m",
    "path_summary",
    "recording_path",
    "span_utc",
]
