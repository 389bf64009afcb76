"""The officers present at an inspection or a patrol, as a record lists them.

One agency per line, each officer with the number of the certificate shown (行政处罚法 §42, §55)::

    上海市青浦区城市管理行政执法局金泽镇中队：陈立群（执法证号31011820318）、周海峰（执法证号31011820441）
    苏州市吴江区综合行政执法局黎里镇执法中队：沈建明（执法证号32050921107）

The text is what the officer edits and what prints; parsing it is how a record counts the officers
(at least two) and finds every agency that must sign. ``（32050921107）`` without the words
执法证号 and ``沈建明 32050921107`` are read too, so older drafts and hand-typed lines still count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: 行政处罚法 §42: 执法人员不得少于两人.
MIN_OFFICERS = 2
NO_OFFICERS_MARK = "（未登记人员）"

_AGENCY_SPLIT = re.compile(r"^(?P<agency>[^：:（(]+?)\s*[：:]\s*(?P<rest>.*)$")
_ENTRY_PAREN = re.compile(
    r"^(?P<name>[^（()）\s][^（()）]*?)\s*[（(]\s*(?:执法证号\s*[:：]?\s*)?"
    r"(?P<badge>[A-Za-z0-9\-]+)\s*[）)]$"
)
_ENTRY_SPACE = re.compile(r"^(?P<name>\S+)\s+(?:执法证号\s*[:：]?\s*)?(?P<badge>[A-Za-z0-9\-]+)$")
_SEPARATORS = re.compile(r"[、，,；;]")


@dataclass(frozen=True)
class OfficerPresent:
    name: str
    badge: str  # 执法证号
    agency: str = ""  # 执法机关（中队）; blank when the line names none

    def display(self) -> str:
        return f"{self.name}（执法证号{self.badge}）"


def parse_lines(text: str) -> list[tuple[str, list[OfficerPresent]]]:
    """``(agency, officers)`` per non-empty line (an agency may have none registered yet);
    ``ValueError`` (reason in Chinese) for an entry without a certificate number or a number
    listed twice."""
    out: list[tuple[str, list[OfficerPresent]]] = []
    seen: set[str] = set()
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        agency, rest = "", line
        split = _AGENCY_SPLIT.match(line)
        if split and "执法证号" not in split.group("agency"):
            agency, rest = split.group("agency").strip(), split.group("rest")
        group: list[OfficerPresent] = []
        for entry in _SEPARATORS.split(rest):
            entry = entry.strip()
            if not entry or entry == NO_OFFICERS_MARK:
                continue
            match = _ENTRY_PAREN.match(entry) or _ENTRY_SPACE.match(entry)
            if not match:
                raise ValueError(f"“{entry}”没有写明执法证号，应写作：姓名（执法证号…）")
            officer = OfficerPresent(match.group("name").strip(), match.group("badge"), agency)
            if officer.badge in seen:
                raise ValueError(f"执法证号{officer.badge}重复出现")
            seen.add(officer.badge)
            group.append(officer)
        if group or agency:
            out.append((agency, group))
    return out


def parse_officers(text: str) -> list[OfficerPresent]:
    """Every officer in ``text`` (see :func:`parse_lines` for the errors)."""
    return [o for _, group in parse_lines(text) for o in group]


def agencies_of(officers: list[OfficerPresent]) -> list[tuple[str, list[OfficerPresent]]]:
    """The officers grouped by agency, agencies in order of first appearance."""
    groups: dict[str, list[OfficerPresent]] = {}
    for o in officers:
        groups.setdefault(o.agency, []).append(o)
    return list(groups.items())


def format_lines(lines: list[tuple[str, list[OfficerPresent]]]) -> str:
    """The canonical text: one line per agency, ``机关：姓名（执法证号…）、…``."""
    out = []
    for agency, group in lines:
        names = "、".join(o.display() for o in group) or NO_OFFICERS_MARK
        out.append(f"{agency}：{names}" if agency else names)
    return "\n".join(out)


def format_officers(officers: list[OfficerPresent]) -> str:
    """Officers one agency per line (agencies in order of first appearance)."""
    return format_lines(agencies_of(officers))


def too_few_message(officers: list[OfficerPresent], where: str) -> str:
    """The §42 wording, for a refusal (a 笔录) or a warning (elsewhere); ``where``: the field."""
    listed = "、".join(o.display() for o in officers) or "无"
    return (
        "执法人员不得少于两人（《中华人民共和国行政处罚法》第四十二条），"
        f"“{where}”中现只登记了{len(officers)}名：{listed}"
    )
