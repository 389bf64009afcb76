"""The procedure behind the documents (issue 14): 立案 and its §60 limit, who handles a case
(§22, §25, 共同管辖区域), jurisdiction disputes, 当事人待查 and vehicles as clues, the migration of
stored vehicle "parties"."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pypdf
import pytest

from tests.doc_fixtures import cli, load_demo

CST = dt.timezone(dt.timedelta(hours=8))


def _at(day: str) -> Any:
    """A clock fixed at 10:00 China time on ``day``."""
    moment = dt.datetime.fromisoformat(f"{day}T10:00:00+08:00").astimezone(dt.UTC)
    return lambda: moment


@pytest.fixture
def demo(officer_ctx: Any) -> tuple[Any, str]:
    from officer_app.services import officers
    from officer_app.services.demo import DEMO_OFFICER

    case_id = load_demo(officer_ctx)
    officers.add_or_select_officer(officer_ctx, *DEMO_OFFICER)
    return officer_ctx, case_id


def _photos(ctx: Any, *names: str) -> list[str]:
    from officer_app.services import evidence_query

    by_name = {e["original_name"]: e["id"] for e in evidence_query.list_evidence(ctx)}
    return [by_name[n] for n in names]


def _json(capsys: pytest.CaptureFixture[str]) -> Any:
    return json.loads(capsys.readouterr().out)


def _shown(ctx: Any, case_id: str) -> dict[str, Any]:
    from officer_app.services import cases, procedure

    return procedure.with_procedure(ctx, cases.get_case(ctx, case_id))


# 立案 ---------------------------------------------------------------------------------------------
def test_file_case_records_date_officer_ledger_outbox_and_the_90_day_limit(
    demo: tuple[Any, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, case_id = demo
    data = ctx.data.root
    capsys.readouterr()
    assert cli(data, "case", "show", case_id, "--json") == 0
    assert _json(capsys)["filing"] is None  # not filed: and a 移送函 may still be issued
    assert cli(data, "case", "file", case_id, "--date", "2026-11-23", "--json") == 0
    out = _json(capsys)
    filing = out["filing"]
    assert out["filed_on"] == filing["filed_on"] == "2026-11-23"
    assert filing["officer"]["name"] == ctx.current_officer().name
    # +90 days: Sunday 2027-02-21 rolls forward to Monday 22 February; 2027's 调休 is unknown
    assert filing["decision_due"] == "2027-02-22"
    assert "第六十条" in filing["basis"] and "2027年" in filing["warning"]
    assert ctx.store.scalar(
        "SELECT count(*) FROM ledger WHERE kind = 'case_filed' AND entity_id = ?", [case_id]
    )
    entry = ctx.store.query("SELECT * FROM outbox WHERE entity = 'case' AND op = 'file'")
    assert len(entry) == 1 and json.loads(entry[0]["payload"])["filed_on"] == "2026-11-23"
    assert cli(data, "case", "show", case_id) == 0
    text = capsys.readouterr().out
    assert "已于2026-11-23立案" in text and "2027-02-22前作出决定" in text


def test_filing_refuses_twice_a_future_date_a_date_before_the_finding_and_bad_input(
    demo: tuple[Any, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, case_id = demo
    data = ctx.data.root
    before = ctx.store.scalar("SELECT count(*) FROM ledger")
    for date, words in (
        ("2026-13-01", "日期格式"),
        ("2026-11-19", "不能早于发现"),
        ("2999-01-01", "不能晚于今天"),
    ):
        capsys.readouterr()
        assert cli(data, "case", "file", case_id, "--date", date) == 1
        assert words in capsys.readouterr().err
    assert ctx.store.scalar("SELECT filed_on FROM cases WHERE id = ?", [case_id]) is None
    assert ctx.store.scalar("SELECT count(*) FROM ledger") == before  # nothing half-written
    assert cli(data, "case", "file", case_id, "--date", "2026-11-20") == 0
    capsys.readouterr()
    assert cli(data, "case", "file", case_id) == 1
    assert "不能重复立案" in capsys.readouterr().err


# Who handles a case -------------------------------------------------------------------------------
def _shared_area_file(ctx: Any, members: list[str]) -> None:
    """A deployment's (fictional) shared area around the demo dumping site at 汾湖."""
    folder = ctx.data.root / "boundaries"
    folder.mkdir(exist_ok=True)
    area = {
        "type": "FeatureCollection",
        "kind": "shared_areas",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "id": "TEST-fenhu",
                    "name": "测试共同管辖区域（汾湖）",
                    "members": members,
                    "datum": "wgs84",
                },
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[120.83, 31.01], [120.84, 31.01], [120.84, 31.02], [120.83, 31.02]]
                    ],
                },
            }
        ],
    }
    (folder / "agreement.geojson").write_text(json.dumps(area), encoding="utf-8")


