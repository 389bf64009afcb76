"""Every editor dialog works by keyboard alone (issue 8): officers in a moving vehicle often have
no usable pointer.

Each dialog is shown offscreen with demo data and its Tab focus chain is walked
(``nextInFocusChain``) to check that

1. every visible, enabled input is a Tab stop;
2. the Tab order follows reading order (top-to-bottom, left-to-right; the button box last);
3. multi-line editors and tables hand Tab on instead of swallowing it (no keyboard trap);
4. OK is the default button (Enter in a single-line field triggers it) or has a mnemonic,
   and Esc rejects;
5. every form label of an input has a mnemonic and a buddy that takes focus, and no two
   mnemonics of one dialog share a letter (Alt+letter must reach one place).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QTextEdit,
    QToolButton,
    QWidget,
)

from officer_app.domain.patrol import OfficerEntry
from officer_app.services import documents, evidence_query, forms, patrols
from officer_app.services.agencies import list_agencies
from officer_app.ui import case_editor, position_dialogs
from officer_app.ui.bulletin_dialog import BulletinDialog
from officer_app.ui.document_editor import DocumentEditor
from officer_app.ui.document_page import NewDocumentDialog
from officer_app.ui.patrol_editor import AmendDialog, PatrolEditorDialog
from officer_app.ui.profile_dialog import ProfileDialog
from officer_app.ui.settings_dialog import PinPromptDialog, PinSetDialog, SettingsDialog
from officer_app.ui.sync_page import FeedbackDialog, LoginDialog, ReturnDialog
from officer_app.ui.tasks import TaskRunner, as_writer, writes_in_flight
from tests.doc_fixtures import load_demo

pytestmark = pytest.mark.gui

INPUTS = (
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,  # QSpinBox, QDoubleSpinBox and the QDateTimeEdit family
    QCheckBox,
    QRadioButton,
    QScrollArea,
    QAbstractItemView,
    QPushButton,
    QToolButton,
)
MNEMONIC = re.compile(r"&([^&\s])")


# Building the dialogs -------------------------------------------------------------------------
class Demo:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        with as_writer():  # seeding, as the write executor would
            self.case_id = load_demo(ctx)
        self.patrol = patrols.get_patrol(
            ctx, ctx.store.scalar("SELECT id FROM patrols ORDER BY start_utc LIMIT 1")
        )
        self.photos = evidence_query.list_evidence(ctx)


def _patrol_new(d: Demo) -> QDialog:
    return PatrolEditorDialog(d.ctx)


def _patrol_edit(d: Demo) -> QDialog:
    dialog = PatrolEditorDialog(d.ctx, d.patrol)
    assert dialog.officer_table.rowCount() > 0  # the officers' agency combos are cell widgets
    dialog.add_officer(OfficerEntry("", "", ""))  # as 添加人员 does
    return dialog


def _amend(d: Demo) -> QDialog:
    return AmendDialog(d.ctx, d.patrol)


def _case_editor(d: Demo) -> QDialog:
    return case_editor.CaseEditorDialog(d.ctx, [d.photos[0]["id"]])


def _case_jurisdiction(d: Demo) -> QDialog:
    divisions = [{"code": "310118", "name": "青浦区"}, {"code": "320509", "name": "吴江区"}]
    return case_editor.JurisdictionDialog(divisions, "320509")


def _document_editor(d: Demo) -> QDialog:
    with as_writer():  # seeding, as the write executor would
        doc = documents.new_document(d.ctx, "case_transfer", case_id=d.case_id)
    dialog = DocumentEditor(d.ctx, doc["id"], TaskRunner())
    dialog.tasks.setParent(dialog)
    return dialog


def _new_document(d: Demo) -> QDialog:
    return NewDocumentDialog(d.ctx, d.case_id)


def _position(d: Demo) -> QDialog:
    return position_dialogs.PositionDialog(d.ctx, d.photos[0])


def _position_picked(d: Demo) -> QDialog:
    return position_dialogs.PositionDialog(d.ctx, d.photos[0], lat=31.0135, lon=120.8370)


def _photo_jurisdiction(d: Demo) -> QDialog:
    return position_dialogs.JurisdictionDialog(d.ctx, d.photos[0])


def _profile_first(d: Demo) -> QDialog:
    return ProfileDialog(list_agencies(d.ctx.store), first_start=True)


def _profile(d: Demo) -> QDialog:
    return ProfileDialog(list_agencies(d.ctx.store), first_start=False)


DIALOGS: dict[str, Callable[[Demo], QDialog]] = {
    "patrol_new": _patrol_new,
    "patrol_edit": _patrol_edit,
    "patrol_amend": _amend,
    "case_editor": _case_editor,
    "case_jurisdiction": _case_jurisdiction,
    "document_editor": _document_editor,
    "new_document": _new_document,
    "position": _position,
    "position_picked": _position_picked,
    "photo_jurisdiction": _photo_jurisdiction,
    "sync_login": lambda d: LoginDialog("https://platform.example.gov.cn"),
    "sync_return": lambda d: ReturnDialog("青城管移〔2026〕1号"),
    "sync_feedback": lambda d: FeedbackDialog("青城管移〔2026〕1号"),
    "settings": lambda d: SettingsDialog(language="zh_CN", large_text=False, idle_minutes=10),
    "pin_set": lambda d: PinSetDialog("张伟（31011800123）", has_pin=True),
    "pin_set_first": lambda d: PinSetDialog("张伟（31011800123）", has_pin=False),
    "pin_prompt": lambda d: PinPromptDialog("张伟（31011800123）"),
    "profile_first_start": _profile_first,
    "profile": _profile,
    "bulletin": lambda d: BulletinDialog("青浦区", "2026年第三季度", d.ctx.data.root),
}


@pytest.fixture(params=list(DIALOGS))
def dialog(request: pytest.FixtureRequest, qtbot: Any, ctx: Any):
    widget = DIALOGS[request.param](Demo(ctx))
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    if isinstance(widget, DocumentEditor):
        widget.tasks.drain()
    widget.close()
    # Deleted here, on the GUI thread: a failed assertion's traceback keeps the wrapper alive,
    # and a later garbage collection on a worker thread must not be what destroys the dialog.
    shiboken6.delete(widget)


# Inspecting them ------------------------------------------------------------------------------
def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton | QLabel) else ""
    label = widget.objectName() or widget.accessibleName() or text
    return f"{type(widget).__name__}({label})"


def _inside_input(widget: QWidget, dialog: QDialog) -> bool:
    """Parts of a composite input (a spin box's line edit) and a table's cell widgets."""
    parent = widget.parentWidget()
    while parent is not None and parent is not dialog:
        if isinstance(parent, INPUTS):
            return True
        parent = parent.parentWidget()
    return False


def _usable(widget: QWidget, dialog: QDialog) -> bool:
    return widget.isVisibleTo(dialog) and widget.isEnabledTo(dialog) and widget.isEnabled()


def tab_chain(dialog: QDialog) -> list[QWidget]:
    """The Tab stops in focus-chain order, starting after the dialog itself."""
    out: list[QWidget] = []
    widget = dialog.nextInFocusChain()
    while widget is not dialog and widget not in out:
        if (
            widget.window() is dialog
            and _usable(widget, dialog)
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.focusProxy() is None
        ):
            out.append(widget)
        widget = widget.nextInFocusChain()
    return out


def inputs(dialog: QDialog) -> list[QWidget]:
    return [
        w
        for w in dialog.findChildren(QWidget)
        if isinstance(w, INPUTS) and _usable(w, dialog) and not _inside_input(w, dialog)
    ]


def _rect(widget: QWidget, dialog: QDialog) -> QRect:
    return QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size())


def _scroll_area(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def _pair_rects(prev: QWidget, nxt: QWidget, dialog: QDialog) -> tuple[QRect, QRect]:
    """Where two consecutive stops lie for the reader: inside one scroll area, in its content's
    coordinates (Tab scrolls the next one into view); across its edge, the area stands for the
    content it holds, so a long form followed by the buttons below it reads top to bottom."""
    sa, sb = _scroll_area(prev), _scroll_area(nxt)
    if sa is not None and sa is sb:
        inner = sa.widget()
        return QRect(prev.mapTo(inner, QPoint(0, 0)), prev.size()), QRect(
            nxt.mapTo(inner, QPoint(0, 0)), nxt.size()
        )
    a = _rect(sa, dialog) if sa is not None else _rect(prev, dialog)
    b = _rect(sb, dialog) if sb is not None else _rect(nxt, dialog)
    return a, b


def _in_button_box(widget: QWidget) -> bool:
    return isinstance(widget.parentWidget(), QDialogButtonBox)


def reading_order_breaks(dialog: QDialog, chain: list[QWidget]) -> list[str]:
    """Consecutive stops where Tab jumps up, or left within one row; the button box may close."""
    body = [w for w in chain if not _in_button_box(w)]
    breaks = []
    if body and any(_in_button_box(w) for w in chain):
        tail = chain[len(chain) - sum(_in_button_box(w) for w in chain) :]
        if not all(_in_button_box(w) for w in tail):
            breaks.append("the button box is not at the end of the Tab order")
    for prev, nxt in itertools.pairwise(body):
        a, b = _pair_rects(prev, nxt, dialog)
        same_row = b.top() <= a.bottom() and a.top() <= b.bottom()
        if same_row:
            ok = b.left() >= a.left() or b.top() > a.top() + a.height() // 2
        else:
            ok = b.top() > a.top()
        if not ok:
            breaks.append(f"{_name(prev)} {a.getRect()} → {_name(nxt)} {b.getRect()}")
    return breaks


def accept_button(dialog: QDialog) -> QPushButton:
    if isinstance(dialog, DocumentEditor):
        return dialog.save_button
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None, "no button box"
    for button in box.buttons():
        if box.buttonRole(button) in (
            QDialogButtonBox.ButtonRole.AcceptRole,
            QDialogButtonBox.ButtonRole.YesRole,
        ):
            assert isinstance(button, QPushButton)
            return button
    raise AssertionError("no accept button")


def mnemonic(text: str) -> str | None:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).upper() if found else None


def _takes_focus(widget: QWidget | None) -> bool:
    while widget is not None and widget.focusProxy() is not None:
        widget = widget.focusProxy()
    return widget is not None and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def label_problems(dialog: QDialog) -> list[str]:
    """Form labels of inputs without a mnemonic, or whose buddy is missing or cannot take focus."""
    problems = []
    for form in dialog.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label_item is None or field_item is None:
                continue
            label = label_item.widget()
            if not isinstance(label, QLabel) or not label.isVisibleTo(dialog):
                continue
            field = field_item.widget()
            targets = [field] if field is not None else []
            if field_item.layout() is not None:
                lay = field_item.layout()
                targets = [lay.itemAt(i).widget() for i in range(lay.count())]
            fields = [
                w
                for t in targets
                if t is not None
                for w in [t, *t.findChildren(QWidget)]
                if isinstance(w, INPUTS) and w.isVisibleTo(dialog) and not _inside_input(w, t)
            ]
            if not fields:
                continue  # a read-only value such as 原值
            if mnemonic(label.text()) is None:
                problems.append(f"label {label.text()!r}: no mnemonic")
            if label.buddy() is None:
                problems.append(f"label {label.text()!r}: no buddy")
            elif not _takes_focus(label.buddy()):
                problems.append(
                    f"label {label.text()!r}: buddy {_name(label.buddy())} takes no focus"
                )
    return problems


def mnemonic_clashes(dialog: QDialog) -> list[str]:
    """Alt+letters taken twice among buddied labels, buttons and group boxes."""
    texts = []
    for w in dialog.findChildren(QWidget):
        if not w.isVisibleTo(dialog):
            continue
        if (isinstance(w, QLabel) and w.buddy() is not None) or isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
    seen: dict[str, str] = {}
    clashes = []
    for text in texts:
        key = mnemonic(text)
        if key is None:
            continue
        if key in seen:
            clashes.append(f"Alt+{key}: {seen[key]} and {text!r}")
        else:
            seen[key] = repr(text)
    return clashes


# The checks -----------------------------------------------------------------------------------
def test_every_input_is_a_tab_stop(dialog: QDialog) -> None:
    chain = tab_chain(dialog)
    missing = [_name(w) for w in inputs(dialog) if w not in chain]
    assert not missing, f"not reachable by Tab: {missing}"


def test_tab_order_follows_reading_order(dialog: QDialog) -> None:
    breaks = reading_order_breaks(dialog, tab_chain(dialog))
    assert not breaks, "Tab order jumps:\n" + "\n".join(breaks)


def test_tab_is_not_swallowed(dialog: QDialog) -> None:
    traps = [
        _name(w)
        for w in tab_chain(dialog)
        if (isinstance(w, QPlainTextEdit | QTextEdit) and not w.tabChangesFocus())
        or (isinstance(w, QTableView) and w.tabKeyNavigation())
    ]
    assert not traps, f"Tab stays inside: {traps}"


def test_first_tab_stop_is_an_input_not_a_button(dialog: QDialog) -> None:
    """Opening the dialog puts the cursor where typing starts (not on a button)."""
    chain = tab_chain(dialog)
    assert chain and not _in_button_box(chain[0]), [_name(w) for w in chain[:1]]


def test_enter_accepts_and_esc_rejects(qtbot: Any, dialog: QDialog) -> None:
    ok = accept_button(dialog)
    if not ok.isDefault():
        assert mnemonic(ok.text()) is not None, f"{_name(ok)} is neither default nor has Alt+key"
    else:
        line = next(
            (w for w in tab_chain(dialog) if isinstance(w, QLineEdit) and not w.isReadOnly()),
            None,
        )
        if line is not None and ok.isEnabled():
            clicks: list[bool] = []
            ok.clicked.connect(lambda *_: clicks.append(True))
            QTest.keyClick(line, Qt.Key.Key_Return)
            assert clicks, f"Enter in {_name(line)} did not trigger {_name(ok)}"
            qtbot.waitUntil(lambda: writes_in_flight() == 0)  # a save lands before Esc
    if dialog.isVisible():
        target = next(iter(tab_chain(dialog)), dialog)
        QTest.keyClick(target, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
        assert dialog.result() == QDialog.DialogCode.Rejected


def test_form_labels_have_mnemonics_and_buddies(dialog: QDialog) -> None:
    problems = label_problems(dialog)
    assert not problems, "\n".join(problems)


def test_mnemonics_are_unique(dialog: QDialog) -> None:
    clashes = mnemonic_clashes(dialog)
    assert not clashes, "\n".join(clashes)


def test_alt_letter_moves_focus_to_the_field(qtbot: Any, dialog: QDialog) -> None:
    """The mnemonic really works: Alt+letter of each form label focuses its field."""
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow(), timeout=2000)
    for label in dialog.findChildren(QLabel):
        buddy = label.buddy()
        key = mnemonic(label.text())
        if buddy is None or key is None or not label.isVisibleTo(dialog):
            continue
        if not buddy.isEnabled():
            continue
        dialog.setFocus()
        QTest.keySequence(dialog, QKeySequence(f"Alt+{key}"))
        target = buddy.focusProxy() or buddy
        try:
            # A table may hand focus on to the editor widget of its current cell.
            qtbot.waitUntil(
                lambda t=target: t.hasFocus() or t.isAncestorOf(QApplication.focusWidget()),
                timeout=1000,
            )
        except qtbot.TimeoutError:
            focus = QApplication.focusWidget()
            pytest.fail(
                f"Alt+{key} ({label.text()!r}) left focus on {focus and _name(focus)}, "
                f"not {_name(target)}"
            )


def test_pressing_tab_visits_every_input_and_comes_round(qtbot: Any, dialog: QDialog) -> None:
    """The same with real key presses: Tab from the first stop reaches every input (inside a
    date edit Tab first steps through its sections) and comes back round to where it started."""
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow(), timeout=2000)
    chain = tab_chain(dialog)
    start = chain[0]
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: start.hasFocus() or start.isAncestorOf(QApplication.focusWidget()))
    focused: list[QWidget] = []
    for _ in range(len(chain) * 8):
        focus = QApplication.focusWidget()
        assert focus is not None and focus.window() is dialog, "Tab left the dialog"
        focused.append(focus)
        QTest.keyClick(focus, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is start:
            break
    else:
        pytest.fail("Tab never came back round: " + " → ".join(_name(w) for w in focused[-12:]))
    missed = [
        _name(w) for w in inputs(dialog) if not any(f is w or w.isAncestorOf(f) for f in focused)
    ]
    assert not missed, f"Tab never reached: {missed}"


def test_every_form_gets_distinct_mnemonics(qtbot: Any, ctx: Any) -> None:
    """The editor's labels come from the form definitions: each form's fields get their own
    Alt+letter, distinct from 保存(&S) and 签发(&I)."""
    demo = Demo(ctx)
    for form in forms.list_forms(ctx):
        subject = forms.find_form(ctx, form["id"]).subject
        target = {"patrol_id": demo.patrol["id"]} if subject == "patrol" else {}
        with as_writer():  # seeding, as the write executor would
            doc = documents.new_document(ctx, form["id"], case_id=demo.case_id, **target)
        editor = DocumentEditor(ctx, doc["id"], TaskRunner())
        editor.tasks.setParent(editor)
        editor.show()
        problems = label_problems(editor) + mnemonic_clashes(editor)
        editor.close()
        shiboken6.delete(editor)
        assert not problems, f"{form['id']}:\n" + "\n".join(problems)


def test_english_labels_keep_distinct_mnemonics(qtbot: Any, qapp: Any, ctx: Any) -> None:
    """The translation carries the mnemonics too, without two of a dialog sharing a letter."""
    from officer_app.ui.i18n import install_translators

    demo = Demo(ctx)
    assert install_translators(qapp, "en") == "en"
    try:
        assert qapp.translate("PatrolEditorDialog", "计划时间(&P)：") == "&Planned time:"
        for name, build in DIALOGS.items():
            widget = build(demo)
            widget.show()
            problems = label_problems(widget) + mnemonic_clashes(widget)
            if isinstance(widget, DocumentEditor):
                widget.tasks.drain()
            widget.close()
            shiboken6.delete(widget)
            assert not problems, f"{name}:\n" + "\n".join(problems)
    finally:
        install_translators(qapp, "zh_CN")
