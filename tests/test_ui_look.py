"""How the window looks: a dark theme that follows the system (with a View › Theme
override) and keeps every text at 4.5:1, spans painted in the right places at a
device pixel ratio of 2, and the article's font and line spacing, remembered."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import wcag_contrast_ratio
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QFontDialog, QInputDialog, QToolTip
from test_ui_colours import _texts
from ui_helpers import click_at, find_in_view, make_project, open_window

from annotator.core import colours

ROOT = Path(__file__).resolve().parents[1]
TEXT = 'Putin said: "Kim Jong Un is believed to be in Russia." He left Moscow.'


@pytest.fixture(autouse=True)
def _palette_put_back(qtbot):
    """The theme changes the whole application's palette: give the next test its own."""
    app = QApplication.instance()
    palette, tips = QPalette(app.palette()), QPalette(QToolTip.palette())
    yield
    QToolTip.setPalette(tips)
    app.setPalette(palette)


def tagged_window(qtbot, path: Path):
    """A window on TEXT with a span of every label, a PERSON nested in the QUOTE."""
    window = open_window(qtbot, make_project(path, TEXT))
    for words, key in (
        (TEXT[TEXT.index('"') : TEXT.rindex('"') + 1], "q"),
        ("Kim Jong Un", "p"),
        ("is believed to", "h"),
        ("Putin", "p"),
        ("Moscow", "l"),
    ):
        find_in_view(window, words)
        qtbot.keyClick(window.view, key)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    return window


def commonest(image, rect: QRect) -> str:
    counts = Counter(
        image.pixelColor(x, y).name()
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    )
    return counts.most_common(1)[0][0]


def span_rect(view, start: int, end: int) -> QRect:
    first, last = QTextCursor(view.document()), QTextCursor(view.document())
    first.setPosition(view.view_map.to_view(start))
    last.setPosition(view.view_map.to_view(end))
    return view.cursorRect(first).united(view.cursorRect(last))


def base_of(window) -> str:
    return window.view.palette().color(QPalette.ColorRole.Base).name()


def test_dark_theme_from_the_view_menu_keeps_every_text_at_4_5_and_is_remembered(
    qtbot, project_path
):
    window = tagged_window(qtbot, project_path)
    assert window.theme.actions["system"].isChecked()  # the default follows the system
    assert colours.relative_luminance(base_of(window)) > 0.8
    window.theme.actions["dark"].trigger()  # View › Theme › Dark
    assert window.theme.actions["dark"].isChecked()
    assert colours.relative_luminance(base_of(window)) < 0.02
    window.view.viewport().repaint()
    hover = window.view.hover.palette()  # a span's details, when the pointer rests on it
    hover_page = hover.color(QPalette.ColorRole.Window).name()
    assert colours.relative_luminance(hover_page) < 0.05
    hover_text = hover.color(QPalette.ColorRole.WindowText).name()
    assert wcag_contrast_ratio.rgb(colours.rgb(hover_text), colours.rgb(hover_page)) >= 4.5

    # Every text of the window and of the F1 card, as the colour test measures them.
    texts = _texts(window)
    qtbot.keyClick(window.view, "?")
    texts += _texts(window, window.help_overlay)
    assert any("'Keyboard shortcuts'" in what for what, _, _ in texts)
    assert any("Labelling as tester" in what for what, _, _ in texts)
    low = [
        (what, fore, back)
        for what, fore, back in texts
        if wcag_contrast_ratio.rgb(colours.rgb(fore), colours.rgb(back)) < 4.5
    ]
    assert low == []
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)

    # The article's text on each span's fill, measured from the pixels.
    view = window.view
    text_colour = view.palette().color(QPalette.ColorRole.Text).name()
    image = view.viewport().grab().toImage()
    bar = max(3, round(view.fontMetrics().height() / 7))
    fills = {}
    for words, top in (("Putin", 1), ("Moscow", 1), ("believed", 5), ("Kim Jong Un", 4)):
        start = TEXT.index(words)
        rect = span_rect(view, start, start + len(words)).adjusted(3, top, -3, -(bar + 2))
        fills[words] = commonest(image, rect)
    quote = commonest(image, span_rect(view, TEXT.index("be in"), TEXT.index("be in") + 5))
    fills["quote"] = quote
    assert len(set(fills.values())) == 5, fills
    for words, fill in fills.items():
        ratio = wcag_contrast_ratio.rgb(colours.rgb(text_colour), colours.rgb(fill))
        assert ratio >= 4.5, (words, fill, ratio)
        assert fill != base_of(window)

    window.close()
    again = open_window(qtbot, project_path)
    assert again.theme.choice == "dark"
    assert colours.relative_luminance(base_of(again)) < 0.02
    again.theme.actions["light"].trigger()
    assert colours.relative_luminance(base_of(again)) > 0.8


