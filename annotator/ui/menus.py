"""Menus and shortcuts of the main window, and the file commands behind them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCursor, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog

from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.ui.settings import recent_projects

if TYPE_CHECKING:
    from annotator.ui import dialogs
    from annotator.ui.main_window import MainWindow

Std = QKeySequence.StandardKey


def _action(window: MainWindow, text: str, slot: object, *keys: object) -> QAction:
    action = QAction(text, window)
    sequences = [k if isinstance(k, QKeySequence) else QKeySequence(k) for k in keys]  # type: ignore[arg-type]
    if sequences:
        action.setShortcuts(sequences)
    action.triggered.connect(lambda _=False: slot())  # type: ignore[operator]
    window.addAction(action)
    return action


def build_menus(window: MainWindow) -> None:
    """File, Edit, Document, View, Help; every action also reachable by its keys."""
    bar = window.menuBar()

    window.file_menu = bar.addMenu("&File")
    window.file_menu.addAction(
        _action(window, "&New project…", lambda: new_project(window), Std.New)
    )
    window.file_menu.addAction(_action(window, "&Open…", lambda: open_project(window), Std.Open))
    window.recent_menu = window.file_menu.addMenu("Open &Recent")
    window.recent_menu.aboutToShow.connect(lambda: _fill_recent(window))
    window.file_menu.addSeparator()
    window.file_menu.addAction(
        _action(window, "&Import documents…", lambda: import_documents(window), "Ctrl+I")
    )
    window.file_menu.addAction(
        _action(window, "&Export…", lambda: export_project(window), "Ctrl+E")
    )
    window.file_menu.addAction(
        _action(window, "Restore from &backup…", lambda: _safety().restore_from_backup(window))
    )
    window.file_menu.addSeparator()
    window.save_action = _action(
        window, "All changes are saved", lambda: window.say("All changes are saved"), Std.Save
    )
    window.file_menu.addAction(window.save_action)
    window.file_menu.addSeparator()
    window.file_menu.addAction(_action(window, "&Quit", window.close, Std.Quit))

    edit = bar.addMenu("&Edit")
    window.edit_menu = edit
    window.undo_action = _action(window, "Undo", window.undo, Std.Undo)
    window.redo_action = _action(window, "Redo", window.redo, "Ctrl+Shift+Z", "Ctrl+Y")
    edit.addAction(window.undo_action)
    edit.addAction(window.redo_action)
    edit.addSeparator()
    window.delete_action = QAction("Delete span\tDel", window)
    window.delete_action.triggered.connect(lambda _=False: window.delete_selected_span())
    edit.addAction(window.delete_action)
    window.note_action = _action(window, "Note on span…", window.edit_note, "F2")
    edit.addAction(window.note_action)
    edit.addSeparator()
    window.snap_action = QAction("Snap selection to whole words", window)
    window.snap_action.setCheckable(True)
    window.snap_action.setChecked(window.snap_words)
    window.snap_action.setShortcut(QKeySequence("Ctrl+Shift+W"))
    window.snap_action.toggled.connect(window.toggle_snap)
    window.addAction(window.snap_action)
    edit.addAction(window.snap_action)

    document = bar.addMenu("&Document")
    document.addAction(
        _action(
            window,
            "Mark done and open next",
            window.mark_done_and_next,
            "Ctrl+Return",
            "Ctrl+Enter",
        )
    )
    document.addAction(_action(window, "Mark to do", lambda: window.set_status("todo")))
    document.addAction(_action(window, "Mark skipped", lambda: window.set_status("skipped")))
    document.addSeparator()
    document.addAction(
        _action(
            window, "Next document", lambda: window.go_to_neighbour(1), "Alt+Right", "Ctrl+PgDown"
        )
    )
    document.addAction(
        _action(
            window, "Previous document", lambda: window.go_to_neighbour(-1), "Alt+Left", "Ctrl+PgUp"
        )
    )

    view = bar.addMenu("&View")
    view.addAction(
        _action(window, "Zoom in", lambda: window.set_zoom(window.zoom + 1), Std.ZoomIn, "Ctrl+=")
    )
    view.addAction(
        _action(window, "Zoom out", lambda: window.set_zoom(window.zoom - 1), Std.ZoomOut)
    )
    view.addAction(_action(window, "Actual size", lambda: window.set_zoom(0), "Ctrl+0"))
    view.addSeparator()
    view.addAction(_action(window, "Next pane", lambda: window.focus_pane(1), "F6"))
    view.addAction(_action(window, "Previous pane", lambda: window.focus_pane(-1), "Shift+F6"))

    window.help_menu = bar.addMenu("&Help")
    window.help_menu.addAction(
        _action(window, "Keyboard shortcuts", lambda: window.help_overlay.toggle(), "F1")
    )
    window.help_menu.addAction(
        _action(window, "&Check project", lambda: _safety().check_project(window))
    )


def _fill_recent(window: MainWindow) -> None:
    window.recent_menu.clear()
    paths = recent_projects(window.settings)
    if not paths:
        window.recent_menu.addAction("(none yet)").setEnabled(False)
    for path in paths:
        action = window.recent_menu.addAction(path.replace("&", "&&"))  # no mnemonics
        action.triggered.connect(lambda _=False, p=path: window.open_project(p))


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
            from annotator.core.importing import ImportTally, summarise_import

            tally, passed_over = ImportTally(), list[str]()
            documents = read_inputs([path], fmt, passed_over=passed_over)
            report = window.project.add_documents(tally.count(documents, window.project.conn))
    except (AnnotatorError, OSError, ValueError) as exc:
        dialogs.show_error(window, "Nothing was imported", str(exc))
        return
    window.say(f"{Path(path).name}: " + " ".join(summarise_import(report, tally, passed_over)))
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
