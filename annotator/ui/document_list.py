"""The document list: lazy, so 100,000 documents open as fast as ten.

Only the ids are read up front (one integer a document); names, statuses and
span counts are read a page at a time when a row is first shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import STATUSES, DocumentSummary
from annotator.core.project import Project
from annotator.ui.tables import HeaderedTableModel, caption, row_table

PAGE = 200
STATUS_MARK = {"todo": "○ todo", "done": "✓ done", "skipped": "– skipped"}

Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(HeaderedTableModel):
    """Rows are document ids; summaries are fetched by page for the rows shown."""

    HEADERS = ("Document", "Status", "Spans")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.status: str | None = None
        self.count = 0
        self._pages: dict[int, list[DocumentSummary]] = {}

    def set_project(self, project: Project | None, status: str | None = None) -> None:
        """Show ``project``'s documents: only their number is read now, the rows as
        they scroll into view, a page at a time."""
        self.beginResetModel()
        self.project = project
        self.status = status
        self.count = project.count_documents(status) if project is not None else 0
        self._pages = {}
        self.endResetModel()

    def reload(self) -> None:
        self.set_project(self.project, self.status)

    def row_of(self, document_id: int) -> int | None:
        if self.project is None:
            return None
        row = self.project.list_row(document_id, self.status)
        return row if row is not None and row < self.count else None

    def refresh_document(self, document_id: int, span_count: int | None = None) -> None:
        """Re-read one document's row (after its spans or status changed). The open
        document's ``span_count``, which the window keeps as edits come, saves a count
        of its spans in SQLite an edit."""
        row = self.row_of(document_id)
        if row is None:
            return
        page = self._pages.get(row // PAGE)
        if page is not None and self.project is not None and row % PAGE < len(page):
            shown = page[row % PAGE]
            if span_count is not None and shown.id == document_id:
                if shown.span_count == span_count:
                    return  # nothing to redraw
                page[row % PAGE] = shown._replace(span_count=span_count)
            else:  # only this row is read again: the page's others have not changed
                found = self.project.summaries([document_id])
                if found:
                    page[row % PAGE] = found[0]
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def summary(self, row: int) -> DocumentSummary | None:
        if self.project is None or not 0 <= row < self.count:
            return None
        page = row // PAGE
        summaries = self._pages.get(page)
        if summaries is None:
            summaries = self.project.summaries_page(page * PAGE, PAGE, self.status)
            if len(self._pages) > 50:
                self._pages.clear()
            self._pages[page] = summaries
        offset = row - page * PAGE
        return summaries[offset] if offset < len(summaries) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        summary = self.summary(index.row())
        if summary is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return summary.name
            if column == 1:
                return STATUS_MARK.get(summary.status, summary.status)
            return summary.span_count
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return summary.id
        return None


class DocumentPanel(QWidget):
    """List, status filter and progress ("12 / 40 done")."""

    documentActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel(self)
        self.table = row_table(self, self.model)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: sizing to contents would read a thousand rows to measure them.
        metrics = self.fontMetrics()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, metrics.horizontalAdvance("– skipped") + 20)
        header.resizeSection(2, metrics.horizontalAdvance("Spans") + 24)
        header.setHighlightSections(False)
        self.table.clicked.connect(self._activated)
        self.table.activated.connect(self._activated)

        self.filter = QComboBox(self)
        self.filter.addItem("All documents", None)
        for status in STATUSES:
            self.filter.addItem(f"Only {status}", status)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.progress_text = QLabel(self)
        self.progress_text.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)

        title = caption(self, "Documents")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress_text)
        layout.addWidget(self.progress)

    def set_project(self, project: Project | None) -> None:
        self.model.set_project(project, self.filter.currentData())
        self.update_progress()

    def update_progress(self) -> None:
        project = self.model.project
        if project is None:
            self.progress_text.setText("No project open")
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            return
        total = project.count_documents()
        done = project.count_documents("done")
        self.progress_text.setText(f"{done} / {total} done")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def show_current(self, document_id: int | None) -> None:
        """Highlight the open document's row without opening anything."""
        row = self.model.row_of(document_id) if document_id is not None else None
        selection = self.table.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self.model.index(row, 0)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _activated(self, index: QModelIndex) -> None:
        document_id = self.model.data(index, Qt.ItemDataRole.UserRole)
        if document_id is not None:
            self.documentActivated.emit(int(document_id))

    def _filter_changed(self) -> None:
        self.model.set_project(self.model.project, self.filter.currentData())
