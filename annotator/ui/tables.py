"""The window's lists: their models' column titles, and tables that select whole rows, read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

Index = QModelIndex | QPersistentModelIndex


class HeaderedTableModel(QAbstractTableModel):
    """A table model whose column titles are its ``HEADERS``."""

    HEADERS: tuple[str, ...] = ()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class RowTable(QTableView):
    """A list of rows: Home and End go to the first and last row (a table's own
    Home and End move between the columns of the row, which a list of rows has no use for).

    ``keys`` sees each key pressed first and says whether it took it (a list's own
    keys, such as Delete in the relation list)."""

    def __init__(self, parent: QWidget, keys: Callable[[QKeyEvent], bool] | None = None) -> None:
        super().__init__(parent)
        self._keys = keys

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._keys is None or not self._keys(event):
            super().keyPressEvent(event)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        rows = self.model().rowCount() if self.model() is not None else 0
        action = QAbstractItemView.CursorAction
        if rows and cursorAction in (action.MoveHome, action.MoveEnd):
            row = 0 if cursorAction == action.MoveHome else rows - 1
            column = max(self.currentIndex().column(), 0)
            return self.model().index(row, column)
        return super().moveCursor(cursorAction, modifiers)


def row_table(
    parent: QWidget,
    model: QAbstractItemModel,
    keys: Callable[[QKeyEvent], bool] | None = None,
) -> QTableView:
    """A table that selects whole rows, one at a time, never edits, and has no grid
    or row numbers; rows are one line high so a long text never makes one taller.
    ``keys``: see :class:`RowTable`."""
    table = RowTable(parent, keys)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(parent.fontMetrics().height() + 8)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    return table


def caption(parent: QWidget, text: str = "") -> QLabel:
    """A pane's caption: bold, plain text (never HTML)."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("font-weight: 600;")
    return label


def captioned_table(pane: QWidget, title: QLabel, table: QTableView) -> None:
    """Lay ``pane`` out as its caption above its table, which takes the room."""
    layout = QVBoxLayout(pane)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(title)
    layout.addWidget(table, 1)
