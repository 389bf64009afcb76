"""Joint-patrol rules with no I/O: the status machine and the composition warnings.

Kept apart from the services so the rules can be read, and tested, without a store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PATROL_TYPES = ("陆路巡查", "水路巡查", "共同管辖区域巡查", "重大活动保障", "其他")
PLANNED, IN_PROGRESS, CLOSED = "planned", "in_progress", "closed"
STATUSES = (PLANNED, IN_PROGRESS, CLOSED)
STATUS_NAMES = {PLANNED: "计划中", IN_PROGRESS: "进行中", CLOSED: "已结束"}

#: The only legal steps: planned → in progress → closed.
TRANSITIONS = {(PLANNED, IN_PROGRESS), (IN_PROGRESS, CLOSED)}

#: Fields an amendment may correct (scalar columns of ``patrols``).
AMENDABLE_FIELDS = (
    "type",
    "cluster",
    "title",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "area",
    "route",
    "notes",
    "findings",
)
TIME_FIELDS = ("planned_start", "planned_end", "actual_start", "actual_end")
FIELD_NAMES = {
    "type": "巡查类型",
    "cluster": "协作片区",
    "title": "标题",
    "planned_start": "计划开始时间",
    "planned_end": "计划结束时间",
    "actual_start": "实际开始时间",
    "actual_end": "实际结束时间",
    "area": "巡查区域",
    "route": "巡查路线",
    "notes": "备注",
    "findings": "发现问题",
}

MIN_CERTIFIED_OFFICERS = 2  # 行政处罚法 §42


def transition_refusal(current: str, target: str) -> str | None:
    """Why ``current → target`` is not allowed (Chinese, for the officer), or None if it is."""
    if (current, target) in TRANSITIONS:
        return None
    if current == CLOSED:
        return "巡查已结束，状态不能再改变；如需更正，请提交更正记录。"
    if current == target:
        return f"巡查已处于“{STATUS_NAMES.get(current, current)}”状态。"
    if current == PLANNED and target == CLOSED:
        return "计划中的巡查尚未开始，不能直接结束；请先开始巡查。"
    if current == IN_PROGRESS and target == PLANNED:
        return "巡查已经开始，不能退回到计划状态。"
    return f"不允许的状态变更：{STATUS_NAMES.get(current, current)} → {STATUS_NAMES.get(target, target)}。"


@dataclass(frozen=True)
class OfficerEntry:
    agency_code: str
    name: str
    badge: str  # 执法证号; empty = not certified / not known


def composition_warnings(
    agency_provinces: dict[str, str], officers: Iterable[OfficerEntry]
) -> list[str]:
    """What the officer must be told about who takes part (warnings, not refusals).

    ``agency_provinces`` maps each participating agency code to its province.
    """
    warnings: list[str] = []
    provinces = set(agency_provinces.values())
    if len(agency_provinces) == 0:
        warnings.append("尚未选择参加单位。")
    elif len(provinces) == 1:
        warnings.append(
            f"所有参加单位均来自{next(iter(provinces))}，这不是跨省联合巡查；请确认是否漏选了毗邻省市的单位。"
        )
    certified = {
        (o.agency_code, o.badge.strip()) for o in officers if o.name.strip() and o.badge.strip()
    }
    if len(certified) < MIN_CERTIFIED_OFFICERS:
        warnings.append(
            f"持有执法证的执法人员只有 {len(certified)} 名：实施执法行为须至少两名持证执法人员"
            "（《行政处罚法》第四十二条）。"
        )
    return warnings
