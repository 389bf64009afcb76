"""Printing a PDF on a QPrinter: small spool, fast, photos at print resolution and not above.

Why not one full-page image per page at the printer's resolution (what this replaced): a 600 dpi
A4 page is a 35 MB bitmap that Qt re-encodes as JPEG; a 10-page, 12-photo 移送函 took ~10 s and
spooled 55 MB, with the 200 dpi photos blown up to 600 dpi on the way. Instead each page goes out as
three layers, painted in this order at the page's true physical size from the paper's corner (the
PDF already carries the GB/T 9704 margins, so the printer must neither add its own nor shrink the
page to "fit"):

1. the text and lines (the page without its photos), rendered once by PDFium at
   :data:`TEXT_DPI` (capped by the printer's resolution) and sent as a 1-bit image: black text needs
   no grey levels on paper, and Qt writes 1-bit images losslessly and compactly (~0.1-0.2 MB a page
   instead of ~1 MB of JPEG); grey (a draft's watermark) is dithered;
2. the rows holding colour (a letter's red 发文机关标志 and double lines) again, as colour strips at
   :data:`COLOUR_DPI`, so red stays red;
3. each photo, taken from the PDF as it is embedded (already downsampled to print resolution when
   the document was rendered) and drawn at its place, downscaled only where the printer's
   resolution is lower than the photo's.

Qt's PDF and native print engines both keep an image at its own pixel size, so the spool holds
the photos at their resolution, not the printer's. Everything here may run on a worker thread: it
makes QImages only, and every PDFium call holds :data:`pdf_raster._PDFIUM_LOCK`.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any  # pypdfium2 ships no types (nor stubs on PyPI): its objects are Any here

import numpy as np
from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from officer_app.ui.pdf_raster import (
    _PDFIUM_LOCK,
    POINTS_PER_INCH,
    PdfRenderError,
    Progress,
    _open,
    page_sizes_pt,
)

#: Text and rules: 600 dpi 1-bit prints like vector text on an office laser printer.
TEXT_DPI = 600
#: Colour strips (red letterhead and lines): solid colour needs less.
COLOUR_DPI = 300
#: A pixel whose channels differ by more than this is colour, not grey.
CHROMA_THRESHOLD = 48
_WHITE = QColor(Qt.GlobalColor.white).rgba()
_BLACK = QColor(Qt.GlobalColor.black).rgba()


@dataclass
class _Photo:
    rect_pt: tuple[float, float, float, float]  # left, bottom, right, top in PDF points
    image: QImage


@dataclass
class _Layers:
    text: QImage  # 1-bit, TEXT_DPI
    colour: list[tuple[float, float, QImage]]  # (top_pt, height_pt, strip) from the page's top
    photos: list[_Photo]


def _photo_qimage(obj: Any) -> QImage | None:
    """The embedded image at its own pixel size, as an RGB QImage (None: not an opaque photo)."""
    pil = obj.get_bitmap(render=False).to_pil()
    if pil.mode not in ("RGB", "L", "CMYK", "RGBX"):
        return None  # transparency or odd formats stay in the page raster
    rgb = pil.convert("RGB")
    data = rgb.tobytes()
    image = QImage(data, rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888)
    return image.copy()  # own the pixels: ``data`` goes out of scope


def _take_photos(page: Any) -> list[_Photo]:
    """Remove the page's top-level, unrotated images from ``page`` and return them."""
    import pypdfium2.raw as pdfium_c

    photos = []
    for obj in list(page.get_objects(max_depth=1)):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        a, b, c, d, _e, _f = obj.get_matrix().get()
        if b or c or a <= 0 or d <= 0:
            continue  # rotated or mirrored: left to the raster
        image = _photo_qimage(obj)
        if image is None:
            continue
        photos.append(_Photo(tuple(obj.get_bounds()), image))
        page.remove_obj(obj)
        obj.close()
    if photos:
        page.gen_content()
    return photos


def _mono(white: np.ndarray) -> QImage:
    """A 1-bit QImage (index 0 black, 1 white: the order Qt's PDF engine writes as 1-bit)."""
    height, width = white.shape
    bits = np.packbits(white, axis=1)
    image = QImage(bits.tobytes(), width, height, bits.shape[1], QImage.Format.Format_Mono)
    image.setColorTable([_BLACK, _WHITE])
    return image.copy()


def _colour_strips(rgb: np.ndarray, dpi: float) -> list[tuple[int, int]]:
    """Row ranges [start, end) that hold colour, padded and merged."""
    chroma = rgb.max(axis=2).astype(np.int16) - rgb.min(axis=2)
    rows = np.flatnonzero((chroma > CHROMA_THRESHOLD).any(axis=1))
    if rows.size == 0:
        return []
    pad = max(2, round(dpi / 50))
    strips: list[tuple[int, int]] = []
    start = prev = int(rows[0])
    for r in rows[1:]:
        r = int(r)
        if r - prev > 4 * pad:
            strips.append((max(0, start - pad), min(len(rgb), prev + pad + 1)))
            start = r
        prev = r
    strips.append((max(0, start - pad), min(len(rgb), prev + pad + 1)))
    return strips


def _is_colour(r: int, g: int, b: int) -> bool:
    return max(r, g, b) - min(r, g, b) > CHROMA_THRESHOLD


