"""What the article paints: tints, stacked bars, and only the region an edit touched."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QTextCursor
from ui_helpers import find_in_view, make_project, open_window, point_of, stored

TEXT = 'He said: "Kim Jong Un is believed to be in Russia." Then he left.'


def span_rect(view, start: int, end: int):
    first = QTextCursor(view.document())
    first.setPosition(view.view_map.to_view(start))
    last = QTextCursor(view.document())
    last.setPosition(view.view_map.to_view(end))
    return view.cursorRect(first).united(view.cursorRect(last))


def test_outer_span_is_tinted_and_nested_span_gets_a_bar_in_its_colour(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    view = window.view
    find_in_view(window, TEXT[TEXT.index('"') : TEXT.rindex('"') + 1])
    qtbot.keyClick(view, "q")
    find_in_view(window, "Kim Jong Un")
    qtbot.keyClick(view, "p")
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # no selection outline in the way
    person = QColor(window.project.label("PERSON").colour)
    quote = QColor(window.project.label("QUOTE").colour)
    for zoom_steps in (0, 4):  # and again once zoomed: drawn where the text now is
        for _ in range(zoom_steps):
            qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
        image = view.viewport().grab().toImage()
        kim = span_rect(view, TEXT.index("Kim"), TEXT.index("Un") + 2)
        bar_colours = {
            image.pixelColor(kim.center().x(), y).name()
            for y in range(kim.bottom() - 4, kim.bottom() + 1)
        }
        assert person.name() in bar_colours, zoom_steps
        # Outside the nested span but inside the quote: the quote's tint, not white.
        believed = span_rect(view, TEXT.index("believed"), TEXT.index("believed") + 8)
        tint = image.pixelColor(believed.center().x(), believed.top() + 2)
        assert tint != QColor("white")
        assert abs(tint.hue() - quote.hue()) < 15
        # Plain text after the quote stays unpainted.
        left = span_rect(view, TEXT.index("left"), TEXT.index("left") + 4)
        assert image.pixelColor(left.center().x(), left.top() + 2) == QColor("white")


def test_an_edit_repaints_only_the_lines_it_touched(qtbot, project_path):
    long_text = "\n\n".join(f"Paragraph {n} mentions Putin and Russia." for n in range(200))
    window = open_window(qtbot, make_project(project_path, long_text))
    view = window.view
    regions: list = []
    real = view.repaint_region
    view.repaint_region = lambda a, b: (regions.append(view.region_rect(a, b)), real(a, b))
    find_in_view(window, "Putin", occurrence=2)
    qtbot.keyClick(view, "p")
    touched = [r for r in regions if r is not None]
    assert touched, "the edit asked for no repaint"
    assert all(r.height() < view.viewport().height() / 4 for r in touched)


def test_mouse_drag_of_a_selected_span_edge_resizes_it(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    view = window.view
    find_in_view(window, "Kim Jong")
    qtbot.keyClick(view, "p")
    assert view.selected_span_id is not None
    end = view.view_map.to_view(TEXT.index("Jong") + 4)
    cursor = QTextCursor(view.document())
    cursor.setPosition(end)
    edge = view.cursorRect(cursor)
    grab = QPoint(edge.x(), edge.center().y())
    target = point_of(view, view.view_map.to_view(TEXT.index("Un") + 2))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseMove(view.viewport(), target)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert stored(window)[0][:2] == ("PERSON", "Kim Jong Un")


def test_f2_asks_for_a_note_and_stores_it(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    view = window.view
    find_in_view(window, "Russia")
    qtbot.keyClick(view, "l")

    def write() -> None:
        dialog = window.edits.note_dialog
        qtbot.keyClicks(dialog.edit, "needs a source")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, write)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert (
        window.project.spans(window.document_id, [window.project.annotator])[0].note
        == "needs a source"
    )
    assert window.edits.undo_action.text().startswith("Undo note on PLACE")


def test_right_click_menu_tags_and_relabels(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, TEXT))
    view = window.view
    find_in_view(window, "Russia")
    menu = window.context_menu()
    tag = next(a for a in menu.actions() if a.text() == "Tag as PLACE")
    tag.trigger()
    assert stored(window)[0][:2] == ("PLACE", "Russia")
    menu = window.context_menu()  # the new span is selected: the menu now relabels
    relabel = next(a for a in menu.actions() if a.text() == "Relabel as PERSON")
    relabel.trigger()
    assert stored(window)[0][:2] == ("PERSON", "Russia")
    assert view.hasFocus()


def test_a_large_article_paints_only_the_spans_on_screen(qtbot, project_path, monkeypatch):

    from annotator.core import NewDocument, Project

    words = [
        "Kim",
        "Jong",
        "Un",
        "met",
        "Vladimir",
        "Putin",
        "in",
        "Russia",
        "and",
        "the",
        "train",
        "went",
        "on",
    ]
    text = "\n\n".join(
        " ".join(words[(i + j) % len(words)] for j in range(60)) for i in range(1500)
    )
    spans = []
    step = len(text) // 10_000
    for n in range(10_000):
        start = n * step
        spans.append({"start": start, "end": start + 2, "label": ("PERSON", "PLACE")[n % 2]})
    with Project.create(project_path) as project:
        project.add_documents([NewDocument(text=text, name="big", spans=spans)])
    window = open_window(qtbot, project_path)
    view = window.view
    assert len(view.index) == 10_000
    painted: list[int] = []
    real = view._paint_entry
    monkeypatch.setattr(view, "_paint_entry", lambda *a: painted.append(1) or real(*a))
    view.viewport().repaint()
    assert 0 < len(painted) < 1_000  # the spans on screen, not the 10,000
    window.select_range(step * 5000 + 10, step * 5000 + 12)
    qtbot.keyClick(view, "h")  # how fast: benchmarks/bench_window.py, edits on a long article
    assert len(window.project.spans(window.document_id, [window.project.annotator])) == 10_001
