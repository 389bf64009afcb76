"""The legal catalogue file (``resources/codes/violations.json``): checking it and wording it.

The file is data a deployment replaces with its current edition, so a mistake in it must be a clear
error naming the place in the file, never a half-loaded catalogue. Checking is hand-written rather
than a JSON-Schema library: the rules that matter (every type has every province, a confirmed
citation says where it was read, a municipal instrument lies inside its province) are cross-field
rules a schema states badly, and the messages go to an officer in Chinese.

Wording lives here too, so the letter, the case editor and ``catalogue list`` print a citation the
same way: ``《城市建筑垃圾管理规定》（建设部令第139号）第二十六条``, and an unconfirmed one with
:data:`UNCONFIRMED_MARK` when the caller asks for the mark.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

PROVINCES: dict[str, str] = {
    "310000": "上海市",
    "320000": "江苏省",
    "330000": "浙江省",
    "340000": "安徽省",
}
NATIONAL = "000000"
#: Printed after an unconfirmed citation in a draft. Lenticular brackets, not the 〔〕 of a 文号,
#: so the mark is never mistaken for (or by a check for) a document number.
UNCONFIRMED_MARK = "【待核实】"
ROLES = ("obligation", "penalty")
FORMAT = 2

_CODE = re.compile(r"^[A-Z]{2,6}-\d{2,3}$")
_DIVISION = re.compile(r"^\d{6}$")


class CatalogueFormatError(ValueError):
    """The file breaks the format; ``problems`` lists every place, in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems[:5]) + ("……" if len(problems) > 5 else ""))
        self.problems = problems


def province_of(division: str | None) -> str | None:
    """The GB/T 2260 province code of a division or agency code (``320509-ll`` → ``320000``)."""
    if not division or len(division) < 2 or not division[:2].isdigit():
        return None
    return division[:2] + "0000"


def scope_applies(scope: str, place: str | None, province: str) -> bool:
    """Whether an instrument of ``scope`` binds at ``place`` in ``province``.

    National and provincial instruments apply province-wide; a municipal one (``320500``) only at
    places of that city, and not at all when the place is unknown (the fallback to the recording
    agency's province says nothing about the city).
    """
    if scope in (NATIONAL, province):
        return True
    return bool(place and place[:4] == scope[:4])


def _amount(value: int) -> str:
    return f"{value}元"


def _range(pair: list[int | None]) -> str:
    low, high = pair
    if low is None:
        return f"{_amount(high)}以下" if high is not None else ""
    if high is None:
        return f"{_amount(low)}以上"
    return f"{_amount(low)}以上{_amount(high)}以下"


def fine_phrase(fine: Mapping[str, Any] | None) -> str:
    """A citation's fine as the penalty text words it (``对单位处…罚款，对个人处…罚款``)."""
    if not fine:
        return ""
    parts = []
    party = fine.get("party") or "单位"
    if fine.get("unit"):
        parts.append(f"对{party}处{_range(fine['unit'])}罚款")
    if fine.get("person"):
        parts.append(f"对个人处{_range(fine['person'])}罚款")
    if fine.get("any"):
        prefix = f"{fine['text']}，" if fine.get("text") else ""
        parts.append(f"{prefix}处{_range(fine['any'])}罚款")
    elif fine.get("text"):
        parts.append(fine["text"])
    return "，".join(parts)


def citation_text(cite: Mapping[str, Any], *, mark: bool = False) -> str:
    """``《title》第X条第Y款``; with ``mark``, unconfirmed ones end in :data:`UNCONFIRMED_MARK`."""
    text = f"{cite['title']}{cite.get('article') or ''}{cite.get('item') or ''}"
    if mark and not cite.get("confirmed"):
        text += UNCONFIRMED_MARK
    return text


def join_citations(cites: Iterable[Mapping[str, Any]], *, mark: bool = False) -> str:
    seen: list[str] = []
    for cite in cites:
        text = citation_text(cite, mark=mark)
        if text not in seen:
            seen.append(text)
    return "、".join(seen)


# Checking ---------------------------------------------------------------------------------------
def _check_range(where: str, value: Any, problems: list[str]) -> None:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(v is None or (isinstance(v, int) and v >= 0) for v in value)
        or value == [None, None]
    ):
        problems.append(f"{where}：罚款幅度应为 [下限, 上限]（元，整数，可有一端为 null）")
        return
    if value[0] is not None and value[1] is not None and value[0] > value[1]:
        problems.append(f"{where}：罚款下限大于上限")


