"""Dialogs: messages, import, export, and the shortcut overlay.

The small ``ask_*``/``show_*`` functions are the only places that block on a
person's answer, so tests can stand in for the person by replacing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import STATUSES
from annotator.ui.style import muted_style, muted_text

if TYPE_CHECKING:
    from annotator.core.formats import Format

# The F1 sheet: what, the keys (by their portable names, exactly the keys the window
# answers to: a test compares them with its actions and the article's own keys), and
# what else helps. The label keys are added from the open project's labels.
SHORTCUTS: list[tuple[str, tuple[str, ...], str]] = [
    ("Select text", (), "Shift+arrows, drag, double-click a word, Shift+click"),
    ("Tag the selection", (), "a label's key (below), or its button"),
    ("Select a span", ("Tab", "Shift+Tab"), "or click it (click again: the span around it)"),
    ("Let go of the span and the selection", ("Esc",), "moving the cursor lets go of the span"),
    ("Relabel the selected span", (), "another label's key or button"),
    ("Delete the selected span", ("Del", "Backspace"), ""),
    ("Move the span's start", ("Alt+Shift+Left", "Alt+Shift+Right"), "or drag its left edge"),
    ("Move the span's end", ("Alt+Shift+Up", "Alt+Shift+Down"), "or drag its right edge"),
    ("Note on the selected span", ("F2",), "Enter saves, Shift+Enter: new line, Esc: cancel"),
    (
        "Link the selected span to another",
        ("R",),
        "numbers show the candidates, nearest first: Tab / Shift+Tab move, a digit picks,"
        " Enter links, Esc cancels; if several types fit, the type's key;"
        " or Alt+drag onto a span",
    ),
    (
        "Show label names on spans",
        ("Ctrl+Shift+L",),
        "in the relation list: Del removes a relation, a type's key retypes it",
    ),
    ("Whole words / exact characters", ("Ctrl+Shift+W",), "snapping of selections and drags"),
    (
        "Accept the suggestion (dashed outline)",
        ("a", "Return", "Enter"),
        "the one under the cursor, or else the next one",
    ),
    ("Reject the suggestion", ("x",), "not proposed again in this document"),
    ("Next / previous suggestion", ("n", "Shift+N"), "from the cursor, suggestions only"),
    (
        "Accept every suggestion of its source",
        ("Shift+A",),
        "in this document, as one step; View › Suggestions shows or hides a source",
    ),
    ("Undo / Redo", ("Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y"), ""),
    (
        "Find in the article",
        ("Ctrl+F",),
        "Enter / Shift+Enter: next / previous hit;"
        " Ctrl+T, then a label's key: tag every hit; Esc closes",
    ),
    ("Search the project", ("Ctrl+Shift+F",), "Enter opens the document at the hit"),
    ("Mark done and open the next", ("Ctrl+Return", "Ctrl+Enter"), ""),
    ("Compare two coders, adjudicate into gold", ("Ctrl+Shift+C",), "Esc leaves compare mode"),
    ("Compare: next / previous disagreement", ("n", "Shift+N"), "in reading order"),
    ("Compare: take A / take B into gold", ("a", "b"), "taking one side takes the other out"),
    ("Compare: take neither", ("0",), "both sides stay out of gold"),
    ("Compare: copy the agreed spans to gold", ("c",), "one step; Ctrl+Z undoes any choice"),
    ("Compare: adjudication done, open the next", (), "Ctrl+Enter (gold's status done)"),
    ("Next / previous document", ("Alt+Right", "Alt+Left", "Ctrl+PgDown", "Ctrl+PgUp"), ""),
    (
        "Pick a document or span from its list",
        ("F6", "Shift+F6"),
        "arrows, Home / End, Enter opens; Esc goes back",
    ),
    ("Show / hide the guidelines", ("F4",), "the project's coding guidelines, beside the article"),
    ("Zoom in / out / actual size", ("Ctrl++", "Ctrl+=", "Ctrl+-", "Ctrl+0"), ""),
    ("New / open a project", ("Ctrl+N", "Ctrl+O"), ""),
    ("Import / export", ("Ctrl+I", "Ctrl+E"), ""),
    ("Save", ("Ctrl+S",), "nothing to do: every change is saved at once"),
    ("Quit", ("Ctrl+Q",), ""),
    ("Who is labelling", (), "Edit › Annotator name… (undo history starts afresh)"),
    ("Show others' layers, dimmed, read-only", (), "View › Layers, one toggle per layer"),
    ("Theme, font, line spacing", (), "View › Theme, View › Font…, View › Line spacing"),
    ("This help", ("F1", "?"), "any key or click closes it"),
]


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def ask_open_read_only(parent: QWidget | None, message: str) -> bool:
    """The project is in use elsewhere: offer to look at it without editing."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Project in use", message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText("You can open it read-only: you will see it but cannot change it.")
    read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is read_only


