"""The keyboard traps met when the sample article was labelled by hand, each driven
with the keys and the mouse as a person would meet it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication, QLabel, QMenu
from ui_helpers import find_in_view, open_window, point_of, selected, stored

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def sample_window(qtbot, sample_project):
    path = sample_project.path
    sample_project.close()
    return open_window(qtbot, path)


def tag(qtbot, window, words: str, key: str, occurrence: int = 0) -> None:
    find_in_view(window, words, occurrence)
    qtbot.keyClick(window.view, key)


def status_message(window) -> str:
    return window.statusBar().currentMessage()


# 1 -----------------------------------------------------------------------------------


def test_selecting_the_next_word_after_tagging_leaves_the_new_span_alone(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    view = window.view
    tag(qtbot, window, "Kim Jong Un", "p")
    assert stored(window) == [("PERSON", "Kim Jong Un", 75, 86)]
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.selected_span_id is None  # moving the cursor lets go of the span
    qtbot.keyClick(view, Qt.Key.Key_Right, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Right, CTRL | SHIFT)
    assert stored(window) == [("PERSON", "Kim Jong Un", 75, 86)]
    assert view.textCursor().selectedText().strip() == "entered"
    qtbot.keyClick(view, "l")  # and the selection is what gets tagged
    assert ("PLACE", "entered", 88, 95) in stored(window)


def test_resizing_is_alt_shift_arrows_on_a_selected_span(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    view = window.view
    tag(qtbot, window, "Kim Jong", "p")
    alt_shift = Qt.KeyboardModifier.AltModifier | SHIFT
    qtbot.keyClick(view, Qt.Key.Key_Down, alt_shift)
    assert stored(window) == [("PERSON", "Kim Jong Un", 75, 86)]
    qtbot.keyClick(view, Qt.Key.Key_Up, alt_shift)
    assert stored(window) == [("PERSON", "Kim Jong", 75, 83)]


# 2 -----------------------------------------------------------------------------------


def drive_note_dialog(qtbot, window, steps) -> dict[str, object]:
    """Press F2 and, in the dialog that opens, run ``steps(dialog, seen)``; a dialog
    still open afterwards is cancelled (and said so), so a test never hangs."""
    seen: dict[str, object] = {}

    def in_dialog(tries: int = 50) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # not open yet: look again soon
            if tries:
                QTimer.singleShot(20, lambda: in_dialog(tries - 1))
            return
        seen["captions"] = [label.text() for label in dialog.findChildren(QLabel)]
        steps(dialog, seen)
        seen["still_open"] = dialog.isVisible()
        if dialog.isVisible():
            dialog.reject()

    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # after a dialog too
    QTimer.singleShot(0, in_dialog)
    qtbot.keyClick(window.view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: "still_open" in seen)
    return seen


def test_note_dialog_enter_saves_shift_enter_new_line_tab_moves_esc_cancels(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    quote = "North Korea's Kim Jong Un is believed to have arrived in Russia early this morning"
    tag(qtbot, window, quote, "q")

    def write(dialog, seen) -> None:
        edit = dialog.focusWidget()
        qtbot.keyClicks(edit, "check")
        qtbot.keyClick(edit, Qt.Key.Key_Return, SHIFT)
        qtbot.keyClicks(edit, "the wire")
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    seen = drive_note_dialog(qtbot, window, write)
    assert seen["still_open"] is False
    assert window.project.span(window.view.selected_span_id).note == "check\nthe wire"
    assert status_message(window) == "Note saved"
    # The title quotes the span up to a whole word.
    [title] = [c for c in seen["captions"] if str(c).startswith("Note on QUOTE")]
    shown = str(title).split("“", 1)[1].rstrip("”").rstrip("…")
    assert quote.startswith(shown) and quote[len(shown)] in " ,.;:"

    def tab_then_escape(dialog, seen) -> None:
        edit = dialog.focusWidget()
        qtbot.keyClicks(edit, " more")
        qtbot.keyClick(edit, Qt.Key.Key_Tab)
        seen["tab_left_the_text"] = dialog.focusWidget() is not edit
        seen["text"] = edit.toPlainText()
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)

    seen = drive_note_dialog(qtbot, window, tab_then_escape)
    assert seen["tab_left_the_text"] is True
    assert "\t" not in str(seen["text"])
    assert seen["still_open"] is False
    assert window.project.span(window.view.selected_span_id).note == "check\nthe wire"

    def ctrl_enter(dialog, seen) -> None:
        edit = dialog.focusWidget()
        qtbot.keyClicks(edit, "!")
        qtbot.keyClick(edit, Qt.Key.Key_Return, CTRL)

    seen = drive_note_dialog(qtbot, window, ctrl_enter)
    assert seen["still_open"] is False
    assert window.project.span(window.view.selected_span_id).note == "check\nthe wire!"


# 3 -----------------------------------------------------------------------------------


def edge_point(view, view_position: int) -> QPoint:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view_position)
    rect = view.cursorRect(cursor)
    return QPoint(rect.x(), rect.center().y())


def test_any_spans_edge_shows_the_resize_cursor_and_a_drag_snaps_to_words(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    view = window.view
    tag(qtbot, window, "Pyongyang", "l")
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected_span_id is None
    [(_, _, start, end)] = stored(window)
    qtbot.mouseMove(view.viewport(), point_of(view, start + 3))
    assert view.viewport().cursor().shape() != Qt.CursorShape.SizeHorCursor
    qtbot.mouseMove(view.viewport(), edge_point(view, end))
    assert view.viewport().cursor().shape() == Qt.CursorShape.SizeHorCursor
    # Drag the end (of a span not selected) into the middle of "Korea".
    korea = view.text.index("Korea", end)
    target = point_of(view, korea + 3)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=edge_point(view, end))
    qtbot.mouseMove(view.viewport(), target)
    assert view.selected_span_id is not None  # the span dragged is selected
    assert view.dragged_extent() == (start, korea + 5)  # the drag shows where it lands
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert stored(window) == [("PLACE", "Pyongyang, North Korea", start, korea + 5)]


# 4 -----------------------------------------------------------------------------------


def test_home_and_end_in_the_span_list_go_to_the_first_and_last_row(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    for words, key in (
        ("Kim Jong Un", "p"),
        ("Russia", "l"),
        ("Vladimir Putin", "p"),
        ("Pyongyang", "l"),
        ("Choe Sun Hui", "p"),
    ):
        tag(qtbot, window, words, key)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    table = window.span_panel.table
    qtbot.keyClick(window.view, Qt.Key.Key_F6)
    qtbot.keyClick(window.documents.table, Qt.Key.Key_F6)
    assert table.hasFocus()
    for key, row in ((Qt.Key.Key_Home, 0), (Qt.Key.Key_End, 4), (Qt.Key.Key_Home, 0)):
        qtbot.keyClick(table, key)
        assert table.currentIndex().row() == row
    for _ in range(3):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert selected(window) == ("PLACE", "Pyongyang")  # the fourth span in reading order
    assert window.view.hasFocus()


# 5 -----------------------------------------------------------------------------------


def right_click_menu(qtbot, view, point: QPoint) -> dict[str, bool]:
    """Right-click at ``point``; the menu's actions and whether each is enabled."""
    # What a right-click sends (QTest's clicks do not make the context menu event).
    global_point = view.viewport().mapToGlobal(point)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, global_point)
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    found = {a.text().split("\t")[0]: a.isEnabled() for a in menu.actions() if a.text()}
    menu.close()
    return found


