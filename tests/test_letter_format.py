"""The GB/T 9704-2012 letter format (layout 2), parsed back glyph by glyph from the PDFs.

Positions come from :mod:`tests.pdf_glyphs` (the PDF's own glyph widths, character spacing and
scaling), faces from the embedded font names, colours from the fill colour in force.
"""

from __future__ import annotations

import dataclasses
import io
import json
from typing import Any

import pypdf
import pytest

from officer_app.documents import letter_format as lf
from officer_app.documents.fonts import load_faces
from officer_app.documents.geometry import DEFAULT_GEOMETRY as GEO
from officer_app.documents.render import TRAINING_MARK, render_document
from tests import layout_cases
from tests.pdf_glyphs import MM, Box, Run, page_content

AGENCY = "上海市青浦区城市管理行政执法局"
NUMBER = "青城管移〔2026〕15号"
RECORDS = {"site_inspection", "joint_patrol_record"}
EPS = 0.01 * MM  # positions are exact to a hundredth of a millimetre
LGEO = dataclasses.replace(GEO, exact_fill=True)  # layout 2's grid: 28 glyphs fill 156 mm


def _forms() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in layout_cases.shipped_forms()]


def _letters() -> list[dict[str, Any]]:
    return [f for f in _forms() if f["id"] not in RECORDS and not f["id"].startswith("_")]


def _postscript() -> dict[str, str]:
    return {role: face.font.face.name.decode("latin-1") for role, face in load_faces().items()}


def _render(
    form: dict[str, Any], values: dict[str, Any] | None = None, **kw: Any
) -> tuple[pypdf.PdfReader, Any]:
    buf = io.BytesIO()
    kw.setdefault("number", NUMBER)
    kw.setdefault("letterhead", None if form["id"] in RECORDS else AGENCY)
    result = render_document(form, values or layout_cases.fill(form), out=buf, **kw)
    return pypdf.PdfReader(io.BytesIO(buf.getvalue())), result


def _top_mm(y: float) -> float:
    return (GEO.page_height - y) / MM


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return layout_cases.make_photos(tmp_path_factory.mktemp("photos"), 60)


# ------------------------------------------------------------------------------- letterhead


