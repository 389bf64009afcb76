"""Manual positions and jurisdiction overrides of evidence photos, and a coordinate parser.

Why: a photo without GPS (or with a fix that is plainly wrong, e.g. taken indoors or under a
bridge) still has to say where the violation was, because 行政处罚法 §22 gives the case to the
district of the place. The officer puts it on the map or types / pastes a coordinate copied from
a web map, which is often GCJ-02 or BD-09 and often in the wrong order. Either way the store keeps
WGS-84 with ``position_source = 'manual'``, the jurisdiction is recomputed from the same polygons
that decide every other photo, and the change is a ledger entry plus an outbox entry written in
one transaction with the row, so the evidence history shows who moved what, from where, and why.

Near a border the polygons (unofficial, 5-30 m GPS error) may be wrong, so the officer may
override the jurisdiction itself, with a reason; that is a separate, equally recorded act.
"""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from typing import Any

from officer_app.errors import NotFoundError, StateError, ValidationError
from officer_app.services import jurisdiction, settings
from officer_app.services.context import AppContext
from officer_app.services.officers import require_officer
from officer_app.store import ledger
from officer_app.store.outbox import enqueue

DATUMS = ("wgs84", "gcj02", "bd09")
DATUM_ZH = {"wgs84": "WGS-84（GPS）", "gcj02": "GCJ-02（高德/腾讯）", "bd09": "BD-09（百度）"}
SWAPPED_HINT_ZH = "经纬度可能填反了（应先纬度、后经度）。"
HINT_SWAPPED = "lat_lon_swapped"


class PositionRefused(ValidationError):
    """A position that cannot be stored; ``hint`` is ``'lat_lon_swapped'`` when that fits."""

    def __init__(self, message_zh: str, detail: str = "", *, hint: str | None = None) -> None:
        super().__init__(message_zh, detail)
        self.hint = hint


# -- Parsing typed or pasted coordinates --------------------------------------------------------


@dataclass(frozen=True)
class ParsedCoordinates:
    """A parsed pair, always (lat, lon). ``swapped`` says the text gave longitude first."""

    lat: float
    lon: float
    swapped: bool = False

    @property
    def hint(self) -> str | None:
        return HINT_SWAPPED if self.swapped else None

    @property
    def note_zh(self) -> str:
        """What the officer should be told about how the text was read."""
        return "输入为先经度、后纬度，已按“纬度, 经度”调换。" if self.swapped else ""


_NORMALISE = (
    ("，", ","),
    ("；", ";"),
    ("、", ","),
    ("：", ":"),
    ("°", "°"),
    ("º", "°"),
    ("度", "°"),
    ("′", "'"),
    ("’", "'"),
    ("‘", "'"),
    ("分", "'"),
    ("″", '"'),
    ("”", '"'),
    ("“", '"'),
    ("''", '"'),
    ("秒", '"'),
    ("北纬", "N"),
    ("南纬", "S"),
    ("东经", "E"),
    ("西经", "W"),
    ("－", "-"),
    ("＋", "+"),
)

_NUMBER = r"\d+(?:\.\d+)?|\.\d+"
_TOKEN = re.compile(
    rf"""
    (?P<pre>[NSEW])?\s*
    (?P<sign>[-+])?\s*
    (?P<deg>{_NUMBER})
    (?:\s*(?P<degmark>°)
        (?:\s*(?P<min>{_NUMBER})\s*'
            (?:\s*(?P<sec>{_NUMBER})\s*")?
        )?
    )?
    # a trailing hemisphere letter, unless it is the prefix of the next number ("N31 E120")
    (?:(?P<post>[NSEW])|\s+(?P<post2>[NSEW])(?!\s*[-+]?[\d.]))?
    """,
    re.VERBOSE,
)
_SEPARATOR = re.compile(r"\s*[,;/]\s*|\s+")


@dataclass(frozen=True)
class _Token:
    value: float
    axis: str | None  # 'lat' / 'lon' from a hemisphere letter, else None


def _token_value(match: re.Match[str], raw: str) -> _Token:
    deg_text, minutes, seconds = match["deg"], match["min"], match["sec"]
    if (minutes is not None or seconds is not None) and "." in deg_text:
        raise ValidationError(f"无法识别坐标：{raw}（度分秒格式中“度”应为整数）", f"dms {raw!r}")
    value = float(deg_text)
    for part, scale in ((minutes, 60.0), (seconds, 3600.0)):
        if part is not None:
            amount = float(part)
            if amount >= 60.0:
                raise ValidationError(
                    f"无法识别坐标：{raw}（分、秒应小于60）", f"minutes/seconds {raw!r}"
                )
            value += amount / scale
    letters = {x for x in (match["pre"], match["post"], match["post2"]) if x}
    if len(letters) > 1:
        raise ValidationError(f"无法识别坐标：{raw}（方位字母冲突）", f"letters {raw!r}")
    axis = None
    if letters:
        letter = letters.pop()
        axis = "lat" if letter in "NS" else "lon"
        if letter in "SW":
            value = -value
    if match["sign"] == "-":
        value = -value
    return _Token(value, axis)


