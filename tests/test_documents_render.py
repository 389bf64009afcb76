"""PDF rendering: page geometry, text flow, font embedding, evidence pages, determinism.

Parsed back with pypdf (text via ``extract_text`` and positions via its ``visitor_text`` hook).
Needs a CJK TrueType font (AR PL SungtiL GB from Debian's fonts-arphic-gbsn00lp, a bundled font in
resources/fonts/, or $OFFICER_APP_CJK_FONT); skipped with a reason when none is installed.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from officer_app.documents.fonts import (
    FontNotFoundError,
    MissingGlyphsError,
    find_font,
    font_sha256,
    load_font,
    missing_glyphs,
)
from officer_app.documents.geometry import DEFAULT_GEOMETRY as GEO
from officer_app.documents.geometry import format_cn_date
from officer_app.documents.layout import NO_LINE_START, wrap_text
from officer_app.documents.render import (
    EvidenceIntegrityError,
    FormDefinitionError,
    FormValueError,
    render_document,
)

FORM_PATH = Path(__file__).resolve().parents[1] / "forms" / "_example_transfer.json"
NUMBER = "青城管移〔2026〕15号"

try:
    find_font()
    HAVE_FONT = True
except FontNotFoundError:
    HAVE_FONT = False
needs_font = pytest.mark.skipif(not HAVE_FONT, reason="no CJK TrueType font installed")


@pytest.fixture(scope="module")
def form() -> dict[str, Any]:
    return json.loads(FORM_PATH.read_text(encoding="utf-8"))


def _values(
    facts: str = "2026年3月5日10时许，苏E12345D渣土车在黎里镇318国道旁倾倒建筑垃圾约20立方米。",
) -> dict[str, Any]:
    return {
        "receiving_agency": "苏州市吴江区综合行政执法局",
        "party": "某建筑工程有限公司（统一社会信用代码91310110666007217T）",
        "cause": "偷倒乱倒建筑垃圾",
        "facts": facts,
        "reason": "违法行为发生地位于你局管辖区域。",
        "legal_basis": "《城市建筑垃圾管理规定》第十五条、第二十六条",
        "handling": "移送管辖",
        "issuing_agency": "上海市青浦区城市管理行政执法局",
        "contact": "张三，021-12345678",
        "issue_date": date(2026, 3, 5),
    }


#: What the shipped 移送函 adds (issue 14): its 正文 is composed by the service from the form's
#: wording, its 回执期限 printed.
SHIPPED_EXTRA = {
    "opening": "我单位在执法检查中发现一起涉嫌偷倒乱倒建筑垃圾的违法行为，现将该案移送你单位依法处理。",
    "receipt_due": date(2026, 3, 16),
}


def _render(form: dict[str, Any], values: dict[str, Any], **kw: Any) -> tuple[bytes, Any]:
    buf = io.BytesIO()
    kw.setdefault("number", NUMBER)
    result = render_document(form, values, out=buf, **kw)
    return buf.getvalue(), result


def _squash(s: str) -> str:
    return "".join(s.split())


def _body_lines(page: pypdf.PageObject) -> dict[float, list[tuple[float, str]]]:
    """Text fragments drawn at body size, grouped by baseline."""
    lines: dict[float, list[tuple[float, str]]] = defaultdict(list)

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip() and abs(size - GEO.body_size) < 0.01:
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            lines[round(y, 1)].append((x, text.strip()))

    page.extract_text(visitor_text=visit)
    return lines


# -------------------------------------------------------------------------------- pure helpers


def test_geometry_grid() -> None:
    assert GEO.char_pitch * 28 == pytest.approx(156 / 25.4 * 72)
    assert GEO.line_pitch * 22 == pytest.approx(225 / 25.4 * 72)
    assert GEO.text_top == pytest.approx(GEO.page_height - 37 / 25.4 * 72)
    assert GEO.baseline(21) > GEO.text_bottom
    assert GEO.page_number_baseline() < GEO.text_bottom


def test_format_cn_date() -> None:
    assert format_cn_date(date(2026, 3, 5)) == "2026年3月5日"
    assert format_cn_date(datetime(2026, 12, 25, 9, 0)) == "2026年12月25日"
    assert format_cn_date("2026-03-05") == "2026年3月5日"


def test_wrap_respects_kinsoku() -> None:
    text = "一二三四五六七八九十，一二"
    lines = wrap_text(text, lambda ch: 1.0, 10.0)
    assert "".join(t for _, t in lines) == text
    assert all(not t or t[0] not in NO_LINE_START for _, t in lines)
    assert lines[0][1] == "一二三四五六七八九"  # "十" pulled down with the comma


@given(st.text(alphabet="城管执法移送，。、（）《》ABC0123456789", min_size=0, max_size=300))
def test_wrap_property(text: str) -> None:
    width = {c: (0.5 if c.isascii() else 1.0) for c in set(text)}
    lines = wrap_text(text, lambda ch: width[ch], 28.0, first_indent=2.0)
    assert "".join(t for _, t in lines) == text
    for indent, line in lines:
        assert indent + sum(width[c] for c in line) <= 28.0 + 1e-9


# -------------------------------------------------------------------------------- rendering


def _whole_text(reader: pypdf.PdfReader) -> str:
    """All pages' text, whitespace and page numbers removed, so text broken over pages is contiguous."""
    return re.sub(r"—\d+—", "", _squash("".join(p.extract_text() for p in reader.pages)))


