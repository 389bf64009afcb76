"""Phase 1 of rendering: from a form definition and case data to the display strings it prints.

One dotted-path resolver serves the whole document pipeline: pre-filling a draft from the case
(``services/documents``), filling blank fields at issue and resolving values here all follow a
field's ``source`` the same way (dict keys, list indexes, attributes; ``None`` when absent).
Nothing here loads the PDF stack, so drafting and listing stay light.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from officer_app.documents.form_schema import FormValueError
from officer_app.documents.geometry import format_cn_date

__all__ = ["content_sha256", "field_text", "lookup", "resolve_values"]


def lookup(data: Any, dotted: str) -> Any:
    """Follow a dotted ``source`` path through mappings, sequences (by index) and attributes."""
    cur = data
    for part in dotted.split("."):
        if cur is None:
            return None
        if isinstance(cur, Mapping):
            cur = cur.get(part)
        elif isinstance(cur, Sequence) and not isinstance(cur, str):
            if not part.isdigit():
                return None
            idx = int(part)
            cur = cur[idx] if idx < len(cur) else None
        else:
            cur = getattr(cur, part, None)
    return cur


def field_text(raw: Any) -> str:
    """A looked-up value as a field's text: structures as JSON (a form pointing at a whole
    sub-dict gets something legible, not a Python repr), ``None`` as blank."""
    if raw is None:
        return ""
    if isinstance(raw, Mapping | list | tuple):
        return json.dumps(raw, ensure_ascii=False)
    return str(raw)


def resolve_values(form: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, str]:
    """Display strings for every field: ``values[name]`` wins, else the field's dotted ``source``."""
    out: dict[str, str] = {}
    missing: list[str] = []
    problems: list[str] = []
    for f in form["fields"]:
        name, label, kind = f["name"], f.get("label", f["name"]), f.get("kind", "text")
        raw = values.get(name) if name in values else None
        if raw is None and f.get("source"):
            raw = lookup(values, f["source"])
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if f.get("required"):
                missing.append(label)
            out[name] = ""
            continue
        if kind == "date":
            if not isinstance(raw, date | str):
                problems.append(f"{label}：不是日期")
                continue
            try:
                out[name] = format_cn_date(raw)
            except ValueError:
                problems.append(f"{label}：日期格式不正确（{raw}）")
        elif kind == "choice":
            text = str(raw)
            if text not in f["options"]:
                problems.append(f"{label}：“{text}”不在可选项（{'、'.join(f['options'])}）中")
            out[name] = text
        else:
            out[name] = str(raw).replace("\r\n", "\n").strip()
    if missing or problems:
        parts = []
        if missing:
            parts.append("缺少必填项：" + "、".join(missing))
        parts.extend(problems)
        raise FormValueError("；".join(parts))
    return out


def content_sha256(
    form_id: str,
    number: str | None,
    resolved: Mapping[str, str],
    evidence: Sequence[Mapping[str, Any]],
) -> str:
    """Hash of what the document says (not of the PDF bytes): stable across fonts and renderers."""
    payload = {
        "form": form_id,
        "number": number,
        "values": dict(sorted(resolved.items())),
        "evidence": [{k: v for k, v in e.items() if k != "path"} for e in evidence],
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
