"""Document › Labels…: the project's labels and relation types, edited in the window.

What ``annotator labels`` does: add, rename (spans follow), recolour (the
colour-blind-safe palette, or any colour, with a warning when it reads poorly
on the page or looks like another label), set the key (the project refuses a
clash and the window's own r, a, x, n), describe, reorder, delete (saying how
many spans go, after a backup). Loaded when first opened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.colours import colour_warnings
from annotator.core.errors import AnnotatorError
from annotator.core.labels import PALETTE
from annotator.core.project import Project
from annotator.core.relation_types import RelationType, check_scheme, relation_type
from annotator.ui.side_panels import colour_icon
from annotator.ui.style import muted_style

OTHER = "Other colour…"


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    """A question with Yes and No, No by default (tests replace this)."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_colour(parent: QWidget, current: str) -> str | None:
    """Any colour, from Qt's colour picker (tests replace this)."""
    chosen = QColorDialog.getColor(QColor(current), parent, "Choose a colour")
    return chosen.name().upper() if chosen.isValid() else None


class ColourChoice(QComboBox):
    """The palette's colours by swatch, then any colour through the picker."""

    colourChanged = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._colour = PALETTE[0]
        for colour in PALETTE:
            self.addItem(colour_icon(QColor(colour), 14), colour, colour)
        self.addItem(OTHER, None)
        self.currentIndexChanged.connect(self._changed)
        self.activated.connect(self._picked)

    def colour(self) -> str:
        return self._colour

    def set_colour(self, colour: str) -> None:
        colour = colour.upper()
        index = self.findData(colour)
        if index < 0:
            self.insertItem(self.count() - 1, colour_icon(QColor(colour), 14), colour, colour)
            index = self.findData(colour)
        self.setCurrentIndex(index)
        self._changed(index)

    def _changed(self, index: int) -> None:
        colour = self.itemData(index)
        if colour is not None and colour != self._colour:
            self._colour = str(colour)
            self.colourChanged.emit(self._colour)

    def _picked(self, index: int) -> None:
        if self.itemData(index) is None:  # "Other colour…"
            self.set_colour(ask_colour(self, self._colour) or self._colour)


