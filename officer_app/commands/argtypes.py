"""argparse types shared by every command, so bad input is a usage error (exit 2) at one place.

Each type checks what can be known from the argument alone (length, range, finiteness, the kind
of file a path names) and answers in Chinese; argparse turns the answer into the one-line usage
error.  Services keep their own checks for the GUI; these make the CLI refuse before it opens
anything.
"""

from __future__ import annotations

import argparse
import math
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from officer_app.errors import UsageError, UserFacingError
from officer_app.fileguard import NotARegularFileError, check_input, check_output, display_path

#: Record ids are UUIDs (36 characters) or prefixes of them; platform token ids are shorter.
#: Anything far longer is a paste gone wrong, and must not be echoed back 100,000 times.
MAX_ID_LENGTH = 128


def record_id(value: str) -> str:
    text = value.strip()
    if not text:
        raise argparse.ArgumentTypeError("编号不能为空")
    if len(text) > MAX_ID_LENGTH:
        raise argparse.ArgumentTypeError(
            f"编号过长（{len(text)} 个字符，最多 {MAX_ID_LENGTH} 个）：{text[:24]}…"
        )
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        raise argparse.ArgumentTypeError(f"编号中不能有空格或控制字符：{text[:40]!r}")
    return text


def _number(value: str, what: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{what}应为数字，收到：{value[:40]}") from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"{what}必须是有限的数字，收到：{value[:40]}")
    return number


def float_in(
    what: str, low: float | None = None, high: float | None = None
) -> Callable[[str], float]:
    """A finite float within [low, high], named ``what`` in the message."""

    def parse(value: str) -> float:
        number = _number(value, what)
        if (low is not None and number < low) or (high is not None and number > high):
            lo = "" if low is None else f"{low:g}"
            hi = "" if high is None else f"{high:g}"
            bounds = f"{lo} 至 {hi}" if lo and hi else (f"不小于 {lo}" if lo else f"不大于 {hi}")
            raise argparse.ArgumentTypeError(f"{what} {value} 超出范围（应{bounds}）")
        return number

    parse.__name__ = what  # argparse names the type in some messages
    return parse


#: Finite only: the range is checked with both numbers at hand (:func:`check_coordinates`), so
#: a swapped pair can be named as such.
latitude = float_in("纬度")
longitude = float_in("经度")


def check_coordinates(lat: float, lon: float) -> None:
    """Out-of-range coordinates are a usage error, with a hint when they look swapped."""
    swapped = abs(lon) <= 90 and abs(lat) <= 180
    hint = "经纬度可能填反了（应先纬度、后经度）。" if swapped else ""
    if not -90 <= lat <= 90:
        raise UsageError(f"纬度 {lat:g} 超出范围（应在 -90 至 90 之间）。{hint}", f"lat {lat}")
    if not -180 <= lon <= 180:
        raise UsageError(f"经度 {lon:g} 超出范围（应在 -180 至 180 之间）。", f"lon {lon}")


def int_in(what: str, low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what}应为整数，收到：{value[:40]}") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(
                f"{what} {value} 超出范围（应在 {low} 至 {high} 之间）"
            )
        return number

    parse.__name__ = what
    return parse


port = int_in("端口", 1, 65535)


def server_url(value: str) -> str:
    """An http(s) URL with a host (and a valid port, if any): what ``login`` can connect to."""
    text = value.strip()
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        raise argparse.ArgumentTypeError(
            f"平台地址格式不正确：{text[:80]}（主机名或端口无效）"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(
            f"平台地址格式不正确：{text[:80]}（应为 https://主机名[:端口]，如 https://pt.example.cn）"
        )
    if any(ch.isspace() for ch in text):
        raise argparse.ArgumentTypeError(f"平台地址中不能有空格：{text[:80]}")
    return text


def _path_type(check: Callable[[Path], Path]) -> Callable[[str], Path]:
    def parse(value: str) -> Path:
        if not value.strip():
            raise argparse.ArgumentTypeError("路径不能为空")
        try:
            return check(Path(value).expanduser())
        except UserFacingError as exc:
            raise argparse.ArgumentTypeError(exc.message_zh) from None

    return parse


def _kind_only(folders: bool) -> Callable[[Path], Path]:
    """Refuse a FIFO, device or (unless allowed) folder; a path that cannot be looked at (missing,
    unreadable) passes, for the command to fail on with the reason (exit 1, not a usage error)."""

    def check(path: Path) -> Path:
        try:
            return check_input(path, folders=folders)
        except NotARegularFileError:
            raise
        except UserFacingError:
            return path

    return check


#: A regular file to read (a FIFO, device or folder is refused without being opened).
input_file = _path_type(_kind_only(folders=False))
#: A regular file or folder (evidence import takes both).
input_path = _path_type(_kind_only(folders=True))
#: A file to write: not a folder, FIFO or device; whether it can be written is found by writing.
output_file = _path_type(check_output)


# argparse's own messages, in the officer's language --------------------------------------------
_ARGPARSE_ZH: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: ", "缺少必需的参数："),
    (r"unrecognized arguments: ", "无法识别的参数："),
    (r"argument (\S+): ", r"参数 \1："),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"无效的选项：\1（可选：\2）"),
    (r"invalid (\S+) value: ", r"无效的\1值："),
    (r"expected one argument", "需要一个值"),
    (r"expected at least one argument", "至少需要一个值"),
    (r"not allowed with argument ", "不能与此参数同时使用："),
    (r"ambiguous option: ", "有歧义的选项："),
    (r"one of the arguments (.*) is required", r"必须给出以下参数之一：\1"),
)


def chinese_usage(message: str) -> str:
    """argparse's English fragments in Chinese; what the officer typed stays as typed."""
    for pattern, replacement in _ARGPARSE_ZH:
        message = re.sub(pattern, replacement, message)
    return display_path(message)
