"""Room for arcs: every line of the article has a band above it where arcs and their
names are drawn, clear of the line above, and the text does not move as relations
are made, deleted, undone and redone. Real windows offscreen, driven from the
keyboard and the mouse."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QTextCursor
from ui_helpers import click_at, find_in_view, open_window, point_of

from annotator.core import Project
from annotator.core.relation_types import NEWS_SCHEME

SAID_BY = QColor(NEWS_SCHEME[0].colour)
QUOTE = '"the talks will go on"'
# Every tagged word stands once, so nothing is proposed elsewhere as you tag.
TEXT = (
    "Vladivostok hosted the meeting for hours.\n"
    f"Peskov said on Monday that {QUOTE} and left.\n"
    "They ended late that night."
)


def tagged_window(qtbot, path: Path, *, relation_types: bool = True):
    """A window on TEXT with Vladivostok (line 1), Peskov and the quote (line 2) tagged."""
    types = None if relation_types else []
    with Project.create(path, relation_types=types) as project:
        project.add_document(TEXT, name="talks")
    window = open_window(qtbot, path)
    for words, key in (("Vladivostok", "l"), ("Peskov", "p"), (QUOTE, "q")):
        find_in_view(window, words)
        qtbot.keyClick(window.view, key)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    return window


def line_rect(view, words: str) -> QRect:
    """The viewport rectangle of the line holding ``words`` (its height, across the view)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.view_map.to_view(view.text.index(words)))
    rect = view.cursorRect(cursor)
    return QRect(0, rect.top(), view.viewport().width(), rect.height())


def middle_x(view, words: str) -> int:
    start = view.view_map.to_view(view.text.index(words))
    end = view.view_map.to_view(view.text.index(words) + len(words))
    return (point_of(view, start).x() + point_of(view, end).x()) // 2


def link_quote_by_keyboard(qtbot, window) -> None:
    """Select the quote (Tab from the start of its line), r, Enter: said-by Peskov."""
    view = window.view
    find_in_view(window, "Peskov")
    qtbot.keyClick(view, Qt.Key.Key_Left)  # the cursor before "Peskov", nothing selected
    while view.selected_span() is None or view.selected_span().label != "QUOTE":
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, "r")
    assert "“Peskov”" in window.statusBar().currentMessage()
    qtbot.keyClick(view, Qt.Key.Key_Return)


def arc_pixels(image: QImage, area: QRect) -> list[tuple[int, int]]:
    """Pixels of said-by's colour in ``area`` (its runs are drawn crisp in that colour;
    PERSON's own blue and the outlines of selected spans are further off)."""
    area = area.intersected(image.rect())
    found = []
    for x in range(area.left(), area.right() + 1):
        for y in range(area.top(), area.bottom() + 1):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - SAID_BY.red()) < 20
                and abs(pixel.green() - SAID_BY.green()) < 20
                and abs(pixel.blue() - SAID_BY.blue()) < 20
            ):
                found.append((x, y))
    return found


def grab(view) -> QImage:
    view.viewport().repaint()
    return view.viewport().grab().toImage()


def test_the_arc_is_drawn_in_the_room_above_its_line_not_over_the_line_above(qtbot, tmp_path):
    window = tagged_window(qtbot, tmp_path / "talks.annotator")
    view = window.view
    above, line = line_rect(view, "Vladivostok"), line_rect(view, "Peskov")
    band = QRect(0, above.bottom() + 1, line.width(), line.top() - above.bottom() - 1)
    assert band.height() >= view.fontMetrics().height()  # room for an arc and its name
    assert arc_pixels(grab(view), band) == []  # no relation yet

    link_quote_by_keyboard(qtbot, window)
    assert [r.label for r in window.project.relations(window.document_id)] == ["said-by"]
    image = grab(view)
    left, right = middle_x(view, "Peskov"), middle_x(view, QUOTE)
    run = QRect(left + 4, band.top(), right - left - 8, band.height())
    columns = {x for x, _ in arc_pixels(image, run)}
    assert len(columns) >= 0.7 * run.width()  # across, broken only by its name
    # Nothing of it over the line above, its glyphs or the space between them.
    assert arc_pixels(image, above) == []
    # The legs come down to the line, on the spans.
    for x in (left, right):
        assert arc_pixels(image, QRect(x - 6, line.top() - 3, 13, 3)), x


def test_arcs_stacked_deeper_than_the_room_are_flattened_into_it(qtbot, tmp_path):
    path = tmp_path / "talks.annotator"
    window = tagged_window(qtbot, path)
    view = window.view
    for words in ("talks", "Monday", "left"):  # more people on the quote's line
        find_in_view(window, words)
        qtbot.keyClick(view, "p")
    quote = next(s for s in view.spans.values() if s.label == "QUOTE")
    for span in view.spans.values():
        if span.label == "PERSON":
            window.relations.link(quote.id, span.id, "said-by")  # four arcs over one line
    assert len(window.project.relations(window.document_id)) == 4
    image = grab(view)
    above = line_rect(view, "Vladivostok")
    assert arc_pixels(image, QRect(0, 0, above.width(), above.bottom() + 1)) == []
    line = line_rect(view, "Peskov")
    band = QRect(0, above.bottom() + 1, line.width(), line.top() - above.bottom())
    rows = Counter(y for _, y in arc_pixels(image, band))
    runs = sorted(y for y, count in rows.items() if count >= 30)
    assert len(runs) >= 2, rows  # stacked in the room, on two levels at least


