"""What a video or audio recording says about itself: when, how long, with what, where.

The recording counterpart of :mod:`officer_app.media.exif`.  PyAV (FFmpeg's demuxers, bundled in
its wheels) reads the container; it is imported only inside the functions here, so the app starts
without loading FFmpeg and a deployment that never meets a recording never pays for it.

Start time, in this order (``taken_at_source`` says which one was used):

1. ``com.apple.quicktime.creationdate`` — phones write it with its UTC offset: used as written.
2. The container's creation time (QuickTime/MP4 ``mvhd``, Matroska ``DateUTC``, AVI ``IDIT``).
   MP4, QuickTime and Matroska define it as UTC, so it is read as UTC and shown in the configured
   zone, flagged ``container_time_utc`` because many body cameras write local time there.  When a
   GPS log beside the file shows the camera did exactly that (the log's first fix is the default
   offset away from it, within two minutes), the time is re-read as local time and flagged
   ``assumed_timezone``; when the log agrees with UTC, the flag is dropped.
3. The first fix of the GPS log beside the file (NMEA or GPX, UTC by definition).
4. None: flagged ``no_time``.  Camera default dates and future times are flagged as for photos.

Position: the container's ISO 6709 string (QuickTime ``©xyz``, 3GPP ``loci``, Apple's
``location.ISO6709``), else the GPS log beside the file at the start time (or its first fix when
the start time is unknown).  The patrol's GPX track places the rest later, as for photos.
A moving recording also keeps its whole path from the log (every fix within its span).

A damaged recording is never refused for its damage: the bytes are the evidence.  What FFmpeg can
still read is kept and the damage is flagged (``recording_truncated``: the file ends before its
container says; ``recording_incomplete``: no index, so duration and pictures cannot be read).
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from officer_app.media.errors import GpxError, NotAnImage
from officer_app.media.exif import (
    FLAG_ASSUMED_TIMEZONE,
    FLAG_CAMERA_DEFAULT_DATE,
    FLAG_FUTURE_TIME,
    FLAG_GPS_CLOCK_MISMATCH,
    FLAG_NO_POSITION,
    FLAG_NO_TIME,
    _parse_offset,
    is_camera_default_date,
)
from officer_app.media.gpx import Track, parse_gpx, position_at
from officer_app.media.nmea import MAX_LOG_BYTES, parse_nmea
from officer_app.media.recording_path import recording_path
from officer_app.media.recording_sniff import KIND_AUDIO, KIND_VIDEO, Sniffed, check_container

log = logging.getLogger(__name__)

FLAG_CONTAINER_TIME_UTC = "container_time_utc"
FLAG_RECORDING_TRUNCATED = "recording_truncated"
FLAG_RECORDING_INCOMPLETE = "recording_incomplete"

SIDECAR_SUFFIXES = (".nmea", ".NMEA", ".gpx", ".GPX", ".log", ".LOG", ".gps", ".GPS")
_ISO6709_RE = re.compile(r"^\s*([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?")
_LOCAL_SLACK_S = 120  # how close "UTC + offset" must land on the GPS log to call it local time
_MAX_RAW_CHARS = 500


@dataclass(frozen=True, slots=True)
class GpsLogFile:
    """The GPS log read beside a recording, as read: the importer stores it as evidence of its
    own (content-addressed, in the ledger), so the positions can be checked against it later."""

    name: str
    format: str  # nmea | gpx
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class RecordingMetadata:
    """A recording's metadata, normalised like :class:`~officer_app.media.exif.PhotoMetadata`."""

    kind: str  # video | audio
    format: str
    taken_at: str | None  # ISO 8601 with offset
    taken_at_source: str | None
    duration_s: float | None
    codec: str | None  # "h264 + aac"
    width: int | None
    height: int | None
    make: str | None
    model: str | None
    lat: float | None
    lon: float | None
    alt: float | None
    position_source: str | None  # container | nmea | gpx
    #: A moving recording's fixes from its GPS log, ``(t_utc, lat, lon)``; empty when it stood
    #: still or has no log (:mod:`officer_app.media.recording_path`).
    path: tuple[tuple[str, float, float], ...] = ()
    path_source: str | None = None  # nmea | gpx (the log beside the file)
    gps_log: GpsLogFile | None = field(default=None, repr=False)  # the log itself, kept
    raw_tags: dict[str, str] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    problem_zh: str = ""  # one sentence for the officer when the file is damaged

    @property
    def taken_at_datetime(self) -> datetime | None:
        return None if self.taken_at is None else datetime.fromisoformat(self.taken_at)

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None


def parse_iso6709(text: str | None) -> tuple[float, float, float | None] | None:
    """``+31.2304+121.4737+010.5/`` → (lat, lon, alt); ``None`` for junk or 0,0."""
    m = _ISO6709_RE.match(text or "")
    if m is None:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    alt = float(m.group(3)) if m.group(3) else None
    if abs(lat) > 90 or abs(lon) > 180 or (lat == 0 and lon == 0):
        return None
    return lat, lon, alt


