"""Camera-card detection on real folders laid out as mounted volumes, and the bar that offers them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from officer_app.services import camera_cards
from officer_app.services.camera_cards import find_cards, first_card_dcim, mount_parents
from tests.photos import make_photo


@pytest.fixture
def media(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "media" / "officer"
    folder.mkdir(parents=True)
    monkeypatch.setenv(camera_cards.MEDIA_DIRS_ENV, str(folder))
    return folder


def test_a_volume_with_photos_under_dcim_is_a_card(media: Path) -> None:
    make_photo(media / "NIKON D5600" / "DCIM" / "100NIKON" / "DSC_0001.JPG", seed=1)
    make_photo(media / "NIKON D5600" / "DCIM" / "100NIKON" / "DSC_0002.JPG", seed=2)
    (media / "NIKON D5600" / "DCIM" / "100NIKON" / "DSC_0002.NEF").write_bytes(b"raw")
    make_photo(media / "phone" / "dcim" / "Camera" / "IMG_1.jpg", seed=3)  # lower-case on ext4
    make_photo(media / "USB STICK" / "photos" / "a.jpg", seed=4)  # no DCIM: not a camera card
    (media / "EMPTY CARD" / "DCIM").mkdir(parents=True)  # nothing to import: not offered
    bodycam = media / "BODYCAM" / "DCIM" / "100MEDIA"  # a body camera's card: recordings only
    bodycam.mkdir(parents=True)
    (bodycam / "FILE0001.MP4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (bodycam / "FILE0001.NMEA").write_bytes(b"$GPRMC")  # beside it, not imported on its own
    cards = find_cards()
    assert [(c.label, c.photos) for c in cards] == [
        ("BODYCAM", 1),
        ("NIKON D5600", 2),
        ("phone", 1),
    ]
    assert cards[1].dcim == media / "NIKON D5600" / "DCIM"
    assert first_card_dcim() in (media / "EMPTY CARD" / "DCIM", cards[0].dcim, cards[1].dcim)


def test_no_mount_points_no_cards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(camera_cards.MEDIA_DIRS_ENV, str(tmp_path / "absent"))
    assert find_cards() == [] and first_card_dcim() is None


def test_default_mount_parents_follow_the_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(camera_cards.MEDIA_DIRS_ENV, raising=False)
    monkeypatch.setattr(camera_cards, "_user", lambda: "zhangwei")
    assert mount_parents() == [
        Path("/media/zhangwei"),
        Path("/run/media/zhangwei"),
        Path("/media"),
    ]


@pytest.mark.gui
def test_bar_offers_a_card_once_and_hides_when_it_is_taken_out(qtbot, media: Path) -> None:
    from officer_app.ui.camera_card import CardBar
    from officer_app.ui.tasks import TaskRunner

    tasks = TaskRunner()
    bar = CardBar(tasks)
    qtbot.addWidget(bar)
    seen: list[object] = []
    bar.importRequested.connect(seen.append)
    make_photo(media / "CARD" / "DCIM" / "100CANON" / "IMG_0001.JPG", seed=1)
    bar.scan()
    qtbot.waitUntil(bar.isVisible)
    assert "“CARD”" in bar.label.text() and "其中有 1 个" in bar.label.text()
    bar.dismiss()
    bar.scan()
    qtbot.waitUntil(lambda: not bar._scanning)
    assert not bar.isVisible()  # dismissed: not offered again for the same photos
    make_photo(media / "CARD" / "DCIM" / "100CANON" / "IMG_0002.JPG", seed=2)
    bar.scan()
    qtbot.waitUntil(bar.isVisible)  # new photos on it: offered again
    shutil.rmtree(media / "CARD")
    bar.scan()
    qtbot.waitUntil(lambda: not bar.isVisible())  # taken out before the officer answered
    make_photo(media / "CARD2" / "DCIM" / "IMG_0003.JPG", seed=3)
    bar.scan()
    qtbot.waitUntil(bar.isVisible)
    qtbot.mouseClick(bar.import_button, Qt.MouseButton.LeftButton)
    assert [c.label for c in seen] == ["CARD2"] and not bar.isVisible()
    tasks.drain()