def test_the_system_colour_scheme_is_followed_unless_overridden(qtbot, project_path, monkeypatch):
    window = open_window(qtbot, make_project(project_path, TEXT))
    hints = QGuiApplication.styleHints()
    monkeypatch.setattr("annotator.ui.theme.system_is_dark", lambda: True)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the system turns dark
    assert window.theme.dark
    assert colours.relative_luminance(base_of(window)) < 0.02
    window.theme.actions["light"].trigger()  # the override wins over the system
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not window.theme.dark
    assert colours.relative_luminance(base_of(window)) > 0.8


PROBE = r"""
import json, sys
from collections import Counter
from PySide6.QtGui import QTextCursor
from annotator.app import application, create_window
from annotator.core import Project

path, text = sys.argv[1], sys.argv[2]
with Project.create(path) as project:
    doc = project.add_document(text, name="doc1").id
    project.add_span(doc, text.index("Kim Jong Un"), text.index("Kim Jong Un") + 11, "PERSON")
    project.add_span(doc, text.index("Moscow"), text.index("Moscow") + 6, "PLACE")
app = application()
window = create_window(path)
window.show()
for _ in range(5):
    app.processEvents()
view = window.view
image = view.viewport().grab().toImage()
ratio = image.devicePixelRatio()
base = image.pixelColor(image.width() - 3, image.height() - 3).name()
found = {}
for words in ("Kim Jong Un", "Moscow"):
    start = text.index(words)
    first, last = QTextCursor(view.document()), QTextCursor(view.document())
    first.setPosition(start)
    last.setPosition(start + len(words))
    a, b = view.cursorRect(first), view.cursorRect(last)
    top, bottom = round(a.top() * ratio), round(a.bottom() * ratio)
    # Device columns of the line whose commonest colour is not the page: the span.
    columns = []
    for x in range(image.width()):
        column = Counter(image.pixelColor(x, y).name() for y in range(top + 1, bottom))
        if column.most_common(1)[0][0] != base:
            columns.append(x)
    runs, run = [], [columns[0]]
    for x in columns[1:]:
        if x == run[-1] + 1:
            run.append(x)
        else:
            runs.append((run[0], run[-1])); run = [x]
    runs.append((run[0], run[-1]))
    found[words] = {
        "expected": [a.x() * ratio, b.x() * ratio],
        "runs": runs,
        "fill": Counter(
            image.pixelColor(x, y).name()
            for x in range(round(a.x() * ratio) + 6, round(b.x() * ratio) - 6)
            for y in range(top + 2, top + 6)
        ).most_common(1)[0][0],
    }
print(json.dumps({"ratio": ratio, "base": base, "spans": found}))
window.close()
"""


def probe(tmp_path: Path, name: str, scale: str) -> dict:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QT_SCALE_FACTOR": scale,
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / name), "Putin met Kim Jong Un in Moscow."],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_spans_are_painted_in_their_places_at_device_pixel_ratio_2(tmp_path):
    """The window runs with QT_SCALE_FACTOR=2 in its own process; each span's fill is
    found in the device pixels exactly where its characters are (its cursor rectangles
    times two), and has the colour it has at ratio 1."""
    one = probe(tmp_path, "one.annotator", "1")
    two = probe(tmp_path, "two.annotator", "2")
    assert one["ratio"] == 1 and two["ratio"] == 2
    for words in ("Kim Jong Un", "Moscow"):
        left, right = two["spans"][words]["expected"]
        assert right - left > 40  # in device pixels
        [run] = [r for r in two["spans"][words]["runs"] if r[1] >= left and r[0] <= right]
        assert abs(run[0] - left) <= 2 and abs(run[1] - right) <= 2, (words, run, left, right)
        assert two["spans"][words]["fill"] == one["spans"][words]["fill"] != two["base"]
    # Elsewhere on the line only glyph stems are darker than the page: no stray fill.
    spans = [tuple(two["spans"][w]["expected"]) for w in ("Kim Jong Un", "Moscow")]
    others = [
        run
        for run in two["spans"]["Kim Jong Un"]["runs"]
        if not any(run[1] >= left and run[0] <= right for left, right in spans)
    ]
    assert all(run[1] - run[0] <= 8 for run in others), others


