"""Plain Chinese for the evidence flags the metadata reader raises."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def flag_text(flag: str) -> str:
    # Full QCoreApplication.translate calls, not an alias: lupdate only recognises these.
    texts = {
        "datetime_fallback": QCoreApplication.translate(
            "flags", "缺少原始拍摄时间，使用了文件时间"
        ),
        "assumed_timezone": QCoreApplication.translate("flags", "照片未记录时区，按东八区处理"),
        "camera_default_date": QCoreApplication.translate(
            "flags", "相机时间疑似未设置（出厂默认日期）"
        ),
        "future_time": QCoreApplication.translate("flags", "拍摄时间晚于导入时间"),
        "gps_clock_mismatch": QCoreApplication.translate("flags", "相机时钟与GPS时钟相差过大"),
        "no_camera_exif": QCoreApplication.translate(
            "flags", "无相机拍摄信息（可能经聊天软件转发）"
        ),
        "no_time": QCoreApplication.translate("flags", "无拍摄时间"),
        "no_position": QCoreApplication.translate("flags", "无位置信息"),
        "odd_gps": QCoreApplication.translate("flags", "GPS数据异常"),
        "exif_unreadable": QCoreApplication.translate("flags", "EXIF信息无法解析"),
        "container_time_utc": QCoreApplication.translate(
            "flags", "录像时间按文件规范视为UTC换算，部分记录仪写入的是本地时间，请核对"
        ),
        "recording_truncated": QCoreApplication.translate(
            "flags", "录音录像文件不完整（可能录制时断电），只读取了可读部分"
        ),
        "recording_incomplete": QCoreApplication.translate(
            "flags", "录像缺少索引，无法读取时长和画面（原始文件已保存）"
        ),
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
        "recording_truncated",
        "recording_incomplete",
    }
)
