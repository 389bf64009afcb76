"""Render-time benchmark for printed documents (not a test: prints figures).

    .venv/bin/python benchmarks/render_letter.py [--repeat N] [--photos 10]

Measures (warm: font parsed and registered by a first, untimed render):
  1. a one-page case-transfer letter, median over N renders;
  2. the same letter with M photo attachments (≈12-MP JPEGs made with Pillow in a temp dir),
     median over a few renders, plus the PDF size;
  3. the same through the document service in a temporary data dir (``--no-service`` skips it):
     issuing a one-page 处理结果反馈函 (context, render, atomic PDF write, numbering transaction)
     and issuing a 案件移送函 whose case has M photos (M attachment halves), median of issues.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
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
#: The letter format's letterhead (layout 2) where the renderer has one, so the figures compare the
#: letters as officers print them before and after it came.
LETTER: dict[str, Any] = (
    {"letterhead": "上海市青浦区城市管理行政执法局"}
    if "letterhead" in inspect.signature(render_document).parameters
    else {}
)


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
            FORM, VALUES, number="青城管移〔2026〕15号", evidence=evidence, out=buf, **LETTER
        )
        times.append(time.perf_counter() - t0)
        size, pages = len(buf.getvalue()), result.pages
    return statistics.median(times), pages, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--photo-repeat", type=int, default=3)
    parser.add_argument("--no-service", action="store_true")
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

    if not args.no_service:
        service_benchmark(args.repeat, args.photos, args.photo_repeat)


def service_benchmark(repeat: int, n_photos: int, photo_repeat: int) -> None:
    """Issue documents through ``services.documents`` as the GUI and CLI do."""
    from officer_app.services import cases, catalogue, documents, evidence_import, officers
    from officer_app.services.context import AppContext

    with tempfile.TemporaryDirectory() as tmp, AppContext.open(Path(tmp) / "data") as ctx:
        officers.add_or_select_officer(ctx, "测试", "B-1", "310118")
        evidence = make_photos(Path(tmp), n_photos)
        report = evidence_import.import_files(ctx, [e["path"] for e in evidence])
        ids = [f.evidence_id for f in report.files if f.evidence_id]
        case_id = cases.record_case(ctx, violation_code="JZLJ-01", evidence_ids=ids)

        def issue(form: str, extra: dict[str, str]) -> tuple[float, dict[str, Any]]:
            doc = documents.new_document(ctx, form, case_id=case_id)
            documents.set_fields(ctx, doc["id"], extra)
            catalogue.confirm_draft_basis(ctx, doc["id"])  # the officer checked the basis
            t0 = time.perf_counter()
            issued = documents.issue_document(ctx, doc["id"])
            return time.perf_counter() - t0, issued

        feedback = {
            "original_number": "吴综执移〔2026〕3号",
            "filing": "已立案。",
            "outcome": "不予处罚",
            "transferring_agency": "苏州市吴江区综合行政执法局",
        }
        issue("result_feedback", feedback)  # warm: font, forms, boundary index
        runs = [issue("result_feedback", feedback) for _ in range(repeat)]
        median = statistics.median(t for t, _ in runs)
        print(
            f"service: issue one-page letter: median {1000 * median:.1f} ms over {repeat} "
            f"({runs[-1][1]['pages']} page(s), last number {runs[-1][1]['number']})"
        )
        extra = {
            "receiving_agency": "苏州市吴江区综合行政执法局",
            "party": "某公司",
            "reason": "发生地在你区。",
        }
        runs = [issue("case_transfer", extra) for _ in range(photo_repeat)]
        median = statistics.median(t for t, _ in runs)
        size = Path(runs[-1][1]["path"]).stat().st_size
        print(
            f"service: issue transfer letter + {len(ids)} photos: median {1000 * median:.0f} ms "
            f"over {photo_repeat} ({runs[-1][1]['pages']} pages, {size / 1024 / 1024:.1f} MiB)"
        )


if __name__ == "__main__":
    main()
