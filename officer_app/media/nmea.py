"""NMEA 0183 logs that body and dash cameras write beside each recording.

Many 执法记录仪 keep the GPS receiver's raw sentences in a text file named like the video
(``FILE0001.NMEA``, ``…\\.LOG``).  ``$GPRMC``/``$GNRMC`` give date, time and position; ``GGA``
adds altitude but no date, so it is dated by the last RMC seen.  Sentences with a bad checksum,
a void status (``V``) or junk fields are skipped and counted: one garbled line never costs the
rest of the log.  The result is a :class:`~officer_app.media.gpx.Track`, so the same
:func:`~officer_app.media.gpx.position_at` places the recording.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from officer_app.media.gpx import Segment, Track, TrackPoint, _track

MAX_LOG_BYTES = 64 << 20  # an hour at 10 Hz is ~20 MB; anything larger is not a camera log


@dataclass(frozen=True, slots=True)
class NmeaLog:
    track: Track
    n_sentences: int
    n_skipped: int


def _checksum_ok(line: str) -> bool:
    if "*" not in line:
        return True  # some loggers omit it; the field checks below still apply
    body, _, given = line[1:].partition("*")
    calc = 0
    for ch in body:
        calc ^= ord(ch)
    try:
        return calc == int(given[:2], 16)
    except ValueError:
        return False


def _coord(value: str, hemi: str, degree_digits: int) -> float | None:
    if len(value) <= degree_digits or hemi not in ("N", "S", "E", "W"):
        return None
    try:
        deg = int(value[:degree_digits])
        minutes = float(value[degree_digits:])
    except ValueError:
        return None
    if not (0 <= minutes < 60 and math.isfinite(minutes)):
        return None
    out = deg + minutes / 60.0
    return -out if hemi in ("S", "W") else out


def _hms(value: str) -> time | None:
    try:
        h, m = int(value[0:2]), int(value[2:4])
        s = float(value[4:])
        whole = int(s)
        return time(h, m, whole, round((s - whole) * 1_000_000) % 1_000_000, tzinfo=UTC)
    except (ValueError, IndexError):
        return None


def parse_nmea(text: str) -> NmeaLog:
    """Every valid fix of an NMEA log, in order, as a one-segment track."""
    points: list[TrackPoint] = []
    n = skipped = 0
    day: date | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith("$") or len(line) < 7:
            continue
        n += 1
        fields = line.split("*", 1)[0].split(",")
        kind = fields[0][3:]
        if kind not in ("RMC", "GGA"):
            continue  # satellites in view, DOP, vendor sentences: not a position
        if not _checksum_ok(line):
            skipped += 1
            continue
        point = _rmc(fields) if kind == "RMC" else _gga(fields, day)
        if point is None:
            skipped += 1
            continue
        if kind == "RMC":
            assert point.time is not None
            day = point.time.date()
        if points and points[-1].time == point.time:
            # RMC and GGA of the same second: keep one fix, with GGA's altitude if any.
            prev = points[-1]
            points[-1] = TrackPoint(prev.time, prev.lat, prev.lon, prev.ele or point.ele)
            continue
        points.append(point)
    segments = [Segment(0, tuple(points))] if points else []
    return NmeaLog(_track(segments, 1 if points else 0, 0, 0, 0, []), n, skipped)


def _rmc(f: list[str]) -> TrackPoint | None:
    if len(f) < 10 or f[2] != "A":
        return None
    t = _hms(f[1])
    lat, lon = _coord(f[3], f[4], 2), _coord(f[5], f[6], 3)
    try:
        d = datetime.strptime(f[9], "%d%m%y").date()
    except ValueError:
        return None
    if t is None or lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    if lat == 0 and lon == 0:
        return None
    return TrackPoint(datetime.combine(d, t), lat, lon, None)


def _gga(f: list[str], day: date | None) -> TrackPoint | None:
    if day is None or len(f) < 10 or f[6] in ("", "0"):
        return None
    t = _hms(f[1])
    lat, lon = _coord(f[2], f[3], 2), _coord(f[4], f[5], 3)
    if t is None or lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    try:
        ele: float | None = float(f[9])
    except ValueError:
        ele = None
    return TrackPoint(datetime.combine(day, t), lat, lon, ele)


__all__ = ["MAX_LOG_BYTES", "NmeaLog", "parse_nmea"]
