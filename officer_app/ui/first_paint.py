"""Start-up work that waits until the main window has painted its first frame.

Why: the officer judges start-up by when the window with its first page appears.  Some work the
window does at start-up is not needed to show it (watching for input for the idle lock, the first
look for a camera card) and costs more than it seems: the idle lock's application-wide event
filter makes PySide look up a Python type for Qt's private window classes the first time an event
reaches it, which builds the wrappers and enums of every QObject class Qt has (~40 ms of CPU,
measured with ``benchmarks/startup.py``).  Run after the first paint, that cost lands while the
officer is still reading the screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    """Runs callbacks once, in order, on the turn of the event loop after ``widget``'s first paint.

    A callback queued after the paint has happened runs on the next turn of the event loop.  If
    no paint comes within :attr:`LATEST_MS` (a window started minimised), the callbacks run then:
    deferred work is never dropped.
    """

    LATEST_MS = 3000

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._pending: list[Callable[[], None]] = []
        self.painted = False
        self._due = False
        widget.installEventFilter(self)
        QTimer.singleShot(self.LATEST_MS, self, self._overdue)

    def later(self, callback: Callable[[], None], *, first: bool = False) -> None:
        """Queue ``callback``; ``first`` puts it ahead of those queued before it."""
        if first:
            self._pending.insert(0, callback)
        else:
            self._pending.append(callback)
        if (self.painted or self._due) and len(self._pending) == 1:
            QTimer.singleShot(0, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            watched.removeEventFilter(self)
            if self._pending:
                # Not inside the paint: the frame reaches the screen first.
                QTimer.singleShot(0, self, self._run)
        return False

    def _overdue(self) -> None:
        if not self.painted:
            self._due = True
            self._run()

    def _run(self) -> None:
        pending, self._pending = self._pending, []
        for callback in pending:
            callback()
