"""Import photos with progress, a per-file outcome list and cancel; the work is a write task of
the background-work API (``ui/tasks.py``), so it queues on the one write executor.

The dialog closes itself when every file came in (the evidence page then selects them and offers
立案); it stays open when a file was refused or the import stopped, so the reasons can be read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from officer_app.services.context import AppContext

if TYPE_CHECKING:
    from officer_app.services.evidence_import import FileOutcome, ImportReport
from officer_app.ui.error_text import outcome_text
from officer_app.ui.flags import WARNING_FLAGS, flag_text
from officer_app.ui.messages import show_error
from officer_app.ui.tasks import Job, TaskRunner


def _import_task(
    root: Path, paths: list[Path], patrol_id: str | None
) -> Callable[[Job], ImportReport]:
    """The import as a write task: progress and each file's outcome go to the dialog through
    the job, and cancelling the job stops it within a second, even in the middle of a big
    recording (the copy asks before every chunk; the partial file is removed)."""

    def work(job: Job) -> ImportReport:
        # Imported here: Pillow and exifread stay off the GUI's start-up path.
        from officer_app.services import evidence_import

        with AppContext.open(root) as ctx:

            def progress(index: int, total: int, path: Path) -> None:
                job.report("progress", index, total, path.name)

            def on_outcome(outcome: FileOutcome) -> None:
                job.report("outcome", outcome)

            return evidence_import.import_files(
                ctx,
                paths,
                patrol_id=patrol_id,
                progress=progress,
                cancelled=job.cancelled,
                on_outcome=on_outcome,
            )

    return work


class ImportDialog(QDialog):
    imported = Signal()

    def __init__(
        self,
        root: Path,
        paths: list[Path],
        *,
        patrol_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("导入证据照片"))
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        self.status = QLabel(self.tr("正在准备…"))
        self.status.setObjectName("importStatus")
        layout.addWidget(self.status)
        self.bar = QProgressBar()
        self.bar.setAccessibleName(self.tr("导入进度"))
        layout.addWidget(self.bar)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("importOutcomes")
        self.table.setHorizontalHeaderLabels([self.tr("文件"), self.tr("结果"), self.tr("原因")])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.buttons = QDialogButtonBox()
        self.cancel_button = QPushButton(self.tr("取消导入(&C)"))
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setEnabled(False)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.accept)
        layout.addWidget(self.buttons)
        self.report: ImportReport | None = None
        self.tasks = TaskRunner(self)
        self._work = _import_task(root, paths, patrol_id)
        self.job: Job | None = None

    def start(self) -> None:
        # A write task: it queues on the one write executor behind any other write.
        self.job = self.tasks.start(
            self._work, self._finished, self._failed, write=True, on_progress=self._reported
        )

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the import task is over (benchmarks, tests); the GUI never calls it."""
        return self.tasks.wait(msecs)

    def _reported(self, kind: str, *args: object) -> None:
        if kind == "progress":
            self._progress(*args)  # type: ignore[arg-type]
        else:
            self._add_outcome(*args)  # type: ignore[arg-type]

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.cancel_button.setEnabled(False)
        self.status.setText(self.tr("正在取消，当前文件处理完后停止…"))

    def reject(self) -> None:  # Esc / window close while running means cancel, not abandon
        if self.running:
            self.cancel()
            return
        super().reject()

    def _progress(self, index: int, total: int, name: str) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(index)
        if name:
            self.status.setText(self.tr("正在导入（{0}/{1}）：{2}").format(index + 1, total, name))

    def _add_outcome(self, outcome: FileOutcome) -> None:
        labels = {
            "imported": self.tr("已导入"),
            "duplicate": self.tr("重复（已存在）"),
            "rejected": self.tr("未导入"),
        }
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(Path(outcome.path).name))
        self.table.setItem(row, 1, QTableWidgetItem(labels[outcome.outcome]))
        # A refusal, or a file kept although damaged (a recording cut short): the service says why.
        if outcome.outcome == "rejected" or outcome.reason:
            reason = outcome_text(outcome.reason_code, outcome.reason)
        else:  # imported with something the officer should look at
            reason = "；".join(flag_text(f) for f in outcome.flags if f in WARNING_FLAGS)
        self.table.setItem(row, 2, QTableWidgetItem(reason))

    def _finished(self, report: ImportReport) -> None:
        self.report = report
        summary = self.tr("导入完成：新导入 {0} 个，重复 {1} 个，未导入 {2} 个。").format(
            report.count("imported"), report.count("duplicate"), report.count("rejected")
        )
        if report.cancelled:
            summary = self.tr("导入已取消。") + summary
        if report.fatal:
            last = report.files[-1] if report.files else None  # the file the import stopped on
            fatal = outcome_text(last.reason_code, report.fatal) if last else report.fatal
            summary = self.tr("导入中止：{0}").format(fatal)
        self.status.setText(summary)
        self._done()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("导入失败。"))
        self._done()
        show_error(self, self.tr("导入失败"), error)

    def _done(self) -> None:
        self.cancel_button.setEnabled(False)
        self.close_button.setEnabled(True)
        self.close_button.setDefault(True)
        self.imported.emit()
        report = self.report
        if report is not None and not (
            report.cancelled or report.fatal or report.count("rejected")
        ):
            self.accept()  # nothing to read here: the page says what came in and selects it

    def evidence_ids(self) -> list[str]:
        """The photos this import brought in or found already stored, in file order."""
        if self.report is None:
            return []
        return [f.evidence_id for f in self.report.files if f.evidence_id]

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)


class ImportOfferBar(QFrame):
    """After an import: how many photos came in (now selected), with 立案 one click away."""

    caseRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importOffer")
        self.setStyleSheet(
            "QFrame#importOffer { background: #e8f5e9; border: 1px solid #8fc79a;"
            " border-radius: 4px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        self.label = QLabel()
        self.label.setObjectName("importOfferLabel")
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.case_button = QPushButton(self.tr("用这些照片立案(&K)…"))
        self.case_button.setObjectName("offerCaseButton")
        self.case_button.clicked.connect(self.caseRequested)
        layout.addWidget(self.case_button)
        close = QPushButton(self.tr("关闭提示"))
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self.hide()

    def offer(self, selected: int, imported: int) -> None:
        if not selected:
            self.hide()
            return
        self.label.setText(
            self.tr("导入完成：新导入 {0} 张，已选中本次的 {1} 张照片。").format(imported, selected)
        )
        self.case_button.setDefault(True)
        self.show()
