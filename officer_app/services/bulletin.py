"""The quarterly bulletin (每季度长三角执法协作专项通报): text, tables, charts, number, exports.

Everything printed comes from one :class:`~officer_app.services.stats.Dashboard`, so the PDF, its
CSV/XLSX tables, the 统计 page and ``--json`` state the same figures. A bulletin issued on a laptop
takes its number like every other document (机关代字 + 通 + 〔year〕 + serial + 号, from the serial
blocks inside the issuing transaction) and is stored as an issued, immutable ``documents`` row with
its PDF hash. At the platform the number comes from the platform's own serial-block table, under the
issuing agency named on the command line (the cluster's first member by default).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officer_app.documents.bulletin import (
    BulletinContent,
    BulletinImage,
    BulletinTable,
    cell_text,
    render_bulletin,
)
from officer_app.documents.geometry import format_cn_date
from officer_app.domain.numbering import format_doc_number
from officer_app.errors import UsageError, UserFacingError, ValidationError
from officer_app.fileio import staged_write, write_bytes_atomic
from officer_app.services import charts
from officer_app.services.stats import CST, Dashboard, cst_date
from officer_app.store.errors import DiskFullError, ReadOnlyStoreError, StoreError

if TYPE_CHECKING:
    from officer_app.platform.db import Connection
    from officer_app.services.custody_anchor import Anchor

__all__ = [
    "BULLETIN_DOC_TYPE",
    "BULLETIN_FORM_ID",
    "bulletin_content",
    "bulletin_tables",
    "issue_local_bulletin",
    "platform_bulletin",
    "write_csv",
    "write_xlsx",
]

BULLETIN_FORM_ID = "quarterly_bulletin"
BULLETIN_DOC_TYPE = "通"
STATUS_ZH = {
    "sent": "待签收",
    "accepted": "已接收",
    "returned": "已退回",
    "feedback_sent": "已反馈",
}


def title_for(board: Dashboard) -> str:
    return f"关于{board.period.text}长三角城管执法协作情况的专项通报"


def bulletin_tables(board: Dashboard) -> list[BulletinTable]:
    """The tables printed in the bulletin; the CSV and XLSX exports write exactly these."""
    f = board.figures
    order = (
        "patrols",
        "officer_hours",
        "cases",
        "transfers_sent",
        "transfers_received",
        "receipt_on_time",
        "feedback_on_time",
        "mean_receipt_days",
        "mean_feedback_days",
        "open",
        "overdue",
    )
    main = tuple((f[k].label, f[k].display) for k in order)
    months = tuple(
        (
            f"{m.month[:4]}年{int(m.month[5:])}月",
            m.patrols,
            m.cases,
            m.transfers_sent,
            m.transfers_received,
        )
        for m in board.months
    )
    major = []
    for i, tid in enumerate(board.major, 1):
        t = board.transfers[tid]
        result = t.result + (f"，罚款{t.fine:g}元" if t.fine else "") if t.result else ""
        major.append(
            (
                i,
                t.document_number,
                board.division_name(t.from_agency),
                board.division_name(t.to_agency),
                board.violation_name(t.violation_code),
                format_cn_date(cst_date(t.sent_at)),
                STATUS_ZH.get(t.status, t.status) if t.receipt_at or t.status == "sent" else "",
                result or "—",
            )
        )
    return [
        BulletinTable("表1  主要指标", ("指标", "数值"), main, (3, 2)),
        BulletinTable(
            "表2  联合巡查（按类型）",
            ("巡查类型", "次数"),
            tuple((x.label, int(x.value or 0)) for x in board.patrols_by_type),
            (3, 1),
        ),
        BulletinTable(
            "表3  发现违法行为（按类型）",
            ("违法行为类型", "起数"),
            tuple((x.label, int(x.value or 0)) for x in board.cases_by_type),
            (3, 1),
        ),
        BulletinTable(
            "表4  发现违法行为（按辖区）",
            ("辖区", "起数"),
            tuple((x.label, int(x.value or 0)) for x in board.cases_by_jurisdiction),
            (3, 1),
        ),
        BulletinTable(
            "表5  按月统计",
            ("月份", "联合巡查", "发现违法", "移出案件", "接收移送"),
            months,
        ),
        BulletinTable(
            "表6  重大案件协作情况",
            ("序号", "移送函文号", "移送方", "接收方", "案由", "移送日期", "状态", "处理结果"),
            tuple(major),
            (0.7, 2.6, 1.2, 1.2, 2.2, 1.9, 1.1, 1.8),
        ),
    ]


def summary_paragraphs(board: Dashboard) -> list[str]:
    f = board.figures
    by_type = "、".join(f"{x.label}{x.value}次" for x in board.patrols_by_type)
    top = "、".join(f"{x.label}{x.value}起" for x in board.cases_by_type[:3])
    who = board.scope_name or "各成员单位"
    first = (
        f"{board.period.text}，{who}共开展跨区域联合巡查{f['patrols'].value}次"
        + (f"（其中{by_type}）" if by_type else "")
        + f"，投入巡查{f['officer_hours'].display}；发现违法行为{f['cases'].value}起"
        + (f"，主要为{top}" if top else "")
        + "。"
    )
    second = (
        f"本期移出案件{f['transfers_sent'].value}件，接收移送案件"
        f"{f['transfers_received'].value}件。按期签收率{f['receipt_on_time'].display}，"
        f"按期反馈率{f['feedback_on_time'].display}；移送至签收平均"
        f"{f['mean_receipt_days'].display}，受理至反馈平均{f['mean_feedback_days'].display}。"
        f"截至{format_cn_date(cst_date(board.as_of))}，尚有{f['open'].value}件未办结，"
        f"其中逾期{f['overdue'].value}件。"
    )
    rules = (
        f"签收期限为移送之日起{board.rules.receipt_working_days}个工作日，反馈期限为受理之日起"
        f"{board.rules.feedback_calendar_days}日，均按国务院公布的节假日安排（含调休）计算；"
        "按期率以已签收、已反馈或已逾期的事项为基数，期限未满的不计入。"
    )
    return [first, second, rules]


def bulletin_content(
    board: Dashboard,
    *,
    issuer: str,
    issued_on: dt.date,
    charts_on: bool = True,
    anchor: Anchor | None = None,
) -> BulletinContent:
    """``anchor``: the platform witness log's signed head (:mod:`custody_anchor`), printed last."""
    blocks: list[tuple[str, object]] = [("heading", "一、总体情况")]
    blocks += [("paragraph", p) for p in summary_paragraphs(board)]
    tables = bulletin_tables(board)
    blocks.append(("heading", "二、主要数据"))
    blocks += [("table", t) for t in tables[:5]]
    if charts_on:
        blocks.append(("heading", "三、统计图"))
        blocks.append(
            (
                "image",
                BulletinImage(
                    charts.render_png(charts.draw_months, board, (6.2, 2.8)), 70, "图1  按月统计"
                ),
            )
        )
        blocks.append(
            (
                "image",
                BulletinImage(
                    charts.render_png(charts.draw_types, board, (6.2, 2.8)), 70, "图2  违法行为类型"
                ),
            )
        )
        blocks.append(
            (
                "image",
                BulletinImage(
                    charts.render_png(charts.draw_map, board, (6.2, 4.2)), 100, "图3  案件辖区分布"
                ),
            )
        )
    blocks.append(("heading", "四、重大案件协作情况" if charts_on else "三、重大案件协作情况"))
    if board.major:
        blocks.append(("table", tables[5]))
    else:
        blocks.append(("paragraph", "本期无跨区域移送案件。"))
    if anchor is not None:
        blocks += anchor.blocks(blocks)
    return BulletinContent(
        title_for(board),
        "各成员单位",
        blocks,
        issuer=issuer,
        date_text=format_cn_date(issued_on),
    )


