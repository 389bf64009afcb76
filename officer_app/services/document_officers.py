"""The officers present on a record draft, as a list: read, add, remove (CLI and GUI alike).

The record stores them as text (one agency per line with 执法证号, see
:mod:`officer_app.domain.officers_present`); this module edits that text entry by entry, so a
headless officer never has to type a multi-line value, and saves it through
:func:`officer_app.services.documents.set_fields` (same checks, one transaction).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from officer_app.domain.officers_present import OfficerPresent, format_lines, parse_lines
from officer_app.errors import ValidationError
from officer_app.services import documents, forms
from officer_app.services.context import AppContext


def _officers_field(ctx: AppContext, doc: dict[str, Any]) -> dict[str, Any]:
    form = forms.find_form(ctx, doc["form_id"])
    field = next((f for f in form.fields if f.get("validate") == "officers"), None)
    if field is None:
        raise ValidationError(
            f"“{form.title}”没有登记执法人员的栏目。", f"form {form.id} has no officers field"
        )
    return field


def _listing(doc: dict[str, Any], field: dict[str, Any]) -> list[dict[str, str]]:
    text = str(doc["fields"].get(field["name"], "") or "")
    try:
        lines = parse_lines(text)
    except ValueError as exc:
        raise ValidationError(f"{field.get('label', field['name'])}：{exc}", str(exc)) from None
    return [
        {"agency": agency, "name": o.name, "badge": o.badge}
        for agency, group in lines
        for o in group
    ]


def parse_entry(text: str, default_agency: str) -> OfficerPresent:
    """``姓名,执法证号[,执法机关]`` (commas half or full width) as one officer."""
    parts = [p.strip() for p in text.replace("，", ",").split(",")]
    if len(parts) not in (2, 3) or not all(parts):
        raise ValidationError(
            f"执法人员应写作 姓名,执法证号[,执法机关]：{text}", f"bad officer entry {text!r}"
        )
    agency = parts[2] if len(parts) == 3 else default_agency
    return OfficerPresent(parts[0], parts[1], agency)


def show(ctx: AppContext, doc_id: str) -> dict[str, Any]:
    """``{"id", "field", "officers": [{"agency", "name", "badge"}], "notices"}``."""
    doc = documents.get_document(ctx, doc_id)
    field = _officers_field(ctx, doc)
    return {
        "id": doc["id"],
        "field": field["name"],
        "officers": _listing(doc, field),
        "notices": doc["notices"],
    }


def change(
    ctx: AppContext,
    doc_id: str,
    *,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
    clear: bool = False,
) -> dict[str, Any]:
    """Add (``姓名,执法证号[,执法机关]``; the agency defaults to the issuing agency) and remove (by
    执法证号) officers, then save the draft. Returns :func:`show` plus the save's ``warnings``."""
    doc = documents.get_document(ctx, doc_id)
    field = _officers_field(ctx, doc)
    current = [] if clear else _listing(doc, field)
    badges = {o["badge"] for o in current}
    unknown = [b for b in remove if b not in badges]
    if unknown:
        raise ValidationError(
            f"没有执法证号为{'、'.join(unknown)}的执法人员。", f"remove unknown {unknown}"
        )
    kept = [o for o in current if o["badge"] not in set(remove)]
    lines: list[tuple[str, list[OfficerPresent]]] = []

    def put(officer: OfficerPresent) -> None:
        for agency, group in lines:
            if agency == officer.agency:
                group.append(officer)
                return
        lines.append((officer.agency, [officer]))

    for o in kept:
        put(OfficerPresent(o["name"], o["badge"], o["agency"]))
    own = documents.issuing_agency(ctx).name
    for entry in add:
        put(parse_entry(entry, own))
    saved = documents.set_fields(ctx, doc["id"], {field["name"]: format_lines(lines)})
    return {**show(ctx, doc["id"]), "warnings": saved["warnings"]}
