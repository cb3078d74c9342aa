"""Who is labelling: the annotator's name, shown in the status bar and changeable.

The name is the layer the window edits (``project.annotator``). It is
remembered in the settings and given to every project the window opens; by
default it is ``$ANNOTATOR_NAME``, else the login name. Changing it clears the
undo history, since undo covers one person's edits, and the window says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QLabel, QMenu, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.layers import check_layer_name, is_suggestion
from annotator.ui.actions import make_action

if TYPE_CHECKING:
    from annotator.core.project import Project

SETTING = "annotator_name"


class AnnotatorName(QObject):
    """File › Annotator name…, and "Labelling as NAME" in the status bar."""

    nameChanged = Signal(str)  # after the project's annotator changed

    def __init__(
        self,
        parent: QWidget,
        *,
        menu: QMenu,
        settings: QSettings,
        project: Callable[[], Project | None],
        say: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._settings = settings
        self._project = project
        self.say = say
        self.action = make_action(parent, "Annotator &name…", self.ask)
        menu.addAction(self.action)
        self.label = QLabel(parent)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.show_name()

    def remembered(self) -> str | None:
        value = self._settings.value(SETTING)
        return str(value) if value else None

    def take_over(self, project: Project) -> None:
        """A project just opened labels as the remembered name, if there is one."""
        name = self.remembered()
        if name and name != project.annotator:
            project.annotator = name
        self.show_name()

    def show_name(self) -> None:
        project = self._project()
        self.label.setText(f"Labelling as {project.annotator}" if project is not None else "")

    def ask(self) -> None:
        """Ask for a name (the dialog is made when first used) and take it."""
        project = self._project()
        if project is None:
            self.say("Open a project first")
            return
        from PySide6.QtWidgets import QInputDialog  # a dialog: made when first used

        dialog = QInputDialog(self._parent)
        dialog.setWindowTitle("Annotator name")
        dialog.setLabelText(
            "Your name, as your spans and statuses are kept under it\n"
            "(changing it clears the undo history):"
        )
        dialog.setTextValue(project.annotator)
        accepted = dialog.exec()
        name = dialog.textValue()
        dialog.deleteLater()
        self._parent.activateWindow()  # the keys go back to the window
        if accepted:
            self.set_name(name)

    def set_name(self, name: str) -> bool:
        """Label as ``name`` from now on (remembered); says what happened."""
        project = self._project()
        if project is None:
            return False
        try:
            cleaned = check_layer_name(name)
        except AnnotatorError as exc:
            self.say(f"Name not changed: {exc}")
            return False
        if is_suggestion(cleaned):
            self.say("Name not changed: suggest:… layers belong to suggestion sources")
            return False
        self._settings.setValue(SETTING, cleaned)
        if cleaned == project.annotator:
            self.say(f"Already labelling as {cleaned}")
            return True
        project.annotator = cleaned  # clears the undo history
        self.show_name()
        self.nameChanged.emit(cleaned)
        self.say(f"Now labelling as {cleaned}; the undo history was cleared")
        return True
