"""The article: read-only plain text with the spans painted under it.

Only the blocks on screen are painted, from a :class:`SpanIndex` kept in view
positions; an edit repaints the region it touched. Every conversion between
view positions and stored offsets goes through the document's ``ViewMap``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QKeyCombination,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QToolTip, QWidget

from annotator.core.colours import DIM_TINT, readable_on, readable_tint, span_tints
from annotator.core.offsets import ViewMap
from annotator.core.spancolumns import SpansById
from annotator.core.spanindex import LayeredIndex, SpanIndex
from annotator.ui.arcs import RelationLayer
from annotator.ui.keys import label_letter
from annotator.ui.spacing import ROOM, SpacedLayout

if TYPE_CHECKING:  # Qt makes each class's enums when the class is first loaded
    from PySide6.QtGui import QContextMenuEvent, QMouseEvent, QPaintEvent

    from annotator.core.model import Label, Relation, Span, SpanExtent
    from annotator.core.spanindex import Entry

EDGE_GRAB_PX = 6  # how near a span's edge the pointer must be to drag it

# Keys that only move the cursor: pressed without Shift they let go of the selected
# span, so a span is never changed by a key that looks like moving on.
MOVE_KEYS = frozenset(
    (
        Qt.Key.Key_Left,
        Qt.Key.Key_Right,
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
        Qt.Key.Key_PageUp,
        Qt.Key.Key_PageDown,
    )
)


class ArticleView(QPlainTextEdit):
    """Shows one document; reports what the person asks for through signals.

    The window decides what an action means (tag, relabel, delete); the view
    only knows positions, the spans to paint and which span is selected.
    """

    labelRequested = Signal(str)  # label name, from its hotkey
    deleteRequested = Signal()
    edgeRequested = Signal(str, int)  # "start"/"end", -1 or +1
    resizeRequested = Signal(int, int, int)  # span id, start, end (code points)
    spanSelected = Signal(int)  # span id, or -1 for none
    helpRequested = Signal()
    contextMenuWanted = Signal(QPoint)
    spanHovered = Signal(int)  # span id under the pointer, or -1 for none
    linkDragged = Signal(int, int)  # Alt+drag from one span (head) to another (child)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Our own layout, which spaces the lines and keeps room for arcs above them
        # (set_line_spacing, set_arc_room); the document lives as long as the view.
        document = QTextDocument(self)
        self.spacing = SpacedLayout(document)
        document.setDocumentLayout(self.spacing)
        self.setDocument(document)
        self.line_spacing = 1.0  # set_line_spacing
        self.arc_room = False  # set_arc_room: the project has relation types
        self.relations_shown = True  # set_relations_shown: View › Show relations
        self._serial = 0  # a new document or layout: cached span rectangles are stale
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.setCursorWidth(2)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.document().setDocumentMargin(14)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 11.0) + 1)
        self.set_article_font(font)
        self.view_map = ViewMap("")
        self.text = ""
        self.spans = SpansById()
        # Annotator and note of one span, read when the hover shows it.
        self.details: Callable[[int], Span | None] | None = None
        # What a dragged edge snaps to (code points in and out), so the drag shows
        # the extent the span will get.
        self.snap_extent: Callable[[int, int], tuple[int, int]] | None = None
        self.index = SpanIndex()
        # Other layers' spans, shown read-only and dimmed: never selected, edited or
        # deleted (clicks, Tab and edges look only at ``index``).
        self.others = LayeredIndex()
        self._after_next_paint: list[Callable[[], None]] = [self._watch]
        self._handed_on = 0  # callbacks given to the event loop after a paint, not yet run
        self.colours: dict[str, QColor] = {}
        self._brush_cache: dict[str, tuple[QColor, QColor, QColor]] = {}
        self._dim_cache: dict[str, tuple[QColor, QColor]] = {}
        self._rect_cache: dict[tuple[int, int, int], list[tuple[QRectF, bool, bool]]] = {}
        self._rect_key: tuple[object, ...] = ()
        self.label_order: dict[str, int] = {}
        self.hotkeys: dict[str, str] = {}
        self.selected_span_id: int | None = None
        self._keep_span = False  # moving the cursor to a span must not deselect it
        self._click_place: int | None = None
        self._drag_edge: str | None = None
        self._drag_extent: tuple[int, int] | None = None
        self._pending_edge: tuple[Entry, str] | None = None
        self._press_pos: QPoint | None = None
        self.hover = QLabel(self, Qt.WindowType.ToolTip)
        self.hover.setTextFormat(Qt.TextFormat.PlainText)
        self.hover.setWordWrap(True)
        self.hover.setMaximumWidth(420)
        self.hover.setMargin(6)
        self.hover.setPalette(QToolTip.palette())
        self.hover.setAutoFillBackground(True)
        self.hover.setFrameShape(QLabel.Shape.Box)
        self.hover.hide()
        self.selectionChanged.connect(self._on_selection_changed)
        self.relation_layer = RelationLayer()
        self.hovered_span_id: int | None = None
        self.chosen_relation: int | None = None  # picked in the relation list: drawn strong
        self._link_from: int | None = None  # the span an Alt+drag started on
        # Painted last, over the text, spans and arcs (the relation chooser's numbers,
        # label tags, compare mode's marks): each is called with a painter on the
        # viewport and the area to paint.
        self.overlays: list[Callable[[QPainter, QRect], None]] = []
        self.viewport().setMouseTracking(True)  # the resize cursor over a span's edge
        # The keys the article answers to itself (the window's actions answer the rest),
        # by their portable names, or by the character they type ("?", "a"): the F1
        # sheet is checked against this table.
        self.commands: dict[str, Callable[[], None]] = {
            "Del": self.deleteRequested.emit,
            "Backspace": self.deleteRequested.emit,
            "Esc": self.let_go,
            "Tab": lambda: self.step_span(backwards=False),
            "Shift+Tab": lambda: self.step_span(backwards=True),
            "Alt+Shift+Left": lambda: self.edgeRequested.emit("start", -1),
            "Alt+Shift+Right": lambda: self.edgeRequested.emit("start", 1),
            "Alt+Shift+Up": lambda: self.edgeRequested.emit("end", -1),
            "Alt+Shift+Down": lambda: self.edgeRequested.emit("end", 1),
            "?": self.helpRequested.emit,
        }

    # --- content ---------------------------------------------------------------------

    def set_labels(self, labels: list[Label]) -> None:
        """Colours, stacking order and hotkeys (1-9 by order, and each label's letter)."""
        self.colours = {label.name: QColor(label.colour) for label in labels}
        self._brush_cache = {}
        self._dim_cache = {}
        self.label_order = {label.name: label.position for label in labels}
        self.hotkeys = {}
        for number, label in enumerate(labels[:9], start=1):
            self.hotkeys[str(number)] = label.name
        for label in labels:
            letter = label_letter(label)  # a, x, n and r are the window's own
            if letter:
                self.hotkeys[letter] = label.name
        if len(self.index):  # ties between equal extents follow the label order
            self.index = SpanIndex(self.index.items(), self.label_order)
        self.viewport().update()

    def set_document(self, text: str, spans: Sequence[SpanExtent]) -> None:
        """Show ``text`` (plain, never HTML) with its spans; one ViewMap for the document.

        ``spans`` come in the project's reading order (:meth:`Project.span_extents`).
        """
        self.text = text
        self._serial += 1  # a new document: cached geometry is stale
        self.view_map = ViewMap(text)
        self.selected_span_id = None
        self._click_place = None
        self.spans = SpansById(spans)
        self.index = self._index(spans)
        self.relation_layer.clear()  # the window gives the new document's with set_relations
        self.others = LayeredIndex()  # the window gives the other layers' with set_other_layers
        self.hovered_span_id = None
        self.chosen_relation = None
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def replace_spans(self, spans: Sequence[SpanExtent]) -> None:
        """All spans anew (labels renamed or recoloured), keeping the text and the cursor."""
        selected = self.selected_span_id
        self.spans = SpansById(spans)
        self.relation_layer.spans_moved(self.spans)
        self.index = self._index(spans)
        self.selected_span_id = selected if selected in self.spans else None
        self.viewport().update()

    def set_other_layers(
        self, names: Sequence[str], read: Callable[[str, int | None], Sequence[SpanExtent]]
    ) -> None:
        """Other layers' spans, drawn dimmed and read-only. ``read(name, before)`` gives
        a layer's spans in the project's reading order: those starting before the code
        point ``before``, or all of them for None.

        A document just opened shows its top: each layer is read as far as the screen
        reaches, and the rest when first asked for (:meth:`complete_other_layers`).
        """
        self.others = LayeredIndex()
        reach = self.screen_reach()
        for name in names:
            if reach is None:
                self.others.add_whole(name, self._index(read(name, None)))
                continue
            upto = self.view_map.from_view(reach, round_up=True)
            rest = self._reader_of(read, name)
            self.others.add_prefix(name, self._index(read(name, upto)), reach, rest)
            self.after_next_paint(self.complete_other_layers)
        self.viewport().update()

    def _reader_of(
        self, read: Callable[[str, int | None], Sequence[SpanExtent]], name: str
    ) -> Callable[[], SpanIndex]:
        return lambda: self._index(read(name, None))

    def complete_other_layers(self) -> None:
        """Read the rest of the other layers shown only as far as the screen reached."""
        self.others.complete()

    def after_next_paint(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` from the event loop once the article has next been painted:
        what the first sight of a document or a project does not need waits until it
        is on screen."""
        if callback not in self._after_next_paint:
            self._after_next_paint.append(callback)

    @property
    def waiting_for_paint(self) -> bool:
        """Whether something waits for the article's next paint, or has been handed to
        the event loop after it and not yet run."""
        return bool(self._after_next_paint) or self._handed_on > 0

    def _run_after_paint(self, callback: Callable[[], None]) -> None:
        try:
            callback()
        finally:
            self._handed_on -= 1

    def screen_reach(self) -> int | None:
        """The view position at the end of the last block on screen, or None when that
        is far into the document (most of it is on screen or above it)."""
        viewport = self.viewport()
        last = self.cursorForPosition(QPoint(viewport.width(), viewport.height()))
        block = last.block()
        reach = block.position() + block.length()
        return reach if reach * 2 < self.view_map.view_length else None

    def set_relations(
        self,
        relations: Iterable[Relation],
        colours: Mapping[str, str],
        touched: Iterable[int] | None = None,
    ) -> None:
        """The open document's relations, drawn as arcs in their type's colour.

        ``touched``: the spans whose relations changed; only their lines (and the
        room for arcs above them) are repainted, as an edit of a span repaints its own.
        """
        self.relation_layer.set_relations(relations, colours)
        if touched is None:
            self.viewport().update()
        else:
            self.repaint_arc_lines(touched)

    def set_line_spacing(self, factor: float) -> None:
        """Lines ``factor`` times their height apart (1.0: as Qt lays them out).

        The text, the cursor and the selected span stay; the lines move apart.
        """
        if abs(factor - self.line_spacing) < 1e-6:
            return
        self.line_spacing = factor
        self.relayout()

    def set_arc_room(self, room: bool) -> None:
        """Keep a band above every line for arcs (while the project has relation types
        and relations are shown), whether or not a line has arcs: the text does not
        move as relations are made, deleted or undone."""
        if room != self.arc_room:
            self.arc_room = room
            self.relayout()

    def set_relations_shown(self, shown: bool) -> None:
        """View › Show relations: arcs drawn, with their room above every line, or neither."""
        if shown != self.relations_shown:
            self.relations_shown = shown
            self.relayout()

    def arc_band(self) -> float:
        """Pixels clear of text above every line, where arcs are drawn (0: no room kept)."""
        if not (self.arc_room and self.relations_shown):
            return 0.0
        return self.spacing.room + self.fontMetrics().height() * (self.line_spacing - 1) / 2

    def relayout(self) -> None:
        """The layout takes the spacing and room (in the font's height), block by block."""
        wanted = self.arc_room and self.relations_shown
        room = float(round(self.fontMetrics().height() * ROOM)) if wanted else 0.0
        self.spacing.set_spacing(self.line_spacing, room)
        self._serial += 1  # cached span rectangles are stale
        self.viewport().update()

    def clear_document(self) -> None:
        self.set_document("", [])

    def _index(self, spans: Sequence[SpanExtent]) -> SpanIndex:
        if self.view_map.identity:  # the common case: view positions are code points
            return SpanIndex(spans, self.label_order, presorted=True)
        return SpanIndex(map(self._in_view, spans), self.label_order)

    def _in_view(self, span: SpanExtent) -> SpanExtent:
        """The span with view positions, as the index keeps it."""
        if self.view_map.identity:
            return span
        to_view = self.view_map.to_view
        return span._replace(start=to_view(span.start), end=to_view(span.end))

    def update_spans(self, removed: list[int], added: list[SpanExtent]) -> None:
        """Take in an edit and repaint only the part of the screen it touched."""
        for span_id in removed:
            self.spans.pop(span_id, None)
        for span in added:
            self.spans[span.id] = span
        self.relation_layer.spans_moved([*removed, *(span.id for span in added)])
        region = self.index.update(removed, [self._in_view(span) for span in added])
        if self.selected_span_id is not None and self.selected_span_id not in self.spans:
            self.selected_span_id = None
        if region is not None:
            self.repaint_region(*region)

    def repaint_region(self, vstart: int, vend: int) -> None:
        """Ask for a repaint of the lines holding view positions [vstart, vend)."""
        rect = self.region_rect(vstart, vend)
        if rect is not None:
            self.viewport().update(rect)

    def region_rect(self, vstart: int, vend: int) -> QRect | None:
        doc = self.document()
        first = doc.findBlock(vstart)
        last = doc.findBlock(max(vstart, vend - 1))
        if not first.isValid():
            return None
        if not last.isValid():
            last = doc.lastBlock()
        offset = self.contentOffset()
        top = self.blockBoundingGeometry(first).translated(offset).top()
        bottom = self.blockBoundingGeometry(last).translated(offset).bottom()
        height = self.viewport().height()
        if bottom < 0 or top > height:
            return None
        return QRect(0, int(top) - 1, self.viewport().width(), int(bottom - top) + 3)

    # --- positions ---------------------------------------------------------------------

    def selection(self) -> tuple[int, int]:
        """The text selection in code points (start <= end)."""
        cursor = self.textCursor()
        return self.view_map.from_view_range(cursor.selectionStart(), cursor.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        """Select text[start:end] (code points), as a person's drag would."""
        self.set_selected_span(None)
        cursor = self.textCursor()
        cursor.setPosition(self.view_map.to_view(start))
        cursor.setPosition(self.view_map.to_view(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def selected_span(self) -> SpanExtent | None:
        return None if self.selected_span_id is None else self.spans.get(self.selected_span_id)

    def place_cursor(self, position: int) -> None:
        """Put the text cursor at ``position`` (code points), with nothing selected."""
        cursor = self.textCursor()
        cursor.setPosition(self.view_map.to_view(position))
        self.setTextCursor(cursor)

    def let_go(self) -> None:
        """Esc: no text selected and no span selected."""
        self.let_go_of_text()
        self.set_selected_span(None)

    def let_go_of_text(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def copy_selection_or_span(self) -> None:
        """Copy the selected text, or else the selected span's text (from the document)."""
        span = self.selected_span()
        if self.textCursor().hasSelection() or span is None:
            self.copy()
            return
        QGuiApplication.clipboard().setText(self.text[span.start : span.end])

    def set_find_hits(self, hits: list[tuple[int, int]], current: int | None) -> None:
        """Mark every hit of the find bar (code points); ``current`` stronger."""
        # Made by PySide6 when first named, with their enums: not before the first paint.
        from PySide6.QtGui import QTextCharFormat
        from PySide6.QtWidgets import QTextEdit

        selections = []
        for n, (start, end) in enumerate(hits):
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.view_map.to_view(start))
            cursor.setPosition(self.view_map.to_view(end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            fmt = QTextCharFormat()
            background = "#FF9F1C" if n == current else "#FFE066"
            fmt.setBackground(QColor(background))
            fmt.setForeground(QColor(readable_on(background)))  # dark text on a dark theme too
            selection.format = fmt
            selections.append(selection)
        self.setExtraSelections(selections)

    def set_selected_span(self, span_id: int | None, *, scroll: bool = False) -> None:
        old = self.index.get(self.selected_span_id) if self.selected_span_id is not None else None
        self.selected_span_id = span_id if span_id in self.spans else None
        new = self.index.get(self.selected_span_id) if self.selected_span_id is not None else None
        for entry in (old, new):
            if entry is not None:
                self.repaint_region(entry.start, entry.end)
        # Its arcs are drawn stronger, and the spans at their other ends marked.
        self.update_relation_lines([i for i in (old, new) if i is not None])
        if new is not None and scroll:
            cursor = self.textCursor()
            cursor.setPosition(new.start)
            self._keep_span = True
            self.setTextCursor(cursor)
            self._keep_span = False
            self.ensureCursorVisible()
        self.spanSelected.emit(-1 if self.selected_span_id is None else self.selected_span_id)

    def _on_selection_changed(self) -> None:
        keep = self._keep_span or self._drag_edge is not None
        if self.textCursor().hasSelection() and not keep and self.selected_span_id is not None:
            self.set_selected_span(None)

    def _character_at(self, point: QPoint) -> int | None:
        """The view position of the character under ``point`` (None past the text)."""
        cursor = self.cursorForPosition(point)
        position = cursor.position()
        rect = self.cursorRect(cursor)
        spread = self.spacing.room > 0 or self.line_spacing != 1.0
        if spread and not rect.top() <= point.y() <= rect.bottom():
            return None  # between lines (Qt answers the end of the line above)
        if point.x() < rect.x() and position > 0:
            position -= 1
        block = self.document().findBlock(position)
        if not block.isValid() or position >= block.position() + block.length() - 1:
            return None
        return position

    def spans_at_point(self, point: QPoint) -> list[Entry]:
        position = self._character_at(point)
        return [] if position is None else self.index.at(position)

    # --- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        with self.spacing.one_paint():
            self._paint_all(event)
        if self._after_next_paint:  # the screen is drawn: now the rest
            callbacks, self._after_next_paint = self._after_next_paint, []
            self._handed_on += len(callbacks)
            for callback in callbacks:
                QTimer.singleShot(0, partial(self._run_after_paint, callback))

    def _paint_all(self, event: QPaintEvent) -> None:
        """The spans under the text, the text, the arcs and the overlays over it."""
        if len(self.index) or self.others or self._drag_extent is not None:
            painter = QPainter(self.viewport())
            try:
                self._paint_spans(painter, event.rect())
            finally:
                painter.end()
        super().paintEvent(event)
        hovered = self.hovered_span_id
        if self.relations_shown:
            self.relation_layer.paint(
                self,
                self.spans,
                self.view_map,
                self.text,
                self.selected_span_id,
                also=frozenset(()) if hovered is None else frozenset((hovered,)),
                chosen=self.chosen_relation,
                area=event.rect(),
                band=self.arc_band(),
            )
        if self.overlays:
            painter = QPainter(self.viewport())
            try:
                for overlay in self.overlays:
                    overlay(painter, event.rect())
            finally:
                painter.end()

    def span_rects(self, span_id: int) -> list[QRectF]:
        """Where a span is painted on screen, one rectangle a line (none if off screen)."""
        entry = self.index.get(span_id)
        if entry is None:
            return []
        doc = self.document()
        block = doc.findBlock(entry.start)
        offset = self.contentOffset()
        height = self.viewport().height()
        rects: list[QRectF] = []
        while block.isValid() and block.position() < max(entry.end, entry.start + 1):
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            if geometry.bottom() >= 0 and block.isVisible():
                origin = geometry.topLeft()
                for rect, _, _ in _line_rects(block, entry.start, entry.end):
                    rects.append(rect.translated(origin))
            block = block.next()
        return rects

    def show_position(self, position: int) -> None:
        """Scroll so that ``position`` (code points) is in sight, keeping the span selected."""
        cursor = self.textCursor()
        cursor.setPosition(self.view_map.to_view(position))
        self._keep_span = True
        self.setTextCursor(cursor)
        self._keep_span = False
        rect, line = self.cursorRect(), self.fontMetrics().height()
        if rect.top() < 2 * line or rect.bottom() > self.viewport().height() - line:
            self.centerCursor()  # with the lines around it, and room for its number

    def update_relation_lines(self, entries: Iterable[Entry | int]) -> None:
        """Repaint the lines of these spans' relations (both ends, with the room for
        arcs above them), not the whole screen."""
        ids = {entry if isinstance(entry, int) else entry.id for entry in entries}
        if not ids or not self.relation_layer.relations:
            return
        ends = set(ids)
        for relation in self.relation_layer.relations:
            if relation.head in ids or relation.child in ids:
                ends.add(relation.head)
                ends.add(relation.child)
        self.repaint_arc_lines(ends)

    def repaint_arc_lines(self, span_ids: Iterable[int]) -> None:
        """Repaint the lines of these spans with the room for arcs above them."""
        band = self.arc_band()  # inside the block already; without it, arcs rise higher
        room = int(band) + 2 if band else self.fontMetrics().height() * 2
        for span_id in span_ids:
            entry = self.index.get(span_id)
            rect = None if entry is None else self.region_rect(entry.start, entry.end)
            if rect is not None:
                self.viewport().update(rect.adjusted(0, -room, 0, 0))

    def _set_hovered(self, span_id: int | None) -> None:
        if span_id == self.hovered_span_id:
            return
        old, self.hovered_span_id = self.hovered_span_id, span_id
        self.update_relation_lines([i for i in (old, span_id) if i is not None])
        self.spanHovered.emit(-1 if span_id is None else span_id)

    def range_rects(self, start: int, end: int) -> list[tuple[QRectF, bool, bool]]:
        """Viewport rectangles of text[start:end] (code points) on the blocks on screen,
        a line each, with whether it holds the first and the last character: for
        what is drawn over the article."""
        vstart, vend = self.view_map.to_view(start), self.view_map.to_view(end)
        offset = self.contentOffset()
        bottom = self.viewport().height()
        found: list[tuple[QRectF, bool, bool]] = []
        block = self.document().findBlock(vstart)
        while block.isValid() and block.position() < max(vend, vstart + 1):
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > bottom:
                break
            if geometry.bottom() >= 0 and block.isVisible():
                origin = geometry.topLeft()
                for rect, first, last in _line_rects(block, vstart, vend):
                    found.append((rect.translated(origin), first, last))
            block = block.next()
        return found

    def _paint_spans(self, painter: QPainter, area: QRect) -> None:
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        bar = max(3.0, round(self.fontMetrics().height() / 7))
        selected = self.index.get(self.selected_span_id) if self.selected_span_id else None
        outline: list[QRectF] = []
        # Rectangles relative to their block depend only on the layout: keep them
        # until the width, the font or the document changes.
        layout_key = (self.viewport().width(), self.font().pointSizeF(), self._serial)
        if layout_key != self._rect_key:
            self._rect_cache.clear()
            self._rect_key = layout_key
        elif len(self._rect_cache) > 20_000:
            self._rect_cache.clear()
        cache = self._rect_cache
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > area.bottom():
                break
            if geometry.bottom() >= area.top() and block.isVisible():
                start = block.position()
                end = start + block.length() - 1
                origin = geometry.topLeft()
                dimmed = []
                for entry in self.others.overlapping(start, max(end, start + 1)):
                    rects = [
                        (rect.translated(origin), f, la)
                        for rect, f, la in self._rects(block, entry.start, entry.end)
                    ]
                    self._paint_dimmed_fill(painter, entry, rects)
                    dimmed.append((entry, rects))
                for entry in self.index.overlapping(start, max(end, start + 1)):
                    extent = (entry.start, entry.end)
                    is_selected = selected is not None and entry.id == selected.id
                    if self._drag_extent is not None and is_selected:
                        extent = self._drag_extent
                    key = (start, *extent)
                    relative = cache.get(key)
                    if relative is None:
                        relative = cache[key] = _line_rects(block, *extent)
                    origin = geometry.topLeft()
                    rects = [(rect.translated(origin), f, la) for rect, f, la in relative]
                    self._paint_entry(painter, entry, rects, extent, bar)
                    if is_selected:
                        outline.extend(rect for rect, _, _ in rects)
                for entry, rects in dimmed:
                    self._paint_dimmed_line(painter, entry, rects)
            block = block.next()
        if outline and selected is not None:
            colour = self.colours.get(selected.label, QColor("#444444")).darker(160)
            painter.setPen(QPen(colour, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for rect in outline:
                painter.drawRect(rect.adjusted(0, 1, 0, -1))

    def _rects(self, block: QTextBlock, vstart: int, vend: int) -> list[tuple[QRectF, bool, bool]]:
        """A span's rectangles in ``block``, relative to it (cached with the layout)."""
        key = (block.position(), vstart, vend)
        found = self._rect_cache.get(key)
        if found is None:
            found = self._rect_cache[key] = _line_rects(block, vstart, vend)
        return found

    def _dim_colours(self, label: str) -> tuple[QColor, QColor]:
        """An other layer's span: a faint tint and its label's colour for the dots
        (cached with the other brushes)."""
        found = self._dim_cache.get(label)
        if found is None:
            colour = self.colours.get(label, QColor("#7F7F7F"))
            page = self.palette().color(QPalette.ColorRole.Base).name()
            text = self.palette().color(QPalette.ColorRole.Text).name()
            tint = QColor(readable_tint(colour.name(), page, DIM_TINT, text))
            found = self._dim_cache[label] = (tint, colour)
        return found

    def _paint_dimmed_fill(
        self, painter: QPainter, entry: Entry, rects: list[tuple[QRectF, bool, bool]]
    ) -> None:
        tint, _ = self._dim_colours(entry.label)
        for rect, _, _ in rects:
            painter.fillRect(rect, tint)

    def _paint_dimmed_line(
        self, painter: QPainter, entry: Entry, rects: list[tuple[QRectF, bool, bool]]
    ) -> None:
        """A dotted underline in the label's colour, below any span of one's own."""
        _, colour = self._dim_colours(entry.label)
        pen = QPen(colour, 2, Qt.PenStyle.DotLine)
        painter.setPen(pen)
        for rect, _, _ in rects:
            y = rect.bottom() - 1 - min(entry.track, 3) * 3
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))

    def extent_rects(self, vstart: int, vend: int) -> list[tuple[QRectF, bool, bool]]:
        """Viewport rectangles of view positions [vstart, vend) on each line on screen,
        with whether each holds the first and the last character: for overlays."""
        rects: list[tuple[QRectF, bool, bool]] = []
        offset = self.contentOffset()
        height = self.viewport().height()
        block = self.document().findBlock(vstart)
        while block.isValid() and block.position() < max(vend, vstart + 1):
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            if geometry.bottom() >= 0 and block.isVisible():
                origin = geometry.topLeft()
                rects.extend(
                    (rect.translated(origin), first, last)
                    for rect, first, last in _line_rects(block, vstart, vend)
                )
            block = block.next()
        return rects

    def _brushes(self, label: str) -> tuple[QColor, QColor, QColor]:
        """A label's solid colour, its background tint and its nested tint (cached).

        The tints are opaque (:func:`span_tints` over the page's colour): a nested
        span covers the outer one's tint and keeps its own label's hue.
        """
        found = self._brush_cache.get(label)
        if found is None:
            colour = self.colours.get(label, QColor("#7F7F7F"))
            page = self.palette().color(QPalette.ColorRole.Base).name()
            text = self.palette().color(QPalette.ColorRole.Text).name()
            tint, nested = span_tints(colour.name(), page, text)
            found = self._brush_cache[label] = (colour, QColor(tint), QColor(nested))
        return found

    def _paint_entry(
        self,
        painter: QPainter,
        entry: Entry,
        rects: list[tuple[QRectF, bool, bool]],
        extent: tuple[int, int],
        bar: float,
    ) -> None:
        colour, tint, nested_tint = self._brushes(entry.label)
        if entry.track == 0:
            fill = tint
            for rect, first, last in rects:
                painter.fillRect(rect, fill)
                # Solid ends tell two touching spans of one label apart.
                if first:
                    painter.fillRect(QRectF(rect.left(), rect.top(), 2, rect.height()), colour)
                if last:
                    painter.fillRect(QRectF(rect.right() - 2, rect.top(), 2, rect.height()), colour)
            return
        # Nested: a box in the label's own (opaque) tint inset from the top by depth,
        # and a solid bar at the bottom stacked by depth, so each level keeps its own
        # edges and colour.
        fill = nested_tint
        inset = min(entry.track * 3.0, rect_height(rects) / 3)
        for rect, first, last in rects:
            left = rect.left() + (1 if first else 0)
            right = rect.right() - (1 if last else 0)
            width = max(1.0, right - left)
            y = rect.bottom() - bar - (entry.track - 1) * (bar + 1)
            painter.fillRect(QRectF(left, rect.top() + inset, width, y - rect.top() - inset), fill)
            painter.fillRect(QRectF(left, y, width, bar), colour)
            if first:
                painter.fillRect(
                    QRectF(left, rect.top() + inset, 1.5, y - rect.top() - inset), colour
                )
            if last:
                painter.fillRect(
                    QRectF(right - 1.5, rect.top() + inset, 1.5, y - rect.top() - inset), colour
                )

    def set_article_font(self, font: QFont) -> None:
        """Show the article in ``font``; the room for arcs follows its height."""
        self.setFont(font)
        self.relayout()

    def zoom_by(self, steps: int) -> None:
        """The article's font ``steps`` points larger (smaller if negative)."""
        self.zoomIn(steps)
        self.relayout()

    def _watch(self) -> None:
        """From the first paint on, a :class:`_Watcher` sees a font or palette that
        comes from outside (Ctrl+wheel zoom, a new theme) and the pointer resting on or
        leaving the text. Not before: the first Python handler given a plain QEvent
        makes PySide6 build some fifty event classes, which the first paint does not
        need (so the view does not define one itself)."""
        self.palette_changed()  # a theme applied before the first paint
        watcher = _Watcher(self)
        self.installEventFilter(watcher)
        self.viewport().installEventFilter(watcher)

    def palette_changed(self) -> None:
        """Tints are worked out again from the new page."""
        self._brush_cache = {}
        self._dim_cache = {}
        self.hover.setPalette(QToolTip.palette())
        self.viewport().update()

    def pointer_left(self) -> None:
        """The pointer left the text: its details and its span's highlight go."""
        self.hover.hide()
        self._set_hovered(None)

    # --- keys and mouse ------------------------------------------------------------------

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab (without Ctrl or Alt) step through spans rather than leave
        the article. Qt asks this only for those keys, so no other event of the article
        goes through Python."""
        self.commands["Tab" if next else "Shift+Tab"]()
        return True

    def step_span(self, *, backwards: bool = False) -> None:
        """Select the next (or previous) span in reading order."""
        current = self.index.get(self.selected_span_id) if self.selected_span_id else None
        position = current.start if current else self.textCursor().position()
        if current is None and backwards:
            position += 1
        if current is not None:
            target = self.index.neighbour(current.id, backwards=backwards)
        else:
            target = self.index.next_after(position - 1, backwards=backwards)
        if target is not None:
            self.set_selected_span(target.id, scroll=True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        name = QKeySequence(QKeyCombination(mods, event.keyCombination().key())).toString(
            QKeySequence.SequenceFormat.PortableText
        )
        command = self.commands.get(name)
        plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
        text = event.text()
        if command is None and text and (plain or text == "?"):
            command = self.commands.get(text)  # named by what it types: "?", "a"
        if command is not None:
            command()
            return
        if plain and text and text.lower() in self.hotkeys:
            self.labelRequested.emit(self.hotkeys[text.lower()])
            return
        if event.key() in MOVE_KEYS and not mods & Qt.KeyboardModifier.ShiftModifier:
            self.set_selected_span(None)  # moving on lets go of the span
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_pos = event.position().toPoint()
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if event.button() == Qt.MouseButton.LeftButton and alt:
            # Alt+drag from one span to another links them.
            entries = self.spans_at_point(self._press_pos)
            if entries:
                self._link_from = entries[-1].id
                self.set_selected_span(self._link_from)
                self.viewport().setCursor(Qt.CursorShape.CrossCursor)
                return
        if event.button() == Qt.MouseButton.LeftButton:
            # On any span's edge: a drag of that edge once the pointer moves; a
            # click (no move) still selects as a click does.
            self._pending_edge = self._edge_under(self._press_pos)
            if self._pending_edge is not None:
                return
        super().mousePressEvent(event)

    def _edge_under(self, point: QPoint) -> tuple[Entry, str] | None:
        """The span whose start or end is under ``point`` (the selected span first,
        else the innermost), and which edge."""
        position = self.cursorForPosition(point).position()
        entries = self.index.overlapping(max(position - 1, 0), position + 1)
        entries.sort(key=lambda entry: (entry.id != self.selected_span_id, -entry.track))
        for entry in entries:
            for edge, place in (("start", entry.start), ("end", entry.end)):
                if abs(place - position) > 1:
                    continue
                cursor = QTextCursor(self.document())
                cursor.setPosition(place)
                rect = self.cursorRect(cursor)
                near = abs(point.x() - rect.x()) <= EDGE_GRAB_PX
                if near and rect.top() <= point.y() <= rect.bottom():
                    return entry, edge
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._link_from is not None:
            return
        pending = self._pending_edge
        if pending is not None and self._press_pos is not None:
            if (point - self._press_pos).manhattanLength() > 3:
                entry, edge = pending
                self._pending_edge = None
                self.set_selected_span(entry.id)
                self._drag_edge = edge
                self._drag_extent = (entry.start, entry.end)
            else:
                return
        if self._drag_edge is not None and self._drag_extent is not None:
            position = self.cursorForPosition(point).position()
            start, end = self._drag_extent
            if self._drag_edge == "start":
                start = min(position, end - 1)
            else:
                end = max(position, start + 1)
            old = self._drag_extent
            self._drag_extent = self._snapped(start, end)
            start, end = self._drag_extent
            self.repaint_region(min(old[0], start), max(old[1], end))
            return
        if self.hover.isVisible():
            self.hover.hide()
        if event.buttons() == Qt.MouseButton.NoButton:
            under = self.spans_at_point(point) if self.relation_layer.relations else []
            self._set_hovered(under[-1].id if under else None)
            over_edge = self._edge_under(point) is not None
            shape = Qt.CursorShape.SizeHorCursor if over_edge else Qt.CursorShape.IBeamCursor
            if self.viewport().cursor().shape() != shape:
                self.viewport().setCursor(shape)
        super().mouseMoveEvent(event)

    def dragged_extent(self) -> tuple[int, int] | None:
        """The extent painted while an edge is dragged (code points), or None."""
        if self._drag_extent is None:
            return None
        return self.view_map.from_view_range(*self._drag_extent)

    def _snapped(self, vstart: int, vend: int) -> tuple[int, int]:
        """A dragged extent (view positions) as it will be stored."""
        if self.snap_extent is None:
            return vstart, vend
        start, end = self.snap_extent(*self.view_map.from_view_range(vstart, vend))
        if start >= end:
            return vstart, vend
        return self.view_map.to_view(start), self.view_map.to_view(end)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._link_from is not None:
            head, self._link_from = self._link_from, None
            self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
            entries = [e for e in self.spans_at_point(point) if e.id != head]
            if entries:
                self.linkDragged.emit(head, entries[-1].id)
            return
        if self._pending_edge is not None:  # pressed on an edge, not moved: a click
            self._pending_edge = None
            self.let_go_of_text()
            self._click_select(point)
            return
        if self._drag_edge is not None and self._drag_extent is not None:
            span_id = self.selected_span_id
            vstart, vend = self._drag_extent
            self._drag_edge = None
            self._drag_extent = None
            if span_id is not None:
                start, end = self.view_map.from_view_range(vstart, vend)
                self.resizeRequested.emit(span_id, start, end)
            self.viewport().update()
            return
        super().mouseReleaseEvent(event)
        moved = self._press_pos is not None and (point - self._press_pos).manhattanLength() > 3
        left = event.button() == Qt.MouseButton.LeftButton
        if left and not moved and not self.textCursor().hasSelection():
            self._click_select(point)

    def _click_select(self, point: QPoint) -> None:
        """Innermost span first; clicking the same place again steps outward."""
        position = self._character_at(point)
        entries = [] if position is None else self.index.at(position)
        if not entries:
            self._click_place = None
            self.set_selected_span(None)
            return
        ids = [entry.id for entry in entries]
        if self._click_place == position and self.selected_span_id in ids:
            i = ids.index(self.selected_span_id)
            chosen = ids[i - 1] if i > 0 else ids[-1]
        else:
            chosen = ids[-1]
        self._click_place = position
        self.set_selected_span(chosen)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if not self.textCursor().hasSelection():
            entries = self.spans_at_point(event.pos())
            if entries and self.selected_span_id not in [e.id for e in entries]:
                self.set_selected_span(entries[-1].id)
        self.contextMenuWanted.emit(event.globalPos())

    def hover_text(self, point: QPoint) -> str:
        """What hovering shows: label, text, annotator and note of each span there."""
        parts = []
        for entry in self.spans_at_point(point):
            span = self.spans.get(entry.id)
            if span is None:
                continue
            words = " ".join(self.text[span.start : span.end].split())
            if len(words) > 160:
                words = words[:159] + "…"
            details = self.details(span.id) if self.details is not None else None
            annotator = details.annotator if details is not None else ""
            lines = [f"{span.label}: “{words}”", f"by {annotator or 'unknown'}"]
            if details is not None and details.note:
                lines.append(f"Note: {details.note}")
            parts.append("\n".join(lines))
        position = self._character_at(point)
        for entry in [] if position is None else self.others.at(position):
            start, end = self.view_map.from_view_range(entry.start, entry.end)
            words = " ".join(self.text[start:end].split())
            if len(words) > 160:
                words = words[:159] + "…"
            layer = self.others.layer_of(entry.id) or ""
            parts.append(f"{entry.label}: “{words}”\nby {layer} (another layer: read-only)")
        return "\n\n".join(parts)

    def show_hover(self, point: QPoint, global_point: QPoint) -> None:
        text = self.hover_text(point)
        if not text:
            self.hover.hide()
            return
        self.hover.setText(text)
        self.hover.adjustSize()
        self.hover.move(global_point + QPoint(12, 16))
        self.hover.show()


def _line_rects(block: QTextBlock, vstart: int, vend: int) -> list[tuple[QRectF, bool, bool]]:
    """Rectangles of [vstart, vend) on each line of ``block`` (relative to the block),
    with whether each holds the span's first and last character."""
    layout = block.layout()
    base = block.position()
    rects = []
    count = layout.lineCount()
    # Start at the span's first line of this block, stop after its last.
    first = layout.lineForTextPosition(max(vstart - base, 0))
    for i in range(first.lineNumber() if first.isValid() else 0, count):
        line = layout.lineAt(i)
        line_start = base + line.textStart()
        line_end = line_start + line.textLength()
        if vend <= line_start:
            break
        if vstart >= line_end:
            continue
        s = max(vstart, line_start)
        e = min(vend, line_end)
        x1 = _x(line.cursorToX(s - base))
        # A span running on past this line fills it to the end of its text.
        x2 = line.x() + line.naturalTextWidth() if vend > line_end else _x(line.cursorToX(e - base))
        if x2 < x1:
            x1, x2 = x2, x1
        rect = QRectF(x1, line.y(), max(x2 - x1, 1.0), line.height())
        rects.append((rect, vstart >= line_start, vend <= line_end))
    return rects


def _x(found: object) -> float:
    """The x of ``QTextLine.cursorToX``, which PySide6 returns as (x, position)."""
    value = found[0] if isinstance(found, tuple) else found
    assert isinstance(value, int | float)
    return float(value)


def rect_height(rects: list[tuple[QRectF, bool, bool]]) -> float:
    return rects[0][0].height() if rects else 0.0


class _Watcher(QObject):
    """The article's changes of font and palette, and the pointer over its text."""

    def __init__(self, view: ArticleView) -> None:
        super().__init__(view)
        self.view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        view = self.view
        if watched is view:
            if kind == QEvent.Type.PaletteChange:
                view.palette_changed()
            elif kind == QEvent.Type.FontChange:
                view.relayout()
        elif kind == QEvent.Type.ToolTip:  # a QHelpEvent
            view.show_hover(event.pos(), event.globalPos())  # type: ignore[attr-defined]
            return True
        elif kind == QEvent.Type.Leave:
            view.pointer_left()
        return False