@pytest.mark.parametrize("form", _letters(), ids=lambda f: f["id"])
def test_letterhead_of_every_letter(form: dict[str, Any], photos: list[dict[str, Any]]) -> None:
    reader, _ = _render(form, evidence=photos[:2])
    runs, boxes = page_content(reader.pages[0])
    ps = _postscript()
    mark = next(r for r in runs if r.text == AGENCY)
    # §10.1: the full name, red, title face, centred on the 版心, top 30 mm from the page top.
    assert mark.rgb == lf.RED and mark.font == ps["title"]
    assert _top_mm(mark.y + GEO.ascent_ratio * mark.size) == pytest.approx(30.0, abs=0.01)
    centre = (GEO.text_left + GEO.text_right) / 2
    assert (mark.x0 + mark.x1) / 2 == pytest.approx(centre, abs=EPS)
    mark_bottom = mark.y - (1 - GEO.ascent_ratio) * mark.size
    red = sorted((b for b in boxes if b.rgb == lf.RED and b.filled), key=lambda b: -b.y)
    assert len(red) == 4
    for b in red:  # 170 mm, centred
        assert b.width == pytest.approx(170 * MM, abs=EPS)
        assert b.x + b.width / 2 == pytest.approx(centre, abs=EPS)
    head_thick, head_thin, foot_thin, foot_thick = red
    # Thick over thin, its top 4 mm under the mark.
    assert (mark_bottom - (head_thick.y + head_thick.height)) / MM == pytest.approx(4.0, abs=0.01)
    assert head_thick.height > head_thin.height and head_thin.y < head_thick.y
    # Thin over thick, its lower edge 20 mm above the page foot.
    assert foot_thick.y / MM == pytest.approx(20.0, abs=0.01)
    assert foot_thin.height < foot_thick.height and foot_thin.y > foot_thick.y
    # 发文字号 flush right, its top 7/8 of a 3号 character under the line, above the title.
    number = next(r for r in runs if r.text == NUMBER)
    assert number.x1 == pytest.approx(GEO.text_right, abs=EPS) and number.font == ps["body"]
    gap = head_thin.y - (number.y + GEO.ascent_ratio * number.size)
    assert gap == pytest.approx(7 / 8 * 16, abs=0.01)
    title = next(r for r in runs if r.text == form["title"])
    assert title.font == ps["title"] and title.y < number.y
    assert (title.x0 + title.x1) / 2 == pytest.approx(centre, abs=EPS)
    # Two empty grid lines between the number's line and the title's.
    number_slot = int((GEO.text_top - (number.y - 0.12 * number.size)) // GEO.line_pitch)
    title_slot = round((GEO.text_top - title.y - 0.88 * title.size) / GEO.line_pitch - 0.3)
    assert title_slot - number_slot == 3, (number_slot, title_slot)
    # §10.1: no page number on page 1; the next pages have theirs.
    assert not any(r.text.startswith("—") for r in runs)
    for no, page in enumerate(reader.pages[1:], 2):
        assert any(r.text == f"— {no} —" for r in page_content(page)[0])
        assert not [b for b in page_content(page)[1] if b.rgb == lf.RED]  # letterhead: page 1


@pytest.mark.parametrize("form_id", sorted(RECORDS))
def test_records_keep_a_record_layout(form_id: str, photos: list[dict[str, Any]]) -> None:
    form = next(f for f in _forms() if f["id"] == form_id)
    reader, _ = _render(form, evidence=photos[:2])
    runs, boxes = page_content(reader.pages[0])
    assert not any(r.text == AGENCY for r in runs)
    assert not [b for b in boxes if b.rgb == lf.RED]
    assert any(r.text == "— 1 —" for r in runs)  # a record numbers its first page
    title = next(r for r in runs if r.text == form["title"])
    assert title.font == _postscript()["title"]


def test_long_agency_name_is_compressed_never_overflows() -> None:
    form = _letters()[0]
    long_name = "某某省某某市某某区城市管理综合行政执法局某某街道执法中队联合办公室"
    reader, _ = _render(form, letterhead=long_name)
    mark = next(r for r in page_content(reader.pages[0])[0] if r.text == long_name)
    assert mark.h_scale < 100 and mark.size == GEO.title_size
    assert mark.x0 >= GEO.text_left - EPS and mark.x1 <= GEO.text_right + EPS


# ------------------------------------------------------------------------------- the block

WORST = {
    "brackets": "《》（）" * 40,
    "latin": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" * 4,
    "digits": "0123456789" * 30,
    "hex": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" * 3,
    "mixed": "依据《中华人民共和国行政处罚法》（2021年修订）第22条，SHA-256：" + "ab" * 32 + "。",
    "wide": "ＷＷＷＷ" * 30 + "——" * 20,
}


def _worst_values(form: dict[str, Any], text: str) -> dict[str, Any]:
    values = layout_cases.fill(form)
    for f in form["fields"]:
        if f.get("kind", "text") in ("text", "multiline"):
            values[f["name"]] = text
    return values


@pytest.mark.parametrize("case", sorted(WORST))
@pytest.mark.parametrize("form", _forms(), ids=lambda f: f["id"])
def test_no_glyph_outside_the_block(
    form: dict[str, Any], case: str, photos: list[dict[str, Any]]
) -> None:
    """Every glyph of every line of every form, worst-case texts included, inside 156 mm."""
    ev = [] if form.get("evidence", "attach") == "none" else photos[:3]
    reader, _ = _render(form, _worst_values(form, WORST[case]), evidence=ev)
    outside: list[tuple[int, Run]] = []
    count = 0
    for no, page in enumerate(reader.pages):
        for run in page_content(page)[0]:
            count += 1
            if run.x0 < GEO.text_left - EPS or run.x1 > GEO.text_right + EPS:
                outside.append((no, run))
    assert count > 20 and outside == []


def test_signature_centred_over_the_date_with_room_for_the_seal() -> None:
    form = next(f for f in _letters() if f["id"] == "case_transfer")
    reader, _ = _render(form)
    values = layout_cases.fill(form)
    pages = [page_content(p)[0] for p in reader.pages]
    runs = next(rs for rs in pages if any(r.text == values["issuing_agency"] for r in rs))
    date = next(r for r in runs if r.text == "2026年3月5日" and r.x1 > GEO.text_left + 300)
    issuer = next(r for r in runs if r.text == values["issuing_agency"])
    # 成文日期 右空四字; 署名 centred over it (GB/T 9704 §7.3.5.1).
    assert GEO.text_right - date.x1 == pytest.approx(4 * LGEO.char_pitch, abs=EPS)
    assert (issuer.x0 + issuer.x1) / 2 == pytest.approx((date.x0 + date.x1) / 2, abs=EPS)
    assert issuer.y - date.y == pytest.approx(GEO.line_pitch, abs=0.01)  # the date on its own line
    # Two empty lines over the 署名 for the seal, and body text on the same page.
    above = min(r.y for r in runs if r.y > issuer.y + 1 and r.y < GEO.text_top)
    assert above - issuer.y == pytest.approx(3 * GEO.line_pitch, abs=0.01)


# ------------------------------------------------------------------------------- attachments


def _body_and_pages(reader: pypdf.PdfReader) -> list[str]:
    return ["".join(p.extract_text().split()) for p in reader.pages]


@pytest.mark.parametrize("n", [1, 12, 60])
def test_transfer_letter_attachments(n: int, photos: list[dict[str, Any]]) -> None:
    form = next(f for f in _letters() if f["id"] == "case_transfer")
    reader, result = _render(form, evidence=photos[:n])
    texts = _body_and_pages(reader)
    ps = _postscript()
    # The body stays within two pages, whatever the number of photos; the signature has text.
    assert result.body_pages <= 2
    body = "".join(texts[: result.body_pages])
    assert f"附件：1.证据及材料清单2.现场照片（{n}张）" in body
    assert "1. " not in body and "2. " not in body  # no space after the numeral's point
    runs = [r for p in reader.pages[: result.body_pages] for r in page_content(p)[0]]
    first = next(r for r in runs if r.text.startswith("附件："))
    second = next(r for r in runs if r.text.startswith("2.现场照片"))
    assert first.x0 == pytest.approx(GEO.text_left + 2 * LGEO.char_pitch, abs=EPS)
    # A second name aligns with the first name's numeral (after the 3 glyphs of 附件：).
    assert second.x0 == pytest.approx(first.x0 + 3 * LGEO.char_pitch, abs=EPS)
    # Each attachment from its own page: 附件N top left in 黑体, title centred on the third line.
    heads = {}
    for no, page in enumerate(reader.pages[result.body_pages :], result.body_pages):
        prs = page_content(page)[0]
        for r in prs:
            if r.text in ("附件1", "附件2"):
                heads[r.text] = no
                assert r.font == ps["heading1"] and r.x0 == pytest.approx(GEO.text_left, abs=EPS)
                assert r.y == pytest.approx(GEO.baseline(0), abs=0.01)
                title = next(t for t in prs if t.text in ("证据及材料清单", "现场照片"))
                assert title.font == ps["title"]
                assert title.y == pytest.approx(GEO.baseline(2, GEO.title_size), abs=0.01)
    assert heads["附件1"] == result.body_pages and heads["附件2"] > heads["附件1"]
    table = "".join(texts[heads["附件1"] : heads["附件2"]])
    for head in ("序号", "文件名", "拍摄时间", "位置/坐标系", "管辖", "SHA-256"):
        assert head in table
    for ev in photos[:n]:
        assert ev["sha256"] in table  # in full (wrapped in its cell)
    # Captions at least 12 pt, every photo once.
    captions = [
        r
        for p in reader.pages[heads["附件2"] :]
        for r in page_content(p)[0]
        if r.text.startswith("SHA-256：")
    ]
    assert len(captions) == n and min(r.size for r in captions) >= 12


def test_recordings_listed_as_audiovisual_with_duration(photos: list[dict[str, Any]]) -> None:
    form = next(f for f in _letters() if f["id"] == "case_transfer")
    video = {**photos[0], "path": None, "label": "VID_0001.MP4", "kind": "video"}
    video["duration_s"] = 65
    video["sha256"] = "c" * 64
    reader, _ = _render(form, evidence=[photos[1], video])
    whole = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert "VID_0001.MP4（视听资料（视频），时长1分05秒）" in whole
    assert "现场照片（1张）" in whole  # the recording is no photo page


# ------------------------------------------------------------------------------- training


def test_training_mark_on_every_page_and_never_on_a_real_one(
    photos: list[dict[str, Any]],
) -> None:
    form = next(f for f in _letters() if f["id"] == "case_transfer")
    for training in (True, False):
        reader, _ = _render(form, evidence=photos[:5], training=training)
        for page in reader.pages:
            runs = page_content(page)[0]
            marks = [r for r in runs if r.text == TRAINING_MARK]
            assert len(marks) == (1 if training else 0)
            if marks:  # horizontal, extractable, above the text block
                assert TRAINING_MARK in page.extract_text()
                assert marks[0].y > GEO.text_top and marks[0].h_scale == 100


def test_boxes_helper_reads_rules() -> None:
    """The interpreter itself: a known rectangle comes back where it was drawn."""
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf)
    c.setFillColorRGB(1, 0, 0)
    c.rect(10, 20, 30, 40, stroke=0, fill=1)
    c.save()
    _, boxes = page_content(pypdf.PdfReader(io.BytesIO(buf.getvalue())).pages[0])
    assert boxes == [Box(10.0, 20.0, 30.0, 40.0, (1.0, 0.0, 0.0), True)]


