"""核验: re-check every evidence file, the hash-chained journal and the platform's witness.

The GUI face of ``officer-app verify [--against-platform]``: the same service, run off the GUI
thread, its result shown as the officer reads it (one plain Chinese line per problem, the
witness problems marked as such, and how far the platform vouches for this laptop's journal).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from officer_app.errors import UserFacingError
from officer_app.ui.case_editor import GREEN, RED
from officer_app.ui.error_text import error_text, problem_text
from officer_app.ui.tasks import TaskRunner

# Problem kinds that concern the platform's witness (received evidence included).
WITNESS_PREFIXES = ("witness_", "platform_", "received_")


class VerifyDialog(QDialog):
    def __init__(self, root: Path, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.root, self.tasks = root, tasks
        self.setObjectName("verifyDialog")
        self.setWindowTitle(self.tr("核验证据与日志"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "重新计算每个证据文件的SHA-256，逐条核对执法日志的哈希链，"
                "并与平台签名的见证回执比对。"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.platform_check = QCheckBox(
            self.tr("同时与平台核对(&P)（需联网；回执被一并删除时也能发现）")
        )
        layout.addWidget(self.platform_check)
        self.run_button = QPushButton(self.tr("开始核验(&S)"))
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start)
        layout.addWidget(self.run_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.status = QLabel()
        self.status.setObjectName("verifyStatus")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.status)
        self.summary = QLabel()
        self.summary.setObjectName("verifySummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.problems = QListWidget()
        self.problems.setObjectName("verifyProblems")
        self.problems.setAccessibleName(self.tr("发现的问题"))
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.report: dict[str, Any] | None = None

    def start(self) -> None:
        self.run_button.setEnabled(False)
        self.problems.clear()
        self.summary.clear()
        self.status.setText(escape(self.tr("正在核验…")))
        root, online = self.root, self.platform_check.isChecked()

        def work() -> dict[str, Any]:
            from officer_app.services import verify
            from officer_app.services.context import AppContext

            with AppContext.open(root) as ctx:
                return verify.verify(ctx, against_platform=online)

        self.tasks.run(work, self.show_result, self.show_failure, write=False)

    def show_result(self, result: dict[str, Any]) -> None:
        from officer_app.services.custody_check import custody_summary

        self.report = result
        self.run_button.setEnabled(True)
        counts = self.tr("{0} 个证据文件，{1} 条日志。").format(
            result["evidence_checked"], result["ledger_entries"]
        )
        if result["ok"]:
            self.status.setText(
                f"<b style='color:{GREEN}'>✓ {escape(self.tr('核验通过'))}</b>　{escape(counts)}"
            )
        else:
            found = self.tr("发现 {0} 个问题").format(len(result["problems"]))
            self.status.setText(f"<b style='color:{RED}'>✗ {escape(found)}</b>　{escape(counts)}")
        self.summary.setText(custody_summary(result["witness"]).strip())
        witness_mark = self.tr("【平台见证】")
        for problem in result["problems"]:
            text = problem_text(problem)
            if problem["kind"].startswith(WITNESS_PREFIXES):
                text = f"{witness_mark}{text}"
            item = QListWidgetItem(text)
            item.setToolTip(f"{problem['kind']} · {problem['ref']}\n{problem['detail']}")
            self.problems.addItem(item)

    def show_failure(self, error: BaseException) -> None:
        self.run_button.setEnabled(True)
        text = error_text(error) if isinstance(error, UserFacingError) else type(error).__name__
        self.status.setText(
            f"<b style='color:{RED}'>{escape(self.tr('未能完成核验：'))}</b>{escape(text)}"
        )
