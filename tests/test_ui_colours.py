"""Colours as the window shows them: nested spans keep their label's hue (for colour-blind
readers too), and every text reads at 4.5:1 or more."""

from __future__ import annotations

from collections import Counter

import colorspacious
import numpy as np
import wcag_contrast_ratio
from conftest import SAMPLE
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QMenuBar,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)
from ui_helpers import find_in_view, make_project, open_window

from annotator.core import Project, colours
from annotator.core.importing import read_documents
from annotator.ui.style import muted_text, readable_palette

TEXT = 'Putin said: "Kim Jong Un is believed to be in Russia." He left Moscow.'


def _rect(view, start: int, end: int) -> QRect:
    first, last = QTextCursor(view.document()), QTextCursor(view.document())
    first.setPosition(view.view_map.to_view(start))
    last.setPosition(view.view_map.to_view(end))
    return view.cursorRect(first).united(view.cursorRect(last))


def _fill(image: QImage, rect: QRect) -> str:
    """The commonest colour in ``rect``: the span's fill (glyphs cover less of it)."""
    counts = Counter(
        image.pixelColor(x, y).name()
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    )
    return counts.most_common(1)[0][0]


def _cam_distance(a: str, b: str, kind: str | None) -> float:
    first, second = np.array(colours.rgb(a)), np.array(colours.rgb(b))
    if kind is not None:
        space = {"name": "sRGB1+CVD", "cvd_type": kind, "severity": 100}
        first, second = (
            np.clip(colorspacious.cspace_convert(c, space, "sRGB1"), 0, 1) for c in (first, second)
        )
    return float(colorspacious.deltaE(first, second, input_space="sRGB1"))


def test_a_person_nested_in_a_quote_looks_like_a_person(qtbot, project_path):
    """Measured on screen: the nested PERSON's fill is nearer a PERSON on its own than
    a PLACE or the QUOTE around it, in normal vision, protanopia and deuteranopia."""
    window = open_window(qtbot, make_project(project_path, TEXT))
    view = window.view
    for words, key in (
        (TEXT[TEXT.index('"') : TEXT.rindex('"') + 1], "q"),
        ("Kim Jong Un", "p"),
        ("Putin", "p"),
        ("Moscow", "l"),
    ):
        find_in_view(window, words)
        qtbot.keyClick(view, key)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    image = view.viewport().grab().toImage()

    def fill_of(words: str, top_skip: int) -> str:
        rect = _rect(view, TEXT.index(words), TEXT.index(words) + len(words))
        bar = max(3, round(view.fontMetrics().height() / 7))
        return _fill(image, rect.adjusted(3, top_skip, -3, -(bar + 2)))

    nested = fill_of("Kim Jong Un", 4)  # below the nested box's inset
    person, place = fill_of("Putin", 1), fill_of("Moscow", 1)
    quote = fill_of("believed", 1)
    assert len({nested, person, place, quote}) == 4
    for kind in (None, "protanomaly", "deuteranomaly"):
        to_person = _cam_distance(nested, person, kind)
        assert to_person < _cam_distance(nested, place, kind), kind
        assert to_person < _cam_distance(nested, quote, kind), kind
    hue_gap = abs(colours.hue_angle(nested) - colours.hue_angle(person))
    assert min(hue_gap, 360 - hue_gap) < 30


def _background(image: QImage, window: QWidget, widget: QWidget) -> str:
    """The commonest colour behind ``widget`` as the window shows it."""
    top = widget.mapTo(window, QPoint(0, 0))
    return _fill(image, QRect(top, widget.size()).intersected(image.rect()))


def _texts(window: QWidget, root: QWidget | None = None) -> list[tuple[str, str, str]]:
    """(what, text colour, background colour) for every text the window shows (of
    ``root``'s, when given)."""
    image = window.grab().toImage()
    found = []
    for widget in (root or window).findChildren(QWidget):
        if not widget.isVisible() or not widget.isEnabled():
            continue
        widget.ensurePolished()
        palette = widget.palette()
        fore = palette.color(widget.foregroundRole()).name()
        if isinstance(widget, QLabel | QAbstractButton | QComboBox | QMenuBar):
            text = widget.currentText() if isinstance(widget, QComboBox) else None
            text = text or getattr(widget, "text", lambda: "menu")()
            if text:
                what = f"{type(widget).__name__} {text[:30]!r}"
                found.append((what, fore, _background(image, window, widget)))
        if isinstance(widget, QAbstractItemView | QPlainTextEdit):
            for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
                base = palette.color(group, QPalette.ColorRole.Base)
                for text_role, back_role in (
                    (QPalette.ColorRole.Text, QPalette.ColorRole.Base),
                    (QPalette.ColorRole.Text, QPalette.ColorRole.AlternateBase),
                    (QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Highlight),
                    (QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Base),
                ):
                    text_colour = palette.color(group, text_role)
                    found.append(
                        (
                            f"{type(widget).__name__} {text_role.name} on {back_role.name}",
                            colours.blend(text_colour.name(), base.name(), text_colour.alphaF()),
                            palette.color(group, back_role).name(),
                        )
                    )
    return found


