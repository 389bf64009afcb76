"""Legal basis by place: the catalogue, the basis a case prints per province, deployment editions,
``catalogue list`` and the migration, on real stores with photos at real coordinates."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from officer_app.domain.legal_catalogue import PROVINCES, UNCONFIRMED_MARK, check_catalogue
from officer_app.paths import resources_dir
from tests.doc_fixtures import cli
from tests.photos import make_photo

SHIPPED = resources_dir() / "codes" / "violations.json"
OLD_CODES = ["JZLJ-01", "JZLJ-02", "JZLJ-03", "JZLJ-04", "SRHJ-01", "SRHJ-02", "SRHJ-03", "GHJS-01"]
# Real places (WGS-84): the boundaries decide the jurisdiction, the test checks it did.
PLACES = {
    "320000": (31.0135, 120.8370, "320509"),  # 吴江区黎里镇 (the demo's place)
    "330000": (30.8320, 120.9260, "330421"),  # 嘉善县魏塘街道
    "310000": (31.1500, 121.1200, "310118"),  # 青浦区
    "340000": (31.8600, 117.2800, "3401"),  # 合肥市区
}
PROVINCE_WORDS = {"310000": "上海", "320000": "江苏", "330000": "浙江", "340000": "安徽"}


def _case_at(ctx: Any, tmp_path: Path, province: str, code: str = "JZLJ-01") -> str:
    from officer_app.services import cases, evidence_import

    lat, lon, expected = PLACES[province]
    photo = make_photo(
        tmp_path / f"{province}-{code}.jpg", lat=lat, lon=lon, seed=int(province[:2])
    )
    report = evidence_import.import_files(ctx, [photo])
    ids = [f.evidence_id for f in report.files if f.evidence_id]
    case_id = cases.record_case(ctx, violation_code=code, evidence_ids=ids)
    jur = ctx.store.scalar("SELECT jurisdiction_code FROM cases WHERE id = ?", [case_id])
    assert jur and jur.startswith(expected), (province, jur)
    return case_id


@pytest.mark.parametrize("province", list(PROVINCES))
def test_printed_basis_follows_the_province_of_the_place(
    officer_ctx: Any, tmp_path: Path, province: str
) -> None:
    from officer_app.services import documents

    case_id = _case_at(officer_ctx, tmp_path, province)
    draft = documents.new_document(officer_ctx, "case_transfer", case_id=case_id)
    basis = draft["fields"]["legal_basis"]
    assert PROVINCE_WORDS[province] in basis
    for other, word in PROVINCE_WORDS.items():
        if other != province:
            assert word not in basis, (province, word, basis)
    # The national law and the corrected construction-waste fines, whatever the province.
    assert "《城市建筑垃圾管理规定》（建设部令第139号）第二十六条" in basis
    assert "对单位处5000元以上50000元以下罚款，对个人处200元以下罚款" in basis
    assert "对工程施工单位处100000元以上1000000元以下罚款" in basis
    assert "第一百一十一条第一款第四项、第二款" + UNCONFIRMED_MARK in basis
    assert "第二十六条" + UNCONFIRMED_MARK not in basis  # read, so not marked


def test_municipal_regulation_only_in_its_city(officer_ctx: Any) -> None:
    from officer_app.services import catalogue

    jiaxing = catalogue.basis_for(officer_ctx, "SHGL-01", "330421")
    hangzhou = catalogue.basis_for(officer_ctx, "SHGL-01", "330106")
    assert "嘉兴市养犬管理条例" in jiaxing.obligation_basis()
    assert "嘉兴" not in hangzhou.obligation_basis() + hangzhou.penalty_basis()
    assert "苏州" not in jiaxing.obligation_basis()


def test_no_place_falls_back_to_the_recording_agency_and_says_so(officer_ctx: Any) -> None:
    from officer_app.services import catalogue

    basis = catalogue.basis_for(officer_ctx, "SRHJ-02", None, agency_code="320509-ll")
    assert basis.province == "320000" and basis.place_source == "agency"
    assert "登记机关所在地（江苏省）" in basis.notes[0]
    nowhere = catalogue.basis_for(officer_ctx, "SRHJ-02", None)
    assert nowhere.province is None and all(c["level"] == "national" for c in nowhere.citations)


def test_fine_ranges_and_confirmation_from_the_text(officer_ctx: Any) -> None:
    from officer_app.services import catalogue

    spill = catalogue.basis_for(officer_ctx, "JZLJ-02", "310118")
    assert spill.fine_text().startswith("处2000元以上20000元以下罚款")
    dig = catalogue.basis_for(officer_ctx, "SZGL-01", "330421")
    assert dig.fine_text() == "处20000元以下罚款" and dig.citations[0]["confirmed"]
    build = catalogue.basis_for(officer_ctx, "GHJS-01", "320509")
    assert "处300元以上3000元以下罚款" in build.fine_text()
    assert "百分之五以上百分之十以下" in build.fine_text()
    for c in build.citations:
        assert not c["confirmed"] or c["read_in"]  # a confirmed citation says where it was read
    burn = catalogue.basis_for(officer_ctx, "HJBH-01", "340104")
    assert (
        "对单位处10000元以上100000元以下罚款，对个人处500元以上2000元以下罚款" in burn.fine_text()
    )
    coop = catalogue.basis_for(officer_ctx, "JZLJ-01", "330421").cooperation_basis
    assert coop.startswith("《浙江省人民代表大会常务委员会关于促进和保障长三角")


def test_every_type_has_every_province_and_old_codes_resolve(officer_ctx: Any) -> None:
    from officer_app.services import cases, catalogue

    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert check_catalogue(data) == []
    assert len(data["violation_types"]) >= 20
    for vt in data["violation_types"]:
        assert set(vt["provinces"]) == set(PROVINCES) and all(vt["provinces"].values())
    for code in OLD_CODES:
        vt = cases.violation_type(officer_ctx, code)
        assert vt is not None and vt["obligation_basis"] and vt["penalty_basis"]
        for prov in PROVINCES:
            assert catalogue.basis_for(officer_ctx, code, prov).citations
    assert cases.violation_type(officer_ctx, "JZLJ-01")["name"] == "偷倒乱倒建筑垃圾"


def test_broken_catalogue_files_are_named_errors() -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    del data["violation_types"][0]["provinces"]["340000"]
    data["violation_types"][1]["national"][0]["confirmed"] = True  # no read_in
    data["violation_types"][2]["national"][0]["fine"] = {"unit": [50000, 5000]}
    problems = check_catalogue(data)
    assert any("JZLJ-01" in p and "安徽省" in p for p in problems)
    assert any("read_in" in p for p in problems)
    assert any("下限大于上限" in p for p in problems)


def test_deployment_edition_wins_and_a_broken_one_keeps_the_shipped(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from officer_app.services.context import AppContext

    deployed = data_dir / "codes" / "violations.json"
    deployed.parent.mkdir(parents=True)
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["edition"] = "2027-01-15"
    data["violation_types"][0]["name"] = "偷倒乱倒建筑垃圾（新版）"
    deployed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with AppContext.open(data_dir) as ctx:
        assert ctx.code_table_problems == []
        assert ctx.store.scalar("SELECT name FROM violation_types WHERE code = 'JZLJ-01'") == (
            "偷倒乱倒建筑垃圾（新版）"
        )
    deployed.write_text('{"format": 2, "edition": "2027-02-01", "violation_types": []', "utf-8")
    with AppContext.open(data_dir) as ctx:
        assert ctx.code_table_problems and "已改用随软件发布的目录" in ctx.code_table_problems[0]
        assert ctx.store.scalar("SELECT name FROM violation_types WHERE code = 'JZLJ-01'") == (
            "偷倒乱倒建筑垃圾"
        )
        assert ctx.store.scalar("SELECT count(*) FROM legal_bases") > 100
    assert cli(data_dir, "catalogue", "check", str(deployed), "--json") == 1
    assert json.loads(capsys.readouterr().out)["ok"] is False
    assert cli(data_dir, "catalogue", "check", str(SHIPPED), "--json") == 0
    assert json.loads(capsys.readouterr().out)["types"] >= 20


def test_catalogue_list_cli(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(data_dir, "catalogue", "list", "--province", "330000", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["provinces"] == {"330000": "浙江省"} and len(listed["types"]) >= 20
    dump = json.dumps(listed["types"], ensure_ascii=False)
    assert "上海市" not in dump and "江苏省" not in dump and "浙江省城市市容" in dump
    first = listed["types"][0]["bases"]["330000"]
    assert {"obligation_basis", "penalty_basis", "fine", "confirmed", "editions"} <= set(first)
    assert cli(data_dir, "catalogue", "list", "--json") == 0
    every = json.loads(capsys.readouterr().out)
    assert all(set(t["bases"]) == set(PROVINCES) for t in every["types"])
    with pytest.raises(SystemExit) as exit_info:
        cli(data_dir, "catalogue", "list", "--province", "110000")
    assert exit_info.value.code == 2
    assert "省级代码" in capsys.readouterr().err


def test_issue_refused_until_the_basis_is_confirmed(officer_ctx: Any, tmp_path: Path) -> None:
    from officer_app.services import catalogue, documents

    case_id = _case_at(officer_ctx, tmp_path, "330000")
    doc = documents.new_document(officer_ctx, "case_transfer", case_id=case_id)
    documents.set_fields(officer_ctx, doc["id"], {"party": "号牌为浙F12345的自卸货车"})
    with pytest.raises(catalogue.UnverifiedBasisError, match="未经核实"):
        documents.issue_document(officer_ctx, doc["id"])
    assert documents.get_document(officer_ctx, doc["id"])["status"] == "draft"
    result = catalogue.confirm_draft_basis(officer_ctx, doc["id"])
    assert result["confirmed_fields"] == ["legal_basis"]
    entry = officer_ctx.store.query(
        "SELECT payload FROM ledger WHERE kind = 'legal_basis_confirmed' AND entity_id = ?",
        [doc["id"]],
    )
    assert UNCONFIRMED_MARK in entry[0]["payload"]  # what the officer attested is on record
    issued = documents.issue_document(officer_ctx, doc["id"])
    assert UNCONFIRMED_MARK not in issued["fields"]["legal_basis"]
    assert "浙江省" in issued["fields"]["legal_basis"]


def test_migration_upgrades_a_store_holding_cases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store made before this migration, with a case, opens with the basis by place."""
    from officer_app.services import catalogue, demo
    from officer_app.services.context import AppContext
    from officer_app.services.officers import add_or_select_officer
    from officer_app.store import codetables, migrations
    from officer_app.store.migration_legal_bases import MIGRATION_LEGAL_BASES

    version = migrations.MIGRATIONS.index(MIGRATION_LEGAL_BASES)
    old = migrations.MIGRATIONS[:version]
    legacy = _format_1(json.loads(SHIPPED.read_text("utf-8")))

    def old_loader(store: Any, codes_dir: Path, deployed_dir: Path | None = None) -> list[str]:
        """What the app loaded before: agencies, and one basis per type."""
        codetables.load_agencies(store, codes_dir / "agencies.json")
        with store.transaction() as db:
            rows = [{**vt, "edition": legacy["edition"]} for vt in legacy["violation_types"]]
            db["violation_types"].upsert_all(rows, pk="code")
        return []

    root = tmp_path / "data"
    with monkeypatch.context() as m:  # the app as it was: old schema, old catalogue
        m.setattr(migrations, "MIGRATIONS", old)
        m.setattr(migrations, "SCHEMA_VERSION", len(old))
        m.setattr("officer_app.store.db.MIGRATIONS", old, raising=False)
        m.setattr("officer_app.store.db.SCHEMA_VERSION", len(old), raising=False)
        m.setattr(codetables, "load_all", old_loader)
        with AppContext.open(root) as ctx:
            add_or_select_officer(ctx, "张伟", "31011800123", "310118")
            case_id = demo.load_demo(ctx)["case_id"]
            assert "legal_bases" not in ctx.store.db.table_names()
    conn = sqlite3.connect(root / "officer_app.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    conn.close()
    with AppContext.open(root) as ctx:
        assert ctx.store.scalar("PRAGMA user_version") == migrations.SCHEMA_VERSION
        assert ctx.store.scalar("SELECT violation_code FROM cases WHERE id = ?", [case_id]) == (
            "JZLJ-01"
        )
        basis = catalogue.basis_for(ctx, "JZLJ-01", "320509")
        assert basis.province == "320000" and "江苏省" in basis.obligation_basis()


def _format_1(data: dict[str, Any]) -> dict[str, Any]:
    """The shipped catalogue as the old one-basis-per-type file (what a legacy store loaded)."""
    return {
        "table": "violation_types",
        "edition": "2026-11-27",
        "violation_types": [
            {
                "code": vt["code"],
                "name": vt["name"],
                "category": vt["category"],
                "obligation_basis": "旧依据",
                "penalty_basis": "旧依据",
                "fine_min": None,
                "fine_max": None,
                "fine_note": "",
            }
            for vt in data["violation_types"]
        ],
    }
