"""A damaged file whose span lies outside its text still opens in the window."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from ui_helpers import make_project, open_window

from annotator.core import Project


def test_a_span_outside_its_text_does_not_stop_the_window(qtbot, tmp_path: Path) -> None:
    path = make_project(tmp_path / "p.annotator", "Short text here.")
    with Project.open(path) as project:
        document_id = project.document_ids()[0]
        outside = project.add_span(document_id, 0, 5, "PERSON")
        project.add_span(document_id, 6, 10, "PLACE")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute('UPDATE spans SET "end" = 99 WHERE id = ?', (outside.id,))
    conn.close()
    window = open_window(qtbot, path)
    window.open_document(document_id)
    window.view.viewport().repaint()
    # The sound span still works from the keyboard.
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    assert window.view.selected_span_id is not None
    assert window.view.toPlainText() == "Short text here."