# Exports ------------------------------------------------------------------------------------------
def write_csv(tables: list[BulletinTable], path: Path) -> None:
    """All tables in one UTF-8 (BOM, for Excel) CSV: title row, header row, rows, blank row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for t in tables:
        w.writerow([t.title])
        w.writerow(t.header)
        for row in t.rows:
            w.writerow([cell_text(v) for v in row])
        w.writerow([])
    _write_out(path, ("\ufeff" + buf.getvalue()).encode("utf-8"))


def write_xlsx(tables: list[BulletinTable], path: Path) -> None:
    """One sheet per table, numbers stored as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
    for i, t in enumerate(tables, 1):
        ws = wb.create_sheet(f"表{i}")
        ws.append([t.title])
        ws.append(list(t.header))
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in t.rows:
            ws.append(list(row))
        for col, _ in enumerate(t.header, 1):
            ws.column_dimensions[chr(64 + col)].width = 18
    buf = io.BytesIO()
    wb.save(buf)
    _write_out(path, buf.getvalue())


def _render(
    board: Dashboard,
    issuer: str,
    issued_on: dt.date,
    number: str | None,
    out: Path | None,
    watermark: str | None,
    anchor: Anchor | None = None,
) -> dict[str, Any]:
    """Render to memory, and to ``out`` when given (an issued bulletin is written out only
    after its number is committed, so no PDF ever carries a number the store did not take)."""
    from officer_app.documents.fonts import FontNotFoundError, MissingGlyphsError
    from officer_app.services.documents import PrintError

    content = bulletin_content(board, issuer=issuer, issued_on=issued_on, anchor=anchor)
    buf = io.BytesIO()
    try:
        result = render_bulletin(
            content, number=number, out=buf, watermark=watermark, layout=2, letterhead=issuer
        )
    except (MissingGlyphsError, FontNotFoundError) as exc:  # the officer's words, not a trace
        raise PrintError(str(exc), f"bulletin render: {exc!r}") from exc
    data = buf.getvalue()
    if out is not None:
        _write_out(out, data)
    return {
        "sha256": result.sha256,
        "pages": result.pages,
        "font_sha256": result.font_sha256,
        "data": data,
    }