def ask_create(parent: QWidget | None, path: Path) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Create project?",
        f"{path} does not exist. Create a new, empty project there?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box.exec() == QMessageBox.StandardButton.Yes


def short_quote(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut at a word (never inside one) with "…" when long."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    cut = words[: limit + 1].rsplit(" ", 1)[0] if " " in words[:limit] else words[:limit]
    return cut.rstrip(" ,;:.") + "…"


class NoteDialog(QDialog):
    """A span's note. Enter or Ctrl+Enter saves, Shift+Enter starts a new line, Tab
    moves to the buttons, Esc cancels."""

    def __init__(self, title: str, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Note")
        caption = QLabel(title, self)
        caption.setTextFormat(Qt.TextFormat.PlainText)
        caption.setWordWrap(True)
        self.edit = QPlainTextEdit(self)
        self.edit.setPlainText(current)
        self.edit.setTabChangesFocus(True)
        self.edit.installEventFilter(self)
        self.edit.moveCursor(QTextCursor.MoveOperation.End)
        hint = QLabel("Enter saves · Shift+Enter new line · Esc cancels", self)
        hint.setStyleSheet(muted_style(self))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.edit, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(460, 220)
        self.edit.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        enter = (
            watched is self.edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        )
        if not enter:
            return False
        assert isinstance(event, QKeyEvent)
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.edit.insertPlainText("\n")
        else:
            self.accept()
        return True

    def note(self) -> str:
        return self.edit.toPlainText()

    def ask(self) -> str | None:
        """The note written, or None when cancelled."""
        return self.note() if self.exec() == QDialog.DialogCode.Accepted else None


def ask_open_path(parent: QWidget | None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, "Open project", "", "Annotator projects (*.annotator *.db);;All files (*)"
    )
    return Path(name) if name else None


def ask_new_path(parent: QWidget | None) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(
        parent, "New project", "untitled.annotator", "Annotator projects (*.annotator)"
    )
    return Path(name) if name else None


def _lay_out_with_ok_cancel(dialog: QDialog, form: QFormLayout) -> None:
    """The dialog's fields above OK and Cancel."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(buttons)


class _PathRow(QWidget):
    """A path field with a Browse button."""

    def __init__(self, parent: QWidget, *, save: bool) -> None:
        super().__init__(parent)
        self.save = save
        self.edit = QLineEdit(self)
        browse = QPushButton("File…", self)
        browse.clicked.connect(self._browse)
        folder = QPushButton("Folder…", self)
        folder.clicked.connect(self._browse_folder)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(browse)
        layout.addWidget(folder)

    def _browse(self) -> None:
        if self.save:
            name, _ = QFileDialog.getSaveFileName(self, "Export to", self.edit.text())
        else:
            name, _ = QFileDialog.getOpenFileName(self, "Import from", self.edit.text())
        if name:
            self.edit.setText(name)

    def _browse_folder(self) -> None:
        """Some formats (brat) are folders; a folder of .txt files imports each file."""
        name = QFileDialog.getExistingDirectory(self, "Folder", self.edit.text())
        if name:
            self.edit.setText(name)


class ImportDialog(QDialog):
    """Pick a format and a file to read documents from."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import documents")
        self.format = QComboBox(self)
        self.format.addItem("Detect from the name (.txt, .md, folders, .jsonl, …)", None)
        from annotator.core.formats import FORMATS  # not needed before the dialog opens

        for fmt in FORMATS.values():
            if fmt.read is not None:
                self.format.addItem(f"{fmt.title} ({', '.join(fmt.extensions)})", fmt.name)
        self.path = _PathRow(self, save=False)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("File", self.path)
        _lay_out_with_ok_cancel(self, form)

    def chosen(self) -> tuple[str | None, Path] | None:
        """(format name, or None to detect it; path)."""
        path = self.path.edit.text().strip()
        if not path:
            return None
        return self.format.currentData(), Path(path)


class ExportDialog(QDialog):
    """Pick a format, a file, and which documents and labels to write."""

    def __init__(self, labels: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.format = QComboBox(self)
        from annotator.core.formats import FORMATS  # not needed before the dialog opens

        for fmt in FORMATS.values():
            if fmt.write is not None:
                self.format.addItem(f"{fmt.title} ({', '.join(fmt.extensions)})", fmt.name)
        self.path = _PathRow(self, save=True)
        self.status = QComboBox(self)
        self.status.addItem("All documents", None)
        for status in STATUSES:
            self.status.addItem(f"Only {status}", status)
        label_box = QWidget(self)
        label_layout = QHBoxLayout(label_box)
        label_layout.setContentsMargins(0, 0, 0, 0)
        self.labels: dict[str, QCheckBox] = {}
        for name in labels:
            box = QCheckBox(name, label_box)
            box.setChecked(True)
            self.labels[name] = box
            label_layout.addWidget(box)
        label_layout.addStretch(1)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("File", self.path)
        form.addRow("Documents", self.status)
        form.addRow("Labels", label_box)
        _lay_out_with_ok_cancel(self, form)

    def chosen(self) -> tuple[Format, Path, str | None, list[str] | None] | None:
        name, path = self.format.currentData(), self.path.edit.text().strip()
        if not name or not path:
            return None
        picked = [name for name, box in self.labels.items() if box.isChecked()]
        labels = None if len(picked) == len(self.labels) else picked
        from annotator.core.formats import FORMATS

        return FORMATS[name], Path(path), self.status.currentData(), labels


class HelpOverlay(QFrame):
    """The shortcuts, laid over the window; any key or click closes it and gives the
    keyboard back to ``back_to``. ``label_keys`` gives the open project's label keys."""

    def __init__(
        self, parent: QWidget, back_to: QWidget, label_keys: Callable[[], dict[str, str]]
    ) -> None:
        super().__init__(parent)
        self.back_to = back_to
        self.label_keys = label_keys
        self.setObjectName("helpOverlay")
        self.setStyleSheet(
            "#helpOverlay { background: rgba(20, 24, 32, 215); }"
            "#helpCard { background: palette(base); border-radius: 10px; }"
            "QLabel[role='key'] { font-family: monospace; font-weight: 600; }"
            f"QLabel[role='also'] {{ color: {muted_text(self)}; }}"
        )
        self.card = QFrame(self)
        self.card.setObjectName("helpCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        parent.installEventFilter(self)
        self.hide()

    def rows(self) -> list[tuple[str, tuple[str, ...], str]]:
        """The sheet's rows, the open project's labels among them."""
        by_label: dict[str, list[str]] = {}
        for key, label in self.label_keys().items():
            by_label.setdefault(label, []).append(key)
        labels = [(f"Tag as {label}", tuple(keys), "") for label, keys in by_label.items()]
        return SHORTCUTS[:2] + labels + SHORTCUTS[2:]

    def _fill(self) -> None:
        old = self.card.layout()
        if old is not None:
            QWidget().setLayout(old)  # drops the old grid and its labels
        grid = QGridLayout(self.card)
        grid.setContentsMargins(24, 20, 24, 20)
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(3)
        title = QLabel("Keyboard shortcuts", self.card)
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        grid.addWidget(title, 0, 0, 1, 3)
        for row, (what, keys, also) in enumerate(self.rows(), start=1):
            for column, (text, role) in enumerate(
                ((what, "what"), (" / ".join(keys), "key"), (also, "also"))
            ):
                label = QLabel(text, self.card)
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setProperty("role", role)
                grid.addWidget(label, row, column)

    def keys(self) -> set[str]:
        """Every key the sheet names, read from the labels shown."""
        found: set[str] = set()
        for label in self.card.findChildren(QLabel):
            if label.property("role") == "key" and label.text():
                found.update(label.text().split(" / "))
        return found

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        self.setGeometry(parent.rect())
        self.card.adjustSize()
        size = self.card.sizeHint()
        self.card.setGeometry(
            (self.width() - size.width()) // 2,
            (self.height() - size.height()) // 2,
            size.width(),
            size.height(),
        )

    def toggle(self) -> None:
        if self.isVisible():
            self.close_overlay()
        else:
            self._fill()
            self._fit()
            self.show()
            self.raise_()
            self.setFocus()

    def close_overlay(self) -> None:
        self.hide()
        self.back_to.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.close_overlay()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.close_overlay()
