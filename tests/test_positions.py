"""Manual positions and jurisdiction overrides: parser, service refusals, ledger/outbox, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from officer_app.errors import NotFoundError, ValidationError
from officer_app.services import evidence_import, positions
from officer_app.services.context import AppContext
from officer_app.store.ledger import verify_chain
from tests.photos import make_photo

WUJIANG = (31.0135, 120.8370)  # > 1 km inside 吴江区 (320509)
QINGPU = (31.0352, 120.9016)  # 青浦区 (310118)


@pytest.mark.parametrize(
    ("text", "lat", "lon", "swapped"),
    [
        ("31.0135, 120.8370", 31.0135, 120.8370, False),
        ("31.0135，120.8370", 31.0135, 120.8370, False),
        ("31.0135 120.8370", 31.0135, 120.8370, False),
        ("31°0'48.6\"N 120°50'13.2\"E", 31.0135, 120.837, False),
        ("北纬31°0′48.6″ 东经120°50′13.2″", 31.0135, 120.837, False),
        ("E120.8370 N31.0135", 31.0135, 120.8370, False),
        ("120.8370,31.0135", 31.0135, 120.8370, True),
        ("-33.8568, 151.2153", -33.8568, 151.2153, False),
        ("33.8568S 151.2153E", -33.8568, 151.2153, False),
    ],
)
def test_parse_coordinates_good(text: str, lat: float, lon: float, swapped: bool) -> None:
    parsed = positions.parse_coordinates(text)
    assert parsed.lat == pytest.approx(lat, abs=1e-6)
    assert parsed.lon == pytest.approx(lon, abs=1e-6)
    assert parsed.swapped is swapped
    assert (parsed.hint == "lat_lon_swapped") is swapped
    assert ("调换" in parsed.note_zh) is swapped


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "请输入坐标"),
        ("31.0135", "两个数"),
        ("31.0135, 120.8370, 5", "两个数"),
        ("abc, def", "无法识别"),
        ("31°75'0\"N 120°0'0\"E", "小于60"),
        ("95.1, 200.2", "纬度超出范围"),
        ("31.01N 32.1S", "都是纬度"),
    ],
)
def test_parse_coordinates_bad(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        positions.parse_coordinates(text)
    assert words in info.value.message_zh


@pytest.fixture
def photo_id(officer_ctx: AppContext, tmp_path: Path) -> str:
    photo = make_photo(tmp_path / "nogps.jpg", lat=None, lon=None, seed=3)
    report = evidence_import.import_files(officer_ctx, [photo])
    evidence_id = report.files[0].evidence_id
    assert evidence_id
    return evidence_id


def _ledger(ctx: AppContext, kind: str) -> list[dict]:
    return ctx.store.query("SELECT * FROM ledger WHERE kind = ? ORDER BY seq", [kind])


def test_manual_position_stores_wgs84_recomputes_jurisdiction_ledger_and_outbox(
    officer_ctx: AppContext, photo_id: str
) -> None:
    ctx = officer_ctx
    result = positions.set_manual_position(ctx, photo_id, *WUJIANG, reason="照片无GPS，按现场记录")
    row = ctx.store.query("SELECT * FROM evidence WHERE id = ?", [photo_id])[0]
    assert (row["lat"], row["lon"]) == pytest.approx(WUJIANG)
    assert row["position_source"] == "manual" and row["datum"] == "wgs84"
    assert row["jurisdiction_code"] == "320509" == result["jurisdiction"]["code"]
    entries = _ledger(ctx, "position_assigned")
    assert len(entries) == 1 and entries[0]["entity_id"] == photo_id
    payload = json.loads(entries[0]["payload"])
    assert payload["source"] == "manual" and payload["reason"] == "照片无GPS，按现场记录"
    assert payload["old"]["lat"] is None
    outbox = ctx.store.query(
        "SELECT * FROM outbox WHERE entity_id = ? AND op = 'position'", [photo_id]
    )
    assert len(outbox) == 1
    assert verify_chain(ctx.store.query("SELECT * FROM ledger ORDER BY seq")) == []


def test_gcj02_input_is_converted_before_storing(officer_ctx: AppContext, photo_id: str) -> None:
    result = positions.set_manual_position(
        officer_ctx, photo_id, *WUJIANG, datum="gcj02", reason="从高德地图复制"
    )
    row = officer_ctx.store.query("SELECT lat, lon FROM evidence WHERE id = ?", [photo_id])[0]
    # GCJ-02 is shifted ~500 m around here: the stored WGS-84 point must differ from the input.
    assert abs(row["lat"] - WUJIANG[0]) + abs(row["lon"] - WUJIANG[1]) > 0.003
    assert result["input"] == {"lat": WUJIANG[0], "lon": WUJIANG[1], "datum": "gcj02"}
    payload = json.loads(_ledger(officer_ctx, "position_assigned")[0]["payload"])
    assert payload["input"]["datum"] == "gcj02" and payload["datum"] == "wgs84"


def test_refusals_are_chinese_and_write_nothing(officer_ctx: AppContext, photo_id: str) -> None:
    ctx = officer_ctx
    before = ctx.store.scalar("SELECT COUNT(*) FROM ledger")
    with pytest.raises(positions.PositionRefused) as info:
        positions.set_manual_position(ctx, photo_id, 120.8370, 31.0135, reason="x")
    assert "超出范围" in info.value.message_zh and "填反" in info.value.message_zh
    assert info.value.hint == "lat_lon_swapped"
    with pytest.raises(positions.PositionRefused) as info:
        positions.set_manual_position(ctx, photo_id, 48.85, 2.35, reason="x")  # Paris
    assert "不在任何已知辖区内" in info.value.message_zh and info.value.hint is None
    with pytest.raises(ValidationError, match="理由"):
        positions.set_manual_position(ctx, photo_id, *WUJIANG, reason="  ")
    with pytest.raises(ValidationError, match="坐标系"):
        positions.set_manual_position(ctx, photo_id, *WUJIANG, datum="utm", reason="x")
    with pytest.raises(NotFoundError):
        positions.set_manual_position(ctx, "nope", *WUJIANG, reason="x")
    assert ctx.store.scalar("SELECT COUNT(*) FROM ledger") == before
    assert ctx.store.scalar("SELECT lat FROM evidence WHERE id = ?", [photo_id]) is None


def test_near_border_is_reported_before_saving(officer_ctx: AppContext) -> None:
    check = positions.check_position(officer_ctx, *WUJIANG)
    assert check.code == "320509" and not check.near_border
    # Walk east from inside 吴江 until the lookup says near the border.
    lon = WUJIANG[1]
    while not positions.check_position(officer_ctx, WUJIANG[0], lon).near_border:
        lon += 0.001
        assert lon < 121.2
    assert "请现场确认" in positions.check_position(officer_ctx, WUJIANG[0], lon).summary_zh()


def test_jurisdiction_override_needs_reason_and_is_recorded(
    officer_ctx: AppContext, photo_id: str
) -> None:
    ctx = officer_ctx
    positions.set_manual_position(ctx, photo_id, *WUJIANG, reason="现场记录")
    with pytest.raises(ValidationError, match="理由"):
        positions.change_evidence_jurisdiction(ctx, photo_id, "310118", "")
    with pytest.raises(ValidationError, match="未知的行政区划代码"):
        positions.change_evidence_jurisdiction(ctx, photo_id, "999999", "x")
    with pytest.raises(ValidationError, match="无需更改"):
        positions.change_evidence_jurisdiction(ctx, photo_id, "320509", "x")
    result = positions.change_evidence_jurisdiction(ctx, photo_id, "310118", "界河对岸，双方确认")
    assert result["old_code"] == "320509" and result["new_code"] == "310118"
    assert result["name"] == "青浦区"
    assert ctx.store.scalar("SELECT jurisdiction_code FROM evidence WHERE id = ?", [photo_id]) == (
        "310118"
    )
    payload = json.loads(_ledger(ctx, "jurisdiction_changed")[0]["payload"])
    assert payload == {
        "evidence_id": photo_id,
        "old_code": "320509",
        "new_code": "310118",
        "reason": "界河对岸，双方确认",
    }
    assert (
        ctx.store.scalar(
            "SELECT COUNT(*) FROM outbox WHERE entity_id = ? AND op = 'jurisdiction'", [photo_id]
        )
        == 1
    )
    history = positions.jurisdiction_changes(ctx, photo_id)
    assert [(h["old_code"], h["new_code"]) for h in history] == [("320509", "310118")]


def test_candidate_districts_put_neighbours_first() -> None:
    near = positions.candidate_districts(31.02, 120.87, radius_m=5000)
    codes = [d["code"] for d in near[:3]]
    assert "320509" in codes and "310118" in codes
    assert near[0]["distance_m"] == 0.0
    assert len(near) == 305


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "officer_app", *args],
        capture_output=True,
        env=dict(os.environ),
        timeout=120,
    )


def test_cli_position_and_jurisdiction(officer_ctx: AppContext, photo_id: str) -> None:
    root = str(officer_ctx.data.root)
    officer_ctx.store.conn.commit()
    done = run_cli(
        "--data-dir", root, "evidence", "position", photo_id, *map(str, WUJIANG),
        "--reason", "现场记录", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout)
    assert data["jurisdiction"]["code"] == "320509" and data["position_source"] == "manual"
    swapped = run_cli(
        "--data-dir", root, "evidence", "position", photo_id, "120.837", "31.0135",
        "--reason", "x", "--json",
    )  # fmt: skip
    assert swapped.returncode == 2 and swapped.stdout == b""  # out of range: usage (issue 16)
    assert "填反" in swapped.stderr.decode("utf-8")
    no_reason = run_cli("--data-dir", root, "evidence", "position", photo_id, "31", "120")
    assert no_reason.returncode == 2
    changed = run_cli(
        "--data-dir", root, "evidence", "jurisdiction", photo_id, "310118",
        "--reason", "双方确认", "--json",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr.decode()
    assert json.loads(changed.stdout)["new_code"] == "310118"
    unknown = run_cli(
        "--data-dir", root, "evidence", "jurisdiction", photo_id, "999999", "--reason", "x"
    )
    assert unknown.returncode == 1 and "未知的行政区划代码" in unknown.stderr.decode("utf-8")
