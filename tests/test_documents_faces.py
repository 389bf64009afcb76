"""Faces by role: the bundled open faces, their coverage, a deployment's choice, and finding the
very files of an issued document again by their SHA-256."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pypdf
import pytest
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from officer_app.documents import fonts
from officer_app.documents.fonts import (
    ROLES,
    FontNotFoundError,
    load_faces,
    load_faces_by_sha,
    missing_glyphs,
)
from tests.doc_fixtures import cli

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = ROOT / "resources" / "fonts"
MANIFEST = json.loads((FONT_DIR / "faces.json").read_text(encoding="utf-8"))
POSTSCRIPT = {
    "body": "ZhuqueFangsong-Regular",
    "title": "NotoSerifCJKsc-Black",
    "heading1": "NotoSansCJKsc-Medium",
    "heading2": "UKaiCN",
}
SAMPLE = {
    "body": "经查，当事人于2026年3月5日在青浦区华新镇违规倾倒建筑垃圾。",
    "title": "关于移送违法案件的函",
    "heading1": "一、基本情况",
    "heading2": "（一）现场检查情况",
}


@pytest.fixture(autouse=True)
def _no_deployment_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (fonts.FONT_ENV_VAR, fonts.FACES_ENV_VAR, *fonts.ROLE_ENV_VARS.values()):
        monkeypatch.delenv(var, raising=False)


def _gb2312() -> str:
    codes = (
        bytes([hi, lo]).decode("gb2312", "replace")
        for hi in range(0xA1, 0xF8)
        for lo in range(0xA1, 0xFF)
    )
    return "".join(c for c in codes if len(c) == 1 and c != "\ufffd")


def _printable(node: Any) -> str:
    """The text of a JSON document a form can print: everything but the provenance notes
    (``read_in``: where an article was read, a URL whose page title may be in 繁体)."""
    if isinstance(node, dict):
        return "".join(_printable(v) for k, v in node.items() if not k.endswith("read_in"))
    if isinstance(node, list):
        return "".join(_printable(v) for v in node)
    return str(node)


def _shipped_text() -> str:
    """Every character of the shipped forms, code tables and the demo data."""
    files = [*ROOT.glob("forms/*.json"), *ROOT.glob("resources/codes/*.json")]
    texts = [_printable(json.loads(f.read_text(encoding="utf-8"))) for f in files]
    texts.append((ROOT / "officer_app" / "services" / "demo.py").read_text(encoding="utf-8"))
    return "".join(sorted({c for t in texts for c in t}))


def test_bundled_faces_by_role() -> None:
    faces = load_faces()
    assert tuple(faces) == ROLES
    by_role = {e["role"]: e for e in MANIFEST["faces"]}
    for role, face in faces.items():
        entry = by_role[role]
        assert face.role == role and face.path == (FONT_DIR / entry["file"]).resolve()
        assert face.family == entry["family"] and face.licence == entry["licence"]
        assert face.sha256 == entry["sha256"] == hashlib.sha256(face.path.read_bytes()).hexdigest()
        assert (FONT_DIR / entry["licence_file"]).is_file()  # each licence text ships beside it
        assert face.font.face.name.decode() == POSTSCRIPT[role]
        assert "glyf" in _tables(face.path)  # TrueType outlines: reportlab embeds only these
    assert load_faces()["body"] is faces["body"]  # cached per process


def _tables(path: Path) -> set[str]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return set(font.keys())


def test_every_face_draws_gb2312_the_forms_and_the_demo() -> None:
    text = _gb2312() + _shipped_text() + "".join(map(chr, range(0x21, 0x7F)))
    faces = load_faces()
    for role, face in faces.items():
        assert missing_glyphs(text, face.font) == [], role
    # and it really renders: every character drawn in every face, parsed back from the PDF
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    for face in faces.values():
        for start in range(0, len(text), 2000):
            chunk = text[start : start + 2000]
            canvas.setFont(face.font.fontName, 8)
            for line in range(0, len(chunk), 60):
                canvas.drawString(
                    10 * mm, 280 * mm - (line // 60) * 3 * mm, chunk[line : line + 60]
                )
            canvas.showPage()
    canvas.save()
    reader = pypdf.PdfReader(io.BytesIO(buf.getvalue()))
    used = {
        str(f.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert used - {"/Helvetica"} == set(POSTSCRIPT.values())  # Helvetica: reportlab's default
    pages_per_face = len(reader.pages) // len(faces)
    for n in range(len(faces)):
        first = "".join(reader.pages[n * pages_per_face].extract_text().split())
        assert "啊阿埃挨哎唉哀皑癌蔼矮艾碍爱隘" in first  # GB 2312's first hanzi, from each face


def test_pdf_shows_the_face_of_each_role() -> None:
    """A test-only use of the API as the letter layout uses it: each role's text in its face."""
    faces = load_faces()
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    y = 250 * mm
    for role, sample in SAMPLE.items():
        canvas.setFont(faces[role].font.fontName, 22 if role == "title" else 16)
        canvas.drawString(28 * mm, y, sample)
        y -= 20 * mm
    canvas.save()
    seen: dict[str, str] = {}

    def visit(text: str, _cm: Any, _tm: Any, font: Any, _size: Any) -> None:
        if text.strip() and font is not None:
            seen[text.strip()] = str(font["/BaseFont"]).split("+", 1)[-1]

    pypdf.PdfReader(io.BytesIO(buf.getvalue())).pages[0].extract_text(visitor_text=visit)
    for role, sample in SAMPLE.items():
        assert seen[sample] == POSTSCRIPT[role], role


