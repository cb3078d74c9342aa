"""The letters the window keeps for itself, and what is left of a label's letter."""

from __future__ import annotations

from annotator.core.model import Label
from annotator.core.project_labels import RESERVED_HOTKEYS


def label_letter(label: Label) -> str | None:
    """The label's letter key, unless the window keeps that letter (a, x, n accept,
    reject and move between suggestions; r links spans): then the label answers to
    its digit only."""
    if not label.hotkey or label.hotkey.lower() in RESERVED_HOTKEYS:
        return None
    return label.hotkey.lower()


def letters_lost(labels: list[Label]) -> list[Label]:
    """Labels of an older project whose letter the window now keeps."""
    return [x for x in labels if x.hotkey and x.hotkey.lower() in RESERVED_HOTKEYS]
