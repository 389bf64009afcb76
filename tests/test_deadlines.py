"""Every printed period from one rule set (issue 14): §85 working days or calendar days rolled
forward past rest days, recomputed at issue, statutory holidays in a year the arrangement lacks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pypdf
import pytest

from officer_app.domain import deadlines
from officer_app.domain.calendar import HolidayCalendar, statutory_holidays
from officer_app.services.calendars import deadline, load_calendar
from tests.doc_fixtures import load_demo


def _at(day: str) -> Any:
    moment = dt.datetime.fromisoformat(f"{day}T10:00:00+08:00").astimezone(dt.UTC)
    return lambda: moment


@pytest.fixture
def demo(officer_ctx: Any) -> tuple[Any, str]:
    from officer_app.services import officers
    from officer_app.services.demo import DEMO_OFFICER

    case_id = load_demo(officer_ctx)
    officers.add_or_select_officer(officer_ctx, *DEMO_OFFICER)
    return officer_ctx, case_id


def test_the_issues_figures() -> None:
    # 协助期限: 10 calendar days from 17 September 2026 end on Sunday 27 September, a 中秋 rest day
    reply = deadline(dt.date(2026, 9, 17), deadlines.ASSISTANCE_REPLY)
    assert reply.due == dt.date(2026, 9, 28) and reply.warning == ""
    # 7 working days from 24 December 2026: 1 January 2027 is a holiday although 2027 is unknown
    receipt = deadline(dt.date(2026, 12, 24), deadlines.RECEIPT)
    assert receipt.due == dt.date(2027, 1, 5)
    assert receipt.unknown_years == (2027,) and "2027年的节假日调休安排尚未收录" in receipt.warning
    assert deadlines.RECEIPT.working and not deadlines.ASSISTANCE_REPLY.working


def test_statutory_holidays_of_a_year_the_calendar_does_not_hold() -> None:
    cal = load_calendar()
    assert 2027 not in cal.years
    rest = cal.statutory_rest_days(2027)
    # 除夕 to 初三 (春节 2027-02-06), 清明, 5/1-5/2, 端午, 中秋, 10/1-3, 元旦
    expected = {"2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08",
                "2027-04-05", "2027-05-01", "2027-05-02", "2027-06-09", "2027-09-15",
                "2027-10-01", "2027-10-02", "2027-10-03"}  # fmt: skip
    assert {d.isoformat() for d in rest} == expected
    assert not cal.is_working_day(dt.date(2027, 2, 8))  # Monday, 初三
    assert cal.is_working_day(dt.date(2027, 2, 9))
    # beyond the festival table only the fixed-date holidays are known
    far = cal.statutory_rest_days(2099)
    assert dt.date(2099, 10, 2) in far and len(far) == 6


def test_festival_table_agrees_with_every_published_arrangement() -> None:
    """Each statutory day the table derives lies within the State Council's own arrangement."""
    cal = load_calendar()
    assert cal.years  # 2025, 2026 at least
    for year in sorted(cal.years):
        days = statutory_holidays(year, cal.festivals)
        assert days is not None
        outside = sorted(d for d in days if d not in cal.holidays)
        assert outside == [], f"{year}: {outside}"


def test_a_calendar_without_festival_table_still_rests_on_fixed_holidays() -> None:
    bare = HolidayCalendar()
    assert not bare.is_working_day(dt.date(2030, 10, 1))  # a Tuesday
    assert bare.is_working_day(dt.date(2030, 10, 8))


def test_statistics_use_the_same_rules() -> None:
    from officer_app.services.stats import DeadlineRules

    rules, cal = DeadlineRules(), load_calendar()
    sent = dt.datetime(2026, 12, 24, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert rules.receipt_due(sent, cal) == deadline(sent.date(), deadlines.RECEIPT).due
    assert rules.receipt_due(sent, cal) == dt.date(2027, 1, 5)


def test_assistance_deadline_is_computed_at_issue_not_frozen_in_the_draft(
    demo: tuple[Any, str],
) -> None:
    from officer_app.services import documents

    ctx, case_id = demo
    ctx.clock = _at("2026-09-10")
    draft = documents.new_document(ctx, "assistance_request", case_id=case_id)
    assert draft["fields"]["deadline"] == ""  # filled when issued
    assert "deadline" not in {m["name"] for m in draft["missing"]}
    documents.set_fields(ctx, draft["id"], {"requests": "请协助查明车辆所有人。"})
    ctx.clock = _at("2026-09-17")
    issued = documents.issue_document(ctx, draft["id"])
    assert issued["fields"]["deadline"] == "2026-09-28"
    assert issued["deadline_warnings"] == []


def test_transfer_letter_prints_its_receipt_deadline_with_the_warning(
    demo: tuple[Any, str], tmp_path: Path
) -> None:
    from officer_app.services import catalogue, documents

    ctx, case_id = demo
    ctx.clock = _at("2026-12-24")
    draft = documents.new_document(ctx, "case_transfer", case_id=case_id)
    assert any("2027年" in w for w in draft["deadline_warnings"])  # the draft warns already
    catalogue.confirm_draft_basis(ctx, draft["id"])  # the officer checked the basis
    issued = documents.issue_document(ctx, draft["id"])
    assert issued["fields"]["receipt_due"] == "2027-01-05"
    assert "2027年的节假日调休安排尚未收录" in issued["deadline_warnings"][0]
    row = ctx.store.query("SELECT deadline FROM transfers WHERE document_id = ?", [issued["id"]])
    assert row == [{"deadline": "2027-01-05"}]  # what the letter prints is what is tracked
    pdf = tmp_path / "t.pdf"
    documents.render_to(ctx, issued["id"], pdf)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).replace("\n", "")
    assert "请于2027年1月5日前出具回执" in text
