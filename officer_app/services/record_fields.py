"""Field rules of on-the-spot records (现场检查（勘验）笔录, 联合巡查记录): times and officers present.

A form opts in per field (forms/README.md):

- ``"validate": "time"``: a time of day, typed as 9:48 or 9时48分, stored and printed as ``9时48分``;
- ``"validate": "officers"``: the officers present, one agency per line with 执法证号
  (:mod:`officer_app.domain.officers_present`); ``"officers_rule": "refuse"`` makes fewer than two a
  reason not to issue (行政处罚法 §42, a 笔录), anything else only warns;
- ``"signatures_for": "<officers field>"``: when blank, one signature line per agency named in that
  field, with its officers (every agency of a joint patrol signs its record);
- ``"validate": "id_document"``: an identity document number; one that looks like a 居民身份证号
  must pass its check digit, a passport or permit number is taken as written;
- ``"time_range": ["start", "end"]`` on the form: the end may not be before the start.

Kept apart from :mod:`officer_app.services.forms` so the generic form machinery stays small.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from officer_app.documents.form_schema import FormDefinitionError
from officer_app.documents.geometry import DEFAULT_GEOMETRY
from officer_app.documents.record_page import page_footer
from officer_app.domain.identifiers import validate_resident_id
from officer_app.domain.officers_present import (
    MIN_OFFICERS,
    format_lines,
    parse_lines,
    parse_officers,
    too_few_message,
)
from officer_app.domain.record_time import format_clock, parse_clock, to_cst_date
from officer_app.errors import ValidationError

OFFICER_RULES = ("refuse", "warn")
_RESIDENT_ID_LIKE = re.compile(r"^(\d{17}[\dXx]|\d{15})$")


def check_definition(form: Mapping[str, Any], names: set[str]) -> str | None:
    """What is wrong with a form's record keys (``None`` when fine), for FormDefinitionError."""
    for f in form["fields"]:
        if f.get("officers_rule", "warn") not in OFFICER_RULES:
            return f"field {f['name']!r}: officers_rule must be one of {OFFICER_RULES}"
        ref = f.get("signatures_for")
        if ref is not None and ref not in names:
            return f"field {f['name']!r}: signatures_for unknown field {ref!r}"
    pair = form.get("time_range")
    if pair is not None and (len(pair) != 2 or not set(pair) <= names):
        return f"time_range must name two fields, got {pair!r}"
    try:  # a broken block is found when the form loads, not when the officer prints
        page_footer(form, dict.fromkeys(names, ""), DEFAULT_GEOMETRY)
    except (FormDefinitionError, TypeError, ValueError) as exc:
        return f"page_footer: {exc}"
    return None


def check_resident_id(label: str, text: str) -> None:
    """A 居民身份证号 field: refused with the reason (checksum, date, length) and the field named.
    Shared by document fields (``validate: resident_id``) and record fields (``id_document``)."""
    result = validate_resident_id(text)
    if not result.valid:
        raise ValidationError(
            f"{label}：身份证号无效，{result.reason}",
            f"{text!r}",
            code="field_bad_resident_id",
            params={"field": label},
        )


def check_value(field: Mapping[str, Any], label: str, text: str) -> str | None:
    """The record rules of one typed value: warning text, ``None``, or :class:`ValidationError`."""
    rule = field.get("validate")
    if rule == "time":
        try:
            parse_clock(text)
        except ValueError:
            raise ValidationError(
                f"{label}：时间格式应为 9:48 或 9时48分",
                f"{field['name']}={text!r} not a time",
                code="field_bad_time",
                params={"field": label},
            ) from None
    elif rule == "id_document" and _RESIDENT_ID_LIKE.match(text):
        # A mainland 居民身份证号 is checked (a typo is caught on the spot); a passport or a
        # 港澳台 permit number is taken as written.
        check_resident_id(label, text)
    elif rule == "officers":
        try:
            officers = parse_officers(text)
        except ValueError as exc:
            raise ValidationError(f"{label}：{exc}", f"{field['name']}: {exc}") from None
        if len(officers) < MIN_OFFICERS:
            return too_few_message(officers, label)
    return None


def normalize_value(field: Mapping[str, Any], value: str) -> str:
    """The stored form of a value: times as 9时48分, officers one agency per line, dates as ISO
    dates in CST. A value that does not parse is kept as typed (``check_value`` reports it)."""
    text = value.strip()
    if not text:
        return text
    try:
        if field.get("validate") == "time":
            return format_clock(text)
        if field.get("validate") == "officers":
            return format_lines(parse_lines(text))
        if field.get("kind") == "date" and len(text) > 10:
            return to_cst_date(text).isoformat()
    except ValueError:
        return text
    return text


def problems(form: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """``(refusals, warnings)`` of a filled record: too few officers (refused where the form says
    so, §42) and an end time before the start time."""
    refusals: list[str] = []
    warnings: list[str] = []
    for f in form["fields"]:
        text = str(values.get(f["name"], "") or "").strip()
        if f.get("validate") != "officers" or not text:
            continue
        try:
            officers = parse_officers(text)
        except ValueError as exc:
            refusals.append(f"{f.get('label', f['name'])}：{exc}")
            continue
        if len(officers) < MIN_OFFICERS:
            refuse = f.get("officers_rule") == "refuse"
            label = str(f.get("label", f["name"]))
            (refusals if refuse else warnings).append(too_few_message(officers, label))
    for f in form["fields"]:  # a time stored before its check existed must not print as typed
        text = str(values.get(f["name"], "") or "").strip()
        if f.get("validate") == "time" and text and _clock(text) is None:
            refusals.append(f"{f.get('label', f['name'])}：时间格式应为 9:48 或 9时48分")
    pair = form.get("time_range")
    if pair:
        start, end = (_clock(str(values.get(n, "") or "").strip()) for n in pair)
        if start is not None and end is not None and end < start:
            refusals.append(f"结束时间（{format_clock(end)}）早于开始时间（{format_clock(start)}）")
    return refusals, warnings


def _clock(text: str) -> dt.time | None:
    try:
        return parse_clock(text) if text else None
    except ValueError:
        return None


def notices(form: Mapping[str, Any], values: Mapping[str, Any]) -> list[str]:
    """Everything :func:`problems` finds, for showing on a draft before it is issued."""
    refusals, warnings = problems(form, values)
    return refusals + warnings


def require_issuable(form: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    """Refuse to issue a record that would not hold up (§42), with the reason in Chinese."""
    refusals, _ = problems(form, values)
    if refusals:
        raise ValidationError("不能签发：" + "；".join(refusals), f"record rules: {refusals}")


def signature_lines(officers_text: str) -> str:
    """One signature line per agency with its officers, a blank line after each to sign on."""
    try:
        lines = parse_lines(officers_text)
    except ValueError:
        return ""
    out = []
    for agency, group in lines:
        names = "、".join(o.name for o in group)
        who = f"{agency}（{names}）" if agency and names else agency or names
        out.append(f"{who}签名：")
    return "\n\n".join(out)


def derive_values(form: Mapping[str, Any], values: dict[str, str]) -> dict[str, str]:
    """Fill blank ``signatures_for`` fields from the officers they name."""
    out = dict(values)
    for f in form["fields"]:
        ref = f.get("signatures_for")
        if ref and not str(out.get(f["name"], "") or "").strip():
            out[f["name"]] = signature_lines(str(out.get(ref, "") or ""))
    return out
