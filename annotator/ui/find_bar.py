"""Ctrl+F: find in the open article, every hit marked, and tag them all at once."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from annotator.ui.article_view import ArticleView


class FindBar(QWidget):
    """Below the article. Enter / Shift+Enter go to the next / previous hit; Ctrl+T
    (or "Tag all as…") then a label's key tags every hit as one undoable step; Esc
    closes the bar and leaves the current hit selected."""

    def __init__(
        self,
        parent: QWidget,
        view: ArticleView,
        tag_all: Callable[[list[tuple[int, int]], str], int],
    ) -> None:
        super().__init__(parent)
        self.view = view
        self._tag_all = tag_all
        self.hits: list[tuple[int, int]] = []  # code points, in reading order
        self.current: int | None = None
        self.awaiting_label = False
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Find in the article")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.refresh)
        self.field.installEventFilter(self)
        self.count = QLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setMinimumWidth(self.fontMetrics().horizontalAdvance("888 of 888") + 8)
        previous = self._button("↑", "Previous hit (Shift+Enter)", lambda: self.step(-1))
        following = self._button("↓", "Next hit (Enter)", lambda: self.step(1))
        self.tag_button = self._button(
            "Tag all as…", "Tag every hit: Ctrl+T, then a label's key", self.ask_label
        )
        close = self._button("✕", "Close (Esc)", self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(QLabel("Find", self))
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(self.tag_button)
        layout.addWidget(close)
        self.hide()

    def _button(self, text: str, tip: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda _=False: slot())
        return button

    def open_bar(self) -> None:
        """Show the bar with the field focused; a selected word becomes the query."""
        start, end = self.view.selection()
        words = self.view.text[start:end]
        if words and "\n" not in words:
            self.field.setText(words)
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        self.refresh()

    def close_bar(self) -> None:
        self.awaiting_label = False
        self.hide()
        self.view.set_find_hits([], None)
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def refresh(self) -> None:
        """Find the query again (typed, or another document opened)."""
        self.awaiting_label = False
        query = self.field.text()
        if not self.isVisible() or not query:
            self.hits, self.current = [], None
        else:
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            self.hits = [(m.start(), m.end()) for m in pattern.finditer(self.view.text)]
            cursor = self.view.selection()[0]
            after = [i for i, (start, _) in enumerate(self.hits) if start >= cursor]
            self.current = (after[0] if after else 0) if self.hits else None
        self._show()

    def step(self, direction: int) -> None:
        if not self.hits:
            return
        current = -1 if self.current is None else self.current
        self.current = (current + direction) % len(self.hits)
        self._show()

    def _show(self) -> None:
        query = self.field.text()
        if self.current is None:
            self.count.setText("no hits" if query else "")
        else:
            self.count.setText(f"{self.current + 1} of {len(self.hits)}")
            start, end = self.hits[self.current]
            self.view.select_range(start, end)
        self.view.set_find_hits(self.hits, self.current)
        self.tag_button.setEnabled(bool(self.hits))

    def ask_label(self) -> None:
        """Wait for a label's key, then tag every hit with that label."""
        if not self.hits:
            return
        self.awaiting_label = True
        self.count.setText(f"Tag all {len(self.hits)} as: press a label's key (Esc: no)")
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.field or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        key, mods = event.key(), event.modifiers()
        if self.awaiting_label:
            self.awaiting_label = False
            label = self.view.hotkeys.get(event.text().lower()) if event.text() else None
            if label is not None:
                self._tag_all(list(self.hits), label)
            self._show()
            return True
        if key == Qt.Key.Key_Escape:
            self.close_bar()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step(-1 if mods & Qt.KeyboardModifier.ShiftModifier else 1)
            return True
        if key == Qt.Key.Key_T and mods == Qt.KeyboardModifier.ControlModifier:
            self.ask_label()
            return True
        return False