@needs_font
def test_one_page_letter(form: dict[str, Any]) -> None:
    values = _values()
    for optional in ("legal_basis", "handling", "contact"):
        del values[optional]
    data, result = _render(form, values)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert result.pages == len(reader.pages) == 1
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.font_sha256 == font_sha256()
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.27, abs=0.5)
    assert float(box.height) == pytest.approx(841.89, abs=0.5)
    text = _squash(reader.pages[0].extract_text())
    assert "—1—" in text
    assert "法律依据" not in text  # empty optional field lines are left out
    assert result.content_sha256 in reader.metadata.subject


@needs_font
def test_every_character_present(form: dict[str, Any]) -> None:
    values = _values()
    data, result = _render(form, values)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert result.pages == len(reader.pages) == 2
    text = _whole_text(reader)
    for name, value in values.items():
        shown = format_cn_date(value) if isinstance(value, date) else value
        assert _squash(shown) in text, name
    for label in ("案件移送函", NUMBER, "案由：偷倒乱倒建筑垃圾"):
        assert _squash(label) in text
    assert "附件" not in text  # no evidence: no attachment, no notation (GB/T 9704 §7.3.4)
    every_char = set(_squash("".join(str(v) for v in values.values())))
    assert every_char - set(text) <= set("-")  # ISO date dashes are shown as 年月日


@needs_font
def test_font_embedded_as_subset(form: dict[str, Any]) -> None:
    data, _ = _render(form, _values())
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    # reportlab always lists its (unused, never embedded) default Helvetica; every drawn font is ours.
    truetype = [f for f in fonts if f["/Subtype"] == "/TrueType"]
    assert truetype and all(f["/BaseFont"] == "/Helvetica" for f in fonts if f not in truetype)
    for font in truetype:
        assert re.fullmatch(r"/[A-Z]{6}\+.+", str(font["/BaseFont"]))
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor
        assert "/ToUnicode" in font


@needs_font
def test_body_text_on_the_grid(form: dict[str, Any]) -> None:
    facts = "违法事实" * 200  # pure CJK: full lines have exactly 28 cells
    data, result = _render(form, _values(facts))
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert result.pages >= 3 and result.body_pages == result.pages
    font = load_font()
    full_lines = 0
    for page in reader.pages:
        lines = _body_lines(page)
        assert len(lines) <= GEO.lines_per_page
        for y, frags in lines.items():
            assert GEO.text_bottom <= y <= GEO.text_top
            x0 = min(x for x, _ in frags)
            line = "".join(t for _, t in sorted(frags))
            # Advance on the grid: every character takes one pitch (16 pt glyph + negative Tc), so a
            # full line is exactly 156 mm; the last 16 pt em box may overhang by |Tc| ≈ 0.2 pt.
            width = font.stringWidth(line, GEO.body_size) + GEO.body_char_space * len(line)
            assert x0 >= GEO.text_left - 0.01
            assert x0 + width <= GEO.text_right + 0.01
            if set(line) <= set("违法事实") and len(line) == GEO.chars_per_line:
                full_lines += 1
                assert x0 == pytest.approx(GEO.text_left, abs=0.01)
                assert x0 + width == pytest.approx(GEO.text_right, abs=0.01)
    assert full_lines > 10
    whole = _squash("".join(p.extract_text() for p in reader.pages))
    assert whole.count("违法事实") >= 200


