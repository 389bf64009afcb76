"""``officer-app jurisdiction LAT LON``: which district a position lies in."""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import check_coordinates, float_in, latitude, longitude
from officer_app.commands.base import Outcome, context


def register(sub: Any, json_flag: argparse.ArgumentParser) -> None:
    p = sub.add_parser("jurisdiction", parents=[json_flag], help="jurisdiction of a position")
    p.add_argument("lat", type=latitude, metavar="LAT", help="latitude (first)")
    p.add_argument("lon", type=longitude, metavar="LON", help="longitude")
    p.add_argument("--datum", choices=("wgs84", "gcj02", "bd09"), default="wgs84")
    p.add_argument(
        "--near-border",
        type=float_in("边界提醒距离", 0, 100_000),
        metavar="METRES",
        help="margin that asks the officer to confirm (default: the setting, 200 m)",
    )
    p.set_defaults(handler=_jurisdiction)


def _jurisdiction(args: argparse.Namespace) -> Outcome:
    from officer_app.services import jurisdiction, settings

    check_coordinates(args.lat, args.lon)
    with context(args) as ctx:
        margin = (
            settings.get(ctx.store, settings.NEAR_BORDER_M)
            if args.near_border is None
            else args.near_border
        )
        data = jurisdiction.describe(
            ctx, args.lat, args.lon, datum=args.datum, near_border_m=margin
        )
    if data["status"] == "unknown":
        text = "该位置不在已知辖区内。"
        if data.get("hint") == "lat_lon_swapped":
            text += "经纬度可能填反了（应先纬度、后经度）。"
    else:
        agency = data["agency"]
        text = f"{data['name']}（{data['code']}）" + (f"，{agency['name']}" if agency else "")
        if data["status"] == "shared":
            text += f"；共同管辖区域，成员：{'、'.join(data['shared_members'])}，先发现者先处理"
        if data["near_border"]:
            text += f"；距边界约 {data['boundary_distance_m']:.0f} 米，请现场确认"
    return Outcome(data, text)
