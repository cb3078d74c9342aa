"""Ctrl+Shift+F: search every document of the project through its full-text index."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import STATUSES
from annotator.core.project import Project
from annotator.core.search import Hit, search_project
from annotator.ui.document_list import STATUS_MARK
from annotator.ui.tables import HeaderedTableModel, row_table

Index = QModelIndex | QPersistentModelIndex


class HitModel(HeaderedTableModel):
    """One row a document: its name, status and a line of context, the hit marked."""

    HEADERS = ("Document", "Status", "Context")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hits: list[Hit] = []

    def set_hits(self, hits: list[Hit]) -> None:
        self.beginResetModel()
        self.hits = hits
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        hit = self.hits[index.row()]
        column = index.column()
        if column == 0:
            return hit.name
        if column == 1:
            return STATUS_MARK.get(hit.status, hit.status)
        return hit.marked("»", "«")


class ProjectSearch(QDialog):
    """Query, filters (status; not yet tagged as a label) and the documents found;
    Enter (or a double click) opens the document with the hit selected."""

    hitOpened = Signal(int, int, int)  # document id, start, end (code points)

    def __init__(self, parent: QWidget, project: Callable[[], Project | None]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search the project")
        self._project = project
        self.query = QLineEdit(self)
        self.query.setPlaceholderText('Words, "a phrase", Kim* OR Putin (FTS5)')
        self.query.setClearButtonEnabled(True)
        self.query.installEventFilter(self)
        self.status = QComboBox(self)
        self.status.addItem("Any status", None)
        for status in STATUSES:
            self.status.addItem(f"Only {status}", status)
        self.not_tagged = QComboBox(self)
        self.model = HitModel(self)
        self.table = row_table(self, self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.query.textChanged.connect(self.run)
        self.status.currentIndexChanged.connect(self.run)
        self.not_tagged.currentIndexChanged.connect(self.run)
        filters = QHBoxLayout()
        filters.addWidget(self.status)
        filters.addWidget(QLabel("where the hit is not yet tagged", self))
        filters.addWidget(self.not_tagged)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.resize(820, 460)

    def open_search(self) -> None:
        """Show the dialog with the labels of the open project and the query selected."""
        project = self._project()
        chosen = self.not_tagged.currentData()
        self.not_tagged.blockSignals(True)
        self.not_tagged.clear()
        self.not_tagged.addItem("(no label filter)", None)
        for label in project.labels if project is not None else []:
            self.not_tagged.addItem(label.name, label.name)
        found = self.not_tagged.findData(chosen)
        self.not_tagged.setCurrentIndex(max(found, 0))
        self.not_tagged.blockSignals(False)
        self.show()
        self.raise_()
        self.activateWindow()
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()
        self.run()

    def run(self) -> None:
        project = self._project()
        if project is None:
            self.model.set_hits([])
            self.message.setText("Open a project first")
            return
        try:
            hits = search_project(
                project,
                self.query.text(),
                status=self.status.currentData(),
                not_tagged=self.not_tagged.currentData(),
            )
        except AnnotatorError as exc:
            self.model.set_hits([])
            self.message.setText(str(exc))
            return
        self.model.set_hits(hits)
        if self.query.text().strip():
            self.message.setText(f"{len(hits)} document{'s' * (len(hits) != 1)}")
        else:
            self.message.setText("")
        if hits:
            self.table.selectRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down or Enter in the query goes to the results (Enter opens the first)."""
        key_press = isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
        if watched is not self.query or not key_press or not self.model.hits:
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() == Qt.Key.Key_Down:
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._open(self.table.currentIndex())
            return True
        return False

    def _open(self, index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.row() if index.isValid() else 0
        if not 0 <= row < len(self.model.hits):
            return
        hit = self.model.hits[row]
        self.hitOpened.emit(hit.document_id, hit.start, hit.end)