def test_the_text_does_not_move_as_a_relation_is_made_deleted_undone_and_redone(qtbot, tmp_path):
    window = tagged_window(qtbot, tmp_path / "talks.annotator")
    view = window.view

    def places() -> list[tuple[int, int]]:
        """Where every character of the text is (its cursor rectangle's corner)."""
        cursor = QTextCursor(view.document())
        found = []
        for position in range(view.document().characterCount() - 1):
            cursor.setPosition(position)
            rect = view.cursorRect(cursor)
            found.append((rect.left(), rect.top()))
        return found

    before = places()
    above, line = line_rect(view, "Vladivostok"), line_rect(view, "Peskov")
    assert line.top() - above.bottom() > view.fontMetrics().height()  # the room is there
    link_quote_by_keyboard(qtbot, window)
    assert len(window.project.relations(window.document_id)) == 1
    assert places() == before
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo
    assert window.project.relations(window.document_id) == []
    assert places() == before
    qtbot.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )  # redo
    assert len(window.project.relations(window.document_id)) == 1
    assert places() == before
    table = window.relations.panel.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Delete)  # deleted in the relation list
    assert window.project.relations(window.document_id) == []
    assert places() == before


def test_clicks_and_the_cursor_hit_the_right_characters_with_the_room(qtbot, tmp_path):
    window = tagged_window(qtbot, tmp_path / "talks.annotator")
    view = window.view
    names = {span.id: view.text[span.start : span.end] for span in view.spans.values()}
    click_at(qtbot, view, view.text.index("Peskov") + 2)
    assert names[view.selected_span_id] == "Peskov"
    click_at(qtbot, view, view.text.index("talks will") + 1)
    assert names[view.selected_span_id] == QUOTE
    click_at(qtbot, view, view.text.index("Vladivostok") + 5)
    assert names[view.selected_span_id] == "Vladivostok"

    # A click in the room above "Peskov" is on no character: nothing is selected
    # (not the span of the line above, nor the word below).
    above, line = line_rect(view, "Vladivostok"), line_rect(view, "Peskov")
    room = QPoint(middle_x(view, "Peskov"), (above.bottom() + line.top()) // 2)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=room)
    assert view.selected_span_id is None

    # A drag over a word selects that word; Down moves to the line below.
    start = view.text.index("Monday")
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(view, start))
    end = point_of(view, start + len("Monday"))
    qtbot.mouseMove(view.viewport(), pos=end - QPoint(2, 0))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end - QPoint(2, 0))
    start_at, end_at = view.selection()
    assert view.text[start_at:end_at] == "Monday"
    view.place_cursor(view.text.index("the meeting"))
    x = view.cursorRect().x()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.cursorRect().top() == line.top()  # on the line below, under the same place
    assert abs(view.cursorRect().x() - x) < view.fontMetrics().averageCharWidth()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.selection()[0] == view.text.index("Peskov")


def test_relations_can_be_hidden_and_lines_close_up(qtbot, tmp_path):
    path = tmp_path / "talks.annotator"
    window = tagged_window(qtbot, path)
    view = window.view
    link_quote_by_keyboard(qtbot, window)
    height = view.fontMetrics().height()

    def gap() -> int:
        """From the line above "Peskov" (the end of the first paragraph) to its line."""
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.view_map.to_view(view.text.index("Peskov") - 1))
        return line_rect(view, "Peskov").top() - view.cursorRect(cursor).top()

    spaced = gap()
    assert spaced > 2 * height
    action = window.article_look.relations_action
    assert action.isChecked()
    action.trigger()  # View › Show relations, off
    assert abs(gap() - height) <= 1  # the lines close up
    above_quote = QRect(0, 0, view.viewport().width(), line_rect(view, "Peskov").top())
    assert arc_pixels(grab(view), above_quote) == []  # and no arc is drawn
    window.close()

    again = open_window(qtbot, path)  # remembered
    assert not again.article_look.relations_action.isChecked()
    view = again.view
    assert abs(gap() - height) <= 1
    again.article_look.relations_action.trigger()
    assert gap() == spaced
    assert arc_pixels(grab(view), view.viewport().rect())


def test_a_project_without_relation_types_keeps_no_room(qtbot, tmp_path):
    window = tagged_window(qtbot, tmp_path / "spans-only.annotator", relation_types=False)
    view = window.view
    gap = line_rect(view, "Peskov").top() - line_rect(view, "Vladivostok").top()
    assert abs(gap - view.fontMetrics().height()) <= 1
    assert view.arc_band() == 0


def test_the_band_follows_the_font_however_it_grows(qtbot, project_path):
    """Zoom from the menu keys and from Ctrl+wheel (Qt's own, which the window does not
    call for): the band is the font's height times ROOM either way."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from annotator.ui.spacing import ROOM

    window = tagged_window(qtbot, project_path)
    view = window.view

    def band_for_font() -> tuple[float, float]:
        return view.spacing.room, float(round(view.fontMetrics().height() * ROOM))

    room, wanted = band_for_font()
    assert room == wanted
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    grown, wanted = band_for_font()
    assert grown == wanted > room
    centre = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(view.viewport().mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * 4),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    wheeled, wanted = band_for_font()
    assert wheeled == wanted > grown
