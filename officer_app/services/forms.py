"""The catalogue of printable forms: ``forms/*.json`` shipped with the app, plus ``<data_dir>/forms``.

A region adds or adapts a form by dropping a JSON file into its data dir's ``forms/`` folder: a file
with the same ``id`` as a shipped form replaces it, a new id adds a form. No code changes. Files whose
name starts with ``_`` are examples and test fixtures, never offered to officers. A broken file is
logged and skipped so one bad regional file cannot stop every document.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from officer_app.documents.form_schema import FormDefinitionError, validate_form
from officer_app.domain.identifiers import validate_plate, validate_uscc
from officer_app.errors import NotFoundError, ValidationError
from officer_app.media.hashing import sha256_bytes
from officer_app.paths import forms_dir
from officer_app.services import record_fields
from officer_app.services.context import AppContext

log = logging.getLogger(__name__)

EVIDENCE_MODES = ("attach", "list", "none")
SUBJECTS = ("case", "patrol", "transfer")  # transfer: a letter about a transfer not yet a case
#: letter: GB/T 9704 §10.1 信函格式 with the letterhead; record: 笔录/记录, no letterhead.
FORMATS = ("letter", "record")
#: What issuing a form does besides storing it (implemented in services/document_issue.py):
#: open_transfer: the 移送函 opens the transfer to the receiving agency and marks the case 已移送.
ISSUE_EFFECTS = ("open_transfer",)
VALIDATORS = ("resident_id", "uscc", "plate", "phone", "amount", "time", "officers", "id_document")
_PHONE_RE = re.compile(r"^[0-9０-９+\-－ ()（）转]{5,30}$")
_AMOUNT_RE = re.compile(r"^\d+(\.\d{1,2})?$")
_PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Form:
    """One form definition as loaded; ``definition`` is the JSON object handed to the renderer."""

    id: str
    title: str
    doc_type: str  # the character of the 文号 after the 机关代字 (移, 回, 协 …)
    subject: str  # case / patrol: what the document is about
    evidence: str  # attach (list + photo pages) / list / none
    definition: dict[str, Any]
    path: Path
    sha256: str  # of the definition file, recorded with each issued document
    format: str = "letter"  # letter / record
    on_issue: tuple[str, ...] = ()  # side effects of issuing, from ISSUE_EFFECTS

    @property
    def fields(self) -> list[dict[str, Any]]:
        return list(self.definition["fields"])

    def field(self, name: str) -> dict[str, Any] | None:
        return next((f for f in self.definition["fields"] if f["name"] == name), None)

    def summary(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title}


def user_forms_dir(ctx: AppContext) -> Path:
    """Where a deployment puts its own or adapted forms (overrides shipped forms by id)."""
    return ctx.data.root / "forms"


def _check_extensions(form: dict[str, Any]) -> None:
    """What this app adds to the renderer's schema (see forms/README.md)."""
    doc_type = form.get("doc_type")
    if not isinstance(doc_type, str) or len(doc_type) != 1:
        raise FormDefinitionError("doc_type must be one character (e.g. 移)")
    if form.get("subject", "case") not in SUBJECTS:
        raise FormDefinitionError(f"subject must be one of {SUBJECTS}")
    if form.get("evidence", "none") not in EVIDENCE_MODES:
        raise FormDefinitionError(f"evidence must be one of {EVIDENCE_MODES}")
    if form.get("format", "letter") not in FORMATS:
        raise FormDefinitionError(f"format must be one of {FORMATS}")
    effects = form.get("on_issue", [])
    if not isinstance(effects, list) or any(e not in ISSUE_EFFECTS for e in effects):
        raise FormDefinitionError(f"on_issue: a list of {ISSUE_EFFECTS}")
    names = {f["name"] for f in form["fields"]}
    for f in form["fields"]:
        if f.get("validate") is not None and f["validate"] not in VALIDATORS:
            raise FormDefinitionError(f"field {f['name']!r}: unknown validate {f['validate']!r}")
        for other in f.get("required_if") or {}:
            if other not in names:
                raise FormDefinitionError(f"field {f['name']!r}: required_if on unknown {other!r}")
        compose = f.get("compose")
        if compose is not None:
            texts = compose.get("texts") if isinstance(compose, dict) else None
            if compose.get("by") not in names or not isinstance(texts, dict):
                raise FormDefinitionError(f"field {f['name']!r}: compose needs by and texts")
            for text in texts.values():
                for ref in _PLACEHOLDER_RE.findall(str(text)):
                    if ref not in names or ref == f["name"]:
                        raise FormDefinitionError(f"field {f['name']!r}: compose uses {ref!r}")
    problem = record_fields.check_definition(form, names)
    if problem:
        raise FormDefinitionError(problem)