@needs_font
def test_long_text_flows_never_clipped(form: dict[str, Any]) -> None:
    facts = "\n".join(
        f"第{i}段：渣土车沿途撒漏，污染路面约{i}平方米，现场未设置围挡。" for i in range(1, 80)
    )
    data, result = _render(form, _values(facts))
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert result.pages > 2
    whole = _whole_text(reader)
    for i in (1, 40, 79):
        assert _squash(f"第{i}段：渣土车沿途撒漏，污染路面约{i}平方米") in whole
    numbers = _squash("".join(p.extract_text() for p in reader.pages))
    for n in range(1, result.pages + 1):
        assert f"—{n}—" in numbers


@needs_font
def test_missing_glyph_raises(form: dict[str, Any]) -> None:
    font = load_font()
    assert missing_glyphs("青城管移〔2026〕15号", font) == []
    rare = "\U00020000"  # CJK Ext. B, not in a GB 2312 font
    assert missing_glyphs(f"王{rare}明{rare}", font) == [rare]
    values = _values()
    values["party"] = f"王{rare}明"
    with pytest.raises(MissingGlyphsError) as err:
        _render(form, values)
    assert err.value.chars == [rare]
    assert "缺少以下字符" in str(err.value)


@needs_font
def test_deterministic_bytes(form: dict[str, Any], tmp_path: Path) -> None:
    a, ra = _render(form, _values())
    b, rb = _render(copy.deepcopy(form), _values())
    assert a == b and ra == rb
    out = tmp_path / "letter.pdf"
    rc = render_document(form, _values(), number=NUMBER, out=out)
    assert out.read_bytes() == a and rc.sha256 == ra.sha256
    c, rcontent = _render(form, _values(), number="青城管移〔2026〕16号")
    assert c != a and rcontent.content_sha256 != ra.content_sha256


@needs_font
def test_values_from_source_paths(form: dict[str, Any]) -> None:
    v = _values()
    case_data = {
        "transfer": {
            "to_agency": {"name": v["receiving_agency"]},
            "reason": v["reason"],
            "issued_on": "2026-03-05",
            "kind": "移送管辖",
        },
        "case": {"party": {"display": v["party"]}, "cause": v["cause"], "facts": v["facts"]},
        "agency": {"name": v["issuing_agency"]},
    }
    data, _ = _render(form, case_data)
    text = _squash(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text())
    assert _squash(v["receiving_agency"]) in text and "2026年3月5日" in text


def test_missing_required_values_reported(form: dict[str, Any]) -> None:
    values = _values()
    del values["cause"]
    values["handling"] = "罚款"
    with pytest.raises(FormValueError, match="缺少必填项：案由") as err:
        _render(form, values)
    assert "不在可选项" in str(err.value)


def test_bad_form_definition(form: dict[str, Any]) -> None:
    bad = copy.deepcopy(form)
    bad["layout"].append({"type": "paragraph", "text": "{nonexistent}"})
    with pytest.raises(FormDefinitionError):
        _render(bad, _values())


# -------------------------------------------------------------------------------- evidence


def _make_photos(
    tmp_path: Path, n: int, size: tuple[int, int] = (1600, 1200)
) -> list[dict[str, Any]]:
    items = []
    for i in range(n):
        img = Image.new("RGB", size, ((i * 37) % 255, 120, 200 - i * 10))
        for x in range(0, size[0], 97):
            img.paste((255, 255, 255), (x, 0, x + 8, size[1]))
        exif = Image.Exif()
        exif[0x0112] = 6 if i % 3 == 0 else 1  # some need rotating
        path = tmp_path / f"IMG_{i:04d}.JPG"
        img.save(path, "JPEG", quality=80, exif=exif)
        items.append(
            {
                "path": path,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "taken_at": datetime(2026, 3, 5, 10, 21, i),
                "lat": 31.1508 + i / 10000,
                "lon": 121.1244,
                "datum": "WGS-84",
                "position_source": "EXIF",
                "jurisdiction": "青浦区练塘镇",
            }
        )
    return items


