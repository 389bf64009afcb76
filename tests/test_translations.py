"""The English translation is complete, up to date with the source, and used by the window."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TS = REPO / "resources" / "i18n" / "officer_app_en.ts"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(path).getroot()
    return [
        (context.findtext("name") or "", message.findtext("source") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def test_every_message_has_a_finished_english_translation() -> None:
    problems = []
    for context, source, message in _messages(TS):
        translation = message.find("translation")
        if translation is None or not (translation.text or "").strip():
            problems.append(f"{context}: {source!r} has no translation")
        elif translation.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(f"{context}: {source!r} is {translation.get('type')}")
        elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation.text)):
            problems.append(f"{context}: {source!r} placeholders differ in {translation.text!r}")
        elif "&" in source.replace("&&", "") and "&" not in translation.text:
            problems.append(f"{context}: {source!r} lost its keyboard mnemonic")
        elif set(re.findall(r"[\u4e00-\u9fff]", translation.text)) - set(source):
            # Chinese copied from the source (plate examples like 沪A12345) is intended.
            problems.append(f"{context}: {translation.text!r} still has Chinese in it")
    assert not problems, "\n".join(problems)


def test_ts_is_up_to_date_with_the_source(tmp_path: Path) -> None:
    """Run lupdate into a copy: a string in the code but not in the .ts arrives unfinished."""
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    env = dict(os.environ, VENV_BIN=str(Path(sys.executable).parent))
    subprocess.run(
        ["bash", str(REPO / "tools" / "update-translations.sh"), str(copy)],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )
    before = {(c, s) for c, s, _ in _messages(TS)}
    after = {(c, s) for c, s, _ in _messages(copy)}
    assert after - before == set(), (
        "strings in the code but not in the .ts: run update-translations"
    )
    assert before - after == set(), (
        "strings in the .ts but gone from the code: run update-translations"
    )
    unfinished = [
        (c, s) for c, s, m in _messages(copy) if m.find("translation").get("type") == "unfinished"
    ]
    assert not unfinished


def test_lupdate_sees_the_plain_translate_calls() -> None:
    contexts = {c for c, _, _ in _messages(TS)}
    assert {"flags", "messages", "app", "crash", "pins"} <= contexts


def test_compiled_translation_translates(tmp_path: Path, qapp) -> None:
    from PySide6.QtCore import QTranslator

    from officer_app.ui import i18n

    qm = tmp_path / "officer_app_en.qm"
    assert i18n.compile_ts(TS, qm)
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("MainWindow", "巡查") == "Patrols"
    assert translator.translate("flags", "无位置信息") == "No position"


def test_source_checkout_compiles_a_stale_qm_on_the_fly(tmp_path: Path, monkeypatch) -> None:
    from officer_app.ui import i18n

    resources = tmp_path / "resources"
    (resources / "i18n").mkdir(parents=True)
    ts = resources / "i18n" / TS.name
    shutil.copy(TS, ts)
    monkeypatch.setenv("OFFICER_APP_RESOURCES", str(resources))
    qm = i18n.compiled_translation("en")
    assert qm == ts.with_suffix(".qm") and qm.is_file()
    os.utime(ts, (qm.stat().st_mtime + 10, qm.stat().st_mtime + 10))  # the .ts was edited
    first = qm.stat().st_mtime
    assert i18n.compiled_translation("en") == qm and qm.stat().st_mtime > first
    # A read-only install: the .qm is compiled into the per-user cache instead.
    qm.unlink()
    monkeypatch.setattr(i18n.os, "access", lambda *_: False)
    cached = i18n.compiled_translation("en")
    assert cached is not None and cached.is_file() and not qm.exists()
    assert cached.is_relative_to(tmp_path / "xdg-cache") or "cache" in str(cached).lower()


@pytest.mark.gui
def test_english_main_window(qtbot, qapp, data_dir: Path) -> None:
    from PySide6.QtWidgets import QPushButton

    from officer_app.services.context import AppContext
    from officer_app.ui.i18n import install_translators
    from officer_app.ui.main_window import MainWindow
    from tests.doc_fixtures import outside_the_gui

    assert install_translators(qapp, "en") == "en"
    try:
        with outside_the_gui(), AppContext.open(data_dir):
            pass  # created and migrated, as the app does before its window opens
        with AppContext.open(data_dir) as ctx:
            window = MainWindow(ctx)
            qtbot.addWidget(window)
            window.show()
            qtbot.waitExposed(window)
            titles = [window.nav.item(i).text() for i in range(window.nav.count())]
            assert titles == ["Patrols", "Evidence", "Cases", "Documents", "Sync", "Statistics"]
            menus = [a.text() for a in window.menuBar().actions()]
            assert menus == ["&File", "&View", "Se&ttings", "&Help"]
            assert window.officer_label.text() == "Officer: not set"
            assert window.outbox_label.text() == "To sync: 0"
            buttons = {b.text() for b in window.patrol_page.findChildren(QPushButton)}
            assert "&New patrol…" in buttons
            window.close()
    finally:
        install_translators(qapp, "zh_CN")
    assert qapp.translate("MainWindow", "巡查") == "巡查"


def test_generated_catalogue_is_current() -> None:
    """Strings translated by variable must be in officer_app/ui/i18n_catalog.py (generated)."""
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import gen_i18n_catalog
    finally:
        sys.path.remove(str(REPO / "tools"))
    assert gen_i18n_catalog.TARGET.read_text(encoding="utf-8") == gen_i18n_catalog.render(), (
        "run tools/update-translations.sh"
    )


def test_every_literal_tr_call_is_in_the_ts() -> None:
    """A second opinion on lupdate: its Python parser misses some spots (f-strings, for one)."""
    import ast

    sys.path.insert(0, str(REPO / "tools"))
    try:
        import gen_i18n_catalog
    finally:
        sys.path.remove(str(REPO / "tools"))
    have = {(c, s) for c, s, _ in _messages(TS)}
    missing = []
    for path in sorted((REPO / "officer_app" / "ui").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for key in gen_i18n_catalog.literal_tr_calls(tree, only_in_fstrings=False):
            if key not in have:
                missing.append(f"{path.name}: {key}")
    assert not missing, "\n".join(missing)
