"""Plain Chinese for the evidence flags the metadata reader raises."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def flag_text(flag: str) -> str:
    t = QCoreApplication.translate
    texts = {
        "datetime_fallback": t("flags", "缺少原始拍摄时间，使用了文件时间"),
        "assumed_timezone": t("flags", "照片未记录时区，按东八区处理"),
        "camera_default_date": t("flags", "相机时间疑似未设置（出厂默认日期）"),
        "future_time": t("flags", "拍摄时间晚于导入时间"),
        "gps_clock_mismatch": t("flags", "相机时钟与GPS时钟相差过大"),
        "no_camera_exif": t("flags", "无相机拍摄信息（可能经聊天软件转发）"),
        "no_time": t("flags", "无拍摄时间"),
        "no_position": t("flags", "无位置信息"),
        "odd_gps": t("flags", "GPS数据异常"),
        "exif_unreadable": t("flags", "EXIF信息无法解析"),
    }
    return texts.get(flag, flag)


#: Flags that call for the officer's attention (the rest are informational).
WARNING_FLAGS = frozenset(
    {
        "camera_default_date",
        "future_time",
        "gps_clock_mismatch",
        "no_camera_exif",
        "odd_gps",
        "datetime_fallback",
        "exif_unreadable",
    }
)
