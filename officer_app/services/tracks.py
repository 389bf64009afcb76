"""Import a GPX track and place the photos that lack GPS on it by time."""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from pathlib import Path
from typing import Any

from officer_app.errors import NotFoundError, ValidationError
from officer_app.fileguard import read_regular
from officer_app.media.errors import GpxError
from officer_app.media.gpx import parse_gpx, summarize
from officer_app.media.hashing import sha256_bytes
from officer_app.services import jurisdiction
from officer_app.services.context import AppContext
from officer_app.services.officers import require_officer
from officer_app.store import ledger
from officer_app.store.outbox import enqueue


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(dt.UTC).isoformat()


def import_track(
    ctx: AppContext,
    path: Path,
    *,
    patrol_id: str | None = None,
    clock_offset_s: float = 0.0,
    max_gap_s: float = 300.0,
) -> dict[str, Any]:
    """Store the track, then give each unpositioned photo inside it an interpolated position."""
    from officer_app.media.gpx import position_at

    officer = require_officer(ctx)
    data = read_regular(path)  # names the file and why; a FIFO or device is refused
    for value, what in ((clock_offset_s, "相机时钟偏差"), (max_gap_s, "最大间隔")):
        if not math.isfinite(value):
            raise ValidationError(f"{what}必须是有限的数字。", f"{what} {value!r}")
    track = parse_gpx(data)
    summary = summarize(track)
    if summary.n_trackpoints == 0:
        # A route is a plan and waypoints are marks: neither says where anyone was, and when.
        held = "、".join(
            part
            for part, n in (
                ("规划路线（rte）", summary.n_routes),
                ("航点（wpt）", summary.n_waypoints),
            )
            if n
        )
        raise GpxError(
            f"该文件只有{held}，没有实际记录的轨迹（trk），不能用于定位照片",
            f"{path}: {summary.n_routes} routes, {summary.n_waypoints} waypoints, no trkpt",
        )
    if patrol_id and not ctx.store.scalar("SELECT 1 FROM patrols WHERE id = ?", [patrol_id]):
        raise NotFoundError(f"未找到巡查：{patrol_id}", f"patrol {patrol_id} missing")
    training = bool(
        patrol_id and ctx.store.scalar("SELECT training FROM patrols WHERE id = ?", [patrol_id])
    )
    where = "lat IS NULL AND taken_at IS NOT NULL"
    params: list[Any] = []
    if patrol_id:
        where += " AND patrol_id = ?"
        params.append(patrol_id)
    candidates = ctx.store.query(f"SELECT id, taken_at, subsec FROM evidence WHERE {where}", params)
    placed: list[dict[str, Any]] = []
    for item in candidates:
        taken = dt.datetime.fromisoformat(item["taken_at"])
        if item["subsec"]:
            taken = taken.replace(microsecond=int((item["subsec"] + "000000")[:6]))
        position = position_at(track, taken, clock_offset_s=clock_offset_s, max_gap_s=max_gap_s)
        if position is not None:
            lat, lon, ele = position
            placed.append({"evidence_id": item["id"], "lat": lat, "lon": lon, "alt": ele})
    from officer_app.services.recording_path import SOURCE_TRACK, ledger_fields, paths_from_track

    paths = paths_from_track(ctx.store, track, patrol_id, clock_offset_s)  # moving recordings
    track_id = str(uuid.uuid4())
    points = [
        [[_iso(p.time), p.lat, p.lon, p.ele] for p in segment.points] for segment in track.segments
    ]
    with ctx.store.transaction() as db:
        db.table("tracks").insert(
            {
                "id": track_id,
                "sha256": sha256_bytes(data),
                "original_name": path.name,
                "patrol_id": patrol_id,
                "start_utc": _iso(summary.min_time_utc),
                "end_utc": _iso(summary.max_time_utc),
                "n_points": summary.n_trackpoints,
                "clock_offset_s": clock_offset_s,
                "points": json.dumps(points),
                "training": int(training),
                "imported_by": officer.id,
                "imported_at": ctx.now_iso(),
            }
        )
        for item in placed:
            code = jurisdiction.code_for(item["lat"], item["lon"])
            item["jurisdiction_code"] = code
            db.table("evidence").update(
                item["evidence_id"],
                {
                    "lat": item["lat"],
                    "lon": item["lon"],
                    "alt": item["alt"],
                    "datum": "wgs84",
                    "position_source": "gpx",
                    "jurisdiction_code": code,
                },
            )
            change = {**item, "source": "gpx", "track_id": track_id, "datum": "wgs84"}
            ledger.append(
                ctx.store, "position_assigned", item["evidence_id"], change, officer_id=officer.id
            )
            enqueue(
                ctx.store, "evidence", item["evidence_id"], "position", change, training=training
            )
        for evidence_id, path_json in paths:
            db.table("evidence").update(
                evidence_id, {"path_points": path_json, "path_source": SOURCE_TRACK}
            )
            change = {"track_id": track_id, "source": SOURCE_TRACK, **ledger_fields(path_json)}
            ledger.append(ctx.store, "path_assigned", evidence_id, change, officer_id=officer.id)
    return {
        "track_id": track_id,
        "paths": [evidence_id for evidence_id, _ in paths],
        "n_points": summary.n_trackpoints,
        "skipped_points": track.skipped_points,
        "dropped_fields": track.dropped_fields,
        "truncated": track.truncated,
        "start": _iso(summary.min_time_utc),
        "end": _iso(summary.max_time_utc),
        "positioned": placed,
    }
