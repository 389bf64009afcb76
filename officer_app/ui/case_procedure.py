"""The procedure part of the case detail: 立案 with its §60 limit, jurisdiction disputes, why the
app proposes (or not) a transfer, and the 立案 dialog. Kept apart from ``case_page.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

RED = "#b00020"
AMBER = "#8a5300"


def _tr(text: str) -> str:
    return QCoreApplication.translate("CaseProcedure", text)


def filing_html(case: dict[str, Any]) -> str:
    """立案 and 处理期限 rows (a table row each) for the case detail."""
    info = case.get("filing")

    def row(label: str, value: str) -> str:
        return f"<tr><td valign=top nowrap><b>{escape(label)}</b></td><td>{value}</td></tr>"

    if info is None:
        return row(_tr("立案"), escape(_tr("尚未立案")))
    who = info["officer"]["name"] if info.get("officer") else ""
    due = escape(info["decision_due"])
    if info["overdue"]:
        due = f"<span style='color:{RED}'><b>{due}</b>{escape(_tr('（已逾期）'))}</span>"
    elif case.get("status") not in ("closed", "transferred"):
        due += escape(_tr("（还剩 {0} 日）").format(info["days_left"]))
    limit = due + "<br><span style='color:#555'>" + escape(info["basis"]) + "</span>"
    if info["warning"]:
        limit += f"<br><span style='color:{AMBER}'>⚠ {escape(info['warning'])}</span>"
    return row(_tr("立案"), escape(f"{info['filed_on']} {who}".strip())) + row(
        _tr("处理期限"), limit
    )


def disputes_html(case: dict[str, Any]) -> str:
    parts = []
    for d in case.get("disputes", []):
        parts.append(
            f"<h4>{escape(_tr('管辖争议（与{0}）：{1}').format(d['other']['name'], d['status_zh']))}"
            "</h4><ul>"
        )
        for s in d["steps"]:
            text = f"{s['on_date']} {s['step_zh']}"
            text += f"（{s['authority']}）" if s["authority"] else ""
            text += f"：{s['note']}" if s["note"] else ""
            parts.append(f"<li>{escape(text)}</li>")
        parts.append("</ul>")
    return "".join(parts)


def vehicles_html(case: dict[str, Any], facts: Callable[[dict[str, Any]], str]) -> str:
    """Vehicles are clues (车辆号牌), listed apart from the parties, with what the plate says."""
    if not case.get("vehicles"):
        return ""
    items = "".join(
        f"<li>{escape(v['plate'])} {escape(v.get('description') or '')}"
        f"　<span style='color:#444'>{escape(facts(v['details']))}</span></li>"
        for v in case["vehicles"]
    )
    return f"<h4>{escape(_tr('涉案车辆（线索）'))}</h4><ul>{items}</ul>"


class FilingDialog(QDialog):
    """立案: the filing date (today unless the officer filed earlier on paper)."""

    def __init__(self, today: dt.date, found: dt.date | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("立案"))
        self.setObjectName("filingDialog")
        form = QFormLayout(self)
        note = QLabel(self.tr("立案后，应自立案之日起九十日内作出处理决定（行政处罚法第六十条）。"))
        note.setWordWrap(True)
        form.addRow(note)
        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_edit.setObjectName("filingDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        if found is not None:
            self.date_edit.setMinimumDate(QDate(found.year, found.month, found.day))
        form.addRow(self.tr("立案日期(&D)"), self.date_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("立案"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def day(self) -> str:
        return self.date_edit.date().toString("yyyy-MM-dd")
