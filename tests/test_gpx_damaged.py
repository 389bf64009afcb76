"""GPX files a logger damaged keep their good points; a route alone is said plainly (issue 19)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from officer_app.media.errors import GpxError
from officer_app.media.gpx import parse_gpx, position_at
from officer_app.services import tracks
from officer_app.services.context import AppContext

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="cam" xmlns="http://www.topografix.com/GPX/1/1">'


def _pt(i: int, extra: str = "") -> str:
    return (
        f'<trkpt lat="{31 + i / 1000}" lon="{121 + i / 1000}"><ele>{i}</ele>'
        f"<time>2026-11-20T01:0{i}:00Z</time>{extra}</trkpt>"
    )


def test_malformed_fix_drops_only_that_field() -> None:
    body = _pt(0) + _pt(1, "<fix>4d</fix>") + _pt(2)
    track = parse_gpx((HEAD + f"<trk><trkseg>{body}</trkseg></trk></gpx>").encode())
    assert len(track.points) == 3
    assert track.truncated is False and track.skipped_points == 0


def test_malformed_ele_and_time_are_counted_point_kept() -> None:
    bad = '<trkpt lat="31.5" lon="121.5"><ele>n/a</ele><time>yesterday</time></trkpt>'
    body = _pt(0) + bad + '<trkpt lat="x" lon="121"/>' + _pt(3)
    track = parse_gpx((HEAD + f"<trk><trkseg>{body}</trkseg></trk></gpx>").encode())
    assert [p.lat for p in track.points] == [31.0, 31.5, 31.003]
    assert track.points[1].ele is None and track.points[1].time is None
    assert track.dropped_fields == 2 and track.skipped_points == 1


def test_truncated_file_keeps_points_up_to_the_last_whole_one() -> None:
    whole = HEAD + "<trk><trkseg>" + _pt(0) + _pt(1) + _pt(2) + "</trkseg></trk></gpx>"
    cut = whole[: whole.index(_pt(2)) + 30]  # power lost inside the third point
    track = parse_gpx(cut.encode())
    assert track.truncated is True
    assert len(track.points) == 2
    assert position_at(track, datetime(2026, 11, 20, 1, 0, 30, tzinfo=UTC)) is not None


def test_truncated_before_any_point_is_still_refused() -> None:
    with pytest.raises(GpxError) as err:
        parse_gpx((HEAD + "<trk><trkseg><trkpt lat=").encode())
    assert "XML" in err.value.message_zh


def test_out_of_range_point_still_refuses_salvaged_file() -> None:
    body = _pt(0, "<fix>bad</fix>") + '<trkpt lat="200" lon="121"/>'
    with pytest.raises(GpxError) as err:
        parse_gpx((HEAD + f"<trk><trkseg>{body}</trkseg></trk></gpx>").encode())
    assert "不可能的坐标" in err.value.message_zh


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            '<rte><rtept lat="31" lon="121"/><rtept lat="31.1" lon="121.1"/></rte>',
            "规划路线（rte）",
        ),
        ('<wpt lat="31" lon="121"/>', "航点（wpt）"),
    ],
)
def test_route_or_waypoints_only_is_said_plainly_and_nothing_stored(
    officer_ctx: AppContext, tmp_path: Path, body: str, said: str
) -> None:
    path = tmp_path / "plan.gpx"
    path.write_text(HEAD + body + "</gpx>", encoding="utf-8")
    with pytest.raises(GpxError) as err:
        tracks.import_track(officer_ctx, path)
    assert said in err.value.message_zh and "没有实际记录的轨迹" in err.value.message_zh
    assert officer_ctx.store.scalar("SELECT COUNT(*) FROM tracks") == 0


def test_import_reports_salvage_counts(officer_ctx: AppContext, tmp_path: Path) -> None:
    whole = HEAD + "<trk><trkseg>" + _pt(0, "<fix>x</fix>") + _pt(1) + _pt(2)
    path = tmp_path / "cut.gpx"
    path.write_text(whole[:-20], encoding="utf-8")
    result = tracks.import_track(officer_ctx, path)
    assert result["truncated"] is True and result["n_points"] == 2
    assert officer_ctx.store.scalar("SELECT n_points FROM tracks") == 2