def parse_coordinates(text: str) -> ParsedCoordinates:
    """Read "31.0135, 120.8370", "31°0'48.6\"N 120°50'13.2\"E", "北纬31.0135 东经120.8370"...

    Decimal degrees or degrees-minutes-seconds, any common separator, hemisphere letters before
    or after. Without letters the order is "lat, lon"; if the first number cannot be a latitude
    but the second can ("120.8370,31.0135", as web maps copy it), the pair is swapped and the
    result says so. Raises ValidationError with a Chinese message for anything else.
    """
    raw = " ".join((text or "").split())
    if not raw:
        raise ValidationError("请输入坐标，例如“31.0135, 120.8370”。", "empty coordinates")
    norm = raw.upper()
    for old, new in _NORMALISE:
        norm = norm.replace(old, new)
    norm = re.sub(r"\b(LAT|LON|LNG|LATITUDE|LONGITUDE)\s*[:=]?", " ", norm).strip()
    tokens: list[_Token] = []
    pos = 0
    while pos < len(norm):
        match = _TOKEN.match(norm, pos)
        if match is None or match.end() == pos or not match["deg"]:
            raise ValidationError(f"无法识别坐标：{raw}", f"unparsable coordinates {raw!r}")
        tokens.append(_token_value(match, raw))
        pos = match.end()
        sep = _SEPARATOR.match(norm, pos)
        if sep is not None:
            pos = sep.end()
    if len(tokens) != 2:
        raise ValidationError(
            f"无法识别坐标：{raw}（应为纬度和经度两个数）", f"{len(tokens)} numbers in {raw!r}"
        )
    first, second = tokens
    if first.axis and second.axis:
        if first.axis == second.axis:
            raise ValidationError(f"无法识别坐标：{raw}（两个数都是纬度或都是经度）", raw)
        lat, lon = (first, second) if first.axis == "lat" else (second, first)
        return _checked(lat.value, lon.value, raw, swapped=False)
    if first.axis or second.axis:
        known, other = (first, second) if first.axis else (second, first)
        lat, lon = (known, other) if known.axis == "lat" else (other, known)
        return _checked(lat.value, lon.value, raw, swapped=False)
    if abs(first.value) > 90.0 and abs(second.value) <= 90.0:
        return _checked(second.value, first.value, raw, swapped=True)
    return _checked(first.value, second.value, raw, swapped=False)


def _checked(lat: float, lon: float, raw: str, *, swapped: bool) -> ParsedCoordinates:
    if not -90.0 <= lat <= 90.0:
        raise ValidationError(f"纬度超出范围：{raw}（纬度应在 -90 至 90 之间）", raw)
    if not -180.0 <= lon <= 180.0:
        raise ValidationError(f"经度超出范围：{raw}（经度应在 -180 至 180 之间）", raw)
    return ParsedCoordinates(lat, lon, swapped)


# -- Checking a position against the boundaries -------------------------------------------------


@dataclass(frozen=True)
class PositionCheck:
    """What saving a position would give: WGS-84 point, district, agency, near-border flag."""

    input_lat: float
    input_lon: float
    datum: str
    lat: float  # WGS-84
    lon: float
    jurisdiction: dict[str, Any]  # the ``officer-app jurisdiction --json`` shape

    @property
    def code(self) -> str | None:
        code: str | None = self.jurisdiction["code"]
        return code

    @property
    def near_border(self) -> bool:
        return bool(self.jurisdiction["near_border"])

    def summary_zh(self) -> str:
        """One line for the confirmation dialog and the CLI."""
        data = self.jurisdiction
        agency = data.get("agency")
        text = f"{data['name']}（{data['code']}）" + (f"，{agency['name']}" if agency else "")
        if data["status"] == "shared":
            text += f"；共同管辖区域（{'、'.join(data['shared_members'])}）"
        if data["near_border"]:
            text += f"；距辖区边界约 {data['boundary_distance_m']:.0f} 米，请现场确认管辖"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "input": {"lat": self.input_lat, "lon": self.input_lon, "datum": self.datum},
            "lat": round(self.lat, 8),
            "lon": round(self.lon, 8),
            "datum": "wgs84",
            "jurisdiction": self.jurisdiction,
        }


def _norm_datum(datum: str) -> str:
    norm = (datum or "").strip().lower().replace("-", "")
    if norm == "cgcs2000":  # differs from WGS-84 by centimetres
        norm = "wgs84"
    if norm not in DATUMS:
        raise ValidationError(
            f"未知的坐标系：{datum}（可选 WGS-84、GCJ-02、BD-09）", f"datum {datum!r}"
        )
    return norm


