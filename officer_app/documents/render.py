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

import dataclasses
import hashlib
import io
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
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
from officer_app.documents.fonts import (
    Face,
    MissingGlyphsError,
    font_sha256,
    load_faces,
    load_font,
    missing_glyphs,
)
from officer_app.documents.form_schema import (
    BLOCK_TYPES,
    FIELD_KINDS,
    FormDefinitionError,
    FormValueError,
    validate_form,
)
from officer_app.documents.geometry import DEFAULT_GEOMETRY, PageGeometry
from officer_app.documents.letter_format import (
    attachment_list,
    attachment_notation,
    closing_notes,
    layout_attachments,
    letter_hook,
    letterhead_items,
)
from officer_app.documents.letter_layout import layout_body, layout_evidence_pages
from officer_app.documents.record_page import page_footer
from officer_app.documents.resolve import content_sha256, resolve_values
from officer_app.documents.watermark import draw_watermark  # noqa: F401  (re-exported for callers)
from officer_app.fileio import write_output

__all__ = [
    "BLOCK_TYPES",
    "FIELD_KINDS",
    "LATEST_LAYOUT",
    "TRAINING_MARK",
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


#: 1: the grid letter documents were issued in before the letter format (one face, evidence list
#: in the body); 2: GB/T 9704 §10.1 信函格式 with faces by role and attachments (letter_format).
#: An issued document records its layout; one without a record is layout 1.
LATEST_LAYOUT = 2
#: Every page of a training (demo) document: horizontal, extractable, never on a real one.
TRAINING_MARK = "【培训演示 无效】"


@dataclass(frozen=True)
class RenderResult:
    sha256: str  # of the PDF bytes
    pages: int
    content_sha256: str = ""  # of the document content, printed in the QR code
    font_sha256: str = ""  # of the body face
    body_pages: int = 0
    #: role → {"family", "sha256"} of every face the document was set in (layout 2)
    fonts: dict[str, dict[str, str]] = field(default_factory=dict)


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
    layout: int = LATEST_LAYOUT,
    letterhead: str | None = None,
    faces: Mapping[str, Face] | None = None,
    training: bool = False,
) -> RenderResult:
    """Render ``form`` filled with ``values`` to ``out`` (a path, written atomically, or a binary file).

    ``evidence`` items: see :mod:`evidence` (``path``, ``sha256`` verified here and computed if
    absent, ``taken_at``, ``lat``/``lon``, ``datum``, ``position_source``, ``jurisdiction``,
    ``label``). ``progress(done, total)`` is called per drawn page; an exception raised by it
    cancels the render (nothing is written). ``attach_photos=False`` keeps the evidence list but
    adds no attachment pages; ``watermark`` (e.g. 草稿) is drawn large and light across every page.
    ``layout`` 1 reproduces documents issued before the letter format (``font_path`` is its one
    face); 2 is the letter format: ``letterhead`` (the issuing agency's full name) makes it a
    letter (§10.1), None a record; ``faces`` (role → Face, default the configured faces) set it;
    ``training`` marks every page with :data:`TRAINING_MARK`.
    Raises :class:`FormDefinitionError`, :class:`FormValueError`, :class:`MissingGlyphsError`,
    :class:`EvidenceIntegrityError`.
    """
    if layout not in (1, 2):
        raise FormDefinitionError(f"unknown document layout {layout!r}")
    validate_form(form)
    resolved = resolve_values(form, values)
    ev_meta = [normalise_evidence(ev, i) for i, ev in enumerate(evidence, 1)]
    content_hash = content_sha256(str(form["id"]), number, resolved, ev_meta)
    payload = qr_payload or f"{number or '未编号'}|{form['id']}|sha256:{content_hash}"

    if layout == 2:
        return _render_letter(
            form, resolved, number, ev_meta, content_hash, payload, out, font_path, geometry,
            progress, attach_photos, watermark, letterhead, faces, training,
        )  # fmt: skip
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