def find_sidecar(original: Path) -> Path | None:
    """A GPS log written beside the recording under the same name (``X.MP4`` → ``X.NMEA``)."""
    for suffix in SIDECAR_SUFFIXES:
        candidate = original.with_suffix(suffix)
        if candidate != original and candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> tuple[Track, str, bytes] | None:
    """The sidecar as a track, its kind (``nmea``/``gpx``) and the bytes it was read from (kept
    as evidence of its own); ``None`` when it is neither."""
    try:
        if path.stat().st_size > MAX_LOG_BYTES:
            return None
        data = path.read_bytes()
    except OSError as exc:
        log.warning("sidecar %s unreadable: %s", path, exc)
        return None
    if b"<gpx" in data[:4096]:
        try:
            return parse_gpx(data), "gpx", data
        except GpxError as exc:
            log.info("sidecar %s: %s", path, exc.detail)
            return None
    text = data.decode("ascii", "replace")
    if "$GP" in text or "$GN" in text or "$BD" in text:
        nmea = parse_nmea(text)
        if nmea.track.timeline:
            if nmea.n_skipped:
                log.info("sidecar %s: %d sentences skipped", path, nmea.n_skipped)
            return nmea.track, "nmea", data
    return None


def _utc_from_container(text: str | None) -> datetime | None:
    """FFmpeg's ``creation_time`` (``2026-11-20T01:02:03.000000Z``) as aware UTC."""
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _apple_creationdate(text: str | None) -> datetime | None:
    if not text:
        return None
    m = re.match(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?([+-]\d{2}:?\d{2}|Z)?", text)
    if m is None:
        return None
    offset = UTC if m.group(2) in (None, "Z") else _parse_offset(m.group(2))
    if offset is None:
        return None
    return datetime.fromisoformat(m.group(1)).replace(tzinfo=offset)


def _open(path: Path) -> Any:
    import av  # lazy: FFmpeg's libraries load only when a recording is met

    return av.open(str(path), metadata_errors="ignore")


def _av_errors() -> tuple[type[BaseException], ...]:
    import av

    return (av.FFmpegError, OSError, ValueError, UnicodeDecodeError)


def _streams(container: Any) -> tuple[Any, Any]:
    video = next((s for s in container.streams.video), None)
    audio = next((s for s in container.streams.audio), None)
    return video, audio


def _duration(container: Any, truncated: bool) -> float | None:
    """Seconds: the container's figure, or for a cut file the last packet actually present."""
    if truncated:
        last = 0.0
        try:
            for packet in container.demux():
                if packet.pts is not None and packet.time_base is not None:
                    end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
                    last = max(last, end)
        except _av_errors() as exc:
            log.info("demux of a truncated recording stopped: %s", exc)
        start = container.start_time / 1_000_000 if container.start_time else 0.0
        return round(max(last - start, 0.0), 3) or None
    micros: int | None = container.duration  # PyAV: microseconds, None when unknown
    if micros is not None and micros > 0:
        return round(micros / 1_000_000, 3)
    best = 0.0
    for s in container.streams:
        if s.duration and s.time_base:
            best = max(best, float(s.duration * s.time_base))
    return round(best, 3) or None


def read_recording_metadata(
    path: Path,
    sniffed: Sniffed,
    *,
    default_tz: str = "+08:00",
    now: datetime,
    sidecar: Path | None = None,
    gps_clock_tolerance_min: float = 10,
) -> RecordingMetadata:
    """Read one recording (a path: recordings are never held in memory).

    Raises :class:`NotAnImage` only for an empty file; every other damage becomes flags.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    assumed_tz = _parse_offset(default_tz)
    if assumed_tz is None:
        raise ValueError(f"default_tz {default_tz!r} is not an offset like +08:00")
    if path.stat().st_size == 0:
        raise NotAnImage(f"{path}: empty file", "文件是空的，没有任何录音录像数据")
    flags: list[str] = []
    problem = ""
    damage = check_container(path, sniffed)
    if damage.truncated:
        flags.append(FLAG_RECORDING_TRUNCATED)
        problem = "录音录像文件不完整（可能录制时断电），已保存原始文件并读取其中可读的部分"
    if damage.no_index:
        flags.append(FLAG_RECORDING_INCOMPLETE)
        problem = "录像缺少索引（moov），可能录制时断电：原始文件已保存，但无法读取时长和画面"
    if damage.detail:
        log.info("recording %s: %s", path, damage.detail)

    tags: dict[str, str] = {}
    kind, duration, codec = sniffed.kind, None, None
    width = height = None
    fmt = sniffed.format
    try:
        container = _open(path)
    except _av_errors() as exc:
        log.warning("FFmpeg cannot open %s: %s", path, exc)
        if FLAG_RECORDING_INCOMPLETE not in flags:
            flags.append(FLAG_RECORDING_INCOMPLETE)
            problem = "录音录像文件已损坏，无法读取内容：原始文件已保存"
    else:
        with container:
            tags = {str(k): str(v) for k, v in container.metadata.items()}
            video, audio = _streams(container)
            kind = KIND_VIDEO if video is not None else KIND_AUDIO
            codecs = [s.codec_context.codec.canonical_name for s in (video, audio) if s is not None]
            codec = " + ".join(codecs) or None
            if video is not None:
                width, height = (
                    video.codec_context.width or None,
                    video.codec_context.height or None,
                )
                tags.update({f"video.{k}": str(v) for k, v in video.metadata.items()})
            duration = _duration(container, damage.truncated)
            if sniffed.format in ("MP4", "QuickTime") and kind == KIND_AUDIO:
                fmt = "M4A" if sniffed.format == "MP4" else fmt

    track, track_kind, log_file = (None, None, None)
    if sidecar is not None:
        found = read_sidecar(sidecar)
        if found is not None:
            track, track_kind, log_data = found
            log_file = GpsLogFile(sidecar.name, track_kind, log_data)
            tags["sidecar"] = f"{sidecar.name} ({track_kind})"

    # --- start time -------------------------------------------------------------------------
    taken: datetime | None = _apple_creationdate(tags.get("com.apple.quicktime.creationdate"))
    source: str | None = "QuickTime:CreationDate" if taken is not None else None
    first_fix = track.timeline[0].time if track is not None and track.timeline else None
    if taken is None:
        utc = _utc_from_container(tags.get("creation_time"))
        if utc is not None and utc.year > 1904:
            source = "creation_time"
            taken = utc.astimezone(assumed_tz)
            flags.append(FLAG_CONTAINER_TIME_UTC)
            if first_fix is not None:
                gap = (first_fix - utc).total_seconds()
                offset_s = assumed_tz.utcoffset(None).total_seconds()
                if abs(gap) <= gps_clock_tolerance_min * 60:
                    flags.remove(FLAG_CONTAINER_TIME_UTC)  # the GPS log confirms UTC
                elif abs(gap + offset_s) <= _LOCAL_SLACK_S:
                    # The camera wrote local wall-clock time into a UTC field.
                    flags.remove(FLAG_CONTAINER_TIME_UTC)
                    flags.append(FLAG_ASSUMED_TIMEZONE)
                    source = "creation_time (local)"
                    taken = utc.replace(tzinfo=assumed_tz)
                else:
                    flags.append(FLAG_GPS_CLOCK_MISMATCH)
    if taken is None and first_fix is not None:
        taken, source = first_fix.astimezone(assumed_tz), f"{track_kind}:first_fix"
    if taken is None:
        flags.append(FLAG_NO_TIME)
    else:
        if is_camera_default_date(taken.replace(tzinfo=None)):
            flags.append(FLAG_CAMERA_DEFAULT_DATE)
        if taken > now:
            flags.append(FLAG_FUTURE_TIME)

    # --- position ---------------------------------------------------------------------------
    position = parse_iso6709(
        tags.get("com.apple.quicktime.location.ISO6709") or tags.get("location")
    )
    position_source = "container" if position is not None else None
    if position is None and track is not None and track.timeline:
        at = position_at(track, taken) if taken is not None else None
        if at is None and taken is None:
            p = track.timeline[0]
            at = (p.lat, p.lon, p.ele)
        if at is not None:
            position, position_source = at, track_kind
    if position is None:
        flags.append(FLAG_NO_POSITION)
    lat, lon, alt = position if position is not None else (None, None, None)
    moved = tuple(recording_path(track, taken, duration))

    make = (
        tags.get("make")
        or tags.get("com.apple.quicktime.make")
        or tags.get("com.android.manufacturer")
    )
    model = (
        tags.get("model") or tags.get("com.apple.quicktime.model") or tags.get("com.android.model")
    )
    raw = {k: v.replace("\x00", "")[:_MAX_RAW_CHARS] for k, v in tags.items()}
    if duration is not None and not math.isfinite(duration):
        duration = None
    return RecordingMetadata(
        kind=kind,
        format=fmt,
        taken_at=taken.isoformat() if taken is not None else None,
        taken_at_source=source,
        duration_s=duration,
        codec=codec,
        width=width,
        height=height,
        make=make,
        model=model,
        lat=lat,
        lon=lon,
        alt=alt,
        position_source=position_source,
        path=moved,
        path_source=track_kind if moved else None,
        gps_log=log_file,
        raw_tags=raw,
        flags=tuple(dict.fromkeys(flags)),
        problem_zh=problem,
    )


__all__ = [
    "FLAG_CONTAINER_TIME_UTC",
    "FLAG_RECORDING_INCOMPLETE",
    "FLAG_RECORDING_TRUNCATED",
    "GpsLogFile",
    "RecordingMetadata",
    "find_sidecar",
    "parse_iso6709",
    "read_recording_metadata",
    "read_sidecar",
]
