"""The frame the 巡查, 案件 and 文书 pages share: filter bar, record table beside a detail pane,
a summary line, and a text filter that waits for the officer to stop typing.

Functions rather than a base class: each page keeps its own signals and widgets, and only the
layout and the table settings that must look and behave the same on every page live here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListView,
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
    header.setTextElideMode(Qt.TextElideMode.ElideRight)  # a squeezed header ends in "…"
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    _FitColumns(view, widths)
    return view


class _FitColumns(QObject):
    """Keeps every column of a record table on screen: the widths given are wishes at the normal
    font, scaled with the font (large text) and shrunk together when the table is narrower than
    their sum (a 1366 × 768 laptop), never below a few characters; rows follow the font height.
    Cells too narrow for their text end in "…" and show it whole in their tooltip."""

    def __init__(self, view: QTableView, widths: Sequence[int]) -> None:
        super().__init__(view)
        self.view = view
        self.widths = list(widths)
        # The viewport narrows when the view does or when the vertical scroll bar appears.  Not
        # watched through ``view.viewport()``: the first wrapper PySide makes for that plain
        # QWidget builds the Python types of every widget class Qt has (~13 ms at start-up).
        self.scroll_bar = view.verticalScrollBar()
        self.scroll_bar.installEventFilter(self)
        view.installEventFilter(self)
        view.model().modelReset.connect(self.fit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _REFIT_EVENTS:
            self.fit()
        return False

    def _viewport_width(self) -> int:
        """The viewport's width, from the view's (equal to ``viewport().width()``)."""
        bar = self.scroll_bar
        return self.view.maximumViewportSize().width() - (
            bar.sizeHint().width() if bar.isVisible() else 0
        )

    def fit(self) -> None:
        view = self.view
        if not view.isVisible():
            return  # fitted when shown (a page built but never shown costs nothing)
        header = view.horizontalHeader()
        metrics = view.fontMetrics()
        view.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        count = header.count()
        if count == 0:
            return
        scale = metrics.horizontalAdvance("0") / BASE_DIGIT_WIDTH
        model = view.model()

        def header_width(column: int) -> int:
            text = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            return header.fontMetrics().horizontalAdvance(text) + 24

        wanted = [
            max(round(self.widths[c] * scale) if c < len(self.widths) else 0, header_width(c))
            for c in range(count)
        ]
        available = self._viewport_width()
        if available <= 0:
            return
        # Every column stays on screen: below its header's width when it must (the header ends
        # in "…" and the cells have tooltips), never below a few characters.
        floor = metrics.horizontalAdvance("M") * 3
        least = [min(header_width(c), wanted[c], floor) for c in range(count)]
        widths = _shrink(wanted, least, available)
        # The stretched last section never gets narrower than the size it had before it was
        # stretched: give it its share first, or it pushes itself off the right edge.
        header.setMinimumSectionSize(min(least))
        header.setStretchLastSection(False)
        for column in range(count):
            header.resizeSection(column, widths[column])
        header.setStretchLastSection(True)  # and it takes what is left over


_REFIT_EVENTS = frozenset(
    {QEvent.Type.Resize, QEvent.Type.FontChange, QEvent.Type.Show, QEvent.Type.Hide}
)


def _shrink(wanted: list[int], least: list[int], available: int) -> list[int]:
    """Scale ``wanted`` down to ``available`` together; a column that reaches its ``least``
    stays there and the others share what is left."""
    fixed: set[int] = set()
    while True:
        free = available - sum(least[c] for c in fixed)
        rest = sum(w for c, w in enumerate(wanted) if c not in fixed)
        factor = min(1.0, max(free, 0) / max(rest, 1))
        widths = [least[c] if c in fixed else int(w * factor) for c, w in enumerate(wanted)]
        newly = {c for c, w in enumerate(widths) if c not in fixed and w < least[c]}
        if not newly:
            return widths
        fixed |= newly


#: The width of "0" in the normal UI font the column widths were chosen for (DejaVu Sans 9 pt).
BASE_DIGIT_WIDTH = 7.0


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


def fit_icon_grid(view: QListView, icon: QSize, *, extra: int = 0) -> None:
    """Thumbnail grid cells wide and tall enough for a camera file name under the picture, in
    the current font, and again whenever the font changes (large text); ``extra`` pixels of
    width for what sits beside the picture (a tick box)."""
    _FitGrid(view, icon, extra)


class _FitGrid(QObject):
    SAMPLE = "DSC_0000.JPG"  # a camera's file name: what the grid must show whole

    def __init__(self, view: QListView, icon: QSize, extra: int) -> None:
        super().__init__(view)
        self.view, self.icon, self.extra = view, icon, extra
        view.installEventFilter(self)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FontChange:
            self.fit()
        return False

    def fit(self) -> None:
        metrics = self.view.fontMetrics()
        width = max(self.icon.width(), metrics.horizontalAdvance(self.SAMPLE)) + 14 + self.extra
        height = self.icon.height() + 12 + metrics.height() + 6
        self.view.setGridSize(QSize(width, height))


def fit_combo(combo: QComboBox) -> None:
    """Wide enough for its first entry ("全部…", "All …") in any font, CJK or Latin:
    ``setMinimumContentsLength`` counts Latin characters, a CJK one is two of them."""
    metrics = combo.fontMetrics()
    text = combo.itemText(0) if combo.count() else ""
    chars = -(-metrics.horizontalAdvance(text) // max(metrics.horizontalAdvance("x"), 1))
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(max(chars, 4))


def clear_button_once_typed(edit: QLineEdit) -> None:
    """The clear (×) button, made when the first text is typed: it only shows over text, and
    making it looks up an icon theme (~5 ms when a page is built at start-up)."""

    def typed(text: str) -> None:
        if text:
            edit.textChanged.disconnect(typed)
            edit.setClearButtonEnabled(True)

    edit.textChanged.connect(typed)


def text_filter_timer(parent: QObject, edit: QLineEdit, apply: Callable[[], None]) -> QTimer:
    """Run ``apply`` once typing in ``edit`` pauses (the page stops it when it filters at once)."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(TEXT_FILTER_DELAY_MS)
    timer.timeout.connect(apply)
    edit.textChanged.connect(timer.start)
    return timer