def test_every_text_in_the_window_reads_at_4_5_to_1(qtbot, project_path):
    """Text colours from the widgets' palettes (style sheets included), backgrounds
    from the window's pixels behind each widget."""
    with Project.create(project_path) as project:
        project.add_documents(read_documents([SAMPLE]))
    window = open_window(qtbot, project_path)
    texts = _texts(window)
    names = {what for what, _, _ in texts}
    assert any("'Labels'" in what for what in names)
    assert any("2023-09-12" in what for what in names)  # the metadata line
    qtbot.keyClick(window.view, "?")  # the shortcuts card, over the window
    assert window.help_overlay.isVisible()
    card = _texts(window, window.help_overlay)  # what the card covers is not read
    assert any("'Keyboard shortcuts'" in what for what, _, _ in card)
    hover = window.view.hover.palette()  # a span's details on hover
    texts += [
        *card,
        (
            "hover",
            hover.color(QPalette.ColorRole.WindowText).name(),
            hover.color(QPalette.ColorRole.Window).name(),
        ),
    ]
    low = [
        (what, fore, back, round(colours.contrast_ratio(fore, back), 2))
        for what, fore, back in texts
        if colours.contrast_ratio(fore, back) < colours.MIN_TEXT_CONTRAST
    ]
    assert low == []


def test_a_pressed_label_button_reads_at_4_5_to_1(qtbot, project_path):
    """Measured from pixels: the button's fill and its text's strongest pixel."""
    window = open_window(qtbot, make_project(project_path, TEXT))
    for name, button in window.label_bar.buttons.items():
        assert isinstance(button, QToolButton)
        for down in (False, True):
            button.setDown(down)
            image = window.grab(QRect(button.mapTo(window, QPoint(0, 0)), button.size())).toImage()
            inner = image.rect().adjusted(4, 4, -4, -4)  # inside the 2 px border
            back = _fill(image, inner)
            strongest = max(
                (
                    image.pixelColor(x, y).name()
                    for x in range(inner.left(), inner.right() + 1)
                    for y in range(inner.top(), inner.bottom() + 1)
                ),
                key=lambda colour, back=back: colours.contrast_ratio(colour, back),
            )
            ratio = colours.contrast_ratio(strongest, back)
            assert ratio >= colours.MIN_TEXT_CONTRAST, (name, down, strongest, back, ratio)
        button.setDown(False)


def test_a_dark_palette_is_made_readable_too(qtbot):
    """The colours are worked out from the palette in force, not fixed for a light one."""
    dark = QPalette()
    role = QPalette.ColorRole
    for name, colour in (
        (role.Window, "#202124"),
        (role.Base, "#171717"),
        (role.AlternateBase, "#1E1E1E"),
        (role.Text, "#E8E8E8"),
        (role.WindowText, "#E8E8E8"),
        (role.Mid, "#3C3C3C"),
        (role.Highlight, "#5E8FD0"),  # white on it: 3.3:1
        (role.HighlightedText, "#FFFFFF"),
        (role.PlaceholderText, "#80E8E8E8"),  # half-transparent text
    ):
        dark.setColor(name, QColor(colour))
    fixed = readable_palette(dark)
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.setPalette(fixed)
    pairs = [
        (fixed.color(role.HighlightedText).name(), fixed.color(role.Highlight).name()),
        (fixed.color(role.PlaceholderText).name(), fixed.color(role.Base).name()),
        (fixed.color(role.PlaceholderText).name(), fixed.color(role.AlternateBase).name()),
        (muted_text(widget), fixed.color(role.Window).name()),
        (muted_text(widget), fixed.color(role.Base).name()),
    ]
    for text, back in pairs:
        ratio = wcag_contrast_ratio.rgb(colours.rgb(text), colours.rgb(back))
        assert ratio >= 4.5, (text, back)
    assert colours.relative_luminance(muted_text(widget)) > 0.2  # a light grey, not black


def test_an_arcs_type_name_reads_at_4_5_to_1_on_a_light_and_a_dark_page(qtbot):
    """Each relation type of the news scheme, named over an arc, on the light page and
    the dark theme's (checked with wcag-contrast-ratio, not our own formula); a colour
    that reads already is kept as it is."""
    from annotator.core.relation_types import NEWS_SCHEME
    from annotator.ui.arcs import readable_name

    for rtype in NEWS_SCHEME:
        for page in ("#FFFFFF", "#171717", "#202124"):
            named = readable_name(QColor(rtype.colour), QColor(page)).name()
            ratio = wcag_contrast_ratio.rgb(colours.rgb(named), colours.rgb(page))
            assert ratio >= 4.5, (rtype.name, page, named)
            if colours.contrast_ratio(rtype.colour, page) >= colours.MIN_TEXT_CONTRAST + 0.1:
                assert named.lower() == rtype.colour.lower()
