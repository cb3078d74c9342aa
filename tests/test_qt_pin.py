"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a method that
returns nothing, and the process dies with "none_dealloc" after a few thousand calls.
pyproject.toml pins PySide6-Essentials<6.12 below Python 3.12; this fails if an upgrade
brings the leak back."""

from __future__ import annotations

import sys

import pytest


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_qt_calls_do_not_leak_references_to_none(qtbot) -> None:
    from PySide6.QtWidgets import QPlainTextEdit

    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    before = sys.getrefcount(None)
    for i in range(1000):
        editor.setReadOnly(bool(i % 2))
    drift = sys.getrefcount(None) - before
    assert abs(drift) < 100, f"None's reference count moved by {drift} over 1,000 calls"