def test_text_helper_catches_an_overflow() -> None:
    """A line drawn past the block is seen as such (the block test has teeth)."""
    from reportlab.pdfgen.canvas import Canvas

    face = load_faces()["body"].font
    buf = io.BytesIO()
    c = Canvas(buf)
    c.setFont(face.fontName, 16)
    c.drawString(GEO.text_left, 400, "字" * 28, charSpace=GEO.char_pitch - 16)
    c.save()
    (run,), _ = page_content(pypdf.PdfReader(io.BytesIO(buf.getvalue())).pages[0])
    assert run.x1 > GEO.text_right + EPS  # layout 1's spacing: the 28th glyph ends past 156 mm


def test_bulletin_in_the_letter_format() -> None:
    from officer_app.documents.bulletin import render_bulletin

    buf = io.BytesIO()
    content = layout_cases.bulletin_content()
    number = "青城管通〔2026〕1号"
    render_bulletin(content, number=number, out=buf, layout=2, letterhead=AGENCY)
    reader = pypdf.PdfReader(io.BytesIO(buf.getvalue()))
    pages = [page_content(p) for p in reader.pages]
    runs, boxes = pages[0]
    ps = _postscript()
    mark = next(r for r in runs if r.text == AGENCY)
    assert mark.rgb == lf.RED and mark.font == ps["title"]
    assert len([b for b in boxes if b.rgb == lf.RED]) == 4
    assert next(r for r in runs if r.text == number).x1 == pytest.approx(GEO.text_right, abs=EPS)
    assert next(r for r in runs if r.text == content.title).font == ps["title"]
    assert next(r for r in runs if r.text == "一、总体情况").font == ps["heading1"]
    assert not any(r.text.startswith("—") for r in runs)  # no page number on page 1
    for page_runs, _ in pages:
        for r in page_runs:
            assert GEO.text_left - EPS <= r.x0 and r.x1 <= GEO.text_right + EPS, r
    last = pages[-1][0]
    issuer = next(r for r in last if r.text == content.issuer)
    date = next(r for r in last if r.text == content.date_text)
    assert GEO.text_right - date.x1 == pytest.approx(4 * LGEO.char_pitch, abs=EPS)
    assert issuer.x1 <= GEO.text_right + EPS and issuer.y > date.y


