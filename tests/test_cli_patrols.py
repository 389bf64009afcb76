"""``officer-app patrol …``: JSON shape, exit codes, one-line Chinese errors, through the real
parser and ``run_command``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from officer_app import cli


def run(
    data_dir: Path, capsysbinary: pytest.CaptureFixture[bytes], *argv: str
) -> tuple[int, str, str]:
    try:
        args = cli.parse(["--data-dir", str(data_dir), *argv])
    except SystemExit as exc:
        out = capsysbinary.readouterr()
        return int(exc.code or 0), out.out.decode(), out.err.decode()
    code = cli.run_command(args)
    out = capsysbinary.readouterr()
    return code, out.out.decode("utf-8"), out.err.decode("utf-8")


@pytest.fixture
def initialised(data_dir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> Path:
    code, _out, err = run(
        data_dir,
        capsysbinary,
        "init",
        "--officer-name",
        "张伟",
        "--badge",
        "31011800123",
        "--agency",
        "310118",
    )
    assert code == 0, err
    return data_dir


def _new(data_dir: Path, capsysbinary: pytest.CaptureFixture[bytes], *extra: str) -> dict:
    code, out, err = run(
        data_dir,
        capsysbinary,
        "patrol",
        "new",
        "--json",
        "--type",
        "水路巡查",
        "--start",
        "2026-11-20T09:00+08:00",
        "--end",
        "2026-11-20T12:00+08:00",
        "--cluster",
        "青嘉吴",
        *extra,
    )
    assert code == 0, err
    return json.loads(out)


def test_new_list_json_shape(initialised: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    made = _new(
        initialised,
        capsysbinary,
        "--agency",
        "310118",
        "--agency",
        "320509",
        "--officer",
        "310118:陈立群:31011820318",
        "--officer",
        "320509:沈建明:32050921107",
    )
    assert made["warnings"] == []
    code, out, err = run(initialised, capsysbinary, "patrol", "list", "--json")
    assert code == 0 and err == ""
    [item] = json.loads(out)
    assert {
        "id",
        "type",
        "status",
        "start",
        "end",
        "agencies",
        "officer_count",
        "evidence_count",
    } <= set(item)
    assert item["id"] == made["id"] and item["type"] == "水路巡查" and item["status"] == "planned"
    assert (
        item["start"] == "2026-11-20T09:00:00+08:00" and item["end"] == "2026-11-20T12:00:00+08:00"
    )
    assert [a["code"] for a in item["agencies"]] == ["310118", "320509"]
    assert all(set(a) == {"code", "name"} and a["name"] for a in item["agencies"])
    assert (item["officer_count"], item["evidence_count"]) == (2, 0)


def test_one_province_and_officer_warnings_are_printed(
    initialised: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out, _err = run(
        initialised,
        capsysbinary,
        "patrol",
        "new",
        "--type",
        "陆路巡查",
        "--start",
        "2026-11-20T09:00",
        "--end",
        "2026-11-20T10:00",
        "--agency",
        "310118",
        "--officer",
        "310118:李明:31011800999",
    )
    assert code == 0
    assert "警告：所有参加单位均来自上海市" in out
    assert "至少两名持证执法人员" in out


def test_status_steps_and_refusals(
    initialised: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    pid = _new(initialised, capsysbinary, "--agency", "310118", "--agency", "320509")["id"]
    code, _out, err = run(initialised, capsysbinary, "patrol", "close", pid[:8])
    assert code == 1
    assert err.count("\n") == 1 and "请先开始巡查" in err
    code, out, _ = run(
        initialised,
        capsysbinary,
        "patrol",
        "start",
        pid[:8],
        "--json",
        "--at",
        "2026-11-20T09:05+08:00",
    )
    assert code == 0 and json.loads(out)["status"] == "in_progress"
    code, out, _ = run(
        initialised,
        capsysbinary,
        "patrol",
        "close",
        pid,
        "--json",
        "--at",
        "2026-11-20T11:05+08:00",
    )
    assert code == 0 and json.loads(out)["status"] == "closed"
    code, _out, err = run(initialised, capsysbinary, "patrol", "start", pid)
    assert code == 1 and "已结束" in err


def test_amend_records_and_stale_version_conflicts(
    initialised: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    pid = _new(initialised, capsysbinary, "--agency", "310118", "--agency", "320509")["id"]
    run(initialised, capsysbinary, "patrol", "start", pid, "--at", "2026-11-20T09:05+08:00")
    run(initialised, capsysbinary, "patrol", "close", pid, "--at", "2026-11-20T11:00+08:00")
    code, out, err = run(
        initialised,
        capsysbinary,
        "patrol",
        "amend",
        pid,
        "area=汾湖南岸",
        "--reason",
        "区域记错",
        "--version",
        "3",
        "--json",
    )
    assert code == 0, err
    amendment = json.loads(out)
    assert (amendment["field"], amendment["new_value"], amendment["version"]) == (
        "area",
        "汾湖南岸",
        4,
    )
    code, _out, err = run(
        initialised,
        capsysbinary,
        "patrol",
        "amend",
        pid,
        "notes=另一处",
        "--reason",
        "补充",
        "--version",
        "3",
    )
    assert code == 1 and "其他窗口" in err and err.count("\n") == 1
    code, out, _ = run(initialised, capsysbinary, "patrol", "show", pid, "--json")
    shown = json.loads(out)
    assert shown["area"] == "汾湖南岸" and shown["notes"] == "" and len(shown["amendments"]) == 1


def test_usage_errors_exit_2(initialised: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    pid = _new(initialised, capsysbinary, "--agency", "310118", "--agency", "320509")["id"]
    code, _out, err = run(
        initialised, capsysbinary, "patrol", "amend", pid, "no-equals-sign", "--reason", "x"
    )
    assert code == 2 and "字段=新值" in err
    code, _out, err = run(
        initialised,
        capsysbinary,
        "patrol",
        "new",
        "--type",
        "陆路巡查",
        "--start",
        "2026-11-20T09:00",
        "--end",
        "2026-11-20T10:00",
        "--agency",
        "310118",
        "--officer",
        "只有名字",
    )
    assert code == 2 and "单位代码:姓名:执法证号" in err
    code, _out, err = run(initialised, capsysbinary, "patrol", "list", "--agency", "bad")
    assert code == 2
    code, _out, err = run(initialised, capsysbinary, "patrol", "show", "ffffffff")
    assert code == 1 and "未找到巡查" in err


def test_list_filters(initialised: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    a = _new(
        initialised, capsysbinary, "--agency", "310118", "--agency", "320509", "--title", "渣土"
    )["id"]
    b = _new(initialised, capsysbinary, "--agency", "310114", "--agency", "320583")["id"]
    code, out, _ = run(initialised, capsysbinary, "patrol", "list", "--json", "--agency", "320583")
    assert [p["id"] for p in json.loads(out)] == [b]
    code, out, _ = run(initialised, capsysbinary, "patrol", "list", "--json", "--text", "渣土")
    assert [p["id"] for p in json.loads(out)] == [a]
    code, out, _ = run(
        initialised, capsysbinary, "patrol", "list", "--json", "--from", "2026-11-21"
    )
    assert code == 0 and json.loads(out) == []
