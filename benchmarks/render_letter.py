"""Render-time benchmark for printed documents (not a test: prints figures).

    .venv/bin/python benchmarks/render_letter.py [--repeat N] [--photos 10]

Measures (warm: font parsed and registered by a first, untimed render):
  1. a one-page case-transfer letter, median over N renders;
  2. the same letter with M photo attachments (≈12-MP JPEGs made with Pillow in a temp dir),
     median over a few renders, plus the PDF size.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from officer_app.documents.render import render_document

ROOT = Path(__file__).resolve().parents[1]
FORM = json.loads((ROOT / "forms" / "_example_transfer.json").read_text(encoding="utf-8"))
VALUES: dict[str, Any] = {
    "receiving_agency": "苏州市吴江区综合行政执法局",
    "party": "某建筑工程有限公司（统一社会信用代码91310110666007217T）",
    "cause": "偷倒乱倒建筑垃圾",
    "facts": "2026年3月5日10时许，苏E12345D渣土车在黎里镇318国道旁倾倒建筑垃圾约20立方米。",
    "reason": "违法行为发生地位于你局管辖区域。",
    "issuing_agency": "上海市青浦区城市管理行政执法局",
    "issue_date": "2026-03-05",
}


def make_photos(folder: Path, n: int, size: tuple[int, int] = (4000, 3000)) -> list[dict[str, Any]]:
    """Noisy-ish 12-MP JPEGs (a flat image would decode unrealistically fast)."""
    items = []
    noise = Image.effect_noise((size[0] // 4, size[1] // 4), 60).convert("RGB")
    for i in range(n):
        img = noise.resize(size, Image.Resampling.NEAREST)
        draw = ImageDraw.Draw(img)
        for k in range(0, size[0], 200):
            draw.line([(k, 0), (size[0] - k, size[1])], fill=(200, 40 + i * 15, 40), width=12)
        exif = Image.Exif()
        exif[0x0112] = 6 if i % 2 else 1
        path = folder / f"DSC_{i:04d}.JPG"
        img.save(path, "JPEG", quality=92, exif=exif)
        items.append(
            {
                "path": path,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "taken_at": datetime(2026, 3, 5, 10, 20, i),
                "lat": 31.1508,
                "lon": 121.1244,
                "datum": "WGS-84",
                "position_source": "EXIF",
                "jurisdiction": "青浦区练塘镇",
            }
        )
    return items


def timed(evidence: list[dict[str, Any]], repeat: int) -> tuple[float, int, int]:
    times = []
    size = pages = 0
    for _ in range(repeat):
        buf = io.BytesIO()
        t0 = time.perf_counter()
        result = render_document(
            FORM, VALUES, number="青城管移〔2026〕15号", evidence=evidence, out=buf
        )
        times.append(time.perf_counter() - t0)
        size, pages = len(buf.getvalue()), result.pages
    return statistics.median(times), pages, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--photo-repeat", type=int, default=3)
    args = parser.parse_args()

    t0 = time.perf_counter()
    render_document(FORM, VALUES, number="青城管移〔2026〕1号", out=io.BytesIO())
    print(f"cold first render (font parse + register): {1000 * (time.perf_counter() - t0):.1f} ms")

    median, pages, size = timed([], args.repeat)
    print(
        f"one-page letter: median {1000 * median:.1f} ms over {args.repeat} "
        f"({pages} page(s), {size / 1024:.0f} KiB)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        evidence = make_photos(Path(tmp), args.photos)
        mp = Image.open(evidence[0]["path"]).size
        median, pages, size = timed(evidence, args.photo_repeat)
        print(
            f"letter + {args.photos} photos ({mp[0]}x{mp[1]}): median {1000 * median:.0f} ms over "
            f"{args.photo_repeat} ({pages} pages, {size / 1024 / 1024:.1f} MiB)"
        )


if __name__ == "__main__":
    main()
