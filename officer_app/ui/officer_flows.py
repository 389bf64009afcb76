"""The officer's own flows of the main window: profile, PIN, settings and switching officer.

A mixin of :class:`officer_app.ui.main_window.MainWindow` (kept apart so the window module holds
the navigation and the pages, under the size limit): it uses the window's context, its status bar,
its idle watcher, its large-text switch and its one write path ``_write``. Qt looks a ``tr()``
string up along the class's MRO, so these strings live in this class's translation context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QMainWindow, QMessageBox

from officer_app.services import officers, pins, settings
from officer_app.services.agencies import list_agencies
from officer_app.services.context import AppContext

if TYPE_CHECKING:
    from officer_app.ui.lock import IdleWatcher
    from officer_app.ui.profile_dialog import ProfileDialog
    from officer_app.ui.settings_dialog import PinPromptDialog, PinSetDialog, SettingsDialog


class OfficerFlows(QMainWindow):
    """Profile, PIN, settings and officer switching (see the module docstring)."""

    # What the window provides (declared here so the type checker holds the mixin to it).
    ctx: AppContext
    idle: IdleWatcher
    set_large_text: Callable[[bool], None]
    refresh: Callable[[], None]
    load_demo: Callable[[], None]
    _write: Callable[..., None]

    def _officer_label(self, officer_id: str) -> str:
        for officer in officers.list_officers(self.ctx):
            if officer.id == officer_id:
                return f"{officer.name}（{officer.badge}）"
        return officer_id

    def open_settings(self) -> SettingsDialog:
        store = self.ctx.store
        from officer_app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            language=settings.get(store, settings.LANGUAGE),
            large_text=settings.get(store, settings.LARGE_TEXT),
            idle_minutes=settings.get(store, settings.IDLE_LOCK_MINUTES),
            parent=self,
        )
        dialog.accepted.connect(lambda: self._settings_entered(dialog))
        dialog.open()
        return dialog

    def _settings_entered(self, dialog: SettingsDialog) -> None:
        language, large, minutes = dialog.values()
        store = self.ctx.store
        old_language = settings.get(store, settings.LANGUAGE)

        def save(worker_ctx: AppContext) -> None:
            with worker_ctx.store.transaction():
                settings.put(worker_ctx.store, settings.LANGUAGE, language)
                settings.put(worker_ctx.store, settings.IDLE_LOCK_MINUTES, minutes)

        self._write(save)
        self.idle.set_timeout(60.0 * minutes)
        self.set_large_text(large)
        if language != old_language:
            self.statusBar().showMessage(
                self.tr("界面语言已保存，将在重新启动本程序后生效。"), 15000
            )

    def change_pin(self) -> PinSetDialog | None:
        officer = self.ctx.current_officer()
        if officer is None:
            self.ask_profile(first_start=False)
            return None
        from officer_app.ui.settings_dialog import PinSetDialog

        dialog = PinSetDialog(
            f"{officer.name}（{officer.badge}）",
            has_pin=pins.has_pin(self.ctx, officer.id),
            parent=self,
        )
        dialog.accepted.connect(lambda: self._pin_entered(dialog, officer.id))
        dialog.open()
        return dialog

    def _pin_entered(self, dialog: PinSetDialog, officer_id: str) -> None:
        has_pin, current, new = dialog.has_pin, dialog.current_edit.text(), dialog.new_edit.text()

        def work(worker_ctx: AppContext) -> pins.PinCheck | None:
            if has_pin:
                check = pins.verify_pin(worker_ctx, officer_id, current)
                if not check.ok:
                    return check
            pins.set_pin(worker_ctx, officer_id, new)
            return None

        def done(refused: pins.PinCheck | None) -> None:
            if refused is not None:
                QMessageBox.warning(self, self.tr("设置PIN"), self._pin_failure_text(refused))
                return
            self.statusBar().showMessage(self.tr("PIN已设置。"), 8000)

        self._write(work, done, title=self.tr("无法设置PIN"))

    def _pin_failure_text(self, check: pins.PinCheck) -> str:
        if check.retry_after_s:
            return self.tr("PIN错误次数过多，请等待 {0} 秒后再试。").format(check.retry_after_s)
        return self.tr("PIN不正确。")

    def ask_pin(self, officer_id: str, then: Callable[[], None]) -> PinPromptDialog | None:
        """Run ``then()`` once the officer proves the PIN; at once if the officer has none."""
        if not pins.has_pin(self.ctx, officer_id):
            then()
            return None
        from officer_app.ui.settings_dialog import PinPromptDialog

        dialog = PinPromptDialog(self._officer_label(officer_id), parent=self)

        def checked(check: pins.PinCheck) -> None:
            if check.ok:
                then()
            else:
                QMessageBox.warning(self, self.tr("输入PIN"), self._pin_failure_text(check))

        def entered() -> None:
            pin = dialog.pin()  # a wrong PIN is counted: verifying writes
            self._write(lambda w: pins.verify_pin(w, officer_id, pin), checked)

        dialog.accepted.connect(entered)
        dialog.open()
        return dialog

    def ask_profile(self, *, first_start: bool) -> ProfileDialog:
        from officer_app.ui.profile_dialog import ProfileDialog

        dialog = ProfileDialog(list_agencies(self.ctx.store), first_start=first_start, parent=self)
        dialog.accepted.connect(lambda: self._profile_entered(dialog))
        dialog.open()
        return dialog

    def _profile_entered(self, dialog: ProfileDialog) -> None:
        name, badge, agency, with_demo = dialog.values()
        phone = dialog.phone()
        new_pin = dialog.pin()

        def work(worker_ctx: AppContext) -> None:
            with worker_ctx.store.transaction():
                officer = officers.add_or_select_officer(worker_ctx, name, badge, agency, phone)
                if new_pin:
                    pins.set_pin(worker_ctx, officer.id, new_pin)

        def saved(_result: None) -> None:
            self.refresh()
            if with_demo:
                self.load_demo()

        def save() -> None:
            self._write(work, saved, title=self.tr("无法保存执法人员档案"))

        # Re-entering an existing profile selects it: that must not bypass its PIN.
        existing = pins.officer_id_for(self.ctx, badge, agency)
        if existing is not None:
            self.ask_pin(existing, save)
        else:
            save()

    def switch_officer(self) -> None:
        profiles = officers.list_officers(self.ctx)
        if not profiles:
            self.ask_profile(first_start=False)
            return
        labels = [f"{o.name}（{o.badge}，{o.agency_code}）" for o in profiles]
        label, ok = QInputDialog.getItem(
            self, self.tr("切换执法人员"), self.tr("选择执法人员："), labels, 0, False
        )
        if ok:
            chosen = profiles[labels.index(label)].id

            def select() -> None:
                self._write(lambda w: officers.select_officer(w, chosen), lambda _r: self.refresh())

            current = self.ctx.current_officer()
            if current is not None and current.id == chosen:
                return
            self.ask_pin(chosen, select)
