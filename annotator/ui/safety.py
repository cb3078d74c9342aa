"""File > Restore from backup, Help > Check project, and the backups the window takes.

The ``ask_*``/``show_*`` functions are the only places that wait for a person,
so tests can stand in for the person by replacing them. All reading and
writing is done by :mod:`annotator.core.backup` and :mod:`annotator.core.check`.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.backup import Backup, Backups
from annotator.core.check import Problem, check_file
from annotator.core.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

SHOWN_PROBLEMS = 30


class RestoreDialog(QDialog):
    """The project's backups, newest first; the chosen one is restored."""

    def __init__(self, backups: list[Backup], folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.backups = backups
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Choose the backup to go back to. The project as it is now is kept among "
            f"the backups, so this can be undone.\nBackups are in {folder}"
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)
        self.list = QListWidget()
        for backup in backups:
            QListWidgetItem(backup.describe(), self.list)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Restore")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> Backup | None:
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None


def ask_backup(window: QWidget, backups: list[Backup], folder: str) -> Backup | None:
    dialog = RestoreDialog(backups, folder, window)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_confirm_restore(window: QWidget, project_name: str, backup: Backup) -> bool:
    answer = QMessageBox.question(
        window,
        "Restore from backup",
        f"Replace {project_name} with the backup of {backup.describe().split('  ')[0]}?\n\n"
        "Labels added since then will not be in the project, but the project as it "
        "is now is kept among the backups.",
    )
    return answer == QMessageBox.StandardButton.Yes


def show_message(window: QWidget, title: str, text: str, *, warning: bool = False) -> None:
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, window)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def restore_from_backup(window: MainWindow) -> bool:
    """File > Restore from backup: choose, confirm, restore, reopen. True if restored."""
    project = window.project
    if project is None:
        window.say("Open a project first")
        return False
    path, read_only = project.path, project.read_only
    store = Backups(path)
    backups = store.list()
    if not backups:
        show_message(
            window,
            "Restore from backup",
            f"There are no backups of {path.name} yet.\nThey are made in {store.folder}",
        )
        return False
    chosen = ask_backup(window, backups, str(store.folder))
    if chosen is None or not ask_confirm_restore(window, path.name, chosen):
        return False
    window.set_project(None)  # closes the project: a restore needs it closed everywhere
    try:
        before = store.restore(chosen.path)
    except (AnnotatorError, OSError, sqlite3.Error) as exc:
        show_message(window, "Could not restore", str(exc), warning=True)
        window.open_project(path, read_only=read_only)
        return False
    window.open_project(path)
    kept = f"; the project as it was is kept as {before.name}" if before else ""
    window.say(f"Restored the backup of {chosen.describe().split('  ')[0]}{kept}")
    return True


def check_project(window: MainWindow) -> list[Problem]:
    """Help > Check project: SQLite's check and the project's own; shows the result."""
    project = window.project
    if project is None:
        window.say("Open a project first")
        return []
    problems = check_file(project.path)
    if not problems:
        show_message(window, "Check project", f"{project.path.name}: no problems found.")
        return problems
    lines = [str(p) for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        lines.append(f"… and {len(problems) - SHOWN_PROBLEMS} more")
    show_message(
        window,
        "Check project",
        f"{project.path.name}: {len(problems)} problem{'s' * (len(problems) != 1)} found.\n\n"
        + "\n".join(lines)
        + "\n\nFile > Restore from backup goes back to an earlier copy; "
        "`annotator check` on the command line lists everything.",
        warning=True,
    )
    return problems


class _BackupReporter(QObject):
    """Carries a failure from the backup thread to the window's thread (a queued signal)."""

    failed = Signal(str)


def start_backups(window: MainWindow) -> Backups | None:
    """Back up the window's project now if needed, then as edits happen (at most every
    30 minutes). Call after a project is opened for editing."""
    project = window.project
    if project is None or project.read_only:
        return None
    store = Backups(project.path)
    reporter = _BackupReporter(window)
    reporter.failed.connect(
        lambda message: window.say(f"Could not write a backup to {store.folder}: {message}")
    )

    def maybe(_change: object = None) -> None:
        if window.project is not project:
            return
        # Copied by a worker thread: a project of gigabytes never freezes the window.
        if store.due(project):
            store.start_in_background(lambda exc: reporter.failed.emit(str(exc)))

    maybe()
    project.subscribe(maybe)
    return store
