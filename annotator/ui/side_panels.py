"""The span list (right) and the label bar (top), which doubles as the legend."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QToolButton,
    QWidget,
)

from annotator.core.colours import blend, readable_on
from annotator.core.model import Label, SpanExtent
from annotator.core.spancolumns import SpanColumns
from annotator.ui.keys import label_letter
from annotator.ui.style import muted_style
from annotator.ui.tables import HeaderedTableModel, caption, captioned_table, row_table

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

Index = QModelIndex | QPersistentModelIndex


class SpanTableModel(HeaderedTableModel):
    """The open document's spans: label, text, position.

    The rows are kept as columns (:class:`SpanColumns`); a row's span is made
    when Qt asks for it, so 10,000 rows cost arrays, not objects."""

    HEADERS = ("Label", "Text", "Start", "End")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spans = SpanColumns()
        self.text = ""  # the document's: each span's text is a slice of it
        self.colours: dict[str, QColor] = {}
        self.label_order: dict[str, int] = {}  # ties in reading order, as in the article
        self.sort_column = 2
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._keys: list[tuple[Any, ...]] | None = None
        self._icons: dict[str, QIcon] = {}

    @property
    def ids(self) -> Sequence[int]:
        """Span ids by row: row lookups stay in C."""
        return self.spans.ids

    def set_spans(self, spans: Sequence[SpanExtent], *, presorted: bool = False) -> None:
        """``presorted``: the spans come in reading order (as the project gives them)."""
        self.beginResetModel()
        reading_order = self.sort_column == 2 and self.sort_order == Qt.SortOrder.AscendingOrder
        if isinstance(spans, SpanColumns) and presorted and reading_order:
            self.spans = spans.copy()
            self._keys = None
        else:
            self.spans = SpanColumns.from_extents(spans)
            self._sort()
        self.endResetModel()

    def row_of(self, span_id: int) -> int | None:
        return self.spans.row_of(span_id)

    def apply(self, removed: list[int], added: list[SpanExtent]) -> None:
        """Take in an edit row by row, so a document of 10,000 spans is not re-sorted."""
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        if added and self._keys is None:
            self._keys = [self._key(span) for span in self.spans]
        keys = self._keys if self._keys is not None else []
        # A span changed where it stays in its row (a relabel, a note) is updated in
        # place: moving rows makes the table lay out and repaint everything it shows.
        kept = []
        for span in added:
            row = self.row_of(span.id)
            key = self._key(span)
            if row is not None and self._fits(keys, row, key, descending):
                self.spans.replace(row, span)
                keys[row] = key
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
            else:
                kept.append(span)
        if len(kept) < len(added):
            done = {span.id for span in added} - {span.id for span in kept}
            removed = [span_id for span_id in removed if span_id not in done]
            added = kept
        for span_id in [*removed, *(span.id for span in added)]:
            row = self.row_of(span_id)
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                self.spans.delete(row)
                if self._keys is not None:
                    del self._keys[row]
                self.endRemoveRows()
        for span in added:
            key = self._key(span)
            if descending:
                row = next((i for i, k in enumerate(keys) if k < key), len(keys))
            else:
                row = bisect_right(keys, key)
            self.beginInsertRows(QModelIndex(), row, row)
            self.spans.insert(row, span)
            keys.insert(row, key)
            self.endInsertRows()

    @staticmethod
    def _fits(
        keys: list[tuple[Any, ...]], row: int, key: tuple[Any, ...], descending: bool
    ) -> bool:
        """Whether ``key`` belongs in ``row`` between its neighbours."""
        before = keys[row - 1] if row > 0 else None
        after = keys[row + 1] if row + 1 < len(keys) else None
        if descending:
            before, after = after, before
        return (before is None or before < key) and (after is None or key < after)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted in Python, once: a proxy would call back into data() for every comparison."""
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self._sort()
        self.layoutChanged.emit()

    def _key(self, span: SpanExtent) -> tuple[Any, ...]:
        column = self.sort_column
        if column == 0:
            return (span.label, span.start, -span.end, span.id)
        if column == 1:
            return (self.text[span.start : span.end].casefold(), span.start, span.id)
        if column == 3:
            return (span.end, span.start, span.id)
        return (span.start, -span.end, self.label_order.get(span.label, 0), span.id)

    def _sort(self) -> None:
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        spans = list(self.spans)
        if self.sort_column == 2 and not descending:
            # Reading order, by stable sorts on one field each (least significant
            # first): they run in C, where a Python key costs milliseconds.
            order = self.label_order
            spans.sort(key=attrgetter("id"))
            spans.sort(key=lambda span: order.get(span.label, 0))
            spans.sort(key=attrgetter("end"), reverse=True)
            spans.sort(key=attrgetter("start"))
        else:
            spans.sort(key=self._key, reverse=descending)
        self.spans = SpanColumns.from_extents(spans, self.spans.names)
        self._keys = None  # made when an edit first needs them

    def icon(self, label: str) -> QIcon:
        icon = self._icons.get(label)
        if icon is None:
            icon = self._icons[label] = colour_icon(self.colours.get(label, QColor("#7F7F7F")))
        return icon

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spans)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every cell shown: the roles not answered
        # return before anything else is done.
        if role not in _ROLES or not index.isValid():
            return None
        span = self.spans[index.row()]
        column = index.column()
        if role == _DISPLAY:
            if column == 0:
                return span.label
            if column == 1:
                return " ".join(self.text[span.start : span.end].split())
            return span.start if column == 2 else span.end
        if role == _DECORATION:
            return self.icon(span.label) if column == 0 else None
        if role == _ALIGNMENT:
            return _RIGHT if column >= 2 else None
        return span.id  # UserRole

    def multiData(self, index: Index, roles: QModelRoleDataSpan | QModelRoleData) -> None:
        """All the roles a cell is painted with, in one call (data() would be called
        once per role, and each call from Qt into Python costs more than the answer)."""
        # Qt passes a span of role slots, iterable though PySide6's stubs do not say so.
        items = cast("Iterable[QModelRoleData]", roles)
        if not index.isValid():
            for item in items:
                item.clearData()
            return
        span = self.spans[index.row()]
        column = index.column()
        for item in items:
            role = item.role()
            if role == _DISPLAY:
                if column == 0:
                    item.setData(span.label)
                elif column == 1:
                    item.setData(" ".join(self.text[span.start : span.end].split()))
                else:
                    item.setData(span.start if column == 2 else span.end)
            elif role == _DECORATION and column == 0:
                item.setData(self.icon(span.label))
            elif role == _ALIGNMENT and column >= 2:
                item.setData(_RIGHT)
            elif role == _USER:
                item.setData(span.id)
            else:
                item.clearData()