def check_position(
    ctx: AppContext, lat: float, lon: float, *, datum: str = "wgs84"
) -> PositionCheck:
    """Refuse impossible or out-of-area positions; otherwise say where (lat, lon) falls.

    Called before saving so the officer sees the district and a near-border warning first.
    """
    norm = _norm_datum(datum)
    if not (isinstance(lat, int | float) and isinstance(lon, int | float)) or not (
        math.isfinite(lat) and math.isfinite(lon)
    ):
        raise PositionRefused("纬度和经度必须是有效数字。", f"non-finite {lat!r}, {lon!r}")
    swapped_fits = abs(lon) <= 90.0 and abs(lat) <= 180.0
    if not -90.0 <= lat <= 90.0:
        message = f"纬度 {lat:g} 超出范围（应在 -90 至 90 之间）。"
        raise PositionRefused(
            message + (SWAPPED_HINT_ZH if swapped_fits else ""),
            f"latitude {lat} out of range",
            hint=HINT_SWAPPED if swapped_fits else None,
        )
    if not -180.0 <= lon <= 180.0:
        raise PositionRefused(
            f"经度 {lon:g} 超出范围（应在 -180 至 180 之间）。", f"longitude {lon} out of range"
        )
    margin = settings.get(ctx.store, settings.NEAR_BORDER_M)
    data = jurisdiction.describe(ctx, lat, lon, datum=norm, near_border_m=margin)
    if data["status"] == "unknown":
        message = f"该位置（纬度 {lat:.6f}，经度 {lon:.6f}，{DATUM_ZH[norm]}）不在任何已知辖区内。"
        if data.get("hint") == HINT_SWAPPED:
            message += SWAPPED_HINT_ZH
        elif data.get("nearest_code"):
            name = jurisdiction.index().district(data["nearest_code"])
            label = name.name if name else data["nearest_code"]
            message += f"最近的辖区是{label}，约 {data['nearest_distance_m']:.0f} 米外。"
        raise PositionRefused(message, f"({lat}, {lon}) {norm} outside", hint=data.get("hint"))
    from officer_app.geo.datum import to_wgs84

    w_lat, w_lon = to_wgs84(float(lat), float(lon), norm)
    return PositionCheck(float(lat), float(lon), norm, w_lat, w_lon, data)


# -- Writing -----------------------------------------------------------------------------------


def _require_evidence(ctx: AppContext, evidence_id: str) -> dict[str, Any]:
    rows = ctx.store.query(
        "SELECT id, original_name, lat, lon, alt, datum, position_source, jurisdiction_code,"
        " training FROM evidence WHERE id = ?",
        [evidence_id],
    )
    if not rows:
        raise NotFoundError(f"未找到证据：{evidence_id}", f"evidence {evidence_id} missing")
    return rows[0]


def _require_editable(ctx: AppContext, evidence_id: str) -> None:
    """Evidence of a case that has left this agency (or is closed) keeps what it had then."""
    status = ctx.store.scalar(
        "SELECT c.status FROM case_evidence ce JOIN cases c ON c.id = ce.case_id"
        " WHERE ce.evidence_id = ? AND c.status IN ('transferred', 'closed') LIMIT 1",
        [evidence_id],
    )
    if status is not None:
        word = "已移送" if status == "transferred" else "已办结"
        raise StateError(
            f"该证据所属案件{word}，不能再更改其位置或管辖。", f"evidence in {status} case"
        )


