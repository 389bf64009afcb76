"""Documents end to end: forms as data, drafts, issue with numbering, lifecycle, PDFs parsed back."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pypdf
import pytest

from officer_app.services import catalogue
from tests.doc_fixtures import cli, load_demo

ALL_FORMS = (
    "case_transfer",
    "transfer_receipt",
    "assistance_request",
    "assistance_reply",
    "result_feedback",
    "joint_patrol_record",
    "site_inspection",
    "transfer_return",
    "joint_request",
    "joint_reply",
)
#: What each form needs beyond what the demo case fills in.
EXTRA: dict[str, dict[str, str]] = {
    "transfer_receipt": {
        "original_number": "青城管移〔2026〕1号",
        "materials_check": "材料齐全",
        "decision": "受理",
    },
    "assistance_request": {"requests": "请协助查明车辆所有人及其联系方式。"},
    "assistance_reply": {
        "original_number": "青城管协〔2026〕1号",
        "results": "车辆登记所有人为某运输公司。",
    },
    "result_feedback": {
        "original_number": "青城管移〔2026〕1号",
        "filing": "已于2026年12月1日立案。",
        "outcome": "处罚决定",
        "fine_amount": "20000",
        "decision_number": "吴综执罚决字〔2026〕88号",
        "decision_date": "2026-12-01",
        "execution": "已执行完毕",
    },
    "transfer_return": {
        "transferring_agency": "上海市青浦区城市管理行政执法局",
        "original_number": "青城管移〔2026〕1号",
        "reason": "倾倒点位于青浦区一侧。",
    },
    "joint_request": {"partner_agency": "苏州市吴江区综合行政执法局"},
    "joint_reply": {
        "requesting_agency": "上海市青浦区城市管理行政执法局",
        "original_number": "青城管联〔2026〕1号",
        "decision": "同意",
    },
    "joint_patrol_record": {"handling": "已拍照取证，移送吴江区处理。"},
    "site_inspection": {"end_time": "10:35"},
}


@pytest.fixture
def demo(officer_ctx: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, str]:
    from officer_app.services import officers
    from officer_app.services.demo import DEMO_OFFICER

    case_id = load_demo(officer_ctx)
    officers.add_or_select_officer(officer_ctx, *DEMO_OFFICER)
    return officer_ctx, case_id


@pytest.fixture
def real(demo: tuple[Any, str]) -> tuple[Any, str]:
    """The demo case as a real (not training) case: real documents count in the real series."""
    ctx, case_id = demo
    with ctx.store.transaction():
        for table in ("cases", "patrols", "evidence"):
            ctx.store.execute(f"UPDATE {table} SET training = 0")
    return ctx, case_id


def _squash(text: str) -> str:
    return "".join(text.split())


def _pdf_text(data: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return reader, _squash("".join(p.extract_text() for p in reader.pages))


def _issue(ctx: Any, form: str, case_id: str) -> dict[str, Any]:
    from officer_app.services import documents

    doc = documents.new_document(ctx, form, case_id=case_id)
    if form in EXTRA:
        documents.set_fields(ctx, doc["id"], EXTRA[form])
    catalogue.confirm_draft_basis(ctx, doc["id"])  # the officer checked the basis
    return documents.issue_document(ctx, doc["id"])


def test_forms_listed_and_overridable_from_data_dir(
    demo: tuple[Any, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from officer_app.services import forms

    ctx, _ = demo
    ids = [f["id"] for f in forms.list_forms(ctx)]
    assert sorted(ids) == sorted(ALL_FORMS)
    local = forms.user_forms_dir(ctx)
    local.mkdir()
    shipped = json.loads(forms.find_form(ctx, "case_transfer").path.read_text(encoding="utf-8"))
    shipped["title"] = "案件移送函（示范区）"
    (local / "transfer.json").write_text(json.dumps(shipped, ensure_ascii=False), encoding="utf-8")
    extra = {**shipped, "id": "rectification_notice", "title": "责令改正通知书", "doc_type": "责"}
    (local / "extra.json").write_text(json.dumps(extra, ensure_ascii=False), encoding="utf-8")
    (local / "broken.json").write_text("{", encoding="utf-8")
    capsys.readouterr()
    assert cli(ctx.data.root, "document", "forms", "--json") == 0
    listed = {f["id"]: f["title"] for f in json.loads(capsys.readouterr().out)}
    assert listed["case_transfer"] == "案件移送函（示范区）"
    assert listed["rectification_notice"] == "责令改正通知书"
    assert len(listed) == len(ALL_FORMS) + 1


@pytest.mark.parametrize("form", ALL_FORMS)
def test_each_form_renders_from_the_demo_case(
    demo: tuple[Any, str], form: str, tmp_path: Path
) -> None:
    from officer_app.services import documents

    ctx, case_id = demo
    draft = documents.new_document(ctx, form, case_id=case_id)
    out = tmp_path / "draft.pdf"
    documents.render_to(ctx, draft["id"], out)
    reader, text = _pdf_text(out.read_bytes())
    assert "草稿" in text and "〔" not in text  # drafts carry the mark and no number
    issued = _issue(ctx, form, case_id)
    data = Path(issued["path"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == issued["pdf_sha256"]
    reader, text = _pdf_text(data)
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((595.27, 841.89), abs=0.5)
    assert "草稿" not in text
    from officer_app.services import forms

    if any(b["type"] == "number" for b in forms.find_form(ctx, form).definition["layout"]):
        assert _squash(issued["number"]) in text
    else:  # a record (笔录, 巡查记录) carries no 文号
        assert "〔" not in text and issued["number"] not in text
    for name, value in issued["fields"].items():
        if value and name != "issue_date":
            assert set(_squash(value)) <= set(text), name  # every character present as text
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert any(
        "/FontFile2" in f["/FontDescriptor"].get_object()
        for f in fonts
        if f["/Subtype"] == "/TrueType"
    )


def test_case_transfer_lists_and_attaches_evidence(real: tuple[Any, str]) -> None:
    from officer_app.services import cases

    ctx, case_id = real
    issued = _issue(ctx, "case_transfer", case_id)
    reader, text = _pdf_text(Path(issued["path"]).read_bytes())
    for ev in cases.case_evidence(ctx, case_id):
        assert ev["sha256"] in text.replace("\n", "")
    assert "WGS-84" in text and "吴江区（320509）" in text and "拍摄时间" in text
    assert issued["number"] == "青城管移〔2026〕1号"
    assert cases.get_case(ctx, case_id)["status"] == "transferred"
    assert len(reader.pages) == issued["pages"] >= 3  # body + one attachment page (two photos)


def test_cli_lifecycle(
    real: tuple[Any, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, case_id = real
    root = ctx.data.root
    capsys.readouterr()
    assert cli(root, "document", "new", "协助调查函", "--case", case_id, "--json") == 0
    request = json.loads(capsys.readouterr().out)
    assert [m["label"] for m in request["missing"]] == ["请求协助事项"]
    assert cli(root, "document", "issue", request["id"], "--json") == 1
    err = capsys.readouterr().err
    assert "缺少必填项" in err and "请求协助事项" in err
    assert cli(root, "document", "new", "案件移送函", "--case", case_id, "--json") == 0
    doc_id = json.loads(capsys.readouterr().out)["id"]
    assert cli(root, "document", "set", doc_id, "handling=移交", "--json") == 1
    assert "不在可选项" in capsys.readouterr().err
    assert cli(root, "document", "set", doc_id, "当事人=号牌为苏E5K218的自卸货车", "--json") == 0
    capsys.readouterr()
    # The draft cites law nobody has checked yet: refused until the officer confirms it.
    assert cli(root, "document", "issue", doc_id, "--json") == 1
    assert "未经核实的法律依据" in capsys.readouterr().err
    assert cli(root, "catalogue", "confirm", doc_id, "--json") == 0
    assert json.loads(capsys.readouterr().out)["confirmed_fields"] == ["legal_basis"]
    assert cli(root, "document", "issue", doc_id, "--json") == 0
    issued = json.loads(capsys.readouterr().out)
    assert issued["number"] == "青城管移〔2026〕1号" and issued["status"] == "issued"
    # Immutable: no edits, and the store refuses it too.
    assert cli(root, "document", "set", doc_id, "party=别人") == 1
    assert "不能修改" in capsys.readouterr().err
    with pytest.raises(Exception, match="immutable"):
        ctx.store.execute("UPDATE documents SET fields = '{}' WHERE id = ?", [doc_id])
    ctx.store.conn.rollback()
    # Byte-identical render, also when the stored PDF is gone and must be re-rendered.
    out = tmp_path / "a.pdf"
    assert cli(root, "document", "render", doc_id, "--out", str(out)) == 0
    assert hashlib.sha256(out.read_bytes()).hexdigest() == issued["pdf_sha256"]
    Path(issued["path"]).unlink()
    assert cli(root, "document", "render", doc_id, "--out", str(out)) == 0
    assert hashlib.sha256(out.read_bytes()).hexdigest() == issued["pdf_sha256"]
    # Correction: a new version, the old one superseded once the new one is issued.
    capsys.readouterr()
    assert cli(root, "document", "correct", doc_id, "--json") == 0
    new = json.loads(capsys.readouterr().out)
    assert new["version"] == 2 and new["supersedes_id"] == doc_id and new["status"] == "draft"
    assert cli(root, "document", "issue", new["id"], "--json") == 0
    assert json.loads(capsys.readouterr().out)["number"] == "青城管移〔2026〕2号"
    assert cli(root, "document", "issue", request["id"], "--json") == 1  # still incomplete
    capsys.readouterr()
    assert cli(root, "document", "list", "--json") == 0
    listed = {d["id"]: d for d in json.loads(capsys.readouterr().out)}
    assert listed[doc_id]["status"] == "superseded" and listed[new["id"]]["status"] == "issued"
    kinds = [
        r["kind"]
        for r in ctx.store.query(
            "SELECT kind FROM ledger WHERE entity_id = ? ORDER BY seq", [doc_id]
        )
    ]
    assert kinds == ["document_drafted", "legal_basis_confirmed", "document_issued"]
    payload = json.loads(
        ctx.store.scalar(
            "SELECT payload FROM ledger WHERE kind = 'document_issued' AND entity_id = ?", [doc_id]
        )
    )
    assert payload["pdf_sha256"] == issued["pdf_sha256"] and payload["font_sha256"]


def test_missing_glyph_is_one_chinese_line(
    demo: tuple[Any, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, case_id = demo
    capsys.readouterr()
    assert cli(ctx.data.root, "document", "new", "case_transfer", "--case", case_id, "--json") == 0
    doc_id = json.loads(capsys.readouterr().out)["id"]
    assert cli(ctx.data.root, "document", "set", doc_id, "party=王\U00030edd") == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "缺少以下字符" in err and "U+30EDD" in err


def test_concurrent_issue_distinct_and_gap_free(real: tuple[Any, str]) -> None:
    from officer_app.services import documents
    from officer_app.services.context import AppContext

    ctx, case_id = real
    n = 6
    drafts = [
        documents.new_document(ctx, "assistance_request", case_id=case_id)["id"] for _ in range(n)
    ]
    for d in drafts:
        documents.set_fields(ctx, d, EXTRA["assistance_request"])
    numbers: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def worker(doc_id: str) -> None:
        try:
            with AppContext.open(ctx.data.root) as own:
                barrier.wait()
                numbers.append(documents.issue_document(own, doc_id)["number"])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == sorted(f"青城管协〔2026〕{i}号" for i in range(1, n + 1))


def test_crash_mid_issue_neither_skips_nor_reuses(real: tuple[Any, str]) -> None:
    from officer_app.services import documents

    ctx, case_id = real
    first = _issue(ctx, "case_transfer", case_id)
    doc = documents.new_document(ctx, "case_transfer", case_id=case_id)
    catalogue.confirm_draft_basis(ctx, doc["id"])
    env = {**os.environ, documents.FAULT_ENV: "issue_after_pdf"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "officer_app",
            "--data-dir",
            str(ctx.data.root),
            "document",
            "issue",
            doc["id"],
            "--json",
        ],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode != 0 and proc.stdout == b""
    assert len(list(documents.documents_dir(ctx).glob("*.pdf"))) == 2  # the orphan is there
    assert documents.get_document(ctx, doc["id"])["status"] == "draft"
    again = documents.issue_document(ctx, doc["id"])
    assert (first["number"], again["number"]) == ("青城管移〔2026〕1号", "青城管移〔2026〕2号")
    serials = [
        r["serial"]
        for r in ctx.store.query(
            "SELECT serial FROM documents WHERE serial IS NOT NULL ORDER BY serial"
        )
    ]
    assert serials == [1, 2]


def test_platform_block_retires_local_rest(real: tuple[Any, str]) -> None:
    from officer_app.errors import ValidationError
    from officer_app.services import numbering

    ctx, case_id = real
    _issue(ctx, "case_transfer", case_id)
    with pytest.raises(ValidationError):
        numbering.add_platform_block(ctx, "310118", "移", 2026, 1, 50)
    numbering.add_platform_block(ctx, "310118", "移", 2026, 101, 200)
    blocks = [(b["first"], b["last"], b["next"], b["source"]) for b in numbering.list_blocks(ctx)]
    assert blocks == [(1, 1, 2, "local"), (101, 200, 101, "platform")]
    from officer_app.services import documents

    second = documents.new_document(ctx, "case_transfer", case_id=case_id)["id"]
    catalogue.confirm_draft_basis(ctx, second)
    assert documents.issue_document(ctx, second)["number"] == "青城管移〔2026〕101号"