_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_USER = Qt.ItemDataRole.UserRole.value
_ROLES = frozenset((_DISPLAY, _DECORATION, _ALIGNMENT, _USER))
_RIGHT = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value


class SpanPanel(QWidget):
    """Sortable list of spans; clicking one selects it in the article."""

    spanActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SpanTableModel(self)
        self.table = row_table(self, self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        # The scroll bar is always there: one appearing when a document's spans
        # outgrow the panel would narrow the Text column after the first paint and
        # make the table lay out and paint everything it shows a second time.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        header = self.table.horizontalHeader()
        # Fixed widths: sizing to contents would measure rows again on every edit.
        metrics = self.fontMetrics()
        for column, sample in ((0, "PERSON"), (2, "999999"), (3, "999999")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(
                column, metrics.horizontalAdvance(sample) + (36 if column == 0 else 14)
            )
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._activated)
        self.table.activated.connect(self._activated)
        self.title = caption(self, "Spans")
        captioned_table(self, self.title, self.table)

    def set_spans(
        self,
        spans: Sequence[SpanExtent],
        text: str,
        colours: dict[str, QColor],
        label_order: dict[str, int],
        *,
        presorted: bool = False,
    ) -> None:
        self.model.text = text
        if colours is not self.model.colours:  # a new set of colours: icons anew
            self.model.colours = colours
            self.model._icons = {}
        self.model.label_order = label_order
        self.model.set_spans(spans, presorted=presorted)
        self.title.setText(f"Spans ({len(spans)})")

    def apply(self, removed: list[int], added: list[SpanExtent]) -> None:
        self.model.apply(removed, added)
        self.title.setText(f"Spans ({self.model.rowCount()})")

    def show_span(self, span_id: int | None) -> None:
        """Select the row of ``span_id`` (or none) without emitting anything."""
        row = self.model.row_of(span_id) if span_id is not None else None
        if row is None:
            self.table.clearSelection()
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def _activated(self, index: QModelIndex) -> None:
        span_id = index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole)
        if span_id is not None:
            self.spanActivated.emit(int(span_id))


class LabelBar(QWidget):
    """One button per label in its colour, with its hotkeys: the legend too."""

    labelClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QToolButton] = {}
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 6, 8, 6)
        self._layout.setSpacing(8)

    def set_labels(self, labels: list[Label]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # out of sight now: deleted when the event loop gets to it
                widget.deleteLater()
        self.buttons = {}
        caption = QLabel("Labels", self)
        caption.setTextFormat(Qt.TextFormat.PlainText)
        caption.setStyleSheet(muted_style(self, "font-weight: 600;"))
        self._layout.addWidget(caption)
        for number, label in enumerate(labels, start=1):
            keys = [str(number)] if number <= 9 else []
            letter = label_letter(label)  # a, x, n and r are the window's own
            if letter:
                keys.append(letter)
            button = QToolButton(self)
            button.setText(f"{label.name}   {' / '.join(keys)}" if keys else label.name)
            # The description when the pointer rests on the button, as plain text.
            button.setToolTip(_plain_tip(label.description))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoRaise(False)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet(_button_style(label.colour, self.palette().color(_WINDOW).name()))
            button.clicked.connect(lambda _=False, name=label.name: self.labelClicked.emit(name))
            self.buttons[label.name] = button
            self._layout.addWidget(button)
        self._layout.addStretch(1)


_WINDOW = QPalette.ColorRole.Window


def _plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` as written: Qt would read markup in it as HTML."""
    if not text.strip():
        return ""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<p style='white-space:pre-wrap'>{escaped}</p>"  # (no `html` import at start-up)


BUTTON_TINT = 60 / 255
BUTTON_HOVER = 110 / 255


def _button_style(colour: str, window: str) -> str:
    """A label's button: tinted in its colour, solid when pressed, and its text in
    black or white, whichever reads better on each (white on QUOTE's orange would
    be 2.3:1)."""
    states = []
    for state, background in (
        ("", blend(colour, window, BUTTON_TINT)),
        (":hover", blend(colour, window, BUTTON_HOVER)),
        (":pressed", colour),
    ):
        states.append(
            f"QToolButton{state} {{ background: {background}; color: {readable_on(background)}; }}"
        )
    return (
        "QToolButton {"
        f" border: 2px solid {colour}; border-radius: 5px; padding: 3px 10px;"
        " font-weight: 600; }" + "".join(states)
    )


def colour_icon(colour: QColor, size: int = 12) -> QIcon:
    # Made by PySide6 when first named, with their enums: only once a label is listed.
    from PySide6.QtGui import QIcon, QPixmap

    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(colour)
    painter.setPen(colour.darker(130))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)
