"""A GPX track positions the photos that lacked GPS, by time; bad GPX is refused."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from officer_app.media.errors import GpxError
from officer_app.services import evidence_import, evidence_query, tracks
from officer_app.services.context import AppContext
from tests.photos import CST, make_photo

START = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai


def write_gpx(path: Path, points: list[tuple[dt.datetime, float, float]]) -> Path:
    body = "\n".join(
        f'<trkpt lat="{lat}" lon="{lon}"><ele>3.0</ele><time>{t.strftime("%Y-%m-%dT%H:%M:%SZ")}</time></trkpt>'
        for t, lat, lon in points
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><trkseg>{body}</trkseg></trk></gpx>",
        encoding="utf-8",
    )
    return path


def test_track_positions_photos_without_gps(officer_ctx: AppContext, tmp_path: Path) -> None:
    gpx = write_gpx(
        tmp_path / "route.gpx",
        [(START, 30.98, 120.82), (START + dt.timedelta(minutes=4), 30.99, 120.83)],
    )
    halfway = make_photo(
        tmp_path / "a.jpg",
        taken_at=(START + dt.timedelta(minutes=2)).astimezone(CST),
        lat=None,
        lon=None,
        seed=40,
    )
    late = make_photo(
        tmp_path / "b.jpg",
        taken_at=(START + dt.timedelta(hours=3)).astimezone(CST),
        lat=None,
        lon=None,
        seed=41,
    )
    with_gps = make_photo(
        tmp_path / "c.jpg",
        taken_at=(START + dt.timedelta(minutes=2)).astimezone(CST),
        lat=31.0,
        lon=120.9,
        seed=42,
    )
    evidence_import.import_files(officer_ctx, [halfway, late, with_gps])
    result = tracks.import_track(officer_ctx, gpx)
    assert result["n_points"] == 2
    assert len(result["positioned"]) == 1
    by_name = {i["original_name"]: i for i in evidence_query.list_evidence(officer_ctx)}
    a = by_name["a.jpg"]
    assert a["position_source"] == "gpx" and a["datum"] == "wgs84"
    assert a["lat"] == pytest.approx(30.985, abs=1e-6) and a["lon"] == pytest.approx(
        120.825, abs=1e-6
    )
    assert by_name["b.jpg"]["lat"] is None
    assert by_name["c.jpg"]["position_source"] == "exif" and by_name["c.jpg"][
        "lat"
    ] == pytest.approx(31.0)
    assert (
        officer_ctx.store.scalar("SELECT COUNT(*) FROM ledger WHERE kind='position_assigned'") == 1
    )


def test_clock_offset_and_max_gap(officer_ctx: AppContext, tmp_path: Path) -> None:
    gpx = write_gpx(
        tmp_path / "gap.gpx",
        [(START, 30.98, 120.82), (START + dt.timedelta(minutes=20), 30.99, 120.83)],
    )
    # Camera clock runs 5 minutes fast: the photo at camera time +15 min was taken at GPS +10.
    photo = make_photo(
        tmp_path / "a.jpg",
        taken_at=(START + dt.timedelta(minutes=15)).astimezone(CST),
        lat=None,
        lon=None,
        seed=43,
    )
    evidence_import.import_files(officer_ctx, [photo])
    none = tracks.import_track(officer_ctx, gpx, max_gap_s=600)  # 20 min gap > 10 min
    assert none["positioned"] == []
    placed = tracks.import_track(officer_ctx, gpx, clock_offset_s=300, max_gap_s=1800)
    assert placed["positioned"][0]["lat"] == pytest.approx(30.985, abs=1e-6)


@pytest.mark.parametrize(
    "content",
    [
        "<gpx><trk><trkseg><trkpt lat='30' lon='120'>",  # broken XML
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        '<trkpt lat="130.5" lon="120.1"><time>2026-11-20T01:00:00Z</time></trkpt>'
        "</trkseg></trk></gpx>",  # impossible latitude
        "",
    ],
)
def test_bad_gpx_is_refused_and_nothing_changes(
    officer_ctx: AppContext, tmp_path: Path, content: str
) -> None:
    path = tmp_path / "bad.gpx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GpxError) as caught:
        tracks.import_track(officer_ctx, path)
    assert caught.value.message_zh
    assert officer_ctx.store.scalar("SELECT COUNT(*) FROM tracks") == 0


def test_cli_track_import_json(officer_ctx: AppContext, tmp_path: Path) -> None:
    gpx = write_gpx(
        tmp_path / "r.gpx",
        [(START, 30.98, 120.82), (START + dt.timedelta(minutes=4), 30.99, 120.83)],
    )
    photo = make_photo(
        tmp_path / "a.jpg",
        taken_at=(START + dt.timedelta(minutes=1)).astimezone(CST),
        lat=None,
        lon=None,
        seed=44,
    )
    evidence_import.import_files(officer_ctx, [photo])
    root = str(officer_ctx.data.root)
    officer_ctx.close()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "officer_app",
            "--data-dir",
            root,
            "track",
            "import",
            str(gpx),
            "--json",
        ],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["positioned"][0]["evidence_id"]
    bad = tmp_path / "bad.gpx"
    bad.write_text("<gpx", encoding="utf-8")
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "officer_app",
            "--data-dir",
            root,
            "track",
            "import",
            str(bad),
            "--json",
        ],
        capture_output=True,
        timeout=120,
    )
    assert refused.returncode == 1 and refused.stdout == b""
    assert refused.stderr.decode("utf-8").count("\n") == 1
