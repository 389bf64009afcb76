"""Cases and validators through the CLI: the JSON shapes the GUI and scripts rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.doc_fixtures import cli, load_demo
from tests.photos import make_photo


@pytest.fixture
def demo_dir(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert cli(data_dir, "demo") == 0
    return data_dir


def _json(capsys: pytest.CaptureFixture[str]) -> object:
    return json.loads(capsys.readouterr().out)


def test_case_list_shape(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli(demo_dir, "case", "list", "--json") == 0
    (item,) = _json(capsys)  # type: ignore[misc]
    assert set(item) >= {"id", "type", "status", "taken_at", "jurisdiction", "evidence_count"}
    assert item["jurisdiction"] == {"code": "320509", "name": "吴江区"}
    assert item["evidence_count"] == 2
    assert item["type"]["code"] == "JZLJ-01"


def test_case_new_with_parties_and_show(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from officer_app.services.context import AppContext

    capsys.readouterr()
    photo = make_photo(tmp_path / "p" / "a.jpg", seed=3)
    assert cli(demo_dir, "evidence", "import", str(photo), "--json") == 0
    ev_id = _json(capsys)["files"][0]["evidence_id"]  # type: ignore[index]
    code = cli(
        demo_dir, "case", "new", "--violation", "SRHJ-02", "--evidence", ev_id,
        "--party-person", "张三:11010519491231002X",
        "--party-org", "某建筑工程有限公司:91310110666007217A",
        "--plate", "苏E12345D:渣土车", "--place", "黎里镇318国道旁", "--json",
    )  # fmt: skip
    assert code == 0
    created = _json(capsys)
    assert created["warnings"] and "校验位" in created["warnings"][0]  # type: ignore[index]
    assert cli(demo_dir, "case", "show", created["id"], "--json") == 0  # type: ignore[index]
    shown = _json(capsys)
    kinds = {p["kind"]: p for p in shown["parties"]}  # type: ignore[index]
    assert kinds["person"]["details"]["birth_date"] == "1949-12-31"
    assert kinds["person"]["details"]["region_code"] == "110105"
    assert kinds["organisation"]["details"]["check_digit_warning"]
    assert set(kinds) == {"person", "organisation"}  # a plate is a clue, never the party
    assert [(v["plate"], v["description"]) for v in shown["vehicles"]] == [("苏E12345D", "渣土车")]
    assert shown["vehicles"][0]["details"]["kind"] == "new_energy_large"
    # The demo photos lie in 吴江: Jiangsu's regulation, never Shanghai's, and unchecked ones marked.
    basis = shown["legal_basis"]  # type: ignore[index]
    assert basis["province"] == "320000"
    assert "江苏省城市市容和环境卫生管理条例" in basis["obligation"] and "上海" not in str(basis)
    assert "城市市容和环境卫生管理条例》（国务院令第101号）第十四条" in basis["obligation"]
    with AppContext.open(demo_dir) as ctx:
        assert ctx.store.scalar("SELECT count(*) FROM ledger WHERE entity_id = ?", [shown["id"]])  # type: ignore[index]


def test_case_new_refuses_an_invalid_id_number_and_explains(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from officer_app.services.context import AppContext
    from officer_app.services.demo import CASE_ID

    with AppContext.open(demo_dir) as ctx:
        ev = ctx.store.scalar("SELECT evidence_id FROM case_evidence WHERE case_id = ?", [CASE_ID])
    capsys.readouterr()
    code = cli(demo_dir, "case", "new", "--violation", "JZLJ-01", "--evidence", ev,
               "--party-person", "李四:110105194912310021")  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert "校验位错误，应为 X" in err and "李四" in err and len(err.strip().splitlines()) == 1


def test_jurisdiction_change_needs_reason_and_is_ledgered(demo_dir: Path) -> None:
    from officer_app.errors import ValidationError
    from officer_app.services import cases
    from officer_app.services.context import AppContext

    with AppContext.open(demo_dir) as ctx:
        case_id = load_demo(ctx)
        with pytest.raises(ValidationError):
            cases.change_jurisdiction(ctx, case_id, "330421", "  ")
        data = cases.change_jurisdiction(ctx, case_id, "330421", "经现场复核，位于嘉善县境内")
        assert data["jurisdiction"] == {"code": "330421", "name": "嘉善县"}
        assert data["jurisdiction_changes"][0]["reason"].startswith("经现场复核")
        kinds = [
            r["kind"]
            for r in ctx.store.query("SELECT kind FROM ledger WHERE entity_id = ?", [case_id])
        ]
        assert "case_jurisdiction_changed" in kinds


@pytest.mark.parametrize(
    ("kind", "value", "valid", "key", "expected"),
    [
        ("id", "11010519491231002X", True, "birth_date", "1949-12-31"),
        ("id", "110105194912310021", False, "region_code", "110105"),
        ("uscc", "91310110666007217T", True, "org_type_name", "企业"),
        ("uscc", "91310110666007217A", False, "warn_only", True),
        ("plate", "沪AD12345", True, "kind", "new_energy_small"),
        ("plate", "沪A1234", False, None, None),
    ],
)
def test_validate_cli(
    data_dir: Path, capsys: pytest.CaptureFixture[str], kind: str, value: str, valid: bool,
    key: str | None, expected: object,
) -> None:  # fmt: skip
    assert cli(data_dir, "validate", kind, value, "--json") == (0 if valid else 1)
    data = _json(capsys)
    assert data["valid"] is valid  # type: ignore[index]
    assert isinstance(data["reason"], str) and (bool(data["reason"]) is not valid)  # type: ignore[index]
    if key:
        assert data[key] == expected  # type: ignore[index]
