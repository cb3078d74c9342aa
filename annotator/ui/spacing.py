"""Line spacing and the room for arcs, which Qt's plain-text layout does not offer.

``QPlainTextDocumentLayout`` ignores a block's line height, so the lines of
each block are moved apart here after Qt has laid them out: every line keeps
its own height, gets ``(factor - 1) × height`` of space, half above and half
below, and besides a fixed ``room`` above it: the band where arcs and their
names are drawn (:mod:`annotator.ui.arcs`). The room is the same whether a line
has arcs or not, so the text never moves as relations come and go (an empty
line, which can hold none, gets no room: paragraphs stay apart as they were). Cursor,
hit-testing, painting and the span rectangles all read line positions from the
layout, so they follow.

A block is spread when Qt asks for its rectangle, which Qt does for the blocks
it shows (and a page of them at the end, for the scroll bar): never for all of a
long document. A new factor or room is taken up the same way, block by block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

SPACINGS = (1.0, 1.15, 1.5, 2.0)  # the choices View › Line spacing offers
ROOM = 1.1  # the band above each line for arcs, in heights of the article's font


class SpacedLayout(QPlainTextDocumentLayout):
    """A plain-text layout whose lines stand ``factor`` times their height apart,
    each with ``room`` pixels above it."""

    def __init__(self, document: QTextDocument, factor: float = 1.0, room: float = 0.0) -> None:
        super().__init__(document)
        self.factor = factor
        self.room = room
        # Within one paint the layout stands still, and Qt, the spans and the arcs ask
        # for the same blocks' rectangles again and again: kept for the paint only.
        self._painting: dict[int, QRectF] | None = None

    @contextmanager
    def one_paint(self) -> Iterator[None]:
        """Remember each block's rectangle while the view paints (nothing else lays the
        text out meanwhile); forget them after."""
        outer = self._painting is not None
        if not outer:
            self._painting = {}
        try:
            yield
        finally:
            if not outer:
                self._painting = None

    def set_spacing(self, factor: float, room: float) -> None:
        """Take a new factor and room: each block is spread anew when next asked for,
        and the view repaints and sizes its scroll bar again."""
        if abs(factor - self.factor) < 1e-6 and abs(room - self.room) < 1e-6:
            return
        self.factor, self.room = factor, room
        self.documentSizeChanged.emit(self.documentSize())
        self.requestUpdate()

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        painting = self._painting
        if painting is None:
            return self._spread(block)
        number = block.blockNumber()
        found = painting.get(number)
        if found is None:
            found = painting[number] = self._spread(block)
        return found

    def _spread(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)  # lays the block out if it is not
        factor = self.factor
        room = self.room if block.length() > 1 else 0.0  # an empty line holds no arcs
        layout = block.layout()
        count = layout.lineCount()
        if not count or not block.isVisible():
            return rect
        first = layout.lineAt(0)
        spread = factor - 1
        if abs(first.y() - room - first.height() * spread / 2) > 0.01:
            # Laid out by Qt (its first line at 0), or spread for another setting.
            # (With factor 1 and no room, Qt's own layout passes this check as it is.)
            y = 0.0
            for i in range(count):
                line = layout.lineAt(i)
                height = line.height()
                line.setPosition(QPointF(line.x(), y + room + height * spread / 2))
                y += room + height * factor
        last = layout.lineAt(count - 1)
        bottom = last.y() + last.height() * (1 + spread / 2)
        if not block.next().isValid():
            bottom += self.document().documentMargin()
        return QRectF(0, 0, rect.width(), bottom)
