"""统计 figures against a hand-worked dataset (tests/stats_dataset.py), plus the edge cases."""

from __future__ import annotations

import datetime as dt

import pytest

from officer_app.domain.calendar import add_working_days
from officer_app.services import stats
from officer_app.services.calendars import load_calendar
from tests import stats_dataset as ds

Q3 = stats.parse_quarter("2026Q3")


@pytest.fixture
def known(ctx):
    ids = ds.build_known(ctx.store)
    return ctx, ids


def _board(ctx, period=Q3, as_of=ds.AS_OF):
    return stats.dashboard(ctx, period, agency=ds.OWN, as_of=as_of)


def test_quarter_parsing() -> None:
    assert (Q3.start, Q3.end, Q3.text) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 30),
        "2026年第三季度",
    )
    q4 = stats.parse_quarter("2026q4")
    assert (q4.start, q4.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValueError):
        stats.parse_quarter("2026Q5")


def test_every_figure_matches_the_hand_count(known) -> None:
    ctx, _ids = known
    b = _board(ctx)
    exp = ds.EXPECTED
    f = b.figures
    assert f["patrols"].value == exp["patrols"]
    assert {x.label: x.value for x in b.patrols_by_type} == exp["patrols_by_type"]
    assert f["officer_hours"].value == pytest.approx(exp["officer_hours"])
    assert f["cases"].value == exp["cases"]
    assert {x.label: x.value for x in b.cases_by_type} == exp["cases_by_type"]
    assert {x.label: x.value for x in b.cases_by_jurisdiction} == exp["cases_by_jurisdiction"]
    assert f["transfers_sent"].value == exp["transfers_sent"]
    assert f["transfers_received"].value == exp["transfers_received"]
    assert (f["receipt_on_time"].numerator, f["receipt_on_time"].denominator) == exp[
        "receipt_on_time"
    ]
    assert f["receipt_on_time"].value == pytest.approx(50.0)
    assert (f["feedback_on_time"].numerator, f["feedback_on_time"].denominator) == exp[
        "feedback_on_time"
    ]
    assert f["open"].value == exp["open"]
    assert f["overdue"].value == exp["overdue"]
    assert f["mean_receipt_days"].value == pytest.approx(exp["mean_receipt_days"])
    assert f["mean_feedback_days"].value == pytest.approx(exp["mean_feedback_days"])
    months = {
        m.month: (m.patrols, m.cases, m.transfers_sent, m.transfers_received) for m in b.months
    }
    assert months == exp["months"]


def test_drill_down_ids_are_the_records(known) -> None:
    ctx, ids = known
    b = _board(ctx)
    assert set(b.figures["patrols"].ids) == {ids["P1"], ids["P2"], ids["P3"]}
    assert set(b.figures["officer_hours"].ids) == {ids["P1"], ids["P2"]}
    assert set(b.figures["cases"].ids) == set(ids["C"])
    assert set(b.figures["transfers_sent"].ids) == {ids["T1"], ids["T2"], ids["T3"]}
    assert set(b.figures["transfers_received"].ids) == {ids["T4"], ids["T5"], ids["T9"]}
    assert set(b.figures["open"].ids) == {ids["T2"], ids["T4"], ids["T6"], ids["T9"]}
    assert set(b.figures["overdue"].ids) == {ids["T4"], ids["T6"], ids["T9"]}
    assert set(b.figure("cases_by_jurisdiction:330421").ids) == set(ids["C"][3:])


def test_working_day_deadline_across_national_day_and_makeup_saturday() -> None:
    cal = load_calendar()
    # Tue 29 Sep 2026: 30 Sep, then 1-7 Oct off, 8, 9, Sat 10 Oct (调休 working day), 12, 13, 14.
    assert add_working_days(dt.date(2026, 9, 29), 7, cal) == dt.date(2026, 10, 14)
    rules = stats.DeadlineRules()
    sent = dt.datetime(2026, 9, 29, 9, tzinfo=ds.CST)
    assert rules.receipt_due(sent, cal) == dt.date(2026, 10, 14)


def test_receipt_on_due_day_is_on_time_a_day_later_is_late(known) -> None:
    ctx, ids = known
    b = _board(ctx)
    decided = set(b.figures["receipt_on_time"].ids)
    assert {ids["T2"], ids["T3"]} <= decided
    # T2 receipted 14 Oct (due day) on time, T3 on 15 Oct late: 3 on time = T1, T2, T5.
    assert b.figures["receipt_on_time"].numerator == 3
    assert b.transfer_states[ids["T2"]].receipt_due == dt.date(2026, 10, 14)


def test_transfer_crossing_the_quarter_counts_where_it_was_sent(known) -> None:
    ctx, ids = known
    q4 = _board(ctx, stats.parse_quarter("2026Q4"))
    # T2/T3 (sent 29 Sep, receipted in October) are not fourth-quarter transfers...
    assert ids["T2"] not in q4.figures["transfers_sent"].ids
    assert q4.figures["transfers_sent"].value == 1  # ...the one sent on 2 October is
    # ...but T2 still awaits feedback, so it stays on the Q4 open list.
    assert ids["T2"] in q4.figures["open"].ids


def test_as_of_before_the_receipt_ignores_it(known) -> None:
    ctx, ids = known
    early = dt.datetime(2026, 10, 12, 12, tzinfo=ds.CST)
    b = _board(ctx, as_of=early)
    st = b.transfer_states[ids["T2"]]
    assert st.open_state == stats.OPEN_RECEIPT and not st.overdue  # due 14 Oct, not yet
    assert ids["T2"] not in b.figures["receipt_on_time"].ids  # pending, not decided


def test_empty_quarter(known) -> None:
    ctx, _ = known
    b = _board(ctx, stats.parse_quarter("2025Q1"))
    for key in ("patrols", "cases", "transfers_sent", "transfers_received", "open"):
        assert b.figures[key].value == 0
    assert b.figures["receipt_on_time"].value is None
    assert b.figures["receipt_on_time"].display == "—"
    assert b.figures["mean_receipt_days"].value is None
    assert [m.month for m in b.months] == ["2025-01", "2025-02", "2025-03"]


def test_empty_store(ctx) -> None:
    from officer_app.services.officers import add_or_select_officer

    add_or_select_officer(ctx, "张伟", "31011800123", "310118")
    b = stats.dashboard(ctx, Q3, as_of=ds.AS_OF)
    assert b.figures["cases"].value == 0 and b.scope_name.startswith("上海市青浦区")


def test_custom_period(known) -> None:
    ctx, _ids = known
    b = _board(ctx, stats.Period(dt.date(2026, 7, 1), dt.date(2026, 7, 31)))
    assert b.figures["cases"].value == 2 and b.figures["patrols"].value == 1
    assert b.period.text == "2026年7月1日至2026年7月31日"
