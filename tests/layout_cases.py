"""Render inputs for the byte-identity tests: every shipped form, filled field by field, with and
without photos, as an issued document and as a draft.

The PDFs these inputs gave *before* the renderer was split and the letter format came are recorded
in ``tests/data/layout_v1_sha256.json`` (written once by ``python tests/layout_cases.py --write``
from the pre-split code): an issued document's snapshot without a layout version must re-render to
exactly those bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "forms"
GOLDEN = Path(__file__).with_name("data") / "layout_v1_sha256.json"


def make_photos(folder: Path, n: int) -> list[dict[str, Any]]:
    """Deterministic JPEGs (same pixels, same EXIF orientation, same encoder settings)."""
    items = []
    for i in range(n):
        img = Image.new("RGB", (800, 600), ((i * 37) % 255, 120, 200 - i * 10))
        for x in range(0, 800, 97):
            img.paste((255, 255, 255), (x, 0, x + 8, 600))
        exif = Image.Exif()
        exif[0x0112] = 6 if i % 3 == 0 else 1
        path = folder / f"IMG_{i:04d}.JPG"
        img.save(path, "JPEG", quality=80, exif=exif)
        items.append(
            {
                "path": path,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "taken_at": datetime(2026, 3, 5, 10, 21, i),
                "lat": 31.1508 + i / 10000,
                "lon": 121.1244,
                "datum": "WGS-84",
                "position_source": "照片EXIF",
                "jurisdiction": "青浦区（310118）",
                "label": f"IMG_{i:04d}.JPG",
            }
        )
    return items


def fill(form: dict[str, Any]) -> dict[str, Any]:
    """A value for every field: its label repeated into a sentence, dates, the first option."""
    values: dict[str, Any] = {}
    for f in form["fields"]:
        kind = f.get("kind", "text")
        if kind == "date":
            values[f["name"]] = date(2026, 3, 5)
        elif kind == "choice":
            values[f["name"]] = f["options"][0]
        elif kind == "multiline":
            values[f["name"]] = (
                f"{f['label']}的内容（第一段），含《条例》和2026年3月5日。\n第二段。"
            )
        else:
            values[f["name"]] = f"{f['label']}示例"
    return values


def shipped_forms() -> list[Path]:
    return sorted(p for p in FORMS.glob("*.json"))


def cases(folder: Path) -> Iterator[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """(name, form, values, render keywords) for every shipped form, issued and draft."""
    photos = make_photos(folder, 3)
    for path in shipped_forms():
        form = json.loads(path.read_text(encoding="utf-8"))
        values = fill(form)
        evidence = photos if form.get("evidence", "attach") != "none" else []
        attach = form.get("evidence", "attach") == "attach"
        issued = {"number": "青城管移〔2026〕15号", "evidence": evidence, "attach_photos": attach}
        yield f"{path.stem}/issued", form, values, issued
        draft = {"number": None, "evidence": evidence, "attach_photos": attach, "watermark": "草稿"}
        yield f"{path.stem}/draft", form, values, draft


def render_v1(folder: Path) -> dict[str, str]:
    from officer_app.documents.render import render_document

    out = {}
    for name, form, values, kw in cases(folder):
        buf = io.BytesIO()
        extra = {"layout": 1} if "layout" in render_document.__code__.co_varnames else {}
        result = render_document(form, values, out=buf, **kw, **extra)
        out[name] = result.sha256
    return out


def bulletin_content() -> Any:
    from officer_app.documents.bulletin import (
        BulletinContent,
        BulletinImage,
        BulletinTable,
    )

    png = io.BytesIO()
    Image.new("RGB", (600, 300), (200, 30, 30)).save(png, "PNG")
    rows = tuple((f"第{i}类", i * 3, i * 1.5) for i in range(1, 14))
    return BulletinContent(
        title="2026年第一季度跨区域执法协作专项通报",
        recipient="各区城市管理行政执法局",
        blocks=[
            ("heading", "一、总体情况"),
            ("paragraph", "本季度共移送案件三十件，较上季度增长百分之十二。" * 6),
            ("table", BulletinTable("表1 各类案件数量", ("类别", "件数", "占比"), rows)),
            ("heading", "二、图表"),
            ("image", BulletinImage(png.getvalue(), 60.0, "图1 案件趋势")),
            ("paragraph", "以上情况，特此通报。"),
        ],
        issuer="上海市青浦区城市管理行政执法局",
        date_text="2026年4月1日",
    )


def render_bulletin_v1() -> str:
    from officer_app.documents.bulletin import render_bulletin

    buf = io.BytesIO()
    return render_bulletin(bulletin_content(), number="青城管通〔2026〕1号", out=buf).sha256


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        hashes = render_v1(Path(tmp))
    hashes["bulletin/issued"] = render_bulletin_v1()
    if "--write" in sys.argv:
        GOLDEN.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(hashes, indent=1, sort_keys=True))