class ExportError(UserFacingError):
    """A bulletin or table file could not be written where the officer asked."""

    code = "export"


def _write_out(path: Path, data: bytes) -> None:
    with _export_errors(path):
        write_bytes_atomic(path, data)


@contextlib.contextmanager
def _export_errors(path: Path) -> Iterator[None]:
    """A file write's StoreError with a message about *this* file, not the evidence store."""
    try:
        yield
    except DiskFullError as exc:
        raise ExportError(f"磁盘已满，无法写入“{path}”。", exc.detail, params=_at(path)) from exc
    except ReadOnlyStoreError as exc:
        raise ExportError(
            f"没有权限写入“{path}”，请换一个文件夹。", exc.detail, params=_at(path)
        ) from exc
    except StoreError as exc:
        raise ExportError(f"无法写入“{path}”。", exc.detail, params=_at(path)) from exc


def _at(path: Path) -> dict[str, object]:
    return {"path": str(path)}


def check_targets(*paths: Path | None) -> None:
    """Refuse before anything is numbered or written: a folder where a file should go."""
    for path in paths:
        if path is not None and Path(path).is_dir():
            raise ValidationError(f"“{path}”是一个文件夹，请写上文件名。", f"{path} is a dir")


def _exports(board: Dashboard, csv_path: Path | None, xlsx_path: Path | None) -> None:
    tables = bulletin_tables(board)
    if csv_path:
        write_csv(tables, csv_path)
    if xlsx_path:
        write_xlsx(tables, xlsx_path)


