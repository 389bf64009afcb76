"""The one 签发 confirmation: the 文号 the document will take, its preview, and the cited law
still to be checked (with the officer's attestation), asked once before a number is taken.

签发 cannot be undone (a number is used, the PDF is archived and hashed), so the officer sees
what will go out before it does.  Citations marked 【待核实】 are listed; ticking
“我已对照公布的条文核实以上依据” is required to issue, and is recorded in the ledger
(``catalogue.confirm_draft_basis``) by the editor before the issue runs.
"""

from __future__ import annotations

import io
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from officer_app.domain.legal_catalogue import UNCONFIRMED_MARK
from officer_app.errors import UserFacingError
from officer_app.services.context import AppContext
from officer_app.ui.error_text import error_text
from officer_app.ui.pdf_preview import PREVIEW_DPI, PdfPreview
from officer_app.ui.screen_fit import fit_to_screen
from officer_app.ui.tasks import TaskRunner

RED = "#b00020"
AMBER = "#8a5300"


class IssueDialog(QDialog):
    """Accepted = issue now (and, when citations were listed, the officer checked them)."""

    def __init__(
        self,
        ctx: AppContext,
        plan: dict[str, Any],
        tasks: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan = plan
        self.tasks = tasks
        self.setObjectName("issueDialog")
        self.setWindowTitle(self.tr("签发文书"))
        fit_to_screen(self, 820, 660)
        layout = QVBoxLayout(self)
        self.number_label = QLabel(
            f"<h3>{escape(plan['title'])}</h3><p>"
            + escape(self.tr("签发后文号为：")).replace(" ", "&nbsp;")
            + f"<b style='font-size:large'>{escape(plan['number'])}</b></p>"
        )
        self.number_label.setObjectName("issueNumber")
        self.number_label.setTextFormat(Qt.TextFormat.RichText)
        self.number_label.setWordWrap(True)
        layout.addWidget(self.number_label)
        note = QLabel(
            self.tr(
                "签发将占用该文号，生成正式PDF并存档；签发后不能修改，只能更正。请先核对下面的预览。"
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.preview = PdfPreview()
        self.preview.setObjectName("issuePreview")
        self.preview.show_message(self.tr("正在生成预览…"))
        layout.addWidget(self.preview, 1)
        self.basis_check: QCheckBox | None = None
        if plan["unverified"]:
            layout.addWidget(self._basis_box(plan["unverified"]))
        self.buttons = QDialogButtonBox()
        self.issue_button = self.buttons.addButton(
            self.tr("签发(&I)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.issue_button.setObjectName("confirmIssueButton")
        cancel = self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("cancelIssueButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_button()

    def _basis_box(self, fields: list[dict[str, str]]) -> QGroupBox:
        box = QGroupBox(self.tr("法律依据待核实"))
        box.setObjectName("unverifiedBox")
        inner = QVBoxLayout(box)
        intro = QLabel(
            self.tr("以下依据中标有【待核实】的条文尚未对照公布的文本核实，签发前须逐条核实：")
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {AMBER};")
        inner.addWidget(intro)
        for f in fields:
            text = escape(f["text"]).replace(
                escape(UNCONFIRMED_MARK), f"<b style='color:{RED}'>{escape(UNCONFIRMED_MARK)}</b>"
            )
            label = QLabel(f"<b>{escape(f['label'])}</b>：{text}")
            label.setObjectName(f"unverified_{f['name']}")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            inner.addWidget(label)
        self.basis_check = QCheckBox(self.tr("我已对照公布的条文核实以上依据(&C)"))
        self.basis_check.setObjectName("basisCheckedBox")
        self.basis_check.toggled.connect(self._update_button)
        inner.addWidget(self.basis_check)
        return box

    def _update_button(self) -> None:
        self.issue_button.setEnabled(self.basis_checked() or not self.plan["unverified"])

    def basis_checked(self) -> bool:
        return self.basis_check is not None and self.basis_check.isChecked()

    def start_preview(self) -> None:
        """The draft as it will print (with the 草稿 mark, before the number), off the GUI thread."""
        root, clock, doc_id = self.ctx.data.root, self.ctx.clock, self.plan["id"]

        def work() -> list[QImage]:
            from officer_app.services import documents
            from officer_app.ui import pdf_raster

            buf = io.BytesIO()
            with AppContext.open(Path(root), clock=clock) as worker_ctx:
                documents.render_to(worker_ctx, doc_id, buf)
            return pdf_raster.render_pages(buf.getvalue(), PREVIEW_DPI)

        def done(images: list[QImage]) -> None:
            self.preview.show_pages(
                images, self.tr("预览：签发后去掉“草稿”标记，填入文号和签发日期。")
            )

        def failed(error: BaseException) -> None:
            text = error_text(error) if isinstance(error, UserFacingError) else str(error)
            self.preview.show_message(self.tr("无法预览：{0}").format(text))

        self.tasks.run(work, done, failed, write=False)
