"""Line spacing for the article, which Qt's plain-text layout does not offer.

``QPlainTextDocumentLayout`` ignores a block's line height, so the lines of
each block are moved apart here after Qt has laid them out: every line keeps
its own height and gets ``(factor - 1) × height`` of space, half above and half
below. Cursor, hit-testing, painting and the span rectangles all read line
positions from the layout, so they follow.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

SPACINGS = (1.0, 1.15, 1.5, 2.0)  # the choices View › Line spacing offers


class SpacedLayout(QPlainTextDocumentLayout):
    """A plain-text layout whose lines stand ``factor`` times their height apart."""

    def __init__(self, document: QTextDocument, factor: float) -> None:
        super().__init__(document)
        self.factor = factor

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)  # lays the block out if it is not
        layout = block.layout()
        count = layout.lineCount()
        if not count or not block.isVisible():
            return rect
        first = layout.lineAt(0)
        pad = first.height() * (self.factor - 1) / 2
        if abs(first.y() - pad) > 0.01:  # just laid out by Qt: spread the lines
            y = 0.0
            for i in range(count):
                line = layout.lineAt(i)
                half = line.height() * (self.factor - 1) / 2
                line.setPosition(QPointF(line.x(), y + half))
                y += line.height() * self.factor
        last = layout.lineAt(count - 1)
        bottom = last.y() + last.height() * (1 + (self.factor - 1) / 2)
        if not block.next().isValid():
            bottom += self.document().documentMargin()
        return QRectF(0, 0, rect.width(), bottom)
