"""Menus and shortcuts of the main window, and the file commands behind them."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QDialog

from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.ui.actions import make_action
from annotator.ui.settings import recent_projects

if TYPE_CHECKING:
    from annotator.ui import dialogs
    from annotator.ui.editing import EditController
    from annotator.ui.main_window import MainWindow


class Menus:
    """File, Edit, Document, View, Help: the menu bar, and the actions it alone owns.

    The edit actions belong to the window's :class:`EditController` and are only
    placed here. Every action also answers to its keys (the window holds it).
    """

    def __init__(self, window: MainWindow, edits: EditController) -> None:
        self.window = window
        bar = window.menuBar()
        act = functools.partial(make_action, window)

        self.file_menu = bar.addMenu("&File")
        self.file_menu.addAction(act("&New project…", lambda: new_project(window), "Ctrl+N"))
        self.file_menu.addAction(act("&Open…", lambda: open_project(window), "Ctrl+O"))
        self.recent_menu = self.file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.file_menu.addSeparator()
        self.file_menu.addAction(
            act("&Import documents…", lambda: import_documents(window), "Ctrl+I")
        )
        self.file_menu.addAction(act("&Export…", lambda: export_project(window), "Ctrl+E"))
        self.file_menu.addAction(
            act("Restore from &backup…", lambda: _safety().restore_from_backup(window))
        )
        self.file_menu.addSeparator()
        self.save_action = act(
            "All changes are saved", lambda: window.say("All changes are saved"), "Ctrl+S"
        )
        self.file_menu.addAction(self.save_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(act("&Quit", window.close, "Ctrl+Q"))

        self.edit_menu = bar.addMenu("&Edit")
        self.edit_menu.addAction(edits.undo_action)
        self.edit_menu.addAction(edits.redo_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(edits.delete_action)
        self.edit_menu.addAction(edits.note_action)
        self.edit_menu.addAction(window.relations.link_action)
        self.edit_menu.addAction(window.relations.delete_action)
        self.edit_menu.addSeparator()
        self.find_action = act("&Find in the article…", window.show_find_bar, "Ctrl+F")
        self.edit_menu.addAction(self.find_action)
        self.search_action = act("&Search the project…", window.show_project_search, "Ctrl+Shift+F")
        self.edit_menu.addAction(self.search_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(edits.snap_action)

        self.document_menu = bar.addMenu("&Document")
        self.document_menu.addAction(
            act("Mark done and open next", window.mark_done_and_next, "Ctrl+Return", "Ctrl+Enter")
        )
        self.document_menu.addAction(act("Mark to do", lambda: window.set_status("todo")))
        self.document_menu.addAction(act("Mark skipped", lambda: window.set_status("skipped")))
        self.document_menu.addSeparator()
        self.document_menu.addAction(
            act("Next document", lambda: window.go_to_neighbour(1), "Alt+Right", "Ctrl+PgDown")
        )
        self.document_menu.addAction(
            act("Previous document", lambda: window.go_to_neighbour(-1), "Alt+Left", "Ctrl+PgUp")
        )

        self.view_menu = bar.addMenu("&View")
        self.view_menu.addAction(
            act("Zoom in", lambda: window.set_zoom(window.zoom + 1), "Ctrl++", "Ctrl+=")
        )
        self.view_menu.addAction(
            act("Zoom out", lambda: window.set_zoom(window.zoom - 1), "Ctrl+-")
        )
        self.view_menu.addAction(act("Actual size", lambda: window.set_zoom(0), "Ctrl+0"))
        self.view_menu.addAction(window.relations.tags_action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(act("Next pane", lambda: window.focus_pane(1), "F6"))
        self.view_menu.addAction(act("Previous pane", lambda: window.focus_pane(-1), "Shift+F6"))

        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(
            act("Keyboard shortcuts", lambda: window.help_overlay.toggle(), "F1")
        )
        self.help_menu.addAction(act("&Check project", lambda: _safety().check_project(window)))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        paths = recent_projects(self.window.settings)
        if not paths:
            self.recent_menu.addAction("(none yet)").setEnabled(False)
        for path in paths:
            action = self.recent_menu.addAction(path.replace("&", "&&"))  # no mnemonics
            action.triggered.connect(lambda _=False, p=path: self.window.open_project(p))


@contextmanager
def _busy() -> Iterator[None]:
    """A wait cursor for the block, put back however the block ends."""
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def new_project(window: MainWindow) -> None:
    from annotator.ui import dialogs  # loaded when first needed

    path = dialogs.ask_new_path(window)
    if path is None:
        return
    try:
        project = Project.create(path)
    except (AnnotatorError, OSError) as exc:
        dialogs.show_error(window, "Cannot create the project", str(exc))
        return
    window.set_project(project)


def open_project(window: MainWindow) -> None:
    from annotator.ui import dialogs  # loaded when first needed

    path = dialogs.ask_open_path(window)
    if path is not None:
        window.open_project(path)


def import_documents(window: MainWindow, dialog: dialogs.ImportDialog | None = None) -> None:
    """Read documents in the chosen format; all or nothing, with a message saying which."""
    from annotator.ui import dialogs  # loaded when first needed

    if window.project is None or window.project.read_only:
        window.say("Open a project you can edit first")
        return
    dialog = dialog or dialogs.ImportDialog(window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    chosen = dialog.chosen()
    if chosen is None:
        return
    fmt, path = chosen
    try:
        with _busy():
            from annotator.core.formats import read_inputs  # loaded when first used
            from annotator.core.importing import summarise_import

            passed_over: list[str] = []
            documents = read_inputs([path], fmt, passed_over=passed_over)
            report = window.project.add_documents(documents)
    except (AnnotatorError, OSError, ValueError) as exc:
        dialogs.show_error(window, "Nothing was imported", str(exc))
        return
    window.say(f"{Path(path).name}: " + " ".join(summarise_import(report, passed_over)))
    if window.document_id is None and report.document_ids:
        window.open_document(report.document_ids[0])


def export_project(window: MainWindow, dialog: dialogs.ExportDialog | None = None) -> None:
    from annotator.ui import dialogs  # loaded when first needed

    if window.project is None:
        window.say("Open a project first")
        return
    project = window.project
    dialog = dialog or dialogs.ExportDialog([label.name for label in project.labels], window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    chosen = dialog.chosen()
    if chosen is None:
        return
    fmt, path, status, labels = chosen
    try:
        with _busy():
            from annotator.core.formats import write_output  # loaded when first used

            report = write_output(project, path, fmt.name, status=status, labels=labels)
    except (AnnotatorError, OSError, ValueError) as exc:
        dialogs.show_error(window, "Export failed", str(exc))
        return
    message = f"Exported {report.documents} documents, {report.spans} spans to {path.name}"
    if report.lost:
        lost = ", ".join(f"{count} {reason}" for reason, count in report.lost.items())
        message += f" (the format could not hold: {lost})"
    window.say(message)


def _safety() -> ModuleType:
    """The backup and check commands, loaded when their menu is first used."""
    from annotator.ui import safety

    return safety
