"""Tagging, relabelling, deleting and undoing, driven by keys and clicks."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication
from ui_helpers import (
    click_at,
    find_in_view,
    make_project,
    open_window,
    point_of,
    selected,
    stored,
)

TEXT = 'President Vladimir Putin said: "Kim Jong Un is welcome in Russia." Moscow agreed.'


def test_hotkey_letter_tags_the_selection_and_it_is_stored(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    find_in_view(window, "Vladimir Putin")
    qtbot.keyClick(window.view, "p")
    assert stored(window) == [("PERSON", "Vladimir Putin", 10, 24)]
    assert window.span_panel.model.rowCount() == 1
    assert "PERSON 1" in window.counts_label.text()


def test_digit_hotkey_and_button_and_partial_word_snaps_outward(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    start = TEXT.index("Russia")
    window.select_range(start + 1, start + 3)  # "us": snapped to the whole word
    qtbot.keyClick(window.view, "2")
    find_in_view(window, "Moscow")
    qtbot.mouseClick(window.label_bar.buttons["PLACE"], Qt.MouseButton.LeftButton)
    assert [s[:2] for s in stored(window)] == [("PLACE", "Russia"), ("PLACE", "Moscow")]
    assert window.view.hasFocus()


def test_character_precision_when_snapping_is_off(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    qtbot.keyClick(
        window.view, "w", Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.edits.snap_words is False
    start = TEXT.index("Putin")
    window.select_range(start, start + 3)
    qtbot.keyClick(window.view, "p")
    assert stored(window) == [("PERSON", "Put", start, start + 3)]


def test_keyboard_selection_shift_arrows_then_hotkey(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    view = window.view
    assert view.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard
    view.moveCursor(QTextCursor.MoveOperation.Start)
    for _ in range(9):
        qtbot.keyClick(view, Qt.Key.Key_Right)
    # Now select " Vladimir" with Shift+Right from the space after "President"; the
    # space is dropped when tagged.
    for _ in range(9):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, "1")
    assert stored(window) == [("PERSON", "Vladimir", 10, 18)]


def test_relabel_delete_undo_redo_with_keys_and_menu_names_the_step(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    view = window.view
    find_in_view(window, "Putin")
    qtbot.keyClick(view, "p")
    assert window.edits.undo_action.text() == "Undo add PERSON 'Putin'"
    # The new span is selected: another label's key relabels it.
    qtbot.keyClick(view, "l")
    assert stored(window)[0][:2] == ("PLACE", "Putin")
    assert window.edits.undo_action.text().startswith("Undo relabel 'Putin' PERSON")
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window)[0][:2] == ("PERSON", "Putin")
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored(window)[0][:2] == ("PLACE", "Putin")
    # Click the span to select it, then Delete.
    click_at(qtbot, view, TEXT.index("Putin") + 2)
    assert view.selected_span_id is not None
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored(window) == []
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window)[0][:2] == ("PLACE", "Putin")
    qtbot.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert stored(window) == []
    assert window.edits.undo_action.text() == "Undo delete PLACE 'Putin'"
    assert window.edits.redo_action.text() == "Redo" and not window.edits.redo_action.isEnabled()


def test_nested_spans_click_cycles_and_all_stay_stored(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    view = window.view
    quote = TEXT[TEXT.index('"') : TEXT.rindex('"') + 1]
    find_in_view(window, quote)
    qtbot.keyClick(view, "q")
    find_in_view(window, "Kim Jong Un")
    qtbot.keyClick(view, "p")
    find_in_view(window, "is welcome")
    qtbot.keyClick(view, "h")
    find_in_view(window, "Russia")
    qtbot.keyClick(view, "l")
    labels = [s[0] for s in stored(window)]
    assert labels == ["QUOTE", "PERSON", "HEDGE", "PLACE"]
    tracks = {e.label: e.track for e in view.index.entries()}
    assert tracks["QUOTE"] == 0 and tracks["PERSON"] == tracks["HEDGE"] == tracks["PLACE"] == 1
    # Clicking inside "Kim" selects the PERSON, clicking again the QUOTE around it.
    at = TEXT.index("Jong")
    click_at(qtbot, view, at)
    assert view.spans[view.selected_span_id].label == "PERSON"
    qtbot.wait(double_click_gap())
    click_at(qtbot, view, at)
    assert view.spans[view.selected_span_id].label == "QUOTE"
    # Hovering shows both, as plain text.
    text = view.hover_text(point_of(view, at))
    assert "QUOTE" in text and "PERSON: “Kim Jong Un”" in text and "by tester" in text


def double_click_gap() -> int:
    from PySide6.QtWidgets import QApplication

    return QApplication.doubleClickInterval() + 50


def test_mouse_drag_selects_and_right_edge_resizes_by_keyboard(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    view = window.view
    start = TEXT.index("Kim")
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(view, start))
    qtbot.mouseMove(view.viewport(), point_of(view, start + 6))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(view, start + 6))
    qtbot.keyClick(view, "p")
    assert stored(window)[0][:2] == ("PERSON", "Kim Jong")
    alt_shift = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_Down, alt_shift)  # the end one word on
    assert stored(window)[0][:2] == ("PERSON", "Kim Jong Un")
    qtbot.keyClick(view, Qt.Key.Key_Right, alt_shift)
    assert stored(window)[0][:2] == ("PERSON", "Jong Un")
    qtbot.keyClick(view, Qt.Key.Key_Left, alt_shift)
    assert stored(window)[0][:2] == ("PERSON", "Kim Jong Un")
    assert window.edits.undo_action.text().startswith("Undo resize PERSON")


def test_double_click_selects_a_word_to_tag(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    view = window.view
    qtbot.mouseDClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(view, TEXT.index("Moscow") + 2)
    )
    qtbot.keyClick(view, "l")
    assert stored(window)[0][:2] == ("PLACE", "Moscow")


def test_tab_steps_through_spans_and_note_is_shown_on_hover(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    view = window.view
    for words, key in (("Putin", "p"), ("Moscow", "l")):
        find_in_view(window, words)
        qtbot.keyClick(view, key)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    view.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert selected(window) == ("PERSON", "Putin")
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert selected(window) == ("PLACE", "Moscow")
    assert view.hasFocus()
    window.set_note("<b>check</b> the wire copy")
    span = window.project.span(view.selected_span_id)
    assert span.note == "<b>check</b> the wire copy"
    # The pointer rests on Moscow (the platform's tool-tip event), then leaves the text.
    resting = point_of(view, TEXT.index("Moscow") + 1)
    rest = QHelpEvent(QEvent.Type.ToolTip, resting, view.viewport().mapToGlobal(resting))
    QApplication.sendEvent(view.viewport(), rest)
    assert view.hover.isVisible()
    assert view.hover.textFormat() == Qt.TextFormat.PlainText
    assert "Note: <b>check</b> the wire copy" in view.hover.text()
    QApplication.sendEvent(view.viewport(), QEvent(QEvent.Type.Leave))
    assert not view.hover.isVisible()


def test_read_only_window_refuses_edits_without_changing_anything(qtbot, project_path):
    make_project(project_path, TEXT)
    from annotator.app import create_window
    from annotator.core import Project

    window = create_window(None)
    qtbot.addWidget(window)
    window.set_project(Project.open(project_path, read_only=True))
    find_in_view(window, "Putin")
    qtbot.keyClick(window.view, "p")
    assert "read-only" in window.statusBar().currentMessage()
    assert window.project.spans(window.document_id, [window.project.annotator]) == []


def test_click_then_shift_click_selects_a_range_to_tag(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    view = window.view
    start, end = TEXT.index("Vladimir"), TEXT.index("Putin") + 5
    click_at(qtbot, view, start)
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ShiftModifier,
        pos=point_of(view, end - 1),
    )
    qtbot.keyClick(view, "p")
    assert stored(window) == [("PERSON", "Vladimir Putin", start, end)]


def test_a_label_renamed_or_added_shows_at_once(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    find_in_view(window, "Putin")
    qtbot.keyClick(window.view, "p")
    window.project.rename_label("PERSON", "PER")
    assert [s.label for s in window.view.spans.values()] == ["PER"]
    assert "PER" in window.label_bar.buttons and "PERSON" not in window.label_bar.buttons
    window.project.add_label("ORG", hotkey="o")
    assert window.label_bar.buttons["ORG"].text() == "ORG   5 / o"
    find_in_view(window, "Moscow")
    qtbot.keyClick(window.view, "5")
    assert stored(window)[-1][:2] == ("ORG", "Moscow")
