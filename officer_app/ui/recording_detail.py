"""What the evidence page shows of a recording: duration, codec, a frame strip, and playback.

The strip is made off the GUI thread (seeking in a multi-GB file can take a moment) and the
detail pane is redrawn when it is ready; playback hands a hard-linked copy of the stored bytes,
named with the original extension, to the system's player (QDesktopServices), so no player is
bundled and the evidence file itself is never opened for writing.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from officer_app.paths import DataDir
from officer_app.services import previews

log = logging.getLogger(__name__)


def format_duration(seconds: float | None) -> str:
    """``1:02:03`` / ``2:03``; a dash when unknown (an index-less recording)."""
    if seconds is None:
        return "—"
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_size(size: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} B"


def kind_text(kind: str) -> str:
    texts = {
        "photo": QCoreApplication.translate("recording", "照片"),
        "video": QCoreApplication.translate("recording", "录像（视听资料）"),
        "audio": QCoreApplication.translate("recording", "录音（视听资料）"),
    }
    return texts.get(kind, kind)


class _StripSignals(QObject):
    ready = Signal(str, str)  # evidence id, strip path ("" when there is none)


class _StripJob(QRunnable):
    def __init__(self, data: DataDir, evidence_id: str, sha256: str, signals: _StripSignals):
        super().__init__()
        self.data, self.evidence_id, self.sha256, self.signals = data, evidence_id, sha256, signals

    def run(self) -> None:
        try:
            path = previews.frame_strip(self.data, self.sha256)
        except Exception as exc:  # a strip is a convenience: its failure is logged, not fatal
            log.warning("frame strip for %s failed: %s", self.sha256, exc)
            path = None
        self.signals.ready.emit(self.evidence_id, str(path) if path else "")


class StripLoader(QObject):
    """Makes frame strips on one background thread and says when each is ready."""

    ready = Signal(str, str)

    def __init__(self, data: DataDir, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._signals = _StripSignals(self)
        self._signals.ready.connect(self._done)
        self._known: dict[str, str] = {}
        self._pending: set[str] = set()

    def strip_for(self, evidence_id: str, sha256: str) -> str | None:
        """The strip's path if made; otherwise starts making it and returns ``None``."""
        if evidence_id in self._known:
            return self._known[evidence_id]
        cached = self.data.cache_dir / "strips" / sha256[:2] / f"{sha256}.jpg"
        if cached.is_file():
            self._known[evidence_id] = str(cached)
            return str(cached)
        if evidence_id not in self._pending:
            self._pending.add(evidence_id)
            self.pool.start(_StripJob(self.data, evidence_id, sha256, self._signals))
        return None

    def _done(self, evidence_id: str, path: str) -> None:
        self._pending.discard(evidence_id)
        self._known[evidence_id] = path
        self.ready.emit(evidence_id, path)

    def drain(self) -> None:
        self.pool.waitForDone(10_000)


def play(data: DataDir, sha256: str, original_name: str) -> bool:
    """Open the recording in the system's player; False when no player took it."""
    path: Path = previews.playable(data, sha256, original_name)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


__all__ = ["StripLoader", "format_duration", "format_size", "kind_text", "play"]
