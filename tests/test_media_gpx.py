"""GPX parsing against the real corpus, and time → position interpolation."""

from __future__ import annotations

import csv
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from officer_app.media.errors import GpxError
from officer_app.media.gpx import parse_gpx, position_at, summarize


def corpus_dir() -> Path:
    env = os.environ.get("OFFICER_APP_CORPUS")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _rows() -> list[dict[str, str]]:
    path = corpus_dir() / "gpx" / "MANIFEST.tsv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


ROWS = _rows()
# Refused on purpose, with the reason:
EXPECTED_REFUSED = {
    "togeojson/bad.gpx": "lat/lon are 'undefined'/'x'/'y': gpxpy cannot parse them",
    "gpxeditor/testxmnls.gpx": "broken XML: undeclared namespace prefix (unbound prefix)",
    "opentracks/legacy_gpx_pause_resume.gpx": "impossible coordinates lat=100 and lat=200",
}


def _ms(dt: datetime | None) -> str:
    """Manifest time format: UTC, fraction truncated to milliseconds, trailing Z."""
    if dt is None:
        return ""
    base = dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    ms = dt.microsecond // 1000
    return f"{base}.{ms:03d}Z" if ms else f"{base}Z"


@pytest.mark.parametrize("row", ROWS or [None], ids=[r["path"] for r in ROWS] or ["no-corpus"])
def test_corpus_row(row: dict[str, str] | None) -> None:
    if row is None:
        msg = f"GPX corpus not found at {corpus_dir()} (set OFFICER_APP_CORPUS)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    path = corpus_dir() / "gpx" / row["path"]
    if row["path"] in EXPECTED_REFUSED:
        with pytest.raises(GpxError) as ei:
            parse_gpx(path)
        assert ei.value.message_zh and ei.value.reason_code == "bad_gpx"
        return
    s = summarize(parse_gpx(path))
    for col in (
        "n_tracks",
        "n_segments",
        "n_trackpoints",
        "n_trkpt_with_time",
        "n_trkpt_with_ele",
        "n_routes",
        "n_routepoints",
        "n_waypoints",
    ):
        assert getattr(s, col) == int(row[col]), col
    assert _ms(s.min_time_utc) == row["min_time_utc"]
    assert _ms(s.max_time_utc) == row["max_time_utc"]
    assert _ms(s.first_time_utc) == row["first_time_utc"]
    assert _ms(s.last_time_utc) == row["last_time_utc"]
    if row["min_lat"]:
        assert s.bbox is not None
        min_lat, min_lon, max_lat, max_lon = s.bbox
        assert min_lat == pytest.approx(float(row["min_lat"]), abs=1e-9)
        assert max_lat == pytest.approx(float(row["max_lat"]), abs=1e-9)
        assert min_lon == pytest.approx(float(row["min_lon"]), abs=1e-9)
        assert max_lon == pytest.approx(float(row["max_lon"]), abs=1e-9)
    if row["n_trkpt_with_time"] != "0":
        assert s.times_monotonic == (row["times_monotonic"] == "1")


def _gpx(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
        f"{body}</gpx>"
    ).encode()


def _pt(lat: float, lon: float, t: str | None = None, ele: float | None = None) -> str:
    inner = (f"<ele>{ele}</ele>" if ele is not None else "") + (f"<time>{t}</time>" if t else "")
    return f'<trkpt lat="{lat}" lon="{lon}">{inner}</trkpt>'


TRACK = _gpx(
    "<trk><trkseg>"
    + _pt(31.0, 121.0, "2024-05-06T02:00:00Z", 10)
    + _pt(31.1, 121.2, "2024-05-06T02:01:40Z", 20)  # 100 s later
    + _pt(31.2, 121.4, "2024-05-06T02:20:00Z", 30)  # 1100 s gap
    + "</trkseg></trk>"
)


