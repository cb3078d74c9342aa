"""The window's label editor, guidelines panel (F4) and statistics window.

A part of the window that owns its actions and what they open. Each of those is
made, and its module imported, when first used: none is on the start-up path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QWidget

from annotator.core.project import Change, Project
from annotator.ui.actions import make_action

if TYPE_CHECKING:
    from annotator.ui.guidelines_panel import GuidelinesPanel
    from annotator.ui.label_editor import LabelEditor
    from annotator.ui.statistics_window import StatisticsWindow


class ProjectTools:
    """Document › Labels…, Document › Statistics, View › Guidelines (F4)."""

    def __init__(
        self,
        window: QMainWindow,
        project: Callable[[], Project | None],
        say: Callable[[str], None],
        back_to: QWidget,
    ) -> None:
        self.window = window
        self.project = project
        self.say = say
        self.back_to = back_to
        self._editor: LabelEditor | None = None
        self._statistics: StatisticsWindow | None = None
        self._guidelines: GuidelinesPanel | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.labels_action = make_action(window, "&Labels…", self.open_label_editor)
        self.statistics_action = make_action(window, "S&tatistics", self.open_statistics)
        self.guidelines_action: QAction = make_action(
            window, "&Guidelines", self.toggle_guidelines, "F4"
        )
        self.guidelines_action.setCheckable(True)

    # --- the label editor -----------------------------------------------------------

    @property
    def label_editor(self) -> LabelEditor:
        if self._editor is None:
            from annotator.ui.label_editor import LabelEditor

            self._editor = LabelEditor(self.window, self.project)
        return self._editor

    def open_label_editor(self) -> None:
        project = self.project()
        if project is None:
            self.say("Open a project first")
            return
        if project.read_only:
            self.say("The project is open read-only: its labels cannot change")
            return
        self.label_editor.open_editor()

    # --- statistics -------------------------------------------------------------------

    @property
    def statistics(self) -> StatisticsWindow:
        if self._statistics is None:
            from annotator.ui.statistics_window import StatisticsWindow

            self._statistics = StatisticsWindow(self.window, self.project, self.say)
        return self._statistics

    def open_statistics(self) -> None:
        if self.project() is None:
            self.say("Open a project first")
            return
        self.statistics.open_window()

    # --- guidelines -------------------------------------------------------------------

    @property
    def guidelines(self) -> GuidelinesPanel:
        if self._guidelines is None:
            from annotator.ui.guidelines_panel import GuidelinesPanel

            self._guidelines = GuidelinesPanel(self.window)
            self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self._guidelines)
            self._guidelines.visibilityChanged.connect(self.guidelines_action.setChecked)
            self._guidelines.hide()
        return self._guidelines

    def toggle_guidelines(self) -> None:
        """F4: show the guidelines beside the article, or hide them."""
        panel = self.guidelines
        if panel.isVisible():
            panel.hide()
            self.back_to.setFocus()
            return
        self.refresh_guidelines()
        panel.show()

    def refresh_guidelines(self) -> None:
        if self._guidelines is not None:
            project = self.project()
            self._guidelines.show_guidelines(project.guidelines if project else "")

    def project_changed(self, project: Project | None) -> None:
        """Follow the open project: its guidelines, labels and figures."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if project is not None:
            self._unsubscribe = project.subscribe(self._on_change)
        self.refresh_guidelines()
        if self._editor is not None and self._editor.isVisible():
            self._editor.reject()
        if self._statistics is not None and self._statistics.isVisible():
            self._statistics.refresh()

    def _on_change(self, change: Change) -> None:
        if change.kind == "guidelines":
            self.refresh_guidelines()
