"""Recordings on the 证据 page: imported through the dialog, poster in the grid, strip, playback."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices

from officer_app.services import previews
from officer_app.services.context import AppContext
from officer_app.ui.evidence_page import EvidencePage
from tests.recordings import body_cam_mp4, make_recording

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, officer_ctx: AppContext):
    widget = EvidencePage(officer_ctx)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    yield widget
    widget.shutdown()


def _import(qtbot, page: EvidencePage, paths: list[Path]) -> None:
    dialog = page.import_paths(paths)
    qtbot.waitUntil(lambda: dialog.close_button.isEnabled(), timeout=60_000)
    dialog.accept()


def test_video_in_grid_detail_strip_and_play(
    qtbot, page: EvidencePage, tmp_path: Path, monkeypatch
) -> None:
    video = body_cam_mp4(tmp_path / "VID_0001.MP4", seconds=3.0)
    _import(qtbot, page, [video])
    model = page.model
    assert model.rowCount() == 1
    text = model.data(model.index(0), Qt.ItemDataRole.DisplayRole)
    assert text.startswith("VID_0001.MP4\n录像 0:03 · ")  # duration and size under the name
    sha = model.item(0)["sha256"]
    model.data(model.index(0), Qt.ItemDataRole.DecorationRole)
    qtbot.waitUntil(lambda: sha in model._icons, timeout=30_000)
    with Image.open(page.ctx.data.cache_dir / "thumbs" / sha[:2] / f"{sha}.jpg") as poster:
        assert poster.size == (160, 120)  # a real frame, scaled from 160x120
    page.view.setCurrentIndex(model.index(0))
    html = page.detail.toHtml()
    assert "录像（视听资料）" in html and "0:03" in html and "h264" in html
    qtbot.waitUntil(lambda: "strips" in page.detail.toHtml(), timeout=30_000)
    strip = previews.frame_strip(page.ctx.data, sha)
    assert strip is not None
    with Image.open(strip) as img:
        assert img.width > 3 * img.height
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    assert page.play_button.isEnabled()
    page.play_button.click()
    [url] = opened
    played = Path(url.toLocalFile())
    assert played.suffix == ".mp4" and played.read_bytes() == video.read_bytes()


def test_audio_shows_duration_and_a_waveform(qtbot, page: EvidencePage, tmp_path: Path) -> None:
    note = make_recording(tmp_path / "note.m4a", fmt="ipod", video=None, audio="aac", rate=16000)
    _import(qtbot, page, [note])
    model = page.model
    assert "录音 0:02" in model.data(model.index(0), Qt.ItemDataRole.DisplayRole)
    sha = model.item(0)["sha256"]
    with Image.open(previews.thumbnail(page.ctx.data, sha)) as img:
        thumb = img.convert("RGB")
    # A drawn envelope: the loud parts of the note reach near the top, the soft ones do not.
    near_top = [thumb.getpixel((x, thumb.height // 5)) for x in range(thumb.width)]
    loud = sum(1 for p in near_top if p[2] > 180)
    assert 0.1 * thumb.width < loud < 0.9 * thumb.width
    page.view.setCurrentIndex(model.index(0))
    assert "录音（视听资料）" in page.detail.toHtml()
    assert page.preview_button.isEnabled() and page.play_button.isEnabled()


def test_photo_does_not_offer_play(qtbot, page: EvidencePage, tmp_path: Path) -> None:
    from tests.photos import make_photo

    _import(qtbot, page, [make_photo(tmp_path / "p.jpg", seed=5)])
    page.view.setCurrentIndex(page.model.index(0))
    assert not page.play_button.isEnabled()
    assert page.play_selected() is False


def test_moving_recording_draws_its_path_on_the_map(
    qtbot, page: EvidencePage, tmp_path: Path
) -> None:
    from officer_app.services.map_data import project
    from tests.recordings import BODY_CAM_TIME, nmea_log

    card = tmp_path / "card"
    moving = make_recording(
        card / "FILE0001.MP4", metadata={"creation_time": BODY_CAM_TIME}, seconds=4.0
    )
    nmea_log(card / "FILE0001.NMEA", (1, 2, 3), 31.0135, 120.837, n=5, step=3e-4)
    still = body_cam_mp4(tmp_path / "VID_0002.MP4", seed=3)
    _import(qtbot, page, [moving, still])
    names = [page.model.item(r)["original_name"] for r in range(page.model.rowCount())]
    page.view.setCurrentIndex(page.model.index(names.index("FILE0001.MP4")))
    line = page.route.item
    assert line is not None and line.scene() is page.map.scene
    assert line.path().elementCount() == 5
    first, last = line.path().elementAt(0), line.path().elementAt(4)
    assert (first.x, first.y) == pytest.approx(project(31.0135, 120.837), abs=1e-6)
    assert (last.x, last.y) == pytest.approx(project(31.0135 + 4 * 3e-4, 120.837), abs=1e-6)
    assert "5 个定位点，约 133 米" in page.detail.toHtml()
    page.map.grab().save(str(tmp_path / "map.png"))
    page.view.setCurrentIndex(page.model.index(names.index("VID_0002.MP4")))  # one position
    assert page.route.item is None and line.scene() is None
    assert "无（固定位置）" in page.detail.toHtml()
