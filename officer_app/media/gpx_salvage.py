"""Keep what a damaged GPX file still holds: every whole point, with a count of what was lost.

gpxpy parses a whole, valid file; it refuses a file over one malformed optional element (a
``<fix>`` value a logger invented, an unparseable ``<ele>``) and yields nothing from a file whose
logger lost power mid-write.  Both are common with body and dash cameras, and the points before
the damage are still good evidence.  This reader is used only when gpxpy refuses: it walks the XML
with a pull parser, keeps each point whose ``lat``/``lon`` are numbers, drops only the malformed
optional child (counted), and on a syntax error stops at the last whole point (``truncated``).
"""

from __future__ import annotations

import logging
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from gpxpy.gpxfield import parse_time

log = logging.getLogger(__name__)

_POINT_TAGS = ("trkpt", "rtept", "wpt")


@dataclass
class SalvagedPoint:
    kind: str  # "trkpt" | "rtept" | "wpt"
    track_index: int
    segment_index: int
    lat: float
    lon: float
    ele: float | None
    time: datetime | None


@dataclass
class Salvage:
    points: list[SalvagedPoint] = field(default_factory=list)
    n_tracks: int = 0
    n_routes: int = 0
    skipped_points: int = 0  # no usable lat/lon
    dropped_fields: int = 0  # malformed optional children removed from kept points
    truncated: bool = False


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _events(
    parser: ET.XMLPullParser[ET.Element], out: Salvage, label: str
) -> Iterator[tuple[str, ET.Element]]:
    try:
        # Typed for every event kind; only "start" and "end" are asked for: (str, Element).
        yield from parser.read_events()  # type: ignore[misc]
    except ET.ParseError as exc:
        out.truncated = True
        log.info("%s: GPX XML broken (%s); keeping the whole points before it", label, exc)


def salvage(text: str, label: str) -> Salvage:
    """Every whole point of ``text`` (a decoded GPX document), in document order."""
    out = Salvage()
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    track = -1
    segment = -1
    parser.feed(text)  # a syntax error is queued as an event, after the events before it
    try:
        parser.close()
    except ET.ParseError as exc:  # the document ends inside an element: the logger stopped
        out.truncated = True
        log.info("%s: GPX ends early (%s); keeping the whole points before it", label, exc)
    for event, elem in _events(parser, out, label):
        name = _local(elem.tag)
        if event == "start":
            if name == "trk":
                track += 1
                out.n_tracks += 1
                segment = -1
            elif name == "trkseg":
                segment += 1
            elif name == "rte":
                out.n_routes += 1
            continue
        if name not in _POINT_TAGS:
            continue
        lat, lon = _number(elem.get("lat")), _number(elem.get("lon"))
        if lat is None or lon is None:
            out.skipped_points += 1
            elem.clear()
            continue
        ele = time = None
        for child in elem:
            cname = _local(child.tag)
            if cname == "ele":
                ele = _number(child.text)
                if ele is None:
                    out.dropped_fields += 1
            elif cname == "time":
                try:
                    time = parse_time((child.text or "").strip())
                except Exception:  # gpxpy raises several types for junk times
                    time = None
                if time is None:
                    out.dropped_fields += 1
        out.points.append(SalvagedPoint(name, max(track, 0), max(segment, 0), lat, lon, ele, time))
        elem.clear()
    return out


__all__ = ["Salvage", "SalvagedPoint", "salvage"]
