"""Every transfer step a numbered letter (issue 14 items 4 and 7): 退回函, 处理结果反馈函 per
outcome, 联合查处函 and its 复函, end to end between two agencies over the real platform process
(SQLite and PostgreSQL), each side holding the same numbered letters."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest

from tests.doc_fixtures import cli, load_demo
from tests.sync_fixtures import BACKENDS, PlatformProcess, running_platform
from tests.test_sync import QP, WJ, _issue_transfer, _login, _real_case, _run, _two_squads


@pytest.fixture(params=BACKENDS)
def platform(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[PlatformProcess]:
    yield from running_platform(tmp_path / "platform", request.param)


def _pdf_text(path: Path) -> str:
    return "".join(p.extract_text() for p in pypdf.PdfReader(path).pages).replace("\n", "")


def _letters(data: Path, tid: str) -> list[tuple[str, str, str]]:
    """(number, title, sha256 of the PDF file held here) of every letter of a transfer."""
    from officer_app.services import transfers
    from officer_app.services.context import AppContext

    with AppContext.open(data) as ctx:
        out = []
        for d in transfers.transfer_documents(ctx, tid):
            path = transfers.letter_path(ctx, d["pdf_sha256"])
            assert path is not None, d
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            assert digest == d["pdf_sha256"]
            out.append((d["number"], d["title"], digest))
        return out


def _sync(capsys: Any, *order: Path) -> None:
    """Sync each data dir in turn (who pushes first matters: the other pulls it)."""
    for data in order:
        code, report = _run(capsys, data, "sync")
        assert code == 0 and report["set_aside"] == [], report


def _sent_and_pulled(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> tuple[Path, Path, str, str]:
    """A 移送函 from 青浦 to 吴江, pulled by 吴江: (qp data, wj data, transfer id, case id)."""
    qp_tok, wj_tok, qp, wj = _two_squads(tmp_path, platform)
    case_id = _real_case(qp)
    _issue_transfer(qp, case_id)
    _login(capsys, qp, platform.url, qp_tok["token"])
    _login(capsys, wj, platform.url, wj_tok["token"])
    _sync(capsys, qp, wj)
    tid = _run(capsys, wj, "transfer", "list")[1][0]["id"]
    return qp, wj, tid, case_id


def test_return_is_a_numbered_letter_both_sides_hold(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    qp, wj, tid, case_id = _sent_and_pulled(tmp_path, platform, capsys)
    code, out = _run(capsys, wj, "transfer", "return", tid, "--reason",
                     "经核查，倾倒点位于青浦区金泽镇一侧，不属我单位管辖。",
                     "--basis", "《中华人民共和国行政处罚法》第二十二条")  # fmt: skip
    assert code == 0, out
    doc = out["document"]
    assert set(doc) == {"id", "number", "title"} and doc["title"] == "案件退回函"
    assert doc["number"].startswith("吴") and "退〔" in doc["number"]
    assert out["status"] == "returned"
    _sync(capsys, wj, qp)
    sent = _run(capsys, qp, "transfer", "list")[1][0]
    assert sent["status"] == "returned" and "金泽镇" in sent["return_reason"]
    both = _letters(qp, tid)
    assert both == _letters(wj, tid)  # the same numbered letters, byte for byte
    assert [t for _, t, _ in both] == ["案件移送函", "案件退回函"]
    from officer_app.services import cases, transfers
    from officer_app.services.context import AppContext

    with AppContext.open(qp) as ctx:  # returned: the case is the sender's to handle again
        assert cases.get_case(ctx, case_id)["status"] == "recorded"
        text = _pdf_text(transfers.letter_path(ctx, both[1][2]))  # type: ignore[arg-type]
    assert "不属我单位管辖" in text and "法律依据" in text and "第二十二条" in text
    assert doc["number"] in text
    # answered once: a second answer is refused and nothing new is issued
    assert cli(wj, "transfer", "accept", tid) != 0
    assert "不能" in capsys.readouterr().err


def test_feedback_referred_to_the_judiciary_end_to_end(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    qp, wj, tid, case_id = _sent_and_pulled(tmp_path, platform, capsys)
    assert _run(capsys, wj, "transfer", "accept", tid)[0] == 0
    code, out = _run(capsys, wj, "transfer", "feedback", tid, "--result", "移送司法",
                     "--decision-date", "2026-12-02", "--note", "已移送苏州市公安局吴江区分局。")  # fmt: skip
    assert code == 0, out
    assert out["document"]["title"] == "处理结果反馈函" and "馈〔" in out["document"]["number"]
    _sync(capsys, wj, qp)
    sent = _run(capsys, qp, "transfer", "list")[1][0]
    assert sent["status"] == "feedback_sent" and sent["feedback"]["result"] == "移送司法"
    both = _letters(qp, tid)
    assert both == _letters(wj, tid)
    assert [t for _, t, _ in both] == ["案件移送函", "案件移送回执", "处理结果反馈函"]
    from officer_app.services import cases, transfers
    from officer_app.services.context import AppContext

    with AppContext.open(qp) as ctx:
        assert cases.get_case(ctx, case_id)["status"] == "closed"  # its result is known
        text = _pdf_text(transfers.letter_path(ctx, both[2][2]))  # type: ignore[arg-type]
    assert "第二十七条" in text and "国务院令第310号" in text and "2026年12月2日" in text
    assert "第二十二条" not in text and "处理完毕" not in text


def test_joint_investigation_request_agree_feedback_and_decline(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    qp_tok, wj_tok, qp, wj = _two_squads(tmp_path, platform)
    case_id = _real_case(qp)
    code, out = _run(capsys, qp, "transfer", "joint", case_id, "--to", WJ)
    assert code == 1 and out is None  # the basis cites 【待核实】 law: refused until checked
    code, out = _run(capsys, qp, "transfer", "joint", case_id, "--to", WJ, "--basis-checked")
    assert code == 0, out
    assert out["kind"] == "joint" and out["document"]["title"] == "联合查处函"
    assert "联〔" in out["document"]["number"] and out["status_zh"] == "已商请"
    _login(capsys, qp, platform.url, qp_tok["token"])
    _login(capsys, wj, platform.url, wj_tok["token"])
    _sync(capsys, qp, wj)
    tin = _run(capsys, wj, "transfer", "list")[1][0]
    assert tin["kind"] == "joint" and tin["other_agency"]["code"] == QP
    assert cli(wj, "transfer", "return", tin["id"], "--reason", "x") != 0  # declined, not returned
    code, agreed = _run(capsys, wj, "transfer", "accept", tin["id"])
    assert code == 0 and agreed["document"]["title"] == "联合查处复函"
    assert agreed["status_zh"] == "已同意"
    code, fb = _run(capsys, wj, "transfer", "feedback", tin["id"], "--result", "不予处罚",
                    "--basis", "《中华人民共和国行政处罚法》第三十三条第一款")  # fmt: skip
    assert code == 0, fb
    _sync(capsys, wj, qp)
    both = _letters(qp, tin["id"])
    assert both == _letters(wj, tin["id"])
    assert [t for _, t, _ in both] == ["联合查处函", "联合查处复函", "处理结果反馈函"]
    from officer_app.services import transfers
    from officer_app.services.context import AppContext

    with AppContext.open(qp) as ctx:
        reply = _pdf_text(transfers.letter_path(ctx, both[1][2]))  # type: ignore[arg-type]
        result = _pdf_text(transfers.letter_path(ctx, both[2][2]))  # type: ignore[arg-type]
    assert "同意与你单位联合查处" in reply
    from officer_app.services import stats

    with AppContext.open(qp) as ctx:  # a 联合查处 is not a 移送 in the statistics
        sent_at = ctx.store.scalar("SELECT sent_at FROM transfers WHERE id = ?", [tin["id"]])
        day = stats.cst_date(stats.parse_time(sent_at))
        board = stats.dashboard(ctx, stats.Period(day, day))
        assert tin["id"] not in board.figures["transfers_sent"].ids
    assert "商请联合查处" in result and "第三十三条第一款的规定" in result
    assert "不予行政处罚" in result

    # a second request, declined with its reasons
    second = _real_case(qp)
    assert _run(capsys, qp, "transfer", "joint", second, "--to", WJ, "--basis-checked")[0] == 0
    _sync(capsys, qp, wj)
    waiting = [t for t in _run(capsys, wj, "transfer", "list")[1] if t["status"] == "sent"]
    code, out = _run(capsys, wj, "transfer", "decline", waiting[0]["id"], "--reason",
                     "该案不涉及我单位职责。")  # fmt: skip
    assert code == 0 and out["status_zh"] == "已拒绝"
    _sync(capsys, wj, qp)
    mine = {t["id"]: t for t in _run(capsys, qp, "transfer", "list")[1]}
    assert mine[waiting[0]["id"]]["status"] == "returned"
    assert _letters(qp, waiting[0]["id"]) == _letters(wj, waiting[0]["id"])


# Fixed texts, per outcome (no platform needed) ---------------------------------------------------
FEEDBACK_CASES = {
    "处罚决定": (
        {"decision_number": "吴综执罚决字〔2026〕88号", "decision_date": "2026-12-01",
         "fine_amount": "20000", "execution": "部分执行"},
        ["2026年12月1日对该案作出行政处罚决定（吴综执罚决字〔2026〕88号）",
         "处罚内容：罚款人民币20000元", "执行情况：部分执行"],
    ),
    "不予处罚": (
        {},
        ["依照《中华人民共和国行政处罚法》第三十三条的规定，我单位决定对该案不予行政处罚"],
    ),
    "移送司法": (
        {"referral_date": "2026-12-02"},
        ["第二十七条", "《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）",
         "2026年12月2日将该案移送司法机关依法处理"],
    ),
    "其他": ({"note": "当事人已自行清运，现场恢复原状。"}, ["当事人已自行清运"]),
}  # fmt: skip


@pytest.mark.parametrize("outcome", list(FEEDBACK_CASES))
def test_feedback_text_follows_the_outcome(officer_ctx: Any, outcome: str, tmp_path: Path) -> None:
    from officer_app.services import documents

    case_id = load_demo(officer_ctx)
    extra, phrases = FEEDBACK_CASES[outcome]
    draft = documents.new_document(officer_ctx, "result_feedback", case_id=case_id)
    documents.set_fields(
        officer_ctx,
        draft["id"],
        {"transferring_agency": "上海市青浦区城市管理行政执法局",
         "original_number": "青城管移〔2026〕1号", "outcome": outcome, **extra},
    )  # fmt: skip
    issued = documents.issue_document(officer_ctx, draft["id"])
    pdf = tmp_path / "fb.pdf"
    documents.render_to(officer_ctx, issued["id"], pdf)
    text = _pdf_text(pdf)
    assert "你单位《案件移送函》（青城管移〔2026〕1号）移送的偷倒乱倒建筑垃圾一案" in text
    for phrase in phrases:
        assert phrase in text, (phrase, text)
    assert "处理完毕" not in text
    if outcome != "移送司法":
        assert "第二十七条" not in text


def test_a_penalty_feedback_needs_its_decision(officer_ctx: Any) -> None:
    from officer_app.errors import ValidationError
    from officer_app.services import documents

    case_id = load_demo(officer_ctx)
    draft = documents.new_document(officer_ctx, "result_feedback", case_id=case_id)
    documents.set_fields(
        officer_ctx, draft["id"], {"original_number": "青城管移〔2026〕1号", "outcome": "处罚决定"}
    )
    with pytest.raises(ValidationError, match="决定书文号"):
        documents.issue_document(officer_ctx, draft["id"])


def test_transfer_to_the_judiciary_has_its_own_letter_text(
    officer_ctx: Any, tmp_path: Path
) -> None:
    from officer_app.services import catalogue, documents

    case_id = load_demo(officer_ctx)
    draft = documents.new_document(officer_ctx, "case_transfer", case_id=case_id)
    documents.set_fields(
        officer_ctx,
        draft["id"],
        {"handling": "移送司法机关", "receiving_agency": "苏州市公安局吴江区分局"},
    )
    catalogue.confirm_draft_basis(officer_ctx, draft["id"])  # the officer checked the basis
    issued = documents.issue_document(officer_ctx, draft["id"])
    pdf = tmp_path / "j.pdf"
    documents.render_to(officer_ctx, issued["id"], pdf)
    text = _pdf_text(pdf)
    assert "第二十七条" in text and "国务院令第310号" in text and "涉嫌构成犯罪" in text
    assert "第二十二条" not in text  # neither the opening nor the 移送理由 cite §22
    assert json.loads(json.dumps(issued["fields"]))["handling"] == "移送司法机关"


def test_return_refuses_an_empty_reason_and_an_outgoing_transfer(
    tmp_path: Path, capsys: Any
) -> None:
    from tests.test_sync import _officer

    qp = _officer(tmp_path, "张伟", "31011800123", QP)
    case_id = _real_case(qp)
    _issue_transfer(qp, case_id)
    tid = _run(capsys, qp, "transfer", "list")[1][0]["id"]
    assert cli(qp, "transfer", "return", tid, "--reason", "  ") != 0
    assert "理由" in capsys.readouterr().err
    assert cli(qp, "transfer", "return", tid, "--reason", "不属管辖") != 0
    assert "只有受移送机关" in capsys.readouterr().err
    from officer_app.services.context import AppContext

    with AppContext.open(qp) as ctx:  # nothing was drafted or issued by the refusals
        assert (
            ctx.store.scalar("SELECT count(*) FROM documents WHERE form_id = 'transfer_return'")
            == 0
        )


__all__ = ["WJ"]
