"""PDF pages as images, for the in-app preview (pypdfium2, i.e. PDFium); printing is :mod:`pdf_print`.

Why PDFium rather than Qt's own QtPdf: the wheel bundles the library (4 MB, Apache-2.0/BSD), needs no
PySide6-Addons (59 MB) and renders the embedded CJK subset fonts exactly as a PDF viewer does.

Everything here may run on a worker thread: it makes ``QImage`` only (never ``QPixmap``), and
PDFium itself is not thread-safe, so every call into it holds one process-wide lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any  # pypdfium2 ships no types (nor stubs on PyPI): its objects are Any here

from PySide6.QtGui import QImage

_PDFIUM_LOCK = threading.Lock()
POINTS_PER_INCH = 72.0
Progress = Callable[[int, int], None]


class PdfRenderError(Exception):
    """The bytes are not a PDF PDFium can open (a damaged or truncated file)."""


def _to_qimage(bitmap: Any) -> QImage:
    image = QImage(
        bitmap.buffer,
        bitmap.width,
        bitmap.height,
        bitmap.stride,
        QImage.Format.Format_RGBX8888,
    )
    return image.copy()  # detach from PDFium's buffer before the bitmap is freed


def _open(data: bytes) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise PdfRenderError(str(exc)) from exc


def page_count(data: bytes) -> int:
    with _PDFIUM_LOCK:
        pdf = _open(data)
        try:
            return len(pdf)
        finally:
            pdf.close()


def page_sizes_pt(data: bytes) -> list[tuple[float, float]]:
    """Each page's (width, height) in PDF points (1/72 inch)."""
    with _PDFIUM_LOCK:
        pdf = _open(data)
        try:
            return [tuple(pdf[i].get_size()) for i in range(len(pdf))]
        finally:
            pdf.close()


def render_page(data: bytes, index: int, dpi: float) -> QImage:
    """One page at ``dpi`` as an opaque RGB image on white."""
    with _PDFIUM_LOCK:
        pdf = _open(data)
        try:
            page = pdf[index]
            bitmap = page.render(
                scale=dpi / POINTS_PER_INCH,
                rev_byteorder=True,
                prefer_bgrx=True,
                fill_color=(255, 255, 255, 255),
                optimize_mode="print" if dpi >= 200 else None,
            )
            try:
                return _to_qimage(bitmap)
            finally:
                bitmap.close()
                page.close()
        finally:
            pdf.close()


def render_pages(data: bytes, dpi: float, progress: Progress | None = None) -> list[QImage]:
    """Every page at ``dpi`` (the preview: 60–100 dpi keeps a 10-page letter small)."""
    total = page_count(data)
    images = []
    for i in range(total):
        images.append(render_page(data, i, dpi))
        if progress:
            progress(i + 1, total)
    return images
