"""Colours of the window's own texts, chosen to read at 4.5:1 or more (WCAG 2, AA).

The style's defaults do not all reach it: Fusion's selection (white on
#308CC6) is 3.7:1, and ``palette(mid)`` as a caption colour is under 2:1. The
colours are worked out from whatever palette is in force (light or dark) with
:mod:`annotator.core.colours`, never fixed, so a dark theme stays readable too.
"""

from __future__ import annotations

import copy
from functools import lru_cache

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from annotator.core.colours import blend, readable_on, with_contrast

_GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
Role = QPalette.ColorRole


def shown(colour: QColor, over: QColor) -> str:
    """What a colour with transparency looks like painted over ``over``."""
    return blend(colour.name(), over.name(), colour.alphaF())


def readable_palette(palette: QPalette) -> QPalette:
    """``palette`` with its selection and placeholder colours brought to 4.5:1.

    Disabled texts are left as they are: WCAG asks no contrast of an inactive
    control, and their greying is what says they are inactive.
    """
    # A copy by __copy__: the QPalette(QPalette) constructor's first call costs 30-60 ms
    # of PySide6 overload set-up, on the start-up path.
    result = copy.copy(palette)
    for group in _GROUPS:
        selected_text = palette.color(group, Role.HighlightedText).name()
        highlight = palette.color(group, Role.Highlight).name()
        result.setColor(
            group,
            Role.Highlight,
            QColor(with_contrast(highlight, [selected_text], readable_on(selected_text))),
        )
        base = palette.color(group, Role.Base)
        backgrounds = [base.name(), shown(palette.color(group, Role.AlternateBase), base)]
        placeholder = shown(palette.color(group, Role.PlaceholderText), base)
        text = palette.color(group, Role.Text).name()
        result.setColor(
            group, Role.PlaceholderText, QColor(with_contrast(placeholder, backgrounds, text))
        )
    return result


def use_readable_palette(app: QApplication) -> None:
    """Give the application :func:`readable_palette` (once is enough; again is harmless)."""
    app.setPalette(readable_palette(app.palette()))


def muted_text(widget: QWidget) -> str:
    """A quieter text colour for captions and metadata that still reads at 4.5:1
    on the window and on the page behind ``widget``."""
    palette = widget.palette()
    return _muted(
        palette.color(Role.Mid).name(),
        palette.color(Role.Window).name(),
        palette.color(Role.Base).name(),
        palette.color(Role.Text).name(),
    )


@lru_cache(maxsize=16)
def _muted(mid: str, window: str, base: str, text: str) -> str:
    """Worked out once per palette: several captions ask for it as the window opens."""
    return with_contrast(mid, [window, base], text)


def muted_style(widget: QWidget, extra: str = "") -> str:
    """A style sheet giving ``widget`` :func:`muted_text` (plus ``extra`` declarations)."""
    return f"color: {muted_text(widget)};{' ' + extra if extra else ''}"
