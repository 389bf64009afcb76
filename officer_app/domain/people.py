"""Agencies and officers as the rest of the code sees them."""

from __future__ import annotations

import re
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

    def public(self) -> dict[str, str]:
        return {"name": self.name, "badge": self.badge, "agency": self.agency_code}