def test_art22_proposes_a_transfer_of_a_case_found_elsewhere(demo: tuple[Any, str]) -> None:
    from officer_app.services import cases

    ctx, case_id = demo
    h = _shown(ctx, case_id)["handling"]
    assert h["propose_transfer"] and h["rule"] == "art22" and "第二十二条" in h["reason_zh"]
    assert h["to"]["code"] == "320509"
    own = cases.record_case(
        ctx, violation_code="SRHJ-02", evidence_ids=_photos(ctx, "DSC_0101.JPG")
    )
    h = _shown(ctx, own)["handling"]  # 金泽 lies in the officer's own 青浦区
    assert (h["handler"], h["propose_transfer"]) == ("ours", False)


def test_a_case_we_found_in_a_shared_area_we_belong_to_is_ours(demo: tuple[Any, str]) -> None:
    ctx, case_id = demo
    _shared_area_file(ctx, ["310118", "320509"])
    h = _shown(ctx, case_id)["handling"]
    assert (h["handler"], h["propose_transfer"], h["rule"]) == ("ours", False, "shared_area")
    assert "最先发现" in h["reason_zh"] and h["shared_area"]["id"] == "TEST-fenhu"
    # an area we are not a member of decides nothing for us
    _shared_area_file(ctx, ["320509", "330421"])
    assert _shown(ctx, case_id)["handling"]["propose_transfer"]


def test_art25_first_filed_handles_a_case_several_agencies_could_handle(
    demo: tuple[Any, str],
) -> None:
    from officer_app.services import cases, filing

    ctx, _ = demo
    # loaded in 金泽 (青浦), dumped at 汾湖 (吴江): the first photo places it in 吴江
    case_id = cases.record_case(
        ctx, violation_code="JZLJ-01", evidence_ids=_photos(ctx, "DSC_0112.JPG", "DSC_0101.JPG")
    )
    h = _shown(ctx, case_id)["handling"]
    assert h["propose_transfer"] and "第二十五条" in h["reason_zh"]  # ours too, if we file first
    filing.file_case(ctx, case_id, on="2026-11-21")
    h = _shown(ctx, case_id)["handling"]
    assert (h["handler"], h["propose_transfer"], h["rule"]) == ("ours", False, "art25")
    assert "最先立案" in h["reason_zh"]


def test_a_transfer_letter_needs_no_filing(demo: tuple[Any, str]) -> None:
    from officer_app.services import catalogue, documents

    ctx, case_id = demo
    draft = documents.new_document(ctx, "case_transfer", case_id=case_id)
    catalogue.confirm_draft_basis(ctx, draft["id"])  # the officer checked the basis
    issued = documents.issue_document(ctx, draft["id"])
    assert issued["number"] and _shown(ctx, case_id)["filed_on"] is None