def test_context_menu_offers_span_actions_only_on_a_span_and_copies_its_text(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    view = window.view
    tag(qtbot, window, "Vladimir Putin", "p")
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    blank = point_of(view, view.text.index("anticipated") + 2)
    on_nothing = right_click_menu(qtbot, view, blank)
    assert on_nothing["Delete span"] is False
    assert on_nothing["Note on span…"] is False
    assert on_nothing["Copy text"] is False
    on_span = right_click_menu(qtbot, view, point_of(view, view.text.index("Putin") + 1))
    assert selected(window) == ("PERSON", "Vladimir Putin")
    assert on_span["Delete span"] is True
    assert on_span["Note on span…"] is True
    assert on_span["Copy text"] is True
    copy = next(a for a in window.context_menu().actions() if a.text() == "Copy text")
    copy.trigger()
    assert QApplication.clipboard().text() == "Vladimir Putin"


# 6 -----------------------------------------------------------------------------------


def test_tagging_a_span_that_exists_says_already_tagged(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    tag(qtbot, window, "Vladimir Putin", "p")
    assert status_message(window) == "Tagged PERSON"
    tag(qtbot, window, "Vladimir Putin", "p")
    assert status_message(window) == "Already tagged PERSON"
    assert stored(window) == [("PERSON", "Vladimir Putin", 232, 246)]
    assert selected(window) == ("PERSON", "Vladimir Putin")


# 7 -----------------------------------------------------------------------------------


def sheet_keys(window) -> set[str]:
    """The keys the F1 sheet names, read from the sheet shown."""
    keys: set[str] = set()
    for label in window.help_overlay.findChildren(QLabel):
        if label.isVisible() and label.property("role") == "key" and label.text():
            keys.update(label.text().split(" / "))
    return keys


def test_f1_sheet_names_every_key_the_window_answers_to(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    assert window.help_overlay.isVisible()
    sheet = sheet_keys(window)
    portable = QKeySequence.SequenceFormat.PortableText
    actions = {
        sequence.toString(portable)
        for action in window.findChildren(QAction)
        for sequence in action.shortcuts()
    }
    assert actions - sheet == set(), "window keys missing from the F1 sheet"
    assert "Esc" in sheet  # Esc lets go of a selected span
    article = set(window.view.commands) | set(window.view.hotkeys)
    article |= set(window.compare.commands)  # compare mode's own keys
    assert article - sheet == set(), "article keys missing from the F1 sheet"
    assert sheet - actions - article == set(), "the sheet names keys nothing answers to"
    assert {"1", "p", "l", "q", "h"} <= sheet  # the sample's labels