@needs_font
def test_ten_evidence_photos_each_decoded_once(
    form: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    evidence = _make_photos(tmp_path, 10)
    opened: list[int] = []
    real_open = Image.open

    def counting_open(fp: Any, *a: Any, **kw: Any) -> Image.Image:
        im = real_open(fp, *a, **kw)
        opened.append(im.size[0])
        return im

    monkeypatch.setattr(Image, "open", counting_open)
    data, result = _render(form, _values(), evidence=evidence)
    assert len(opened) == 10
    photo_pages = 5  # two a page, after the evidence table (附件1)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == result.pages
    whole = _whole_text(reader)
    for ev in evidence:
        assert whole.count(ev["sha256"]) == 2  # in the table (附件1) and under its photo (附件2)
    assert (
        "北纬31.150800°" in whole and "（WGS-84，来源：EXIF）" in whole and "青浦区练塘镇" in whole
    )
    images = 0
    for page in reader.pages[-photo_pages:]:
        xobjects = page["/Resources"]["/XObject"]
        photos = [
            x.get_object() for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"
        ]
        assert len(photos) == 2
        for photo in photos:
            filters = photo["/Filter"]
            assert "/DCTDecode" in (filters if isinstance(filters, list) else [filters])
            assert max(photo["/Width"], photo["/Height"]) < 1600  # decoded at reduced size
        images += len(photos)
    assert images == 10
    rotated = [
        x.get_object()
        for x in reader.pages[-photo_pages]["/Resources"]["/XObject"].values()
        if x.get_object()["/Subtype"] == "/Image"
    ]
    assert any(p["/Height"] > p["/Width"] for p in rotated)  # EXIF orientation 6 → portrait
    # deterministic with images too
    again, _ = _render(form, _values(), evidence=evidence)
    assert again == data


@needs_font
def test_every_page_has_qr_code(form: dict[str, Any], tmp_path: Path) -> None:
    data, _ = _render(form, _values("很长的事实。" * 300), evidence=_make_photos(tmp_path, 3))
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        forms = [
            x
            for x in page["/Resources"]["/XObject"].values()
            if x.get_object()["/Subtype"] == "/Form"
        ]
        assert len(forms) == 1
        assert b"Do" in page.get_contents().get_data()


@needs_font
def test_tampered_evidence_refused(form: dict[str, Any], tmp_path: Path) -> None:
    evidence = _make_photos(tmp_path, 1)
    evidence[0]["sha256"] = "0" * 64
    with pytest.raises(EvidenceIntegrityError, match="SHA-256 不一致"):
        _render(form, _values(), evidence=evidence)


# -------------------------------------------------------------------------------- page breaks

SHIPPED_FORM_PATH = FORM_PATH.parent / "case_transfer.json"


@needs_font
@pytest.mark.parametrize("form_path", [FORM_PATH, SHIPPED_FORM_PATH], ids=lambda p: p.stem)
def test_signature_and_headings_never_stand_alone(form_path: Path) -> None:
    """GB/T 9704: the 发文机关署名 and 成文日期 share a page with body text (the last body line
    comes over with them; no page holding only the signature), and a label line that heads a block
    (违法事实：, 证据及材料清单：) is never the last line at a page foot. The facts grow one grid
    line at a time over more than a page, so the body's end lands on every line slot."""
    form = json.loads(form_path.read_text(encoding="utf-8"))
    labels = {f["name"]: f.get("label", f["name"]) for f in form["fields"]}
    headings = {f"{labels[b['field']]}：" for b in form["layout"] if b["type"] == "field_block"}
    headings |= {
        f"{b.get('label', '证据及材料清单')}："
        for b in form["layout"]
        if b["type"] == "evidence_list"
    }
    values = _values()
    issuer, when = values["issuing_agency"], format_cn_date(values["issue_date"])
    last_body_line = _squash(f"联系人及电话：{values['contact']}")
    signature_pages: set[int] = set()
    body_page_counts: set[int] = set()
    for n_lines in range(1, GEO.lines_per_page + 8):
        facts = "查" * (GEO.chars_per_line * n_lines - 2)  # n_lines full grid lines (2-char indent)
        extra = SHIPPED_EXTRA if form_path == SHIPPED_FORM_PATH else {}
        data, result = _render(form, {**_values(facts), **extra})
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = [_squash(p.extract_text()) for p in reader.pages]
        sig = next(i for i, text in enumerate(pages) if _squash(issuer) in text)
        signature_pages.add(sig)
        body_page_counts.add(result.body_pages)
        assert when in pages[sig], (n_lines, pages)  # signature and date together
        assert last_body_line in pages[sig], (n_lines, pages)  # not alone on its page
        for number, page in enumerate(reader.pages[:-1], 1):
            lines = _body_lines(page)
            foot = "".join(t for _, t in sorted(lines[min(lines)]))
            assert foot not in headings, (n_lines, number, foot)  # no heading at a page foot
    # The range did push the end of the body across a page boundary, so the asserts had teeth.
    assert len(body_page_counts) > 1 and len(signature_pages) > 1
