"""On-the-spot records that hold up (issue 14 item 6), parsed back from the issued PDFs.

The 现场检查（勘验）笔录: date and start–end time as 9时48分, every officer of every agency with
执法证号, at least two (行政处罚法 §42: refused with one), 出示执法证件, party or witness, the
photos by 序号 and file name, the signature block and 以上笔录已阅，无误 at the foot of every page, no
文号. The 联合巡查记录: one signature line per participating agency; one officer only warns.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pypdf
import pytest

from tests.doc_fixtures import cli, load_demo

FOOTER = ("以上笔录已阅，无误。", "被检查人签名：", "执法人员签名：")
CLOCK_COLON = re.compile(r"\d{1,2}:\d{2}")


@pytest.fixture
def demo(officer_ctx: Any) -> tuple[Any, str]:
    from officer_app.services import officers
    from officer_app.services.demo import DEMO_OFFICER

    case_id = load_demo(officer_ctx)
    officers.add_or_select_officer(officer_ctx, *DEMO_OFFICER)
    return officer_ctx, case_id


def _page_strings(page: Any) -> list[tuple[float, str]]:
    frags: list[tuple[float, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            frags.append((float(tm[5]), text.strip()))

    page.extract_text(visitor_text=visit)
    return frags


def _pages(data: bytes) -> list[list[tuple[float, str]]]:
    """Per page: ``(baseline y, text)`` of every drawn string."""
    return [_page_strings(page) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def _text(page: list[tuple[float, str]]) -> str:
    return "".join(t for _, t in page).replace("\n", "")


def _draft(ctx: Any, case_id: str, **values: str) -> dict[str, Any]:
    from officer_app.services import documents

    doc = documents.new_document(ctx, "site_inspection", case_id=case_id)
    return documents.set_fields(ctx, doc["id"], {"end_time": "10:35", **values})


def test_multi_page_record_signed_on_every_page(demo: tuple[Any, str]) -> None:
    from officer_app.services import documents

    ctx, case_id = demo
    long = "\n".join(
        f"第{i}处：岸边堆放碎砖、混凝土块及废弃包装物，约2立方米，有新鲜车辙。"
        for i in range(1, 31)
    )
    draft = _draft(
        ctx, case_id, findings=long, person_name="王某某", person_id="320584198001011234"
    )
    issued = documents.issue_document(ctx, draft["id"])
    data = Path(issued["path"]).read_bytes()
    pages = _pages(data)
    assert issued["pages"] == len(pages) >= 4  # three body pages at least, then the photo page
    for n, page in enumerate(pages, 1):
        text = _text(page)
        for line in FOOTER:
            assert line in text, (n, line)
        # The block is the page's last text above the page number: nothing is written under it.
        footer_y = max(y for y, t in page if t.startswith("以上笔录已阅"))
        content = [
            y
            for y, t in page
            if not t.startswith(("以上笔录已阅", "被检查人", "执法人员签名", "—"))
        ]
        assert content and min(content) > footer_y, n
    everything = "".join(_text(p) for p in pages)
    # Time and date of the inspection, as a record writes them; nowhere a colon time.
    assert "检查时间：2026年11月20日9时48分至10时35分" in everything
    assert "拍摄时间：2026年11月20日9时48分21秒" in everything
    assert not CLOCK_COLON.search(everything)
    # Every officer of the three agencies with the certificate number.
    for name, badge in (
        ("陈立群", "31011820318"),
        ("沈建明", "32050921107"),
        ("钱志强", "33042110582"),
    ):
        assert f"{name}（执法证号{badge}）" in everything
    assert "苏州市吴江区综合行政执法局黎里镇执法中队" in everything
    assert "执法人员向被检查人出示了执法证件，表明了身份，告知了检查事由。" in everything
    assert "被检查人：王某某" in everything and "身份证件号码：320584198001011234" in everything
    # The photos by 序号 and file name.
    assert "1．DSC_0112.JPG" in everything and "2．DSC_0113.JPG" in everything
    # A record: no 文号, no 发文机关 落款 with a date.
    assert issued["number"] not in everything and "〔" not in everything
    assert "上海市青浦区城市管理行政执法局\n" not in everything
    assert everything.count("（以下空白）") == 1


def test_one_officer_refused_on_the_record_nothing_changed(
    demo: tuple[Any, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from officer_app.services import documents

    ctx, case_id = demo
    draft = _draft(ctx, case_id)
    root = ctx.data.root
    capsys.readouterr()
    assert (
        cli(
            root,
            "document",
            "officers",
            draft["id"],
            "--clear",
            "--add",
            "张三,31011800001",
            "--json",
        )
        == 0
    )
    shown = json.loads(capsys.readouterr().out)
    assert shown["officers"] == [
        {"agency": "上海市青浦区城市管理行政执法局", "name": "张三", "badge": "31011800001"}
    ]
    assert any("第四十二条" in w for w in shown["warnings"])  # saved, with the warning
    before = documents.get_document(ctx, draft["id"])
    assert cli(root, "document", "issue", draft["id"], "--json") == 1
    err = capsys.readouterr().err
    assert "不能签发：执法人员不得少于两人（《中华人民共和国行政处罚法》第四十二条）" in err
    assert "“检查人员”中现只登记了1名：张三（执法证号31011800001）" in err
    after = documents.get_document(ctx, draft["id"])
    assert after["status"] == "draft" and after["number"] is None
    assert after["fields"] == before["fields"]
    assert ctx.store.scalar("SELECT count(*) FROM documents WHERE status = 'issued'") == 0
    # A second officer from another agency: issued.
    assert (
        cli(
            root,
            "document",
            "officers",
            draft["id"],
            "--add",
            "李四，32050900002，苏州市吴江区综合行政执法局",
            "--json",
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["notices"] == []
    assert cli(root, "document", "issue", draft["id"], "--json") == 0
    issued = json.loads(capsys.readouterr().out)
    text = "".join(_text(p) for p in _pages(Path(issued["path"]).read_bytes()))
    assert "上海市青浦区城市管理行政执法局：张三（执法证号31011800001）" in text
    assert "苏州市吴江区综合行政执法局：李四（执法证号32050900002）" in text


def test_bad_officer_entries_and_times_refused_with_reason(
    demo: tuple[Any, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from officer_app.services import documents

    ctx, case_id = demo
    draft = _draft(ctx, case_id)
    root = ctx.data.root
    capsys.readouterr()
    for args, reason in (
        (["officers", draft["id"], "--add", "张三"], "姓名,执法证号[,执法机关]"),
        (["officers", draft["id"], "--remove", "999"], "没有执法证号为999的执法人员"),
        (
            ["set", draft["id"], "officers=上海局：张三、李四（执法证号1）"],
            "“张三”没有写明执法证号",
        ),
        (["set", draft["id"], "officers=张三（1）、李四（1）"], "执法证号1重复出现"),
        (["set", draft["id"], "start_time=25:00"], "开始时间：时间格式应为 9:48 或 9时48分"),
        (["set", draft["id"], "end_time=下午"], "结束时间：时间格式应为"),
        (["set", draft["id"], "person_id=320584198001011235"], "身份证号无效，校验位错误"),
    ):
        before = documents.get_document(ctx, draft["id"])["fields"]
        assert cli(root, "document", *args, "--json") != 0, args
        assert reason in capsys.readouterr().err, args
        assert documents.get_document(ctx, draft["id"])["fields"] == before
    # A passport number is taken as written; a valid 居民身份证号 too.
    for number in ("E12345678", "320584198001011234"):
        assert cli(root, "document", "set", draft["id"], f"person_id={number}", "--json") == 0
        assert json.loads(capsys.readouterr().out)["fields"]["person_id"] == number
    # Typed as 9:05 / 0930, stored and shown as the record writes it.
    assert (
        cli(root, "document", "set", draft["id"], "start_time=9：05", "end_time=8时", "--json") == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["fields"]["start_time"] == "9时5分" and doc["fields"]["end_time"] == "8时"
    assert doc["notices"] == ["结束时间（8时）早于开始时间（9时5分）"]
    assert cli(root, "document", "issue", draft["id"], "--json") == 1
    assert "结束时间（8时）早于开始时间（9时5分）" in capsys.readouterr().err


def test_witness_and_refusal_on_every_page(demo: tuple[Any, str]) -> None:
    from officer_app.services import documents

    ctx, case_id = demo
    draft = _draft(
        ctx,
        case_id,
        party_role="见证人",
        person_name="赵某",
        refusal="被检查人拒绝签名",
    )
    issued = documents.issue_document(ctx, draft["id"])
    pages = _pages(Path(issued["path"]).read_bytes())
    for page in pages:
        text = _text(page)
        assert (
            "见证人签名：" in text and "被检查人拒绝签名" in text and "以上笔录已阅，无误。" in text
        )
    body = _text(pages[0])
    assert "见证人：赵某" in body and "执法人员向见证人出示了执法证件" in body


def test_joint_patrol_record_signed_by_every_agency(demo: tuple[Any, str]) -> None:
    from officer_app.services import documents

    ctx, case_id = demo
    doc = documents.new_document(ctx, "joint_patrol_record", case_id=case_id)
    doc = documents.set_fields(ctx, doc["id"], {"handling": "已拍照取证，移送吴江区处理。"})
    assert doc["notices"] == [] and doc["fields"]["agency_signatures"] == ""
    issued = documents.issue_document(ctx, doc["id"])
    pages = _pages(Path(issued["path"]).read_bytes())
    text = "".join(_text(p) for p in pages)
    assert "巡查时间：2026年11月20日9时至11时30分" in text and not CLOCK_COLON.search(text)
    for agency, names in (
        ("上海市青浦区城市管理行政执法局金泽镇中队", "陈立群、周海峰"),
        ("苏州市吴江区综合行政执法局黎里镇执法中队", "沈建明、吴晓燕"),
        ("嘉善县综合行政执法局姚庄镇执法中队", "钱志强"),
    ):
        assert f"{agency}（{names}）签名：" in text
    assert text.count("）签名：") == 3  # one line per agency, no more
    assert issued["number"] not in text and "〔" not in text
    # The body ends with the signature lines, each on a line of its own.
    from officer_app.documents.render import TRAINING_MARK  # the demo is training: marked

    assert all(TRAINING_MARK in [t for _, t in page] for page in pages)
    furniture = re.compile(r"—.*|[0-9a-f]+|sha256:.*")  # page number, the QR code's hash line
    signed = next(p for p in pages if any("（钱志强）签名：" in t for _, t in p))  # the last body
    last = [t for _, t in signed if not furniture.fullmatch(t) and t != TRAINING_MARK]  # page;
    body = [t for t in last if not t.startswith("附件")]  # then the 附件 notation, if any
    assert body[-1].endswith("（钱志强）签名："), last[-4:]


def test_one_officer_elsewhere_warns_and_issues(demo: tuple[Any, str]) -> None:
    from officer_app.services import documents

    ctx, case_id = demo
    doc = documents.new_document(ctx, "joint_patrol_record", case_id=case_id)
    doc = documents.set_fields(
        ctx,
        doc["id"],
        {
            "handling": "已登记。",
            "participants": "上海市青浦区城市管理行政执法局：张三（执法证号31011800001）",
        },
    )
    assert len(doc["warnings"]) == 1 and "第四十二条" in doc["warnings"][0]
    assert doc["notices"] == doc["warnings"]
    issued = documents.issue_document(ctx, doc["id"])  # a warning, not a block
    text = "".join(_text(p) for p in _pages(Path(issued["path"]).read_bytes()))
    assert "上海市青浦区城市管理行政执法局（张三）签名：" in text


def test_page_footer_definition_checked() -> None:
    from officer_app.documents.form_schema import FormDefinitionError
    from officer_app.documents.geometry import DEFAULT_GEOMETRY
    from officer_app.documents.record_page import page_footer

    resolved = {"party_role": "被检查人"}
    assert page_footer({"id": "x"}, resolved, DEFAULT_GEOMETRY) is None
    footer = page_footer(
        {
            "page_footer": {
                "lines": [["以上笔录已阅，无误。"], ["{party_role}签名：", "执法人员签名："]]
            }
        },
        resolved,
        DEFAULT_GEOMETRY,
    )
    assert footer is not None and footer.grid_lines == 3
    assert footer.body_geometry.lines_per_page == DEFAULT_GEOMETRY.lines_per_page - 3
    assert footer.body_geometry.line_pitch == pytest.approx(DEFAULT_GEOMETRY.line_pitch)
    cells = footer.placements()
    assert [c[4] for c in cells] == ["以上笔录已阅，无误。", "被检查人签名：", "执法人员签名："]
    assert cells[2][0] == pytest.approx(
        DEFAULT_GEOMETRY.text_left + DEFAULT_GEOMETRY.text_width / 2
    )
    for bad in (
        {"lines": []},
        {"lines": [["a", "b", "c"]]},
        {"lines": [["{nobody}"]]},
        {"lines": [["x"]] * 12},
    ):
        with pytest.raises(FormDefinitionError):
            page_footer({"page_footer": bad}, resolved, DEFAULT_GEOMETRY)


def test_broken_record_keys_skip_the_form_when_it_loads(demo: tuple[Any, str]) -> None:
    from officer_app.services import forms

    ctx, _ = demo
    shipped = json.loads(forms.find_form(ctx, "site_inspection").path.read_text(encoding="utf-8"))
    local = forms.user_forms_dir(ctx)
    local.mkdir()
    broken = {
        "footer": {**shipped, "id": "f1", "page_footer": {"lines": [["{nobody}签名："]]}},
        "rule": {
            **shipped,
            "id": "f2",
            "fields": [
                {**f, "officers_rule": "x"} if f["name"] == "officers" else f
                for f in shipped["fields"]
            ],
        },
        "range": {**shipped, "id": "f3", "time_range": ["start_time", "nowhere"]},
    }
    for name, form in broken.items():
        (local / f"{name}.json").write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    (local / "fine.json").write_text(
        json.dumps({**shipped, "id": "f4"}, ensure_ascii=False), "utf-8"
    )
    loaded = forms.load_forms(ctx)
    assert "site_inspection" in loaded and "f4" in loaded  # the same form unbroken loads
    assert not {"f1", "f2", "f3"} & set(loaded)


def test_officer_lines_parsed_and_signed_per_agency() -> None:
    from officer_app.domain.officers_present import format_lines, parse_lines, parse_officers
    from officer_app.services.record_fields import problems, signature_lines

    typed = (
        "青浦区城管局金泽中队：陈立群（31011820318）、周海峰 执法证号31011820441\n"
        "\n嘉善县综合行政执法局：（未登记人员）\n王五（执法证号：A-9）"
    )
    lines = parse_lines(typed)
    assert [(a, [o.name for o in g]) for a, g in lines] == [
        ("青浦区城管局金泽中队", ["陈立群", "周海峰"]),
        ("嘉善县综合行政执法局", []),
        ("", ["王五"]),
    ]
    assert format_lines(lines) == (
        "青浦区城管局金泽中队：陈立群（执法证号31011820318）、周海峰（执法证号31011820441）\n"
        "嘉善县综合行政执法局：（未登记人员）\n王五（执法证号A-9）"
    )
    assert parse_lines(format_lines(lines)) == lines  # the stored form reads back the same
    assert len(parse_officers(typed)) == 3
    assert signature_lines(typed) == (
        "青浦区城管局金泽中队（陈立群、周海峰）签名：\n\n嘉善县综合行政执法局签名：\n\n王五签名："
    )
    # A time stored before the check existed (an older draft) is refused at issue, not printed.
    form = {
        "fields": [{"name": "s", "label": "开始时间", "validate": "time"}],
        "time_range": ["s", "s"],
    }
    assert problems(form, {"s": "上午"}) == (["开始时间：时间格式应为 9:48 或 9时48分"], [])
    assert problems(form, {"s": "9:48"}) == ([], [])


def test_times_as_records_write_them() -> None:
    from officer_app.documents.geometry import format_cn_datetime
    from officer_app.domain.record_time import format_clock, format_moment, parse_clock, to_cst_date

    assert format_clock("09:48") == "9时48分" and format_clock("9时48分") == "9时48分"
    assert format_clock("9点48") == "9时48分" and format_clock("10:00") == "10时"
    assert format_clock("2026-11-20T01:48:21Z") == "9时48分"  # UTC in the store, CST on paper
    assert format_moment("2026-11-20T01:48:21Z") == "2026年11月20日9时48分"
    assert to_cst_date("2026-11-19T17:00:00Z") == dt.date(2026, 11, 20)
    assert format_cn_datetime("2026-11-20T01:48:21Z") == "2026年11月20日9时48分21秒"
    for bad in ("24:00", "9:60", "下午", "", "9:4x"):
        with pytest.raises(ValueError):
            parse_clock(bad)
