"""The bulletin PDF (parsed back), its CSV/XLSX tables, the CLI and the platform's cluster view."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from officer_app.services import bulletin, stats
from tests import stats_dataset as ds
from tests.sync_fixtures import BACKENDS, platform_database

Q3 = stats.parse_quarter("2026Q3")


@pytest.fixture
def board(officer_ctx):
    ds.build_known(officer_ctx.store)
    return officer_ctx, stats.dashboard(officer_ctx, Q3, agency=ds.OWN, as_of=ds.AS_OF)


def _text(pdf: Path) -> str:
    return (
        "".join(p.extract_text() for p in PdfReader(pdf).pages).replace(" ", "").replace("\n", "")
    )


def test_issued_bulletin_pdf(board, tmp_path: Path) -> None:
    ctx, b = board
    out = tmp_path / "b.pdf"
    result = bulletin.issue_local_bulletin(
        ctx, b, out, csv_path=tmp_path / "b.csv", xlsx_path=tmp_path / "b.xlsx"
    )
    assert result["number"] == "青城管通〔2026〕1号" or result["number"].startswith("青城管通〔")
    reader = PdfReader(out)
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = _text(out)
    assert "关于2026年第三季度长三角城管执法协作情况的专项通报" in text
    assert result["number"] in text
    for fragment in (
        "联合巡查3次",
        "19.5人时",
        "违法行为5起",
        "移出案件3件",
        "50.0%（3/6）",
        "100.0%（2/2）",
        "尚有4件未办结",
        "逾期3件",
        "8.6天",
        "22.0天",
    ):
        assert fragment in text, fragment
    fonts = [f["/BaseFont"] for p in reader.pages for f in p["/Resources"]["/Font"].values()]
    # reportlab's page preamble names Helvetica (unused); every drawn font is the CJK subset.
    assert any("BousungEG" in str(f) or "+" in str(f) for f in fonts)
    assert all("+" in str(f) for f in fonts if str(f) != "/Helvetica")
    descriptor = reader.pages[0]["/Resources"]["/Font"]
    embedded = (
        any(
            "/FontFile2" in f.get_object()["/FontDescriptor"]
            for f in descriptor.values()
            if "/FontDescriptor" in f.get_object()
        )
        or b"/FontFile2" in out.read_bytes()
    )
    assert embedded
    images = [img for p in reader.pages for img in p.images]
    assert len(images) == 3  # month, type, map charts
    # Stored as an issued, numbered document; a second one takes the next serial.
    row = ctx.store.query("SELECT * FROM documents WHERE id = ?", [result["id"]])[0]
    assert (row["status"], row["doc_type"], row["pdf_sha256"]) == ("issued", "通", result["sha256"])
    again = bulletin.issue_local_bulletin(ctx, b, tmp_path / "c.pdf")
    assert again["number"] != result["number"]


def test_csv_and_xlsx_equal_the_tables(board, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    _ctx, b = board
    tables = bulletin.bulletin_tables(b)
    bulletin.write_csv(tables, tmp_path / "t.csv")
    bulletin.write_xlsx(tables, tmp_path / "t.xlsx")
    with open(tmp_path / "t.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    expected = []
    for t in tables:
        expected += [[t.title], list(t.header)]
        expected += [[bulletin.cell_text(v) for v in r] for r in t.rows]
        expected.append([])
    assert rows == expected
    main = {r[0]: r[1] for r in tables[0].rows}
    assert main["联合巡查"] == "3次" and main["按期签收率"] == "50.0%（3/6）"
    wb = load_workbook(tmp_path / "t.xlsx")
    assert len(wb.sheetnames) == len(tables)
    for ws, t in zip(wb.worksheets, tables, strict=True):
        values = [list(r) for r in ws.iter_rows(values_only=True)]
        assert values[0][0] == t.title and tuple(values[1]) == t.header
        assert [tuple(r) for r in values[2:]] == [tuple(r) for r in t.rows]
    months = wb.worksheets[4]
    assert [r[1] for r in months.iter_rows(min_row=3, values_only=True)] == [1, 1, 1]


def test_empty_quarter_bulletin(officer_ctx, tmp_path: Path) -> None:
    b = stats.dashboard(officer_ctx, stats.parse_quarter("2025Q1"), as_of=ds.AS_OF)
    out = tmp_path / "e.pdf"
    bulletin.issue_local_bulletin(officer_ctx, b, out, draft=True)
    text = _text(out)
    assert "联合巡查0次" in text and "本期无跨区域移送案件" in text


def _cli(argv: list[str], data: Path):
    """Parse with the real ``officer-app`` parser, run the handler, return its Outcome."""
    from officer_app import cli

    args = cli.parse(["--data-dir", str(data), *argv])
    return args.handler(args)


def test_cli_local(board, tmp_path: Path, data_dir: Path) -> None:
    _ctx, _b = board
    out = tmp_path / "cli.pdf"
    outcome = _cli(
        [
            "bulletin",
            "--quarter",
            "2026Q3",
            "--agency",
            "310118",
            "--out",
            str(out),
            "--csv",
            str(tmp_path / "x.csv"),
            "--draft",
        ],
        data_dir,
    )
    assert out.is_file() and (tmp_path / "x.csv").is_file()
    assert outcome.data["figures"]["figures"]["cases"]["value"] == 5
    pages = PdfReader(out).pages  # a draft is marked on every page, not only the first
    assert len(pages) >= 2 and outcome.data["pages"] == len(pages)
    assert all("草稿" in p.extract_text().replace("\n", "") for p in pages[1:])
    assert "发现违法行为：5起" in outcome.text


def _platform_store(root: Path, db_url: str | None = None) -> None:
    """What the platform holds after 青浦 and 嘉善 pushed (as ``platform.records`` stores it)."""
    from officer_app.platform import db, stats_projection

    paths = db.PlatformPaths(root)
    database = db.Database.for_platform(paths, db_url)
    db.init(paths, training=False, database=database)
    with database, db.opened(database) as conn:
        seq = [0]

        def entry(agency, entity, eid, op, payload):
            seq[0] += 1
            conn.execute(
                "INSERT INTO entries (id, agency, token_id, entity, entity_id, op, payload,"
                " content_sha256, training, received_at) VALUES (?, ?, 't', ?, ?, ?, ?, 'x', 0, ?)",
                [
                    f"e{seq[0]}",
                    agency,
                    entity,
                    eid,
                    op,
                    json.dumps(payload),
                    "2026-11-01T00:00:00Z",
                ],
            )

        entry(
            "310118",
            "patrol",
            "p1",
            "create",
            {
                "id": "p1",
                "type": "陆路巡查",
                "status": "in_progress",
                "actual_start": "2026-07-10T09:00:00+08:00",
                "agencies": ["310118", "330421"],
                "officers": [{}, {}, {}, {}],
            },
        )
        entry(
            "310118",
            "patrol",
            "p1",
            "update",
            {"status": "closed", "actual_end": "2026-07-10T12:00:00+08:00"},
        )
        entry(
            "330421",
            "patrol",
            "p2",
            "create",
            {
                "id": "p2",
                "type": "水路巡查",
                "status": "closed",
                "actual_start": "2026-08-01T09:00:00+08:00",
                "actual_end": "2026-08-01T10:00:00+08:00",
                "agencies": ["330421", "320509"],
                "officers": [{}, {}],
            },
        )
        entry(
            "310114",
            "patrol",
            "p3",
            "create",
            {  # 嘉定 + 昆山: another cluster
                "id": "p3",
                "type": "陆路巡查",
                "status": "closed",
                "actual_start": "2026-08-01T09:00:00+08:00",
                "actual_end": "2026-08-01T10:00:00+08:00",
                "agencies": ["310114", "320583"],
                "officers": [{}, {}],
            },
        )
        entry(
            "310118",
            "case",
            "c1",
            "create",
            {
                "id": "c1",
                "violation_code": "JZLJ-01",
                "status": "recorded",
                "taken_at": "2026-08-12T10:00:00+08:00",
                "jurisdiction_code": "310118",
            },
        )
        entry("310118", "case", "c1", "update", {"id": "c1", "new_code": "330421"})
        entry(
            "330421",
            "case",
            "c2",
            "create",
            {
                "id": "c2",
                "violation_code": "SRHJ-01",
                "status": "recorded",
                "taken_at": "2026-09-12T10:00:00+08:00",
                "jurisdiction_code": "330421",
            },
        )
        conn.execute(
            "INSERT INTO transfers (id, kind, from_agency, to_agency, status, document_number,"
            " deadline, payload, training, created_at, updated_at) VALUES"
            " ('t1', 'case', '310118', '330421', 'accepted', '青城管移〔2026〕1号', NULL, ?, 0,"
            " '2026-09-29T01:00:00+00:00', '2026-10-14T08:00:00+00:00')",
            [
                json.dumps(
                    {
                        "sent_at": "2026-09-29T01:00:00+00:00",
                        "case": {"id": "c1", "violation_code": "JZLJ-01"},
                    }
                )
            ],
        )
        entry(
            "330421",
            "transfer",
            "t1",
            "accept",
            {"transfer_id": "t1", "at": "2026-10-15T02:00:00+00:00"},
        )
        # Written straight into the tables, not pushed: the bulletin's projection is built the
        # way an upgraded platform builds it from what it holds.
        stats_projection.backfill(conn)


@pytest.mark.parametrize("backend", BACKENDS)
def test_platform_cluster_bulletin(tmp_path: Path, backend: str) -> None:
    with platform_database(backend) as url:
        _cluster_bulletin(tmp_path, ["--db", url] if url else [])
        if url:  # the rows were read from PostgreSQL: the data dir holds no database
            assert not (tmp_path / "p" / "platform" / "platform.sqlite3").exists()


def _cluster_bulletin(tmp_path: Path, db_args: list[str]) -> None:
    root = tmp_path / "p"
    _platform_store(root, db_args[1] if db_args else None)
    out = tmp_path / "cluster.pdf"
    outcome = _cli(
        [
            "platform",
            "bulletin",
            *db_args,
            "--quarter",
            "2026Q3",
            "--cluster",
            "青嘉吴",
            "--out",
            str(out),
            "--xlsx",
            str(tmp_path / "c.xlsx"),
        ],
        root,
    )
    figs = outcome.data["figures"]["figures"]
    assert figs["patrols"]["value"] == 2  # p3 belongs to 嘉昆太
    assert figs["officer_hours"]["value"] == pytest.approx(4 * 3 + 2 * 1)
    assert figs["cases"]["value"] == 2
    assert outcome.data["figures"]["cases_by_jurisdiction"] == {"嘉善县": 2}
    # Cluster-internal: sent and received; receipted 15 Oct, one day after the due date.
    assert figs["transfers_sent"]["value"] == figs["transfers_received"]["value"] == 1
    assert (figs["receipt_on_time"]["numerator"], figs["receipt_on_time"]["denominator"]) == (0, 1)
    assert outcome.data["number"].startswith("青城管通〔")
    text = _text(out)
    assert "青嘉吴片区各成员单位" in text and "联合巡查2次" in text
    again = _cli(
        [
            *("platform", "bulletin", *db_args, "--quarter", "2026Q3", "--cluster", "青嘉吴"),
            *("--out", str(out)),
        ],
        root,
    )
    assert again.data["number"] != outcome.data["number"]


def test_platform_unknown_cluster(tmp_path: Path) -> None:
    from officer_app.errors import UsageError

    _platform_store(tmp_path / "p")
    with pytest.raises(UsageError):
        _cli(
            [
                "platform",
                "bulletin",
                "--quarter",
                "2026Q3",
                "--cluster",
                "不存在",
                "--out",
                str(tmp_path / "x.pdf"),
            ],
            tmp_path / "p",
        )


def test_platform_bulletin_of_one_agency(tmp_path: Path) -> None:
    """Without --cluster the platform writes one agency's bulletin from everything its laptops
    pushed: 嘉善 took part in both cluster patrols, recorded c2 and received t1."""
    from officer_app.errors import UsageError

    root = tmp_path / "p"
    _platform_store(root)
    out = tmp_path / "js.pdf"
    argv = ["platform", "bulletin", "--quarter", "2026Q3", "--out", str(out)]
    outcome = _cli([*argv, "--agency", "330421"], root)
    figs = outcome.data["figures"]["figures"]
    assert (figs["patrols"]["value"], figs["cases"]["value"]) == (2, 1)
    assert (figs["transfers_sent"]["value"], figs["transfers_received"]["value"]) == (0, 1)
    assert outcome.data["figures"]["viewpoint"] == ["330421"]
    assert outcome.data["number"].startswith("善综执通〔")
    assert "嘉善县综合行政执法局" in _text(out)
    with pytest.raises(UsageError, match="--cluster"):
        _cli(argv, root)


def test_platform_bulletin_that_cannot_be_written_keeps_its_number(tmp_path: Path) -> None:
    """The platform archives no bulletin: a PDF that cannot be written must not use a number,
    and no half-written or temp file is left where the clerk asked for it."""
    from officer_app.services.bulletin import ExportError

    root = tmp_path / "p"
    _platform_store(root)
    outdir = tmp_path / "out"
    outdir.mkdir()
    blocker = outdir / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    argv = ["platform", "bulletin", "--quarter", "2026Q3", "--agency", "330421", "--out"]
    with pytest.raises(ExportError, match="无法写入"):
        _cli([*argv, str(blocker / "js.pdf")], root)
    outcome = _cli([*argv, str(outdir / "js.pdf")], root)
    assert outcome.data["number"] == "善综执通〔2026〕1号"
    assert sorted(p.name for p in outdir.iterdir()) == ["js.pdf", "not-a-folder"]


@pytest.mark.parametrize("ending", ["paragraph", "table", "long table"])
def test_signature_and_headings_never_stand_alone(tmp_path: Path, ending: str) -> None:
    """However long the body, the last heading shares a page with what follows it and the
    signature block with the last body text (GB/T 9704: no page of signature alone)."""
    from officer_app.documents.bulletin import BulletinContent, BulletinTable, render_bulletin

    n = 40 if ending == "long table" else 1
    rows = tuple((f"移{i}号", "处罚") for i in range(1, n + 1))
    last = (
        ("paragraph", "本期无跨区域移送案件。")
        if ending == "paragraph"
        else ("table", BulletinTable("表6  重大案件", ("编号", "处理结果"), rows))
    )
    tail = "本期无跨区域移送案件" if ending == "paragraph" else f"移{n}号处罚"
    boundary_hit = 0
    for filler_lines in range(14, 30):
        content = BulletinContent(
            "关于测试的专项通报",
            "各成员单位",
            [
                ("paragraph", "一" * (28 * filler_lines - 2)),
                ("heading", "四、重大案件协作情况"),
                last,
            ],
            issuer="上海市青浦区城市管理行政执法局",
            date_text="2026年11月27日",
        )
        out = tmp_path / f"b{filler_lines}.pdf"
        result = render_bulletin(content, number="青城管通〔2026〕1号", out=out)
        pages = [p.extract_text().replace(" ", "").replace("\n", "") for p in PdfReader(out).pages]
        assert len(pages) == result.pages
        final = pages[-1]
        assert "上海市青浦区城市管理行政执法局" in final and tail in final, (filler_lines, pages)
        heading_page = next(i for i, p in enumerate(pages) if "四、重大案件协作情况" in p)
        head = "本期无跨区域移送案件" if ending == "paragraph" else "移1号处罚"
        assert head in pages[heading_page], (filler_lines, pages)  # what the heading heads
        boundary_hit += "一" not in final  # the filler ended on an earlier page
    assert boundary_hit  # the range did push the ending across a page boundary


def test_keep_together_longer_than_a_page_leaves_no_blank_page(tmp_path: Path) -> None:
    from officer_app.documents.bulletin import BulletinContent, render_bulletin

    content = BulletinContent(
        "关于测试的专项通报",
        "各成员单位",
        [("heading", "四、重大案件协作情况"), ("paragraph", "一" * (28 * 30))],
        issuer="上海市青浦区城市管理行政执法局",
        date_text="2026年11月27日",
    )
    render_bulletin(content, number="青城管通〔2026〕1号", out=tmp_path / "b.pdf")
    pages = [p.extract_text().replace("\n", "") for p in PdfReader(tmp_path / "b.pdf").pages]
    assert len(pages) >= 2 and all("一" in p for p in pages[:-1]), pages


def test_issued_bulletin_whose_copy_cannot_be_written_is_kept(board, tmp_path: Path) -> None:
    """The number is taken and the PDF archived before the officer's copy is written; when that
    copy fails the officer is told the number and where to get the PDF, and nothing is lost."""
    from officer_app.errors import UserFacingError
    from officer_app.services import documents

    ctx, b = board
    outdir = tmp_path / "out"
    outdir.mkdir()
    blocker = outdir / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(UserFacingError) as err:
        bulletin.issue_local_bulletin(ctx, b, blocker / "q3.pdf")
    (doc,) = ctx.store.query("SELECT id, number, pdf_sha256 FROM documents WHERE doc_type = '通'")
    assert doc["number"] in err.value.message_zh and "文书" in err.value.message_zh
    again = documents.render_to(ctx, doc["id"], tmp_path / "again.pdf")
    assert again["sha256"] == doc["pdf_sha256"]
    assert "联合巡查" in _text(tmp_path / "again.pdf")
    with pytest.raises(UserFacingError, match="文件夹"):  # refused before a number is taken
        bulletin.issue_local_bulletin(ctx, b, tmp_path)
    assert ctx.store.scalar("SELECT count(*) FROM documents WHERE doc_type = '通'") == 1
