"""原始EXIF: every tag read from a photo, in a table of its own, with Chinese names for the common
tags, so the detail pane stays readable and the raw record is one click away (issue 17).

Tag keys are exifread's (``"EXIF DateTimeOriginal"``: the IFD, then the tag); values are shown as
read, untranslated, because they are the record.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from officer_app.ui.screen_fit import fit_to_screen

#: Chinese names of the tags cameras and phones commonly write (key without its IFD prefix).
TAG_NAMES_ZH = {
    "Make": "相机厂商",
    "Model": "相机型号",
    "Software": "软件",
    "Orientation": "方向",
    "DateTime": "修改时间",
    "DateTimeOriginal": "拍摄时间",
    "DateTimeDigitized": "数字化时间",
    "OffsetTime": "时区（修改时间）",
    "OffsetTimeOriginal": "时区（拍摄时间）",
    "OffsetTimeDigitized": "时区（数字化时间）",
    "SubSecTime": "亚秒（修改时间）",
    "SubSecTimeOriginal": "亚秒（拍摄时间）",
    "SubSecTimeDigitized": "亚秒（数字化时间）",
    "XResolution": "水平分辨率",
    "YResolution": "垂直分辨率",
    "ResolutionUnit": "分辨率单位",
    "ExifImageWidth": "图像宽度",
    "ExifImageLength": "图像高度",
    "ImageWidth": "图像宽度",
    "ImageLength": "图像高度",
    "ExposureTime": "曝光时间",
    "FNumber": "光圈值",
    "ISOSpeedRatings": "感光度（ISO）",
    "PhotographicSensitivity": "感光度（ISO）",
    "FocalLength": "焦距",
    "FocalLengthIn35mmFilm": "等效35毫米焦距",
    "Flash": "闪光灯",
    "WhiteBalance": "白平衡",
    "ExposureProgram": "曝光程序",
    "ExposureMode": "曝光模式",
    "MeteringMode": "测光模式",
    "LensModel": "镜头型号",
    "LensMake": "镜头厂商",
    "BodySerialNumber": "机身序列号",
    "ColorSpace": "色彩空间",
    "ExifVersion": "EXIF版本",
    "ExifOffset": "EXIF数据位置",
    "YCbCrPositioning": "YCbCr定位",
    "Compression": "压缩方式",
    "JPEGInterchangeFormat": "缩略图位置",
    "JPEGInterchangeFormatLength": "缩略图长度",
    "GPSInfo": "GPS数据位置",
    "GPSVersionID": "GPS版本",
    "GPSLatitudeRef": "纬度方向",
    "GPSLatitude": "纬度（度、分、秒）",
    "GPSLongitudeRef": "经度方向",
    "GPSLongitude": "经度（度、分、秒）",
    "GPSAltitudeRef": "海拔基准",
    "GPSAltitude": "海拔（米）",
    "GPSTimeStamp": "GPS时间（UTC）",
    "GPSDate": "GPS日期（UTC）",
    "GPSDateStamp": "GPS日期（UTC）",
    "GPSMapDatum": "大地基准",
    "GPSImgDirectionRef": "拍摄方向基准",
    "GPSImgDirection": "拍摄方向",
    "GPSSpeedRef": "速度单位",
    "GPSSpeed": "速度",
    "GPSHPositioningError": "水平定位误差（米）",
    "GPSProcessingMethod": "定位方式",
    "GPSSatellites": "卫星",
    "GPSDOP": "精度因子",
}

#: The IFD a tag comes from, in words.
GROUP_NAMES_ZH = {
    "Image": "图像",
    "EXIF": "拍摄参数",
    "GPS": "GPS",
    "Thumbnail": "缩略图",
    "Interoperability": "互操作",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("RawExifDialog", text)


def tag_name(key: str) -> str:
    """``"GPS GPSLatitude"`` → ``"GPS · 纬度（度、分、秒）"``; an unknown tag keeps its name."""
    group, _, tag = key.partition(" ")
    if not tag:
        group, tag = "", key
    name = TAG_NAMES_ZH.get(tag)
    where = GROUP_NAMES_ZH.get(group, group)
    if name is None:
        return key
    return f"{_tr(where)} · {_tr(name)}" if where else _tr(name)


class RawExifDialog(QDialog):
    def __init__(self, file_name: str, tags: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rawExifDialog")
        self.setWindowTitle(self.tr("原始EXIF：{0}").format(file_name))
        fit_to_screen(self, 940, 600)
        layout = QVBoxLayout(self)
        note = QLabel(
            self.tr("照片中读取到的全部标签（共 {0} 项），数值按原样显示。").format(len(tags))
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("exifFilter")
        self.filter_edit.setPlaceholderText(self.tr("筛选标签或数值"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        layout.addWidget(self.filter_edit)
        self.table = QTableWidget(len(tags), 3)
        self.table.setObjectName("exifTable")
        self.table.setHorizontalHeaderLabels([self.tr("名称"), self.tr("标签"), self.tr("数值")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for row, (key, value) in enumerate(sorted(tags.items(), key=_order)):
            for column, text in enumerate((tag_name(key), key, value)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.table.rowCount()):
            items = (self.table.item(row, c) for c in range(3))
            cells = (item.text().lower() for item in items if item is not None)
            self.table.setRowHidden(row, bool(needle) and not any(needle in c for c in cells))


def _order(item: tuple[str, str]) -> tuple[int, str]:
    """Named tags first (image, shooting, GPS), then the rest by key."""
    key = item[0]
    group = key.partition(" ")[0]
    rank = list(GROUP_NAMES_ZH).index(group) if group in GROUP_NAMES_ZH else len(GROUP_NAMES_ZH)
    named = key.partition(" ")[2] in TAG_NAMES_ZH
    return (0 if named else 1) * 10 + rank, key
