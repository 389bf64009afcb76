"""Phase 3 of rendering: laid-out pages onto a reportlab canvas.

Photos are read, verified against their recorded SHA-256 and decoded once, at reduced size (Pillow
``draft``), then embedded as JPEG; every page gets its furniture (page number, QR code carrying the
document number and the content hash, the training mark). Text items are drawn with the face of
their role. Nothing here decides where anything goes: that was settled by the layout.
"""

from __future__ import annotations

import hashlib
import io
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from officer_app.documents.flow import Page, Photo, Rule, Text
from officer_app.documents.geometry import PageGeometry
from officer_app.documents.watermark import draw_watermark

__all__ = [
    "PHOTO_DPI",
    "PHOTO_JPEG_QUALITY",
    "EvidenceIntegrityError",
    "Furniture",
    "draw_item",
    "draw_pages",
    "prepare_photo",
]

PHOTO_DPI = 200  # enough for a printed half-page photo; keeps a 12-MP JPEG to ~1/4 of its pixels
PHOTO_JPEG_QUALITY = 85


class EvidenceIntegrityError(ValueError):
    """An evidence file no longer matches the SHA-256 recorded at intake."""


@dataclass(frozen=True)
class Furniture:
    """What every page carries besides its content.

    ``first_numbered_page``: 1 for layout 1; 2 in the letter format (GB/T 9704 §10.1: 首页不显示页码).
    ``header_mark``: e.g. 【培训演示 无效】 as a horizontal, extractable line above the text block.
    """

    first_numbered_page: int = 1
    header_mark: str | None = None
    header_rgb: tuple[float, float, float] = (0.8, 0.0, 0.0)
    #: Layout 2: the QR code in the top margin, right (the foot of page 1 holds the red double
    #: line, §10.1); layout 1: centred at the foot beside the page number.
    qr_at_top: bool = False
    #: Layout 2: the QR modules drawn as one filled path (a few hundred rectangles in one PDF
    #: operator run) instead of reportlab's graphics tree, which cost most of a one-page render.
    qr_as_path: bool = False


class _JpegReader(ImageReader):
    """Hands reportlab an already-encoded JPEG so it embeds the bytes as they are (DCTDecode),
    without opening them again with Pillow; ``getRGBData`` is only used by ``drawImage`` to name the
    image object, so returning the JPEG bytes keeps that name deterministic."""

    def __init__(self, data: bytes, size: tuple[int, int], ident: str) -> None:
        self._ident = ident
        self.fileName = ident
        self._image = None
        self._width, self._height = size
        self._transparent = None
        self._data = data
        self._dataA = None
        self.fp: io.BytesIO = io.BytesIO(data)

    # reportlab's base answers None ("not a JPEG, re-encode it"); this reader always holds one.
    def jpeg_fh(self) -> io.BytesIO:  # type: ignore[override]
        self.fp.seek(0)
        return self.fp

    def getRGBData(self) -> bytes:
        return self._data

    def getSize(self) -> tuple[int, int]:
        return (self._width, self._height)


def prepare_photo(
    data: bytes, box_w: float, box_h: float, dpi: int = PHOTO_DPI, *, ident: str = ""
) -> _JpegReader:
    """Decode a photo once, at reduced size, upright per its EXIF orientation, re-encoded as JPEG."""
    target = (max(1, round(box_w / 72 * dpi)), max(1, round(box_h / 72 * dpi)))
    with Image.open(io.BytesIO(data)) as im:
        orientation = im.getexif().get(0x0112, 1)
        request = target if orientation in (1, 2, 3, 4) else (target[1], target[0])
        im.draft("RGB", request)  # JPEG: let libjpeg scale by 1/2, 1/4, 1/8 while decoding
        im.thumbnail(request, Image.Resampling.BICUBIC)  # decodes; shrink before rotating
        rgb = ImageOps.exif_transpose(im).convert("RGB")
    buf = io.BytesIO()
    rgb.save(buf, "JPEG", quality=PHOTO_JPEG_QUALITY)
    return _JpegReader(buf.getvalue(), rgb.size, ident or hashlib.sha256(data).hexdigest())


def qr_module_runs(
    payload: str, size: float, border: int = 1
) -> list[tuple[float, float, float, float]]:
    """The dark module runs of the QR symbol (level M, ``border`` modules of quiet zone) as
    rectangles in a ``size`` square, as reportlab's QrCodeWidget lays them out."""
    from reportlab.graphics.barcode import qrencoder

    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(payload)
    qr.make()
    box = size / (qr.getModuleCount() + 2 * border)
    runs = []
    for r, row in enumerate(qr.modules):
        c = 0
        for dark, run in itertools.groupby(bool(v) for v in row):
            count = len(list(run))
            if dark:
                runs.append(((c + border) * box, size - (r + border + 1) * box, count * box, box))
            c += count
    return runs


def _qr_path_form(canvas: Canvas, payload: str, size: float) -> str:
    """The same symbol as :func:`_qr_form`, drawn as one filled path."""
    name = "pageQR"
    canvas.beginForm(name, 0, 0, size, size)
    path = canvas.beginPath()
    for x, y, w, h in qr_module_runs(payload, size):
        path.rect(x, y, w, h)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.endForm()
    return name


