"""The pages of the main window's sections, each built the first time it is shown.

Building all six at start-up doubled the time to the first screen (issue 17); the window asks
:func:`page_factories` for a builder per section and calls it on first use.  Each builder wires
the page's signals to the window, as the window did when it built them itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from officer_app.services.context import AppContext
    from officer_app.ui.tasks import TaskRunner


class SectionHost(Protocol):
    """What the pages are wired to: the main window, described here rather than imported (the
    window imports this module; importing it back would be a cycle, docs/architecture.md)."""

    @property
    def ctx(self) -> AppContext: ...
    @property
    def tasks(self) -> TaskRunner: ...
    @property
    def network_label(self) -> QLabel: ...

    def refresh(self) -> None: ...
    def reload_data(self) -> None: ...
    def refresh_if_built(self, key: str) -> None: ...
    def new_case_from_evidence(self, evidence_ids: list[str]) -> None: ...
    def draft_document(self, form_id: str, case_id: str) -> None: ...
    def open_document(self, doc_id: str) -> None: ...


def page_factories(window: SectionHost) -> dict[str, Callable[[], QWidget]]:
    def patrols() -> QWidget:
        from officer_app.ui.patrol_page import PatrolPage

        page = PatrolPage(window.ctx)
        page.changed.connect(window.refresh)
        return page

    def evidence() -> QWidget:
        from officer_app.ui.evidence_page import EvidencePage

        page = EvidencePage(window.ctx)
        page.changed.connect(window.refresh)
        page.caseRequested.connect(window.new_case_from_evidence)
        return page

    def cases() -> QWidget:
        from officer_app.ui.case_page import CasePage

        page = CasePage(window.ctx)
        page.changed.connect(window.refresh)
        page.documentRequested.connect(window.draft_document)
        page.documentOpened.connect(window.open_document)
        return page

    def documents() -> QWidget:
        from officer_app.ui.document_page import DocumentPage

        page = DocumentPage(window.ctx, window.tasks)
        page.changed.connect(window.refresh)
        page.changed.connect(lambda: window.refresh_if_built("cases"))
        return page

    def sync() -> QWidget:
        from officer_app.ui.sync_page import SyncPage

        page = SyncPage(window.ctx, window.tasks)
        page.onlineChanged.connect(lambda _ok, text: window.network_label.setText(text))
        page.changed.connect(window.reload_data)
        return page

    return {
        "patrols": patrols,
        "evidence": evidence,
        "cases": cases,
        "documents": documents,
        "sync": sync,
    }