class _Tab(QWidget):
    """A list on the left, a form on the right, a line for warnings and refusals."""

    def __init__(self, parent: QWidget, project: Callable[[], Project | None]) -> None:
        super().__init__(parent)
        self.project = project
        self.list = QListWidget(self)
        self.form = QFormLayout()
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.buttons = QHBoxLayout()
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addWidget(self.message)
        right.addStretch(1)
        right.addLayout(self.buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(right, 2)
        self.list.currentRowChanged.connect(lambda _row: self.fill())

    def button(self, text: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: self._run(slot))
        self.buttons.addWidget(button)
        return button

    def _run(self, slot: Callable[[], Any]) -> None:
        """Do an edit; a refusal is shown, in words, and changes nothing."""
        try:
            slot()
        except AnnotatorError as exc:
            self.show_message(str(exc), problem=True)

    def show_message(self, text: str, *, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("problem", problem)
        self.message.setStyleSheet("" if problem else muted_style(self))

    def _project(self) -> Project:
        project = self.project()
        if project is None:
            raise AnnotatorError("no project is open")
        return project

    def current_name(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def select(self, name: str) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentRow(row)
                return

    def fill(self) -> None:
        """Show the selected entry in the form."""

    def reload(self) -> None:
        """Read the list again from the project."""


class LabelsTab(_Tab):
    def __init__(self, parent: QWidget, project: Callable[[], Project | None]) -> None:
        super().__init__(parent, project)
        self.name = QLineEdit(self)
        self.colour = ColourChoice(self)
        self.hotkey = QLineEdit(self)
        self.hotkey.setMaxLength(1)
        self.description = QLineEdit(self)
        self.form.addRow("&Name", self.name)
        self.form.addRow("&Colour", self.colour)
        self.form.addRow("&Key", self.hotkey)
        self.form.addRow("&Description", self.description)
        self.colour.colourChanged.connect(lambda _colour: self.warn_colour())
        self.apply_button = self.button("&Apply", self.apply)
        self.add_button = self.button("Add as &new", self.add)
        self.up_button = self.button("Move &up", lambda: self.move_label(-1))
        self.down_button = self.button("Move do&wn", lambda: self.move_label(1))
        self.delete_button = self.button("De&lete…", self.delete)

    def reload(self) -> None:
        name = self.current_name()
        self.list.clear()
        project = self.project()
        for number, label in enumerate(project.labels if project else [], start=1):
            keys = [str(number)] if number <= 9 else []
            keys += [label.hotkey] if label.hotkey else []
            item = QListWidgetItem(colour_icon(QColor(label.colour), 14), "")
            item.setText(f"{label.name}   {' / '.join(keys)}")
            item.setData(Qt.ItemDataRole.UserRole, label.name)
            item.setToolTip("")
            self.list.addItem(item)
        if name is not None:
            self.select(name)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)

    def fill(self) -> None:
        name, project = self.current_name(), self.project()
        if name is None or project is None:
            return
        label = project.label(name)
        self.name.setText(label.name)
        self.colour.set_colour(label.colour)
        self.hotkey.setText(label.hotkey or "")
        self.description.setText(label.description)
        self.warn_colour()

    def warn_colour(self) -> None:
        project = self.project()
        if project is None:
            return
        name = self.current_name() or self.name.text()
        others = {label.name: label.colour for label in project.labels}
        page = self.palette().color(QPalette.ColorRole.Base).name()
        warnings = colour_warnings(name, self.colour.colour(), others, page)
        self.show_message("; ".join(warnings), problem=bool(warnings))

    def apply(self) -> None:
        """Change the selected label to what the form says."""
        project, name = self._project(), self.current_name()
        if name is None:
            return
        label = project.label(name)
        new_name = self.name.text().strip()
        if new_name != label.name:
            label = project.rename_label(label.name, new_name)
        if self.colour.colour() != label.colour:
            label = project.recolour_label(label.name, self.colour.colour())
        if (self.hotkey.text().strip().lower() or None) != label.hotkey:
            label = project.set_label_hotkey(label.name, self.hotkey.text().strip() or None)
        if self.description.text().strip() != label.description:
            label = project.describe_label(label.name, self.description.text().strip())
        self.reload()
        self.select(label.name)
        self.show_message(f"Saved {label.name}")

    def add(self) -> None:
        project = self._project()
        label = project.add_label(
            self.name.text().strip(),
            self.colour.colour(),
            self.hotkey.text().strip() or None,
            self.description.text().strip(),
        )
        self.reload()
        self.select(label.name)
        self.show_message(f"Added {label.name}")

    def move_label(self, step: int) -> None:
        project, name = self._project(), self.current_name()
        if name is None:
            return
        row = self.list.currentRow() + step
        if 0 <= row < self.list.count():
            project.move_label(name, row + 1)
            self.reload()
            self.select(name)

    def delete(self) -> None:
        project, name = self._project(), self.current_name()
        if name is None:
            return
        count = project.label_span_count(name)
        spans = f"{count} span{'s' * (count != 1)}"
        if not ask_yes_no(
            self,
            "Delete a label",
            f"Delete {name} and its {spans}? A backup of the project is taken first;"
            " undo cannot bring them back.",
        ):
            return
        count, backup = project.delete_label(name)
        self.reload()
        self.show_message(
            f"Deleted {name} and its {spans}; the project as it was is kept as {backup.name}"
        )


def _ends_text(labels: tuple[str, ...]) -> str:
    return " | ".join(labels) or "*"


def _ends(text: str) -> list[str]:
    if text.strip() in ("", "*"):
        return []
    return [part.strip() for part in text.split("|") if part.strip()]


class RelationTypesTab(_Tab):
    def __init__(self, parent: QWidget, project: Callable[[], Project | None]) -> None:
        super().__init__(parent, project)
        self.name = QLineEdit(self)
        self.colour = ColourChoice(self)
        self.hotkey = QLineEdit(self)
        self.hotkey.setMaxLength(1)
        self.head = QLineEdit(self)
        self.head.setPlaceholderText("QUOTE | HEDGE, or * for any label")
        self.child = QLineEdit(self)
        self.child.setPlaceholderText("PERSON, or * for any label")
        self.description = QLineEdit(self)
        self.form.addRow("&Name", self.name)
        self.form.addRow("&Colour", self.colour)
        self.form.addRow("&Key", self.hotkey)
        self.form.addRow("&From (head)", self.head)
        self.form.addRow("&To (child)", self.child)
        self.form.addRow("&Description", self.description)
        self.apply_button = self.button("&Apply", self.apply)
        self.add_button = self.button("Add as &new", self.add)
        self.remove_button = self.button("&Remove…", self.remove)

    def reload(self) -> None:
        name = self.current_name()
        self.list.clear()
        project = self.project()
        for rtype in project.relation_types() if project else []:
            item = QListWidgetItem(colour_icon(QColor(rtype.colour), 14), "")
            item.setText(
                f"{rtype.name}   {_ends_text(rtype.head_labels)} → {_ends_text(rtype.child_labels)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, rtype.name)
            self.list.addItem(item)
        if name is not None:
            self.select(name)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)

    def fill(self) -> None:
        name, project = self.current_name(), self.project()
        if name is None or project is None:
            return
        rtype = project.relation_type_store.get(name)
        self.name.setText(rtype.name)
        self.colour.set_colour(rtype.colour)
        self.hotkey.setText(rtype.hotkey or "")
        self.head.setText(_ends_text(rtype.head_labels))
        self.child.setText(_ends_text(rtype.child_labels))
        self.description.setText(rtype.description)
        self.show_message("")

    def _form_type(self) -> RelationType:
        project = self._project()
        rtype = relation_type(
            self.name.text(),
            self.colour.colour(),
            _ends(self.head.text()),
            _ends(self.child.text()),
            self.hotkey.text().strip() or None,
            self.description.text(),
        )
        check_scheme([rtype], [label.name for label in project.labels])
        return rtype

    def apply(self) -> None:
        project, name = self._project(), self.current_name()
        if name is None:
            return
        store, wanted = project.relation_type_store, self._form_type()
        current = store.get(name)
        if wanted.name != current.name:
            current = store.rename(current.name, wanted.name)
        if wanted.colour != current.colour:
            current = store.recolour(current.name, wanted.colour)
        if wanted.hotkey != current.hotkey:
            current = store.set_hotkey(current.name, wanted.hotkey)
        if (wanted.head_labels, wanted.child_labels) != (current.head_labels, current.child_labels):
            current = store.set_ends(current.name, wanted.head_labels, wanted.child_labels)
        if wanted.description != current.description:
            current = store.describe(current.name, wanted.description)
        self.reload()
        self.select(current.name)
        self.show_message(f"Saved {current.name}")

    def add(self) -> None:
        project = self._project()
        rtype = project.add_relation_type(self._form_type())
        self.reload()
        self.select(rtype.name)
        self.show_message(f"Added {rtype.name}")

    def remove(self) -> None:
        project, name = self._project(), self.current_name()
        if name is None:
            return
        count = project.relation_type_store.relation_count(name)
        links = f"{count} relation{'s' * (count != 1)}"
        if not ask_yes_no(self, "Remove a relation type", f"Remove {name} and its {links}?"):
            return
        project.relation_type_store.remove(name)
        self.reload()
        self.show_message(f"Removed {name} and its {links}")


class LabelEditor(QDialog):
    """Labels and relation types, each in a tab."""

    def __init__(self, parent: QWidget, project: Callable[[], Project | None]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Labels and relation types")
        self.tabs = QTabWidget(self)
        self.labels = LabelsTab(self, project)
        self.relation_types = RelationTypesTab(self, project)
        self.tabs.addTab(self.labels, "&Labels")
        self.tabs.addTab(self.relation_types, "&Relation types")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def open_editor(self) -> None:
        self.labels.reload()
        self.relation_types.reload()
        self.show()
        self.raise_()
        self.activateWindow()