def load_form_file(path: Path) -> Form:
    raw = path.read_bytes()
    definition = json.loads(raw.decode("utf-8"))
    validate_form(definition)
    _check_extensions(definition)
    return Form(
        id=str(definition["id"]),
        title=str(definition["title"]),
        doc_type=definition["doc_type"],
        subject=definition.get("subject", "case"),
        evidence=definition.get("evidence", "none"),
        definition=definition,
        path=path,
        sha256=sha256_bytes(raw),
        format=definition.get("format", "letter"),
        on_issue=tuple(definition.get("on_issue", [])),
    )


def _scan(folder: Path) -> list[Form]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("_"):
            continue
        try:
            found.append(load_form_file(path))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("form %s skipped: %s", path, exc)
    return found


def load_forms(ctx: AppContext) -> dict[str, Form]:
    """Shipped forms, then the data dir's forms (same id replaces), in a stable order."""
    forms: dict[str, Form] = {}
    for form in _scan(forms_dir()) + _scan(user_forms_dir(ctx)):
        forms[form.id] = form
    return forms


def list_forms(ctx: AppContext) -> list[dict[str, str]]:
    """``[{"id", "title"}]`` for the document menu."""
    return [form.summary() for form in load_forms(ctx).values()]


def find_form(ctx: AppContext, key: str) -> Form:
    """A form by its id or its exact title (what an officer types)."""
    forms = load_forms(ctx)
    if key in forms:
        return forms[key]
    by_title = [f for f in forms.values() if f.title == key.strip()]
    if len(by_title) == 1:
        return by_title[0]
    known = "、".join(f"{f.title}（{f.id}）" for f in forms.values())
    raise NotFoundError(f"没有名为“{key}”的文书。可用文书：{known}", f"form {key!r} not found")