def test_interpolation_and_gaps() -> None:
    tr = parse_gpx(TRACK)
    t0 = datetime(2024, 5, 6, 2, 0, tzinfo=UTC)
    assert position_at(tr, t0) == (31.0, 121.0, 10.0)
    lat, lon, ele = position_at(tr, t0 + timedelta(seconds=25))  # type: ignore[misc]
    assert (lat, lon, ele) == pytest.approx((31.025, 121.05, 12.5))
    assert position_at(tr, t0 + timedelta(seconds=500)) is None  # inside long gap
    assert position_at(tr, t0 + timedelta(seconds=500), max_gap_s=2000) is not None
    assert position_at(tr, t0 - timedelta(seconds=1)) is None
    assert position_at(tr, t0 + timedelta(hours=2)) is None
    # camera 60 s ahead: camera time 02:01:25 is GPS 02:00:25
    cam = datetime(2024, 5, 6, 2, 1, 25, tzinfo=UTC)
    assert position_at(tr, cam, clock_offset_s=60) == pytest.approx((31.025, 121.05, 12.5))
    with pytest.raises(ValueError):
        position_at(tr, datetime(2024, 5, 6, 2, 0))


def test_offsets_fractions_out_of_order_and_missing() -> None:
    body = (
        "<trk><trkseg>"
        + _pt(30.0, 120.0, "2024-05-06T10:00:10.500+08:00")
        + _pt(30.2, 120.2, "2024-05-06T02:00:30Z", 5)
        + _pt(30.1, 120.1, "2024-05-06T02:00:20")  # no offset: UTC per spec
        + _pt(30.3, 120.3)  # no time
        + "</trkseg></trk><trk><trkseg></trkseg></trk>"
        + '<rte><rtept lat="1" lon="2"/></rte><wpt lat="3" lon="4"/>'
    )
    tr = parse_gpx(_gpx(body))
    s = summarize(tr)
    assert (s.n_tracks, s.n_segments, s.n_trackpoints) == (2, 2, 4)
    assert (
        s.n_trkpt_with_time,
        s.n_trkpt_with_ele,
        s.n_routes,
        s.n_routepoints,
        s.n_waypoints,
    ) == (
        3,
        1,
        1,
        1,
        1,
    )
    assert s.min_time_utc == datetime(2024, 5, 6, 2, 0, 10, 500000, tzinfo=UTC)
    assert not s.times_monotonic
    assert [p.lat for p in tr.points] == [30.0, 30.2, 30.1, 30.3]  # original order kept
    assert [p.lat for p in tr.timeline] == [30.0, 30.1, 30.2]
    lat, _lon, ele = position_at(tr, datetime(2024, 5, 6, 2, 0, 25, tzinfo=UTC))  # type: ignore[misc]
    assert lat == pytest.approx(30.15) and ele is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<gpx><trk>",
        _gpx(""),
        _gpx("<trk><trkseg>" + _pt(91.0, 10.0) + "</trkseg></trk>"),
        _gpx("<trk><trkseg>" + _pt(10.0, -181.0) + "</trkseg></trk>"),
        _gpx('<wpt lat="x" lon="1"/>'),
        b"not xml at all",
    ],
    ids=["empty", "broken", "no-points", "lat91", "lon-181", "nan-lat", "text"],
)
def test_bad_gpx(data: bytes) -> None:
    with pytest.raises(GpxError) as ei:
        parse_gpx(data)
    assert ei.value.message_zh and ei.value.detail


def test_declared_latin1_encoding(tmp_path: Path) -> None:
    data = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><gpx version="1.1" creator="t">'
        '<wpt lat="1" lon="2"><name>Caf\xe9</name></wpt></gpx>'
    ).encode("latin-1")
    p = tmp_path / "l.gpx"
    p.write_bytes(data)
    assert summarize(parse_gpx(p)).n_waypoints == 1


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(GpxError):
        parse_gpx(tmp_path / "missing.gpx")