def test_deployment_chooses_a_face_per_role(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The bundled files under another path stand in for the machine's own faces.
    system = tmp_path / "Windows" / "Fonts"
    system.mkdir(parents=True)
    kai = shutil.copyfile(FONT_DIR / "UKaiCN-GB.ttf", system / "simkai.ttf")
    hei = shutil.copyfile(FONT_DIR / "NotoSansCJKsc-Medium-GB.ttf", system / "simhei.ttf")
    monkeypatch.setitem(fonts.SYSTEM_FACES, "heading2", (system / "absent.ttf", kai))
    monkeypatch.setitem(fonts.SYSTEM_FACES, "heading1", (hei,))
    monkeypatch.setitem(fonts.SYSTEM_FACES, "body", (system / "simfang.ttf",))  # not installed
    monkeypatch.setenv(fonts.ROLE_ENV_VARS["heading2"], "system")
    faces = load_faces()
    assert faces["heading2"].path == kai.resolve()
    assert faces["heading2"].licence == fonts.SYSTEM_LICENCE
    assert faces["heading2"].family == "AR PL UKai CN"  # from the file's own name table
    assert faces["heading1"].path.parent == FONT_DIR.resolve()  # other roles stay bundled
    # One switch for all roles: each takes its system face where the machine has one.
    monkeypatch.setenv(fonts.FACES_ENV_VAR, "system")
    faces = load_faces()
    assert faces["heading1"].path == hei.resolve()
    assert faces["body"].path.parent == FONT_DIR.resolve()  # no simfang.ttf here
    # A file named explicitly per role.
    monkeypatch.setenv(fonts.ROLE_ENV_VARS["title"], str(hei))
    assert load_faces()["title"].path == hei.resolve()
    # Asked for but absent: one clear message naming the variable and the role.
    monkeypatch.setenv(fonts.ROLE_ENV_VARS["body"], "system")
    with pytest.raises(FontNotFoundError, match="OFFICER_APP_FONT_BODY=system") as err:
        load_faces()
    assert "仿宋" in str(err.value)


def test_faces_found_again_by_their_hash(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    current = load_faces()
    expected = {role: face.sha256 for role, face in current.items()}
    assert {r: f.path for r, f in load_faces_by_sha(expected).items()} == {
        r: f.path for r, f in current.items()
    }
    # The retired single face of documents issued before faces by role is still there.
    retired = MANIFEST["retired"][0]
    face = load_faces_by_sha({"body": retired["sha256"]})["body"]
    assert face.path.name == "gbsn00lp.ttf" and face.licence == "Arphic Public License"
    assert face.family == "AR PL SungtiL GB"
    # A deployment's face issued with, found while another face is current.
    own = shutil.copyfile(FONT_DIR / "UKaiCN-GB.ttf", tmp_path / "kai.ttf")
    with own.open("ab") as f:
        f.write(b"\0\0\0\0")  # another file, another hash
    own_sha = hashlib.sha256(own.read_bytes()).hexdigest()
    with pytest.raises(FontNotFoundError):
        load_faces_by_sha({"heading2": own_sha})
    monkeypatch.setenv(fonts.ROLE_ENV_VARS["heading2"], str(own))
    assert load_faces_by_sha({"heading2": own_sha})["heading2"].path == own.resolve()


def test_wrong_hash_is_one_chinese_message_naming_the_role() -> None:
    with pytest.raises(FontNotFoundError) as err:
        load_faces_by_sha({"body": load_faces()["body"].sha256, "title": "ab" * 32})
    message = str(err.value)
    assert "标题（小标宋）" in message and "abababababababab" in message
    assert "无法重现原件" in message and "\n" not in message


def test_cli_lists_the_faces(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(tmp_path / "data", "document", "fonts", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [f["role"] for f in listed] == list(ROLES)
    for item in listed:
        path = Path(item["file"])
        assert path.is_file() and item["family"] and item["licence"]
        assert item["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert listed[0]["family"] == "Zhuque Fangsong" and listed[0]["licence"] == "OFL-1.1"
    assert cli(tmp_path / "data", "document", "fonts") == 0
    assert "正文（仿宋）" in capsys.readouterr().out


def test_cli_names_a_bad_deployment_choice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(fonts.ROLE_ENV_VARS["title"], str(tmp_path / "FZXBSJW.TTF"))
    assert cli(tmp_path / "data", "document", "fonts", "--json") == 1
    err = capsys.readouterr().err
    assert "找不到指定的字体文件" in err and "FZXBSJW.TTF" in err and "Traceback" not in err


def test_old_store_document_rerenders_with_the_retired_face(
    demo_ctx: tuple[Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document issued with the single old face re-renders byte-identically after the upgrade."""
    from officer_app.services import catalogue, documents

    ctx, case_id = demo_ctx
    monkeypatch.setenv(fonts.FONT_ENV_VAR, str(FONT_DIR / "gbsn00lp.ttf"))  # as before the upgrade
    doc = documents.new_document(ctx, "case_transfer", case_id=case_id)
    catalogue.confirm_draft_basis(ctx, doc["id"])  # the officer checked the basis
    issued = documents.issue_document(ctx, doc["id"])
    snap = json.loads(
        ctx.store.scalar("SELECT render_input FROM documents WHERE id = ?", [doc["id"]])
    )
    assert snap["font_sha256"] == MANIFEST["retired"][0]["sha256"]
    monkeypatch.delenv(fonts.FONT_ENV_VAR)  # upgraded: the body face is now Zhuque Fangsong
    Path(issued["path"]).unlink()
    out = io.BytesIO()
    info = documents.render_to(ctx, doc["id"], out)
    assert info["sha256"] == issued["pdf_sha256"]
    used = {
        str(f.get_object()["/BaseFont"]).split("+", 1)[-1]
        for f in pypdf.PdfReader(io.BytesIO(out.getvalue()))
        .pages[0]["/Resources"]["/Font"]
        .values()
    }
    assert "BousungEG-Light-GB" in used


@pytest.fixture
def demo_ctx(officer_ctx: Any) -> tuple[Any, str]:
    from officer_app.services import officers
    from officer_app.services.demo import DEMO_OFFICER
    from tests.doc_fixtures import load_demo

    case_id = load_demo(officer_ctx)
    officers.add_or_select_officer(officer_ctx, *DEMO_OFFICER)
    return officer_ctx, case_id
