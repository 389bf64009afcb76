"""A moving recording keeps its whole path (issue 19 item 2), from the GPS log beside it or from
the patrol's GPX track by time; a recording that stood still keeps one position.

Recordings are real (PyAV's encoder); the NMEA logs and GPX tracks are written here with known
fixes, so every stored point is checked against the value the log holds.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from officer_app.media.recording_path import distance_m, path_length_m
from officer_app.services import evidence_import, evidence_query, patrols, recording_path, tracks
from officer_app.services.context import AppContext
from officer_app.store.migration_recording_path import MIGRATION_RECORDING_PATH
from officer_app.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tests.recordings import BODY_CAM_TIME, make_recording, nmea_log
from tests.test_tracks import write_gpx

T0 = dt.datetime(2026, 11, 20, 1, 2, 3, tzinfo=dt.UTC)  # BODY_CAM_TIME
LAT, LON = 31.0135, 120.8370
STEP = 3e-4  # degrees north a second: ~33 m, a patrol car in town


def _moving_mp4(path: Path, seconds: float = 4.0) -> Path:
    return make_recording(path, metadata={"creation_time": BODY_CAM_TIME}, seconds=seconds)


def _item(ctx: AppContext, evidence_id: str | None) -> dict[str, object]:
    assert evidence_id is not None
    item = evidence_query.get_evidence(ctx, evidence_id)
    assert item is not None
    return item


def test_moving_recording_keeps_every_fix_of_its_log_within_its_span(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    mp4 = _moving_mp4(tmp_path / "card" / "FILE0001.MP4")
    # The log runs 2 s before and after the 4 s recording: only the fixes inside it are its path.
    nmea_log(tmp_path / "card" / "FILE0001.NMEA", (1, 2, 1), LAT - 2 * STEP, LON, n=9, step=STEP)
    [outcome] = evidence_import.import_files(officer_ctx, [mp4]).files
    item = _item(officer_ctx, outcome.evidence_id)
    assert item["duration_s"] == pytest.approx(4.0, abs=0.2)
    path = item["path"]
    assert isinstance(path, list)
    expected = [(T0 + dt.timedelta(seconds=k), LAT + k * STEP) for k in range(5)]  # 03..07
    assert [p["t"] for p in path] == [t.isoformat() for t, _ in expected]
    for point, (_t, lat) in zip(path, expected, strict=True):
        assert point["lat"] == pytest.approx(lat, abs=1e-6)
        assert point["lon"] == pytest.approx(LON, abs=1e-6)
    assert item["path_source"] == "nmea"
    # The start position is the path's first fix; the length is the sum of its steps.
    assert (item["lat"], item["lon"]) == pytest.approx((path[0]["lat"], path[0]["lon"]))
    length = distance_m((LAT, LON), (LAT + 4 * STEP, LON))
    assert item["path_length_m"] == pytest.approx(length, rel=1e-3)
    assert 120 < length < 140
    # The ledger pins the stored path by its digest.
    intake = json.loads(
        officer_ctx.store.scalar(
            "SELECT payload FROM ledger WHERE kind = 'evidence_intake' AND entity_id = ?",
            [outcome.evidence_id],
        )
    )
    assert intake["path_n"] == 5 and len(intake["path_sha256"]) == 64


def test_recording_that_stood_still_keeps_one_position(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    mp4 = _moving_mp4(tmp_path / "FILE0002.MP4")
    nmea_log(tmp_path / "FILE0002.NMEA", (1, 2, 3), LAT, LON, n=6, step=2e-5)  # ~2 m: GPS noise
    [outcome] = evidence_import.import_files(officer_ctx, [mp4]).files
    item = _item(officer_ctx, outcome.evidence_id)
    assert item["path"] is None and item["path_length_m"] is None and item["path_source"] is None
    assert item["lat"] == pytest.approx(LAT, abs=1e-6) and item["position_source"] == "nmea"


def _patrol(ctx: AppContext) -> str:
    start = T0 - dt.timedelta(hours=1)
    return patrols.record_patrol(
        ctx,
        patrol_type="陆路巡查",
        cluster="青嘉吴",
        start=start,
        end=start + dt.timedelta(hours=3),
        agencies=["310118", "320509"],
        officers=[],
    )


def _route(path: Path) -> Path:
    """The patrol's GPX track: one fix every 2 s from 2 s before the recording to 6 s after."""
    fixes = [(T0 + dt.timedelta(seconds=s), LAT + s * STEP, LON) for s in range(-2, 11, 2)]
    return write_gpx(path, fixes)


@pytest.mark.parametrize("track_first", [False, True])
def test_path_from_the_patrols_track_by_time(
    officer_ctx: AppContext, tmp_path: Path, track_first: bool
) -> None:
    patrol_id = _patrol(officer_ctx)
    mp4 = _moving_mp4(tmp_path / "phone" / "VID.MP4")  # no GPS log beside it
    gpx = _route(tmp_path / "route.gpx")
    if track_first:
        tracks.import_track(officer_ctx, gpx, patrol_id=patrol_id)
    [outcome] = evidence_import.import_files(officer_ctx, [mp4], patrol_id=patrol_id).files
    if not track_first:
        assert _item(officer_ctx, outcome.evidence_id)["path"] is None
        result = tracks.import_track(officer_ctx, gpx, patrol_id=patrol_id)
        assert result["paths"] == [outcome.evidence_id]
    item = _item(officer_ctx, outcome.evidence_id)
    assert item["path_source"] == "track"
    path = item["path"]
    assert isinstance(path, list)
    assert [p["t"] for p in path] == [(T0 + dt.timedelta(seconds=s)).isoformat() for s in (0, 2, 4)]
    assert [p["lat"] for p in path] == pytest.approx([LAT + s * STEP for s in (0, 2, 4)])
    # The start position comes from the same track (the recording had none).
    assert item["lat"] == pytest.approx(LAT) and item["position_source"] == "gpx"
    kind = "evidence_intake" if track_first else "path_assigned"
    entries = officer_ctx.store.query(
        "SELECT payload FROM ledger WHERE kind = ? AND entity_id = ?", [kind, outcome.evidence_id]
    )
    assert json.loads(entries[-1]["payload"])["path_n"] == 3