def test_dispute_is_negotiated_then_referred_then_designated(
    demo: tuple[Any, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, case_id = demo
    data = ctx.data.root

    def step(*args: str) -> int:
        capsys.readouterr()
        return cli(data, "case", "dispute", case_id, "--with", "320509", *args, "--json")

    assert step("--step", "报请指定管辖", "--authority", "示范区执委会") == 1  # 协商 first
    assert "尚未协商" in capsys.readouterr().err
    assert step("--step", "协商", "--date", "2026-11-23", "--note", "吴江认为属青浦管辖") == 0
    h = _shown(ctx, case_id)["handling"]
    assert (h["handler"], h["propose_transfer"]) == ("disputed", False)
    assert step("--step", "报请指定管辖") == 1  # no authority named
    assert "上一级" in capsys.readouterr().err
    assert (
        step("--step", "报请指定管辖", "--authority", "长三角生态绿色一体化发展示范区执委会") == 0
    )
    assert step("--step", "指定管辖", "--authority", "示范区执委会", "--handler", "330421") == 1
    assert step("--step", "指定管辖", "--authority", "示范区执委会", "--handler", "310118") == 0
    out = _json(capsys)
    assert out["status"] == "settled" and out["handler"]["code"] == "310118"
    assert [s["step"] for s in out["steps"]] == ["negotiate", "refer", "designated"]
    h = _shown(ctx, case_id)["handling"]
    assert (h["handler"], h["propose_transfer"], h["rule"]) == ("ours", False, "dispute")
    assert step("--step", "协商") == 1  # settled: nothing more
    assert ctx.store.scalar("SELECT count(*) FROM ledger WHERE kind = 'jurisdiction_dispute'") == 3
    assert cli(data, "case", "show", case_id) == 0
    text = capsys.readouterr().out
    assert "管辖争议（与苏州市吴江区综合行政执法局）：已确定管辖" in text and "指定管辖" in text


# 当事人待查 and vehicles as clues -------------------------------------------------------------------
def test_unknown_party_from_case_to_issued_transfer_letter(
    demo: tuple[Any, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ctx, _ = demo
    data = ctx.data.root
    ev = _photos(ctx, "DSC_0112.JPG", "DSC_0113.JPG")
    capsys.readouterr()
    assert cli(data, "case", "new", "--violation", "JZLJ-01", "--evidence", *ev,
               "--plate", "苏E5K218:自卸货车", "--json") == 0  # fmt: skip
    case = _json(capsys)
    assert case["parties"] == [] and case["vehicles"][0]["plate"] == "苏E5K218"
    assert cli(data, "document", "new", "case_transfer", "--case", case["id"], "--json") == 0
    draft = _json(capsys)
    assert draft["missing"] == []  # an unknown party does not block 签发
    assert cli(data, "catalogue", "confirm", draft["id"], "--json") == 0
    capsys.readouterr()
    assert cli(data, "document", "issue", draft["id"], "--json") == 0
    issued = _json(capsys)
    assert {"id", "number", "fields"} <= set(issued)  # the flat shape, as before
    fields = issued["fields"]
    assert fields["party"] == "待查" and fields["plates"] == "苏E5K218（自卸货车）"
    assert "违反" in fields["legal_basis"] and "当事人待查" in fields["facts"]
    assert "号牌为" not in json.dumps(fields, ensure_ascii=False)
    pdf = tmp_path / "letter.pdf"
    assert cli(data, "document", "render", issued["id"], "--out", str(pdf)) == 0
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).replace("\n", "")
    assert "当事人：待查" in text and "车辆号牌：苏E5K218（自卸货车）" in text


def test_a_bad_plate_is_refused_and_nothing_is_stored(
    demo: tuple[Any, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, _ = demo
    before = ctx.store.scalar("SELECT count(*) FROM cases")
    capsys.readouterr()
    code = cli(ctx.data.root, "case", "new", "--violation", "JZLJ-01",
               "--evidence", *_photos(ctx, "DSC_0112.JPG"), "--plate", "苏0E5K21")  # fmt: skip
    assert code == 1 and "号牌" in capsys.readouterr().err
    assert ctx.store.scalar("SELECT count(*) FROM cases") == before


def test_migration_turns_vehicle_parties_into_clues(tmp_path: Path) -> None:
    from officer_app.store.db import Store
    from officer_app.store.migration_procedure import MIGRATION_PROCEDURE
    from officer_app.store.migrations import MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "old.sqlite3"
    before = MIGRATIONS.index(MIGRATION_PROCEDURE)
    conn = sqlite3.connect(path)
    for statements in MIGRATIONS[:before]:
        for statement in statements:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {before}")
    for cid in ("c-vehicle-only", "c-mixed"):
        conn.execute(
            "INSERT INTO cases (id, status, created_by, created_at, updated_at)"
            " VALUES (?, 'recorded', 'o', 't', 't')",
            [cid],
        )
    conn.executemany(
        "INSERT INTO parties (id, case_id, kind, name, id_number, plate, details)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            ("p1", "c-vehicle-only", "vehicle", "自卸货车", "", "苏E5K218", '{"kind": "ordinary"}'),
            ("p2", "c-mixed", "person", "张三", "11010519491231002X", "", "{}"),
            ("p3", "c-mixed", "vehicle", "", "", "沪AD12345", "{}"),
        ],
    )
    conn.execute(
        "INSERT INTO transfers (id, kind, direction, status, document_number, other_agency,"
        " payload, created_at, updated_at) VALUES ('t-in', 'case', 'in', 'sent', '青城管移〔2026〕3号',"
        " '310118', ?, 't', 't')",
        [json.dumps({"pdf_sha256": "ab" * 32, "document_id": "d-x", "sent_at": "2026-11-20"})],
    )
    conn.commit()
    conn.close()
    with Store.open(path, backups_dir=tmp_path / "backups") as store:
        assert store.schema_version == SCHEMA_VERSION
        clues = store.query("SELECT case_id, plate, description FROM case_vehicles ORDER BY id")
        assert clues == [
            {"case_id": "c-vehicle-only", "plate": "苏E5K218", "description": "自卸货车"},
            {"case_id": "c-mixed", "plate": "沪AD12345", "description": ""},
        ]
        parties = store.query("SELECT case_id, kind, name FROM parties ORDER BY case_id")
        assert parties == [{"case_id": "c-mixed", "kind": "person", "name": "张三"}]  # other: 待查
        docs = store.query("SELECT number, step, origin, pdf_sha256 FROM transfer_documents")
        assert docs == [
            {"number": "青城管移〔2026〕3号", "step": "send", "origin": "received",
             "pdf_sha256": "ab" * 32}
        ]  # fmt: skip
