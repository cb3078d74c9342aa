"""Making the window's actions: one place, so every key is set the same way."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def make_action(parent: QWidget, text: str, slot: Callable[[], object], *keys: str) -> QAction:
    """An action of ``parent``'s (the window), answering to ``keys`` wherever the window
    has the focus. Keys are written out ("Ctrl+Z"), not taken from the platform's
    standard keys, so the F1 sheet can name exactly the keys the window answers to."""
    action = QAction(parent)  # QAction(text, parent) would make PySide6's QIcon class
    action.setText(text)  # (an overload takes an icon), with 150 enum members, at start
    if keys:
        action.setShortcuts([QKeySequence(key) for key in keys])
    action.triggered.connect(lambda _=False: slot())
    parent.addAction(action)
    return action
