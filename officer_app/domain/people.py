"""Agencies and officers as the rest of the code sees them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

#: A district-level agency is its 6-digit GB/T 2260 code; a squad below it adds "-suffix".
AGENCY_CODE_RE = re.compile(r"^\d{6}(-[a-z0-9]{1,16})?$")


def is_agency_code(code: str) -> bool:
    return bool(AGENCY_CODE_RE.match(code))


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    short_name: str
    division_code: str
    province: str

    def ref(self) -> dict[str, str]:
        """The ``{"code", "name"}`` form every JSON output uses for an agency."""
        return {"code": self.code, "name": self.name}


@dataclass(frozen=True)
class Officer:
    id: str
    name: str
    badge: str  # 执法证号
    agency_code: str
    phone: str = ""  # optional; printed in a letter's 附注 (GB/T 9704 §7.3.6)

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> Officer:
        """An officers row (a store not yet migrated to the phone column reads as blank: the
        services that run during such an upgrade, e.g. an upgrade test's demo, still work)."""
        return cls(
            str(row["id"]),
            str(row["name"]),
            str(row["badge"]),
            str(row["agency_code"]),
            str(row.get("phone") or ""),
        )

    def public(self) -> dict[str, str]:
        return {
            "name": self.name,
            "badge": self.badge,
            "agency": self.agency_code,
            "phone": self.phone,
        }


#: 区号-号码[-分机]: 021-59721234, 0512-63001234, 0573-8412345-801 (the hyphen may be left out).
#: Area codes: 010 and 02x have three digits, all others (03xx-09xx) four.
_LANDLINE_RE = re.compile(r"^(0[12]\d|0[3-9]\d{2})-?([2-9]\d{6,7})(?:-(\d{1,6}))?$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(text: str) -> str:
    """An officer's phone as a letter prints it: a mobile (13812345678) or a landline with its
    area code (021-59721234, extension allowed); ``""`` stays ``""`` (the phone is optional).
    Raises ValueError with the message the officer sees."""
    s = text.strip().translate(str.maketrans("０１２３４５６７８９－—", "0123456789--"))
    s = s.replace(" ", "").replace("转", "-")
    if not s:
        return ""
    if s.startswith("+86"):
        s = s[3:]
    if _MOBILE_RE.match(s):
        return s
    m = _LANDLINE_RE.match(s)
    if m:
        return f"{m[1]}-{m[2]}" + (f"-{m[3]}" if m[3] else "")
    raise ValueError(
        f"联系电话格式不正确：{text.strip()}。请填写手机号（如 13812345678）"
        "或带区号的固定电话（如 021-59721234）。"
    )
