"""Render a declarative form definition (``forms/*.json``) with values into a PDF.

Three phases, so nothing half-drawn ever reaches the printer:

1. *resolve* (:mod:`resolve`, :mod:`evidence`): check the form definition, pick every field value
   (by name or by its dotted ``source`` path into case data), format it (dates as 2026年3月5日),
   refuse missing required fields, bring every evidence item into its one shape;
2. *lay out* (:mod:`flow`, :mod:`letter_layout`): break text onto the GB/T 9704 grid (22 lines ×
   28 characters, flowing onto more pages; a heading never ends a page and the signature with its
   date never stands alone on one) and lay out evidence attachment pages; then check every
   character against the face that draws it (:class:`MissingGlyphsError`);
3. *draw* (:mod:`draw`): photos verified against their SHA-256 and embedded once at print
   resolution; every page gets its number and a QR code with the document number and content hash.

The output is deterministic: reportlab's invariant mode fixes the creation date and document ID, so the
same content and the same font files give byte-identical PDFs (and the same SHA-256).
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from officer_app.documents.draw import (
    EvidenceIntegrityError,
    Furniture,
    draw_pages,
    prepare_photo,
)
from officer_app.documents.evidence import normalise_evidence
from officer_app.documents.flow import BodyFlow, Metrics, Page, Text
from officer_app.documents.fonts import MissingGlyphsError, font_sha256, load_font, missing_glyphs
from officer_app.documents.form_schema import (
    BLOCK_TYPES,
    FIELD_KINDS,
    FormDefinitionError,
    FormValueError,
    validate_form,
)
from officer_app.documents.geometry import DEFAULT_GEOMETRY, PageGeometry
from officer_app.documents.letter_layout import layout_body, layout_evidence_pages
from officer_app.documents.resolve import content_sha256, resolve_values
from officer_app.documents.watermark import draw_watermark  # noqa: F401  (re-exported for callers)
from officer_app.store.atomic import write_output

__all__ = [
    "BLOCK_TYPES",
    "FIELD_KINDS",
    "EvidenceIntegrityError",
    "FormDefinitionError",
    "FormValueError",
    "RenderResult",
    "content_sha256",
    "prepare_photo",
    "render_document",
    "resolve_values",
    "validate_form",
]


@dataclass(frozen=True)
class RenderResult:
    sha256: str  # of the PDF bytes
    pages: int
    content_sha256: str = ""  # of the document content, printed in the QR code
    font_sha256: str = ""
    body_pages: int = 0


_render_lock = threading.Lock()


def render_document(
    form: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    number: str | None,
    evidence: Iterable[Mapping[str, Any]] = (),
    out: str | os.PathLike[str] | BinaryIO,
    font_path: str | os.PathLike[str] | None = None,
    qr_payload: str | None = None,
    geometry: PageGeometry = DEFAULT_GEOMETRY,
    progress: Callable[[int, int], None] | None = None,
    attach_photos: bool = True,
    watermark: str | None = None,
) -> RenderResult:
    """Render ``form`` filled with ``values`` to ``out`` (a path, written atomically, or a binary file).

    ``evidence`` items: see :mod:`evidence` (``path``, ``sha256`` verified here and computed if
    absent, ``taken_at``, ``lat``/``lon``, ``datum``, ``position_source``, ``jurisdiction``,
    ``label``). ``progress(done, total)`` is called per drawn page; an exception raised by it
    cancels the render (nothing is written). ``attach_photos=False`` keeps the evidence list but
    adds no attachment pages; ``watermark`` (e.g. 草稿) is drawn large and light across every page.
    Raises :class:`FormDefinitionError`, :class:`FormValueError`, :class:`MissingGlyphsError`,
    :class:`EvidenceIntegrityError`.
    """
    validate_form(form)
    resolved = resolve_values(form, values)
    ev_meta = [normalise_evidence(ev, i) for i, ev in enumerate(evidence, 1)]
    content_hash = content_sha256(str(form["id"]), number, resolved, ev_meta)
    payload = qr_payload or f"{number or '未编号'}|{form['id']}|sha256:{content_hash}"

    with _render_lock:
        font = load_font(font_path)
        metrics = Metrics(font)
        flow = BodyFlow(geometry, metrics)
        layout_body(form, resolved, number, ev_meta, flow)
        body_pages = [p for p in flow.pages if p.items] or [Page()]
        attachments = layout_evidence_pages(ev_meta, geometry, metrics) if attach_photos else []
        pages = body_pages + attachments
        total = len(pages)

        all_text = "".join(it.text for p in pages for it in p.items if isinstance(it, Text))
        all_text += "— 0123456789" + (watermark or "")
        lacking = missing_glyphs(all_text, font)
        if lacking:
            raise MissingGlyphsError(lacking, font.face.name.decode("latin-1", "replace"))

        data = _draw(
            pages, ev_meta, {"body": font}, geometry, form, number, content_hash, payload,
            progress, watermark, Furniture(),
        )  # fmt: skip
        font_digest = font_sha256(font)

    write_output(out, data)
    return RenderResult(
        hashlib.sha256(data).hexdigest(), total, content_hash, font_digest, len(body_pages)
    )


def _draw(
    pages: list[Page],
    ev_meta: list[dict[str, Any]],
    fonts: Mapping[str, Any],
    geometry: PageGeometry,
    form: Mapping[str, Any],
    number: str | None,
    content_hash: str,
    payload: str,
    progress: Callable[[int, int], None] | None,
    watermark: str | None,
    furniture: Furniture,
) -> bytes:
    buf = io.BytesIO()
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0  # binary streams: ASCII85 costs +25 % size and is slow in pure Python
    try:
        canvas = Canvas(
            buf,
            pagesize=(geometry.page_width, geometry.page_height),
            invariant=1,
            pageCompression=1,
        )
        canvas.setTitle(f"{form['title']} {number or ''}".strip())
        canvas.setSubject(f"content-sha256:{content_hash}")
        canvas.setCreator("officer_app")
        canvas.setAuthor("")
        draw_pages(canvas, pages, ev_meta, fonts, geometry, payload, progress, watermark, furniture)
        canvas.save()
    finally:
        rl_config.useA85 = saved_a85
    return buf.getvalue()
