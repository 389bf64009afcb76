"""A moving recording's path from the patrol's GPX track, and how a path is stored and shown.

The GPS log beside a recording gives its path at import (:mod:`officer_app.media.recording`).
Without one, the patrol's GPX track does, by time: at import when the track is already there,
or when the track is imported later (:mod:`officer_app.services.tracks` calls
:func:`paths_from_track`).  A path already stored is never replaced: the log beside the file was
written by the camera itself and is the better witness.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import TYPE_CHECKING, Any

from officer_app.media.hashing import sha256_bytes
from officer_app.media.recording_path import PathPoint, path_length_m, recording_path
from officer_app.store.db import Store

if TYPE_CHECKING:  # gpxpy (and through it urllib, email, socket) loads only when a track is read
    from officer_app.media.gpx import Track

log = logging.getLogger(__name__)

SOURCE_TRACK = "track"  # the patrol's GPX track, by time


def track_from_json(points_json: str) -> Track:
    """A stored track (``tracks.points``: segments of ``[t, lat, lon, ele]``) as a :class:`Track`."""
    from officer_app.media.gpx import Segment, TrackPoint, _track

    segments = []
    for index, segment in enumerate(json.loads(points_json)):
        points = tuple(
            TrackPoint(
                dt.datetime.fromisoformat(p[0]) if p[0] else None,
                float(p[1]),
                float(p[2]),
                None if p[3] is None else float(p[3]),
            )
            for p in segment
            if p[1] is not None and p[2] is not None
        )
        segments.append(Segment(index, points))
    return _track(segments, 1, 0, 0, 0, [])


def encode(points: list[PathPoint] | tuple[PathPoint, ...]) -> str | None:
    """The ``path_points`` column's text (``None`` for no path)."""
    return json.dumps([list(p) for p in points]) if points else None


#: The most points a received path may hold (a camera logging once a second for 24 hours).
MAX_RECEIVED_POINTS = 86_400


def received(fields: dict[str, Any]) -> dict[str, Any]:
    """A path sent by another agency, kept only if it is what this app writes: a list of
    ``[time or null, lat, lon]`` with coordinates on the globe. A malformed path is dropped (the
    recording keeps its start position) and logged, rather than stored for a reader to trip on."""
    raw = fields.get("path_points")
    if raw is None:
        return {}
    try:
        points = json.loads(raw) if isinstance(raw, str) else None
        if not isinstance(points, list) or not 0 < len(points) <= MAX_RECEIVED_POINTS:
            raise ValueError("not a list of 1..86400 points")
        clean = []
        for p in points:
            t, lat, lon = p
            if t is not None:
                dt.datetime.fromisoformat(t)
            if isinstance(lat, bool) or isinstance(lon, bool):
                raise ValueError("coordinate is a boolean")
            lat, lon = float(lat), float(lon)
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"coordinate off the globe: {lat}, {lon}")
            clean.append((t, lat, lon))
    except (TypeError, ValueError) as exc:
        log.warning("received recording path dropped: %s", exc)
        return {"path_points": None, "path_source": None}
    return {"path_points": json.dumps([list(p) for p in clean])}


def ledger_fields(path_json: str | None) -> dict[str, Any]:
    """What the ledger keeps of a path: its count and digest (the points stay in the row)."""
    if not path_json:
        return {}
    return {"path_n": len(json.loads(path_json)), "path_sha256": sha256_bytes(path_json.encode())}


def public_path(path_json: str | None) -> tuple[list[dict[str, Any]] | None, float | None]:
    """``evidence list --json``'s ``path`` (``[{t, lat, lon}]``) and its length in metres."""
    if not path_json:
        return None, None
    points = json.loads(path_json)
    return (
        [{"t": p[0], "lat": p[1], "lon": p[2]} for p in points],
        round(path_length_m(points), 1),
    )


def _start(taken_utc: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(taken_utc) if taken_utc else None


def from_patrol_tracks(store: Store, row: dict[str, Any]) -> dict[str, Any]:
    """Path (and start position, if the recording has none) for a recording row about to be
    committed, from its patrol's tracks; ``{}`` when none covers it or it stood still."""
    start, duration = _start(row.get("taken_at_utc")), row.get("duration_s")
    if row.get("path_points") or not row.get("patrol_id") or start is None or not duration:
        return {}
    for track_row in store.query(
        "SELECT points, clock_offset_s FROM tracks WHERE patrol_id = ? ORDER BY start_utc",
        [row["patrol_id"]],
    ):
        from officer_app.media.gpx import position_at

        track = track_from_json(track_row["points"])
        offset = float(track_row["clock_offset_s"] or 0.0)
        points = recording_path(track, start, duration, clock_offset_s=offset)
        if not points:
            continue
        out: dict[str, Any] = {"path_points": encode(points), "path_source": SOURCE_TRACK}
        at = position_at(track, start, clock_offset_s=offset)
        if row.get("lat") is None and at is not None:
            out.update(lat=at[0], lon=at[1], alt=at[2], datum="wgs84", position_source="gpx")
        return out
    return {}


def paths_from_track(
    store: Store, track: Track, patrol_id: str | None, clock_offset_s: float
) -> list[tuple[str, str]]:
    """``(evidence_id, path_points)`` for every recording (of the patrol, when given) without
    a path that moved within ``track``."""
    where = "kind != 'photo' AND path_points IS NULL AND taken_at_utc IS NOT NULL"
    where += " AND duration_s > 0"
    params: list[Any] = []
    if patrol_id:
        where += " AND patrol_id = ?"
        params.append(patrol_id)
    out: list[tuple[str, str]] = []
    for row in store.query(
        f"SELECT id, taken_at_utc, duration_s FROM evidence WHERE {where}", params
    ):
        points = recording_path(
            track, _start(row["taken_at_utc"]), row["duration_s"], clock_offset_s=clock_offset_s
        )
        text = encode(points)
        if text is not None:
            out.append((row["id"], text))
    return out


__all__ = [
    "SOURCE_TRACK",
    "encode",
    "from_patrol_tracks",
    "ledger_fields",
    "paths_from_track",
    "public_path",
    "track_from_json",
]