def _render_letter(
    form: Mapping[str, Any],
    resolved: dict[str, str],
    number: str | None,
    ev_meta: list[dict[str, Any]],
    content_hash: str,
    payload: str,
    out: str | os.PathLike[str] | BinaryIO,
    font_path: str | os.PathLike[str] | None,
    geometry: PageGeometry,
    progress: Callable[[int, int], None] | None,
    attach_photos: bool,
    watermark: str | None,
    letterhead: str | None,
    faces: Mapping[str, Face] | None,
    training: bool,
) -> RenderResult:
    """Layout 2: the letter format (or a record without its letterhead), faces by role."""
    geometry = dataclasses.replace(geometry, exact_fill=True)
    with _render_lock:
        chosen = dict(faces) if faces is not None else load_faces()
        fonts = {role: face.font for role, face in chosen.items()}
        if font_path is not None:  # an explicit body face (tests, a one-off choice)
            fonts["body"] = load_font(font_path)
        metrics = Metrics(fonts["body"], fonts)
        footer = page_footer(form, resolved, geometry)  # a 笔录: signatures on every page
        flow = BodyFlow(footer.body_geometry if footer else geometry, metrics)
        header: list[Any] = []
        if letterhead:
            header, flow.slot = letterhead_items(letterhead, number, geometry, metrics)
        notes: dict[str, str] = {}
        ev_block = next((b for b in form["layout"] if b["type"] == "evidence_list"), None)
        label = (ev_block or {}).get("label", "证据及材料清单")
        attachments = (
            attachment_list(ev_meta, list_label=label, photos=attach_photos)
            if ev_block is not None or attach_photos
            else []
        )
        layout_body(
            form,
            resolved,
            number,
            ev_meta,
            flow,
            hook=letter_hook(form, resolved, number, letter=bool(letterhead), notes=notes),
            before_closing=lambda f: attachment_notation(f, attachments),
            after_closing=lambda f: closing_notes(f, notes),
        )
        body_pages = [p for p in flow.pages if p.items] or [Page()]
        body_pages[0].items[:0] = header
        pages = body_pages + layout_attachments(ev_meta, attachments, flow.geo, metrics)
        for page in pages:  # documents/record_page.py lays out the block
            page.items.extend(Text(*c) for c in (footer.placements() if footer else ()))
        _check_glyphs(pages, fonts, (watermark or "") + (TRAINING_MARK if training else ""))
        furniture = Furniture(
            first_numbered_page=2 if letterhead else 1,  # §10.1: 首页不显示页码
            header_mark=TRAINING_MARK if training else None,
            qr_at_top=True,
            qr_as_path=True,
        )
        data = _draw(
            pages, ev_meta, fonts, geometry, form, number, content_hash, payload, progress,
            watermark, furniture,
        )  # fmt: skip
        used = {role: chosen[role] for role in chosen}
        record = {r: {"family": f.family, "sha256": f.sha256} for r, f in sorted(used.items())}
        if font_path is not None:
            record["body"] = {"family": "", "sha256": font_sha256(fonts["body"])}
    write_output(out, data)
    return RenderResult(
        hashlib.sha256(data).hexdigest(),
        len(pages),
        content_hash,
        record["body"]["sha256"],
        len(body_pages),
        record,
    )


def _check_glyphs(pages: list[Page], fonts: Mapping[str, Any], extra: str) -> None:
    """Every character against the face that draws it (furniture in the body face)."""
    by_role: dict[str, list[str]] = {"body": ["— 0123456789", extra]}
    for page in pages:
        for it in page.items:
            if isinstance(it, Text):
                by_role.setdefault(it.role, []).append(it.text)
    for role, texts in by_role.items():
        font = fonts[role]
        lacking = missing_glyphs("".join(texts), font)
        if lacking:
            raise MissingGlyphsError(lacking, font.face.name.decode("latin-1", "replace"))
