"""Validators for the identifiers an officer types in: 居民身份证号, 统一社会信用代码, 机动车号牌.

Every validator returns a :class:`ValidationResult` instead of raising, because the UI must show the
officer *why* a number is wrong (in plain Chinese) and, for some failures, let the officer go on after a
warning (early USCCs that fail their own check digit are real and still in use). Nothing here does I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "ID_CHECK_CHARS",
    "ID_WEIGHTS",
    "PLATE_PROVINCES",
    "USCC_ALPHABET",
    "USCC_WEIGHTS",
    "ValidationResult",
    "resident_id_check_char",
    "uscc_check_char",
    "validate_plate",
    "validate_resident_id",
    "validate_uscc",
]


@dataclass(frozen=True)
class ValidationResult:
    """Outcome of one validation: ``reason`` is empty when valid, else a sentence for the officer."""

    valid: bool
    reason: str
    derived: dict[str, Any] = field(default_factory=dict, hash=False)

    def __bool__(self) -> bool:
        return self.valid


def _fail(reason: str, **derived: Any) -> ValidationResult:
    return ValidationResult(False, reason, dict(derived))


# --------------------------------------------------------------------------------------------------
# 居民身份证号 (GB 11643-1999, ISO 7064 MOD 11-2)

ID_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def resident_id_check_char(body17: str) -> str:
    """Check character for the first 17 digits of a resident ID number."""
    if len(body17) != 17 or not body17.isascii() or not body17.isdigit():
        raise ValueError("body must be 17 ASCII digits")
    total = sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def validate_resident_id(value: str, *, today: date | None = None) -> ValidationResult:
    """Validate an 18-digit 居民身份证号.

    ``today`` is injectable so the "birth date not in the future" rule is testable and deterministic.
    Derived: ``region_code`` (GB/T 2260 at issue time; historical codes are kept, not mapped),
    ``birth_date`` (ISO), ``sex`` (男/女 from the parity of the 17th digit), ``normalized``.
    """
    today = today or date.today()
    text = (value or "").strip().upper()
    if not text:
        return _fail("号码为空")
    if len(text) == 15 and text.isdigit():
        return _fail("这是15位旧号码（无校验位），请核对后填写18位号码")
    if len(text) != 18:
        return _fail(f"长度应为18位，实际为{len(text)}位")
    if not _ID_RE.match(text) or not text.isascii():
        return _fail("前17位应为数字，最后一位应为数字或X")
    derived: dict[str, Any] = {"normalized": text, "region_code": text[:6]}
    expected = resident_id_check_char(text[:17])
    if text[17] != expected:
        return ValidationResult(False, f"校验位错误，应为 {expected}", derived)
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return ValidationResult(False, f"出生日期 {text[6:14]} 不是有效日期", derived)
    if born > today:
        return ValidationResult(False, f"出生日期 {born.isoformat()} 晚于今天", derived)
    if born.year < 1900:
        return ValidationResult(False, f"出生日期 {born.isoformat()} 早于1900年", derived)
    derived["birth_date"] = born.isoformat()
    derived["sex"] = "男" if int(text[16]) % 2 == 1 else "女"
    return ValidationResult(True, "", derived)


# --------------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS: tuple[int, ...] = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# 登记管理部门代码 (position 1) and the organisation-type codes each defines (position 2), GB 32100-2015
# appendix A. Unknown codes are reported in ``derived`` but not rejected: the table grows over time.
_USCC_AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": (
        "机构编制",
        {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    ),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {
            "1": "外国旅游部门常驻代表机构",
            "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
            "9": "其他",
        },
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": (
        "农业",
        {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    ),
    "Y": ("其他", {}),
}


def uscc_check_char(body17: str) -> str:
    """Check character for the first 17 characters of a USCC (31 − Σ mod 31, 31 → 0)."""
    if len(body17) != 17 or any(c not in USCC_ALPHABET for c in body17):
        raise ValueError("body must be 17 characters of the USCC alphabet")
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> ValidationResult:
    """Validate a 统一社会信用代码.

    A wrong check character gives ``valid=False`` with ``derived["warn_only"] = True``: some codes issued
    early do not satisfy their own check, so callers warn and let the officer confirm instead of blocking.
    Format errors (length, alphabet, non-numeric region) have ``warn_only = False``.
    Derived: ``registration_authority_code``/``_name``, ``org_type_code``/``_name``, ``region_code``
    (characters 3-8), ``organization_code`` (characters 9-17), ``normalized``.
    """
    text = (value or "").strip().upper()
    if not text:
        return _fail("代码为空", warn_only=False)
    if len(text) != 18:
        return _fail(f"长度应为18位，实际为{len(text)}位", warn_only=False)
    bad = sorted({c for c in text if c not in USCC_ALPHABET})
    if bad:
        shown = "、".join(bad)
        return _fail(f"含有不允许的字符：{shown}（代码不使用 I、O、Z、S、V）", warn_only=False)
    region = text[2:8]
    if not region.isdigit():
        return _fail(f"第3至8位行政区划码 {region} 应为数字", warn_only=False)
    authority_name, types = _USCC_AUTHORITIES.get(text[0], ("未知", {}))
    derived: dict[str, Any] = {
        "normalized": text,
        "registration_authority_code": text[0],
        "registration_authority_name": authority_name,
        "org_type_code": text[1],
        "org_type_name": types.get(text[1], "未知"),
        "region_code": region,
        "organization_code": text[8:17],
        "warn_only": False,
    }
    expected = uscc_check_char(text[:17])
    if text[17] != expected:
        derived["warn_only"] = True
        return ValidationResult(
            False,
            f"校验位错误，应为 {expected}（部分早期代码不符合校验规则，请核对原件后确认）",
            derived,
        )
    return ValidationResult(True, "", derived)


# --------------------------------------------------------------------------------------------------
# 机动车号牌 (GA 36-2018)

PLATE_PROVINCES: dict[str, str] = {
    "京": "北京", "津": "天津", "冀": "河北", "晋": "山西", "蒙": "内蒙古", "辽": "辽宁", "吉": "吉林",
    "黑": "黑龙江", "沪": "上海", "苏": "江苏", "浙": "浙江", "皖": "安徽", "闽": "福建", "赣": "江西",
    "鲁": "山东", "豫": "河南", "鄂": "湖北", "湘": "湖南", "粤": "广东", "桂": "广西", "琼": "海南",
    "渝": "重庆", "川": "四川", "贵": "贵州", "云": "云南", "藏": "西藏", "陕": "陕西", "甘": "甘肃",
    "青": "青海", "宁": "宁夏", "新": "新疆",
}  # fmt: skip

_L = "A-HJ-NP-Z"  # letters without I and O
_SERIAL = f"[{_L}0-9]"
# Suffix-character plates: serial of 4 characters + one Chinese character.
_SUFFIX_KINDS = {"警": "police", "学": "coach", "挂": "trailer", "领": "consulate",
                 "港": "hong_kong", "澳": "macau"}  # fmt: skip
_PLATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("new_energy_small", re.compile(rf"^[DF][{_L}0-9]\d{{4}}$")),
    ("new_energy_large", re.compile(r"^\d{5}[DF]$")),
    ("ordinary", re.compile(rf"^{_SERIAL}{{5}}$")),
)
_SUFFIX_RE = re.compile(rf"^{_SERIAL}{{4}}$")
_SEPARATORS = re.compile(r"[\s·•・.\-]")


def validate_plate(value: str) -> ValidationResult:
    """Validate a 机动车号牌 as printed on the plate (separators like ``·`` and spaces are ignored).

    Kinds: ``ordinary`` (blue small or yellow large plates share the text format: colour is not in the
    text, so a spoil truck's yellow plate is also ``ordinary``), ``new_energy_small`` (D/F right after
    the authority letter), ``new_energy_large`` (D/F at the end), and suffix plates ``police`` (警),
    ``coach`` (学), ``trailer`` (挂), ``consulate`` (领), ``hong_kong``/``macau`` (港/澳, only 粤Z).
    For new-energy plates ``energy`` is 纯电动 (D) or 非纯电动 (F).
    Not covered: military/armed-police plates (no province character), embassy plates (使), temporary
    paper plates.
    """
    text = _SEPARATORS.sub("", (value or "").strip()).upper()
    if not text:
        return _fail("号牌为空")
    province_char = text[0]
    if province_char not in PLATE_PROVINCES:
        return _fail(f"首字“{province_char}”不是省、自治区、直辖市简称")
    if len(text) < 2 or not re.match(rf"[{_L}]", text[1]):
        return _fail("第2位应为发牌机关代号字母（不使用 I、O）")
    derived: dict[str, Any] = {
        "normalized": text,
        "province": PLATE_PROVINCES[province_char],
        "province_abbr": province_char,
        "authority_letter": text[1],
    }
    serial = text[2:]
    if serial and serial[-1] in _SUFFIX_KINDS:
        kind = _SUFFIX_KINDS[serial[-1]]
        if not _SUFFIX_RE.match(serial[:-1]):
            return _fail(f"“{serial[-1]}”字号牌应为4位字母或数字加“{serial[-1]}”（不使用 I、O）")
        if kind in ("hong_kong", "macau") and text[:2] != "粤Z":
            return _fail(f"“{serial[-1]}”字号牌只用于粤Z")
        derived["kind"] = kind
        return ValidationResult(True, "", derived)
    for kind, pattern in _PLATE_PATTERNS:
        if pattern.match(serial):
            derived["kind"] = kind
            if kind.startswith("new_energy"):
                letter = serial[0] if kind == "new_energy_small" else serial[-1]
                derived["energy"] = "纯电动" if letter == "D" else "非纯电动"
            return ValidationResult(True, "", derived)
    if re.search("[IO]", serial):
        return _fail("号牌序号不使用字母 I 和 O")
    if len(serial) == 6:
        return _fail(
            "新能源号牌应为：小型车 D/F + 5位（如 沪AD12345），大型车 5位数字 + D/F（如 苏E12345D）"
        )
    if len(serial) != 5:
        return _fail(f"号牌长度不对：普通号牌为7位，新能源号牌为8位，实际为{len(text)}位")
    return _fail("号牌序号应为5位字母或数字")