# Issuing ------------------------------------------------------------------------------------------
def issue_local_bulletin(
    ctx: Any,
    board: Dashboard,
    out: Path,
    *,
    csv_path: Path | None = None,
    xlsx_path: Path | None = None,
    draft: bool = False,
) -> dict[str, Any]:
    """Render the bulletin of ``board``; unless ``draft``, number it and store it as issued."""
    from officer_app.services import numbering
    from officer_app.services.documents import DRAFT_MARK, issued_pdf_path, issuing_agency
    from officer_app.services.officers import require_officer
    from officer_app.store import ledger

    officer = require_officer(ctx)
    agency = issuing_agency(ctx)
    issued_on = ctx.clock().astimezone(CST).date()
    check_targets(out, csv_path, xlsx_path)
    _exports(board, csv_path, xlsx_path)
    if draft:
        r = _render(board, agency.name, issued_on, None, out, DRAFT_MARK)
        return {"number": None, "sha256": r["sha256"], "pages": r["pages"], "out": str(out)}
    key = (agency.code, BULLETIN_DOC_TYPE, issued_on.year)
    prefix = agency.short_name + BULLETIN_DOC_TYPE
    guess = numbering.peek_serial(ctx.store, *key)
    r = _render(
        board, agency.name, issued_on, format_doc_number(prefix, issued_on.year, guess), None, None
    )
    now, doc_id = ctx.now_iso(), str(uuid.uuid4())
    with ctx.store.transaction() as db:
        serial = numbering.take_serial(ctx.store, *key, now=now)
        number = format_doc_number(prefix, issued_on.year, serial)
        if serial != guess:
            r = _render(board, agency.name, issued_on, number, None, None)
        pdf = issued_pdf_path(ctx, r["sha256"])
        pdf.parent.mkdir(parents=True, exist_ok=True)
        if not pdf.is_file():
            write_bytes_atomic(pdf, r["data"], claim=True)
        summary = board.to_json()
        db["documents"].insert(
            {
                "id": doc_id,
                "form_id": BULLETIN_FORM_ID,
                "status": "issued",
                "number": number,
                "title": title_for(board),
                "fields": json.dumps(summary, ensure_ascii=False, sort_keys=True),
                "agency_code": agency.code,
                "doc_type": BULLETIN_DOC_TYPE,
                "year": issued_on.year,
                "serial": serial,
                "pdf_sha256": r["sha256"],
                "font_sha256": r["font_sha256"],
                "content_sha256": hashlib.sha256(
                    json.dumps(summary, ensure_ascii=False, sort_keys=True).encode()
                ).hexdigest(),
                "pages": r["pages"],
                "issued_at": now,
                "training": 0,
                "created_by": officer.id,
                "created_at": now,
                "updated_at": now,
            }
        )
        ledger.append(
            ctx.store,
            "document_issued",
            doc_id,
            {"form_id": BULLETIN_FORM_ID, "number": number, "pdf_sha256": r["sha256"]},
            officer_id=officer.id,
        )
    try:  # the officer's copy, byte-identical to the stored one
        _write_out(out, r["data"])
    except ExportError as exc:
        raise ExportError(
            f"通报已签发为{number}并已存档，但{exc.message_zh}可在“文书”页另存为PDF。",
            exc.detail,
            code="bulletin_copy_failed",
            params={**exc.params, "number": number},
        ) from exc
    return {
        "id": doc_id,
        "number": number,
        "sha256": r["sha256"],
        "pages": r["pages"],
        "out": str(out),
    }