def test_a_second_track_never_replaces_the_log_beside_the_file(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    patrol_id = _patrol(officer_ctx)
    mp4 = _moving_mp4(tmp_path / "FILE0003.MP4")
    nmea_log(tmp_path / "FILE0003.NMEA", (1, 2, 3), LAT, LON, n=5, step=STEP)
    [outcome] = evidence_import.import_files(officer_ctx, [mp4], patrol_id=patrol_id).files
    before = _item(officer_ctx, outcome.evidence_id)
    result = tracks.import_track(officer_ctx, _route(tmp_path / "r.gpx"), patrol_id=patrol_id)
    assert result["paths"] == []
    after = _item(officer_ctx, outcome.evidence_id)
    assert after["path"] == before["path"] and after["path_source"] == "nmea"


def test_evidence_list_json_shows_the_path(officer_ctx: AppContext, tmp_path: Path) -> None:
    mp4 = _moving_mp4(tmp_path / "FILE0004.MP4")
    nmea_log(tmp_path / "FILE0004.NMEA", (1, 2, 3), LAT, LON, n=5, step=STEP)
    evidence_import.import_files(officer_ctx, [mp4])
    run = [sys.executable, "-m", "officer_app", "--data-dir", str(officer_ctx.data.root)]
    listed = subprocess.run(
        [*run, "evidence", "list", "--json"], capture_output=True, text=True, check=True
    )
    [item] = json.loads(listed.stdout)
    assert len(item["path"]) == 5 and set(item["path"][0]) == {"t", "lat", "lon"}
    points = [(p["t"], p["lat"], p["lon"]) for p in item["path"]]
    assert item["path_length_m"] == pytest.approx(path_length_m(points), abs=0.05)  # to 0.1 m
    text = subprocess.run([*run, "evidence", "list"], capture_output=True, text=True, check=True)
    assert "轨迹 5 点" in text.stdout


def test_upgrade_adds_the_path_columns_and_keeps_the_recordings(tmp_path: Path) -> None:
    from officer_app.services.officers import add_or_select_officer

    data = tmp_path / "old"
    mp4 = _moving_mp4(tmp_path / "FILE0005.MP4")
    with AppContext.open(data) as ctx:
        add_or_select_officer(ctx, "张伟", "31011800123", "310118")
        evidence_import.import_files(ctx, [mp4])
        path = ctx.store.path
    conn = sqlite3.connect(path)  # back to the schema before the migration, data kept
    for column in ("path_points", "path_source"):
        conn.execute(f"ALTER TABLE evidence DROP COLUMN {column}")
    conn.execute("DROP TABLE evidence_gps_logs")
    conn.execute(f"PRAGMA user_version = {MIGRATIONS.index(MIGRATION_RECORDING_PATH)}")
    conn.commit()
    before = conn.execute("SELECT id, sha256, lat, duration_s FROM evidence").fetchall()
    conn.close()
    with AppContext.open(data) as ctx:
        assert ctx.store.schema_version == SCHEMA_VERSION
        rows = ctx.store.query("SELECT id, sha256, lat, duration_s, path_points FROM evidence")
        assert [(r["id"], r["sha256"], r["lat"], r["duration_s"]) for r in rows] == before
        assert [r["path_points"] for r in rows] == [None]


def test_documents_list_the_path_start_end_and_length(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    from officer_app.services.doc_context import evidence_meta

    mp4 = _moving_mp4(tmp_path / "FILE0006.MP4")
    nmea_log(tmp_path / "FILE0006.NMEA", (1, 2, 3), LAT, LON, n=5, step=STEP)
    evidence_import.import_files(officer_ctx, [mp4])
    [row] = officer_ctx.store.query("SELECT * FROM evidence")
    route = evidence_meta(officer_ctx, row)["route"]
    assert route["n"] == 5
    assert route["start"] == pytest.approx([LAT, LON]) and route["end"] == pytest.approx(
        [LAT + 4 * STEP, LON]
    )
    assert route["length_m"] == pytest.approx(
        distance_m((LAT, LON), (LAT + 4 * STEP, LON)), abs=0.1
    )


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[]",
        '{"a": 1}',
        '[["2026-11-20T01:00:00+00:00", 31.0]]',
        '[["yesterday", 31.0, 120.8]]',
        '[["2026-11-20T01:00:00+00:00", 95.0, 120.8]]',
        '[["2026-11-20T01:00:00+00:00", true, 120.8]]',
        '[["2026-11-20T01:00:00+00:00", "x", 120.8]]',
        "[" + ",".join(["[null, 31.0, 120.8]"] * (recording_path.MAX_RECEIVED_POINTS + 1)) + "]",
    ],
)
def test_a_malformed_received_path_is_dropped_not_stored(raw: str) -> None:
    assert recording_path.received({"path_points": raw, "path_source": "log"}) == {
        "path_points": None,
        "path_source": None,
    }


def test_a_received_path_is_kept_as_sent() -> None:
    raw = '[["2026-11-20T01:00:00+00:00", 31.0135, 120.837], [null, 31.0136, 120.837]]'
    kept = recording_path.received({"path_points": raw, "path_source": "log"})
    assert json.loads(kept["path_points"]) == json.loads(raw)
    assert recording_path.received({"lat": 31.0}) == {}