def _qr_form(canvas: Canvas, payload: str, size: float) -> str:
    name = "pageQR"
    drawing = Drawing(size, size)
    drawing.add(QrCodeWidget(payload, barWidth=size, barHeight=size, barBorder=1, barLevel="M"))
    canvas.beginForm(name, 0, 0, size, size)
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.endForm()
    return name


def _draw_page_furniture(
    canvas: Canvas,
    font: TTFont,
    geo: PageGeometry,
    page_no: int,
    qr_name: str,
    furniture: Furniture,
) -> None:
    label = f"— {page_no} —"
    size = geo.page_number_size
    y = geo.page_number_baseline()
    if page_no >= furniture.first_numbered_page:
        canvas.setFont(font.fontName, size)
        if page_no % 2:  # odd pages right, even pages left, one character in (GB/T 9704 7.5)
            canvas.drawRightString(geo.text_right - size, y, label)
        else:
            canvas.drawString(geo.text_left + size, y, label)
    if furniture.header_mark:
        canvas.saveState()
        canvas.setFillColorRGB(*furniture.header_rgb)
        canvas.setFont(font.fontName, size)
        mark_y = geo.page_height - TRAINING_MARK_TOP - geo.ascent_ratio * size
        canvas.drawCentredString(geo.page_width / 2, mark_y, furniture.header_mark)
        canvas.restoreState()
    canvas.saveState()
    if furniture.qr_at_top:
        canvas.translate(geo.text_right - geo.qr_size, geo.page_height - QR_TOP - geo.qr_size)
    else:
        canvas.translate((geo.page_width - geo.qr_size) / 2, y - geo.qr_size / 2)
    canvas.doForm(qr_name)
    canvas.restoreState()


_MM = 72.0 / 25.4
#: The training mark's top: in the top margin, above the 30 mm letterhead (house choice).
TRAINING_MARK_TOP = 14 * _MM
#: Layout 2's QR code top: 8 mm from the page top, in the margin (house choice).
QR_TOP = 8 * _MM


def draw_pages(
    canvas: Canvas,
    pages: list[Page],
    ev_meta: list[dict[str, Any]],
    fonts: Mapping[str, TTFont],
    geometry: PageGeometry,
    payload: str,
    progress: Callable[[int, int], None] | None,
    watermark: str | None = None,
    furniture: Furniture = Furniture(),
) -> None:
    """Every page in order; ``fonts`` maps each role to its face (``body`` at least)."""
    total = len(pages)
    body = fonts["body"]
    make_qr = _qr_path_form if furniture.qr_as_path else _qr_form
    qr_name = make_qr(canvas, payload, geometry.qr_size)
    for page_no, page in enumerate(pages, 1):
        if watermark:
            draw_watermark(canvas, body.fontName, geometry, watermark)
        for item in page.items:
            if isinstance(item, Text):
                _draw_text(canvas, fonts[item.role], item)
            elif isinstance(item, Rule):
                _draw_rule(canvas, item)
            else:
                _draw_photo(canvas, ev_meta[item.index], item)
        _draw_page_furniture(canvas, body, geometry, page_no, qr_name, furniture)
        canvas.showPage()
        if progress:
            progress(page_no, total)


def draw_item(canvas: Canvas, fonts: Mapping[str, TTFont], item: Text | Rule) -> None:
    """One laid-out text or rule (the bulletin draws its letterhead with this)."""
    if isinstance(item, Text):
        _draw_text(canvas, fonts[item.role], item)
    else:
        _draw_rule(canvas, item)


def _draw_text(canvas: Canvas, font: TTFont, item: Text) -> None:
    if item.rgb is None and item.h_scale == 100.0:
        canvas.setFont(font.fontName, item.size)
        canvas.drawString(item.x, item.y, item.text, charSpace=item.char_space)
        return
    canvas.saveState()
    if item.rgb is not None:
        canvas.setFillColorRGB(*item.rgb)
    t = canvas.beginText(item.x, item.y)
    t.setFont(font.fontName, item.size)
    t.setCharSpace(item.char_space)
    t.setHorizScale(item.h_scale)
    t.textOut(item.text)
    canvas.drawText(t)
    canvas.restoreState()


def _draw_rule(canvas: Canvas, item: Rule) -> None:
    canvas.saveState()
    if item.fill:
        canvas.setFillColorRGB(*item.rgb)
        canvas.rect(item.x, item.y, item.width, item.height, stroke=0, fill=1)
    else:
        canvas.setStrokeColorRGB(*item.rgb)
        canvas.setLineWidth(item.line_width)
        canvas.rect(item.x, item.y, item.width, item.height, stroke=1, fill=0)
    canvas.restoreState()


def _draw_photo(canvas: Canvas, meta: Mapping[str, Any], box: Photo) -> None:
    if meta.get("path") is None:
        canvas.rect(box.x, box.y, box.width, box.height)
        return
    data = Path(meta["path"]).read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != meta["sha256"]:
        raise EvidenceIntegrityError(
            f"证据文件“{meta['label']}”与登记时的 SHA-256 不一致（登记 {meta['sha256']}，"
            f"现为 {actual}），文件可能已被改动，不能打印。"
        )
    reader = prepare_photo(data, box.width, box.height, ident=actual)
    canvas.drawImage(
        reader, box.x, box.y, box.width, box.height, preserveAspectRatio=True, anchor="n"
    )
