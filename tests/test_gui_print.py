"""The print path (打印 → ``ui.pdf_print``) on a PDF printer: page count, photos at print resolution
and never above, text as compact 1-bit layers, colour (a letter's red lines) kept in colour."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image
from PySide6.QtPrintSupport import QPrinter
from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from officer_app.services import cases, catalogue, documents, evidence_import, officers
from officer_app.ui import pdf_print
from officer_app.ui.document_page import DocumentPage

pytestmark = pytest.mark.gui
CAMERA = (4000, 3000)


def _pdf_printer(out: Path, dpi: int | None) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    if dpi:
        printer.setResolution(dpi)
    return printer


def _images(path: Path) -> list[dict[str, Any]]:
    """Every image of the spooled PDF: page, pixel size, bits, and its resolution as placed."""
    found = []
    pdf = pdfium.PdfDocument(path)
    try:
        for n in range(len(pdf)):
            page = pdf[n]
            for obj in page.get_objects():
                if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    continue
                w_px, h_px = obj.get_px_size()
                left, _bottom, right, _top = obj.get_bounds()
                meta = obj.get_metadata()
                found.append(
                    {
                        "page": n,
                        "px": (w_px, h_px),
                        "bits": meta.bits_per_pixel,
                        "ppi": w_px / ((right - left) / 72),
                    }
                )
    finally:
        pdf.close()
    return found


@pytest.fixture
def photo_letter(ctx: Any, tmp_path: Path) -> dict[str, Any]:
    """An issued 移送函 with three camera-sized photos (4000x3000 JPEGs)."""
    officers.add_or_select_officer(ctx, "测试", "B-1", "310118")
    paths = []
    for i in range(3):
        path = tmp_path / f"DSC_{i:04d}.JPG"
        img = Image.effect_noise((CAMERA[0] // 8, CAMERA[1] // 8), 40 + 10 * i).convert("RGB")
        img.resize(CAMERA).save(path, "JPEG", quality=90)
        paths.append(path)
    report = evidence_import.import_files(ctx, paths)
    ids = [f.evidence_id for f in report.files if f.evidence_id]
    assert len(ids) == 3
    case_id = cases.record_case(ctx, violation_code="JZLJ-01", evidence_ids=ids)
    doc = documents.new_document(ctx, "case_transfer", case_id=case_id)
    documents.set_fields(
        ctx,
        doc["id"],
        {
            "receiving_agency": "苏州市吴江区综合行政执法局",
            "party": "某公司",
            "reason": "发生地在你区。",
        },
    )
    catalogue.confirm_draft_basis(ctx, doc["id"])  # the officer checked the basis
    return documents.issue_document(ctx, doc["id"])


@pytest.mark.parametrize("dpi", [1200, 150])
def test_print_photos_at_print_resolution_not_above(
    qtbot, ctx: Any, tmp_path: Path, photo_letter: dict[str, Any], dpi: int
) -> None:
    page = DocumentPage(ctx)
    qtbot.addWidget(page)
    assert page.select_document(photo_letter["id"])
    out = tmp_path / "spool.pdf"
    printer = _pdf_printer(out, dpi)
    with qtbot.waitSignal(page.printed, timeout=120_000) as printed:
        assert page.print_current(printer)
    page.shutdown()
    assert printed.args == [photo_letter["pages"]]
    images = _images(out)
    assert {i["page"] for i in images} == set(range(photo_letter["pages"]))
    # Colour strips (the red letterhead and double lines of page 1) span the page's width.
    strips = [i for i in images if i["bits"] > 1 and abs(i["px"][0] - 210 / 25.4 * i["ppi"]) < 3]
    photos = [i for i in images if i["bits"] > 1 and i not in strips]
    text = [i for i in images if i["bits"] == 1]
    assert strips and {i["page"] for i in strips} == {0}  # red on the letterhead page only
    assert len(photos) == 3  # each photo once, at its place
    assert len(text) == photo_letter["pages"]  # one 1-bit text layer a page
    # The issued PDF embeds the photos at 200 ppi; the spool never blows them up to the
    # printer's resolution, and downsamples them where the printer is coarser.
    limit = min(dpi, 200)
    for photo in photos:
        assert photo["ppi"] <= limit * 1.02, photo
        assert photo["ppi"] >= limit * 0.9, photo  # and not needlessly coarse
        assert photo["px"][0] < CAMERA[0] / 4
    for layer in text:
        assert layer["ppi"] == pytest.approx(min(dpi, pdf_print.TEXT_DPI), rel=0.01)


def test_colour_and_grey_survive_the_print_path(qtbot, tmp_path: Path) -> None:
    """A red double line and a light-grey watermark: red stays red, grey prints grey."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(210 * mm, 297 * mm))
    canvas.setStrokeColor(Color(0.9, 0, 0))
    canvas.setLineWidth(2)
    canvas.line(20 * mm, 250 * mm, 190 * mm, 250 * mm)
    canvas.setFillColor(Color(0.75, 0.75, 0.75))
    canvas.rect(40 * mm, 100 * mm, 100 * mm, 40 * mm, stroke=0, fill=1)
    canvas.setFillColor(Color(0, 0, 0))
    canvas.rect(40 * mm, 50 * mm, 100 * mm, 20 * mm, stroke=0, fill=1)
    canvas.save()
    out = tmp_path / "spool.pdf"
    assert pdf_print.print_pdf(buf.getvalue(), _pdf_printer(out, 600)) == 1
    assert any(i["bits"] > 1 for i in _images(out))  # the colour strip
    pdf = pdfium.PdfDocument(out)
    try:
        pixels = pdf[0].render(scale=100 / 72).to_pil().convert("RGB")
    finally:
        pdf.close()

    def at(x_mm: float, y_mm: float, size: int = 20) -> tuple[float, ...]:
        x, y = round(x_mm / 25.4 * 100), round((297 - y_mm) / 25.4 * 100)
        box = pixels.crop((x - size, y - size // 4, x + size, y + size // 4)).resize((1, 1))
        return box.getpixel((0, 0))

    r, g, b = at(100, 250, 4)
    assert r > 150 and g < 120 and b < 120  # red
    grey = at(90, 120)
    assert all(120 < c < 230 for c in grey) and max(grey) - min(grey) < 20  # grey, not white/black
    assert max(at(90, 60)) < 40  # black stays black
    assert min(at(90, 200)) > 240  # paper stays white
