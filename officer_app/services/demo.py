"""The demo (training) dataset: a joint patrol of the 青嘉吴 cluster on the 汾湖 border.

Everything here is made by the project's own code, including the JPEGs and their EXIF, and is
marked as training data so it never travels to a real platform.  Records have fixed ids and the
photos fixed bytes, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from officer_app.services import cases, evidence_import, officers, patrols
from officer_app.services.context import AppContext

DEMO_NAMESPACE = uuid.UUID("5b0e7c1e-8a4d-4c39-9d1f-6f0c2b7e2a11")
PATROL_ID = str(uuid.uuid5(DEMO_NAMESPACE, "patrol/fenhu-2026-11-20"))
CASE_ID = str(uuid.uuid5(DEMO_NAMESPACE, "case/fenhu-dumping"))
CST = dt.timezone(dt.timedelta(hours=8))

DEMO_OFFICER = ("演示执法员", "DEMO-310118-01", "310118-jz")
PATROL_OFFICERS = (
    patrols.PatrolOfficer("310118-jz", "陈立群", "31011820318"),
    patrols.PatrolOfficer("310118-jz", "周海峰", "31011820441"),
    patrols.PatrolOfficer("320509-ll", "沈建明", "32050921107"),
    patrols.PatrolOfficer("320509-ll", "吴晓燕", "32050921236"),
    patrols.PatrolOfficer("330421-yz", "钱志强", "33042110582"),
)


@dataclass(frozen=True)
class DemoPhoto:
    name: str
    minute: int  # minutes after 09:00 on the patrol day
    lat: float  # WGS-84
    lon: float
    note: str


#: Positions in WGS-84 around 汾湖 where 青浦 (金泽), 吴江 (黎里) and 嘉善 (姚庄) meet.
#: ``CASE_PHOTO`` lies more than 1 km inside 吴江区, away from any shared-jurisdiction area.
PHOTOS = (
    DemoPhoto("DSC_0101.JPG", 12, 31.0352, 120.9016, "金泽镇 沿湖道路 巡查起点"),
    DemoPhoto("DSC_0107.JPG", 31, 31.0208, 120.8724, "省界桥 附近 堆物"),
    DemoPhoto("DSC_0112.JPG", 48, 31.0135, 120.8370, "汾湖 建筑垃圾倾倒现场"),
    DemoPhoto("DSC_0113.JPG", 49, 31.0136, 120.8372, "同一现场 近景"),
    DemoPhoto("DSC_0120.JPG", 77, 30.9610, 120.8802, "姚庄镇 北侧 道路"),
)
CASE_PHOTOS = ("DSC_0112.JPG", "DSC_0113.JPG")
PATROL_DAY = dt.datetime(2026, 11, 20, 9, 0, tzinfo=CST)


def _scene(seed: int) -> Any:
    """A recognisable but synthetic scene (sky, water, bank, a heap), fixed for a seed."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    img = Image.new("RGB", (1600, 1200), (150, 185, 215))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 520, 1600, 760), fill=(70, 110, 130))
    draw.rectangle((0, 760, 1600, 1200), fill=(120, 110, 85))
    for _ in range(40):
        x, y = rng.randrange(0, 1600), rng.randrange(780, 1180)
        r = rng.randrange(20, 90)
        shade = rng.randrange(90, 170)
        draw.ellipse((x - r, y - r // 2, x + r, y + r // 2), fill=(shade, shade - 10, shade - 25))
    draw.rectangle((40, 40, 420, 110), fill=(255, 255, 255))
    draw.text((60, 60), f"officer_app demo #{seed}", fill=(0, 0, 0))
    return img


def _write_photos(folder: Path) -> list[Path]:
    from officer_app.media.exif_write import write_jpeg_with_exif

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for seed, photo in enumerate(PHOTOS, start=1):
        path = folder / photo.name
        if not path.exists():
            taken = PATROL_DAY + dt.timedelta(minutes=photo.minute, seconds=seed * 7)
            tmp = path.with_suffix(".part")
            write_jpeg_with_exif(
                tmp,
                taken_at=taken,
                lat=photo.lat,
                lon=photo.lon,
                alt=3.0,
                make="NIKON",
                model="COOLPIX W300 (officer_app demo)",
                image=_scene(seed),
            )
            tmp.replace(path)
        written.append(path)
    return written


def load_demo(ctx: AppContext) -> dict[str, Any]:
    """Load the demo once; a second call finds the patrol and changes nothing."""
    if ctx.store.scalar("SELECT 1 FROM patrols WHERE id = ?", [PATROL_ID]):
        return {"loaded": False, "patrol_id": PATROL_ID, "case_id": CASE_ID}
    if ctx.current_officer() is None:
        officers.add_or_select_officer(ctx, *DEMO_OFFICER)
    patrols.record_patrol(
        ctx,
        patrol_id=PATROL_ID,
        patrol_type="共同管辖区域巡查",
        cluster="青嘉吴",
        title="【演示】汾湖—元荡毗邻区域联合巡查",
        start=PATROL_DAY,
        end=PATROL_DAY + dt.timedelta(hours=2, minutes=30),
        agencies=["310118-jz", "320509-ll", "330421-yz"],
        officers=PATROL_OFFICERS,
        area="青浦区金泽镇、吴江区黎里镇、嘉善县姚庄镇交界的汾湖周边",
        findings="汾湖（吴江区黎里镇境内）岸边发现建筑垃圾倾倒点一处，已拍照取证。",
        status="closed",
        training=True,
    )
    photos = _write_photos(ctx.data.cache_dir / "demo-photos")
    report = evidence_import.import_files(ctx, photos, patrol_id=PATROL_ID, training=True)
    by_name = {Path(f.path).name: f for f in report.files}
    bad = [f for f in report.files if f.evidence_id is None]
    if bad:
        raise RuntimeError(f"demo photos failed to import: {bad}")
    cases.record_case(
        ctx,
        case_id=CASE_ID,
        violation_code="JZLJ-01",
        evidence_ids=[by_name[name].evidence_id or "" for name in CASE_PHOTOS],
        vehicles=[cases.Vehicle("苏E5K218", "自卸货车")],  # a clue: the party is 待查
        place="吴江区黎里镇汾湖岸边滩地",
        description="2026年11月20日联合巡查中发现一处新倾倒的建筑垃圾（砖块、混凝土块），约20立方米，"
        "现场有车辙印，附近监控拍到一辆自卸货车。",
        training=True,
    )
    return {
        "loaded": True,
        "patrol_id": PATROL_ID,
        "case_id": CASE_ID,
        "evidence": [f.evidence_id for f in report.files],
    }