def _check_citation(
    where: str,
    cite: Any,
    instruments: Mapping[str, Any],
    allowed_scopes: tuple[str, ...],
    problems: list[str],
) -> None:
    if not isinstance(cite, dict):
        problems.append(f"{where}：应为对象")
        return
    if cite.get("role") not in ROLES:
        problems.append(f"{where}：role 应为 obligation 或 penalty")
    ins = cite.get("instrument")
    if not isinstance(ins, str) or ins not in instruments:
        problems.append(f"{where}：未定义的法规 {ins!r}")
    else:
        scope = instruments[ins]["scope"]
        if not any(scope == s or (s != NATIONAL and scope[:2] == s[:2]) for s in allowed_scopes):
            problems.append(f"{where}：法规 {ins} 的适用范围 {scope} 不属于此处")
    for key in ("article", "item", "note", "read_in"):
        if key in cite and not isinstance(cite[key], str):
            problems.append(f"{where}：{key} 应为文字")
    if not isinstance(cite.get("confirmed"), bool):
        problems.append(f"{where}：缺少 confirmed（true/false）")
    elif cite["confirmed"]:
        if not cite.get("article"):
            problems.append(f"{where}：已核实的依据须写明条号")
        if not str(cite.get("read_in", "")).strip():
            problems.append(f"{where}：已核实的依据须在 read_in 写明读到条文的出处")
    fine = cite.get("fine")
    if fine is not None:
        if not isinstance(fine, dict) or not fine:
            problems.append(f"{where}：fine 应为对象")
        else:
            for key in ("unit", "person", "any"):
                if key in fine:
                    _check_range(f"{where}.fine.{key}", fine[key], problems)
            unknown = set(fine) - {"unit", "person", "any", "party", "text"}
            if unknown:
                problems.append(f"{where}.fine：未知的项 {sorted(unknown)}")


def check_catalogue(data: Any) -> list[str]:
    """Every problem of a format-2 catalogue, each naming its place; empty when the file is good."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["文件内容应为一个 JSON 对象"]
    if data.get("format") != FORMAT:
        problems.append(f"format 应为 {FORMAT}")
    if not isinstance(data.get("edition"), str) or not re.match(
        r"^\d{4}-\d{2}-\d{2}$", data.get("edition", "")
    ):
        problems.append("edition 应为版本日期，如 2026-12-05")
    instruments = data.get("instruments")
    if not isinstance(instruments, dict) or not instruments:
        return [*problems, "缺少 instruments（法规表）"]
    for key, ins in instruments.items():
        where = f"instruments.{key}"
        if not isinstance(ins, dict):
            problems.append(f"{where}：应为对象")
            continue
        if not str(ins.get("title", "")).startswith("《"):
            problems.append(f"{where}：title 应以《开头")
        if not _DIVISION.match(str(ins.get("scope", ""))):
            problems.append(f"{where}：scope 应为6位行政区划代码（全国为 000000）")
        if not str(ins.get("edition", "")).strip():
            problems.append(f"{where}：缺少 edition（版本：修订或施行日期）")
    types = data.get("violation_types")
    if not isinstance(types, list) or not types:
        return [*problems, "缺少 violation_types"]
    seen: set[str] = set()
    for n, vt in enumerate(types):
        where = f"violation_types[{n}]"
        if not isinstance(vt, dict):
            problems.append(f"{where}：应为对象")
            continue
        code = vt.get("code")
        where = f"{where}（{code}）"
        if not isinstance(code, str) or not _CODE.match(code):
            problems.append(f"{where}：code 格式应如 JZLJ-01")
        elif code in seen:
            problems.append(f"{where}：code 重复")
        seen.add(str(code))
        for key in ("name", "category"):
            if not isinstance(vt.get(key), str) or not vt[key].strip():
                problems.append(f"{where}：缺少 {key}")
        national = vt.get("national", [])
        if not isinstance(national, list):
            problems.append(f"{where}.national：应为列表")
            national = []
        for i, cite in enumerate(national):
            _check_citation(f"{where}.national[{i}]", cite, instruments, (NATIONAL,), problems)
        provinces = vt.get("provinces")
        if not isinstance(provinces, dict):
            problems.append(f"{where}：缺少 provinces")
            continue
        for prov in PROVINCES:
            cites = provinces.get(prov)
            if not isinstance(cites, list) or not cites:
                problems.append(f"{where}：缺少{PROVINCES[prov]}（{prov}）的依据")
                continue
            for i, cite in enumerate(cites):
                _check_citation(f"{where}.{prov}[{i}]", cite, instruments, (prov,), problems)
        extra = set(provinces) - set(PROVINCES)
        if extra:
            problems.append(f"{where}：未知的省级代码 {sorted(extra)}")
    zone = data.get("demonstration_zone")
    if zone is not None:
        if not isinstance(zone, dict) or not isinstance(zone.get("decisions"), dict):
            problems.append("demonstration_zone：应含 places 与 decisions")
        else:
            for prov, ins in zone["decisions"].items():
                if ins not in instruments or instruments[ins]["scope"] != prov:
                    problems.append(f"demonstration_zone.decisions.{prov}：应为该省级的法规")
            for place in zone.get("places", []):
                if province_of(place) not in zone["decisions"]:
                    problems.append(f"demonstration_zone.places：{place} 所在省级无决定")
    return problems


def check_legacy(data: Any) -> list[str]:
    """The format-1 file (one basis per type, no provinces) that older deployments ship."""
    if not isinstance(data, dict) or not isinstance(data.get("violation_types"), list):
        return ["缺少 violation_types"]
    problems = []
    for n, vt in enumerate(data["violation_types"]):
        for key in ("code", "name", "category", "obligation_basis", "penalty_basis"):
            if not isinstance(vt, dict) or not isinstance(vt.get(key), str):
                problems.append(f"violation_types[{n}]：缺少 {key}")
    if not isinstance(data.get("edition"), str):
        problems.append("缺少 edition")
    return problems


def validate(data: Any) -> None:
    """Raise :class:`CatalogueFormatError` unless ``data`` is a good catalogue of either format."""
    legacy = isinstance(data, dict) and "format" not in data
    problems = check_legacy(data) if legacy else check_catalogue(data)
    if problems:
        raise CatalogueFormatError(problems)
