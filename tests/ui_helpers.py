"""Helpers the window tests share: open a window on a project, select as a person would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor, QTextDocument

from annotator.core import Project


def make_project(path: Path, *texts: str) -> Path:
    """A project file holding ``texts`` as documents (named doc1, doc2, ...)."""
    with Project.create(path) as project:
        for n, text in enumerate(texts, start=1):
            project.add_document(text, name=f"doc{n}")
    return path


def open_window(qtbot, path: Path):
    """The real main window on ``path``, shown and active (shortcuts reach it)."""
    from annotator.app import create_window

    window = create_window(path)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.waitUntil(lambda: window.settled)  # the parts made once it is painted
    window.view.setFocus()
    return window


def find_in_view(window, words: str, occurrence: int = 0) -> None:
    """Select ``words`` with the widget's own find: no offset arithmetic of ours."""
    doc: QTextDocument = window.view.document()
    cursor = QTextCursor(doc)
    for _ in range(occurrence + 1):
        cursor = doc.find(words, cursor)
        assert not cursor.isNull(), words
    window.view.setTextCursor(cursor)


def point_of(view, view_position: int) -> QPoint:
    """Viewport point just right of the cursor place ``view_position``."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view_position)
    rect = view.cursorRect(cursor)
    return QPoint(rect.x() + 2, rect.center().y())


def click_at(qtbot, view, view_position: int) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(view, view_position))


def selected(window) -> tuple[str, str]:
    """The selected span's label and text, as stored."""
    span = window.project.span(window.view.selected_span_id)
    return span.label, span.text


def stored(window) -> list[tuple[str, str, int, int]]:
    """The person's spans as stored (no suggestions): (label, text, start, end), in
    document order."""
    spans = window.project.spans(window.document_id, [window.project.annotator])
    return [(s.label, s.text, s.start, s.end) for s in spans]


def run_python(script: str) -> subprocess.CompletedProcess[str]:
    """``script`` in a fresh interpreter (a start as a person's), its output as text."""
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