def _require_reason(reason: str | None, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError(f"{what}须填写理由。", f"{what} without reason")
    return text


def set_manual_position(
    ctx: AppContext,
    evidence_id: str,
    lat: float,
    lon: float,
    *,
    datum: str = "wgs84",
    reason: str,
) -> dict[str, Any]:
    """Give a photo a position the officer picked or typed; jurisdiction follows the position.

    The stored point is WGS-84 whatever the input datum; the input as given is kept in the ledger.
    The altitude is cleared: it belonged to the old fix, not to the spot on the map.
    """
    reason = _require_reason(reason, "手工定位")
    row = _require_evidence(ctx, evidence_id)
    _require_editable(ctx, evidence_id)
    check = check_position(ctx, lat, lon, datum=datum)
    officer = require_officer(ctx)
    old = {
        "lat": row["lat"],
        "lon": row["lon"],
        "alt": row["alt"],
        "datum": row["datum"],
        "source": row["position_source"],
        "jurisdiction_code": row["jurisdiction_code"],
    }
    change = {
        "evidence_id": evidence_id,
        "lat": check.lat,
        "lon": check.lon,
        "alt": None,
        "datum": "wgs84",
        "source": "manual",
        "input": {"lat": check.input_lat, "lon": check.input_lon, "datum": check.datum},
        "jurisdiction_code": check.code,
        "near_border": check.near_border,
        "boundary_distance_m": check.jurisdiction["boundary_distance_m"],
        "reason": reason,
        "old": old,
    }
    with ctx.store.transaction() as db:
        db.table("evidence").update(
            evidence_id,
            {
                "lat": check.lat,
                "lon": check.lon,
                "alt": None,
                "datum": "wgs84",
                "position_source": "manual",
                "jurisdiction_code": check.code,
            },
        )
        ledger.append(ctx.store, "position_assigned", evidence_id, change, officer_id=officer.id)
        enqueue(
            ctx.store, "evidence", evidence_id, "position", change, training=bool(row["training"])
        )
    return {**check.to_json(), "evidence_id": evidence_id, "position_source": "manual", "old": old}


def change_evidence_jurisdiction(
    ctx: AppContext, evidence_id: str, code: str, reason: str
) -> dict[str, Any]:
    """The officer overrides the district the polygons gave a photo (e.g. right at a border)."""
    reason = _require_reason(reason, "更改管辖")
    code = (code or "").strip()
    row = _require_evidence(ctx, evidence_id)
    _require_editable(ctx, evidence_id)
    name = district_name(ctx, code)
    if name is None:
        raise ValidationError(f"未知的行政区划代码：{code}", f"division {code!r}")
    if code == row["jurisdiction_code"]:
        raise ValidationError(f"该证据的管辖已是{name}（{code}），无需更改。", "same code")
    officer = require_officer(ctx)
    now = ctx.now_iso()
    change = {
        "evidence_id": evidence_id,
        "old_code": row["jurisdiction_code"],
        "new_code": code,
        "reason": reason,
    }
    with ctx.store.transaction() as db:
        db.table("evidence").update(evidence_id, {"jurisdiction_code": code})
        db.table("evidence_jurisdiction_changes").insert(
            {"id": str(uuid.uuid4()), **change, "officer_id": officer.id, "at": now}
        )
        ledger.append(ctx.store, "jurisdiction_changed", evidence_id, change, officer_id=officer.id)
        enqueue(
            ctx.store,
            "evidence",
            evidence_id,
            "jurisdiction",
            change,
            training=bool(row["training"]),
        )
    return {
        **change,
        "name": name,
        "agency": jurisdiction.district_agency(ctx, code),
        "at": now,
    }


def jurisdiction_changes(ctx: AppContext, evidence_id: str) -> list[dict[str, Any]]:
    """The overrides of one photo, oldest first, with the officer's name."""
    return ctx.store.query(
        "SELECT c.old_code, c.new_code, c.reason, c.at, COALESCE(o.name, '') AS officer_name"
        " FROM evidence_jurisdiction_changes c LEFT JOIN officers o ON o.id = c.officer_id"
        " WHERE c.evidence_id = ? ORDER BY c.at, c.rowid",
        [evidence_id],
    )


# -- Districts for choosing ---------------------------------------------------------------------


def district_name(ctx: AppContext, code: str | None) -> str | None:
    """The name of a division code from the boundaries, else from the agency table."""
    if not code:
        return None
    district = jurisdiction.index().district(code)
    if district is not None:
        return district.name
    name: str | None = ctx.store.scalar(
        "SELECT division_name FROM agencies WHERE division_code = ? ORDER BY length(code) LIMIT 1",
        [code],
    )
    return name


def candidate_districts(
    lat: float | None, lon: float | None, *, radius_m: float = 5_000.0
) -> list[dict[str, Any]]:
    """Districts for an override: those within ``radius_m`` of the photo first, nearest first,
    then every other district by code, so the likely neighbour is one key press away."""
    import shapely
    from shapely.geometry import Point

    from officer_app.geo.jurisdiction import metres_per_degree

    idx = jurisdiction.index()
    near: list[dict[str, Any]] = []
    if lat is not None and lon is not None:
        mx, my = metres_per_degree(lat)
        point = Point(lon, lat)
        window = shapely.box(
            lon - radius_m / mx, lat - radius_m / my, lon + radius_m / mx, lat + radius_m / my
        )
        for district in idx.districts:
            if not district.geometry.intersects(window):
                continue
            dist_deg = float(shapely.distance(district.geometry, point))
            dist_m = dist_deg * (mx + my) / 2.0
            if dist_m <= radius_m:
                near.append(
                    {
                        "code": district.code,
                        "name": district.name,
                        "province": district.province,
                        "distance_m": round(dist_m, 1),
                    }
                )
        near.sort(key=lambda d: (d["distance_m"], d["code"]))
    seen = {d["code"] for d in near}
    rest = [
        {"code": d.code, "name": d.name, "province": d.province, "distance_m": None}
        for d in sorted(idx.districts, key=lambda d: d.code)
        if d.code not in seen
    ]
    return near + rest
