"""``officer-app evidence position|jurisdiction``: registered by commands/evidence.py.

The same services as the map's pin mode and the 更改管辖 dialog, for scripting and for fixing a
photo on a machine without a display.
"""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import check_coordinates, latitude, longitude, record_id
from officer_app.commands.base import Outcome, context


def register_evidence_actions(esub: Any, json_flag: argparse.ArgumentParser) -> None:
    p = esub.add_parser(
        "position", parents=[json_flag], help="set a photo's position by hand (manual)"
    )
    p.add_argument("evidence_id", type=record_id, metavar="ID")
    p.add_argument("lat", type=latitude, metavar="LAT", help="latitude (first)")
    p.add_argument("lon", type=longitude, metavar="LON", help="longitude")
    p.add_argument("--datum", choices=("wgs84", "gcj02", "bd09"), default="wgs84")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why (kept in the ledger)")
    p.set_defaults(handler=_position)

    p = esub.add_parser("jurisdiction", parents=[json_flag], help="override a photo's jurisdiction")
    p.add_argument("evidence_id", type=record_id, metavar="ID")
    p.add_argument("code", metavar="CODE", help="6-digit division code, e.g. 320509")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why (kept in the ledger)")
    p.set_defaults(handler=_jurisdiction)


def _position(args: argparse.Namespace) -> Outcome:
    from officer_app.services import positions

    check_coordinates(args.lat, args.lon)
    with context(args) as ctx:
        result = positions.set_manual_position(
            ctx, args.evidence_id, args.lat, args.lon, datum=args.datum, reason=args.reason
        )
        check = positions.PositionCheck(
            result["input"]["lat"],
            result["input"]["lon"],
            result["input"]["datum"],
            result["lat"],
            result["lon"],
            result["jurisdiction"],
        )
    text = f"位置已保存：{result['lat']:.6f}, {result['lon']:.6f}（WGS-84）；{check.summary_zh()}"
    return Outcome(result, text)


def _jurisdiction(args: argparse.Namespace) -> Outcome:
    from officer_app.services import positions

    with context(args) as ctx:
        result = positions.change_evidence_jurisdiction(
            ctx, args.evidence_id, args.code, args.reason
        )
    old = result["old_code"] or "未知"
    return Outcome(result, f"管辖已更改：{old} → {result['name']}（{result['new_code']}）")
