"""案件 section: the case list with filters, the case detail, and what an officer does with a case.

The detail says plainly when a case lies outside the officer's own district (行政处罚法 §22: the
place of the violation decides who handles it) and offers the 案件移送函 right there. Drafting a
document is handed to the 文书 section through ``documentRequested(form_id, case_id)``; opening one
of the case's documents through ``documentOpened(doc_id)``. No SQL here: the list's model asks
``services.case_query``, the rest ``services.cases``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from officer_app.services import case_query, cases, procedure
from officer_app.services.cases import CASE_STATUS_ZH, CASE_STATUSES, PARTY_KIND_ZH
from officer_app.services.context import AppContext
from officer_app.services.documents import STATUS_ZH as DOC_STATUS_ZH
from officer_app.ui import list_page
from officer_app.ui.case_editor import (
    AMBER,
    GREEN,
    RED,
    CaseEditorDialog,
    JurisdictionDialog,
    basis_text,
    party_facts,
    place_basis_text,
)
from officer_app.ui.case_model import CaseEvidenceModel, CaseTableModel, IdRole
from officer_app.ui.case_procedure import FilingDialog, disputes_html, filing_html, vehicles_html
from officer_app.ui.error_text import error_text
from officer_app.ui.patrol_model import short_time
from officer_app.ui.tasks import refusal_or_bug, tasks_of

TRANSFER_FORM = "case_transfer"
DocIdRole = Qt.ItemDataRole.UserRole + 10
DATUM_NAMES = {"wgs84": "WGS-84", "cgcs2000": "CGCS2000", "gcj02": "GCJ-02"}


class CasePage(QWidget):
    changed = Signal()
    documentRequested = Signal(str, str)  # form id ("" = let the officer choose), case id
    documentOpened = Signal(str)  # document id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current: dict[str, Any] | None = None
        self.editor: CaseEditorDialog | None = None
        self.model = CaseTableModel(ctx, self)
        self.summary = list_page.lay_out(
            self, self._filter_bar(), self._table(), self._detail_pane(), summary_name="caseSummary"
        )
        self._text_timer = list_page.text_filter_timer(self, self.text_edit, self.apply_filter)
        self._update_summary()
        self.show_case(None)

    # Building -------------------------------------------------------------------------------
    def _filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.new_button = QPushButton(self.tr("登记案件(&N)…"))
        self.new_button.setObjectName("newCaseButton")
        self.new_button.clicked.connect(lambda: self.new_case())
        bar.addWidget(self.new_button)
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("caseText")
        self.text_edit.setAccessibleName(self.tr("按文字筛选案件"))
        self.text_edit.setPlaceholderText(self.tr("搜索地点、情况、当事人、号牌"))
        list_page.clear_button_once_typed(self.text_edit)
        bar.addWidget(self.text_edit, 1)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("caseStatusFilter")
        self.status_combo.setAccessibleName(self.tr("按状态筛选"))
        self.status_combo.addItem(self.tr("全部状态"), None)
        for status in CASE_STATUSES:
            self.status_combo.addItem(self.tr(CASE_STATUS_ZH[status]), status)
        self.violation_combo = QComboBox()
        self.violation_combo.setObjectName("caseViolationFilter")
        self.violation_combo.setAccessibleName(self.tr("按违法类型筛选"))
        self.violation_combo.addItem(self.tr("全部违法类型"), None)
        for vt in cases.list_violation_types(self.ctx):
            self.violation_combo.addItem(vt["name"], vt["code"])
        self.jurisdiction_combo = QComboBox()
        self.jurisdiction_combo.setObjectName("caseJurisdictionFilter")
        self.jurisdiction_combo.setAccessibleName(self.tr("按管辖筛选"))
        self._fill_jurisdictions()
        for combo in (self.status_combo, self.violation_combo, self.jurisdiction_combo):
            list_page.fit_combo(combo)
            combo.currentIndexChanged.connect(self.apply_filter)
            bar.addWidget(combo)
        return bar

    def _fill_jurisdictions(self) -> None:
        current = self.jurisdiction_combo.currentData()
        self.jurisdiction_combo.blockSignals(True)
        self.jurisdiction_combo.clear()
        self.jurisdiction_combo.addItem(self.tr("全部管辖"), None)
        for ref in case_query.jurisdictions_in_use(self.ctx):
            self.jurisdiction_combo.addItem(ref["name"] or ref["code"], ref["code"])
        self.jurisdiction_combo.setCurrentIndex(max(self.jurisdiction_combo.findData(current), 0))
        self.jurisdiction_combo.blockSignals(False)

    def _table(self) -> QTableView:
        self.view = list_page.record_table(
            self.model, "caseTable", self.tr("案件列表"), (118, 120, 170, 64, 130, 56)
        )
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        return self.view

    def _detail_pane(self) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.jurisdiction_button = QPushButton(self.tr("更改管辖(&J)…"))
        self.jurisdiction_button.setObjectName("changeJurisdictionButton")
        self.jurisdiction_button.clicked.connect(lambda: self.change_jurisdiction())
        self.file_button = QPushButton(self.tr("立案(&F)…"))
        self.file_button.setObjectName("fileCaseButton")
        self.file_button.clicked.connect(lambda: self.file_case())
        self.document_button = QPushButton(self.tr("起草文书(&D)…"))
        self.document_button.setObjectName("draftDocumentButton")
        self.document_button.clicked.connect(lambda: self.request_document(""))
        buttons.addWidget(self.jurisdiction_button)
        buttons.addWidget(self.file_button)
        buttons.addWidget(self.document_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.foreign_frame = QFrame()
        self.foreign_frame.setObjectName("foreignBanner")
        self.foreign_frame.setStyleSheet(
            "QFrame#foreignBanner { background: #fff4e0; border: 1px solid #e0a040;"
            " border-radius: 4px; }"
        )
        banner = QHBoxLayout(self.foreign_frame)
        self.foreign_label = QLabel()
        self.foreign_label.setObjectName("foreignLabel")
        self.foreign_label.setWordWrap(True)
        self.foreign_label.setStyleSheet(f"color: {AMBER}; font-weight: bold;")
        banner.addWidget(self.foreign_label, 1)
        self.transfer_button = QPushButton(self.tr("起草案件移送函(&T)"))
        self.transfer_button.setObjectName("draftTransferButton")
        self.transfer_button.clicked.connect(lambda: self.request_document(TRANSFER_FORM))
        banner.addWidget(self.transfer_button)
        layout.addWidget(self.foreign_frame)
        self.message = QLabel()
        self.message.setObjectName("caseMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.detail = QTextBrowser()
        self.detail.setObjectName("caseDetail")
        self.detail.setAccessibleName(self.tr("案件详情"))
        self.detail.setMinimumWidth(340)
        layout.addWidget(self.detail, 3)
        self.photos_label = QLabel(self.tr("证据照片"))
        layout.addWidget(self.photos_label)
        self.photos = CaseEvidenceModel(self.ctx, self)
        self.photo_view = QListView()
        self.photo_view.setObjectName("casePhotos")
        self.photo_view.setAccessibleName(self.tr("案件证据照片"))
        self.photo_view.setViewMode(QListView.ViewMode.IconMode)
        self.photo_view.setIconSize(QSize(96, 72))
        list_page.fit_icon_grid(self.photo_view, QSize(96, 72))
        self.photo_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.photo_view.setUniformItemSizes(True)
        self.photo_view.setMovement(QListView.Movement.Static)
        self.photo_view.setModel(self.photos)
        self.photo_view.setMinimumHeight(110)
        layout.addWidget(self.photo_view, 1)
        layout.addWidget(QLabel(self.tr("本案文书（双击打开）")))
        self.documents_list = QListWidget()
        self.documents_list.setObjectName("caseDocuments")
        self.documents_list.setAccessibleName(self.tr("本案文书"))
        self.documents_list.setMaximumHeight(110)
        self.documents_list.itemActivated.connect(self._open_document_item)
        self.documents_list.itemDoubleClicked.connect(self._open_document_item)
        layout.addWidget(self.documents_list)
        return pane

    # Filtering ------------------------------------------------------------------------------
    def current_filter(self) -> case_query.CaseFilter:
        return case_query.CaseFilter(
            status=self.status_combo.currentData(),
            violation_code=self.violation_combo.currentData(),
            jurisdiction_code=self.jurisdiction_combo.currentData(),
            text=self.text_edit.text().strip() or None,
        )

    def apply_filter(self) -> None:
        self._text_timer.stop()
        selected = self.current["id"] if self.current else None
        self.model.set_filter(self.current_filter())
        self._reselect(selected)
        self._update_summary()

    def refresh(self) -> None:
        selected = self.current["id"] if self.current else None
        self._fill_jurisdictions()
        self.model.reload()
        self._reselect(selected)
        self._update_summary()

    def select_case(self, case_id: str) -> bool:
        row = self.model.row_of(case_id)
        if row < 0:
            return False
        self.view.setCurrentIndex(self.model.index(row, 0))
        self.view.scrollTo(self.model.index(row, 0))
        self.show_case(case_id)
        return True

    def _reselect(self, case_id: str | None) -> None:
        if not (case_id and self.select_case(case_id)):
            self.show_case(None)

    def _update_summary(self) -> None:
        self.summary.setText(self.tr("显示 {0} 件案件").format(self.model.rowCount()))

    # Detail ---------------------------------------------------------------------------------
    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.message.clear()
        self.show_case(current.data(IdRole) if current.isValid() else None)

    def foreign_jurisdiction(self, case: dict[str, Any] | None) -> dict[str, str] | None:
        """Where the case should go when the app proposes a transfer (行政处罚法 §22, after the
        §25 first-filed and the shared-area first-discoverer rules, ``services/handling.py``),
        or where it went; else None (the case is ours, disputed or of unknown place)."""
        if not case or not case.get("handling"):
            return None
        h = case["handling"]
        if h["rule"] == "dispute" and h["propose_transfer"]:
            settled_on: dict[str, str] = h["to"]  # the agency the dispute settled on
            return settled_on
        if h["propose_transfer"] or h["rule"] == "transferred":
            place: dict[str, str] = case["jurisdiction"]  # the place (行政处罚法 §22)
            return place
        return None

    def show_case(self, case_id: str | None) -> None:
        self.current = (
            procedure.with_procedure(self.ctx, cases.get_case(self.ctx, case_id))
            if case_id
            else None
        )
        case = self.current
        editable = case is not None and case["status"] not in ("transferred", "closed")
        self.jurisdiction_button.setEnabled(editable)
        self.file_button.setEnabled(editable and case is not None and not case["filed_on"])
        self.document_button.setEnabled(case is not None)
        self.documents_list.clear()
        foreign = self.foreign_jurisdiction(case)
        self.foreign_frame.setVisible(foreign is not None)
        if foreign is not None and case is not None:
            name = foreign["name"] or foreign["code"]
            if case["status"] == "transferred":
                text = self.tr("该案件属于外地管辖（{0}），已移送").format(name)
            else:
                text = self.tr("该案件属于外地管辖（{0}），建议移送").format(name)
            self.foreign_label.setText(text)
            self.foreign_label.setToolTip(case["handling"]["reason_zh"])
            self.transfer_button.setVisible(editable)  # sent: the letter is in 本案文书
        if case is None:
            self.photos.set_ids([])
            self.detail.setHtml(f"<p>{escape(self.tr('在左侧列表中选择一件案件查看详情。'))}</p>")
            self.photos_label.setText(self.tr("证据照片"))
            return
        self.photos.set_ids([e["id"] for e in case["evidence"]])
        self.photos_label.setText(self.tr("证据照片（{0} 张）").format(len(case["evidence"])))
        self.detail.setHtml(self._detail_html(case))
        for doc in case["documents"]:
            status = self.tr(DOC_STATUS_ZH.get(doc["status"], doc["status"]))
            number = doc["number"] or self.tr("未编号")
            item = QListWidgetItem(f"{doc['title']}　{number}　{status}")
            item.setData(DocIdRole, doc["id"])
            self.documents_list.addItem(item)

    def _detail_html(self, c: dict[str, Any]) -> str:
        def row(label: str, value: str) -> str:
            return f"<tr><td valign=top nowrap><b>{escape(label)}</b></td><td>{value}</td></tr>"

        status = self.tr(CASE_STATUS_ZH.get(c["status"], c["status"]))
        parts = [f"<h3>{escape(c['type']['name'] or c['type']['code'])}</h3>"]
        if c["training"]:
            parts.append(f"<p><i>{escape(self.tr('演示（培训）数据'))}</i></p>")
        ref = c["jurisdiction"]
        where = f"{escape(ref['name'] or '')}（{escape(ref['code'])}）" if ref else self.tr("未知")
        position = ""
        if c["position"]:
            pos = c["position"]
            datum = DATUM_NAMES.get((pos["datum"] or "wgs84").lower(), pos["datum"])
            position = f"{pos['lat']:.6f}, {pos['lon']:.6f}（{escape(datum)}）"
        basis_lines, unverified = place_basis_text(c.get("legal_basis_place"))
        basis = escape(basis_lines or basis_text(c["violation"])).replace("\n", "<br>")
        if unverified:
            basis += f"<br><b style='color:#8a5300'>{escape(unverified)}</b>"
        parts += [
            "<table cellspacing=4>",
            row(self.tr("状态"), escape(status)),
            row(self.tr("发现时间"), escape(short_time(c["taken_at"]))),
            row(self.tr("地点"), escape(c["place"] or self.tr("未填写"))),
            row(self.tr("位置"), position or escape(self.tr("无"))),
            row(self.tr("管辖"), where),
            row(self.tr("管辖依据"), escape((c.get("handling") or {}).get("reason_zh", ""))),
            filing_html(c),
            row(self.tr("法律依据"), basis),
            row(self.tr("情况"), escape(c["description"] or self.tr("未填写"))),
            "</table>",
            f"<h4>{escape(self.tr('当事人'))}</h4>",
        ]
        if not c["parties"]:
            parts.append(f"<p style='color:#555'>{escape(self.tr('当事人待查'))}</p>")
        for p in c["parties"]:
            parts.append(self._party_html(p))
        plate_facts = lambda d: party_facts(self.ctx, "vehicle", d)  # noqa: E731
        parts.append(vehicles_html(c, plate_facts) + disputes_html(c))
        if c["jurisdiction_changes"]:
            parts.append(f"<h4>{escape(self.tr('管辖变更'))}</h4><ul>")
            for ch in c["jurisdiction_changes"]:
                parts.append(
                    f"<li>{escape(short_time(ch['at']))} {escape(ch['old_code'] or '')} → "
                    f"{escape(ch['new_code'])}：{escape(ch['reason'])}</li>"
                )
            parts.append("</ul>")
        return "".join(parts)

    def _party_html(self, p: dict[str, Any]) -> str:
        """One party with what its validation said: facts in green, a USCC warning in amber."""
        kind = self.tr(PARTY_KIND_ZH.get(p["kind"], p["kind"]))
        label, number = p["name"], p["id_number"]
        facts = escape(party_facts(self.ctx, p["kind"], p["details"]))
        warning = p["details"].get("check_digit_warning")
        if warning:
            check = (
                f"<span style='color:{AMBER}'>⚠ "
                f"{escape(self.tr('统一社会信用代码'))}{escape(warning)}</span>"
            )
        else:
            check = f"<span style='color:{GREEN}'>✓ {escape(self.tr('校验通过'))}</span>"
        return (
            f"<p><b>{escape(kind)}</b>：{escape(label)} {escape(number)}<br>"
            f"{check}　<span style='color:#444'>{facts}</span></p>"
        )

    # Actions --------------------------------------------------------------------------------
    def new_case(self, evidence_ids: Sequence[str] = ()) -> CaseEditorDialog:
        """Open the case editor, with ``evidence_ids`` ticked (from the evidence page)."""
        self.editor = CaseEditorDialog(self.ctx, list(evidence_ids), self)
        self.editor.recorded.connect(self._recorded)
        self.editor.open()
        return self.editor

    def _recorded(self, case_id: str) -> None:
        self._fill_jurisdictions()
        self.model.reload()
        self._update_summary()
        self.select_case(case_id)
        self._say(self.tr("案件已登记。"), error=False)
        self.changed.emit()

    def change_jurisdiction(self) -> JurisdictionDialog | None:
        if self.current is None:
            return None
        ref = self.current["jurisdiction"]
        dialog = JurisdictionDialog(
            case_query.divisions(self.ctx), ref["code"] if ref else None, self
        )
        case_id = self.current["id"]
        dialog.accepted.connect(lambda: self._jurisdiction_entered(case_id, dialog))
        dialog.open()
        return dialog

    def _jurisdiction_entered(self, case_id: str, dialog: JurisdictionDialog) -> None:
        code, reason = dialog.values()
        tasks_of(self).write(
            self.ctx,
            lambda worker_ctx: cases.change_jurisdiction(worker_ctx, case_id, code, reason),
            lambda _result: self._jurisdiction_changed(case_id),
            refusal_or_bug(lambda exc: self._say(error_text(exc), error=True), self),
        )

    def _jurisdiction_changed(self, case_id: str) -> None:
        self.refresh()
        self.select_case(case_id)
        self._say(self.tr("管辖已更改，理由已记入执法记录。"), error=False)
        self.changed.emit()

    def file_case(self) -> FilingDialog | None:
        """立案 (the §60 ninety days run from the date given)."""
        if self.current is None:
            return None
        import datetime as dt

        from officer_app.services.doc_context import today

        found = self.current["taken_at"]
        dialog = FilingDialog(
            today(self.ctx), dt.date.fromisoformat(found[:10]) if found else None, self
        )
        case_id = self.current["id"]
        dialog.accepted.connect(lambda: self._filed(case_id, dialog.day()))
        dialog.open()
        return dialog

    def _filed(self, case_id: str, day: str) -> None:
        from officer_app.services import filing

        tasks_of(self).write(
            self.ctx,
            lambda worker_ctx: filing.file_case(worker_ctx, case_id, on=day),
            lambda _result: self._case_filed(case_id),
            refusal_or_bug(lambda exc: self._say(error_text(exc), error=True), self),
        )

    def _case_filed(self, case_id: str) -> None:
        self.refresh()
        self.select_case(case_id)
        self._say(self.tr("已立案。"), error=False)
        self.changed.emit()

    def request_document(self, form_id: str) -> None:
        if self.current is not None:
            self.documentRequested.emit(form_id, self.current["id"])

    def _open_document_item(self, item: QListWidgetItem) -> None:
        self.documentOpened.emit(item.data(DocIdRole))

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet(f"color: {RED if error else GREEN};")
        self.message.setText(text)

    def shutdown(self) -> None:
        self.photos.drain()
        if self.editor is not None:
            self.editor.evidence_model.drain()
