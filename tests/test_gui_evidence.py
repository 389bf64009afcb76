"""The 证据 page: import dialog with progress and outcomes, thumbnails, filters, detail, drops."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from officer_app.services.context import AppContext
from officer_app.ui.evidence_model import EvidenceModel
from officer_app.ui.evidence_page import EvidencePage
from officer_app.ui.import_dialog import ImportDialog
from tests.photos import CST, make_photo

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, officer_ctx: AppContext):
    widget = EvidencePage(officer_ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    yield widget
    widget.shutdown()


def _run_import(qtbot, page: EvidencePage, paths: list[Path]) -> ImportDialog:
    dialog = page.import_paths(paths)
    qtbot.waitUntil(lambda: dialog.close_button.isEnabled(), timeout=60_000)
    return dialog


def test_import_through_the_dialog_lists_each_outcome(
    qtbot, page: EvidencePage, tmp_path: Path
) -> None:
    good = [make_photo(tmp_path / f"g{i}.jpg", seed=60 + i) for i in range(3)]
    bad = tmp_path / "bad.jpg"
    bad.write_text("not an image")
    dialog = _run_import(qtbot, page, [*good, bad])
    assert dialog.table.rowCount() == 4
    results = [dialog.table.item(r, 1).text() for r in range(4)]
    assert results.count("已导入") == 3 and results.count("未导入") == 1
    assert dialog.table.item(results.index("未导入"), 2).text()
    assert "新导入 3 个" in dialog.status.text()
    dialog.accept()
    assert page.model.rowCount() == 3
    assert "3" in page.summary.text()


def test_thumbnails_arrive_off_thread_and_detail_shows_hash_and_position(
    qtbot, page: EvidencePage, tmp_path: Path
) -> None:
    _run_import(qtbot, page, [make_photo(tmp_path / "a.jpg", seed=70)]).accept()
    model: EvidenceModel = page.model
    index = model.index(0)
    model.data(index, Qt.ItemDataRole.DecorationRole)  # asks for the thumbnail
    sha = model.item(0)["sha256"]
    qtbot.waitUntil(lambda: sha in model._icons, timeout=20_000)
    assert not model._icons[sha].pixmap(160, 120).isNull()
    assert (page.ctx.data.cache_dir / "thumbs" / sha[:2] / f"{sha}.jpg").is_file()
    page.view.setCurrentIndex(index)
    text = page.detail.toPlainText()
    assert sha in text and "31.013500" in text and "320509" in text


def test_detail_reads_in_chinese_and_the_raw_exif_has_its_own_table(
    qtbot, page: EvidencePage, tmp_path: Path
) -> None:
    _run_import(qtbot, page, [make_photo(tmp_path / "a.jpg", seed=9)]).accept()
    page.view.setCurrentIndex(page.model.index(0))
    text = page.detail.toPlainText()
    # Local time in Chinese form (the photo says 09:30:09 +08:00), no ISO text.
    assert "2026年11月20日 09:30:09" in text and "T09:30" not in text
    # 导入时间 on the officer's clock: stored in UTC, shown 8 hours later.
    imported = page.ctx.store.scalar("SELECT imported_at FROM evidence")
    expected = dt.datetime.fromisoformat(imported).astimezone(CST)
    assert f"{expected.month}月{expected.day}日 {expected:%H:%M:%S}" in text
    # The position with its datum in words; the size in KB with the exact byte count.
    assert "北纬 31.013500°，东经 120.837000°，WGS-84 坐标（卫星定位原始坐标）" in text
    assert "KB（" in text and "字节）" in text
    # The raw tags are not dumped in the pane: they are behind 原始EXIF….
    assert "GPS GPSLatitude" not in text and "Image Make" not in page.detail.toHtml()
    dialog = page.show_raw_exif()
    assert dialog is not None and dialog.isVisible()
    rows = {
        dialog.table.item(r, 1).text(): dialog.table.item(r, 0).text()
        for r in range(dialog.table.rowCount())
    }
    assert rows["EXIF DateTimeOriginal"] == "拍摄参数 · 拍摄时间"
    assert rows["GPS GPSLatitude"] == "GPS · 纬度（度、分、秒）"
    assert rows["GPS GPSMapDatum"] == "GPS · 大地基准"
    dialog.filter_edit.setText("GPSLatitude")
    shown = [r for r in range(dialog.table.rowCount()) if not dialog.table.isRowHidden(r)]
    assert {dialog.table.item(r, 1).text() for r in shown} == {
        "GPS GPSLatitude",
        "GPS GPSLatitudeRef",
    }
    dialog.close()


def test_filters_by_position_and_flag(qtbot, page: EvidencePage, tmp_path: Path) -> None:
    located = make_photo(tmp_path / "gps.jpg", seed=71)
    blind = make_photo(tmp_path / "nogps.jpg", lat=None, lon=None, seed=72)
    _run_import(qtbot, page, [located, blind]).accept()
    assert page.model.rowCount() == 2
    page.position_combo.setCurrentIndex(page.position_combo.findData(False))
    assert page.model.rowCount() == 1 and page.model.item(0)["original_name"] == "nogps.jpg"
    page.position_combo.setCurrentIndex(0)
    page.flag_combo.setCurrentIndex(page.flag_combo.findData("no_position"))
    assert page.model.rowCount() == 1
    page.flag_combo.setCurrentIndex(0)
    page.use_dates.setChecked(True)  # default range ends today; photos are from 2026-11-20
    page.date_from.setDate(page.date_from.date().fromString("2026-11-20", "yyyy-MM-dd"))
    page.date_to.setDate(page.date_to.date().fromString("2026-11-20", "yyyy-MM-dd"))
    assert page.model.rowCount() == 2
    page.date_from.setDate(page.date_from.date().fromString("2026-11-21", "yyyy-MM-dd"))
    page.date_to.setDate(page.date_to.date().fromString("2026-11-22", "yyyy-MM-dd"))
    assert page.model.rowCount() == 0


def test_cancel_keeps_what_was_imported(qtbot, page: EvidencePage, tmp_path: Path) -> None:
    photos = [make_photo(tmp_path / f"c{i}.jpg", seed=80 + i) for i in range(40)]
    dialog = page.import_paths(photos)
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 1, timeout=30_000)
    dialog.cancel()
    qtbot.waitUntil(lambda: dialog.close_button.isEnabled(), timeout=30_000)
    assert dialog.report is not None and dialog.report.cancelled
    imported = dialog.report.count("imported")
    assert 1 <= imported < 40
    assert page.ctx.store.scalar("SELECT COUNT(*) FROM evidence") == imported


def test_drop_files_onto_the_page_imports_them(qtbot, page: EvidencePage, tmp_path: Path) -> None:
    photo = make_photo(tmp_path / "dropped.jpg", seed=90)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # QApplication only routes a Drop during a real drag; the widget's own dispatch is what we test.
    assert page.event(event)
    assert event.isAccepted()
    dialogs = page.findChildren(ImportDialog)
    assert len(dialogs) == 1
    qtbot.waitUntil(lambda: dialogs[0].close_button.isEnabled(), timeout=30_000)
    assert page.model.rowCount() == 1


def test_model_passes_qt_model_tester(
    qtmodeltester, officer_ctx: AppContext, tmp_path: Path
) -> None:
    from officer_app.services import evidence_import

    evidence_import.import_files(
        officer_ctx, [make_photo(tmp_path / f"m{i}.jpg", seed=95 + i) for i in range(3)]
    )
    model = EvidenceModel(officer_ctx)
    qtmodeltester.check(model)
    model.drain()


def test_preview_is_decoded_off_thread_and_cached(
    qtbot, page: EvidencePage, tmp_path: Path
) -> None:
    _run_import(qtbot, page, [make_photo(tmp_path / "p.jpg", seed=110)]).accept()
    page.view.setCurrentIndex(page.model.index(0))
    dialog = page.show_preview()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.loaded, timeout=20_000)
    assert dialog.image_label.pixmap().width() == 320  # small originals are never upscaled
    sha = page.model.item(0)["sha256"]
    assert (page.ctx.data.cache_dir / "previews" / sha[:2] / f"{sha}.jpg").is_file()
    dialog.accept()


def test_selected_photos_are_handed_to_a_new_case(
    qtbot, page: EvidencePage, tmp_path: Path
) -> None:
    photos = [make_photo(tmp_path / f"s{i}.jpg", seed=120 + i) for i in range(3)]
    _run_import(qtbot, page, photos).accept()
    page.view.setCurrentIndex(page.model.index(0))
    page.view.selectionModel().select(
        page.model.index(2), page.view.selectionModel().SelectionFlag.Select
    )
    with qtbot.waitSignal(page.caseRequested) as blocker:
        page.case_button.click()
    assert blocker.args[0] == [page.model.item(0)["id"], page.model.item(2)["id"]]


def test_high_dpi_thumbnails_are_decoded_large_enough(officer_ctx, tmp_path: Path) -> None:
    """On a 2x screen the camera's 160-pixel embedded thumbnail would be blurry: decode instead."""
    from PIL import Image

    from officer_app.services import evidence_import, previews

    photo = make_photo(tmp_path / "hd.jpg", seed=130)
    sha = evidence_import.import_files(officer_ctx, [photo]).files[0].sha256
    assert sha is not None
    with Image.open(previews.thumbnail(officer_ctx.data, sha)) as normal:
        assert max(normal.size) == 160  # the embedded thumbnail, the fast path
    with Image.open(previews.thumbnail(officer_ctx.data, sha, scale=2)) as sharp:
        assert max(sharp.size) == 320  # the 320-pixel photo itself, never upscaled