def test_qr_path_is_the_widgets_symbol() -> None:
    """Layout 2 draws the QR code as one path: the very modules reportlab's widget draws."""
    from reportlab.graphics.barcode.qr import QrCodeWidget

    from officer_app.documents.draw import qr_module_runs

    payload = f"{NUMBER}|case_transfer|sha256:{'ab' * 32}"
    size = GEO.qr_size
    widget = QrCodeWidget(payload, barWidth=size, barHeight=size, barBorder=1, barLevel="M")
    rects = [(s.x, s.y, s.width, s.height) for s in widget.draw().contents if s.fillColor]
    ours = qr_module_runs(payload, size)
    assert len(ours) == len(rects) > 100
    for a, b in zip(sorted(ours), sorted(rects), strict=True):
        assert a == pytest.approx(b, abs=1e-9)


def test_table_cells_hold_their_worst_case_on_one_line() -> None:
    """The evidence table's date, coordinates and district code never wrap mid-value."""
    from officer_app.documents.layout import wrap_text

    body = load_faces()["body"].font
    widths = dict(lf.TABLE_COLUMNS)
    worst = {
        "拍摄时间": "2000年10月30日",
        "位置/坐标系": "东经000.000000°",
        "管辖": "（000000）",
    }
    for column, text in worst.items():
        room = widths[column] * MM - 2 * lf.TABLE_PAD
        lines = wrap_text(text, lambda ch: body.stringWidth(ch, lf.TABLE_SIZE), room)
        assert len(lines) == 1, (column, lines)


def test_a_moving_recordings_path_is_listed_with_its_end_and_length(
    photos: list[dict[str, Any]],
) -> None:
    form = next(f for f in _letters() if f["id"] == "case_transfer")
    video = {**photos[0], "path": None, "label": "FILE0001.MP4", "kind": "video"}
    video.update(duration_s=4, sha256="d" * 64, lat=31.0135, lon=120.837)
    video["route"] = {
        "n": 5,
        "length_m": 133.4,
        "start": [31.0135, 120.837],
        "end": [31.0147, 120.837],
    }
    reader, _ = _render(form, evidence=[photos[1], video])
    whole = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert "起点北纬31.013500°" in whole
    assert "轨迹5个定位点行程约133米终点北纬31.014700°东经120.837000°" in whole
    plain, _ = _render(form, evidence=[photos[1]])
    assert "定位点" not in "".join(p.extract_text() for p in plain.pages)
