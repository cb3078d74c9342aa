"""Positions and text as they are: emoji, CRLF, combining marks, HTML-looking text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from ui_helpers import find_in_view, make_project, open_window, point_of, stored


def test_tagging_right_after_an_emoji_stores_code_point_offsets(qtbot, project_path):
    text = "Crowds cheered 🎉🇰🇷Putin arrived 👍🏽 in Vladivostok."
    window = open_window(qtbot, make_project(project_path, text))
    find_in_view(window, "Putin")
    qtbot.keyClick(window.view, "p")
    find_in_view(window, "Vladivostok")
    qtbot.keyClick(window.view, "l")
    for _label, words, start, end in stored(window):
        assert text[start:end] == words
    assert stored(window) == [
        ("PERSON", "Putin", text.index("Putin"), text.index("Putin") + 5),
        ("PLACE", "Vladivostok", text.index("Vladivostok"), text.index("Vladivostok") + 11),
    ]


def test_tagging_in_a_crlf_document_keeps_stored_text_exact(qtbot, project_path):
    text = "Title line\r\n\r\nKim Jong Un met\r\nVladimir Putin in Russia.\r\n"
    window = open_window(qtbot, make_project(project_path, text))
    find_in_view(window, "Vladimir Putin")
    qtbot.keyClick(window.view, "p")
    find_in_view(window, "Russia")
    qtbot.keyClick(window.view, "l")
    spans = stored(window)
    assert spans == [
        ("PERSON", "Vladimir Putin", text.index("Vladimir"), text.index("Vladimir") + 14),
        ("PLACE", "Russia", text.index("Russia"), text.index("Russia") + 6),
    ]


def test_selection_across_a_crlf_line_break_keeps_both_lines(qtbot, project_path):
    text = "He said\r\nKim Jong Un\r\nwould come."
    window = open_window(qtbot, make_project(project_path, text))
    view = window.view
    find_in_view(window, "said")
    cursor = view.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Down, QTextCursor.MoveMode.KeepAnchor)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfLine, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    qtbot.keyClick(view, "q")
    _label, words, start, end = stored(window)[0]
    assert words == "said\r\nKim Jong Un" == text[start:end]


def test_a_cut_combining_sequence_is_widened(qtbot, project_path):
    text = "Mayor Zoe\u0301 Smith spoke."
    window = open_window(qtbot, make_project(project_path, text))
    window.edits.toggle_snap(False)
    start = text.index("Zoe")
    window.select_range(start, start + 3)  # cuts the accent off the e
    qtbot.keyClick(window.view, "p")
    assert stored(window)[0][1] == "Zoe\u0301"


def test_html_looking_text_is_shown_as_it_is(qtbot, project_path):
    text = "<b>bold</b> &amp; <i>Putin</i> <script>x</script>"
    path = project_path
    from annotator.core import Project

    with Project.create(path) as project:
        project.add_document(text, name="<b>not bold</b>", meta={"title": "<i>T</i> &amp;"})
    window = open_window(qtbot, path)
    assert window.view.toPlainText() == text
    assert window.title_label.text() == "<i>T</i> &amp;"
    assert window.title_label.textFormat() == Qt.TextFormat.PlainText
    assert window.documents.model.index(0, 0).data() == "<b>not bold</b>"
    find_in_view(window, "<i>Putin</i>")
    qtbot.keyClick(window.view, "p")
    assert stored(window)[0][1] == "<i>Putin</i>"
    hover = window.view.hover_text(point_of(window.view, text.index("Putin")))
    assert "<i>Putin</i>" in hover
