"""生成通报: where to write the bulletin of the figures on screen, and whether to number it.

A draft (草稿, unnumbered, marked on every page) is the first choice: issuing takes the next 通 number
of the agency for good, so it is a deliberate second choice. The CSV/XLSX tables are written
beside the PDF under the same name, so a clerk finds the three files together.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def default_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class BulletinDialog(QDialog):
    """Asks for the PDF path, draft or issued, and the table exports; validates the path."""

    def __init__(
        self, scope: str, period_text: str, folder: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("生成通报"))
        self.setMinimumWidth(520)
        root = QVBoxLayout(self)
        root.addWidget(
            QLabel(self.tr("{0}，{1}：按当前统计数字生成专项通报。").format(scope, period_text))
        )

        form = QFormLayout()
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("草稿（不编号，每页标“草稿”）"), True)
        self.kind_combo.addItem(self.tr("正式签发（占用本单位下一个“通”字文号）"), False)
        self.kind_combo.setAccessibleName(self.tr("通报类型"))
        kind_label = QLabel(self.tr("类型(&T)："))
        kind_label.setBuddy(self.kind_combo)
        form.addRow(kind_label, self.kind_combo)

        self.path_edit = QLineEdit(str(folder / f"{scope}{period_text}协作通报.pdf"))
        self.path_edit.setAccessibleName(self.tr("通报文件"))
        # The whole path on screen (not cut at the left), up to most of a 1366 px screen.
        metrics = self.path_edit.fontMetrics()
        self.path_edit.setMinimumWidth(
            min(
                metrics.horizontalAdvance(self.path_edit.text()) + 16,
                metrics.averageCharWidth() * 90,
            )
        )
        self.path_edit.setCursorPosition(0)
        self.path_edit.textChanged.connect(self.path_edit.setToolTip)
        self.path_edit.setToolTip(self.path_edit.text())
        self.browse_button = QPushButton(self.tr("浏览(&B)…"))
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        path_label = QLabel(self.tr("通报文件(&F)："))
        path_label.setBuddy(self.path_edit)
        form.addRow(path_label, row)

        self.csv_check = QCheckBox(self.tr("同时导出 CSV 表格(&C)"))
        self.xlsx_check = QCheckBox(self.tr("同时导出 Excel 表格(&X)"))
        self.xlsx_check.setChecked(True)
        form.addRow(self.csv_check)
        form.addRow(self.xlsx_check)
        root.addLayout(form)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("生成"))
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        root.addWidget(self.buttons)
        self.path_edit.textChanged.connect(self._update)
        self._update()

    # Answers -------------------------------------------------------------------------------------
    @property
    def draft(self) -> bool:
        return bool(self.kind_combo.currentData())

    def set_draft(self, draft: bool) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(draft))

    def pdf_path(self) -> Path:
        text = self.path_edit.text().strip()
        path = Path(text).expanduser()
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

    def csv_path(self) -> Path | None:
        return self.pdf_path().with_suffix(".csv") if self.csv_check.isChecked() else None

    def xlsx_path(self) -> Path | None:
        return self.pdf_path().with_suffix(".xlsx") if self.xlsx_check.isChecked() else None

    # Behaviour -----------------------------------------------------------------------------------
    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.path_edit.text().strip()))

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("保存通报"), str(self.pdf_path()), self.tr("PDF 文件 (*.pdf)")
        )
        if chosen:
            self.path_edit.setText(chosen)

    def problem(self) -> str | None:
        """Why the chosen path cannot be written, in the officer's words (None: it can)."""
        pdf = self.pdf_path()
        if not pdf.parent.is_dir():
            return self.tr("文件夹不存在：{0}").format(pdf.parent)
        if pdf.is_dir():
            return self.tr("这是一个文件夹，请写文件名：{0}").format(pdf)
        return None

    def existing(self) -> list[Path]:
        wanted = [self.pdf_path(), self.csv_path(), self.xlsx_path()]
        return [p for p in wanted if p is not None and p.exists()]

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            QMessageBox.warning(self, self.tr("生成通报"), problem)
            return
        existing = self.existing()
        if existing:
            answer = QMessageBox.question(
                self,
                self.tr("生成通报"),
                self.tr("以下文件已存在，是否覆盖？\n{0}").format("\n".join(map(str, existing))),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.accept()
