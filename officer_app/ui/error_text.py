"""The one table that turns an error code into the officer's sentence, in the UI's language.

Every layer below the UI raises a :class:`~officer_app.errors.UserFacingError` with a stable
``code``, the raise site's own Simplified-Chinese ``message_zh`` and, where it has them, details in
``params`` (a file name, a number, a count).  This table has one entry per code: a Chinese source
text that ``tr()`` translates (lupdate reads the ``QT_TRANSLATE_NOOP`` calls below), with the same
``{placeholders}`` as the details it formats in.

Which text the officer sees:

* a translation of the entry is installed (the English UI): the translated entry, details
  formatted in;
* no translation (the Chinese UI, the source language): the raise site's ``message_zh``, which is
  the most precise Chinese sentence there is (it names the field, the digit, the step);
* a code the table does not know (say a newer platform's): ``message_zh`` as well.

This module is the only one in ``ui/`` that reads ``message_zh`` (tests/test_error_text.py checks);
every other widget asks :func:`error_text`, :func:`coded_text` or :func:`problem_text`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from officer_app.errors import UserFacingError
from officer_app.sync.errors import RefusedError

log = logging.getLogger(__name__)

CONTEXT = "error_text"

# fmt: off
# code -> Chinese source text (translated at run time through QCoreApplication.translate).
_SOURCES: dict[str, object] = {  # QT_TRANSLATE_NOOP is typed as returning object
    # officer_app/errors.py
    "error": QT_TRANSLATE_NOOP("error_text", "操作未能完成。"),
    "usage": QT_TRANSLATE_NOOP("error_text", "无法按所给的要求执行。"),
    "not_found": QT_TRANSLATE_NOOP("error_text", "找不到所要的记录。"),
    "invalid": QT_TRANSLATE_NOOP("error_text", "填写的内容不符合要求，请检查后重试。"),
    "state": QT_TRANSLATE_NOOP("error_text", "当前状态下不能进行此操作。"),
    "conflict": QT_TRANSLATE_NOOP("error_text", "该记录已被他人修改，请重新打开后再试。"),
    # parties and vehicles (services/cases.py)
    "person_name_missing": QT_TRANSLATE_NOOP("error_text", "当事人姓名不能为空。"),
    "organisation_name_missing": QT_TRANSLATE_NOOP("error_text", "当事单位名称不能为空。"),
    "invalid_resident_id": QT_TRANSLATE_NOOP(
        "error_text", "当事人“{name}”的居民身份证号 {number} 无效（请核对位数、出生日期和校验位）。"
    ),
    "invalid_uscc": QT_TRANSLATE_NOOP(
        "error_text", "当事单位“{name}”的统一社会信用代码 {number} 无效（请核对位数和字符）。"
    ),
    "invalid_plate": QT_TRANSLATE_NOOP("error_text", "号牌 {plate} 无效（请核对省份简称、位数和字母）。"),
    # document fields (services/forms.py, record_fields.py); {field} is the form's own label
    "field_not_an_option": QT_TRANSLATE_NOOP("error_text", "{field}：“{value}”不在可选项中。"),
    "field_bad_date": QT_TRANSLATE_NOOP("error_text", "{field}：日期格式应为 2026-03-05。"),
    "field_too_long": QT_TRANSLATE_NOOP(
        "error_text", "{field}：不能超过{max}个字（现为{count}个）。"
    ),
    "field_bad_resident_id": QT_TRANSLATE_NOOP(
        "error_text", "{field}：身份证号无效（请核对位数、出生日期和校验位）。"
    ),
    "field_bad_uscc": QT_TRANSLATE_NOOP("error_text", "{field}：统一社会信用代码无效。"),
    "field_bad_plate": QT_TRANSLATE_NOOP("error_text", "{field}：号牌无效。"),
    "field_bad_phone": QT_TRANSLATE_NOOP("error_text", "{field}：电话号码格式不正确。"),
    "field_bad_amount": QT_TRANSLATE_NOOP("error_text", "{field}：金额应为数字（元），如 5000。"),
    "field_bad_time": QT_TRANSLATE_NOOP("error_text", "{field}：时间格式应为 9:48 或 9时48分。"),
    # patrols (services/patrols.py)
    "end_before_start": QT_TRANSLATE_NOOP("error_text", "结束时间应晚于开始时间。"),
    "no_agencies": QT_TRANSLATE_NOOP("error_text", "请至少选择一个参加单位。"),
    "officer_agency_not_taking_part": QT_TRANSLATE_NOOP(
        "error_text", "执法人员 {name} 的所属单位不在参加单位中。"
    ),
    "amendment_reason_missing": QT_TRANSLATE_NOOP("error_text", "请填写更正理由。"),
    "amendment_unchanged": QT_TRANSLATE_NOOP("error_text", "新值与原值相同，无需更正。"),
    # services
    "unverified_basis": QT_TRANSLATE_NOOP(
        "error_text", "不能签发：{count} 处法律依据未经核实。请对照公布的条文核实后确认，再签发。"
    ),
    "serials_exhausted": QT_TRANSLATE_NOOP("error_text", "本单位的文号已用完，请申请新的文号段。"),
    "incomplete": QT_TRANSLATE_NOOP("error_text", "不能签发：还有 {count} 个必填项未填写。"),
    "print": QT_TRANSLATE_NOOP("error_text", "文书无法排版打印（缺少字体或字形）。"),
    "package": QT_TRANSLATE_NOOP("error_text", "证据包未能生成。"),
    "backup": QT_TRANSLATE_NOOP("error_text", "备份或恢复未能完成，现有数据不受影响。"),
    "export": QT_TRANSLATE_NOOP("error_text", "无法写入“{path}”，请换一个文件夹。"),
    "bulletin_copy_failed": QT_TRANSLATE_NOOP(
        "error_text", "通报已签发为{number}并已存档，但无法写入“{path}”。可在“文书”页另存为PDF。"
    ),
    # files (fileguard.py, store/atomic.py)
    "file": QT_TRANSLATE_NOOP("error_text", "无法读写 {path}。"),
    "not_a_file": QT_TRANSLATE_NOOP("error_text", "{path} 不是普通文件。"),
    "output_is_folder": QT_TRANSLATE_NOOP(
        "error_text", "{path} 是一个文件夹，请写上要保存的文件名。"
    ),
    # a store error that names the file it could not write (store/atomic.py): "<code>:path"
    "store:path": QT_TRANSLATE_NOOP("error_text", "无法写入 {path}。"),
    "disk_full:path": QT_TRANSLATE_NOOP("error_text", "磁盘已满，无法写入 {path}。请清理磁盘空间后重试。"),
    "read_only:path": QT_TRANSLATE_NOOP("error_text", "没有权限写入 {path}。请换一个可写的位置。"),
    # store
    "store": QT_TRANSLATE_NOOP("error_text", "数据未能保存，已保存的数据不受影响。"),
    "disk_full": QT_TRANSLATE_NOOP(
        "error_text", "磁盘已满，无法保存数据。请清理磁盘空间后重试，已保存的数据不受影响。"
    ),
    "locked": QT_TRANSLATE_NOOP("error_text", "数据库被占用（可能另一个程序正在使用），请稍后重试。"),
    "read_only": QT_TRANSLATE_NOOP("error_text", "数据目录不可写，无法保存。请检查数据目录的写入权限。"),
    "corrupt": QT_TRANSLATE_NOOP("error_text", "数据库文件已损坏。请从备份恢复，或联系信息管理人员。"),
    "not_a_database": QT_TRANSLATE_NOOP("error_text", "所选文件不是本软件的数据库文件。"),
    "newer_schema": QT_TRANSLATE_NOOP(
        "error_text", "该数据库由更新版本的软件创建。请升级软件后再打开，数据库未作任何改动。"
    ),
    "migration_failed": QT_TRANSLATE_NOOP(
        "error_text", "数据库升级失败，原数据库未改动（升级前已备份）。请联系信息管理人员。"
    ),
    "sqlite_too_old": QT_TRANSLATE_NOOP(
        "error_text", "本机的 SQLite 组件（版本 {version}）缺少全文检索功能（{feature}），无法打开数据库。请重新安装本软件或联系信息管理人员，数据库未作任何改动。"
    ),
    # media (photos, recordings, tracks) and the import's own refusals
    "media": QT_TRANSLATE_NOOP("error_text", "文件无法处理。"),
    "not_an_image": QT_TRANSLATE_NOOP("error_text", "不是可导入的照片或录音录像文件。"),
    "corrupt_image": QT_TRANSLATE_NOOP("error_text", "文件数据损坏或不完整。"),
    "decompression_bomb": QT_TRANSLATE_NOOP("error_text", "图片像素过多，疑似解压炸弹。"),
    "unreadable_file": QT_TRANSLATE_NOOP("error_text", "无法读取文件。"),
    "bad_gpx": QT_TRANSLATE_NOOP("error_text", "轨迹文件无法使用（编码错误、坐标无效或没有轨迹点）。"),
    "unsupported_format": QT_TRANSLATE_NOOP("error_text", "不支持的格式（{format}）。"),
    "empty_file": QT_TRANSLATE_NOOP("error_text", "文件是空的，没有任何数据。"),
    "vanished": QT_TRANSLATE_NOOP("error_text", "文件已不存在（可能在导入过程中被移走）。"),
    "unreadable": QT_TRANSLATE_NOOP("error_text", "无法读取该文件（权限不足或介质故障）。"),
    "unsupported_recording": QT_TRANSLATE_NOOP("error_text", "不支持的录音录像格式（文件内容无法识别）。"),
    # sync (the platform client)
    "sync": QT_TRANSLATE_NOOP("error_text", "同步失败，未完成的部分将在下次同步时继续。"),
    "sync_transient": QT_TRANSLATE_NOOP(
        "error_text", "暂时无法连接同步平台（网络中断或平台繁忙），请稍后重试。"
    ),
    "sync_refused": QT_TRANSLATE_NOOP("error_text", "同步平台拒绝了请求（状态码 {status}）。"),
    "not_logged_in": QT_TRANSLATE_NOOP("error_text", "尚未登录同步平台，请先登录。"),
    "keyring": QT_TRANSLATE_NOOP(
        "error_text", "本机没有可用的系统密钥库，无法安全保存登录令牌。请启用系统密钥库后重试。"
    ),
    "insecure_server": QT_TRANSLATE_NOOP(
        "error_text", "平台地址不正确，或未使用 https 加密连接（仅本机测试地址可用 http）。"
    ),
    "sync_cancelled": QT_TRANSLATE_NOOP("error_text", "同步已取消，未完成的部分将在下次同步时继续。"),
    "witness": QT_TRANSLATE_NOOP("error_text", "平台见证无法核实。"),
    # the platform's refusals (the error code of its answer, kept by RefusedError)
    "unauthorized": QT_TRANSLATE_NOOP("error_text", "登录已失效或凭据不正确，请重新登录。"),
    "forbidden": QT_TRANSLATE_NOOP("error_text", "无权访问该数据。"),
    "protocol_version": QT_TRANSLATE_NOOP("error_text", "平台与本软件的版本不兼容，请升级软件。"),
    "bad_request": QT_TRANSLATE_NOOP("error_text", "平台拒绝了请求：数据格式不正确。"),
    "range": QT_TRANSLATE_NOOP("error_text", "上传的位置与平台记录的不一致。"),
    "hash_mismatch": QT_TRANSLATE_NOOP("error_text", "文件校验值不一致，传输中可能已损坏。"),
    "mode": QT_TRANSLATE_NOOP("error_text", "平台当前的运行模式不允许此操作。"),
    "too_large": QT_TRANSLATE_NOOP("error_text", "数据过大，平台拒绝接收。"),
    "busy": QT_TRANSLATE_NOOP("error_text", "同一文件正在上传，请稍后重试。"),
    "witness_key": QT_TRANSLATE_NOOP("error_text", "平台签名密钥不可用。"),
    "bad_bundle": QT_TRANSLATE_NOOP("error_text", "同步包格式不正确或已损坏，已拒收。"),
    "database_unavailable": QT_TRANSLATE_NOOP("error_text", "无法连接平台数据库。"),
}
# fmt: on
ERROR_TEXT: dict[str, str] = {code: str(text) for code, text in _SOURCES.items()}


def _translate(source: str) -> str:
    return QCoreApplication.translate(CONTEXT, source)


def internal_error_text(error: BaseException) -> str:
    """A bug, not an expected failure: the officer learns the detail is in the log."""
    return QCoreApplication.translate("messages", "发生内部错误，详情已记录到日志：{0}").format(
        type(error).__name__
    )


def coded_text(code: str, message_zh: str, params: Mapping[str, Any] | None = None) -> str:
    """The officer's sentence for ``code``: the translated entry, else ``message_zh``.

    An error that names a file (``params["path"]``) uses the entry ``"<code>:path"`` when there
    is one, so a full disk says which file it could not write.
    """
    if params and "path" in params and f"{code}:path" in ERROR_TEXT:
        code = f"{code}:path"
    source = ERROR_TEXT.get(code)
    if source is None:
        if code:
            log.info("no error text for code %r", code)
        return message_zh
    translated = _translate(source)
    if translated == source:  # the source language: the raise site's sentence is the precise one
        return message_zh
    try:
        return translated.format(**(params or {}))
    except (KeyError, IndexError, ValueError) as exc:
        log.warning("error text %r lacks a detail (%s): showing the Chinese message", code, exc)
        return message_zh


def error_text(error: BaseException) -> str:
    """What the officer reads about ``error`` (the detail belongs in the log, not here)."""
    if not isinstance(error, UserFacingError):
        return internal_error_text(error)
    code = error.code
    params: dict[str, Any] = dict(error.params)
    if isinstance(error, RefusedError):
        params.setdefault("status", error.status)
        if error.error in ERROR_TEXT:  # the platform said why: more precise than "refused"
            code = error.error
    if "format" not in params and hasattr(error, "format_name"):
        params["format"] = error.format_name
    return coded_text(code, error.message_zh, params)


def problem_text(problem: Mapping[str, Any]) -> str:
    """A finding of 核验 (``verify``), looked up as ``verify.<kind>`` so a finding never borrows an
    error's text; findings have no entries yet, so this is the service's Chinese sentence."""
    return coded_text(f"verify.{problem.get('kind', '')}", str(problem.get("message_zh", "")))


def outcome_text(reason_code: str, reason_zh: str) -> str:
    """Why one file of an import was refused (``FileOutcome.reason_code`` / ``.reason``)."""
    return coded_text(reason_code, reason_zh)
