"""Issuing in the letter format: what the snapshot records, old snapshots, training series,
side effects declared by the form."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pypdf
import pytest

from officer_app.documents.render import TRAINING_MARK, render_document
from officer_app.services import catalogue, document_issue, documents, forms
from tests.test_documents_service import EXTRA, _issue


@pytest.fixture
def demo(officer_ctx: Any) -> tuple[Any, str]:
    from officer_app.services import officers
    from officer_app.services.demo import DEMO_OFFICER
    from tests.doc_fixtures import load_demo

    case_id = load_demo(officer_ctx)
    officers.add_or_select_officer(officer_ctx, *DEMO_OFFICER)
    return officer_ctx, case_id


def _make_real(ctx: Any) -> None:
    with ctx.store.transaction():
        for table in ("cases", "patrols", "evidence"):
            ctx.store.execute(f"UPDATE {table} SET training = 0")


def _row(ctx: Any, doc_id: str) -> dict[str, Any]:
    return ctx.store.query(
        "SELECT id, pdf_sha256, render_input, doc_type, serial FROM documents WHERE id = ?",
        [doc_id],
    )[0]


def test_snapshot_records_layout_faces_letterhead_and_rerenders_identically(
    demo: tuple[Any, str],
) -> None:
    ctx, case_id = demo
    _make_real(ctx)
    issued = _issue(ctx, "case_transfer", case_id)
    snap = json.loads(_row(ctx, issued["id"])["render_input"])
    assert snap["layout"] == 2 and snap["training"] is False
    assert snap["letterhead"] == "上海市青浦区城市管理行政执法局"  # as agencies.json spells it
    codes = json.loads(Path("resources/codes/agencies.json").read_text(encoding="utf-8"))
    assert snap["letterhead"] in json.dumps(codes, ensure_ascii=False)
    assert set(snap["fonts"]) == {"body", "title", "heading1", "heading2"}
    assert all(len(f["sha256"]) == 64 and f["family"] for f in snap["fonts"].values())
    # The stored PDF gone: re-rendered from the snapshot, byte for byte.
    Path(issued["path"]).unlink()
    out = io.BytesIO()
    documents.render_to(ctx, issued["id"], out)
    assert hashlib.sha256(out.getvalue()).hexdigest() == issued["pdf_sha256"]


def test_snapshot_without_layout_rerenders_as_layout_1(demo: tuple[Any, str]) -> None:
    """A document issued before the letter format has a snapshot without layout, letterhead and
    faces: it must come back as it was printed then, in its one face (the golden hashes of
    tests/data prove layout 1 itself unchanged)."""
    ctx, case_id = demo
    issued = _issue(ctx, "case_transfer", case_id)
    snap = json.loads(_row(ctx, issued["id"])["render_input"])
    old = {k: v for k, v in snap.items() if k not in ("layout", "letterhead", "training", "fonts")}
    blobs = document_issue.BlobStore(ctx.data.evidence_dir)
    evidence = [{**e, "path": str(blobs.path_for(e["sha256"]))} for e in old["evidence"]]
    buf = io.BytesIO()
    then = render_document(
        old["form"], old["values"], number=old["number"], evidence=evidence, out=buf,
        attach_photos=old["attach_photos"], layout=1,
    )  # fmt: skip
    assert then.font_sha256 == old["font_sha256"]
    doc = {"pdf_sha256": then.sha256, "render_input": json.dumps(old, ensure_ascii=False)}
    data = document_issue._issued_bytes(ctx, doc, None)
    assert hashlib.sha256(data).hexdigest() == then.sha256
    text = "".join(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "上海市青浦区城市管理行政执法局" not in text[:20]  # no letterhead in layout 1
    assert documents.issued_pdf_path(ctx, then.sha256).is_file()  # kept for next time


def test_training_series_never_takes_a_real_serial(demo: tuple[Any, str]) -> None:
    ctx, case_id = demo
    first = _issue(ctx, "case_transfer", case_id)
    second = _issue(ctx, "assistance_request", case_id)
    third = _issue(ctx, "case_transfer", case_id)
    assert first["number"] == "青城管移〔培训2026〕1号"
    assert second["number"] == "青城管协〔培训2026〕1号"
    assert third["number"] == "青城管移〔培训2026〕2号"
    for doc in (first, third):
        reader = pypdf.PdfReader(doc["path"])
        assert all(TRAINING_MARK in p.extract_text() for p in reader.pages)
    _make_real(ctx)
    real = _issue(ctx, "case_transfer", case_id)
    assert real["number"] == "青城管移〔2026〕1号"  # the real series starts at 1
    reader = pypdf.PdfReader(real["path"])
    assert not any(TRAINING_MARK in p.extract_text() for p in reader.pages)
    rows = {r["doc_type"] for r in ctx.store.query("SELECT doc_type FROM serial_blocks")}
    assert rows == {"移", "培训移", "培训协"}


def test_issuing_side_effects_are_declared_by_the_form(
    demo: tuple[Any, str], tmp_path: Path
) -> None:
    ctx, case_id = demo
    assert set(document_issue.ISSUE_EFFECTS) == set(forms.ISSUE_EFFECTS)
    shipped = forms.find_form(ctx, "case_transfer")
    assert shipped.on_issue == ("open_transfer",)
    # A deployment's 移送函 without the declaration numbers and stores, but opens no transfer.
    folder = forms.user_forms_dir(ctx)
    folder.mkdir(parents=True, exist_ok=True)
    definition = {k: v for k, v in shipped.definition.items() if k != "on_issue"}
    (folder / "case_transfer.json").write_text(json.dumps(definition, ensure_ascii=False), "utf-8")
    doc = documents.new_document(ctx, "case_transfer", case_id=case_id)
    catalogue.confirm_draft_basis(ctx, doc["id"])
    documents.issue_document(ctx, doc["id"])
    assert ctx.store.scalar("SELECT COUNT(*) FROM transfers") == 0
    (folder / "case_transfer.json").unlink()
    _issue(ctx, "case_transfer", case_id)
    assert ctx.store.scalar("SELECT COUNT(*) FROM transfers") == 1


def test_unknown_issue_effect_is_a_form_error(tmp_path: Path) -> None:
    from officer_app.documents.form_schema import FormDefinitionError

    shipped = json.loads(Path("forms/case_transfer.json").read_text(encoding="utf-8"))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**shipped, "on_issue": ["send_fax"]}), "utf-8")
    with pytest.raises(FormDefinitionError, match="on_issue"):
        forms.load_form_file(bad)
    bad.write_text(json.dumps({**shipped, "format": "poster"}), "utf-8")
    with pytest.raises(FormDefinitionError, match="format"):
        forms.load_form_file(bad)


def test_every_form_issues_in_its_format(demo: tuple[Any, str]) -> None:
    ctx, case_id = demo
    for form_id in ("case_transfer", "site_inspection"):
        doc = documents.new_document(ctx, form_id, case_id=case_id)
        if form_id in EXTRA:
            documents.set_fields(ctx, doc["id"], EXTRA[form_id])
        catalogue.confirm_draft_basis(ctx, doc["id"])
        issued = documents.issue_document(ctx, doc["id"])
        snap = json.loads(_row(ctx, issued["id"])["render_input"])
        first = "".join(pypdf.PdfReader(issued["path"]).pages[0].extract_text().split())
        if form_id == "site_inspection":
            assert snap["letterhead"] is None and "城市管理行政执法局" not in first[:30]
        else:
            assert first.startswith("上海市青浦区城市管理行政执法局青城管移〔培训2026〕")
            assert "【培训演示无效】" in first
