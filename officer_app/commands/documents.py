"""``officer-app document forms|new|set|issue|render|list|show|correct|fonts``."""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import output_file, record_id
from officer_app.commands.base import Outcome, context
from officer_app.errors import UsageError


def register(sub: Any, json_flag: argparse.ArgumentParser) -> None:
    doc = sub.add_parser("document", help="enforcement documents (执法文书)")
    dsub = doc.add_subparsers(dest="document_command", metavar="ACTION", required=True)

    p = dsub.add_parser("forms", parents=[json_flag], help="list the available forms")
    p.set_defaults(handler=_forms)

    p = dsub.add_parser("new", parents=[json_flag], help="draft a document for a case")
    p.add_argument("form", metavar="FORM", help="form id or its exact title")
    p.add_argument("--case", type=record_id, metavar="ID")
    p.add_argument("--patrol", type=record_id, metavar="ID")
    p.set_defaults(handler=_new)

    p = dsub.add_parser("set", parents=[json_flag], help="fill draft fields")
    p.add_argument("id", type=record_id, metavar="DOC_ID")
    p.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    p.set_defaults(handler=_set)

    p = dsub.add_parser("issue", parents=[json_flag], help="number and issue a draft")
    p.add_argument("id", type=record_id, metavar="DOC_ID")
    p.set_defaults(handler=_issue)

    p = dsub.add_parser("render", parents=[json_flag], help="write the PDF")
    p.add_argument("id", type=record_id, metavar="DOC_ID")
    p.add_argument("--out", required=True, type=output_file, metavar="FILE.pdf")
    p.set_defaults(handler=_render)

    p = dsub.add_parser("list", parents=[json_flag], help="list documents")
    p.add_argument("--case", type=record_id, metavar="ID")
    p.add_argument("--status", choices=("draft", "issued", "superseded"))
    p.set_defaults(handler=_list)

    p = dsub.add_parser("show", parents=[json_flag], help="one document with its fields")
    p.add_argument("id", type=record_id, metavar="DOC_ID")
    p.set_defaults(handler=_show)

    p = dsub.add_parser("correct", parents=[json_flag], help="new draft version of an issued one")
    p.add_argument("id", type=record_id, metavar="DOC_ID")
    p.set_defaults(handler=_correct)

    from officer_app.commands import document_fonts, document_record

    document_fonts.register(dsub, json_flag)
    document_record.register(dsub, json_flag)


def _forms(args: argparse.Namespace) -> Outcome:
    from officer_app.services import forms

    with context(args) as ctx:
        items = forms.list_forms(ctx)
    return Outcome(items, "\n".join(f"{f['id']}  {f['title']}" for f in items))


def _new(args: argparse.Namespace) -> Outcome:
    from officer_app.services import documents

    if not args.case and not args.patrol:
        raise UsageError("请用 --case 指定案件（或用 --patrol 指定巡查）。", "no --case/--patrol")
    with context(args) as ctx:
        doc = documents.new_document(ctx, args.form, case_id=args.case, patrol_id=args.patrol)
    missing = "、".join(m["label"] for m in doc["missing"])
    text = f"已起草{doc['title']}：{doc['id']}" + (f"\n  待填写：{missing}" if missing else "")
    text += "".join(f"\n  提醒：{n}" for n in doc["notices"])
    return Outcome(doc, text)


def _parse_assignments(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"应为 字段=值 的形式：{item}", f"bad assignment {item!r}")
        out[name.strip()] = value
    return out


def _set(args: argparse.Namespace) -> Outcome:
    from officer_app.services import documents

    updates = _parse_assignments(args.assignments)
    with context(args) as ctx:
        doc = documents.set_fields(ctx, args.id, updates)
    lines = [f"已保存 {len(updates)} 项。"] + [f"  提醒：{w}" for w in doc["warnings"]]
    lines += [f"  提醒：{n}" for n in doc["notices"] if n not in doc["warnings"]]
    if doc["missing"]:
        lines.append("  待填写：" + "、".join(m["label"] for m in doc["missing"]))
    return Outcome(doc, "\n".join(lines))


def _issue(args: argparse.Namespace) -> Outcome:
    from officer_app.services import documents

    with context(args) as ctx:
        doc = documents.issue_document(ctx, args.id)
    return Outcome(doc, f"已签发：{doc['number']}（SHA-256 {doc['pdf_sha256']}）")


def _render(args: argparse.Namespace) -> Outcome:
    from officer_app.services import documents

    with context(args) as ctx:
        result = documents.render_to(ctx, args.id, args.out)
    result["out"] = str(args.out)
    kind = "草稿" if result["status"] == "draft" else result["number"]
    return Outcome(result, f"已生成 {args.out}（{kind}，{result['pages']}页）")


def _list(args: argparse.Namespace) -> Outcome:
    from officer_app.services import documents

    with context(args) as ctx:
        items = documents.list_documents(ctx, case_id=args.case, status=args.status)
    text = "\n".join(
        f"{d['id'][:8]} {d['title']} v{d['version']} {d['status_zh']} {d['number'] or ''}".rstrip()
        for d in items
    )
    return Outcome(items, text or "（无文书）")


def _show(args: argparse.Namespace) -> Outcome:
    from officer_app.services import documents

    with context(args) as ctx:
        doc = documents.get_document(ctx, args.id)
        fields = documents.document_fields(ctx, args.id)
    doc["field_list"] = fields
    lines = [f"{doc['title']} v{doc['version']} {doc['status_zh']} {doc['number'] or ''}"]
    lines += [f"  {f['label']}（{f['name']}）：{f['value']}" for f in fields]
    lines += [f"  提醒：{n}" for n in doc["notices"]]
    return Outcome(doc, "\n".join(lines))


def _correct(args: argparse.Namespace) -> Outcome:
    from officer_app.services import documents

    with context(args) as ctx:
        doc = documents.correct_document(ctx, args.id)
    return Outcome(doc, f"已生成更正草稿（第{doc['version']}版）：{doc['id']}")
