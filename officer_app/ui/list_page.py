"""The frame the 巡查, 案件 and 文书 pages share: filter bar, record table beside a detail pane,
a summary line, and a text filter that waits for the officer to stop typing.

Functions rather than a base class: each page keeps its own signals and widgets, and only the
layout and the table settings that must look and behave the same on every page live here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

TEXT_FILTER_DELAY_MS = 250  # one query per pause in typing, not one per keystroke


def record_table(
    model: QAbstractItemModel, name: str, accessible: str, widths: Sequence[int]
) -> QTableView:
    """A read-only table of records, one selected row at a time, with the given column widths."""
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    return view


def lay_out(
    page: QWidget,
    filter_bar: QLayout,
    table: QWidget,
    detail: QWidget,
    *,
    summary_name: str,
    stretch: tuple[int, int] = (3, 2),
    sizes: Sequence[int] = (),
) -> QLabel:
    """Filter bar over table | detail over the summary line; returns the summary label."""
    layout = QVBoxLayout(page)
    layout.addLayout(filter_bar)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(table)
    splitter.addWidget(detail)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    if sizes:
        splitter.setSizes(list(sizes))
    layout.addWidget(splitter, 1)
    summary = QLabel()
    summary.setObjectName(summary_name)
    layout.addWidget(summary)
    return summary


def text_filter_timer(parent: QObject, edit: QLineEdit, apply: Callable[[], None]) -> QTimer:
    """Run ``apply`` once typing in ``edit`` pauses (the page stops it when it filters at once)."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(TEXT_FILTER_DELAY_MS)
    timer.timeout.connect(apply)
    edit.textChanged.connect(timer.start)
    return timer
