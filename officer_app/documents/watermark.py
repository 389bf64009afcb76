"""The 草稿 marker across every page of an unissued document (letters and bulletins alike)."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from officer_app.documents.geometry import PageGeometry

__all__ = ["draw_watermark"]


def draw_watermark(canvas: Canvas, font_name: str, geo: PageGeometry, text: str) -> None:
    """A large light-grey diagonal marker, drawn first so the text lies over it: a draft can
    never pass for an issued document, on any page, even when photocopied."""
    canvas.saveState()
    canvas.setFillGray(0.85)
    canvas.translate(geo.page_width / 2, geo.page_height / 2)
    canvas.rotate(35)
    size = 120.0
    canvas.setFont(font_name, size)
    canvas.drawCentredString(0, -size / 3, text)
    canvas.restoreState()
