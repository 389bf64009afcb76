"""Joint patrols as a service: status machine, warnings, read-only when closed, amendments with
ledger + outbox, stale-version conflicts, recent partners, and the list's SQL filters and sorts."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from officer_app.domain.patrol import STATUSES, transition_refusal
from officer_app.errors import ConflictError, StateError, ValidationError
from officer_app.services import patrol_query as q
from officer_app.services import patrols
from officer_app.services.context import AppContext
from officer_app.services.patrols import PatrolDraft, PatrolOfficer

CST = dt.timezone(dt.timedelta(hours=8))
DAY = dt.datetime(2026, 11, 20, 9, 0, tzinfo=CST)
TWO_PROVINCES = ["310118", "320509"]
CERTIFIED = [
    PatrolOfficer("310118", "陈立群", "31011820318"),
    PatrolOfficer("320509", "沈建明", "32050921107"),
]


def draft(**overrides: object) -> PatrolDraft:
    values: dict[str, object] = {
        "patrol_type": "陆路巡查",
        "planned_start": DAY,
        "planned_end": DAY + dt.timedelta(hours=3),
        "agencies": list(TWO_PROVINCES),
        "officers": list(CERTIFIED),
        "cluster": "青嘉吴",
        "title": "汾湖联合巡查",
        "area": "汾湖周边",
    }
    values.update(overrides)
    return PatrolDraft(**values)  # type: ignore[arg-type]


def closed_patrol(ctx: AppContext) -> str:
    saved = patrols.create_patrol(ctx, draft())
    patrols.start_patrol(ctx, saved.patrol_id, at=DAY)
    patrols.close_patrol(ctx, saved.patrol_id, at=DAY + dt.timedelta(hours=2))
    return saved.patrol_id


# Status machine -------------------------------------------------------------------------------
def test_only_planned_to_in_progress_to_closed_is_allowed() -> None:
    allowed = {(a, b) for a in STATUSES for b in STATUSES if transition_refusal(a, b) is None}
    assert allowed == {("planned", "in_progress"), ("in_progress", "closed")}
    for a in STATUSES:
        for b in STATUSES:
            reason = transition_refusal(a, b)
            assert reason is None or any("\u4e00" <= ch <= "\u9fff" for ch in reason)


def test_every_illegal_step_is_refused_in_the_store(officer_ctx: AppContext) -> None:
    pid = patrols.create_patrol(officer_ctx, draft()).patrol_id
    with pytest.raises(StateError, match="先开始"):
        patrols.close_patrol(officer_ctx, pid)
    patrols.start_patrol(officer_ctx, pid, at=DAY)
    with pytest.raises(StateError, match="已处于"):
        patrols.start_patrol(officer_ctx, pid)
    patrols.close_patrol(officer_ctx, pid, at=DAY + dt.timedelta(hours=1))
    for step in (patrols.start_patrol, patrols.close_patrol):
        with pytest.raises(StateError, match="已结束"):
            step(officer_ctx, pid)
    row = patrols.get_patrol(officer_ctx, pid)
    assert row["status"] == "closed" and row["version"] == 3
    kinds = [
        r[0]
        for r in officer_ctx.store.execute(
            "SELECT kind FROM ledger WHERE entity_id = ? ORDER BY seq", [pid]
        )
    ]
    assert kinds == ["patrol_recorded", "patrol_started", "patrol_closed"]


def test_close_before_actual_start_is_refused(officer_ctx: AppContext) -> None:
    pid = patrols.create_patrol(officer_ctx, draft()).patrol_id
    patrols.start_patrol(officer_ctx, pid, at=DAY)
    with pytest.raises(ValidationError, match="结束时间应晚于"):
        patrols.close_patrol(officer_ctx, pid, at=DAY - dt.timedelta(minutes=5))
    assert patrols.get_patrol(officer_ctx, pid)["status"] == "in_progress"


# Warnings ------------------------------------------------------------------------------------
def test_all_agencies_from_one_province_is_a_warning(officer_ctx: AppContext) -> None:
    saved = patrols.create_patrol(
        officer_ctx,
        draft(
            agencies=["310118", "310114"],
            officers=[PatrolOfficer("310118", "甲", "1"), PatrolOfficer("310114", "乙", "2")],
        ),
    )
    assert any("均来自上海市" in w for w in saved.warnings)
    assert not any("两名" in w for w in saved.warnings)
    assert patrols.get_patrol(officer_ctx, saved.patrol_id)["warnings"] == saved.warnings
    assert patrols.create_patrol(officer_ctx, draft()).warnings == []


def test_fewer_than_two_certified_officers_is_a_warning(officer_ctx: AppContext) -> None:
    uncertified = [PatrolOfficer("310118", "甲", "31011800001"), PatrolOfficer("320509", "乙", "")]
    saved = patrols.create_patrol(officer_ctx, draft(officers=uncertified))
    assert any("至少两名持证执法人员" in w and "只有 1 名" in w for w in saved.warnings)


def test_officer_of_an_agency_not_taking_part_is_refused(officer_ctx: AppContext) -> None:
    with pytest.raises(ValidationError, match="不在参加单位"):
        patrols.create_patrol(officer_ctx, draft(officers=[PatrolOfficer("330421", "钱", "1")]))


# Closed = read-only; amendments --------------------------------------------------------------
def test_closed_patrol_cannot_be_edited(officer_ctx: AppContext) -> None:
    pid = closed_patrol(officer_ctx)
    version = patrols.get_patrol(officer_ctx, pid)["version"]
    with pytest.raises(StateError, match="只读"):
        patrols.update_patrol(officer_ctx, pid, draft(title="改"), expected_version=version)
    assert patrols.get_patrol(officer_ctx, pid)["title"] == "汾湖联合巡查"


def test_amendment_is_recorded_with_ledger_and_outbox(officer_ctx: AppContext) -> None:
    pid = closed_patrol(officer_ctx)
    before = patrols.get_patrol(officer_ctx, pid)
    outbox_before = officer_ctx.store.scalar("SELECT COUNT(*) FROM outbox")
    amendment = patrols.amend_patrol(
        officer_ctx,
        pid,
        "area",
        "汾湖南岸",
        reason="区域记录有误",
        expected_version=before["version"],
    )
    after = patrols.get_patrol(officer_ctx, pid)
    assert after["area"] == "汾湖南岸" and after["version"] == before["version"] + 1
    assert after["status"] == "closed"
    [stored] = after["amendments"]
    assert (stored["field"], stored["old_value"], stored["new_value"], stored["reason"]) == (
        "area",
        "汾湖周边",
        "汾湖南岸",
        "区域记录有误",
    )
    assert stored["officer_name"] == "张伟"
    entry = officer_ctx.store.query("SELECT kind, payload FROM ledger ORDER BY seq DESC LIMIT 1")[0]
    assert entry["kind"] == "patrol_amended"
    assert json.loads(entry["payload"])["id"] == amendment["id"]
    out = officer_ctx.store.query(
        "SELECT entity, entity_id, op, payload FROM outbox ORDER BY seq DESC LIMIT 1"
    )[0]
    assert (out["entity"], out["entity_id"], out["op"]) == (
        "patrol_amendment",
        amendment["id"],
        "create",
    )
    assert json.loads(out["payload"])["new_value"] == "汾湖南岸"
    assert officer_ctx.store.scalar("SELECT COUNT(*) FROM outbox") == outbox_before + 1
    # the free-text index follows the amendment
    assert [p["id"] for p in q.list_patrols(officer_ctx, q.PatrolFilter(text="南岸"))] == [pid]


def test_failed_amendment_leaves_no_trace(officer_ctx: AppContext) -> None:
    pid = closed_patrol(officer_ctx)
    counts = [
        officer_ctx.store.scalar(f"SELECT COUNT(*) FROM {t}")
        for t in ("ledger", "outbox", "patrol_amendments")
    ]
    with pytest.raises(ValidationError, match="结束时间应晚于"):
        patrols.amend_patrol(officer_ctx, pid, "actual_end", "2026-11-20T08:00+08:00", reason="x")
    with pytest.raises(ValidationError, match="理由"):
        patrols.amend_patrol(officer_ctx, pid, "area", "y", reason="  ")
    with pytest.raises(ValidationError, match="不能更正的字段"):
        patrols.amend_patrol(officer_ctx, pid, "status", "planned", reason="x")
    assert counts == [
        officer_ctx.store.scalar(f"SELECT COUNT(*) FROM {t}")
        for t in ("ledger", "outbox", "patrol_amendments")
    ]


def test_amending_a_time_moves_the_utc_window(officer_ctx: AppContext) -> None:
    pid = closed_patrol(officer_ctx)
    patrols.amend_patrol(officer_ctx, pid, "actual_start", "2026-11-20 08:30", reason="补记")
    row = officer_ctx.store.query(
        "SELECT actual_start, start_utc FROM patrols WHERE id = ?", [pid]
    )[0]
    assert row["actual_start"] == "2026-11-20T08:30:00+08:00"
    assert row["start_utc"] == "2026-11-20T00:30:00.000000Z"


def test_two_windows_amending_from_the_same_version_conflict(officer_ctx: AppContext) -> None:
    pid = closed_patrol(officer_ctx)
    stale = patrols.get_patrol(officer_ctx, pid)["version"]
    patrols.amend_patrol(officer_ctx, pid, "area", "窗口一", reason="一", expected_version=stale)
    with pytest.raises(ConflictError, match="其他窗口") as caught:
        patrols.amend_patrol(
            officer_ctx, pid, "findings", "窗口二", reason="二", expected_version=stale
        )
    assert "未保存" in caught.value.message_zh
    row = patrols.get_patrol(officer_ctx, pid)
    assert row["area"] == "窗口一" and row["findings"] == ""
    assert len(row["amendments"]) == 1
    # the second window, now on the current version, succeeds: nothing is lost
    patrols.amend_patrol(
        officer_ctx, pid, "findings", "窗口二", reason="二", expected_version=row["version"]
    )
    assert patrols.get_patrol(officer_ctx, pid)["findings"] == "窗口二"


def test_stale_status_step_conflicts(officer_ctx: AppContext) -> None:
    pid = patrols.create_patrol(officer_ctx, draft()).patrol_id
    patrols.update_patrol(officer_ctx, pid, draft(title="新标题"), expected_version=1)
    with pytest.raises(ConflictError):
        patrols.start_patrol(officer_ctx, pid, expected_version=1)
    assert patrols.get_patrol(officer_ctx, pid)["status"] == "planned"


# Recent partners -----------------------------------------------------------------------------
def test_recent_partners_come_most_recent_first(officer_ctx: AppContext) -> None:
    patrols.create_patrol(
        officer_ctx,
        draft(
            agencies=["310114", "320583"],
            officers=[PatrolOfficer("320583", "老周", "32058300001")],
            planned_start=DAY - dt.timedelta(days=30),
            planned_end=DAY - dt.timedelta(days=30, hours=-2),
        ),
    )
    patrols.create_patrol(
        officer_ctx,
        draft(
            agencies=["310118", "330421"],
            officers=[PatrolOfficer("330421", "钱志强", "33042110582")],
            planned_start=DAY,
            planned_end=DAY + dt.timedelta(hours=2),
        ),
    )
    patrols.create_patrol(
        officer_ctx,
        draft(
            agencies=["310118", "320509"],
            officers=[PatrolOfficer("320509", "沈建明", "32050921107")],
            planned_start=DAY - dt.timedelta(days=10),
            planned_end=DAY - dt.timedelta(days=10, hours=-2),
        ),
    )
    codes = [a["code"] for a in patrols.recent_agencies(officer_ctx)]
    assert codes[:2] == ["310118", "330421"]
    assert codes.index("320509") < codes.index("310114") and codes[-2:] == ["310114", "320583"]
    names = [o["name"] for o in patrols.recent_officers(officer_ctx)]
    assert names == ["钱志强", "沈建明", "老周"]
    assert [o["name"] for o in patrols.recent_officers(officer_ctx, "320583")] == ["老周"]


# List: filters and sorts against a Python oracle ---------------------------------------------
@pytest.fixture
def dataset(officer_ctx: AppContext) -> list[dict[str, object]]:
    rng = random.Random(42)
    combos = [
        (["310118", "320509", "330421"], "青嘉吴"),
        (["310114", "320583"], "嘉昆太"),
        (["310116", "310113"], None),
    ]
    made = []
    for i in range(60):
        agencies, cluster = combos[i % 3]
        start = DAY + dt.timedelta(days=rng.randrange(-100, 100), minutes=rng.randrange(600))
        saved = patrols.create_patrol(
            officer_ctx,
            draft(
                patrol_type=patrols.PATROL_TYPES[i % 5],
                cluster=cluster,
                agencies=agencies,
                officers=[],
                planned_start=start,
                planned_end=start + dt.timedelta(hours=2),
                title=f"巡查{i:02d}" + ("渣土" if i % 4 == 0 else ""),
                notes="Dock" if i % 7 == 0 else "",
            ),
        )
        if i % 3 != 1:
            patrols.start_patrol(officer_ctx, saved.patrol_id, at=start)
            if i % 2:
                patrols.close_patrol(officer_ctx, saved.patrol_id, at=start + dt.timedelta(hours=1))
        made.append(patrols.get_patrol(officer_ctx, saved.patrol_id))
    return made


def _utc(p: dict[str, object]) -> str:
    return str(p["start_utc"])


@pytest.mark.parametrize(
    ("flt", "oracle"),
    [
        (q.PatrolFilter(), lambda p: True),
        (q.PatrolFilter(cluster="嘉昆太"), lambda p: p["cluster"] == "嘉昆太"),
        (q.PatrolFilter(patrol_type="水路巡查"), lambda p: p["type"] == "水路巡查"),
        (q.PatrolFilter(status="closed"), lambda p: p["status"] == "closed"),
        (q.PatrolFilter(agency="320509"), lambda p: "320509" in [a["code"] for a in p["agencies"]]),  # type: ignore[index]
        (q.PatrolFilter(text="渣土"), lambda p: "渣土" in str(p["title"])),
        (q.PatrolFilter(text="dock"), lambda p: p["notes"] == "Dock"),
        (
            q.PatrolFilter(
                date_from="2026-11-01T00:00:00.000000Z", date_to="2026-12-01T00:00:00.000000Z"
            ),
            lambda p: "2026-11-01" <= _utc(p) < "2026-12-01",
        ),
        (
            q.PatrolFilter(status="in_progress", agency="310118"),
            lambda p: p["status"] == "in_progress" and p["cluster"] == "青嘉吴",
        ),
    ],
)
def test_filters_match_a_python_oracle(officer_ctx: AppContext, dataset, flt, oracle) -> None:
    expected = {p["id"] for p in dataset if oracle(p)}
    got = [p["id"] for p in q.list_patrols(officer_ctx, flt)]
    assert set(got) == expected and len(got) == len(expected)
    assert q.count(officer_ctx, flt) == len(expected)


@pytest.mark.parametrize("sort", sorted(q.SORT_KEYS))
@pytest.mark.parametrize("descending", [False, True])
def test_sorts_match_a_python_oracle(
    officer_ctx: AppContext, dataset, sort: str, descending: bool
) -> None:
    column = {"start": "start_utc", "end": "end_utc"}.get(sort, sort)
    got = q.list_patrols(officer_ctx, sort=sort, descending=descending)
    keys = [patrols.get_patrol(officer_ctx, p["id"])[column] or "" for p in got]
    assert keys == sorted(keys, reverse=descending)
    assert len({p["id"] for p in got}) == len(dataset)


def test_list_rows_carry_agencies_and_counts(officer_ctx: AppContext) -> None:
    pid = patrols.create_patrol(officer_ctx, draft()).patrol_id
    [row] = q.list_patrols(officer_ctx)
    assert row["id"] == pid and row["officer_count"] == 2 and row["evidence_count"] == 0
    assert row["agencies"] == [
        {"code": "310118", "name": "上海市青浦区城市管理行政执法局"},
        {
            "code": "320509",
            "name": officer_ctx.store.scalar("SELECT name FROM agencies WHERE code = '320509'"),
        },
    ]
    assert row["start"] == DAY.isoformat()


def test_editing_agencies_updates_the_agency_filter(officer_ctx: AppContext) -> None:
    pid = patrols.create_patrol(officer_ctx, draft()).patrol_id
    patrols.update_patrol(
        officer_ctx, pid, draft(agencies=["310118", "330421"], officers=[]), expected_version=1
    )
    assert q.list_patrols(officer_ctx, q.PatrolFilter(agency="320509")) == []
    assert [p["id"] for p in q.list_patrols(officer_ctx, q.PatrolFilter(agency="330421"))] == [pid]


def test_patrol_choices_are_newest_first_and_labelled(officer_ctx: AppContext) -> None:
    """The pickers of the case editor, document page and evidence page ask this one question."""
    older = patrols.create_patrol(officer_ctx, draft(title="")).patrol_id
    newer = patrols.create_patrol(
        officer_ctx,
        draft(
            planned_start=DAY + dt.timedelta(days=1),
            planned_end=DAY + dt.timedelta(days=1, hours=2),
        ),
    ).patrol_id
    choices = q.patrol_choices(officer_ctx)
    assert [pid for pid, _ in choices] == [newer, older]
    assert choices[0][1] == "汾湖联合巡查"
    assert choices[1][1].startswith("陆路巡查 2026-11-20")  # no title: type and planned start
    assert q.patrol_choices(officer_ctx, limit=1) == choices[:1]
    assert q.key_of(officer_ctx, older) is not None
    assert q.key_of(officer_ctx, "no-such-patrol") is None