def choose_font(qtbot, window, font: QFont) -> None:
    """View › Font…: pick ``font`` in the dialog and press Enter."""
    done: dict[str, bool] = {}

    def answer(tries: int = 50) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFontDialog):
            if tries:
                QTimer.singleShot(20, lambda: answer(tries - 1))
            return
        dialog.setCurrentFont(font)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        done["yes"] = True

    QTimer.singleShot(0, answer)
    window.article_look.font_action.trigger()
    qtbot.waitUntil(lambda: "yes" in done)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # keys reach it again


def line_tops(view) -> list[int]:
    """The top of each visual line of the first block, from the cursor."""
    tops: list[int] = []
    cursor = QTextCursor(view.document())
    for position in range(len(view.text)):
        cursor.setPosition(position)
        top = view.cursorRect(cursor).top()
        if not tops or top != tops[-1]:
            tops.append(top)
    return tops


def test_font_and_line_spacing_are_chosen_remembered_and_spans_follow(qtbot, project_path):
    long_text = " ".join([TEXT] * 6)
    window = open_window(qtbot, make_project(project_path, long_text))
    view = window.view
    assert window.findChildren(QFontDialog) == []  # dialogs are made when first used
    assert window.findChildren(QInputDialog) == []
    find_in_view(window, "Moscow", occurrence=1)
    qtbot.keyClick(view, "l")
    qtbot.keyClick(view, Qt.Key.Key_Escape)

    wanted = QFont("DejaVu Serif", 18)
    choose_font(qtbot, window, wanted)
    assert view.font().family() == "DejaVu Serif"
    assert view.font().pointSizeF() == 18
    assert "DejaVu Serif 18 pt" in window.statusBar().currentMessage()

    single = line_tops(view)
    height = view.fontMetrics().height()
    [double] = [a for a in window.article_look.spacing_menu.actions() if a.text() == "Double"]
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.find_bar.field, "Moscow")
    assert len(view.extraSelections()) == 6
    double.trigger()  # View › Line spacing › Double
    assert len(view.extraSelections()) == 6  # the find hits stay marked
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    spaced = line_tops(view)
    assert len(spaced) == len(single) > 3
    # Double spacing adds a line's height between lines, on top of whatever room the
    # lines had before (the room for arcs, which the project's relation types keep).
    single_gaps = {b - a for a, b in itertools.pairwise(single)}
    gaps = {b - a for a, b in itertools.pairwise(spaced)}
    assert len(single_gaps) == 1, single_gaps
    assert all(abs(gap - min(single_gaps) - height) <= 2 for gap in gaps), (gaps, height)

    # The span is painted under its words at their new place, and a click there finds it.
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    span = next(iter(view.spans.values()))
    rect = span_rect(view, span.start, span.end)
    assert view.viewport().rect().contains(rect)
    place = window.project.label("PLACE").colour
    tint = colours.span_tints(place, base_of(window))[0].lower()
    assert commonest(image, rect.adjusted(3, 2, -3, -3)) == tint
    above = rect.translated(0, -height)  # the space between the lines stays page
    assert commonest(image, above.adjusted(3, 2, -3, -3)) == base_of(window)
    click_at(qtbot, view, span.start + 2)
    assert view.selected_span_id == span.id

    # Zoom works on top of the font chosen.
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.font().pointSizeF() > 18
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.font().pointSizeF() == 18

    window.close()
    again = open_window(qtbot, project_path)
    assert again.view.font().family() == "DejaVu Serif"
    assert again.view.font().pointSizeF() == 18
    assert again.article_look.spacing_actions[2.0].isChecked()
    tops = line_tops(again.view)
    assert all(abs(b - a - max(gaps)) <= 2 for a, b in itertools.pairwise(tops))