def check_value(field: dict[str, Any], value: str) -> str | None:
    """Check one typed value against its field's rules.

    Returns a warning to show (the value is kept), ``None`` when fine; raises
    :class:`ValidationError` with the reason in Chinese when the value cannot be accepted.
    """
    label = field.get("label", field["name"])
    text = value.strip()
    if not text:
        return None
    kind = field.get("kind", "text")
    if kind == "choice" and text not in field["options"]:
        raise ValidationError(
            f"{label}：“{text}”不在可选项（{'、'.join(field['options'])}）中",
            f"{field['name']}={text!r} not an option",
            code="field_not_an_option",
            params={"field": label, "value": text},
        )
    if kind == "date":
        import datetime as dt

        try:
            dt.date.fromisoformat(text[:10])
        except ValueError:
            raise ValidationError(
                f"{label}：日期格式应为 2026-03-05",
                f"{field['name']}={text!r} not a date",
                code="field_bad_date",
                params={"field": label},
            ) from None
    max_length = field.get("max_length")
    if max_length and len(text) > int(max_length):
        raise ValidationError(
            f"{label}：不能超过{max_length}个字（现为{len(text)}个）",
            f"{field['name']} too long",
            code="field_too_long",
            params={"field": label, "max": int(max_length), "count": len(text)},
        )
    rule = field.get("validate")
    if rule == "resident_id":
        record_fields.check_resident_id(label, text)
    elif rule == "uscc":
        result = validate_uscc(text)
        if not result.valid:
            if result.derived.get("warn_only"):
                return f"{label}：{result.reason}"
            raise ValidationError(
                f"{label}：统一社会信用代码无效，{result.reason}",
                f"{text!r}",
                code="field_bad_uscc",
                params={"field": label},
            )
    elif rule == "plate":
        result = validate_plate(text)
        if not result.valid:
            raise ValidationError(
                f"{label}：号牌无效，{result.reason}",
                f"{text!r}",
                code="field_bad_plate",
                params={"field": label},
            )
    elif rule == "phone" and not _PHONE_RE.match(text):
        raise ValidationError(
            f"{label}：电话号码格式不正确",
            f"{text!r}",
            code="field_bad_phone",
            params={"field": label},
        )
    elif rule == "amount" and not _AMOUNT_RE.match(text.replace(",", "")):
        raise ValidationError(
            f"{label}：金额应为数字（元），如 5000",
            f"{text!r}",
            code="field_bad_amount",
            params={"field": label},
        )
    return record_fields.check_value(field, label, text)  # times, officers present


#: Sources filled when a document is issued: the issue date and the deadlines that run from it,
#: so a draft never freezes a date (a value the officer typed is kept).
ISSUE_FILLED_SOURCES = ("document.issued_on", "document.reply_due", "document.receipt_due")


def filled_at_issue(field: dict[str, Any]) -> bool:
    return field.get("source") in ISSUE_FILLED_SOURCES


def missing_fields(
    form: Form, values: dict[str, Any], *, draft: bool = False
) -> list[dict[str, str]]:
    """Required fields still blank (``required``, or ``required_if`` another field's value).

    ``draft=True`` leaves out fields filled at issue time (the issue date), which a draft cannot
    have yet.
    """
    missing = []
    for f in form.fields:
        if draft and (filled_at_issue(f) or f.get("compose")):
            continue
        value = values.get(f["name"])
        if value is not None and str(value).strip():
            continue
        conditions = f.get("required_if") or {}
        needed = bool(f.get("required")) or (
            bool(conditions)
            and all(str(values.get(k, "")).strip() == v for k, v in conditions.items())
        )
        if needed:
            missing.append({"name": f["name"], "label": f.get("label", f["name"])})
    return missing


def compose_values(form: Form, values: dict[str, str]) -> dict[str, str]:
    """Fill blank ``compose`` fields from the form's wording for the value of their ``by`` field
    (the 正文 of a 移送函 follows 移送方式, a 反馈函 follows 处理结果; ``"*"`` stands for any value
    given): the words live in the form
    file, a region changes them without code. Placeholders take the other values, dates as
    2026年3月5日; a value the officer typed is kept."""
    from officer_app.documents.geometry import format_cn_date

    shown = dict(values)
    for f in form.fields:
        if f.get("kind") == "date" and str(values.get(f["name"], "")).strip():
            raw = str(values[f["name"]])
            try:
                shown[f["name"]] = format_cn_date(raw[:10])
            except ValueError:  # set_fields refuses bad dates; an older value prints as typed
                shown[f["name"]] = raw
    out = dict(values)
    for f in form.fields:
        compose = f.get("compose")
        if not compose or str(out.get(f["name"], "")).strip():
            continue
        key = str(values.get(compose["by"], "")).strip()
        texts = compose["texts"]  # "*": any value given
        text = str(texts.get(key, texts.get("*", "") if key else ""))
        out[f["name"]] = _PLACEHOLDER_RE.sub(lambda m: str(shown.get(m.group(1), "")), text)
        shown[f["name"]] = out[f["name"]]  # a later text may quote it
    return record_fields.derive_values(form.definition, out)