def _has_colour(page: Any) -> bool:
    """Whether any object on the page is filled or stroked in a colour (not black/grey/white)."""
    import pypdfium2.raw as pdfium_c

    rgba = [ctypes.c_uint() for _ in range(4)]
    for obj in page.get_objects():
        for getter in (pdfium_c.FPDFPageObj_GetFillColor, pdfium_c.FPDFPageObj_GetStrokeColor):
            if getter(obj.raw, *rgba) and _is_colour(*(c.value for c in rgba[:3])):
                return True
    return False


def _render(page: Any, dpi: float, grayscale: bool) -> np.ndarray:
    bitmap = page.render(
        scale=dpi / POINTS_PER_INCH,
        grayscale=grayscale,
        rev_byteorder=True,
        fill_color=(255, 255, 255, 255),
        optimize_mode="print",
    )
    try:
        return np.array(bitmap.to_numpy())  # a copy: the bitmap's buffer is freed below
    finally:
        bitmap.close()


def _dither(gray: np.ndarray) -> np.ndarray:
    """Ordered 4x4 dither: black stays black, white white, grey (a watermark) becomes a fine
    regular pattern that prints grey and compresses well."""
    h, w = gray.shape
    pattern = np.array(
        [[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], dtype=np.uint16
    )
    thresholds = (pattern * 16 + 8).astype(np.uint8)
    tiled = np.tile(thresholds, (h // 4 + 1, w // 4 + 1))[:h, :w]
    return gray >= tiled


def _layers(data: bytes, index: int, printer_dpi: float) -> _Layers:
    text_dpi = min(printer_dpi, TEXT_DPI)
    colour_dpi = min(printer_dpi, COLOUR_DPI)
    rgb = None
    with _PDFIUM_LOCK:
        pdf = _open(data)
        try:
            page = pdf[index]
            try:
                photos = _take_photos(page)
                gray = _render(page, text_dpi, grayscale=True)
                if gray.ndim == 3:  # a PDFium build that renders grey into BGRx
                    gray = gray[:, :, 0]
                if _has_colour(page):
                    rgb = _render(page, colour_dpi, grayscale=False)[:, :, :3]
            finally:
                page.close()
        finally:
            pdf.close()
    colour = []
    if rgb is not None:
        for top, bottom in _colour_strips(rgb, colour_dpi):
            strip = np.ascontiguousarray(rgb[top:bottom])
            h, w = strip.shape[:2]
            image = QImage(strip.tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888).copy()
            colour.append(
                (top * POINTS_PER_INCH / colour_dpi, h * POINTS_PER_INCH / colour_dpi, image)
            )
    return _Layers(_mono(_dither(gray)), colour, photos)


def _fit_photo(photo: _Photo, printer_dpi: float) -> QImage:
    """Never more pixels than the printer can place in the photo's box."""
    left, bottom, right, top = photo.rect_pt
    max_w = round((right - left) / POINTS_PER_INCH * printer_dpi)
    max_h = round((top - bottom) / POINTS_PER_INCH * printer_dpi)
    image = photo.image
    if image.width() > max_w or image.height() > max_h:
        image = image.scaled(
            max(1, max_w),
            max(1, max_h),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image


def print_pdf(data: bytes, printer: QPrinter, progress: Progress | None = None) -> int:
    """Paint the PDF's pages on ``printer`` at their physical size; returns the pages printed.

    Honours the dialog's page range (``fromPage``/``toPage``, 1-based, 0 = all).  Safe on a worker
    thread: QPainter on a QPrinter is allowed there, and only QImages are made.
    """
    sizes = page_sizes_pt(data)
    if not sizes:
        return 0
    first = max(printer.fromPage(), 1) if printer.fromPage() else 1
    last = min(printer.toPage(), len(sizes)) if printer.toPage() else len(sizes)
    wanted = list(range(first - 1, last))
    width_pt, height_pt = sizes[wanted[0]] if wanted else sizes[0]
    portrait = height_pt >= width_pt
    printer.setPageLayout(
        QPageLayout(
            QPageSize(
                QSizeF(min(width_pt, height_pt), max(width_pt, height_pt)),
                QPageSize.Unit.Point,
                "",
                QPageSize.SizeMatchPolicy.FuzzyMatch,
            ),
            QPageLayout.Orientation.Portrait if portrait else QPageLayout.Orientation.Landscape,
            QMarginsF(0, 0, 0, 0),
        )
    )
    printer.setFullPage(True)  # origin at the paper's corner: the PDF has its own margins
    printer_dpi = printer.resolution()
    painter = QPainter()
    if not painter.begin(printer):
        raise PdfRenderError("printer could not be opened")
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        scale = printer_dpi / POINTS_PER_INCH  # device pixels per PDF point
        for n, index in enumerate(wanted):
            if n:
                printer.newPage()
            w_pt, h_pt = sizes[index]
            layers = _layers(data, index, printer_dpi)
            painter.drawImage(QRectF(0, 0, w_pt * scale, h_pt * scale), layers.text)
            for top_pt, strip_h_pt, strip in layers.colour:
                painter.drawImage(
                    QRectF(0, top_pt * scale, w_pt * scale, strip_h_pt * scale), strip
                )
            for photo in layers.photos:
                left, bottom, right, top = photo.rect_pt
                target = QRectF(
                    left * scale,
                    (h_pt - top) * scale,
                    (right - left) * scale,
                    (top - bottom) * scale,
                )
                painter.drawImage(target, _fit_photo(photo, printer_dpi))
            del layers
            if progress:
                progress(n + 1, len(wanted))
    finally:
        painter.end()
    return len(wanted)
