"""The offline map with real widgets: markers and colours, clicks, pin mode, keys, tiles, no network."""

from __future__ import annotations

import io
import json
import socket
import sqlite3
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from officer_app.services import evidence_import, map_data, settings
from officer_app.services.context import AppContext
from officer_app.services.mbtiles import MBTiles
from officer_app.ui.evidence_page import EvidencePage
from officer_app.ui.map_widget import MapWidget, code_color
from tests.doc_fixtures import outside_the_gui
from tests.photos import make_photo

pytestmark = pytest.mark.gui
WUJIANG = (31.0135, 120.8370)
QINGPU = (31.0352, 120.9016)


@pytest.fixture
def page(qtbot, officer_ctx: AppContext, tmp_path: Path):
    evidence_import.import_files(
        officer_ctx,
        [
            make_photo(tmp_path / "wj.jpg", lat=WUJIANG[0], lon=WUJIANG[1], seed=1),
            make_photo(tmp_path / "qp.jpg", lat=QINGPU[0], lon=QINGPU[1], seed=2),
            make_photo(tmp_path / "none.jpg", lat=None, lon=None, seed=3),
        ],
    )
    widget = EvidencePage(officer_ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.map.load_boundaries_now()
    widget.map.fit_to_content()
    yield widget
    widget.shutdown()


def _ids_by_name(page: EvidencePage) -> dict[str, str]:
    return {
        page.model.item(r)["original_name"]: page.model.item(r)["id"]
        for r in range(page.model.rowCount())
    }


def _viewport_point(widget: MapWidget, lat: float, lon: float) -> QPoint:
    return widget.view.mapFromScene(QPointF(*map_data.project(lat, lon)))


def test_markers_for_positioned_photos_in_jurisdiction_colours(page: EvidencePage) -> None:
    ids = _ids_by_name(page)
    markers = page.map.photo_markers
    assert set(markers) == {ids["wj.jpg"], ids["qp.jpg"]}  # the photo without GPS has none
    assert markers[ids["wj.jpg"]].color == code_color("320509")
    assert markers[ids["qp.jpg"]].color == code_color("310118")
    assert code_color("320509") != code_color("310118")
    assert code_color("320509") == code_color("320509")  # stable
    assert page.map.legend_codes() == ["310118", "320509"]
    assert page.map.legend.isVisible() and "吴江区" in page.map.legend.text()
    assert "吴江区（320509）" in markers[ids["wj.jpg"]].toolTip()
    assert len(page.map.district_items) == 305


def test_clicking_a_marker_emits_the_evidence_id_and_selects_it(qtbot, page: EvidencePage) -> None:
    ids = _ids_by_name(page)
    point = _viewport_point(page.map, *QINGPU)
    with qtbot.waitSignal(page.map.photoActivated, timeout=2000) as signal:
        qtbot.mouseClick(page.map.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert signal.args == [ids["qp.jpg"]]
    assert page.current_item()["id"] == ids["qp.jpg"]
    assert page.map.photo_markers[ids["qp.jpg"]].highlighted
    # and the other way: selecting in the grid highlights on the map
    page.select_photo(ids["wj.jpg"])
    assert page.map.photo_markers[ids["wj.jpg"]].highlighted
    assert not page.map.photo_markers[ids["qp.jpg"]].highlighted


def test_pin_mode_saves_a_manual_position(qtbot, page: EvidencePage) -> None:
    ids = _ids_by_name(page)
    page.select_photo(ids["none.jpg"])
    assert page.pin_button.isEnabled()
    page.pin_button.click()
    assert page.map.pin_mode()
    target = (31.0200, 120.8500)
    with qtbot.waitSignal(page.map.positionPicked, timeout=2000) as signal:
        qtbot.mouseClick(
            page.map.view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=_viewport_point(page.map, *target),
        )
    lat, lon = signal.args
    assert lat == pytest.approx(target[0], abs=0.002) and lon == pytest.approx(target[1], abs=0.002)
    dialog = page.position_dialog
    assert dialog is not None and dialog.isVisible()
    assert "吴江区" in dialog.preview.text()
    assert not dialog.ok_button().isEnabled()  # no reason yet
    dialog.reason.setText("照片无GPS，按现场记录在地图上定位")
    assert dialog.ok_button().isEnabled()
    with qtbot.waitSignal(dialog.saved):  # stored by the write executor
        dialog.ok_button().click()
    ctx = page.ctx
    row = ctx.store.query("SELECT * FROM evidence WHERE id = ?", [ids["none.jpg"]])[0]
    assert row["position_source"] == "manual" and row["jurisdiction_code"] == "320509"
    entry = ctx.store.query(
        "SELECT payload FROM ledger WHERE kind = 'position_assigned' AND entity_id = ?",
        [ids["none.jpg"]],
    )
    assert len(entry) == 1 and json.loads(entry[0]["payload"])["source"] == "manual"
    assert ids["none.jpg"] in page.map.photo_markers
    assert not page.map.pin_mode() and not page.pin_button.isChecked()
    assert page.current_item()["id"] == ids["none.jpg"]


def test_typed_coordinates_and_jurisdiction_override_through_dialogs(
    qtbot, page: EvidencePage
) -> None:
    ids = _ids_by_name(page)
    page.select_photo(ids["none.jpg"])
    dialog = page.enter_coordinates()
    dialog.coords.setText("120.8370,31.0135")
    assert "调换" in dialog.preview.text() and "吴江区" in dialog.preview.text()
    dialog.coords.setText("48.85, 2.35")
    assert "不在任何已知辖区内" in dialog.preview.text()
    dialog.reason.setText("现场记录")
    assert not dialog.ok_button().isEnabled()
    dialog.coords.setText("31.0135, 120.8370")
    with qtbot.waitSignal(dialog.saved):  # stored by the write executor
        dialog.ok_button().click()
    assert (
        page.ctx.store.scalar(
            "SELECT jurisdiction_code FROM evidence WHERE id = ?", [ids["none.jpg"]]
        )
        == "320509"
    )
    jd = page.change_jurisdiction()
    assert jd.combo.itemData(0) in {"310118", "330421"}  # a neighbour comes first
    jd.combo.setCurrentIndex(jd.combo.findData("310118"))
    assert not jd.ok_button().isEnabled()
    jd.reason.setText("界河对岸，双方确认")
    with qtbot.waitSignal(jd.saved):
        jd.ok_button().click()
    assert page.map.photo_markers[ids["none.jpg"]].color == code_color("310118")
    assert "管辖更改记录" in page.detail.toPlainText()


def test_zoom_and_pan_keys_change_the_view(qtbot, page: EvidencePage) -> None:
    view = page.map.view
    view.setFocus()
    scale = view.transform().m11()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.transform().m11() == pytest.approx(scale * 2)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.transform().m11() == pytest.approx(scale / 2)
    center = view.center()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.center().x() > center.x() + 1e-6
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.center().y() > center.y() + 1e-6
    qtbot.keyClick(view, Qt.Key.Key_0)  # fit to content
    assert view.transform().m11() == pytest.approx(scale)
    page.map.zoom_in_button.click()
    assert view.transform().m11() == pytest.approx(scale * 2)


def _mbtiles(path: Path, zoom: int, rgb: tuple[int, int, int]) -> Path:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (256, 256), rgb).save(buf, "PNG")
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    conn.execute(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
        " tile_data BLOB)"
    )
    conn.execute("INSERT INTO metadata VALUES ('format', 'png')")
    n = 1 << zoom
    for x in range(n * 210 // 256, n * 218 // 256 + 1):
        for y in range(n * 100 // 256, n * 112 // 256 + 1):
            conn.execute(
                "INSERT INTO tiles VALUES (?, ?, ?, ?)", [zoom, x, n - 1 - y, buf.getvalue()]
            )
    conn.commit()
    conn.close()
    return path


def test_mbtiles_background_is_drawn_under_boundaries_without_network(
    qtbot, officer_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*_args: object, **_kw: object) -> None:
        raise AssertionError("the map tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    tiles = _mbtiles(tmp_path / "area.mbtiles", 8, (255, 0, 255))
    with outside_the_gui():  # seeding, as the write executor would
        settings.put(officer_ctx.store, settings.MBTILES_PATH, str(tiles))
    widget = EvidencePage(officer_ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.map.load_boundaries_now()
    view = widget.map.view
    assert view.tiles is not None and view.tiles.max_zoom == 8
    reads_on: list[str] = []
    read_tile = MBTiles.tile

    def recording_read(self: MBTiles, z: int, x: int, y: int) -> bytes | None:
        reads_on.append(threading.current_thread().name)
        return read_tile(self, z, x, y)

    monkeypatch.setattr(MBTiles, "tile", recording_read)
    widget.map.center_on(31.0, 121.9, zoom=9)  # over-zoomed by one level
    view.viewport().grab()  # the paint asks for the tiles it lacks ...
    qtbot.waitUntil(lambda: not view.tiles_pending)  # ... a worker reads them ...
    image = view.viewport().grab().toImage()  # ... and the next paint draws them
    assert reads_on and threading.main_thread().name not in reads_on  # never in a paint

    def pixel(lat: float, lon: float):
        p = _viewport_point(widget.map, lat, lon)
        return image.pixelColor(p.x(), p.y())

    sea = pixel(31.0, 122.4)  # East China Sea: tile only
    land = pixel(31.05, 121.55)  # inside 浦东/奉贤: the district fill lies over the tile
    assert (sea.red(), sea.green(), sea.blue()) == (255, 0, 255)
    assert land.green() > 60 and land.red() > 200 and land.blue() > 200  # magenta washed pale
    widget.map.set_mbtiles(None)
    bare = view.viewport().grab().toImage()
    p = _viewport_point(widget.map, 31.0, 122.4)
    assert bare.pixelColor(p.x(), p.y()).green() > 150  # no tile: plain sea colour
    assert widget.map.set_mbtiles(str(tmp_path / "missing.mbtiles")) is False
    assert "PySide6.QtNetwork" not in sys.modules
    widget.shutdown()


def test_patrol_page_shows_track_and_photos(qtbot, officer_ctx: AppContext, tmp_path: Path) -> None:
    from officer_app.services import tracks
    from officer_app.ui.patrol_page import PatrolPage
    from tests.test_gui_patrols import make

    patrol_id = make(officer_ctx)
    photo = make_photo(tmp_path / "p.jpg", lat=WUJIANG[0], lon=WUJIANG[1], seed=9)
    with outside_the_gui():  # seeding, as the write executor would
        evidence_import.import_files(officer_ctx, [photo], patrol_id=patrol_id)
    points = "".join(
        f'<trkpt lat="{31.01 + i * 0.002}" lon="{120.83 + i * 0.003}">'
        f"<time>2026-11-20T01:{i:02d}:00Z</time></trkpt>"
        for i in range(20)
    )
    gpx = tmp_path / "t.gpx"
    gpx.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><trkseg>{points}</trkseg></trk></gpx>"
    )
    with outside_the_gui():
        tracks.import_track(officer_ctx, gpx, patrol_id=patrol_id)
    page = PatrolPage(officer_ctx)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    page.view.setCurrentIndex(page.model.index(page.model.row_of(patrol_id), 0))
    page.tabs.setCurrentIndex(1)
    page.map.load_boundaries_now()
    assert page.map.track_item is not None
    assert page.map.track_item.path().elementCount() == 20
    assert len(page.map.photo_markers) == 1
    marker = next(iter(page.map.photo_markers.values()))
    with qtbot.waitSignal(page.map.photoActivated, timeout=2000):
        qtbot.mouseClick(
            page.map.view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=page.map.view.mapFromScene(marker.pos()),
        )
    assert page.photo_view.currentIndex().row() == 0
    page.shutdown()


def test_void_qt_calls_do_not_leak_references_to_none() -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a void method;
    the map makes thousands, and CPython aborts once None's count reaches zero (measured: 6.11.3
    is sound, pyproject excludes 6.12.0). This fails fast if such a binding comes back."""
    from PySide6.QtWidgets import QGraphicsRectItem

    item = QGraphicsRectItem(0, 0, 1, 1)
    before = sys.getrefcount(None)
    for _ in range(1000):
        item.setVisible(True)
    assert sys.getrefcount(None) - before > -50