def platform_bulletin(
    data_root: Path,
    period: Any,
    cluster: str | None,
    out: Path,
    *,
    agency: str | None = None,
    csv_path: Path | None = None,
    xlsx_path: Path | None = None,
    as_of: dt.datetime | None = None,
    training: bool = False,
    db_url: str | None = None,
) -> tuple[Dashboard, dict[str, Any]]:
    """The cluster-wide bulletin from the platform's store (SQLite in the data dir, or the
    PostgreSQL database of ``db_url`` / ``$OFFICER_APP_PLATFORM_DB``), numbered from its serial
    blocks. Without ``cluster``, the bulletin of ``agency`` alone: the platform holds what every
    laptop of the agency pushed, where one laptop holds only its own records."""
    from officer_app.domain.stats_rules import compute, district
    from officer_app.platform.db import Database, PlatformPaths, opened, transaction
    from officer_app.platform.schema import SQLITE
    from officer_app.platform.stats_counted import load_platform_counted
    from officer_app.platform.stats_rows import agency_map, cluster_members, code_names
    from officer_app.services import custody_anchor
    from officer_app.services.calendars import load_calendar

    if not cluster and not agency:
        raise UsageError("请指定协作片区（--cluster）或执法机关（--agency）。", "no scope")
    members = cluster_members(cluster) if cluster else [district(str(agency))]
    paths = PlatformPaths(Path(data_root))
    database = Database.for_platform(paths, db_url)
    if database.dialect == SQLITE and not paths.db_path.is_file():
        raise UsageError(f"平台数据目录中没有数据库：{paths.db_path}", "no platform database")
    _, _, agencies = code_names()
    issuer_code = agency or members[0]
    issuer = agencies.get(issuer_code)
    if issuer is None:
        raise LookupError(f"未知的执法机关代码：{issuer_code}")
    with database, opened(database) as conn:
        moment = as_of or dt.datetime.now(dt.UTC)
        # The drill-down may read after this block closed the pool: a connection of its own.
        target = database.url or database.path
        assert target is not None
        calendar = load_calendar()
        rows, counted = load_platform_counted(
            conn,
            lambda: opened(target),
            period,
            members,
            as_of=moment,
            calendar=calendar,
            training=training,
        )
        board = compute(
            rows,
            period,
            viewpoint=members,
            calendar=calendar,
            as_of=moment,
            scope_name=f"{cluster}片区各成员单位" if cluster else issuer["name"],
            counted=counted,
        )
        board.map_codes = list(members) if cluster else agency_map(members[0])
        issued_on = board.as_of.astimezone(CST).date()
        check_targets(out, csv_path, xlsx_path)
        _exports(board, csv_path, xlsx_path)
        prefix, year = issuer["short_name"] + BULLETIN_DOC_TYPE, issued_on.year
        # Rendered before the number is taken (a font problem must not burn a number), and
        # written out only after: no PDF carries a number the platform did not record.
        guess = _platform_top(conn, issuer_code, year) + 1
        anchor = custody_anchor.Anchor(custody_anchor.signed_head(paths, conn))
        r = _render(
            board,
            issuer["name"],
            issued_on,
            format_doc_number(prefix, year, guess),
            None,
            None,
            anchor,
        )
        # The PDF is written inside the numbering transaction and takes its name after the
        # commit: a full disk gives the number back, a failed commit leaves no numbered PDF.
        with _export_errors(out), staged_write(out) as write_pdf, transaction(conn):
            serial = _platform_serial(conn, issuer_code, year)
            number = format_doc_number(prefix, year, serial)
            if serial != guess:
                r = _render(board, issuer["name"], issued_on, number, None, None, anchor)
            write_pdf(r["data"])
    return board, {
        "number": number,
        "sha256": r["sha256"],
        "pages": r["pages"],
        "out": str(out),
        "witness": anchor.json(),
    }


def _platform_top(conn: Connection, agency: str, year: int) -> int:
    top = conn.execute(
        "SELECT max(last) FROM serial_blocks WHERE agency = ? AND doc_type = ? AND year = ?",
        [agency, BULLETIN_DOC_TYPE, year],
    ).fetchone()[0]
    return int(top or 0)


def _platform_serial(conn: Connection, agency: str, year: int) -> int:
    """A one-serial block in the platform's table: never overlaps what laptops were given."""
    serial = _platform_top(conn, agency, year) + 1
    conn.execute(
        "INSERT INTO serial_blocks (request_id, agency, doc_type, year, first, last, token_id,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, 'platform-bulletin', ?)",
        [
            f"bulletin-{uuid.uuid4()}",
            agency,
            BULLETIN_DOC_TYPE,
            year,
            serial,
            serial,
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        ],
    )
    return serial
